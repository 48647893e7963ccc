package dev.halogen;

import static dev.halogen.AdTestSupport.INTERP;
import static dev.halogen.AdTestSupport.assertValues;
import static org.junit.jupiter.api.Assertions.*;

import dev.halogen.ir.Buffer;
import dev.halogen.passes.PrintOutput;
import dev.halogen.passes.Target;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Catalog entry 39 (autodiff.md section 3.1, print) and gradients through prints: a print gives its
 * value, so its derivative is the value's; the printed arguments get none. The forward run prints.
 */
class AutodiffPrintTest {
  private static final Target LLVM = Target.of("llvm");

  @Test
  void t39_print() {
    float v = new Random(39).nextFloat(); // the catalog's rand()
    ImageParam in = AdTestSupport.image("in", v);
    RDom r = new RDom(0, 1);
    Func out = new Func("out");
    out.at().set(0f);
    out.at().plusAssign(Exprs.print(in.at(r.x())));
    try (PrintOutput.Capture c = PrintOutput.capture()) {
      for (Target t : List.of(INTERP, LLVM)) {
        List<String> before = c.lines();
        assertEquals(v, out.realize(t).getAsDouble(), 0, t.toString());
        assertEquals(List.of(Float.toString(v)), c.lines().subList(before.size(), c.lines().size()), t + ": the forward run's line");
      }
      Derivative d = Gradients.propagateAdjoints(out);
      for (Target t : List.of(INTERP, LLVM)) assertValues(new double[] {1}, d.of(in).realize(t, 1), 0);
      AdTestSupport.fdCheck(out, d, in);
    }
  }

  @Test
  void gradientThroughAPrintInsideALargerExpression() {
    float[] values = {0.5f, 1f, 2f};
    ImageParam in = AdTestSupport.image("in", values);
    Var x = new Var("x");
    Func f = new Func("f");
    // The printed extra argument in(x) * 100 gets no gradient.
    f.at(x).set(Exprs.sin(Exprs.print(in.at(x), "scaled", in.at(x).times(100))).times(3));
    Func loss = AdTestSupport.sumLoss(f, 3, false);
    try (PrintOutput.Capture c = PrintOutput.capture()) {
      assertEquals(3 * (Math.sin(0.5) + Math.sin(1) + Math.sin(2)), loss.realize(INTERP).getAsDouble(), 1e-5);
      assertEquals(List.of("0.5 scaled 50.0", "1.0 scaled 100.0", "2.0 scaled 200.0"), c.lines());
      Derivative d = Gradients.propagateAdjoints(loss);
      double[] expected = {3 * Math.cos(0.5), 3 * Math.cos(1), 3 * Math.cos(2)};
      for (Target t : List.of(INTERP, LLVM)) assertValues(expected, d.of(in).realize(t, 3), 1e-5);
      AdTestSupport.fdCheck(loss, d, in);
    }
  }

  @Test
  void forwardModeThroughPrintAndPrintWhen() {
    ImageParam in = AdTestSupport.image("in", 0.5f, 1f, 2f);
    Var x = new Var("x");
    Func f = new Func("f");
    Expr v = in.at(x);
    // d/dt of print(v)^2 + print_when(v > 1, 4 v) along t = [1, 10, 100]: (2 v + 4) t
    f.at(x).set(Exprs.print(v).times(Exprs.print(v)).plus(Exprs.printWhen(v.gt(1f), v.times(4), "big")));
    Func t = Gradients.propagateTangents(f, Tangents.of().with(in, Buffer.of(new float[] {1, 10, 100}, 3)));
    try (PrintOutput.Capture c = PrintOutput.capture()) {
      for (Target target : List.of(INTERP, LLVM)) assertValues(new double[] {5, 60, 800}, t.realize(target, 3), 1e-4);
    }
  }
}
