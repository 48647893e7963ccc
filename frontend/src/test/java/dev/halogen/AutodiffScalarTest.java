package dev.halogen;

import static org.junit.jupiter.api.Assertions.*;

import dev.halogen.ir.Buffer;
import dev.halogen.ir.Type;
import dev.halogen.passes.Target;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Catalog 1a, 1d-1g and the probes of autodiff.md section 3.8 where Halogen is right and Halide is not. */
class AutodiffScalarTest {
  private static final Target INTERP = Target.of("interp");

  /** x() = value; y = body(x); the gradient d y / d x. */
  private static double grad(Type t, double value, java.util.function.Function<Func, ExprLike> body) {
    Func x = new Func("x");
    x.at().set(t.equals(Type.F64) ? Expr.of(value) : Expr.of((float) value));
    Func y = new Func("y");
    y.at().set(body.apply(x));
    Derivative d = Gradients.propagateAdjoints(y);
    return d.of(x).realize(INTERP).getAsDouble();
  }

  @ParameterizedTest
  @ValueSource(strings = {"float32", "float64"})
  void t1a_arith(String type) {
    Type t = type.equals("float32") ? Type.F32 : Type.F64;
    // y = x*x - 2x + 5 + 3/x at 5: 2x - 2 - 3/x^2 = 7.88
    double g = grad(t, 5, x -> x.at().times(x.at()).minus(x.at().times(2)).plus(5).plus(Expr.of(3f).div(x.at())));
    assertEquals(7.88, g, 1e-6);
  }

  @ParameterizedTest
  @ValueSource(strings = {"float32", "float64"})
  void t1d_floorCeilRoundTrunc(String type) {
    Type t = type.equals("float32") ? Type.F32 : Type.F64;
    double g = grad(t, 2.5, x -> Exprs.ceil(x.at()).plus(Exprs.floor(x.at())).plus(Exprs.round(x.at())).plus(Exprs.trunc(x.at())));
    assertEquals(0, g, 0);
  }

  @ParameterizedTest
  @ValueSource(strings = {"float32", "float64"})
  void t1e_maxMin(String type) {
    Type t = type.equals("float32") ? Type.F32 : Type.F64;
    // 2max(x,5) + 3max(x,1) + 5min(x,3) + 7min(x,2) at 2.5: 3 + 5 = 8
    double g = grad(t, 2.5, x -> Exprs.max(x.at(), Expr.of(5f)).times(2).plus(Exprs.max(x.at(), Expr.of(1f)).times(3))
        .plus(Exprs.min(x.at(), Expr.of(3f)).times(5)).plus(Exprs.min(x.at(), Expr.of(2f)).times(7)));
    assertEquals(8, g, 1e-6);
  }

  @ParameterizedTest
  @ValueSource(strings = {"float32", "float64"})
  void t1f_abs(String type) {
    Type t = type.equals("float32") ? Type.F32 : Type.F64;
    double g = grad(t, -2.5, x -> Exprs.abs(x.at()).times(2).plus(Exprs.abs(x.at().unaryMinus()).times(3)));
    assertEquals(-5, g, 1e-6);
  }

  @ParameterizedTest
  @ValueSource(strings = {"float32", "float64"})
  void t1g_select(String type) {
    Type t = type.equals("float32") ? Type.F32 : Type.F64;
    // select(x>0, 2x, 3x) + select(x<0, 5x, 7x) at 5: 2 + 7 = 9
    double g = grad(t, 5, x -> Exprs.select(x.at().gt(0), x.at().times(2), x.at().times(3))
        .plus(Exprs.select(x.at().lt(0), x.at().times(5), x.at().times(7))));
    assertEquals(9, g, 1e-6);
  }

  @Test
  void q3_minMaxTiesFeedOneOperand() {
    // Halide gives 4; min(x, x) + max(x, x) = 2x has derivative 2.
    assertEquals(2, grad(Type.F32, 3, x -> Exprs.min(x.at(), x.at()).plus(Exprs.max(x.at(), x.at()))), 0);
  }

  @Test
  void q5_absAtZeroIsZero() {
    // Halide gives -1; the subgradient sign(0) is 0.
    assertEquals(0, grad(Type.F32, 0, x -> Exprs.abs(x.at())), 0);
  }

