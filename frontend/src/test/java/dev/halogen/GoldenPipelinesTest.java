package dev.halogen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.halogen.ir.IrVerifier;
import dev.halogen.ir.json.IrJson;
import dev.halogen.ir.text.Golden;
import dev.halogen.ir.text.IrParser;
import dev.halogen.ir.text.IrPrinter;
import java.nio.file.Path;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The printed function graphs of the ten example pipelines, pinned as golden files under
 * {@code src/test/resources/golden/pipelines} (rewrite them with {@code -Dgolden.bless=true} and
 * review the diff). Each graph must also verify and survive the text and JSON round trips.
 */
class GoldenPipelinesTest {
  static Stream<Arguments> pipelines() {
    return Stream.of(
        example("blur", ExamplePipelines::blur),
        example("histogram", ExamplePipelines::histogram),
        example("convolution", ExamplePipelines::convolution),
        example("argmin", ExamplePipelines::argmin),
        example("tone_curve", ExamplePipelines::toneCurve),
        example("soft_histogram", ExamplePipelines::softHistogram),
        example("bilateral_grid", ExamplePipelines::bilateralGrid),
        example("recursive_filter", ExamplePipelines::recursiveFilter),
        example("disk_blur", ExamplePipelines::diskBlur),
        example("scaled_pair", ExamplePipelines::scaledPair));
  }

  private static Arguments example(String name, Supplier<Pipeline> build) {
    return Arguments.of(name, build);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pipelines")
  void printedGraphMatchesGolden(String name, Supplier<Pipeline> build) {
    dev.halogen.ir.Pipeline ir = build.get().toIr();
    IrVerifier.verify(ir);
    String text = IrPrinter.print(ir);
    Golden.assertMatches(Path.of("src/test/resources/golden/pipelines", name + ".hir"), text);
    assertEquals(ir, IrParser.parsePipeline(text), "text round trip of " + name);
    assertEquals(ir, IrJson.pipelineFromJson(IrJson.toJson(ir)), "JSON round trip of " + name);
  }
}
