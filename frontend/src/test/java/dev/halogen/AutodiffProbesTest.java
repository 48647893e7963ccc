package dev.halogen;

import static dev.halogen.AdTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.halogen.ir.Buffer;
import dev.halogen.ir.Type;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rest of the conformance catalog of autodiff.md section 3: the Python test (3.2), the
 * unbounded-access error (3.3), the generator's gradient formulas (3.5), and the probes of 3.8 that
 * AutodiffScalarTest does not cover (P7, P10, P11, P12; P1-P4 and P6 are its q1-q5 tests, P8 its
 * unrelatedInputHasAClearAnswer).
 */
class AutodiffProbesTest {
  @Test
  void python_adjointsOfStagesBuffersAndParams() {
    // b = Buffer[1,2,3]; f(x) = b(x); f(0) = 4; g(x) = f(x) * 5 * p; h() = 0; h() += g(r), r < 3.
    ConstantBuffer b = new ConstantBuffer("b", Buffer.of(new float[] {1, 2, 3}, 3));
    Param p = new Param("p", Type.F32, 1.0);
    Var x = new Var("x");
    Func f = new Func("f"), g = new Func("g"), h = new Func("h");
    f.at(x).set(b.at(x));
    f.at(0).set(4f);
    g.at(x).set(f.at(x).times(5f).times(p));
    RDom r = new RDom(0, 3);
    h.at().set(0f);
    h.at().plusAssign(g.at(r.x()));
    Derivative d = Gradients.propagateAdjoints(h);
    // Each adjoint is asked for twice, as the Python test does: the answer does not change.
    for (int twice = 0; twice < 2; twice++) {
      assertValues(new double[] {0, 5, 5}, d.of(f).realize(INTERP, 3), 1e-6);
      assertValues(new double[] {5, 5, 5}, d.of(f, 0).realize(INTERP, 3), 1e-6);
      assertValues(new double[] {0, 5, 5}, d.of(b).realize(INTERP, 3), 1e-6);
      assertEquals(45, d.of(p).realize(INTERP).getAsDouble(), 1e-6);
    }
    fdCheck(h, d, List.of(), List.of(p), 1e-2, 1e-3);
  }

  @Test
  void unbounded_accessIsRefusedWithTheFuncAndDimension() {
    ImageParam b = new ImageParam("b", Type.F32, 1), hIdx = new ImageParam("h", Type.I32, 1);
    b.set(Buffer.of(new float[10], 10));
    hIdx.set(Buffer.of(new int[10], 10));
    Var x = new Var("x");
    Func f = new Func("f");
    f.at(x).set(b.at(Exprs.clamp(x, 0, 10)));
    RDom r = new RDom(hIdx);
    Func g = new Func("g");
    g.at().plusAssign(f.at(hIdx.at(r.x())));
    HalogenException e = assertThrows(HalogenException.class, () -> Gradients.propagateAdjoints(g));
    assertEquals("Access to function or buffer f at dimension 0 is not bounded. We can only differentiate bounded accesses.", e.getMessage());
  }

