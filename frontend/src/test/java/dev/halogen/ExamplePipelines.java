package dev.halogen;

import dev.halogen.ir.Buffer;
import dev.halogen.ir.Type;
import java.util.function.Consumer;

/**
 * Ten small pipelines in the style of Halide's applications, built with the front end. Tests check
 * the IR they make; golden files of their printed IR are compared against later.
 *
 * <p>Each pipeline is an algorithm ({@code blurAlgorithm()} and so on: a record of the Funcs, Vars,
 * RDoms and inputs a schedule refers to) plus its default schedule ({@code scheduleBlur}); {@code
 * blur()} is the two together. {@link #scheduled} applies any other schedule to a fresh algorithm,
 * which is how the schedule conformance test tries several schedules of one algorithm.
 */
public final class ExamplePipelines {
  private ExamplePipelines() {}

  /** An algorithm of one of the pipelines, with its outputs. */
  public interface Algorithm {
    Pipeline pipeline();
  }

  /** {@code algorithm} with {@code schedule} applied, as a Pipeline. */
  public static <A extends Algorithm> Pipeline scheduled(A algorithm, Consumer<? super A> schedule) {
    schedule.accept(algorithm);
    return algorithm.pipeline();
  }

  // ------------------------------------------------------------------ blur

  public record Blur(Var x, Var y, ImageParam in, Func clamped, Func blurX, Func blurY) implements Algorithm {
    @Override
    public Pipeline pipeline() {
      return new Pipeline(blurY);
    }
  }

  /** A separable 3x3 box blur of an image extended by repeating its edge; tiled, parallel and vectorized. */
  public static Pipeline blur() {
    return scheduled(blurAlgorithm(), ExamplePipelines::scheduleBlur);
  }

  public static Blur blurAlgorithm() {
    Var x = new Var("x");
    Var y = new Var("y");
    ImageParam in = new ImageParam("in", Type.F32, 2);
    Func clamped = BoundaryConditions.repeatEdge(in);
    Func blurX = new Func("blur_x");
    blurX.at(x, y).set(clamped.at(x.minus(1), y).plus(clamped.at(x, y)).plus(clamped.at(x.plus(1), y)).div(3f));
    Func blurY = new Func("blur_y");
    blurY.at(x, y).set(blurX.at(x, y.minus(1)).plus(blurX.at(x, y)).plus(blurX.at(x, y.plus(1))).div(3f));
    return new Blur(x, y, in, clamped, blurX, blurY);
  }

  public static void scheduleBlur(Blur b) {
    Var xo = new Var("xo");
    Var yo = new Var("yo");
    Var xi = new Var("xi");
    Var yi = new Var("yi");
    b.blurY().tile(b.x(), b.y(), xo, yo, xi, yi, 64, 32).parallel(yo).vectorize(xi, 8);
    b.blurX().computeAt(b.blurY(), xo).vectorize(b.x(), 8);
  }

  // ------------------------------------------------------------------ histogram

  public record Histogram(Var i, ImageParam in, RDom r, Func hist) implements Algorithm {
    @Override
    public Pipeline pipeline() {
      return new Pipeline(hist);
    }
  }

  /** A 256-bin histogram of an 8-bit image: an update over an RDom covering the image, done atomically in parallel. */
  public static Pipeline histogram() {
    return scheduled(histogramAlgorithm(), ExamplePipelines::scheduleHistogram);
  }

  public static Histogram histogramAlgorithm() {
    Var i = new Var("i");
    ImageParam in = new ImageParam("in", Type.U8, 2);
    RDom r = new RDom("r", in);
    Func hist = new Func("hist");
    hist.at(i).set(0);
    hist.at(in.at(r.x(), r.y())).plusAssign(1);
    return new Histogram(i, in, r, hist);
  }

  public static void scheduleHistogram(Histogram h) {
    h.hist().update(0).atomic().parallel(h.r().y());
  }

  // ------------------------------------------------------------------ convolution

