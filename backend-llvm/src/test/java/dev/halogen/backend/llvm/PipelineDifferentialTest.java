package dev.halogen.backend.llvm;

import dev.halogen.backend.llvm.Differential.Fill;
import org.junit.jupiter.api.Test;

/**
 * Pipelines lowered by the default lowering pipeline, run on both backends. They need storage
 * flattening in the lowering pipeline; until it is there, {@link Differential#ofPipeline} reports
 * them as skipped.
 */
class PipelineDifferentialTest {
  @Test
  void pointwise2d() {
    Differential.ofPipeline("""
        pipeline outputs(out)
        image in: int32 [2]
        param k: int32

        func out(x, y): int32 {
          out(x, y) = in(x, y) * 2 + k + y
        }
        """).buffer("in", Fill.ANY, 12, 7).buffer("out", Fill.ANY, 12, 7).scalar("k", 10).checkSeeds(2);
  }

  @Test
  void blurWithTheProducerAtTheRoot() {
    Differential.ofPipeline("""
        pipeline outputs(blur)
        image in: float32 [1]

        func f(x): float32 {
          f(x) = in(x) * 3.0f
          compute_root store_root
        }

        func blur(x): float32 {
          blur(x) = f(x) + f(x + 1) + f(x + 2)
        }
        """).buffer("in", Fill.ANY, 66).buffer("blur", Fill.ANY, 64).checkSeeds(2);
  }
}
