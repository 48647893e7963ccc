package dev.halogen;

import static dev.halogen.AdTestSupport.INTERP;
import static dev.halogen.AdTestSupport.LLVM;
import static dev.halogen.AdTestSupport.assertValues;
import static org.junit.jupiter.api.Assertions.*;

import dev.halogen.ir.Buffer;
import dev.halogen.ir.Type;
import dev.halogen.passes.Target;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Updates whose iterations depend on one another (autodiff.md section 0, Q6 and "nonlinear updates
 * that overwrite values"): scans, folds such as {@code maximum} and {@code product}, and repeated
 * nonlinear updates. Each gradient is the derivative of the sequential forward program: exact
 * values, a central-difference check, and the gradient Funcs run on both interp and llvm.
 */
class AutodiffScanTest {

  /** {@code f} over {@code [0, extents)} on interp, checked against the same on llvm. */
  private static Buffer realize(Func f, int... extents) {
    Buffer a = f.realize(INTERP, extents);
    Buffer b = f.realize(LLVM, extents);
    a.forEachCoordinate(c -> assertEquals(a.getAsDouble(c), b.getAsDouble(c), 1e-6 * Math.max(1, Math.abs(a.getAsDouble(c))),
        f.name() + " interp vs llvm at " + java.util.Arrays.toString(c)));
    return a;
  }

  private static void fdCheck(Func loss, Derivative d, double h, double tol, ImageParam... images) {
    fdCheck(INTERP, loss, d, h, tol, images);
  }

  private static void fdCheck(Target target, Func loss, Derivative d, double h, double tol, ImageParam... images) {
    for (GradientCheck.Result r : GradientCheck.check(loss, d, target, h, List.of(images), List.of())) {
      assertTrue(r.maxRelativeError() < tol, r.toString());
    }
  }

  private static ImageParam input(String name, float... values) {
    ImageParam in = new ImageParam(name, Type.F32, 1);
    in.set(Buffer.of(values, values.length));
    return in;
  }

  /** loss() = sum over r in [0, n) of f(r), each term times r + 1 when {@code weighted}. */
  private static Func sum(Func f, int n, boolean weighted) {
    RDom r = new RDom(0, n);
    Func loss = new Func("loss");
    loss.at().set(0f);
    Expr term = f.at(r.x()).call();
    loss.at().plusAssign(weighted ? term.times(Exprs.cast(Type.F32, r.x().plus(1))) : term);
    return loss;
  }

  private static Func sum(Func f, int n) {
    return sum(f, n, false);
  }

  @Test
  void t08_hornerPolynomial() {
    float[] c = new float[8];
    for (int i = 0; i < 8; i++) c[i] = i + 1;
    ImageParam coeffs = input("coeffs", c);
    Var x = new Var("x"), y = new Var("y");
    RDom r = new RDom(0, 8);
    Expr fx = Exprs.cast(Type.F32, x).div(1023f);
    Func p = new Func("p");
    p.at(x, y).set(0f);
    p.at(x, Expr.of(7).minus(r.x())).set(p.at(x, Expr.of(8).minus(r.x())).times(fx).plus(coeffs.at(r.x())));
    RDom rd = new RDom(0, 1024);
    Func loss = new Func("loss");
    loss.at().set(0f);
    loss.at().plusAssign(p.at(rd.x(), 0).div(1024f));
    Derivative d = Gradients.propagateAdjoints(loss);
    double[] expected = new double[8];
    for (int i = 0; i < 8; i++) {
      for (int j = 0; j < 1024; j++) expected[i] += Math.pow(j / 1023.0, 7 - i) / 1024;
    }
    // The catalog's rounded values.
    assertArrayEquals(new double[] {0.125367, 0.143206, 0.166993, 0.200293, 0.250244, 0.333496, 0.5, 1.0}, expected, 1e-6);
    assertValues(expected, realize(d.of(coeffs), 8), 1e-5);
    // The loss is linear in coeffs, so a large step only reduces float32 rounding in the difference
    // (on llvm: 16 runs over 1024 samples).
    fdCheck(LLVM, loss, d, 0.5, 1e-4, coeffs);
  }

  @Test
  void t09_nonlinearOrderDependentRdom() {
    ImageParam in = input("in", 2, 3);
    Var x = new Var("x"), y = new Var("y");
    RDom r = new RDom(0, 2);
    Func f = new Func("f");
    f.at(x, y).set(0f);
    f.at(x, 0).set(in.at(x));
    f.at(x, r.x().plus(1)).set(f.at(x, r.x()).times(f.at(x, r.x())).plus(in.at(r.x())));
    RDom s = new RDom(0, 2);
    Func loss = new Func("loss");
    loss.at().set(0f);
    loss.at().plusAssign(f.at(s.x(), 2));
    assertEquals(163, loss.realize(INTERP).getAsDouble(), 0);
    Derivative d = Gradients.propagateAdjoints(loss);
    // f(0, .) = 2, 6, 39 and f(1, .) = 3, 11, 124; the catalog's manual backpropagation gives [82, 134].
    assertValues(new double[] {82, 134}, realize(d.of(in), 2), 1e-4);
    fdCheck(loss, d, 1e-3, 1e-3, in);
  }

  @Test
  void q6_reverseScanHasTheSequentialGradient() {
    // rev(r) = rev(4 - r) runs in order r = 0..4: rev(3) and rev(4) read values rev(1) and rev(0)
    // were just given, so rev = [in4, in3, in2, in3, in4] = [4, 3, 2, 3, 4] and the loss is 48.
    // Upstream (and its catalog entry 33) asserts [5, 4, 3, 2, 1], the gradient of a true
    // reversal; the derivative of what the pipeline computes is [0, 0, 3, 6, 6].
    ImageParam in = input("in", 0, 1, 2, 3, 4);
    Var x = new Var("x");
    RDom r = new RDom(0, 5);
    Func rev = new Func("rev");
    rev.at(x).set(in.at(x));
    rev.at(r.x()).set(rev.at(Expr.of(4).minus(r.x())));
    Func loss = sum(rev, 5, true);
    assertValues(new double[] {4, 3, 2, 3, 4}, realize(rev, 5), 0);
    assertEquals(48, loss.realize(INTERP).getAsDouble(), 0);
    Derivative d = Gradients.propagateAdjoints(loss);
    assertValues(new double[] {0, 0, 3, 6, 6}, realize(d.of(in), 5), 0);
    fdCheck(loss, d, 1e-2, 1e-4, in);
  }

  @Test
  void p5c_linearScan() {
    // f(x, r + 1) = 2 f(x, r) + in(r): f(0, 4) = 8 in0 + 4 in1 + 2 in2 + in3 (Halide 14 agrees).
    ImageParam in = input("in", 1, 2, 3, 4);
    Var x = new Var("x"), y = new Var("y");
    RDom r = new RDom(0, 4);
    Func f = new Func("f");
    f.at(x, y).set(0f);
    f.at(x, r.x().plus(1)).set(f.at(x, r.x()).times(2).plus(in.at(r.x())));
    Func loss = new Func("loss");
    loss.at().set(f.at(0, 4));
    assertEquals(26, loss.realize(INTERP).getAsDouble(), 0);
    Derivative d = Gradients.propagateAdjoints(loss);
    assertValues(new double[] {8, 4, 2, 1}, realize(d.of(in), 4), 0);
    fdCheck(loss, d, 1e-2, 1e-4, in);
  }

  @Test
  void p5a_repeatedSquaringIsStoredNotRefused() {
    // f(x) = in(x); f(x) = f(x) * f(x) three times (an RDom that revisits every point): f = in^8,
    // d in = 8 in^7. Halide 14 refuses ("Use a scan").
    ImageParam in = input("in", 1, 0.5f, -1.25f);
    Var x = new Var("x");
    RDom r = new RDom(0, 3);
    Func f = new Func("f");
    f.at(x).set(in.at(x));
    f.at(x).set(f.at(x).times(f.at(x)).plus(Exprs.cast(Type.F32, r.x()).times(0f)));
    Func loss = sum(f, 3);
    Derivative d = Gradients.propagateAdjoints(loss);
    double[] expected = {8, 8 * Math.pow(0.5, 7), 8 * Math.pow(-1.25, 7)};
    assertValues(expected, realize(d.of(in), 3), 1e-5);
    fdCheck(loss, d, 1e-3, 1e-3, in);
  }

  @Test
  void p5b_linearRecurrenceOverOnePoint() {
    // f(x) = 0; f(x) = 2 f(x) + in(r): f = 4 in0 + 2 in1 + in2 for every x; the loss sums 3 points.
    // Halide 14 refuses ("Use a scan").
    ImageParam in = input("in", 1, 2, 3);
    Var x = new Var("x");
    RDom r = new RDom(0, 3);
    Func f = new Func("f");
    f.at(x).set(0f);
    f.at(x).set(f.at(x).times(2).plus(in.at(r.x())));
    Func loss = sum(f, 3);
    assertEquals(3 * 11, loss.realize(INTERP).getAsDouble(), 0);
    Derivative d = Gradients.propagateAdjoints(loss);
    assertValues(new double[] {12, 6, 3}, realize(d.of(in), 3), 0);
    fdCheck(loss, d, 1e-2, 1e-4, in);
  }

  @Test
  void nonlinearUpdateReadsTheValueBeforeIt() {
    // f(x) = in(x); f(x) = f(x) * f(x) (no RDom): the adjoint must read in(x), not the final f(x) = in(x)^2.
    ImageParam in = input("in", 3, -2);
    Var x = new Var("x");
    Func f = new Func("f");
    f.at(x).set(in.at(x));
    f.at(x).set(f.at(x).times(f.at(x)));
    Func loss = sum(f, 2);
    Derivative d = Gradients.propagateAdjoints(loss);
    assertValues(new double[] {6, -4}, realize(d.of(in), 2), 0);
    fdCheck(loss, d, 1e-2, 1e-4, in);
  }

  @Test
  void laterUpdateOverwritesAValueAnEarlierOneRead() {
    // f(0) = f(1)^2 reads in(1); then f(1) = 0 overwrites it. d in = [0, 2 in1 + 0, 1].
    ImageParam in = input("in", 5, 3, 7);
    Var x = new Var("x");
    Func f = new Func("f");
    f.at(x).set(in.at(x));
    f.at(0).set(f.at(1).times(f.at(1)));
    f.at(1).set(0f);
    Func loss = sum(f, 3);
    assertEquals(9 + 0 + 7, loss.realize(INTERP).getAsDouble(), 0);
    Derivative d = Gradients.propagateAdjoints(loss);
    assertValues(new double[] {0, 6, 1}, realize(d.of(in), 3), 0);
    fdCheck(loss, d, 1e-2, 1e-4, in);
  }

  @Test
  void p9_maximumGoesToTheFirstArgmax() {
    // Halide 14 refuses maximum(); here the gradient flows to the one element that is the maximum.
    ImageParam in = input("in", 1, 5, 3, 5, 2);
    RDom r = new RDom(0, 5);
    Func m = new Func("m");
    m.at().set(Exprs.maximum(in.at(r.x())));
    Derivative d = Gradients.propagateAdjoints(m);
    // A tie: exactly one element receives it (the first, as max(a, b) gives a tie to a, the running maximum).
    assertValues(new double[] {0, 1, 0, 0, 0}, realize(d.of(in), 5), 0);
    ImageParam distinct = input("distinct", 1, 5, 3, 4, 2);
    Func m2 = new Func("m2");
    RDom r2 = new RDom(0, 5);
    m2.at().set(Exprs.maximum(distinct.at(r2.x())).times(Exprs.minimum(distinct.at(r2.x()))));
    Derivative d2 = Gradients.propagateAdjoints(m2);
    // max * min = 5 * 1: d in0 = 5, d in1 = 1.
    assertValues(new double[] {5, 1, 0, 0, 0}, realize(d2.of(distinct), 5), 0);
    fdCheck(m2, d2, 1e-2, 1e-4, distinct);
  }

  @Test
  void argmaxIsATupleFold() {
    // Halide 14 refuses argmax; its value's gradient goes to the first point that is largest, and
    // its coordinate (an int) carries none.
    ImageParam in = input("in", 1, 3, -2, 3, 0.5f, 2);
    RDom r = new RDom(0, 6);
    Func g = new Func("g");
    Var x = new Var("x");
    g.at(x).set(in.at(x).times(in.at(x)));
    FuncRef am = Exprs.argmax(g.at(r.x()));
    Func loss = new Func("loss");
    loss.at().set(am.get(1).times(Exprs.cast(Type.F32, am.get(0).plus(1))));
    // g = [1, 9, 4, 9, 0.25, 4]: the first 9 is at 1, so loss = 9 * 2 and d in1 = 2 * in1 * 2.
    assertEquals(18, loss.realize(INTERP).getAsDouble(), 0);
    Derivative d = Gradients.propagateAdjoints(loss);
    assertValues(new double[] {0, 12, 0, 0, 0, 0}, realize(d.of(in), 6), 0);
    ImageParam distinct = input("distinct", 1, -3, 2.5f, 0.5f);
    RDom s = new RDom(0, 4);
    FuncRef am2 = Exprs.argmin(Exprs.sin(distinct.at(s.x())));
    Func loss2 = new Func("loss2");
    loss2.at().set(am2.get(1));
    Derivative d2 = Gradients.propagateAdjoints(loss2);
    // sin is smallest at -3 (sin(-3) = -0.141) among {1, -3, 2.5, 0.5}: d = cos(-3) there.
    assertValues(new double[] {0, Math.cos(-3), 0, 0}, realize(d2.of(distinct), 4), 1e-6);
    fdCheck(loss2, d2, 1e-3, 1e-3, distinct);
  }

  /** The recurrence of {@link #tupleScanCouplesItsValues} in plain Java: the loss for inputs {@code in}. */
  private static double coupledRecurrenceLoss(double[] in) {
    double a = in[0], b = 1;
    for (int r = 1; r < in.length; r++) {
      double na = a * b + in[r];
      double nb = b * 2 - a;
      a = na;
      b = nb;
    }
    return a + 3 * b;
  }

  @Test
  void tupleScanCouplesItsValues() {
    float[] values = {0.5f, 2, -1, 1.5f, 0.75f};
    ImageParam in = input("in", values);
    Var x = new Var("x");
    Func f = new Func("f");
    f.at(x).set(Tuple.of(in.at(x), Expr.of(1f), Expr.of(0)));
    RDom r = new RDom(1, values.length - 1);
    FuncRef prev = f.at(r.x().minus(1));
    // Two float values that feed each other, and an int counter that carries no gradient.
    f.at(r.x()).set(Tuple.of(prev.get(0).times(prev.get(1)).plus(in.at(r.x())), prev.get(1).times(2f).minus(prev.get(0)),
        prev.get(2).plus(1)));
    int last = values.length - 1;
    Func loss = new Func("loss");
    loss.at().set(f.at(last).get(0).plus(f.at(last).get(1).times(3f)).plus(Exprs.cast(Type.F32, f.at(last).get(2))));
    double[] in64 = new double[values.length];
    for (int i = 0; i < values.length; i++) in64[i] = values[i];
    assertEquals(coupledRecurrenceLoss(in64) + last, loss.realize(INTERP).getAsDouble(), 1e-5);
    Derivative d = Gradients.propagateAdjoints(loss);
    // The Java recurrence's gradient by central differences in double (it is a polynomial of low degree).
    double[] expected = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      double h = 1e-5;
      double[] up = in64.clone(), down = in64.clone();
      up[i] += h;
      down[i] -= h;
      expected[i] = (coupledRecurrenceLoss(up) - coupledRecurrenceLoss(down)) / (2 * h);
    }
    assertValues(expected, realize(d.of(in), values.length), 1e-4);
    fdCheck(loss, d, 1e-3, 1e-3, in);
  }

  @Test
  void argmaxOverTwoDimensionsPerRow() {
    // Per row y: the value of the largest in(r.x, r.y) * w(y) over a 2-D domain with a predicate,
    // so the fold's history has a pure variable and two reduction variables.
    ImageParam in = new ImageParam("in", Type.F32, 2);
    float[] data = {0.5f, 2, -1, 3, 0.25f, 1.5f, 4, -2, 1, 0, 2.5f, 3.5f};
    in.set(Buffer.of(data, 4, 3));
    Var y = new Var("y");
    RDom r = new RDom(0, 4, 0, 3);
    r.where(r.x().plus(r.y()).lt(5));
    Func best = new Func("best");
    best.at(y).set(Exprs.argmax(in.at(r.x(), r.y()).times(Exprs.cast(Type.F32, y.plus(1)))).tuple());
    Func loss = new Func("loss");
    RDom rows = new RDom(0, 3);
    loss.at().set(0f);
    loss.at().plusAssign(best.at(rows.x()).get(r.dimensions()).times(best.at(rows.x()).get(r.dimensions())));
    Derivative d = Gradients.propagateAdjoints(loss);
    // Points with x + y < 5: the largest of in is 4 at (2, 1) (3.5 at (3, 2) is excluded). Each row's
    // value is 4 (y + 1), so loss = sum (4 (y + 1))^2 and d in(2, 1) = sum 2 * 4 (y + 1)^2 = 8 * 14.
    double[][] expected = new double[3][4];
    expected[1][2] = 8 * 14;
    Buffer g = realize(d.of(in), 4, 3);
    for (int j = 0; j < 3; j++) for (int i = 0; i < 4; i++) assertEquals(expected[j][i], g.getAsDouble(i, j), 1e-4, i + ", " + j);
    fdCheck(loss, d, 1e-2, 1e-3, in);
  }

  @Test
  void maximumWrittenAsAnUpdate() {
    ImageParam in = input("in", -3, 4, 9, 1);
    RDom r = new RDom(0, 4);
    Func m = new Func("m");
    m.at().set(Float.NEGATIVE_INFINITY);
    m.at().set(Exprs.max(m.at(), in.at(r.x())));
    Func loss = new Func("loss");
    loss.at().set(m.at().times(m.at()));
    Derivative d = Gradients.propagateAdjoints(loss);
    assertValues(new double[] {0, 0, 18, 0}, realize(d.of(in), 4), 0);
    fdCheck(loss, d, 1e-2, 1e-4, in);
  }

  @Test
  void productWithAZeroIsNotObtainedByDividing() {
    ImageParam in = input("in", 2, 0, 3, 4);
    RDom r = new RDom(0, 4);
    Func p = new Func("p");
    p.at().set(1f);
    p.at().set(p.at().times(in.at(r.x())));
    Derivative d = Gradients.propagateAdjoints(p);
    assertValues(new double[] {0, 24, 0, 0}, realize(d.of(in), 4), 0);
    fdCheck(p, d, 1e-2, 1e-4, in);
    Func q = new Func("q");
    RDom s = new RDom(0, 4);
    q.at().set(Exprs.product(in.at(s.x())));
    Derivative dq = Gradients.propagateAdjoints(q);
    assertValues(new double[] {0, 24, 0, 0}, realize(dq.of(in), 4), 0);
  }

  /**
   * Catalog 3.4 (fit_function): gradient descent fits an odd polynomial, evaluated by a scan, to sin
   * on [0, pi/2], starting from its Taylor series. Upstream runs 10001 steps and requires the final
   * error to be at most 1e-10 and below the initial one (Halide 14 ends at 1.87e-28).
   */
  @Test
  void fitFunction() {
    final int order = 8, samples = 1000, steps = 10000;
    final double lr = 1e-5;
    ImageParam coeffs = new ImageParam("coeffs", Type.F64, 1);
    Var x = new Var("x"), y = new Var("y");
    Expr fx = Exprs.cast(Type.F64, x).div((double) samples).times(Math.PI / 2);
    RDom r = new RDom(0, order);
    Expr flipped = Expr.of(order - 1).minus(r.x());
    Func approx = new Func("approx_sin");
    approx.at(x, y).set(0.0);
    approx.at(x, flipped).set(approx.at(x, flipped.plus(1)).times(fx).plus(coeffs.at(flipped)).times(fx));
    Func exact = new Func("exact_sin");
    exact.at(x).set(Exprs.sin(fx));
    Func err = new Func("err");
    err.at(x).set(Exprs.pow(approx.at(x, 0).minus(exact.at(x)).div(exact.at(x)), Expr.of(2.0)));
    RDom d = new RDom(1, samples - 1);
    Func avg = new Func("average_err");
    avg.at().set(Exprs.sum(err.at(d.x())).div((double) samples));
    Derivative g = Gradients.propagateAdjoints(avg);
    Func next = new Func("new_coeffs");
    next.at(x).set(coeffs.at(x).minus(g.of(coeffs).at(x).times(lr)));
    for (Func f : List.of(err, approx, exact, avg, next)) f.computeRoot();
    for (Func f : List.of(approx, err)) for (int u = -1; u < f.updateCount(); u++) g.of(f, u).computeRoot();
    g.of(coeffs).computeRoot();

    double[] c = new double[order];
    c[0] = 1;
    for (int i = 1; i < order; i++) c[i] = -c[i - 1] / (i * 2 * (i * 2 + 1));
    // The gradient away from the optimum (every coefficient 1.5 times its Taylor value), against central differences on llvm.
    double[] off = c.clone();
    for (int i = 0; i < order; i++) off[i] *= 1.5;
    coeffs.set(Buffer.of(off, order));
    for (GradientCheck.Result res : GradientCheck.check(avg, g, LLVM, 1e-7, List.of(coeffs), List.of())) {
      assertTrue(res.maxRelativeError() < 1e-6 && Math.abs(res.analytic()) > 1e-3, res.toString());
    }
    Buffer cs = Buffer.of(c, order);
    coeffs.set(cs);
    CompiledPipeline p = new Pipeline(avg, next).compile(LLVM);
    Buffer e = Buffer.allocate(Type.F64);
    Buffer out = Buffer.allocate(Type.F64, order);
    double initial = 0;
    for (int i = 0; i <= steps; i++) {
      p.realize(e, out);
      if (i == 0) initial = e.getAsDouble();
      for (int j = 0; j < order; j++) cs.setFromDouble(out.getAsDouble(j), j);
    }
    double last = e.getAsDouble();
    assertTrue(last <= 1e-10 && last < initial, "initial error " + initial + ", final " + last);
    // The same trajectory as Halide 14: from 1.023e-24 to 1.874e-28.
    assertEquals(1.0233e-24, initial, 0.0001e-24);
    assertEquals(1.874e-28, last, 0.001e-28);
  }

  @Test
  void overwritingSeveralTimesWhereTheWritesMoveIsRefused() {
    // Iterations r = 2i and 2i + 1 both write f(i) without accumulating, and the second multiplies
    // by what the first wrote: neither a scan (one point per iteration) nor a fold (the same points
    // every iteration).
    ImageParam in = input("in", 1, 2, 3, 4);
    Var x = new Var("x");
    RDom r = new RDom("r", 0, 4);
    Func f = new Func("f");
    f.at(x).set(1f);
    f.at(r.x().div(2)).set(f.at(r.x().div(2)).times(in.at(r.x())));
    Func loss = sum(f, 2);
    HalogenException e = assertThrows(HalogenException.class, () -> Gradients.propagateAdjoints(loss));
    assertEquals("Can't take the gradients of f: update 0 of Func f may write one point for several values of r.x without"
        + " accumulating into it, which overwrites values the gradient needs; write it as a scan that keeps each intermediate"
        + " value at its own point", e.getMessage());
  }

  @Test
  void aScanReadingADataDependentPointIsRefused() {
    // Which iteration wrote f(idx(r)) depends on the data, so the reverse scan cannot be set up.
    ImageParam in = input("in", 1, 2, 3, 4);
    ImageParam idx = new ImageParam("idx", Type.I32, 1);
    idx.set(Buffer.of(new int[] {0, 0, 1, 2}, 4));
    Var x = new Var("x");
    RDom r = new RDom("r", 1, 3);
    Func f = new Func("f");
    f.at(x).set(in.at(x));
    f.at(r.x()).set(f.at(Exprs.clamp(idx.at(r.x()), 0, 3)).times(f.at(r.x())));
    Func loss = sum(f, 4);
    HalogenException e = assertThrows(HalogenException.class, () -> Gradients.propagateAdjoints(loss));
    assertEquals("Can't take the gradients of f: update 0 of Func f reads f(max(min(idx(r.x), 3), 0)) while writing f(r.x), a value"
        + " that an earlier iteration of the same update may have written, and which iteration wrote it cannot be solved for;"
        + " differentiating it would need each intermediate value", e.getMessage());
  }

  @Test
  void scanOverATwoDimensionalDomain() {
    // Column-wise cumulative product: iteration (r.x, r.y) reads what (r.x, r.y - 1) wrote (the outer
    // variable runs slower), so s(x, y) = product of in(x, j) for j <= y.
    float[] a = {1.5f, -2, 0.5f, 3, 2, 1.25f, -1, 0.75f, 2};
    ImageParam in = new ImageParam("in", Type.F32, 2);
    in.set(Buffer.of(a, 3, 3));
    Var x = new Var("x"), y = new Var("y");
    RDom r = new RDom(0, 3, 1, 2);
    Func s = new Func("s");
    s.at(x, y).set(in.at(x, y));
    s.at(r.x(), r.y()).set(s.at(r.x(), r.y().minus(1)).times(s.at(r.x(), r.y())));
    RDom t = new RDom(0, 3, 0, 3);
    Func loss = new Func("loss");
    loss.at().set(0f);
    loss.at().plusAssign(s.at(t.x(), t.y()));
    Derivative d = Gradients.propagateAdjoints(loss);
    Buffer g = realize(d.of(in), 3, 3);
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        // d/d in(i, j) of the sum over y >= j of the prefix products of column i.
        double expected = 0;
        for (int yy = j; yy < 3; yy++) {
          double prod = 1;
          for (int k = 0; k <= yy; k++) if (k != j) prod *= a[i + 3 * k];
          expected += prod;
        }
        assertEquals(expected, g.getAsDouble(i, j), 1e-5, i + "," + j);
      }
    }
    fdCheck(loss, d, 1e-3, 1e-3, in);
  }

  @Test
  void foldsOverTwoDimensionsWithAPredicateAndAPureVariable() {
    float[] a = {1.5f, -2, 0.5f, 3, 2, 1.25f, -1, 0.75f, 2};
    ImageParam in = new ImageParam("in", Type.F32, 2);
    in.set(Buffer.of(a, 3, 3));
    Var y = new Var("y");
    // The product over the 3x3 domain without its centre.
    RDom r = new RDom(0, 3, 0, 3);
    r.where(r.x().ne(1).or(r.y().ne(1)));
    Func p = new Func("p");
    p.at().set(Exprs.product(in.at(r.x(), r.y())));
    // Each row's maximum, weighted by row + 1.
    RDom c = new RDom(0, 3);
    Func m = new Func("m");
    m.at(y).set(Exprs.maximum(in.at(c.x(), y)));
    RDom rows = new RDom(0, 3);
    Func loss = new Func("loss");
    loss.at().set(p.at());
    loss.at().plusAssign(m.at(rows.x()).times(Exprs.cast(Type.F32, rows.x().plus(1))));
    Derivative d = Gradients.propagateAdjoints(loss);
    Buffer g = realize(d.of(in), 3, 3);
    double all = 1;
    for (int k = 0; k < 9; k++) if (k != 4) all *= a[k];
    int[] argmax = {0, 3 + 0, 6 + 2};
    for (int k = 0; k < 9; k++) {
      double expected = k == 4 ? 0 : all / a[k];
      for (int row = 0; row < 3; row++) if (argmax[row] == k) expected += row + 1;
      assertEquals(expected, g.getAsDouble(k % 3, k / 3), 1e-5, "at " + k);
    }
    fdCheck(loss, d, 1e-3, 1e-3, in);
  }
}
