package dev.halogen;

import static org.junit.jupiter.api.Assertions.*;

import dev.halogen.ir.Buffer;
import dev.halogen.ir.Type;
import dev.halogen.passes.Target;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The conformance catalog of autodiff.md section 3.1 (Halide's test/correctness/autodiff.cpp):
 * each case asserts the catalog's exact values and is also checked against central differences.
 */
class AutodiffCatalogTest {
  private static final Target INTERP = Target.of("interp");

  private static void assertValues(double[] expected, Buffer b, double tol) {
    assertEquals(expected.length, b.extent(0), "extent");
    for (int i = 0; i < expected.length; i++) assertEquals(expected[i], b.getAsDouble(i), tol, "at " + i);
  }

  private static Buffer realize(Func f, int... extents) {
    return f.realize(INTERP, extents);
  }

  private static void fdCheck(Func loss, Derivative d, List<ImageParam> images, List<Param> params, double tol) {
    for (GradientCheck.Result r : GradientCheck.check(loss, d, INTERP, 1e-2, images, params)) {
      assertTrue(r.maxRelativeError() < tol, r.toString());
    }
  }

  private static Func sumLoss(Func f, int n, boolean square) {
    RDom r = new RDom(0, n);
    Func loss = new Func("loss");
    loss.at().set(0f);
    loss.at().plusAssign(square ? f.at(r.x()).times(f.at(r.x())) : f.at(r.x()));
    return loss;
  }

  @Test
  void t02_1dBoxNoClamp() {
    ImageParam in = new ImageParam("in", Type.F32, 1);
    in.set(Buffer.of(new float[] {1, 2, 3}, 3));
    Var x = new Var("x");
    Func blur = new Func("blur");
    blur.at(x).set(in.at(x).plus(in.at(x.plus(1))));
    Func loss = sumLoss(blur, 2, true);
    Derivative d = Gradients.propagateAdjoints(loss);
    assertValues(new double[] {6, 10, 0}, realize(d.of(blur), 3), 1e-6);
    // in is only 3 wide here; the catalog realizes d_in over 4: [6, 16, 10, 0].
    AdjointShapes.assertPureLhs(d.of(in));
    assertValues(new double[] {6, 16, 10, 0}, realize(d.of(in), 4), 1e-6);
    fdCheck(loss, d, List.of(in), List.of(), 1e-3);
  }

  @Test
  void t03_1dBoxClamped() {
    ImageParam in = new ImageParam("in", Type.F32, 1);
    in.set(Buffer.of(new float[] {1, 2}, 2));
    Var x = new Var("x");
    Func clamped = new Func("clamped");
    clamped.at(x).set(in.at(Exprs.clamp(x, 0, 1)));
    Func blur = new Func("blur");
    blur.at(x).set(clamped.at(x).plus(clamped.at(x.plus(1))));
    Func loss = sumLoss(blur, 2, true);
    Derivative d = Gradients.propagateAdjoints(loss);
    assertValues(new double[] {6, 8}, realize(d.of(blur), 2), 1e-6);
    AdjointShapes.assertPureLhs(d.of(clamped));
    assertValues(new double[] {6, 14, 8}, realize(d.of(clamped), 3), 1e-6);
    assertValues(new double[] {6, 22}, realize(d.of(in), 2), 1e-6);
    fdCheck(loss, d, List.of(in), List.of(), 1e-3);
  }

  @Test
  void t05_update() {
    ImageParam in = new ImageParam("in", Type.F32, 1);
    in.set(Buffer.of(new float[] {1, 2, 3}, 3));
    Var x = new Var("x");
    Func clamped = BoundaryConditions.repeatEdge(in);
    Func blur = new Func("blur");
    blur.at(x).set(clamped.at(x));
    blur.at(x).plusAssign(clamped.at(x.plus(1)));
    Func loss = sumLoss(blur, 3, true);
    Derivative d = Gradients.propagateAdjoints(loss);
    assertValues(new double[] {6, 10, 12}, realize(d.of(blur), 3), 1e-6);
    AdjointShapes.assertPureLhs(d.of(clamped));
    assertValues(new double[] {6, 16, 22}, realize(d.of(clamped), 3), 1e-6);
    fdCheck(loss, d, List.of(in), List.of(), 1e-3);
  }

  @Test
  void t06_nonlinearUpdate() {
    ImageParam in = new ImageParam("in", Type.F32, 1);
    in.set(Buffer.of(new float[] {1, 2, 3}, 3));
    Var x = new Var("x"), y = new Var("y");
    Func clamped = BoundaryConditions.repeatEdge(in);
    Func u = new Func("u");
    u.at(x, y).set(0f);
    u.at(x, 0).set(clamped.at(x));
    u.at(x, 1).set(u.at(x, 0).times(u.at(x, 0)).plus(clamped.at(x.plus(1))));
    RDom r = new RDom(0, 3);
    Func loss = new Func("loss");
    loss.at().set(0f);
    loss.at().plusAssign(u.at(r.x(), 1));
    assertEquals(22, loss.realize(INTERP).getAsDouble(), 1e-6);
    Derivative d = Gradients.propagateAdjoints(loss);
    assertValues(new double[] {2, 5, 7}, realize(d.of(clamped), 3), 1e-6);
    fdCheck(loss, d, List.of(in), List.of(), 1e-3);
  }

  @Test
  void t07_rdomConv() {
    ImageParam in = new ImageParam("in", Type.F32, 1);
    in.set(Buffer.of(new float[] {1, 2, 3, 4}, 4));
    ImageParam k = new ImageParam("k", Type.F32, 1);
    k.set(Buffer.of(new float[] {2, 1}, 2));
    Var x = new Var("x");
    Func clamped = BoundaryConditions.repeatEdge(in);
    RDom s = new RDom(0, 2);
    Func conv = new Func("conv");
    conv.at(x).plusAssign(clamped.at(x.plus(s.x())).times(k.at(s.x())));
    Func loss = sumLoss(conv, 4, true);
    Derivative d = Gradients.propagateAdjoints(loss);
    assertValues(new double[] {8, 14, 20, 24}, realize(d.of(conv), 4), 1e-6);
    AdjointShapes.assertPureLhs(d.of(clamped));
    assertValues(new double[] {16, 36, 54, 68}, realize(d.of(clamped), 4), 1e-6);
    assertValues(new double[] {192, 234}, realize(d.of(k), 2), 1e-6);
    fdCheck(loss, d, List.of(in, k), List.of(), 1e-3);
  }

  @Test
  void t29_upsampling() {
    ImageParam in = new ImageParam("in", Type.F32, 1);
    in.set(Buffer.of(new float[] {0, 1, 2, 3}, 4));
    Var x = new Var("x");
    Func out = new Func("out");
    out.at(x).set(in.at(x.div(4)));
    Func loss = sumLoss(out, 16, false);
    Derivative d = Gradients.propagateAdjoints(loss);
    AdjointShapes.assertPureLhs(d.of(in));
    assertValues(new double[] {4, 4, 4, 4}, realize(d.of(in), 4), 1e-6);
    fdCheck(loss, d, List.of(in), List.of(), 1e-3);
  }

  @Test
  void t37_param() {
    Param p = new Param("p", Type.F32, 2.0);
    ImageParam buf = new ImageParam("buf", Type.F32, 1);
    buf.set(Buffer.of(new float[] {1, 0}, 2));
    Func f = new Func("f");
    f.at().set(p.times(p).times(Exprs.cast(Type.F32, buf.dim(0).extent())).times(buf.at(0)));
    Derivative d = Gradients.propagateAdjoints(f);
    assertEquals(8, d.of(p).realize(INTERP).getAsDouble(), 1e-6);
    assertValues(new double[] {8, 0}, realize(d.of(buf), 2), 1e-6);
    fdCheck(f, d, List.of(buf), List.of(p), 1e-3);
  }
}
