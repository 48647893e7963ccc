package dev.halogen.backend.interp;

import static dev.halogen.backend.interp.Interp.compile;
import static dev.halogen.backend.interp.Interp.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.halogen.ir.Buffer;
import dev.halogen.ir.IrVerificationException;
import dev.halogen.ir.Type;
import dev.halogen.ir.text.IrParser;
import dev.halogen.passes.Backends;
import dev.halogen.passes.CompiledModule;
import dev.halogen.passes.HalogenRuntimeException;
import dev.halogen.passes.Target;
import dev.halogen.passes.UnknownBackendException;
import dev.halogen.passes.analysis.Int32OverflowException;
import dev.halogen.passes.analysis.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class InterpBackendTest {
  static final String SQUARE = """
      module sq
      entry sq(out out: int32 [1], n: int32) {
        out[0] = n * n
      }
      """;

  @Test
  void serviceLoaderFindsInterp() {
    assertInstanceOf(InterpBackend.class, Backends.find("interp"));
    assertTrue(Backends.names().contains("interp"));
  }

  @Test
  void anUnknownBackendNameListsTheAvailableOnes() {
    UnknownBackendException e = assertThrows(UnknownBackendException.class, () -> Backends.find("interpreter"));
    assertEquals("unknown backend 'interpreter'; the available backends are: interp", e.getMessage());
    assertThrows(UnknownBackendException.class, () -> Backends.compile(IrParser.parseModule(SQUARE), Target.of("llvm")));
  }

  @Test
  void int32OverflowWrapsUnlessTheTargetChecksIt() {
    Buffer out = Buffer.allocate(Type.I32, 1);
    Interp.run(compile(SQUARE), Map.of("out", out, "n", 65537));
    assertEquals(65537 * 65537, out.getInt(0)); // Java's int arithmetic wraps the same way
    CompiledModule checked = compile(SQUARE, Target.parse("interp-check_int32_overflow"));
    HalogenRuntimeException e = assertThrows(HalogenRuntimeException.class, () -> Interp.run(checked, Map.of("out", out, "n", 65537)));
    assertEquals("int32 overflow in Mul: 65537 * 65537 does not fit in int32", e.getMessage());
    assertInstanceOf(Int32OverflowException.class, e.getCause());
    Interp.run(checked, Map.of("out", out, "n", 46340));
    assertEquals(46340 * 46340, out.getInt(0));
  }

  @Test
  void anUnknownFeatureOrAnotherBackendsTargetIsRejected() {
    assertEquals("target interp-fast: backend interp does not know the feature(s) fast; its features are: check_int32_overflow",
        assertThrows(IllegalArgumentException.class, () -> compile(SQUARE, Target.parse("interp-fast"))).getMessage());
    assertEquals("target llvm is for backend llvm, not interp",
        assertThrows(IllegalArgumentException.class, () -> new InterpBackend().compile(IrParser.parseModule(SQUARE), Target.of("llvm")))
            .getMessage());
  }

  @Test
  void anInvalidModuleIsRejectedWhenCompiled() {
    IrVerificationException e = assertThrows(IrVerificationException.class, () -> compile("""
        module bad
        entry bad(out out: int32 [1]) {
          out[0] = out.extent.1 + q
        }
        """));
    assertTrue(e.getMessage().contains("variable out.extent.1 is not bound"), e::getMessage);
    assertTrue(e.getMessage().contains("variable q is not bound"), e::getMessage);
  }

  @Test
  void argumentsAreCheckedBeforeAnythingRuns() {
    CompiledModule m = compile(SQUARE);
    Buffer out = Buffer.allocate(Type.I32, 1);
    assertEquals("entry point sq is missing argument n (int32 scalar)",
        assertThrows(IllegalArgumentException.class, () -> m.run("sq", Map.of("out", out))).getMessage());
    assertEquals("entry point sq has no argument 'k'; its arguments are out (output buffer of int32, 1-D), n (int32 scalar)",
        assertThrows(IllegalArgumentException.class, () -> m.run("sq", Map.of("out", out, "n", 1, "k", 2))).getMessage());
    assertEquals("argument n (int32 scalar) of entry point sq needs an integer (Byte, Short, Integer, Long, BigInteger), got Double (2.0)",
        assertThrows(IllegalArgumentException.class, () -> m.run("sq", Map.of("out", out, "n", 2.0))).getMessage());
    assertEquals("argument out (output buffer of int32, 1-D) of entry point sq needs int32 elements, got a buffer of uint32",
        assertThrows(IllegalArgumentException.class, () -> m.run("sq", Map.of("out", Buffer.allocate(Type.U32, 1), "n", 1))).getMessage());
    assertEquals("argument out (output buffer of int32, 1-D) of entry point sq needs 1 dimension(s), got a buffer with 2",
        assertThrows(IllegalArgumentException.class, () -> m.run("sq", Map.of("out", Buffer.allocate(Type.I32, 1, 1), "n", 1))).getMessage());
    assertEquals("module sq has no entry point 'square'; its entry points are: sq",
        assertThrows(IllegalArgumentException.class, () -> m.run("square", Map.of())).getMessage());
    m.run(m.arguments("sq").buffer("out", out).scalar("n", new Value.IntScalar(Type.I32, -7)).build());
    assertEquals(49, out.getInt(0));
  }

  @Test
  void externFunctionsAreCalledWithTheirArgumentValues() {
    String text = """
        module e
        entry e(out out: float32 [1]) {
          for (x, 0, 3) {
            evaluate extern<int32> note(x)
            out[x] = extern<float32> scale(cast<float32>(x), 2.5f)
          }
        }
        """;
    assertEquals("module e calls extern function(s) note, scale, which the interp backend was not given",
        assertThrows(IllegalArgumentException.class, () -> new InterpBackend().compile(IrParser.parseModule(text), Target.of("interp")))
            .getMessage());
    List<Value> noted = new ArrayList<>();
    InterpBackend backend = new InterpBackend(Map.of(
        "note", args -> {
          noted.add(args.getFirst());
          return args.getFirst();
        },
        "scale", args -> new Value.FloatScalar(Type.F32, (float) (args.get(0).doubleLane(0) * args.get(1).doubleLane(0)))));
    Buffer out = Buffer.allocate(Type.F32, 3);
    backend.compile(IrParser.parseModule(text), Target.of("interp")).run("e", Map.of("out", out));
    assertEquals(List.of(new Value.IntScalar(Type.I32, 0), new Value.IntScalar(Type.I32, 1), new Value.IntScalar(Type.I32, 2)), noted);
    assertEquals(List.of(0f, 2.5f, 5f), List.of(out.getFloat(0), out.getFloat(1), out.getFloat(2)));
  }

  @Test
  void runsOnManyThreadsAreIndependent() throws Exception {
    CompiledModule m = compile("""
        module acc
        entry acc(out out: int64 [1], n: int32) {
          allocate t: int64 [1] {
            t[0] = 0i64
            for (i, 0, n) {
              t[0] = t[0] + cast<int64>(i)
            }
            out[0] = t[0]
          }
        }
        """);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Long>> results = new ArrayList<>();
      for (int k = 0; k < 16; k++) {
        int n = 1000 + k;
        results.add(pool.submit(() -> {
          Buffer out = Buffer.allocate(Type.I64, 1);
          m.run("acc", Map.of("out", out, "n", n));
          return out.getLong(0);
        }));
      }
      for (int k = 0; k < 16; k++) {
        long n = 1000 + k;
        assertEquals(n * (n - 1) / 2, results.get(k).get());
      }
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void aMissingOutputOfAProvideIsAnErrorAtCompileTime() {
    assertThrows(IrVerificationException.class, () -> compile("""
        module p
        entry p(out out: int32 [1]) {
          g(0) = 1
        }
        """));
    assertEquals("Provide to out at (4) is outside the bounds of output buffer out: [0, 3]", failure(compile("""
        module p
        entry p(out out: int32 [1]) {
          out(4) = 1
        }
        """), Map.of("out", Buffer.allocate(Type.I32, 4))));
  }
}
