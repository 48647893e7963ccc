package dev.halogen;

import static org.junit.jupiter.api.Assertions.*;

import dev.halogen.ir.Buffer;
import dev.halogen.ir.Type;
import dev.halogen.passes.Target;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Wrong gradients the property test ({@link AutodiffPropertyTest}) found, cut down to small cases with hand-computed values. */
class AutodiffPropertyRegressionTest {
  private static final Target INTERP = Target.of("interp");

  private static ImageParam input(float... values) {
    ImageParam in = new ImageParam("in", Type.F32, 1);
    in.set(Buffer.of(values, values.length));
    return in;
  }

  private static Func sum(Func f, int n) {
    RDom r = new RDom(0, n);
    Func loss = new Func("loss");
    loss.at().set(0f);
    loss.at().plusAssign(f.at(r.x()));
    return loss;
  }

  private static void assertValues(double[] expected, Buffer b) {
    assertEquals(expected.length, b.extent(0), "extent");
    for (int i = 0; i < expected.length; i++) assertEquals(expected[i], b.getAsDouble(i), 1e-6, "at " + i);
  }

  private static void fd(Func loss, Derivative d, List<ImageParam> images, List<Param> params) {
    for (GradientCheck.Result r : GradientCheck.checkFloat64(loss, d, INTERP, 1e-6, images, params)) {
      assertTrue(r.maxRelativeError() < 1e-5, r.toString());
      assertEquals(0, r.skipped(), r.toString());
    }
  }

  /**
   * {@code f = in; f = f * f}: the update's derivative is {@code 2 f} of the values it read,
   * {@code 2 in}. The adjoint used to read {@code f} after the update ({@code in^2}), giving {@code
   * 2 in^2}.
   */
  @Test
  void anUpdateReadsItsOwnFuncsValuesFromBeforeIt() {
    ImageParam in = input(1, -2, 3);
    Var x = new Var("x");
    Func f = new Func("f");
    f.at(x).set(in.at(x));
    f.at(x).set(f.at(x).times(f.at(x)));
    Func loss = sum(f, 3);
    Derivative d = Gradients.propagateAdjoints(loss);
    assertValues(new double[] {2, -4, 6}, d.of(in).realize(INTERP, 3));
    fd(loss, d, List.of(in), List.of());
  }

  /** {@code f = max(f, p)} decides by the old {@code f}: only x = 1 (in = -2 < 0.5) takes p. */
  @Test
  void aMaxUpdateComparesTheOldValue() {
    ImageParam in = input(1, -2, 3);
    Param p = new Param("p", Type.F32, 0.5);
    Var x = new Var("x");
    Func f = new Func("f");
    f.at(x).set(in.at(x));
    f.at(x).set(Exprs.max(f.at(x), p));
    Func loss = sum(f, 3);
    Derivative d = Gradients.propagateAdjoints(loss);
    assertValues(new double[] {1, 0, 1}, d.of(in).realize(INTERP, 3));
    assertEquals(1, d.of(p).realize(INTERP).getAsDouble(), 1e-6);
    fd(loss, d, List.of(in), List.of(p));
  }

  /** An overwrite of a sub-region by a reduction domain that reads the point it writes: {@code f(r) = 2 sin(f(r))}, r in [1, 3). */
  @Test
  void aRegionOverwriteReadsTheOldValue() {
    ImageParam in = input(1, -2, 3);
    Var x = new Var("x");
    RDom r = new RDom(1, 2);
    Func f = new Func("f");
    f.at(x).set(in.at(x));
    f.at(r.x()).set(Exprs.sin(f.at(r.x())).times(2f));
    Func loss = sum(f, 3);
    Derivative d = Gradients.propagateAdjoints(loss);
    assertValues(new double[] {1, 2 * Math.cos(-2), 2 * Math.cos(3)}, d.of(in).realize(INTERP, 3));
    fd(loss, d, List.of(in), List.of());
  }

  /**
   * {@code out(x) = in(2x + 1)} reads only odd points, so only they get gradient. The gather {@code
   * d_in(u) = d_out((u - 1) / 2)} lost the condition that {@code u} is odd where it had no
   * reduction domain to keep it in, and gave {@code [0, 1, 1, 1, 1, 1]}.
   */
  @Test
  void aStridedReadGathersOnlyAtPointsItReads() {
    ImageParam in = input(1, 2, 3, 4, 5, 6);
    Var x = new Var("x");
    Func out = new Func("out");
    out.at(x).set(in.at(x.times(2).plus(1)));
    Func loss = sum(out, 3);
    Derivative d = Gradients.propagateAdjoints(loss);
    assertValues(new double[] {0, 1, 0, 1, 0, 1}, d.of(in).realize(INTERP, 6));
    fd(loss, d, List.of(in), List.of());
  }

  /**
   * A scan reads the pure definition at a point no consumer reads: {@code f = in^2; f(r) = f(r - 1)
   * / 2} for r in [1, 3), and the loss reads only f(2) = in0^2 / 4, so d in = [in0 / 2, 0, 0]. The
   * forward values in the pure definition's adjoint were clamped to the points consumers read
   * ([2, 2]), so its adjoint at 0 read in(2) and gave [in2 / 2, 0, 0].
   */
  @Test
  void aScanReadsThePureDefinitionWhereNoConsumerReads() {
    ImageParam in = input(3, 5, 7);
    Var x = new Var("x");
    RDom r = new RDom(1, 2);
    Func f = new Func("f");
    f.at(x).set(in.at(x).times(in.at(x)));
    f.at(r.x()).set(f.at(r.x().minus(1)).times(0.5f));
    Func loss = new Func("loss");
    loss.at().set(f.at(2));
    assertEquals(9 / 4.0, loss.realize(INTERP).getAsDouble(), 0);
    Derivative d = Gradients.propagateAdjoints(loss);
    assertValues(new double[] {1.5, 0, 0}, d.of(in).realize(INTERP, 3));
    fd(loss, d, List.of(in), List.of());
  }
}
