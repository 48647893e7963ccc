package dev.halogen;

import static dev.halogen.AdTestSupport.INTERP;
import static dev.halogen.AdTestSupport.fdCheck;
import static dev.halogen.AdTestSupport.sumLoss;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.halogen.ir.Buffer;
import dev.halogen.ir.Type;
import dev.halogen.ir.text.IrPrinter;
import dev.halogen.passes.Target;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Catalog entry 40 (autodiff.md section 3.1): {@code random_float} is a hash of the definition's
 * coordinate, so the gradient pipeline, which re-evaluates the forward expression, sees the same
 * numbers as the forward pipeline.
 */
class AutodiffRandomTest {
  private static final List<Target> BACKENDS = List.of(INTERP, Target.of("llvm"));

  /** {@code in() = 1} (a 0-D image); {@code out(x) = 0; out(x) += random_float() * in() + r}, r over [0, 1). */
  private record Case(ImageParam in, Func out) {}

  private static Case build() {
    ImageParam in = new ImageParam("in", Type.F32, 0);
    in.set(Buffer.of(new float[] {1}));
    Var x = new Var("x");
    RDom r = new RDom(0, 1);
    Func out = new Func("out");
    out.at(x).set(0f);
    out.at(x).plusAssign(Exprs.randomFloat().times(in.at()).plus(r.x()));
    return new Case(in, out);
  }

  /** The adjoint pipeline of {@code f} holds the lowered hash, never a placeholder. */
  private static void assertNoPlaceholder(Func f) {
    String text = IrPrinter.print(new Pipeline(f).toIr());
    for (String name : List.of("random_float", "random_int", "random_uint")) assertFalse(text.contains(name), text);
    assertTrue(text.contains("let random."), text);
  }

  @Test
  void t40_randomFloat() {
    Case c = build();
    Derivative d = Gradients.propagateAdjoints(c.out(), Buffer.of(new float[] {1}, 1), new int[][] {{0, 1}});
    assertNoPlaceholder(d.of(c.in()));
    for (Target t : BACKENDS) {
      double out0 = c.out().realize(t, 1).getAsDouble(0);
      assertTrue(out0 > 0 && out0 < 1, "out(0) = random_float() at (0, 0): " + out0);
      // d(in)() = the adjoint of out(0) (1) times random_float() at (0, 0): exactly out(0)
      assertEquals(out0, d.of(c.in()).realize(t).getAsDouble(), 0, "on " + t);
    }
    fdCheck(sumLoss(c.out(), 1, false), d, c.in());
  }

  @Test
  void t40_randomFloatOverManyPoints() {
    Case c = build();
    int n = 64;
    float[] ones = new float[n];
    Arrays.fill(ones, 1);
    Derivative d = Gradients.propagateAdjoints(c.out(), Buffer.of(ones, n), new int[][] {{0, n}});
    assertNoPlaceholder(d.of(c.in()));
    for (Target t : BACKENDS) {
      Buffer out = c.out().realize(t, n);
      double sum = 0;
      for (int x = 0; x < n; x++) sum += out.getAsDouble(x);
      // 64 distinct numbers in [0, 1): their sum is about 32, and d(in) accumulates them in float32
      assertTrue(sum > 16 && sum < 48, "sum of the random values: " + sum);
      assertEquals(sum, d.of(c.in()).realize(t).getAsDouble(), 1e-4, "on " + t);
    }
    fdCheck(sumLoss(c.out(), n, false), d, c.in());
  }
}