  /** {@code convSum} is the Func of the inline sum that {@code conv2d} calls. */
  public record Convolution(Var x, Var y, ImageParam in, Func zero, RDom r, Func convX, RDom s, Func convSum, Func conv2d)
      implements Algorithm {
    @Override
    public Pipeline pipeline() {
      return new Pipeline(convX, conv2d);
    }
  }

  /**
   * A 1-D convolution along x with a 3-tap kernel (explicit update) and a 2-D convolution with a
   * 5x5 kernel (inline sum), both of an image that is zero outside its bounds.
   */
  public static Pipeline convolution() {
    return scheduled(convolutionAlgorithm(), ExamplePipelines::scheduleConvolution);
  }

  public static Convolution convolutionAlgorithm() {
    Var x = new Var("x");
    Var y = new Var("y");
    ImageParam in = new ImageParam("in", Type.F32, 2);
    Func zero = BoundaryConditions.constantExterior(in, Expr.of(0f), new int[][] {{0, 640}, {0, 480}});
    ConstantBuffer k1 = new ConstantBuffer("k1", Buffer.of(new float[] {0.25f, 0.5f, 0.25f}, 3).withMins(-1));
    RDom r = new RDom("r", -1, 3);
    Func convX = new Func("conv_x");
    convX.at(x, y).set(0f);
    convX.at(x, y).plusAssign(zero.at(x.plus(r.x()), y).times(k1.at(r.x())));
    float[] w = new float[25];
    for (int j = 0; j < 25; j++) w[j] = (j % 5 + 1) * (j / 5 + 1) / 81f;
    ConstantBuffer k2 = new ConstantBuffer("k2", Buffer.of(w, 5, 5).withMins(-2, -2));
    RDom s = new RDom("s", -2, 5, -2, 5);
    Func conv2 = new Func("conv_2d");
    Expr sum = Exprs.sum(zero.at(x.plus(s.x()), y.plus(s.y())).times(k2.at(s.x(), s.y())), "conv_sum");
    conv2.at(x, y).set(sum);
    return new Convolution(x, y, in, zero, r, convX, s, calledFunc(sum, "conv_sum"), conv2);
  }

  public static void scheduleConvolution(Convolution c) {
    c.convX().update(0).vectorize(c.x(), 8);
    c.conv2d().vectorize(c.x(), 8).parallel(c.y());
  }

  /** The Func named {@code name} that {@code call} calls: the handle of an inline reduction's Func, to schedule it. */
  private static Func calledFunc(Expr call, String name) {
    for (Func f : call.refs.leaves(Func.class)) if (f.name().equals(name)) return f;
    throw new IllegalArgumentException("the expression calls no Func named " + name);
  }

  // ------------------------------------------------------------------ argmin

  /** {@code argminBowl} is the Tuple-valued Func of the inline argmin that {@code best} copies. */
  public record Argmin(Var x, Var y, Func bowl, RDom r, Func argminBowl, Func best) implements Algorithm {
    @Override
    public Pipeline pipeline() {
      return new Pipeline(best);
    }
  }

  /** The argmin of a bowl-shaped function over a 10x10 domain, copied into a Tuple-valued output. */
  public static Pipeline argmin() {
    return scheduled(argminAlgorithm(), ExamplePipelines::scheduleArgmin);
  }

  public static Argmin argminAlgorithm() {
    Var x = new Var("x");
    Var y = new Var("y");
    Func bowl = new Func("bowl");
    bowl.at(x, y).set(Exprs.cast(Type.F32, x.minus(3).times(x.minus(3)).plus(y.minus(5).times(y.minus(5)))));
    RDom r = new RDom("r", 0, 10, 0, 10);
    FuncRef best = Exprs.argmin(bowl.at(r.x(), r.y()), "argmin_bowl");
    Func out = new Func("best");
    out.at().set(best);
    return new Argmin(x, y, bowl, r, best.func(), out);
  }

  public static void scheduleArgmin(Argmin a) {
    a.bowl().computeRoot();
  }

  // ------------------------------------------------------------------ tone curve

  public record ToneCurve(Var x, Var y, Var i, ImageParam in, Func lut, Func curve) implements Algorithm {
    @Override
    public Pipeline pipeline() {
      return new Pipeline(curve);
    }
  }

