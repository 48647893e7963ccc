package dev.halogen;

import static org.junit.jupiter.api.Assertions.*;

import dev.halogen.ir.Buffer;
import dev.halogen.ir.Type;
import dev.halogen.passes.Target;
import org.junit.jupiter.api.Test;

/**
 * Second derivatives (autodiff.md catalog 23 and 24): an adjoint Func is an ordinary Func, so a
 * loss built from it can be differentiated again. Besides the catalog's values, each second
 * derivative is compared with central differences of first-derivative realizations.
 */
class AutodiffSecondOrderTest {
  private static final Target INTERP = Target.of("interp");

  private static void assertValues(double[] expected, Buffer b, double tol) {
    assertEquals(expected.length, b.extent(0), "extent");
    for (int i = 0; i < expected.length; i++) assertEquals(expected[i], b.getAsDouble(i), tol, "at " + i);
  }

  @Test
  void t23_secondOrder() {
    Param in = new Param("in", Type.F32, 1.0);
    Func p = new Func("p");
    p.at().set(in.times(in).plus(in.times(3)).plus(4));
    Derivative d = Gradients.propagateAdjoints(p);
    Func dIn = d.of(in);
    // p' = 2 in + 3 = 5 and p'' = 2 at in = 1.
    assertEquals(5, dIn.realize(INTERP).getAsDouble(), 1e-6);
    Derivative d2 = Gradients.propagateAdjoints(dIn);
    Func d2In = d2.of(in);
    assertEquals(2, d2In.realize(INTERP).getAsDouble(), 1e-6);
    // The second derivative is the difference quotient of the first derivative.
    double h = 1e-2;
    in.set(1 + h);
    double up = dIn.realize(INTERP).getAsDouble();
    in.set(1 - h);
    double down = dIn.realize(INTERP).getAsDouble();
    in.set(1.0);
    assertEquals((up - down) / (2 * h), d2In.realize(INTERP).getAsDouble(), 1e-3);
  }

  @Test
  void t23_secondOrderOfAFunc() {
    // Halide's form: in is a Func without dimensions (in() = 1), so the second derivative goes
    // through the adjoint Funcs of the Funcs of the first derivative.
    Func in = new Func("in");
    in.at().set(1f);
    Func p = new Func("p");
    p.at().set(in.at().times(in.at()).plus(in.at().times(3)).plus(4));
    Derivative d = Gradients.propagateAdjoints(p);
    Func dIn = d.of(in);
    assertEquals(5, dIn.realize(INTERP).getAsDouble(), 1e-6);
    Derivative d2 = Gradients.propagateAdjoints(dIn);
    assertEquals(2, d2.of(in).realize(INTERP).getAsDouble(), 1e-6);
  }

  /**
   * The first derivative of an upsampling has an update over the preimages of {@code x / 2} (a
   * reduction domain), so the second pass differentiates an adjoint Func with a reduction update.
   */
  @Test
  void secondOrderThroughAReductionUpdate() {
    ImageParam in = new ImageParam("in", Type.F32, 1);
    in.set(Buffer.of(new float[] {1, 2, 3, 4}, 4));
    Var x = new Var("x");
    Func out = new Func("out");
    Expr v = in.at(x.div(2));
    out.at(x).set(v.times(v).times(v));
    RDom r = new RDom(0, 8);
    Func loss = new Func("loss");
    loss.at().set(0f);
    loss.at().plusAssign(out.at(r.x()));
    Derivative d = Gradients.propagateAdjoints(loss);
    Func dIn = d.of(in);
    // Two points of out read each in(i): d_in = 2 * 3 in^2.
    assertValues(new double[] {6, 24, 54, 96}, dIn.realize(INTERP, 4), 1e-4);
    RDom q = new RDom(0, 4);
    Func loss1 = new Func("loss1");
    loss1.at().set(0f);
    loss1.at().plusAssign(dIn.at(q.x()));
    Derivative d2 = Gradients.propagateAdjoints(loss1);
    assertValues(new double[] {12, 24, 36, 48}, d2.of(in).realize(INTERP, 4), 1e-4);
    GradientCheck.Result res = GradientCheck.check(loss1, d2, INTERP, 1e-2, java.util.List.of(in), java.util.List.of()).getFirst();
    assertTrue(res.maxRelativeError() < 1e-3, res.toString());
  }

