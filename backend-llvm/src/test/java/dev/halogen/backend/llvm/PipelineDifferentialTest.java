package dev.halogen.backend.llvm;

import dev.halogen.backend.llvm.Differential.Fill;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pipelines lowered by the default lowering pipeline, run on both backends, and compiled ahead of
 * time into a library that a C program calls. They need storage flattening in the lowering
 * pipeline; until it is there, {@link Differential#ofPipeline} reports them as skipped.
 */
class PipelineDifferentialTest {
  @TempDir Path dir;

  /** Checks {@code d} with the JIT, and with the library and C program of {@link AotProgram}, on two seeds each. */
  private void check(Differential d) {
    d.checkSeeds(2);
    if (AotProgram.canBuild()) d.checkAotSeeds(2, dir, "pipeline");
  }

  @Test
  void pointwise2d() {
    check(Differential.ofPipeline("""
        pipeline outputs(out)
        image in: int32 [2]
        param k: int32

        func out(x, y): int32 {
          out(x, y) = in(x, y) * 2 + k + y
        }
        """).buffer("in", Fill.ANY, 12, 7).buffer("out", Fill.ANY, 12, 7).scalar("k", 10));
  }

  @Test
  void blurWithTheProducerAtTheRoot() {
    check(Differential.ofPipeline("""
        pipeline outputs(blur)
        image in: float32 [1]

        func f(x): float32 {
          f(x) = in(x) * 3.0f
          compute_root store_root
        }

        func blur(x): float32 {
          blur(x) = f(x) + f(x + 1) + f(x + 2)
        }
        """).buffer("in", Fill.ANY, 66).buffer("blur", Fill.ANY, 64));
  }

  @Test
  void histogramOfAnIntermediateWithAReductionDomain() {
    check(Differential.ofPipeline("""
        pipeline outputs(out)
        image in: uint8 [2]

        func hist(i): int32 {
          hist(i) = 0
          over r(r.x [in.min.0, in.extent.0], r.y [in.min.1, in.extent.1]) {
            hist(cast<int32>(in(r.x, r.y))) = hist(cast<int32>(in(r.x, r.y))) + 1
          }
          compute_root store_root
        }

        func out(i): int32 {
          out(i) = hist(i) * 10 + i
        }
        """).buffer("in", Fill.ANY, 7, 5).buffer("out", Fill.ANY, 16));
  }

  @Test
  void aReductionWithAWherePredicate() {
    check(Differential.ofPipeline("""
        pipeline outputs(out)
        image in: int32 [1]

        func out(x): int32 {
          out(x) = 100
          over r(r.x [0, 10]) where r.x % 3 != 0 {
            out(x) = out(x) + in(r.x + x) * (r.x + 1)
          }
        }
        """).buffer("in", Fill.ANY, 26).buffer("out", Fill.ANY, 16));
  }

  @Test
  void aGuardedSplitWithAParallelOuterLoop() {
    check(Differential.ofPipeline("""
        pipeline outputs(out)
        image in: float32 [1]

        func out(x): float32 {
          out(x) = in(x) * 2.0f + cast<float32>(x)
          schedule {
            split(x, xo, xi, 4, guard_with_if)
            loops(xi, xo parallel)
          }
        }
        """).buffer("in", Fill.ANY, 1001).buffer("out", Fill.ANY, 1001));
  }

  @Test
  void aProducerComputedAtATileOfItsConsumer() {
    check(Differential.ofPipeline("""
        pipeline outputs(out)
        image in: int32 [2]

        func f(x, y): int32 {
          f(x, y) = in(x, y) + in(x + 1, y) + in(x + 2, y)
          compute_at(out, 0, xo) store_at(out, 0, xo)
        }

        func out(x, y): int32 {
          out(x, y) = f(x, y) + 2 * f(x, y + 1) + f(x, y + 2)
          schedule {
            split(x, xo, xi, 4, guard_with_if)
            split(y, yo, yi, 3, guard_with_if)
            loops(xi, yi, xo, yo parallel)
          }
        }
        """).buffer("in", Fill.ANY, 12, 9).buffer("out", Fill.ANY, 10, 7));
  }

  @Test
  void aTupleFuncHasOneOutputBufferPerElement() {
    check(Differential.ofPipeline("""
        pipeline outputs(pair)
        image in: int16 [1]

        func pair(x): (int16, float64) {
          pair(x) = {in(x) + 1i16, cast<float64>(in(x)) * 0.5}
        }
        """).buffer("in", Fill.ANY, 64));
  }
}