  /** A piecewise-linear tone curve: a 16-entry gamma table read at floor and ceil of each pixel and blended. */
  public static Pipeline toneCurve() {
    return scheduled(toneCurveAlgorithm(), ExamplePipelines::scheduleToneCurve);
  }

  public static ToneCurve toneCurveAlgorithm() {
    Var x = new Var("x");
    Var y = new Var("y");
    Var i = new Var("i");
    ImageParam in = new ImageParam("in", Type.F32, 2);
    Func lut = new Func("lut");
    lut.at(i).set(Exprs.pow(Exprs.cast(Type.F32, i).div(15f), 1f / 2.2f));
    // Clamped into the table's domain: a read of lut at a data-dependent, unbounded index could
    // not be bounded, so lut could not be computed ahead of curve.
    Expr v = Exprs.clamp(in.at(x, y), 0f, 15f);
    Expr w = v.minus(Exprs.floor(v));
    Func curve = new Func("curve");
    curve.at(x, y).set(lut.at(Exprs.cast(Type.I32, Exprs.floor(v))).times(Expr.of(1f).minus(w))
        .plus(lut.at(Exprs.cast(Type.I32, Exprs.ceil(v))).times(w)));
    return new ToneCurve(x, y, i, in, lut, curve);
  }

  public static void scheduleToneCurve(ToneCurve t) {
    t.lut().computeRoot();
    t.curve().vectorize(t.x(), 8).parallel(t.y());
  }

  // ------------------------------------------------------------------ soft histogram

  public record SoftHistogram(Var b, ImageParam in, RDom r, Func hist) implements Algorithm {
    @Override
    public Pipeline pipeline() {
      return new Pipeline(hist);
    }
  }

  /**
   * A soft histogram of 16 bins: each pixel adds {@code 1 - w} to the bin below its value and {@code w}
   * to the bin above (values outside [0, 15) count in the edge bins).
   */
  public static Pipeline softHistogram() {
    return scheduled(softHistogramAlgorithm(), h -> {});
  }

  public static SoftHistogram softHistogramAlgorithm() {
    Var b = new Var("b");
    ImageParam in = new ImageParam("in", Type.F32, 2);
    RDom r = new RDom("r", in);
    Expr v = in.at(r.x(), r.y());
    Expr lo = Exprs.floor(v);
    Expr w = v.minus(lo);
    // Clamped so that both writes land in the 16 bins whatever the data: a scatter to a
    // data-dependent, unbounded index could not be checked before the run.
    Expr bin = Exprs.clamp(Exprs.cast(Type.I32, lo), 0, 14);
    Func hist = new Func("soft_hist");
    hist.at(b).set(0f);
    hist.at(bin).plusAssign(Expr.of(1).minus(w));
    hist.at(bin.plus(1)).plusAssign(w);
    return new SoftHistogram(b, in, r, hist);
  }

  // ------------------------------------------------------------------ bilateral grid

  public record BilateralGrid(Var x, Var y, Var z, Var c, ImageParam in, Param rSigma, RDom r, Func grid, Func blurZ,
      Func blurX, Func blurY, Func sliced, Func out) implements Algorithm {
    @Override
    public Pipeline pipeline() {
      return new Pipeline(out);
    }
  }

  /** Halide's bilateral grid: splat into a coarse 3-D grid, blur it along z, x and y, slice it trilinearly. */
  public static Pipeline bilateralGrid() {
    return scheduled(bilateralGridAlgorithm(), ExamplePipelines::scheduleBilateralGrid);
  }

