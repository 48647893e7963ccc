package dev.halogen;

import dev.halogen.ir.Buffer;
import dev.halogen.ir.Type;
import java.util.List;

/**
 * Five cases of the autodiff catalog (autodiff.md section 3.1) built through the Java API, each with
 * its loss, its derivative and the gradients the catalog checks. The Kotlin builder writes the same
 * cases (dsl-kotlin's AutodiffExamplesSpec), and both must give the gradient pipelines pinned in
 * {@code src/test/resources/golden/autodiff} and the catalog's values.
 */
final class AutodiffExamples {
  private AutodiffExamples() {}

  /**
   * A case: its loss, the gradients the catalog checks (by label, in order) with their expected
   * values, the adjoints the catalog marks [pure-LHS] (gathers: no update writes at a point that is
   * not a plain variable), and the inputs and parameters to check against finite differences.
   */
  record Case(String name, Func loss, Derivative derivative, List<Gradient> gradients, List<Func> gathers, List<ImageParam> images,
      List<Param> params) {
    /** The gradient pipeline: every checked gradient as an output. */
    Pipeline gradientPipeline() {
      return new Pipeline(gradients.stream().map(Gradient::func).toList());
    }
  }

  /** One checked gradient: its Func, the extents to realize it over, and the values expected there (first dimension innermost). */
  record Gradient(String label, Func func, int[] extents, double[] expected) {}

  static List<Case> all() {
    return List.of(boxNoClamp(), rdomConv(), oneDToTwoD(), transpose(), param());
  }

  /** Catalog 2, 1d_box_no_clamp: d_blur = [6, 10, 0], d_in = [6, 16, 10, 0] (realized one past in's end). */
  static Case boxNoClamp() {
    ImageParam in = new ImageParam("in", Type.F32, 1);
    in.set(Buffer.of(new float[] {1, 2, 3}, 3));
    Var x = new Var("x");
    Func blur = new Func("blur");
    blur.at(x).set(in.at(x).plus(in.at(x.plus(1))));
    Func loss = AdTestSupport.sumLoss(blur, 2, true);
    Derivative d = Gradients.propagateAdjoints(loss);
    return new Case("box_no_clamp", loss, d, List.of(
        new Gradient("d_blur", d.of(blur), new int[] {3}, new double[] {6, 10, 0}),
        new Gradient("d_in", d.of(in), new int[] {4}, new double[] {6, 16, 10, 0})), List.of(d.of(in)), List.of(in), List.of());
  }

  /** Catalog 7, rdom_conv: d_conv = [8, 14, 20, 24], d_clamped = [16, 36, 54, 68], d_k = [192, 234]. */
  static Case rdomConv() {
    ImageParam in = new ImageParam("in", Type.F32, 1);
    in.set(Buffer.of(new float[] {1, 2, 3, 4}, 4));
    ImageParam k = new ImageParam("k", Type.F32, 1);
    k.set(Buffer.of(new float[] {2, 1}, 2));
    Var x = new Var("x");
    Func clamped = BoundaryConditions.repeatEdge(in);
    RDom s = new RDom("s", 0, 2);
    Func conv = new Func("conv");
    conv.at(x).plusAssign(clamped.at(x.plus(s.x())).times(k.at(s.x())));
    Func loss = AdTestSupport.sumLoss(conv, 4, true);
    Derivative d = Gradients.propagateAdjoints(loss);
    return new Case("rdom_conv", loss, d, List.of(
        new Gradient("d_conv", d.of(conv), new int[] {4}, new double[] {8, 14, 20, 24}),
        new Gradient("d_clamped", d.of(clamped), new int[] {4}, new double[] {16, 36, 54, 68}),
        new Gradient("d_k", d.of(k), new int[] {2}, new double[] {192, 234})), List.of(d.of(clamped)), List.of(in, k), List.of());
  }

  /** Catalog 10, 1d_to_2d: out(x, y) = (x + 1) in(y); d_in = [10, 20]. */
  static Case oneDToTwoD() {
    ImageParam in = new ImageParam("in", Type.F32, 1);
    in.set(Buffer.of(new float[] {1, 2}, 2));
    Var x = new Var("x"), y = new Var("y");
    Func out = new Func("out");
    out.at(x, y).set(Exprs.cast(Type.F32, x.plus(1)).times(in.at(y)));
    RDom r = new RDom("r", 0, 2, 0, 2);
    Func loss = new Func("loss");
    loss.at().set(0f);
    loss.at().plusAssign(out.at(r.x(), r.y()).times(out.at(r.x(), r.y())));
    Derivative d = Gradients.propagateAdjoints(loss);
    return new Case("one_d_to_two_d", loss, d, List.of(
        new Gradient("d_out", d.of(out), new int[] {2, 2}, new double[] {2, 4, 4, 8}),
        new Gradient("d_in", d.of(in), new int[] {2}, new double[] {10, 20})), List.of(d.of(in)), List.of(in), List.of());
  }

  /** Catalog 30, transpose: in(i, j) = i + j, target(i, j) = i j; d_in(i, j) = 2 (in(i, j) - target(j, i)). */
  static Case transpose() {
    int n = 5;
    ImageParam in = new ImageParam("in", Type.F32, 2);
    in.set(grid(n, (i, j) -> i + j));
    ImageParam target = new ImageParam("target", Type.F32, 2);
    target.set(grid(n, (i, j) -> i * j));
    Var x = new Var("x"), y = new Var("y");
    Func out = new Func("out");
    out.at(x, y).set(in.at(y, x));
    RDom r = new RDom("r", 0, n, 0, n);
    Func loss = new Func("loss");
    loss.at().set(0f);
    loss.at().plusAssign(Exprs.pow(out.at(r.x(), r.y()).minus(target.at(r.x(), r.y())), 2f));
    Derivative d = Gradients.propagateAdjoints(loss);
    double[] expected = new double[n * n];
    for (int j = 0; j < n; j++) for (int i = 0; i < n; i++) expected[j * n + i] = 2 * ((i + j) - j * i);
    return new Case("transpose", loss, d, List.of(new Gradient("d_in", d.of(in), new int[] {n, n}, expected)), List.of(), List.of(in, target), List.of());
  }

  /** Catalog 37, param: f() = p p width(buf) buf(0) with p = 2, buf = [1, 0]; d_p = 8, d_buf = [8, 0]. */
  static Case param() {
    Param p = new Param("p", Type.F32, 2.0);
    ImageParam buf = new ImageParam("buf", Type.F32, 1);
    buf.set(Buffer.of(new float[] {1, 0}, 2));
    Func f = new Func("f");
    f.at().set(p.times(p).times(Exprs.cast(Type.F32, buf.dim(0).extent())).times(buf.at(0)));
    Derivative d = Gradients.propagateAdjoints(f);
    return new Case("param", f, d, List.of(
        new Gradient("d_p", d.of(p), new int[0], new double[] {8}),
        new Gradient("d_buf", d.of(buf), new int[] {2}, new double[] {8, 0})), List.of(), List.of(buf), List.of(p));
  }

  /** An n x n float32 buffer with {@code (i, j) -> value}. */
  static Buffer grid(int n, java.util.function.IntBinaryOperator value) {
    Buffer b = Buffer.allocate(Type.F32, n, n);
    for (int j = 0; j < n; j++) for (int i = 0; i < n; i++) b.setFloat(value.applyAsInt(i, j), i, j);
    return b;
  }
}