  /**
   * Catalog 24. loss0 = sum over [0, 9) of (conv - target)^2 where conv is a 3-tap box of the
   * repeat-edge input; loss1 = sum over [0, 9) of d loss0 / d in; the second derivative is d
   * loss1 / d in. Upstream checks d_in(0) = d_conv(0) + d_conv(1) (Q10); the true formula with
   * repeat_edge is 2 d_conv(0) + d_conv(1), asserted here (the data make both 0.2).
   */
  @Test
  void t24_secondOrderConv() {
    ImageParam in = new ImageParam("in", Type.F32, 1);
    ImageParam target = new ImageParam("target", Type.F32, 1);
    float[] inData = new float[10], targetData = new float[10];
    for (int i = 0; i < 10; i++) {
      inData[i] = i / 10f;
      targetData[i] = (i + 1) / 10f;
    }
    in.set(Buffer.of(inData, 10));
    target.set(Buffer.of(targetData, 10));
    ImageParam k = new ImageParam("k", Type.F32, 1);
    k.set(Buffer.of(new float[] {1, 1, 1}, 3));
    Var x = new Var("x");
    Func c = BoundaryConditions.repeatEdge(in);
    RDom rc = new RDom(0, 3);
    Func conv = new Func("conv");
    conv.at(x).plusAssign(c.at(x.plus(rc.x()).minus(1)).times(k.at(rc.x())));
    RDom rl = new RDom(0, 9);
    Func loss0 = new Func("loss0");
    loss0.at().set(0f);
    loss0.at().plusAssign(Exprs.pow(conv.at(rl.x()).minus(target.at(rl.x())), 2f));
    Derivative d = Gradients.propagateAdjoints(loss0);

    Buffer dConv = d.of(conv).realize(INTERP, 9);
    assertValues(new double[] {0, .2, .6, 1, 1.4, 1.8, 2.2, 2.6, 3}, dConv, 1e-5);
    Func dIn = d.of(in);
    Buffer dInValues = dIn.realize(INTERP, 10);
    double[] dc = new double[9];
    for (int i = 0; i < 9; i++) dc[i] = dConv.getAsDouble(i);
    double[] expectedDIn = new double[10];
    expectedDIn[0] = 2 * dc[0] + dc[1];
    for (int i = 1; i <= 7; i++) expectedDIn[i] = dc[i - 1] + dc[i] + dc[i + 1];
    expectedDIn[8] = dc[7] + dc[8];
    expectedDIn[9] = dc[8];
    assertValues(expectedDIn, dInValues, 1e-5);
    assertValues(new double[] {0.2, 0.8, 1.8, 3, 4.2, 5.4, 6.6, 7.8, 5.6, 3}, dInValues, 1e-5);

    Func loss1 = new Func("loss1");
    loss1.at().set(0f);
    loss1.at().plusAssign(dIn.at(rl.x()));
    Derivative d2 = Gradients.propagateAdjoints(loss1);
    Buffer d2Conv = d2.of(conv).realize(INTERP, 9);
    assertValues(new double[] {6, 6, 6, 6, 6, 6, 6, 6, 4}, d2Conv, 1e-5);
    // d2_in(0) = 2 d2c0 + d2c1 (repeat_edge), 3 taps inside, d2c7 + d2c8 and d2c8 at the end.
    assertValues(new double[] {18, 18, 18, 18, 18, 18, 18, 16, 10, 4}, d2.of(in).realize(INTERP, 10), 1e-5);

    // loss1 = sum of the first derivative, so d2.of(in) is its gradient: central differences of
    // realizations of the first derivative.
    GradientCheck.Result r = GradientCheck.check(loss1, d2, INTERP, 1e-2, java.util.List.of(in), java.util.List.of()).getFirst();
    assertTrue(r.maxRelativeError() < 1e-3, r.toString());
  }
}
