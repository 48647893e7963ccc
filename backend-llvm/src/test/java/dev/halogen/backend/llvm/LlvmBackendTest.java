package dev.halogen.backend.llvm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.halogen.backend.interp.ExternFunction;
import dev.halogen.backend.llvm.Differential.Fill;
import dev.halogen.ir.Buffer;
import dev.halogen.ir.IrVerificationException;
import dev.halogen.ir.LoweredModule;
import dev.halogen.ir.Type;
import dev.halogen.ir.text.IrParser;
import dev.halogen.passes.Backends;
import dev.halogen.passes.CompiledModule;
import dev.halogen.passes.Target;
import dev.halogen.passes.analysis.Value;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The backend as a whole: registration, checks at compile time, caching, calls from Java (threads, Java arrays), extern functions, generated code. */
class LlvmBackendTest {
  private static final String SCALE = """
      module scale
      entry scale(in in: float32 [1], out out: float32 [1], k: float32) {
        for (x, out.min.0, out.extent.0) {
          out[(x - out.min.0) * out.stride.0] = in[(x - in.min.0) * in.stride.0] * k + 1.0f
        }
      }
      """;

  private static CompiledModule compile(String text) {
    return Backends.compile(IrParser.parseModule(text), Target.of("llvm"));
  }

  @Test
  void theBackendIsFoundByNameAndChecksItsTarget() {
    assertInstanceOf(LlvmBackend.class, Backends.find("llvm"));
    LoweredModule m = IrParser.parseModule(SCALE);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Backends.find("llvm").compile(m, Target.of("llvm", "fast")));
    assertEquals("target llvm-fast: backend llvm does not know the feature(s) fast; its features are: fma", e.getMessage());
  }

  @Test
  void multiplyAddsFuseOnlyWithTheFmaFeature() {
    // x * x - c with x = 1 + 2^-12 and c = 1 + 2^-11: the product, 1 + 2^-11 + 2^-24, rounds to c in
    // float32, so the separate operations give 0; one fused multiply-subtract keeps the 2^-24.
    String text = """
        module m
        entry m(in x: float32 [1], out o: float32 [1]) {
          for (i, 0, o.extent.0) {
            o[i] = ((x[i] * x[i]) - 1.00048828125f)
          }
        }
        """;
    float x = 1 + 0x1p-12f;
    float[] strict = run(text, Target.of("llvm"), x);
    assertEquals(0f, strict[0]);
    String features = Jit.get().host.features();
    org.junit.jupiter.api.Assumptions.assumeTrue(features.contains("+fma"), "the host has no FMA instructions: " + features);
    float[] fused = run(text, Target.of("llvm", LlvmBackend.FMA), x);
    assertEquals(0x1p-24f, fused[0]);
  }

  private static float[] run(String text, Target target, float x) {
    CompiledModule m = Backends.find("llvm").compile(IrParser.parseModule(text), target);
    int n = 19; // vector lanes and a scalar tail
    float[] in = new float[n];
    java.util.Arrays.fill(in, x);
    Buffer out = Buffer.allocate(Type.F32, n);
    m.run("m", Map.of("x", Buffer.of(in, n), "o", out));
    float[] result = new float[n];
    for (int i = 0; i < n; i++) {
      result[i] = out.getFloat(i);
      assertEquals(result[0], result[i], "element " + i);
    }
    return result;
  }

  @Test
  void onlyFlattenedModulesCompile() {
    IrVerificationException e = assertThrows(IrVerificationException.class, () -> compile("""
        module m
        entry m(out f: int32 [1]) {
          for (x, 0, f.extent.0) {
            f(x) = x
          }
        }
        """));
    assertTrue(e.getMessage().contains("Provide to f after storage flattening"), e.getMessage());
  }

  @Test
  void codeOutsideTheSemanticsIsRejectedNamingIt() {
    IllegalArgumentException intrinsic = assertThrows(IllegalArgumentException.class, () -> compile("""
        module m
        entry m(out o: int32 [1]) {
          o[0] = popcount(o.extent.0)
        }
        """));
    assertEquals("the llvm backend cannot compile popcount(o.extent.0): unknown intrinsic 'popcount'", intrinsic.getMessage());
    IllegalArgumentException math = assertThrows(IllegalArgumentException.class, () -> compile("""
        module m
        entry m(out o: float32 [1]) {
          o[0] = fast_exp(1.0f)
        }
        """));
    assertEquals("the llvm backend cannot compile fast_exp(1.0f): unknown math function 'fast_exp'", math.getMessage());
    IllegalArgumentException free = assertThrows(IllegalArgumentException.class, () -> compile("""
        module m
        entry m(out o: int32 [1]) {
          allocate t: int32 [o.extent.0] in heap {
            parallel for (x, 0, 4) {
              free t
            }
          }
        }
        """));
    assertEquals("the llvm backend cannot compile free t inside a parallel loop: the allocation was made outside the loop, whose"
        + " iterations run at the same time", free.getMessage());
    IllegalArgumentException nested = assertThrows(IllegalArgumentException.class, () -> compile("""
        module m
        entry m(out o: int32 [1]) {
          atomic o mutex lock {
            parallel for (x, 0, 4) {
              o[x] = x
            }
          }
        }
        """));
    assertEquals("the llvm backend cannot compile a parallel loop inside the atomic update of o", nested.getMessage());
  }

  @Test
  void anEqualModuleCompilesOnceForATarget() {
    CompiledModule a = compile(SCALE);
    CompiledModule b = compile(SCALE);
    assertSame(((LlvmCompiledModule) a).code(), ((LlvmCompiledModule) b).code());
    assertEquals(IrParser.parseModule(SCALE), b.module());
  }

  @Test
  void runsFromManyThreadsAtOnceAreIndependent() throws Exception {
    CompiledModule m = compile(SCALE);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<float[]>> results = new ArrayList<>();
      for (int t = 0; t < 32; t++) {
        float k = t;
        results.add(pool.submit(() -> {
          float[] expected = new float[1000];
          Buffer in = Buffer.allocate(Type.F32, 1000);
          Buffer out = Buffer.allocate(Type.F32, 1000);
          for (int i = 0; i < 1000; i++) {
            in.setFloat(i * 0.25f, i);
            expected[i] = i * 0.25f * k + 1f;
          }
          for (int r = 0; r < 50; r++) m.run("scale", Map.of("in", in, "out", out, "k", k));
          assertArrayEquals(expected, out.toFloatArray());
          return expected;
        }));
      }
      for (Future<float[]> f : results) f.get();
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void nestedParallelLoopsFromManyThreadsAtOnceShareThePool() throws Exception {
    // Every run puts loops on the pool's queue while others' loops are there: threads waiting for
    // their own chunks run others', and each run still sees exactly its own iterations.
    CompiledModule m = compile("""
        module grid
        entry grid(out out: int32 [2], k: int32) {
          parallel for (y, 0, 37) {
            parallel for (x, 0, 53) {
              out[x + y * out.stride.1] = x * 1000 + y * k
            }
          }
        }
        """);
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<?>> results = new ArrayList<>();
      for (int t = 0; t < 24; t++) {
        int k = t + 1;
        results.add(pool.submit(() -> {
          Buffer out = Buffer.allocate(Type.I32, 53, 37);
          for (int r = 0; r < 20; r++) {
            m.run("grid", Map.of("out", out, "k", k));
            for (int y = 0; y < 37; y++) for (int x = 0; x < 53; x++) assertEquals(x * 1000 + y * k, out.getInt(x, y));
          }
          return null;
        }));
      }
      for (Future<?> f : results) f.get();
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void modulesCompileOnManyThreadsAtOnce() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < 12; t++) {
        int k = 1000 + t;
        results.add(pool.submit(() -> {
          CompiledModule m = compile("module c\nentry c(out o: int32 [1]) {\n  o[0] = " + k + " * 3\n}\n");
          Buffer o = Buffer.allocate(Type.I32, 1);
          m.run("c", Map.of("o", o));
          return o.getInt(0);
        }));
      }
      for (int t = 0; t < 12; t++) assertEquals((1000 + t) * 3, results.get(t).get());
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void buffersViewingJavaArraysAreCopiedInAndOut() {
    float[] data = new float[40];
    for (int i = 0; i < data.length; i++) data[i] = i - 7.5f;
    float[] outData = new float[20];
    Buffer in = Buffer.wrap(Type.F32, MemorySegment.ofArray(data), new int[] {-2}, new int[] {20}, new long[] {2});
    Buffer out = Buffer.wrap(Type.F32, MemorySegment.ofArray(outData), new int[] {3}, new int[] {10}, new long[] {2});
    compile(SCALE).run("scale", Map.of("in", in, "out", out, "k", 3f));
    for (int x = 3; x < 13; x++) {
      assertEquals(data[2 * (x + 2)] * 3f + 1f, outData[2 * (x - 3)], "out(" + x + ")");
      assertEquals(0f, outData[2 * (x - 3) + 1], "the element between out(" + x + ") and the next");
    }
  }

  @Test
  void buffersWhoseElementsAreNotAlignedAreCopiedInAndOut() {
    MemorySegment memory = Arena.ofAuto().allocate(200, 8);
    Buffer in = Buffer.wrap(Type.F32, memory.asSlice(1, 40), new int[] {0}, new int[] {10}, new long[] {1});
    Buffer out = Buffer.wrap(Type.F32, memory.asSlice(103, 40), new int[] {0}, new int[] {10}, new long[] {1});
    for (int i = 0; i < 10; i++) in.setFloat(i * 1.5f, i);
    compile(SCALE).run("scale", Map.of("in", in, "out", out, "k", -2f));
    for (int i = 0; i < 10; i++) assertEquals(i * 1.5f * -2f + 1f, out.getFloat(i), "out(" + i + ")");
  }

  @Test
  void anOutputSharingMemoryWithAnotherBufferIsRejected() {
    Buffer b = Buffer.allocate(Type.F32, 10);
    Buffer half = Buffer.wrap(Type.F32, b.segment().asSlice(20), new int[] {0}, new int[] {5}, new long[] {1});
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> compile(SCALE).run("scale", Map.of("in", b, "out", half, "k", 1f)));
    assertEquals("entry point scale: output buffer out shares memory with buffer in; the llvm backend needs output buffers that overlap"
        + " no other buffer argument", e.getMessage());
  }

  @Test
  @SuppressWarnings("restricted") // the interpreter's strlen reads the C string the handle points to
  void externFunctionsAreTheProcesssCFunctionsCalledLaneByLane() {
    ExternFunction labs = args -> { // the interpreter passes the whole vector
      Value v = args.getFirst();
      long[] lanes = new long[v.lanes()];
      for (int i = 0; i < lanes.length; i++) lanes[i] = Math.abs(v.longLane(i));
      return Value.ofInts(v.type(), lanes);
    };
    ExternFunction fmin = args -> new Value.FloatScalar(Type.F64, Math.min(args.get(0).doubleLane(0), args.get(1).doubleLane(0)));
    ExternFunction strlen = args -> new Value.IntScalar(Type.U64, switch (args.getFirst()) {
      case Value.Handle(String s) -> s.length();
      case Value.Handle(MemorySegment m) -> m.reinterpret(1000).getString(0).length();
      default -> throw new IllegalArgumentException("strlen of " + args.getFirst());
    });
    Arena arena = Arena.ofAuto();
    Differential.of("""
        module m
        entry m(in a: int64 [1], in b: float64 [1], out o: int64 [1], out p: float64 [1], out n: uint64 [1], s: handle) {
          for (x, 0, 16) {
            o[ramp(x * 4, 1, 4)] = extern<int64x4> labs(a[ramp(x * 4, 1, 4)])
            p[x] = extern<float64> fmin(b[x], 2.5)
          }
          n[0] = extern<uint64> strlen(s)
          n[1] = extern<uint64> strlen("seven!!")
        }
        """).externs(Map.of("labs", labs, "fmin", fmin, "strlen", strlen)).allBuffers(Fill.SMALL, 64)
        .scalar("s", new Value.Handle(arena.allocateFrom("a C string"))).checkSeeds(2);
  }

  @Test
  void aCallOfAFunctionTheProcessDoesNotHaveFailsToLink() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> compile("""
        module m
        entry m(out o: int32 [1]) {
          o[0] = extern<int32> halogen_test_no_such_function(1)
        }
        """));
    assertTrue(e.getMessage().startsWith("the llvm backend could not link the generated code: "), e.getMessage());
    assertTrue(e.getMessage().contains("halogen_test_no_such_function"), e.getMessage());
  }

  @Test
  void generatedCodeTargetsTheHostAndKnowsBuffersDoNotAlias() {
    String ir = LlvmBackend.llvmAssembly(IrParser.parseModule(SCALE), false);
    assertTrue(ir.contains("\"target-cpu\"=\"" + Jit.get().host.cpu() + "\""), ir);
    assertTrue(ir.contains("define internal i32 @halogen.scale.body(ptr noalias %0, ptr noalias %1"), ir);
    assertTrue(ir.contains("define i32 @halogen.scale(ptr %0)"), ir);
  }

  @Test
  void atomicUpdatesLoseNothingUnderContention() {
    // Millions of updates of four bins from every thread: a lost update would show in the counts.
    CompiledModule m = compile("""
        module m
        entry m(in k: int32 [1], out hist: int32 [1], out f: float32 [1], out c: int32 [1], out pair: int64 [1]) {
          parallel for (x, 0, k.extent.0) {
            let bin = k[x]
            atomic hist {
              hist[bin] = hist[bin] + 1
            }
            atomic f {
              f[bin] = f[bin] + 1.0f
            }
            atomic c {
              c[bin] = c[bin] * 3 + 1
            }
            atomic pair mutex pair.lock {
              pair[0] = pair[0] + 1i64
              pair[1] = pair[1] + cast<int64>(bin)
            }
          }
        }
        """);
    int n = 1 << 21;
    int[] bins = new int[n];
    int[] counts = new int[4];
    long binSum = 0;
    for (int i = 0; i < n; i++) {
      bins[i] = (i * 7 + i / 5) % 4;
      counts[bins[i]]++;
      binSum += bins[i];
    }
    Buffer hist = Buffer.allocate(Type.I32, 4);
    Buffer f = Buffer.allocate(Type.F32, 4);
    Buffer c = Buffer.allocate(Type.I32, 4);
    Buffer pair = Buffer.allocate(Type.I64, 2);
    m.run("m", Map.of("k", Buffer.of(bins, n), "hist", hist, "f", f, "c", c, "pair", pair));
    for (int b = 0; b < 4; b++) {
      int composed = 0;
      for (int i = 0; i < counts[b]; i++) composed = composed * 3 + 1;
      assertEquals(counts[b], hist.getInt(b), "hist(" + b + ")");
      assertEquals(counts[b], f.getFloat(b), "f(" + b + ")");
      assertEquals(composed, c.getInt(b), "c(" + b + ")");
    }
    assertEquals(n, pair.getLong(0));
    assertEquals(binSum, pair.getLong(1));
  }

  @Test
  void atomicUpdatesUseOneAtomicInstructionWhenTheyCan() {
    String ir = LlvmBackend.llvmAssembly(IrParser.parseModule("""
        module m
        entry m(in k: int32 [1], out h: int32 [1], out f: float32 [1], out c: int32 [1], out l: int32 [1]) {
          parallel for (x, 0, 64) {
            atomic h {
              h[k[x]] = h[k[x]] + 1
            }
            atomic f {
              f[k[x]] = f[k[x]] - 0.5f
            }
            atomic c {
              c[k[x]] = c[k[x]] * 3
            }
            atomic l mutex l.lock {
              l[0] = l[1] + 1
            }
          }
        }
        """), false);
    assertTrue(ir.contains("atomicrmw add ptr"), ir);
    assertTrue(ir.contains("atomicrmw fsub ptr"), ir);
    assertTrue(ir.contains("cmpxchg ptr"), ir);
    assertTrue(ir.contains("atomicrmw xchg ptr @lock.l.lock, i32 1 acquire"), ir);
    assertTrue(ir.contains("call i32 @halogen_par_for("), ir);
  }
}
