package dev.halogen;

import static org.junit.jupiter.api.Assertions.*;

import dev.halogen.ir.Buffer;
import dev.halogen.ir.Type;
import dev.halogen.passes.Target;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Forward mode ({@link Gradients#propagateTangents}): exact values on small cases worked out by hand,
 * the directional derivative against the reverse-mode gradient dotted with the seed ({@code w . J t
 * = (J^T w) . t}), and against central differences along the seed.
 */
class AutodiffForwardModeTest {
  private static final Target INTERP = Target.of("interp");

  private static void assertValues(double[] expected, Buffer b, double tol) {
    for (int i = 0; i < expected.length; i++) assertEquals(expected[i], b.getAsDouble(i), tol, "at " + i);
  }

  // ------------------------------------------------------------------ exact small cases

  @Test
  void scalarParams() {
    Param p = new Param("p", Type.F32, 2.0);
    Param q = new Param("q", Type.F32, 0.5);
    Func f = new Func("f");
    f.at().set(p.times(p).times(p).plus(p.times(q)));
    // df = (3 p^2 + q) dp + p dq
    assertEquals(12.5, Gradients.propagateTangents(f, Tangents.of().with(p, 1)).realize(INTERP).getAsDouble(), 1e-5);
    assertEquals(2, Gradients.propagateTangents(f, Tangents.of().with(q, 1)).realize(INTERP).getAsDouble(), 1e-5);
    assertEquals(12.5 * 2 + 2 * -3, Gradients.propagateTangents(f, Tangents.of().with(p, 2).with(q, -3)).realize(INTERP).getAsDouble(), 1e-5);
    // An input without a seed is held fixed; no seed at all gives zero.
    assertEquals(0, Gradients.propagateTangents(f, Tangents.of()).realize(INTERP).getAsDouble());
  }

  @Test
  void productOfNeighbours() {
    ImageParam in = new ImageParam("in", Type.F32, 1);
    in.set(Buffer.of(new float[] {1, 2, 3}, 3));
    Var x = new Var("x");
    Func out = new Func("out");
    out.at(x).set(in.at(x).times(in.at(x.plus(1))));
    Func t = Gradients.propagateTangents(out, Tangents.of().with(in, Buffer.of(new float[] {1, 10, 100}, 3)));
    // t(x) = s(x) in(x+1) + in(x) s(x+1): 1*2 + 1*10, 10*3 + 2*100
    assertValues(new double[] {12, 230}, t.realize(INTERP, 2), 1e-5);
    assertEquals(1, t.dimensions());
  }

  @Test
  void selectsAndMathFunctions() {
    ImageParam in = new ImageParam("in", Type.F32, 1);
    in.set(Buffer.of(new float[] {1, 2}, 2));
    Var x = new Var("x");
    Func out = new Func("out");
    Expr v = in.at(x);
    out.at(x).set(Exprs.select(v.gt(1.5f), v.times(v), Exprs.sin(v).times(3)));
    Func t = Gradients.propagateTangents(out, Tangents.of().with(in, Buffer.of(new float[] {1, 1}, 2)));
    assertValues(new double[] {3 * Math.cos(1), 4}, t.realize(INTERP, 2), 1e-5);
  }

  @Test
  void tupleValuedFunc() {
    ImageParam in = new ImageParam("in", Type.F32, 1);
    in.set(Buffer.of(new float[] {1, 2}, 2));
    Var x = new Var("x");
    Func t = new Func("t");
    t.at(x).set(Tuple.of(in.at(x).times(in.at(x)), Exprs.exp(in.at(x))));
    Func tan = Gradients.propagateTangents(t, Tangents.of().with(in, Buffer.of(new float[] {1, 0.5f}, 2)));
    List<Buffer> bs = tan.realizeTuple(INTERP, 2);
    assertEquals(2, bs.size());
    assertValues(new double[] {2, 2}, bs.get(0), 1e-5);
    assertValues(new double[] {Math.E, 0.5 * Math.exp(2)}, bs.get(1), 1e-4);
  }

  /** An update that reads its own values non-linearly: the tangent needs f's value at that stage, not its final one. */
  @Test
  void updateReadingItsOwnValues() {
    ImageParam in = new ImageParam("in", Type.F32, 1);
    in.set(Buffer.of(new float[] {1, 2, 3}, 3));
    Var x = new Var("x");
    Func f = new Func("f");
    f.at(x).set(in.at(x));
    f.at(x).set(f.at(x).times(f.at(x)).plus(in.at(x)));
    f.at(x).set(f.at(x).times(f.at(x)));
    // f = (in^2 + in)^2, df = 2 (in^2 + in) (2 in + 1) din
    Func t = Gradients.propagateTangents(f, Tangents.of().with(in, Buffer.of(new float[] {1, 1, 1}, 3)));
    assertValues(new double[] {2 * 2 * 3, 2 * 6 * 5, 2 * 12 * 7}, t.realize(INTERP, 3), 1e-4);
  }

  @Test
  void boundaryConditionAndParamTogether() {
    ImageParam in = new ImageParam("in", Type.F32, 1);
    in.set(Buffer.of(new float[] {1, 2}, 2));
    Param g = new Param("g", Type.F32, 3.0);
    Var x = new Var("x");
    Func c = BoundaryConditions.mirrorImage(in);
    Func out = new Func("out");
    out.at(x).set(c.at(x).times(g));
    // mirror_image over [-2, 4): in(1) in(0) | in(0) in(1) | in(1) in(0)
    Func t = Gradients.propagateTangents(out, Tangents.of().with(in, Buffer.of(new float[] {1, 10}, 2)).with(g, 0.5));
    Buffer b = Buffer.allocate(Arena.ofAuto(), Type.F32, new int[] {-2}, new int[] {6});
    t.realize(INTERP, b);
    double[] inAt = {2, 1, 1, 2, 2, 1}, seedAt = {10, 1, 1, 10, 10, 1};
    for (int i = 0; i < 6; i++) assertEquals(seedAt[i] * 3 + inAt[i] * 0.5, b.getAsDouble(i - 2), 1e-5, "at " + (i - 2));
  }

  // ------------------------------------------------------------------ against reverse mode and finite differences

  /** A pipeline with an output region, its float inputs and a seed for each. */
  private record Case(Func out, int[] extents, Map<ImageParam, Buffer> seeds) {}

  private static Buffer seedLike(Buffer b, double scale) {
    Buffer s = Buffer.allocate(Arena.ofAuto(), b.type(), b.mins(), b.extents());
    int[] n = {0};
    s.forEachCoordinate(c -> s.setFromDouble(scale * Math.sin(1.3 * ++n[0] + 0.2), c));
    return s;
  }

  private static double weight(int[] c) {
    double w = 1;
    for (int d = 0; d < c.length; d++) w += (d + 1) * 0.37 * c[d];
    return Math.cos(w);
  }

  /** {@code sum_x w(x) out(x)} over the case's region, for reverse mode. */
  private static Func weightedLoss(Case k) {
    int[] me = new int[2 * k.extents().length];
    for (int d = 0; d < k.extents().length; d++) me[2 * d + 1] = k.extents()[d];
    RDom r = new RDom(me);
    List<ExprLike> at = new ArrayList<>();
    Expr w = Expr.of(1f);
    for (int d = 0; d < k.extents().length; d++) {
      RVar rv = d == 0 ? r.x() : r.y();
      at.add(rv);
      w = w.plus(Exprs.cast(Type.F32, rv).times((float) ((d + 1) * 0.37)));
    }
    Func loss = new Func("loss");
    loss.at().set(0f);
    loss.at().plusAssign(k.out().at(at.toArray()).times(Exprs.cos(w)));
    return loss;
  }

  private static Tangents tangents(Case k) {
    Tangents t = Tangents.of();
    for (var e : k.seeds().entrySet()) t.with(e.getKey(), e.getValue());
    return t;
  }

  /** w . (J t) from forward mode equals (J^T w) . t from reverse mode. */
  private static void assertMatchesReverse(Case k) {
    Buffer jvp = Gradients.propagateTangents(k.out(), tangents(k)).realize(INTERP, k.extents());
    double[] acc = {0};
    jvp.forEachCoordinate(c -> acc[0] += weight(c) * jvp.getAsDouble(c));
    double forward = acc[0];
    Derivative d = Gradients.propagateAdjoints(weightedLoss(k));
    double reverse = 0;
    for (var e : k.seeds().entrySet()) {
      Buffer in = e.getKey().get();
      Buffer grad = Buffer.allocate(Arena.ofAuto(), in.type(), in.mins(), in.extents());
      d.of(e.getKey()).realize(INTERP, grad);
      double[] dot = {0};
      grad.forEachCoordinate(c -> dot[0] += grad.getAsDouble(c) * e.getValue().getAsDouble(c));
      reverse += dot[0];
    }
    assertEquals(reverse, forward, 1e-4 * Math.max(1, Math.abs(reverse)), "w . Jt against J^T w . t");
  }

  /** J t at every point against (out(in + h t) - out(in - h t)) / 2h. */
  private static void assertMatchesDifferences(Case k) {
    Buffer jvp = Gradients.propagateTangents(k.out(), tangents(k)).realize(INTERP, k.extents());
    double h = 1e-2;
    Buffer up = moved(k, h), down = moved(k, -h);
    jvp.forEachCoordinate(c -> {
      double fd = (up.getAsDouble(c) - down.getAsDouble(c)) / (2 * h);
      double ad = jvp.getAsDouble(c);
      assertEquals(fd, ad, 1e-3 * Math.max(1, Math.abs(fd)), "at " + java.util.Arrays.toString(c));
    });
  }

  private static Buffer moved(Case k, double h) {
    List<double[]> saved = new ArrayList<>();
    for (var e : k.seeds().entrySet()) {
      Buffer b = e.getKey().get();
      List<Double> old = new ArrayList<>();
      b.forEachCoordinate(c -> {
        old.add(b.getAsDouble(c));
        b.setFromDouble(b.getAsDouble(c) + h * e.getValue().getAsDouble(c), c);
      });
      saved.add(old.stream().mapToDouble(Double::doubleValue).toArray());
    }
    Buffer out = k.out().realize(INTERP, k.extents());
    int i = 0;
    for (var e : k.seeds().entrySet()) {
      double[] old = saved.get(i++);
      int[] j = {0};
      e.getKey().get().forEachCoordinate(c -> e.getKey().get().setFromDouble(old[j[0]++], c));
    }
    return out;
  }

  private static ImageParam image(String name, float[] data, int... extents) {
    ImageParam p = new ImageParam(name, Type.F32, extents.length);
    p.set(Buffer.of(data, extents));
    return p;
  }

  private static Case blur() {
    float[] data = new float[30];
    for (int i = 0; i < 30; i++) data[i] = (float) Math.sin(0.7 * i);
    ImageParam in = image("in", data, 6, 5);
    Var x = new Var("x"), y = new Var("y");
    Func c = BoundaryConditions.repeatEdge(in);
    Func bx = new Func("blur_x");
    bx.at(x, y).set(c.at(x.minus(1), y).plus(c.at(x, y)).plus(c.at(x.plus(1), y)));
    Func by = new Func("blur_y");
    by.at(x, y).set(bx.at(x, y.minus(1)).plus(bx.at(x, y)).plus(bx.at(x, y.plus(1))).div(9f));
    Func out = new Func("out");
    out.at(x, y).set(by.at(x, y).times(by.at(x, y)));
    return new Case(out, new int[] {6, 5}, Map.of(in, seedLike(in.get(), 1)));
  }

  private static Case convWithRDom() {
    ImageParam in = image("in", new float[] {1, 2, 3, 4}, 4);
    ImageParam k = image("k", new float[] {2, 1}, 2);
    Var x = new Var("x");
    Func clamped = BoundaryConditions.repeatEdge(in);
    RDom s = new RDom(0, 2);
    Func conv = new Func("conv");
    conv.at(x).plusAssign(clamped.at(x.plus(s.x())).times(k.at(s.x())));
    return new Case(conv, new int[] {4}, Map.of(in, seedLike(in.get(), 1), k, seedLike(k.get(), 2)));
  }

  private static Case histogram() {
    ImageParam idx = new ImageParam("idx", Type.I32, 1);
    idx.set(Buffer.of(new int[] {2, 2, 1, 3, 0}, 5));
    ImageParam k = image("k", new float[] {.5f, 1, 1.5f, 2, 2.5f}, 5);
    Var x = new Var("x");
    RDom r = new RDom(0, 5);
    Func hist = new Func("hist");
    hist.at(x).set(0f);
    hist.at(Exprs.clamp(idx.at(r.x()), 0, 3)).plusAssign(k.at(r.x()).times(k.at(r.x())));
    return new Case(hist, new int[] {4}, Map.of(k, seedLike(k.get(), 1)));
  }

  /** Catalog 8's Horner scan, small: p(x, 0) = sum_i coeffs(i) fx^(7 - i) with fx = x / 15. */
  private static Case horner() {
    float[] c = new float[8];
    for (int i = 0; i < 8; i++) c[i] = i + 1;
    ImageParam coeffs = image("coeffs", c, 8);
    Var x = new Var("x"), y = new Var("y");
    Expr fx = Exprs.cast(Type.F32, x).div(15f);
    RDom r = new RDom(0, 8);
    Func p = new Func("p");
    p.at(x, y).set(0f);
    p.at(x, Expr.of(7).minus(r.x())).set(p.at(x, Expr.of(8).minus(r.x())).times(fx).plus(coeffs.at(r.x())));
    Func out = new Func("out");
    out.at(x).set(p.at(x, 0));
    return new Case(out, new int[] {16}, Map.of(coeffs, seedLike(coeffs.get(), 1)));
  }

  @Test
  void blurMatchesReverseModeAndDifferences() {
    Case k = blur();
    assertMatchesReverse(k);
    assertMatchesDifferences(k);
  }

  @Test
  void convolutionWithRDomMatchesReverseModeAndDifferences() {
    Case k = convWithRDom();
    assertMatchesReverse(k);
    assertMatchesDifferences(k);
    // conv(x) = sum_s in(min(x + s, 3)) k(s): with only k moving along [1, 0], the tangent is in(x).
    ImageParam kk = k.seeds().keySet().stream().filter(i -> i.name().equals("k")).findFirst().orElseThrow();
    Func t = Gradients.propagateTangents(k.out(), Tangents.of().with(kk, Buffer.of(new float[] {1, 0}, 2)));
    assertValues(new double[] {1, 2, 3, 4}, t.realize(INTERP, 4), 1e-6);
  }

  @Test
  void histogramScatterMatchesReverseModeAndDifferences() {
    Case k = histogram();
    assertMatchesReverse(k);
    assertMatchesDifferences(k);
    // hist(b) = sum over r with idx(r) = b of k(r)^2; with k moving along 1: 2 k summed per bin.
    ImageParam kk = k.seeds().keySet().iterator().next();
    Func t = Gradients.propagateTangents(k.out(), Tangents.of().with(kk, Buffer.of(new float[] {1, 1, 1, 1, 1}, 5)));
    assertValues(new double[] {5, 3, 1 + 2, 4}, t.realize(INTERP, 4), 1e-6);
  }

  @Test
  void hornerScanMatchesTheClosedFormReverseModeAndDifferences() {
    // The scan's tangent against its closed form, d p(x, 0) / d coeffs(i) = fx^(7 - i), and against
    // reverse mode's sequential adjoint of the scan.
    Case k = horner();
    assertMatchesDifferences(k);
    assertMatchesReverse(k);
    Buffer seed = k.seeds().values().iterator().next();
    Buffer jvp = Gradients.propagateTangents(k.out(), tangents(k)).realize(INTERP, 16);
    for (int x = 0; x < 16; x++) {
      double expected = 0;
      for (int i = 0; i < 8; i++) expected += seed.getAsDouble(i) * Math.pow(x / 15.0, 7 - i);
      assertEquals(expected, jvp.getAsDouble(x), 1e-5, "at " + x);
    }
  }

  // ------------------------------------------------------------------ errors

  @Test
  void aSeedOfTheWrongDimensionsIsRefusedByName() {
    ImageParam in = image("in", new float[] {1, 2}, 2);
    Var x = new Var("x"), y = new Var("y");
    Func out = new Func("out");
    out.at(x).set(in.at(x));
    Func seed = new Func("seed2d");
    seed.at(x, y).set(1f);
    HalogenException e = assertThrows(HalogenException.class, () -> Gradients.propagateTangents(out, Tangents.of().with(in, seed)));
    assertEquals("The tangent seed of in is Func seed2d with 2 dimension(s) and 1 value(s); in has 1 dimension(s) and 1 value",
        e.getMessage());
  }

  @Test
  void anIntegerParamHasNoTangent() {
    Param n = new Param("n", Type.I32, 3L);
    Func out = new Func("out");
    out.at().set(Exprs.cast(Type.F32, n));
    HalogenException e = assertThrows(HalogenException.class, () -> Gradients.propagateTangents(out, Tangents.of().with(n, 1)));
    assertEquals("The tangent seed of n is for an input of type int32; only float inputs have tangents", e.getMessage());
  }
}
