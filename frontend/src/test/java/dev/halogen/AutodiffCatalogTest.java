package dev.halogen;

import static dev.halogen.AdTestSupport.INTERP;
import static dev.halogen.AdTestSupport.assertValues;
import static dev.halogen.AdTestSupport.sumLoss;
import static org.junit.jupiter.api.Assertions.*;

import dev.halogen.ir.Buffer;
import dev.halogen.ir.Type;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The conformance catalog of autodiff.md section 3.1 (Halide's test/correctness/autodiff.cpp):
 * each case asserts the catalog's exact values and is also checked against central differences.
 */
class AutodiffCatalogTest {
  // Entries 2, 7, 10, 30 and 37 are AutodiffExamples (written in Java and Kotlin), checked by AutodiffGoldenTest.

  private static Buffer realize(Func f, int... extents) {
    return f.realize(INTERP, extents);
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
    AdTestSupport.fdCheck(loss, d, List.of(in), List.of(), 1e-2, 1e-3);
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
    AdTestSupport.fdCheck(loss, d, List.of(in), List.of(), 1e-2, 1e-3);
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
    AdTestSupport.fdCheck(loss, d, List.of(in), List.of(), 1e-2, 1e-3);
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
    AdTestSupport.fdCheck(loss, d, List.of(in), List.of(), 1e-2, 1e-3);
  }

}