  @Test
  void q4_floatModFloorsWithRespectToTheDivisor() {
    // a % b = a - b*floor(a/b); at a = -2.5, b = 2: d/db = -floor(-1.25) = 2 (Halide: 1).
    Func a = new Func("a");
    a.at().set(-2.5f);
    Func b = new Func("b");
    b.at().set(2f);
    Func y = new Func("y");
    y.at().set(a.at().rem(b.at()));
    Derivative d = Gradients.propagateAdjoints(y);
    assertEquals(2, d.of(b).realize(INTERP).getAsDouble(), 0);
    assertEquals(1, d.of(a).realize(INTERP).getAsDouble(), 0);
  }

  @Test
  void q2_repeatedVariableGivesTheDiagonal() {
    // out(x) = in(x, x) with adjoint [2, 3, 5, 7]: d_in = diag(2, 3, 5, 7) (Halide fills every row).
    ImageParam in = new ImageParam("in", Type.F32, 2);
    Var x = new Var("x");
    Func out = new Func("out");
    out.at(x).set(in.at(x, x));
    Derivative d = Gradients.propagateAdjoints(out, Buffer.of(new float[] {2, 3, 5, 7}, 4));
    Buffer g = d.of(in).realize(INTERP, 4, 4);
    double[] diag = {2, 3, 5, 7};
    for (int i = 0; i < 4; i++) for (int j = 0; j < 4; j++) assertEquals(i == j ? diag[i] : 0, g.getAsDouble(i, j), 0, i + "," + j);
  }

  @Test
  void q1_boundsAreMinAndExtent() {
    // f(x) = in((x*x) % 8), adjoint 1 everywhere, bounds {0, 3}: x in 0..2 reads 0, 1, 4 (Halide also counts x = 3).
    ImageParam in = new ImageParam("in", Type.F32, 1);
    Var x = new Var("x");
    Func f = new Func("f");
    f.at(x).set(in.at(x.times(x).rem(8)));
    Func one = new Func("one");
    one.at(x).set(1f);
    Derivative d = Gradients.propagateAdjoints(f, one, new int[][] {{0, 3}});
    Buffer g = d.of(in).realize(INTERP, 8);
    double[] expected = {1, 1, 0, 0, 1, 0, 0, 0};
    for (int i = 0; i < 8; i++) assertEquals(expected[i], g.getAsDouble(i), 0, "at " + i);
  }

  @Test
  void unrelatedInputHasAClearAnswer() {
    ImageParam a = new ImageParam("a", Type.F32, 1), b = new ImageParam("b", Type.F32, 1);
    Func f = new Func("f");
    f.at().set(a.at(0));
    Derivative d = Gradients.propagateAdjoints(f);
    assertTrue(d.find(b).isEmpty());
    HalogenException e = assertThrows(HalogenException.class, () -> d.of(b));
    assertEquals("Func f does not depend on ImageParam b (or it is not of a float type), so there is no gradient with respect to it", e.getMessage());
  }

  @Test
  void reverseScanHasTheSequentialGradient() {
    // Q6: rev(r) = rev(4 - r) in order r = 0..4 gives [in4, in3, in2, in3, in4]; Halide returns
    // [1,1,1,1,1], the gradient of a true reversal; the sequential update's is [0, 0, 1, 2, 2]
    // (AutodiffScanTest checks the catalog's weighted loss).
    ImageParam in = new ImageParam("in", Type.F32, 1);
    in.set(Buffer.of(new float[] {0, 1, 2, 3, 4}, 5));
    Var x = new Var("x");
    Func rev = new Func("rev");
    rev.at(x).set(in.at(x));
    RDom r = new RDom(0, 5);
    rev.at(r.x()).set(rev.at(Expr.of(4).minus(r.x())));
    Func loss = new Func("loss");
    loss.at().set(0f);
    loss.at().plusAssign(rev.at(r.x()));
    Derivative d = Gradients.propagateAdjoints(loss);
    Buffer g = d.of(in).realize(INTERP, 5);
    double[] expected = {0, 0, 1, 2, 2};
    for (int i = 0; i < 5; i++) assertEquals(expected[i], g.getAsDouble(i), 0, "at " + i);
  }
}
