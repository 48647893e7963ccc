package dev.halogen.passes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.halogen.ir.Buffer;
import dev.halogen.ir.LoweredModule;
import dev.halogen.ir.LoweredModule.Argument;
import dev.halogen.ir.LoweredModule.ArgumentKind;
import dev.halogen.ir.LoweredModule.EntryPoint;
import dev.halogen.ir.Stmt;
import dev.halogen.ir.Type;
import dev.halogen.passes.analysis.Value;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BackendsTest {
  static final EntryPoint FILL = new EntryPoint("fill", List.of(new Argument("out", ArgumentKind.OUTPUT_BUFFER, Type.I32, 1),
      new Argument("v", ArgumentKind.SCALAR, Type.I32, 0)), Stmt.NO_OP);
  static final EntryPoint CLEAR = new EntryPoint("clear", List.of(), Stmt.NO_OP);
  static final LoweredModule MODULE = new LoweredModule("m", List.of(FILL, CLEAR), List.of());

  @Test
  void backendsAreFoundWithServiceLoader() {
    assertInstanceOf(RecordingBackend.class, Backends.find("recording"));
    assertTrue(Backends.names().contains("recording"));
    assertEquals(Backends.names(), Backends.available().stream().map(Backend::name).toList());
  }

  @Test
  void anUnknownNameListsTheAvailableBackends() {
    UnknownBackendException e = assertThrows(UnknownBackendException.class, () -> Backends.find("llvn"));
    assertEquals("unknown backend 'llvn'; the available backends are: " + String.join(", ", Backends.names()), e.getMessage());
    assertEquals("llvn", e.name());
    assertEquals(Backends.names(), e.available());
    assertTrue(e.getMessage().contains("recording"));
  }

  @Test
  void compileChecksTheTarget() {
    assertEquals("target interp is for backend interp, not recording",
        assertThrows(IllegalArgumentException.class, () -> new RecordingBackend().compile(MODULE, Target.of("interp"))).getMessage());
    assertEquals("target recording-fast-loud: backend recording does not know the feature(s) fast; its features are: loud, quiet",
        assertThrows(IllegalArgumentException.class, () -> Backends.compile(MODULE, Target.parse("recording-loud-fast"))).getMessage());
    CompiledModule c = Backends.compile(MODULE, Target.parse("recording-quiet"));
    assertSame(MODULE, c.module());
    assertEquals(Target.parse("recording-quiet"), c.target());
  }

  @Test
  void runChecksTheEntryPointAndArgumentsBeforeTheBackendSeesThem() {
    RecordingBackend.Recorded c = new RecordingBackend().compile(MODULE, Target.of("recording"));
    Buffer out = Buffer.allocate(Type.I32, 3);
    c.run("fill", Map.of("out", out, "v", 4));
    c.run(c.arguments("clear").build());
    assertEquals(2, c.runs.size());
    assertSame(out, c.runs.get(0).buffer("out"));
    assertEquals(new Value.IntScalar(Type.I32, 4), c.runs.get(0).scalar("v"));
    assertSame(CLEAR, c.runs.get(1).entryPoint());

    assertEquals("module m has no entry point 'fil'; its entry points are: fill, clear",
        assertThrows(IllegalArgumentException.class, () -> c.run("fil", Map.of())).getMessage());
    assertEquals("entry point fill is missing argument v (int32 scalar)",
        assertThrows(IllegalArgumentException.class, () -> c.run("fill", Map.of("out", out))).getMessage());
    EntryPoint other = new EntryPoint("clear", List.of(new Argument("x", ArgumentKind.SCALAR, Type.I32, 0)), Stmt.NO_OP);
    assertEquals("the arguments are for an entry point clear that differs from module m's entry point of that name",
        assertThrows(IllegalArgumentException.class, () -> c.run(Arguments.of(other, Map.of("x", 1)))).getMessage());
    // An equal entry point (the module parsed again, say) is as good as the module's own.
    c.run(Arguments.of(new EntryPoint("clear", List.of(), Stmt.NO_OP), Map.of()));
    assertEquals(3, c.runs.size());
    assertEquals(2, c.runs.stream().filter(r -> r.entryPoint().name().equals("clear")).count());
  }
}
