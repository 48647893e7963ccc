package dev.halogen.backend.llvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.halogen.backend.llvm.Differential.Fill;
import org.junit.jupiter.api.Test;

/**
 * The run-time failures of lowered pipelines (the checks that {@code add-image-checks} and {@code
 * schedule-functions} put into the code: buffers too small for what is accessed, explicit bounds,
 * a shifted split wider than its extent) on both backends: each fails with the same message on the
 * interpreter and on llvm (the harness checks that), and the message is the expected text. The
 * same cases, with the interpreter alone, are in backend-interp's ImageChecksTest,
 * ScheduleFeaturesTest and ScheduleFunctionsTest; a run that fits succeeds on both with equal results.
 */
class PipelineFailureDifferentialTest {
  private static final String POINTWISE = """
      pipeline outputs(out)
      image in: int32 [1]

      func out(x): int32 {
        out(x) = in(x) + 1
      }
      """;

  @Test
  void anInputTooSmall() {
    Differential d = Differential.ofPipeline(POINTWISE).buffer("out", Fill.ANY, 8);
    assertEquals("Input buffer in is accessed at dimension 0 over [0, 7], but the buffer holds [0, 5]",
        d.buffer("in", Fill.ANY, 6).check(1).failure());
    assertNull(d.buffer("in", Fill.ANY, 8).check(1).failure());
  }

  @Test
  void theMessageNamesTheDimensionWithItsOwnMins() {
    Differential d = Differential.ofPipeline("""
        pipeline outputs(out)
        image in: int32 [2]

        func out(x, y): int32 {
          out(x, y) = in(x, y - 1) + in(x, y + 1)
        }
        """).buffer("out", Fill.ANY, new int[] {-2, 3}, new int[] {4, 5});
    assertEquals("Input buffer in is accessed at dimension 1 over [2, 8], but the buffer holds [3, 7]",
        d.buffer("in", Fill.ANY, new int[] {-2, 3}, new int[] {4, 5}).check(1).failure());
    assertNull(d.buffer("in", Fill.ANY, new int[] {-2, 2}, new int[] {4, 7}).check(1).failure());
  }

  @Test
  void anOutputTooSmallForAScatteringUpdate() {
    Differential d = Differential.ofPipeline("""
        pipeline outputs(out)
        image in: int32 [1]

        func out(x): int32 {
          out(x) = 0
          over r(r.x [0, 10]) {
            out(r.x) = out(r.x) + in(r.x)
          }
        }
        """).buffer("in", Fill.ANY, 10);
    assertEquals("Output buffer out is accessed at dimension 0 over [0, 9], but the buffer holds [0, 4]",
        d.buffer("out", Fill.ANY, 5).check(1).failure());
    assertNull(d.buffer("out", Fill.ANY, 10).check(1).failure());
  }

  @Test
  void aConstantBufferTooSmall() {
    // lut holds 1, 2, 3, 4 at 0 .. 3.
    Differential d = Differential.ofPipeline("""
        pipeline outputs(out)
        constant lut: int32 [0, 4] = "AQAAAAIAAAADAAAABAAAAA=="

        func out(x): int32 {
          out(x) = lut(x) * 2
        }
        """);
    assertEquals("Constant buffer lut is accessed at dimension 0 over [0, 5], but the buffer holds [0, 3]",
        d.buffer("out", Fill.ANY, 6).check(1).failure());
    assertNull(d.buffer("out", Fill.ANY, 4).check(1).failure());
  }

  @Test
  void eachBufferOfATupleOutputIsChecked() {
    Differential d = Differential.ofPipeline("""
        pipeline outputs(pair)
        image in: int32 [1]

        func pair(x): (int32, int32) {
          pair(x) = {in(x), in(x) * 2}
        }
        """).buffer("in", Fill.ANY, 6).buffer("pair.0", Fill.ANY, 6);
    assertEquals("Output buffer pair.1 is accessed at dimension 0 over [0, 5], but the buffer holds [0, 3]",
        d.buffer("pair.1", Fill.ANY, 4).check(1).failure());
  }

  private static final String BOUNDED = """
      pipeline outputs(out)
      image in: int32 [1]

      func f(x): int32 {
        f(x) = in(x) * 2
        compute_root store_root bound(x, 0, 100)
      }

      func out(x): int32 {
        out(x) = f(x) + f(x + 1)
        %s
      }
      """;

  @Test
  void moreOfABoundedFuncRequiredThanItsBound() {
    Differential d = Differential.ofPipeline(BOUNDED.formatted("")).buffer("in", Fill.ANY, 100);
    assertEquals("Func f is bounded to [0, 99] in dimension x (0), but [0, 100] of it is required",
        d.buffer("out", Fill.ANY, 100).check(1).failure());
    assertNull(d.buffer("out", Fill.ANY, 50).check(1).failure());
  }

  @Test
  void aBoundedOutputWithABufferOfAnotherSize() {
    Differential d = Differential.ofPipeline(BOUNDED.formatted("bound(x, 0, 99)")).buffer("in", Fill.ANY, 100);
    assertEquals("Output Func out is bounded to [0, 98] in dimension x (0), but its buffer covers [0, 49]",
        d.buffer("out", Fill.ANY, 50).check(1).failure());
    assertNull(d.buffer("out", Fill.ANY, 99).check(1).failure());
  }

  @Test
  void aShiftedSplitWiderThanItsExtent() {
    Differential d = Differential.ofPipeline("""
        pipeline outputs(out)
        image in: int32 [1]

        func f(x): int32 {
          f(x) = in(x) * 2 + x
          schedule {
            split(x, xo, xi, 4, shift_inwards)
            loops(xi, xo)
          }
          compute_root store_root
        }

        func out(x): int32 {
          out(x) = f(x) + 1
        }
        """);
    // Three points: the one tile of f, shifted back to end at the extent, starts at -1. The image
    // checks come first (the split's own check is inside the production of f) and see that read of in.
    assertEquals("Input buffer in is accessed at dimension 0 over [-1, 2], but the buffer holds [0, 9]",
        d.buffer("in", Fill.ANY, 10).buffer("out", Fill.ANY, 3).check(1).failure());
    // An input that has x = -1 passes them, and the split's check fails.
    assertEquals("Func f stage 0: split of x with tail strategy SHIFT_INWARDS needs an extent of at least the factor 4,"
        + " but the extent is 3", d.buffer("in", Fill.ANY, new int[] {-1}, new int[] {11}).check(1).failure());
    assertNull(d.buffer("out", Fill.ANY, 10).check(1).failure());
  }
}
