package dev.halogen;

import static org.junit.jupiter.api.Assertions.*;

import dev.halogen.ir.Buffer;
import dev.halogen.ir.Type;
import dev.halogen.passes.Target;
import java.util.List;
import org.junit.jupiter.api.Test;

/** More of the catalog of autodiff.md section 3.1: boundary conditions, transposes, sparse and predicated updates. */
class AutodiffGraphTest {
  private static final Target INTERP = Target.of("interp");

  private static void assertValues(double[] expected, Buffer b) {
    for (int i = 0; i < expected.length; i++) assertEquals(expected[i], b.getAsDouble(i), 1e-5, "at " + i);
  }

  private static Func sum(Func f, int n) {
    RDom r = new RDom(0, n);
    Func loss = new Func("loss");
    loss.at().set(0f);
    loss.at().plusAssign(f.at(r.x()));
    return loss;
  }

  private static void fd(Func loss, Derivative d, ImageParam... in) {
    for (GradientCheck.Result r : GradientCheck.check(loss, d, INTERP, 1e-2, List.of(in), List.of())) {
      assertTrue(r.maxRelativeError() < 1e-3, r.toString());
    }
  }

  private static double[] boundary(java.util.function.Function<ImageParam, Func> bc) {
    ImageParam in = new ImageParam("in", Type.F32, 1);
    in.set(Buffer.of(new float[] {1, 2}, 2));
    Var x = new Var("x");
    Func c = bc.apply(in);
    Func blur = new Func("blur");
    blur.at(x).set(c.at(x).plus(c.at(x.plus(1))));
    Func loss = sum(blur, 3);
    Derivative d = Gradients.propagateAdjoints(loss);
    fd(loss, d, in);
    return toDoubles(d.of(in).realize(INTERP, 2));
  }

  private static double[] toDoubles(Buffer b) {
    double[] out = new double[b.extent(0)];
    for (int i = 0; i < out.length; i++) out[i] = b.getAsDouble(i);
    return out;
  }

  @Test
  void t18to22_boundaryConditions() {
    assertArrayEquals(new double[] {1, 5}, boundary(BoundaryConditions::repeatEdge), 1e-6);
    assertArrayEquals(new double[] {1, 2}, boundary(in -> BoundaryConditions.constantExterior(in, Expr.of(0f))), 1e-6);
    assertArrayEquals(new double[] {3, 3}, boundary(BoundaryConditions::repeatImage), 1e-6);
    assertArrayEquals(new double[] {2, 4}, boundary(BoundaryConditions::mirrorImage), 1e-6);
    assertArrayEquals(new double[] {3, 3}, boundary(BoundaryConditions::mirrorInterior), 1e-6);
  }

  @Test
  void t10_1dTo2d() {
    ImageParam in = new ImageParam("in", Type.F32, 1);
    in.set(Buffer.of(new float[] {1, 2}, 2));
    Var x = new Var("x"), y = new Var("y");
    Func out = new Func("out");
    out.at(x, y).set(Exprs.cast(Type.F32, x.plus(1)).times(in.at(y)));
    RDom r = new RDom(0, 2, 0, 2);
    Func loss = new Func("loss");
    loss.at().set(0f);
    loss.at().plusAssign(out.at(r.x(), r.y()).times(out.at(r.x(), r.y())));
    Derivative d = Gradients.propagateAdjoints(loss);
    Buffer dOut = d.of(out).realize(INTERP, 2, 2);
    assertEquals(2, dOut.getAsDouble(0, 0), 1e-6);
    assertEquals(4, dOut.getAsDouble(1, 0), 1e-6);
    assertEquals(4, dOut.getAsDouble(0, 1), 1e-6);
    assertEquals(8, dOut.getAsDouble(1, 1), 1e-6);
    AdjointShapes.assertPureLhs(d.of(in));
    assertValues(new double[] {10, 20}, d.of(in).realize(INTERP, 2));
    fd(loss, d, in);
  }

