package dev.halogen;

import static org.junit.jupiter.api.Assertions.*;

import dev.halogen.ir.Buffer;
import dev.halogen.ir.Type;
import dev.halogen.passes.Target;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The finite-difference check itself: float32 against float64 evaluation of the loss, kinks, and a gradient that is wrong. */
class GradientCheckTest {
  private static final Target INTERP = Target.of("interp");

  /**
   * {@code loss = sum_{r < 10^4} (1 + sin(r / 10)) + gain * sum_{i < 8} in(i)^3}: about 10^4 in
   * size, so in float32 a change of the loss by {@code h * gradient} is lost in the rounding of
   * the large sum, while each element's gradient {@code 3 gain in(i)^2} is a single product.
   */
  private static Func bigLoss(ImageParam in, Param gain) {
    RDom big = new RDom(0, 10_000), small = new RDom(0, 8);
    Func loss = new Func("loss");
    loss.at().set(0f);
    loss.at().plusAssign(Exprs.sin(Exprs.cast(Type.F32, big.x()).div(10f)).plus(1f));
    loss.at().plusAssign(gain.times(in.at(small.x()).times(in.at(small.x())).times(in.at(small.x()))));
    return loss;
  }

  private static ImageParam input(float... values) {
    ImageParam in = new ImageParam("in", Type.F32, 1);
    in.set(Buffer.of(values, values.length));
    return in;
  }

  @Test
  void float64AgreesWhereFloat32RoundingSpoilsTheDifference() {
    ImageParam in = input(1.0f, 1.25f, 1.5f, 1.75f, 2.0f, -1.0f, -1.5f, 0.5f);
    Param gain = new Param("gain", Type.F32, 0.75);
    Func loss = bigLoss(in, gain);
    Derivative d = Gradients.propagateAdjoints(loss);
    // The analytic values: 3 * 0.75 * in^2 and sum in^3.
    Buffer dIn = d.of(in).realize(INTERP, 8);
    assertEquals(3 * 0.75 * 1.5 * 1.5, dIn.getAsDouble(2), 1e-6);
    double cubes = 1 + 1.953125 + 3.375 + 5.359375 + 8 - 1 - 3.375 + 0.125;
    assertEquals(cubes, d.of(gain).realize(INTERP).getAsDouble(), 1e-5);

    List<GradientCheck.Result> f64 = GradientCheck.checkFloat64(loss, d, INTERP, 1e-5, List.of(in), List.of(gain));
    assertEquals(2, f64.size());
    for (GradientCheck.Result r : f64) {
      assertTrue(r.maxRelativeError() < 1e-6, r.toString());
      assertEquals(0, r.skipped(), r.toString());
    }
    assertEquals(8, f64.get(0).checked());
    assertEquals(1, f64.get(1).checked());

    // In float32 the loss is about 10^4, its ulp about 1e-3: the quotient with h = 1e-2 is off by
    // far more than 1e-6 (typically 1e-3 to 1e-2 of the gradient).
    GradientCheck.Result f32 = GradientCheck.check(loss, d, INTERP, 1e-2, List.of(in), List.of()).getFirst();
    assertTrue(f32.maxRelativeError() > 1e-4, f32.toString());
    // Neither check changed the inputs.
    assertEquals(1.5f, in.get().getFloat(2));
    assertEquals(0.75, ((dev.halogen.ir.Expr.FloatImm) gain.value()).value());
  }

  @Test
  void aWrongGradientIsReported() {
    ImageParam in = input(1, 2, 3);
    RDom r = new RDom(0, 3);
    Func squares = new Func("squares");
    squares.at().set(0f);
    squares.at().plusAssign(in.at(r.x()).times(in.at(r.x())));
    Func cubes = new Func("cubes");
    cubes.at().set(0f);
    cubes.at().plusAssign(in.at(r.x()).times(in.at(r.x())).times(in.at(r.x())));
    // The gradient of the squares (2x) checked against the loss of the cubes (3x^2): worst at x = 3,
    // 6 against 27, relative error 21/27.
    Derivative d = Gradients.propagateAdjoints(squares);
    GradientCheck.Result res = GradientCheck.checkFloat64(cubes, d, INTERP, 1e-6, List.of(in), List.of()).getFirst();
    assertArrayEquals(new int[] {2}, res.worstCoordinate());
    assertEquals(6, res.analytic(), 1e-9);
    assertEquals(27, res.numeric(), 1e-6);
    assertEquals(21.0 / 27, res.maxRelativeError(), 1e-6);
  }

  @Test
  void coordinatesAtAKinkAreSkippedAndCounted() {
    // |x| at 0 and max(x, 1) at 1: no finite difference is meaningful there.
    ImageParam in = input(0f, 2f, -3f, 1f);
    RDom r = new RDom(0, 4);
    Func loss = new Func("loss");
    loss.at().set(0f);
    loss.at().plusAssign(Exprs.abs(in.at(r.x())).plus(Exprs.max(in.at(r.x()), 1f)));
    Derivative d = Gradients.propagateAdjoints(loss);
    GradientCheck.Result res = GradientCheck.checkFloat64(loss, d, INTERP, 1e-6, List.of(in), List.of()).getFirst();
    assertEquals(2, res.checked(), res.toString());
    assertEquals(2, res.skipped(), res.toString());
    assertTrue(res.maxRelativeError() < 1e-8, res.toString());
  }

  @Test
  void anInputReadOnlyAsAnIndexHasGradientZero() {
    ImageParam index = input(-0.9f, 0.1f, 0.6f, 0.2f);
    ImageParam table = new ImageParam("table", Type.F32, 1);
    table.set(Buffer.of(new float[] {1, 2, 3, 4}, 4));
    RDom r = new RDom(0, 4);
    Func loss = new Func("loss");
    loss.at().set(0f);
    // Slots of index: -0.9 -> 0, 0.1 -> 2, 0.6 -> 3, 0.2 -> 2.
    loss.at().plusAssign(table.at(Exprs.clamp(Exprs.cast(Type.I32, index.at(r.x()).times(2f).plus(2f)), 0, 3)));
    Derivative d = Gradients.propagateAdjoints(loss);
    assertTrue(d.find(index).isEmpty(), "no gradient flows through an integer index");
    List<GradientCheck.Result> res = GradientCheck.checkFloat64(loss, d, INTERP, 1e-6, List.of(index, table), List.of());
    assertEquals(0, res.get(0).maxRelativeError(), res.get(0).toString());
    assertEquals(4, res.get(0).checked());
    // The table's gradient counts how often each slot is read: 1, 0, 2, 1.
    assertEquals(0, res.get(1).maxRelativeError(), 1e-8, res.get(1).toString());
    Buffer dTable = d.of(table).realize(INTERP, 4);
    assertArrayEquals(new float[] {1, 0, 2, 1}, dTable.toFloatArray());
  }

  @Test
  void float64CheckRunsOnLlvmToo() {
    ImageParam in = input(1.0f, 1.25f, 1.5f, 1.75f, 2.0f, -1.0f, -1.5f, 0.5f);
    Param gain = new Param("gain", Type.F32, 0.75);
    Func loss = bigLoss(in, gain);
    Derivative d = Gradients.propagateAdjoints(loss);
    for (GradientCheck.Result r : GradientCheck.checkFloat64(loss, d, Target.of("llvm"), 1e-5, List.of(in), List.of(gain))) {
      assertTrue(r.maxRelativeError() < 1e-6, r.toString());
    }
  }
}