  @Test
  void generator_gradientFormulasAndIntegerLookupTables() {
    // output(x) = 33 a^3 + 22 b^2 + 11 c + 1 and output_lut(x) = lut(lut_indices(x)) (uint8), over
    // 64 points with a = b = c = x and the loss gradient L(x) = x - 32.
    int n = 64;
    float[] ramp = new float[n], grad = new float[n];
    byte[] lutData = new byte[n], idxData = new byte[n];
    for (int i = 0; i < n; i++) {
      ramp[i] = i;
      grad[i] = i - 32;
      lutData[i] = (byte) (3 * i);
      idxData[i] = (byte) (n - 1 - i);
    }
    ImageParam a = new ImageParam("a", Type.F32, 1), b = new ImageParam("b", Type.F32, 1), c = new ImageParam("c", Type.F32, 1);
    a.set(Buffer.of(ramp, n));
    b.set(Buffer.of(ramp.clone(), n));
    c.set(Buffer.of(ramp.clone(), n));
    ImageParam lut = new ImageParam("lut", Type.U8, 1), idx = new ImageParam("lut_indices", Type.U8, 1);
    lut.set(Buffer.of(Type.U8, lutData, n));
    idx.set(Buffer.of(Type.U8, idxData, n));
    Var x = new Var("x");
    Func output = new Func("output");
    output.at(x).set(a.at(x).times(a.at(x)).times(a.at(x)).times(33f).plus(b.at(x).times(b.at(x)).times(22f))
        .plus(c.at(x).times(11f)).plus(1f));
    Func outputLut = new Func("output_lut");
    outputLut.at(x).set(lut.at(idx.at(x)));
    Buffer adjoint = Buffer.of(grad, n);

    Derivative d = Gradients.propagateAdjoints(output, adjoint);
    Buffer da = d.of(a).realize(INTERP, n), db = d.of(b).realize(INTERP, n), dc = d.of(c).realize(INTERP, n);
    for (int i = 0; i < n; i++) {
      double l = i - 32;
      assertEquals(l * i * i * 3 * 33, da.getAsDouble(i), 0, "d/da at " + i);
      assertEquals(l * i * 44, db.getAsDouble(i), 0, "d/db at " + i);
      assertEquals(11 * l, dc.getAsDouble(i), 0, "d/dc at " + i);
    }
    // output does not read the lookup table: the generator's _dummy_ outputs (zeros).
    assertTrue(d.find(lut).isEmpty());
    assertTrue(d.find(idx).isEmpty());

    // output_lut is uint8 throughout: no gradient flows (Halide's outputs wrt lut and lut_indices are
    // zero-filled dummies), and none of a, b, c is read.
    Derivative dl = Gradients.propagateAdjoints(outputLut, adjoint);
    for (ImageParam p : List.of(lut, idx, a, b, c)) assertTrue(dl.find(p).isEmpty(), p.name());
    HalogenException e = assertThrows(HalogenException.class, () -> dl.of(lut));
    assertEquals("Func output_lut does not depend on ImageParam lut (or it is not of a float type), so there is no gradient with respect to it",
        e.getMessage());
  }

  @Test
  void p7_integerCastBlocksTheGradient() {
    // cast<float>(cast<int>(in * 10)) + in: the integer cast is piecewise constant, so d_in = 1.
    ImageParam in = image("in", 0.31f);
    Func f = new Func("f");
    f.at().set(Exprs.cast(Type.F32, Exprs.cast(Type.I32, in.at(0).times(10f))).plus(in.at(0)));
    Derivative d = Gradients.propagateAdjoints(f);
    assertValues(new double[] {1}, d.of(in).realize(INTERP, 1), 0);
    // Steps of 1e-3 stay between the integer steps of in * 10 (at 0.3 and 0.4).
    fdCheck(f, d, List.of(in), List.of(), 1e-3, 1e-3);
  }

  @Test
  void p10_tupleValuedScalarOutputIsRefused() {
    Func t = new Func("t");
    t.at().set(Tuple.of(Expr.of(1f), Expr.of(2f)));
    HalogenException e = assertThrows(HalogenException.class, () -> Gradients.propagateAdjoints(t));
    assertEquals("Can't differentiate Func t as a scalar loss, because it has 2 values", e.getMessage());
  }

  @Test
  void p11_stageAdjoints() {
    // f(x) = in(x); f(1) = 5 f(1); loss = sum of f: the update scales the adjoint at 1 before it
    // reaches the pure definition.
    ImageParam in = image("in", 1, 2, 3);
    Var x = new Var("x");
    Func f = new Func("f");
    f.at(x).set(in.at(x));
    f.at(1).set(f.at(1).times(5f));
    Func loss = sumLoss(f, 3, false);
    Derivative d = Gradients.propagateAdjoints(loss);
    assertValues(new double[] {1, 1, 1}, d.of(f, 0).realize(INTERP, 3), 0);
    assertValues(new double[] {1, 5, 1}, d.of(f, -1).realize(INTERP, 3), 0);
    assertValues(new double[] {1, 5, 1}, d.of(in).realize(INTERP, 3), 0);
    fdCheck(loss, d, in);
  }

  /** The printed IR of {@code f}, without the numbers that make generated names unique. */
  private static String printed(Func f) {
    return dev.halogen.ir.text.IrPrinter.print(f.function()).replaceAll("\\$\\d+", "");
  }