  public static BilateralGrid bilateralGridAlgorithm() {
    final int s = 8;
    Var x = new Var("x");
    Var y = new Var("y");
    Var z = new Var("z");
    Var c = new Var("c");
    ImageParam in = new ImageParam("in", Type.F32, 2);
    Param rSigma = new Param("r_sigma", Type.F32, 0.1);
    Func clamped = BoundaryConditions.repeatEdge(in);

    RDom r = new RDom("r", 0, s, 0, s);
    Expr val = Exprs.clamp(clamped.at(x.times(s).plus(r.x()).minus(s / 2), y.times(s).plus(r.y()).minus(s / 2)), 0f, 1f);
    // z never leaves [0, ceil(1 / r_sigma)] (val is in [0, 1]); the clamps say so where interval
    // arithmetic cannot see it (r_sigma is a Param of unknown sign), so the grid has bounds.
    Expr zMax = Exprs.cast(Type.I32, Exprs.ceil(Expr.of(1f).div(rSigma)));
    Expr zi = Exprs.clamp(Exprs.cast(Type.I32, val.times(Expr.of(1f).div(rSigma)).plus(0.5f)), Expr.of(0), zMax);
    Func grid = new Func("grid");
    grid.at(x, y, z, c).set(0f);
    grid.at(x, y, zi, c).plusAssign(Exprs.select(c.eq(0), val, Expr.of(1f)));

    Func blurZ = new Func("blur_z");
    blurZ.at(x, y, z, c).set(fiveTap(k -> grid.at(x, y, z.plus(k), c)));
    Func blurX = new Func("blur_x");
    blurX.at(x, y, z, c).set(fiveTap(k -> blurZ.at(x.plus(k), y, z, c)));
    Func blurY = new Func("blur_y");
    blurY.at(x, y, z, c).set(fiveTap(k -> blurX.at(x, y.plus(k), z, c)));

    Expr v = Exprs.clamp(in.at(x, y), 0f, 1f);
    Expr zv = v.times(Expr.of(1f).div(rSigma));
    Expr zInt = Exprs.clamp(Exprs.cast(Type.I32, zv), Expr.of(0), zMax);
    Expr zf = zv.minus(Exprs.cast(Type.F32, zInt));
    Expr xf = Exprs.cast(Type.F32, x.rem(s)).div(s);
    Expr yf = Exprs.cast(Type.F32, y.rem(s)).div(s);
    Expr xi = x.div(s);
    Expr yi = y.div(s);
    Func sliced = new Func("interpolated");
    sliced.at(x, y, c).set(Exprs.lerp(
        Exprs.lerp(Exprs.lerp(blurY.at(xi, yi, zInt, c), blurY.at(xi.plus(1), yi, zInt, c), xf),
            Exprs.lerp(blurY.at(xi, yi.plus(1), zInt, c), blurY.at(xi.plus(1), yi.plus(1), zInt, c), xf), yf),
        Exprs.lerp(Exprs.lerp(blurY.at(xi, yi, zInt.plus(1), c), blurY.at(xi.plus(1), yi, zInt.plus(1), c), xf),
            Exprs.lerp(blurY.at(xi, yi.plus(1), zInt.plus(1), c), blurY.at(xi.plus(1), yi.plus(1), zInt.plus(1), c), xf), yf),
        zf));
    Func out = new Func("bilateral_grid");
    out.at(x, y).set(sliced.at(x, y, 0).div(sliced.at(x, y, 1)));
    return new BilateralGrid(x, y, z, c, in, rSigma, r, grid, blurZ, blurX, blurY, sliced, out);
  }

  public static void scheduleBilateralGrid(BilateralGrid g) {
    Var x = g.x(), y = g.y(), z = g.z(), c = g.c();
    g.grid().computeRoot().reorder(c, z, x, y).parallel(y);
    g.grid().update(0).reorder(c, g.r().x(), g.r().y(), x, y).parallel(y);
    g.blurZ().computeRoot().reorder(c, z, x, y).parallel(y).vectorize(x, 8).unroll(c);
    g.blurX().computeRoot().reorder(c, x, y, z).parallel(z).vectorize(x, 8).unroll(c);
    g.blurY().computeRoot().reorder(c, x, y, z).parallel(z).vectorize(x, 8).unroll(c);
    g.out().computeRoot().parallel(y).vectorize(x, 8);
  }

  private static Expr fiveTap(java.util.function.IntFunction<FuncRef> at) {
    return at.apply(-2).plus(at.apply(-1).times(4)).plus(at.apply(0).times(6)).plus(at.apply(1).times(4)).plus(at.apply(2));
  }

  // ------------------------------------------------------------------ recursive filter

