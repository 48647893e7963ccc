package dev.halogen.apps.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.halogen.apps.bench.GradientPipelines.Case;
import dev.halogen.ir.Buffer;
import dev.halogen.passes.Target;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Both gradient pipelines, scheduled and compiled with the llvm backend at a small size, compute the hand-derived gradients. */
class GradientPipelinesTest {
  static List<Case> cases() {
    return GradientPipelines.all();
  }

  /** Not multiples of the block, vector or row-block sizes, so that the tails run too. */
  private static int smallSize(Case c) {
    return switch (c) {
      case GradientPipelines.Conv1d _ -> 20_003;
      case GradientPipelines.ConvLayer _ -> 37;
    };
  }

  @ParameterizedTest
  @MethodSource("cases")
  void halogenMatchesTheHandDerivedGradients(Case c) {
    int size = smallSize(c);
    List<Buffer> inputs = c.inputs(size, 7);
    GradientPipelines.Built built = c.build(size);
    for (int i = 0; i < inputs.size(); i++) built.inputs().get(i).set(inputs.get(i));
    List<Buffer> outputs = c.outputs(size);
    built.pipeline().compile(Target.of("llvm")).realize(outputs.toArray(Buffer[]::new));
    List<Buffer> expected = c.reference(inputs, size);
    for (int k = 0; k < expected.size(); k++) {
      double relative = GradientBenchmark.relativeDifference(expected.get(k), outputs.get(k));
      // float32 sums of up to 20003 terms in another order than the double reference
      assertTrue(relative <= 1e-4, c.name() + " gradient " + k + ": largest difference relative to the largest magnitude " + relative);
    }
  }
}