  @Test
  void p12_printedAdjointsAreGathers() {
    // blur(x) = in(x - 1) + 2 in(x) + in(x + 1); loss() += blur(r)^2, r in [1, 4). Halide prints
    // in_d__(v) = blur_0_d_def__(v + 1) + blur_0_d_def__(v - 1) + 2 * blur_0_d_def__(v) and
    // blur_0_d_def__(x) = select(1 <= x && x <= 3, loss_1_d_def__() * blur(max(min(x, 3), 1)) * 2, 0).
    ImageParam in = image("in", 1, 2, 3, 4, 5);
    Var x = new Var("x");
    Func blur = new Func("blur");
    blur.at(x).set(in.at(x.minus(1)).plus(in.at(x).times(2f)).plus(in.at(x.plus(1))));
    RDom r = new RDom(1, 3);
    Func loss = new Func("loss");
    loss.at().set(0f);
    loss.at().plusAssign(blur.at(r.x()).times(blur.at(r.x())));
    Derivative d = Gradients.propagateAdjoints(loss);
    assertEquals("""
        func blur_0_d: float32
        func in_d(i0): float32 {
          in_d(i0) = blur_0_d(i0 - 1) + (blur_0_d(i0 + 1) + blur_0_d(i0) * 2.0f)
        }
        """, printed(d.of(in)));
    // One term per factor of blur(r) * blur(r); each is read at x clamped to the loss's range.
    String term = "select(x < 4 && 0 < x, blur(max(min(x, 3), 1)) * loss_1_d(), 0.0f)";
    assertEquals("""
        func blur: float32
        func loss_1_d: float32
        func blur_0_d(x): float32 {
          blur_0_d(x) = %s + %s
        }
        """.formatted(term, term), printed(d.of(blur)));
    // blur(1..3) = 8, 12, 16, so d_blur(1..3) = 16, 24, 32 and d_in(i) = d_blur(i + 1) + 2 d_blur(i) + d_blur(i - 1).
    assertValues(new double[] {16, 24 + 2 * 16, 32 + 2 * 24 + 16, 2 * 32 + 24, 32},
        d.of(in).realize(INTERP, 5), 0);
    fdCheck(loss, d, in);
  }

  @Test
  void stridedGatherKeepsTheInversePredicate() {
    // out(x) = in(2x): u == 2x has a preimage only for even u, so only the even points of in get
    // gradient. (ReverseAd used to drop that predicate when no reduction domain was left to carry it,
    // giving every point the adjoint of out(u / 2).)
    ImageParam in = image("in", 1, 2, 3, 4, 5);
    Var x = new Var("x");
    Func out = new Func("out");
    out.at(x).set(in.at(x.times(2)));
    Func loss = sumLoss(out, 3, false);
    Derivative d = Gradients.propagateAdjoints(loss);
    assertValues(new double[] {1, 0, 1, 0, 1}, d.of(in).realize(INTERP, 5), 0);
    AdjointShapes.assertPureLhs(d.of(in));
    fdCheck(loss, d, in);
  }

  @Test
  void predicatedUpdateAdjointIsAGather() {
    // circle(r.x, r.y) *= 2 over a disk (catalog 32): the adjoint of the pure definition is that
    // after the update, zeroed on the disk (the mask, an update over the RDom), plus a gather of 2x
    // that adjoint on the disk: the predicate, which relates r.x and r.y, moves into its guard.
    AdTestSupport.DoubledDisk disk = AdTestSupport.doubledDisk();
    ImageParam in = disk.in();
    RDom r = disk.r();
    Func circle = disk.circle();
    Var x = new Var("x"), y = new Var("y");
    RDom s = new RDom(0, 7, 0, 7);
    Func loss = new Func("loss");
    loss.at().set(0f);
    loss.at().plusAssign(circle.at(s.x(), s.y()).times(circle.at(s.x(), s.y())));
    Derivative d = Gradients.propagateAdjoints(loss);
    List<dev.halogen.ir.Definition> updates = d.of(circle).function().updates();
    assertEquals(2, updates.size());
    assertEquals(List.of(r.x().ir(), r.y().ir()), updates.get(0).args(), "the mask");
    assertEquals(List.of(x.ir(), y.ir()), updates.get(1).args(), "the gather");
    assertNull(updates.get(1).domain());
    double[][] expected = new double[7][7];
    for (int j = 0; j < 7; j++) for (int i = 0; i < 7; i++) {
      double scale = (i - 3) * (i - 3) + (j - 3) * (j - 3) <= 10 ? 2 : 1;
      // loss = sum of (scale * in)^2, so d_in = 2 scale^2 in.
      expected[j][i] = 2 * scale * scale * (i + j);
    }
    assertValues(expected, d.of(in).realize(INTERP, 7, 7), 0);
    fdCheck(loss, d, List.of(in), List.of(), 1, 1e-4);
  }
}