  public record RecursiveFilter(Var x, Var y, ImageParam in, RDom r, Func scan) implements Algorithm {
    @Override
    public Pipeline pipeline() {
      return new Pipeline(scan);
    }
  }

  /** A first-order recursive filter scanning along x: {@code f(x) = (1 - a) f(x) + a f(x - 1)}. */
  public static Pipeline recursiveFilter() {
    return scheduled(recursiveFilterAlgorithm(), ExamplePipelines::scheduleRecursiveFilter);
  }

  public static RecursiveFilter recursiveFilterAlgorithm() {
    Var x = new Var("x");
    Var y = new Var("y");
    ImageParam in = new ImageParam("in", Type.F32, 2);
    Func scan = new Func("scan");
    scan.at(x, y).set(in.at(x, y));
    RDom r = new RDom("r", Expr.of(1), in.dim(0).extent().minus(1));
    scan.at(r.x(), y).set(scan.at(r.x(), y).times(0.75f).plus(scan.at(r.x().minus(1), y).times(0.25f)));
    return new RecursiveFilter(x, y, in, r, scan);
  }

  public static void scheduleRecursiveFilter(RecursiveFilter f) {
    f.scan().update(0).parallel(f.y());
  }

  // ------------------------------------------------------------------ disk blur

  public record DiskBlur(Var x, Var y, ImageParam in, Func mirrored, RDom r, Func disk, Func mean) implements Algorithm {
    @Override
    public Pipeline pipeline() {
      return new Pipeline(mean);
    }
  }

  /** A disk-shaped mean: an RDom over a 7x7 square restricted to the disk of radius 3 by a predicate. */
  public static Pipeline diskBlur() {
    return scheduled(diskBlurAlgorithm(), ExamplePipelines::scheduleDiskBlur);
  }

  public static DiskBlur diskBlurAlgorithm() {
    Var x = new Var("x");
    Var y = new Var("y");
    ImageParam in = new ImageParam("in", Type.F32, 2);
    Func mirrored = BoundaryConditions.mirrorImage(in);
    RDom r = new RDom("r", -3, 7, -3, 7);
    r.where(r.x().times(r.x()).plus(r.y().times(r.y())).le(9));
    Func disk = new Func("disk_sum");
    disk.at(x, y).set(0f);
    disk.at(x, y).plusAssign(mirrored.at(x.plus(r.x()), y.plus(r.y())));
    Func mean = new Func("disk_mean");
    mean.at(x, y).set(disk.at(x, y).div(29f));
    return new DiskBlur(x, y, in, mirrored, r, disk, mean);
  }

  public static void scheduleDiskBlur(DiskBlur d) {
    d.disk().computeAt(d.mean(), d.y());
  }

  // ------------------------------------------------------------------ scaled pair

  public record ScaledPair(Var x, Var y, ImageParam in, Param gain, Func scaled, Func out) implements Algorithm {
    @Override
    public Pipeline pipeline() {
      return new Pipeline(out);
    }
  }

  /** Two stages and a scalar parameter: {@code out = clamp(gain * in(x) + gain * in(x + 1), 0, 1)} of an 8-bit image. */
  public static Pipeline scaledPair() {
    return scheduled(scaledPairAlgorithm(), ExamplePipelines::scheduleScaledPair);
  }

  public static ScaledPair scaledPairAlgorithm() {
    Var x = new Var("x");
    Var y = new Var("y");
    ImageParam in = new ImageParam("in", Type.U8, 2);
    Param gain = new Param("gain", Type.F32, 1.0);
    Func scaled = new Func("scaled");
    scaled.at(x, y).set(Exprs.cast(Type.F32, in.at(x, y)).div(255f).times(gain));
    Func out = new Func("out");
    out.at(x, y).set(Exprs.clamp(scaled.at(x, y).plus(scaled.at(x.plus(1), y)), 0f, 1f));
    return new ScaledPair(x, y, in, gain, scaled, out);
  }

  public static void scheduleScaledPair(ScaledPair p) {
    p.scaled().computeAt(p.out(), p.y());
    p.out().parallel(p.y()).vectorize(p.x(), 8);
  }
}
