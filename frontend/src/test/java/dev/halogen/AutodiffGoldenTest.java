package dev.halogen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.halogen.ir.Buffer;
import dev.halogen.ir.IrVerifier;
import dev.halogen.ir.json.IrJson;
import dev.halogen.ir.text.Golden;
import dev.halogen.ir.text.IrParser;
import dev.halogen.ir.text.IrPrinter;
import dev.halogen.passes.Target;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The gradient pipelines of {@link AutodiffExamples}: their printed graphs are pinned as golden files
 * under {@code src/test/resources/golden/autodiff} (the Kotlin builder must print the same), they
 * verify, survive the text and JSON round trips, give the catalog's values on interp and llvm, are
 * gathers ([pure-LHS]) and agree with central differences.
 */
class AutodiffGoldenTest {
  static Stream<AutodiffExamples.Case> cases() {
    return AutodiffExamples.all().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradientPipelineMatchesGoldenAndTheCatalog(AutodiffExamples.Case c) {
    dev.halogen.ir.Pipeline ir = c.gradientPipeline().toIr();
    IrVerifier.verify(ir);
    String text = IrPrinter.print(ir);
    Golden.assertMatches(Path.of("src/test/resources/golden/autodiff", c.name() + ".hir"), text);
    assertEquals(ir, IrParser.parsePipeline(text), "text round trip of " + c.name());
    assertEquals(ir, IrJson.pipelineFromJson(IrJson.toJson(ir)), "JSON round trip of " + c.name());
    for (String backend : new String[] {"interp", "llvm"}) {
      for (AutodiffExamples.Gradient g : c.gradients()) {
        Buffer b = g.func().realize(Target.of(backend), g.extents());
        double[] actual = new double[g.expected().length];
        int[] i = {0};
        b.forEachCoordinate(at -> actual[i[0]++] = b.getAsDouble(at));
        assertArrayEquals(g.expected(), actual, 1e-6, g.label() + " of " + c.name() + " on " + backend);
      }
    }
    for (Func gather : c.gathers()) AdjointShapes.assertPureLhs(gather);
    AdTestSupport.fdCheck(c.loss(), c.derivative(), c.images(), c.params(), 1e-2, 1e-3);
  }
}
