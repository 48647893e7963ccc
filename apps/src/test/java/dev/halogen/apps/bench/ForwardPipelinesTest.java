package dev.halogen.apps.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.halogen.apps.bench.ForwardPipelines.Case;
import dev.halogen.ir.Buffer;
import dev.halogen.passes.Target;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Each benchmark pipeline, compiled with the llvm backend at a small size, computes what plain Java loops compute. */
class ForwardPipelinesTest {
  static List<Case> cases() {
    return ForwardPipelines.all();
  }

  @ParameterizedTest
  @MethodSource("cases")
  void halogenMatchesTheJavaReferenceAtASmallSize(Case c) {
    // Not multiples of the tile, vector or row-block sizes, so that the tails run too.
    int width = 523;
    int height = 77;
    List<Buffer> inputs = c.inputs(width, height, 7);
    ForwardPipelines.Built built = c.build();
    for (int i = 0; i < inputs.size(); i++) built.inputs().get(i).set(inputs.get(i));
    Buffer out = c.output(width, height);
    built.pipeline().compile(Target.of("llvm")).realize(out);
    Buffer expected = c.reference(inputs, width, height);
    double diff = ForwardBenchmark.maxDifference(expected, out);
    assertTrue(diff <= c.tolerance(), c.name() + ": largest difference from the Java reference " + diff + " > " + c.tolerance());
    if (c.tolerance() == 0) assertEquals(expected, out, c.name());
  }
}
