package dev.halogen.passes.lower;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.halogen.ir.LoweredModule;
import dev.halogen.ir.LoweredModule.Argument;
import dev.halogen.ir.LoweredModule.ArgumentKind;
import dev.halogen.ir.Type;
import dev.halogen.ir.text.IrParser;
import dev.halogen.ir.text.IrPrinter;
import dev.halogen.passes.IrProperty;
import dev.halogen.passes.IrUnit;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ScheduleFunctionsPassTest {
  /** A diamond: out reads b and c, both read a; a scalar parameter and a second output. */
  static final String DIAMOND = """
      pipeline outputs(out, side)
      image in: int32 [1]
      param k: int32

      func a(x): int32 {
        a(x) = in(x) + k
        compute_root store_root
      }

      func b(x): int32 {
        b(x) = a(x) * 2
        compute_root store_root
      }

      func c(x): int32 {
        c(x) = a(x + 1) - 1
        compute_root store_root
      }

      func out(x): int32 {
        out(x) = c(x) + b(x)
      }

      func side(x): int32 {
        side(x) = a(x) + 5
      }
      """;

  static List<String> goldenCases() {
    return GoldenCases.names(ScheduleFunctionsPass.NAME);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldenCases")
  void goldenCase(String name) {
    GoldenCases.checkPipeline(ScheduleFunctionsPass.NAME, name, ScheduleFunctionsPass::lower);
  }

  @Test
  void realizationOrderPutsProducersBeforeConsumers() {
    assertEquals(List.of("a", "b", "c", "out", "side"),
        ScheduleFunctionsPass.realizationOrder(IrParser.parsePipeline(DIAMOND)));
  }

  @Test
  void argumentsAreImagesThenScalarsThenOutputs() {
    LoweredModule m = ScheduleFunctionsPass.lower(IrParser.parsePipeline(DIAMOND));
    assertEquals(List.of(new Argument("in", ArgumentKind.INPUT_BUFFER, Type.I32, 1),
        new Argument("k", ArgumentKind.SCALAR, Type.I32, 0),
        new Argument("out", ArgumentKind.OUTPUT_BUFFER, Type.I32, 1),
        new Argument("side", ArgumentKind.OUTPUT_BUFFER, Type.I32, 1)), m.entryPoints().getFirst().arguments());
    // a covers what b and c read for out ([out.min, out.max + 1]) and what side reads.
    // b and c cover out's region; a covers [out.min, out.max + 1] (c reads x + 1) and side's region.
    String text = IrPrinter.print(m);
    assertEquals(true, text.contains("realize a: int32 [min(out.min.0, side.min.0), max(out.extent.0 + out.min.0, "
        + "side.extent.0 + side.min.0 - 1) - min(out.min.0, side.min.0) + 1] {"), text);
    assertEquals(true, text.contains("realize b: int32 [out.min.0, out.extent.0] {"), text);
    assertEquals(true, text.contains("realize c: int32 [out.min.0, out.extent.0] {"), text);
  }

  @Test
  void contractTurnsTheGraphIntoLoops() {
    ScheduleFunctionsPass pass = new ScheduleFunctionsPass();
    assertEquals("schedule-functions", pass.name());
    assertEquals(Set.of(IrProperty.FUNCTION_GRAPH, IrProperty.GRAPH_VERIFIED), pass.requires());
    assertEquals(Set.of(IrProperty.LOOPS_BUILT, IrProperty.BOUNDS_INFERRED), pass.establishes());
    assertEquals(Set.of(IrProperty.FUNCTION_GRAPH), pass.invalidates());
    IrUnit out = pass.run(IrUnit.of(IrParser.parsePipeline(DIAMOND)));
    assertEquals(IrProperty.LOOPS_BUILT, out.form());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pass.run(out));
    assertEquals("pass 'schedule-functions' works on the function graph (FUNCTION_GRAPH), but got loop nests (LOOPS_BUILT)",
        e.getMessage());
  }
}
