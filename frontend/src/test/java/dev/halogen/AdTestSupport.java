package dev.halogen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.halogen.ir.Buffer;
import dev.halogen.ir.Type;
import dev.halogen.passes.Target;
import java.util.List;

/** What the autodiff catalog tests share: realizing adjoints, comparing values, the finite-difference check. */
final class AdTestSupport {
  private AdTestSupport() {}

  static final Target INTERP = Target.of("interp");
  static final Target LLVM = Target.of("llvm");

  /** {@code b} (one-dimensional, from 0) holds {@code expected}, within {@code tol}. */
  static void assertValues(double[] expected, Buffer b, double tol) {
    assertEquals(expected.length, b.extent(0), "extent");
    for (int i = 0; i < expected.length; i++) assertEquals(expected[i], b.getAsDouble(i), tol, "at " + i);
  }

  /** {@code b} (two-dimensional, from 0) holds {@code expected[y][x]} at {@code (x, y)}, within {@code tol}. */
  static void assertValues(double[][] expected, Buffer b, double tol) {
    assertEquals(expected.length, b.extent(1), "extent of dimension 1");
    for (int y = 0; y < expected.length; y++) {
      assertEquals(expected[y].length, b.extent(0), "extent of dimension 0");
      for (int x = 0; x < expected[y].length; x++) assertEquals(expected[y][x], b.getAsDouble(x, y), tol, "at " + x + "," + y);
    }
  }

  /** Central differences (step {@code h}) agree with the gradients of every image and param within relative {@code tol}. */
  static void fdCheck(Func loss, Derivative d, List<ImageParam> images, List<Param> params, double h, double tol) {
    for (GradientCheck.Result r : GradientCheck.check(loss, d, INTERP, h, images, params)) {
      assertTrue(r.maxRelativeError() < tol, r.toString());
    }
  }

  static void fdCheck(Func loss, Derivative d, ImageParam... images) {
    fdCheck(loss, d, List.of(images), List.of(), 1e-2, 1e-3);
  }

  /** {@code loss() = sum over r < n of f(r)}, or of {@code f(r)^2}. */
  static Func sumLoss(Func f, int n, boolean square) {
    RDom r = new RDom(0, n);
    Func loss = new Func("loss");
    loss.at().set(0f);
    loss.at().plusAssign(square ? f.at(r.x()).times(f.at(r.x())) : f.at(r.x()));
    return loss;
  }

  /** A float32 image of the given values, bound to a new ImageParam. */
  static ImageParam image(String name, float... values) {
    ImageParam p = new ImageParam(name, Type.F32, 1);
    p.set(Buffer.of(values, values.length));
    return p;
  }

  /** Catalog 32's pipeline: {@code circle(x, y) = in(x, y)} with {@code in(i, j) = i + j} (7 x 7), doubled on a disk by an RDom with a predicate. */
  record DoubledDisk(ImageParam in, RDom r, Func circle) {}

  static DoubledDisk doubledDisk() {
    ImageParam in = new ImageParam("in", Type.F32, 2);
    float[] a = new float[49];
    for (int j = 0; j < 7; j++) for (int i = 0; i < 7; i++) a[i + 7 * j] = i + j;
    in.set(Buffer.of(a, 7, 7));
    Var x = new Var("x"), y = new Var("y");
    RDom r = new RDom(0, 7, 0, 7);
    r.where(r.x().minus(3).times(r.x().minus(3)).plus(r.y().minus(3).times(r.y().minus(3))).le(10));
    Func circle = new Func("circle");
    circle.at(x, y).set(in.at(x, y));
    circle.at(r.x(), r.y()).timesAssign(2f);
    return new DoubledDisk(in, r, circle);
  }
}