  @Test
  void t13_sparseUpdate() {
    ImageParam in = new ImageParam("in", Type.F32, 1);
    in.set(Buffer.of(new float[] {1, 2, 3}, 3));
    Var x = new Var("x");
    Func fin = new Func("fin");
    fin.at(x).set(in.at(x));
    Func out = new Func("out");
    out.at(x).set(fin.at(x));
    out.at(1).set(0f);
    out.at(2).set(fin.at(1).times(2));
    Func loss = sum(out, 3);
    Derivative d = Gradients.propagateAdjoints(loss);
    assertValues(new double[] {1, 2, 0}, d.of(in).realize(INTERP, 3));
    fd(loss, d, in);
  }

  @Test
  void t17_rdomUpdate() {
    ImageParam in = new ImageParam("in", Type.F32, 1);
    in.set(Buffer.of(new float[] {1, 2, 3}, 3));
    Var x = new Var("x");
    Func out = new Func("out");
    out.at(x).set(in.at(x));
    RDom r0 = new RDom(1, 2), r1 = new RDom(3, 4);
    out.at(r0.x()).set(in.at(r0.x().minus(1)));
    out.at(r1.x()).set(0f);
    Func loss = sum(out, 5);
    Derivative d = Gradients.propagateAdjoints(loss);
    assertValues(new double[] {2, 1, 0}, d.of(in).realize(INTERP, 3));
    // No finite-difference check: the forward pure definition out(x) = in(x) is computed over
    // [0, 6] (the region the updates write), beyond the 3-element input, as in the catalog.
  }

  @Test
  void t25_implicitVars() {
    ImageParam in = new ImageParam("in", Type.F32, 1);
    in.set(Buffer.of(new float[] {1, 2}, 2));
    Func copy = new Func("copy");
    copy.at(Var.IMPLICIT).set(in.at(Var.IMPLICIT));
    Func loss = sum(copy, 2);
    Derivative d = Gradients.propagateAdjoints(loss);
    AdjointShapes.assertPureLhs(d.of(in));
    assertValues(new double[] {1, 1}, d.of(in).realize(INTERP, 2));
    AdjointShapes.assertPureLhs(d.of(copy));
    assertValues(new double[] {1, 1}, d.of(copy).realize(INTERP, 2));
    fd(loss, d, in);
  }

  @Test
  void t30_transpose() {
    ImageParam in = new ImageParam("in", Type.F32, 2), target = new ImageParam("target", Type.F32, 2);
    float[] a = new float[25], t = new float[25];
    for (int j = 0; j < 5; j++) for (int i = 0; i < 5; i++) {
      a[i + 5 * j] = i + j;
      t[i + 5 * j] = i * j;
    }
    in.set(Buffer.of(a, 5, 5));
    target.set(Buffer.of(t, 5, 5));
    Var x = new Var("x"), y = new Var("y");
    Func out = new Func("out");
    out.at(x, y).set(in.at(y, x));
    RDom r = new RDom(0, 5, 0, 5);
    Func loss = new Func("loss");
    loss.at().set(0f);
    loss.at().plusAssign(Exprs.pow(out.at(r.x(), r.y()).minus(target.at(r.x(), r.y())), Expr.of(2f)));
    Derivative d = Gradients.propagateAdjoints(loss);
    Buffer g = d.of(in).realize(INTERP, 5, 5);
    for (int j = 0; j < 5; j++) for (int i = 0; i < 5; i++) assertEquals(2 * ((i + j) - j * i), g.getAsDouble(i, j), 1e-5);
    fd(loss, d, in);
  }

  @Test
  void t32_rdomPredicate() {
    AdTestSupport.DoubledDisk disk = AdTestSupport.doubledDisk();
    ImageParam in = disk.in();
    Func circle = disk.circle();
    RDom s = new RDom(0, 7, 0, 7);
    Func loss = new Func("loss");
    loss.at().set(0f);
    loss.at().plusAssign(circle.at(s.x(), s.y()));
    Derivative d = Gradients.propagateAdjoints(loss);
    Buffer g = d.of(in).realize(INTERP, 7, 7);
    for (int j = 0; j < 7; j++) for (int i = 0; i < 7; i++) {
      boolean inside = (i - 3) * (i - 3) + (j - 3) * (j - 3) <= 10;
      assertEquals(inside ? 2 : 1, g.getAsDouble(i, j), 1e-6, i + "," + j);
    }
    fd(loss, d, in);
  }
}
