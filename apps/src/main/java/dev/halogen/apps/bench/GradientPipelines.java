package dev.halogen.apps.bench;

import dev.halogen.Derivative;
import dev.halogen.Func;
import dev.halogen.Gradients;
import dev.halogen.ImageParam;
import dev.halogen.Pipeline;
import dev.halogen.RDom;
import dev.halogen.RVar;
import dev.halogen.Stage;
import dev.halogen.Var;
import dev.halogen.ir.Buffer;
import dev.halogen.ir.TailStrategy;
import dev.halogen.ir.Type;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The two losses of {@code halogen bench grad}, differentiated with {@link
 * Gradients#propagateAdjoints} and scheduled explicitly, adjoint Func by adjoint Func: the same
 * algorithms and schedules as the Halide 14 program {@code halide_gradient.cpp} (resources), whose
 * {@code propagate_adjoints} makes the corresponding Funcs (Halogen's {@code conv_1_d$2},
 * {@code input_d$11}, {@code weights_d$13} are Halide's {@code conv_1_d_def__}, {@code
 * input_im_0_d_def__}, {@code weights_im_0_d_def__}; both make the same gathers). Each pipeline
 * realizes the gradients with respect to the input and the weights together. {@link
 * Case#reference} computes them in plain Java from the hand-derived formulas.
 */
public final class GradientPipelines {
  private GradientPipelines() {}

  /** Points per parallel task and per partial sum of conv1d's weight gradient. */
  static final int BLOCK = 8192;
  static final int VEC = 8;
  /** Rows per partial sum of the layer's weight gradient. */
  static final int ROWS = 16;
  /** The taps of the 1-D convolution. */
  static final int TAPS = 16;
  /** The layer's channels in and out, and its batch. */
  static final int CHANNELS = 16;
  static final int BATCH = 4;

  /** A pipeline built from scratch, with the ImageParams its inputs bind to (in the order of {@link Case#inputs}). */
  public record Built(Pipeline pipeline, List<ImageParam> inputs) {}

  /** The constants of a benchmark; {@code description} has a {@code %d} where the size goes. */
  public record Spec(String name, int size, String description) {}

  /** One benchmark: the loss, its gradients and their schedule, its data and the gradients in plain Java. */
  public sealed interface Case permits Conv1d, ConvLayer {
    Spec spec();

    default String name() {
      return spec().name();
    }

    default String describe(int size) {
      return String.format(Locale.ROOT, spec().description(), size);
    }

    /** The size. */
    default int size() {
      return spec().size();
    }

    /** The smallest size the schedule's shifted-inward splits fit. */
    int leastSize();

    /** A fresh loss, its gradient pipeline and schedule (new Funcs, so that compiling it is a compile from scratch). */
    Built build(int size);

    /** Deterministic inputs, in the order of {@link Built#inputs()}. */
    List<Buffer> inputs(int size, long seed);

    /** New buffers for the gradients with respect to the input and the weights, in the pipeline's output order. */
    List<Buffer> outputs(int size);

    /** The gradients computed in plain Java from the hand-derived formulas. */
    List<Buffer> reference(List<Buffer> inputs, int size);
  }

  /** Relative agreement required between two float gradients: the largest difference over the largest magnitude. */
  public static final double RELATIVE_TOLERANCE = 1e-3;

  public static List<Case> all() {
    return List.of(new Conv1d(), new ConvLayer());
  }

  // ------------------------------------------------------------------ schedule helpers (halide_gradient.cpp's)

  /** A pure definition: blocks of {@link #BLOCK} in parallel, each vectorized. */
  private static void blocks(Func f, Var v) {
    Var vb = new Var(v.name() + "_b");
    Var vi = new Var(v.name() + "_i");
    f.split(v, vb, vi, BLOCK, TailStrategy.SHIFT_INWARDS).parallel(vb).vectorize(vi, VEC, TailStrategy.SHIFT_INWARDS);
  }

  /** An update over the one-dimensional RDom {@code r}: blocks in parallel, vectorized in {@code v}, {@code r} unrolled around the vector. */
  private static void blockGather(Stage s, Var v, RVar r) {
    Var vb = new Var(v.name() + "_b");
    Var vi = new Var(v.name() + "_i");
    Var vo = new Var(v.name() + "_o");
    Var vv = new Var(v.name() + "_v");
    s.split(v, vb, vi, BLOCK, TailStrategy.GUARD_WITH_IF).split(vi, vo, vv, VEC, TailStrategy.GUARD_WITH_IF).reorder(vv, r, vo, vb)
        .vectorize(vv).unroll(r).parallel(vb);
  }

  private static Var arg(Func f, int i) {
    return new Var(f.args().get(i));
  }

  private static RDom rdom(Func f) {
    return f.update(0).rdom().orElseThrow(() -> new IllegalStateException("the update of " + f.name() + " has no reduction domain"));
  }

  // ------------------------------------------------------------------ 1. 1-D convolution

  /**
   * {@code loss = Σ_x (Σ_{r<16} in(x + r) w(r) - target(x))²}; gradients with respect to {@code in}
   * (N + 15 points) and {@code w} (16). Schedule: conv and its adjoint at the root, in parallel
   * blocks of {@link #BLOCK}, vectorized; d_in a gather (16 taps unrolled around a vector of 8);
   * d_w by rfactor over blocks of {@link #BLOCK} points, the partial sums in parallel, vectorized
   * over the 16 weights.
   */
  public record Conv1d() implements Case {
    private static final Spec SPEC = new Spec("conv1d", 1 << 20,
        "d/d(in, w) of Σ_x (Σ_{r<16} in(x+r) w(r) - target(x))², N = %d, parallel blocks of " + BLOCK + ", vectorized, rfactor for d_w");

    @Override
    public Spec spec() {
      return SPEC;
    }

    @Override
    public int leastSize() {
      return BLOCK;
    }

    @Override
    public Built build(int n) {
      Var x = new Var("x");
      Var u = new Var("u");
      ImageParam in = new ImageParam("input", Type.F32, 1);
      ImageParam w = new ImageParam("weights", Type.F32, 1);
      ImageParam target = new ImageParam("target", Type.F32, 1);
      RDom r = new RDom("r", 0, TAPS);
      Func conv = new Func("conv");
      conv.at(x).set(0f);
      conv.at(x).plusAssign(in.at(x.plus(r.x())).times(w.at(r.x())));
      Func diff = new Func("diff");
      diff.at(x).set(conv.at(x).minus(target.at(x)));
      RDom p = new RDom("p", 0, n);
      Func loss = new Func("loss");
      loss.at().set(0f);
      loss.at().plusAssign(diff.at(p.x()).times(diff.at(p.x())));
      Derivative d = Gradients.propagateAdjoints(loss);
      Func dConv = d.of(conv);
      Func dIn = d.of(in);
      Func dW = d.of(w);

      conv.computeRoot();
      blocks(conv, x);
      blockGather(conv.update(0), x, r.x());
      dConv.computeRoot();
      blocks(dConv, arg(dConv, 0));
      Var i = arg(dIn, 0);
      blocks(dIn, i);
      blockGather(dIn.update(0), i, rdom(dIn).x());
      Var j = arg(dW, 0);
      RVar rw = rdom(dW).x();
      Var rwo = new Var("rwo");
      Var rwi = new Var("rwi");
      // The gradient covers exactly the 16 weights: with the bound known, the guard of the gather
      // (select(j in [0, 16), ...[r := clamp(j)], 0)) simplifies away.
      dW.bound(j, 0, TAPS).vectorize(j, VEC, TailStrategy.SHIFT_INWARDS);
      dW.update(0).split(rw, rwo, rwi, BLOCK, TailStrategy.GUARD_WITH_IF);
      Func intm = dW.update(0).rfactor(rwo, u);
      intm.computeRoot().vectorize(j, VEC, TailStrategy.SHIFT_INWARDS);
      intm.update(0).vectorize(j, VEC, TailStrategy.GUARD_WITH_IF).parallel(u);
      dW.update(0).vectorize(j, VEC, TailStrategy.GUARD_WITH_IF);
      return new Built(new Pipeline(dIn, dW), List.of(in, w, target));
    }

    @Override
    public List<Buffer> inputs(int n, long seed) {
      SplittableRandom random = new SplittableRandom(seed);
      return List.of(random(random, 1f, n + 15), random(random, 1f / 8, 16), random(random, 1f, n));
    }

    @Override
    public List<Buffer> outputs(int n) {
      return List.of(Buffer.allocate(Type.F32, n + 15), Buffer.allocate(Type.F32, 16));
    }

    @Override
    public List<Buffer> reference(List<Buffer> inputs, int n) {
      Buffer in = inputs.get(0);
      Buffer w = inputs.get(1);
      Buffer target = inputs.get(2);
      // dloss/dconv(x) = 2 (conv(x) - target(x)); conv(x) reads in(x + r), so d_in(x + r) += that * w(r).
      double[] dConv = new double[n];
      for (int x = 0; x < n; x++) {
        double conv = 0;
        for (int r = 0; r < 16; r++) conv += (double) in.getFloat(x + r) * w.getFloat(r);
        dConv[x] = 2 * (conv - target.getFloat(x));
      }
      Buffer dIn = Buffer.allocate(Type.F32, n + 15);
      for (int i = 0; i < n + 15; i++) {
        double sum = 0;
        for (int r = 0; r < 16; r++) if (i - r >= 0 && i - r < n) sum += dConv[i - r] * w.getFloat(r);
        dIn.setFloat((float) sum, i);
      }
      Buffer dW = Buffer.allocate(Type.F32, 16);
      for (int r = 0; r < 16; r++) {
        double sum = 0;
        for (int x = 0; x < n; x++) sum += dConv[x] * in.getFloat(x + r);
        dW.setFloat((float) sum, r);
      }
      return List.of(dIn, dW);
    }
  }

  // ------------------------------------------------------------------ 2. convolution layer

  /**
   * A 3x3 convolution layer, 16 channels in and out, batch 4: {@code out(x, y, co, b) = Σ_{rx, ry,
   * ci} in(x + rx, y + ry, ci, b) w(rx, ry, ci, co)}, {@code loss = Σ out²}; gradients with respect
   * to the input (W+2 x H+2 x 16 x 4) and the weights (3 x 3 x 16 x 16). Schedule: out and its
   * adjoint at the root, vectorized in x, parallel over rows (out's update: the 3x3 taps unrolled
   * around the vector); d_in likewise (a gather over the taps and the output channels); d_w by
   * rfactor over the 8 lanes of x and over blocks of {@link #ROWS} rows, the partial sums
   * vectorized over the lanes, in parallel over the row blocks.
   */
  public record ConvLayer() implements Case {
    private static final Spec SPEC = new Spec("convlayer", 256,
        "d/d(in, w) of Σ out², out = 3x3 conv, 16 -> 16 channels, batch 4, %1$d x %1$d, vectorized, parallel rows, rfactor for d_w");

    @Override
    public Spec spec() {
      return SPEC;
    }

    @Override
    public int leastSize() {
      return 2 * ROWS;
    }

    @Override
    public Built build(int size) {
      Var x = new Var("x");
      Var y = new Var("y");
      Var co = new Var("co");
      Var b = new Var("b");
      Var xo = new Var("xo");
      Var xi = new Var("xi");
      Var u = new Var("u");
      Var v = new Var("v");
      ImageParam in = new ImageParam("input", Type.F32, 4);
      ImageParam w = new ImageParam("weights", Type.F32, 4);
      RDom r = new RDom("r", 0, 3, 0, 3, 0, CHANNELS);
      Func out = new Func("out");
      out.at(x, y, co, b).set(0f);
      out.at(x, y, co, b).plusAssign(in.at(x.plus(r.x()), y.plus(r.y()), r.z(), b).times(w.at(r.x(), r.y(), r.z(), co)));
      RDom p = new RDom("p", 0, size, 0, size, 0, CHANNELS, 0, BATCH);
      Func loss = new Func("loss");
      loss.at().set(0f);
      loss.at().plusAssign(out.at(p.x(), p.y(), p.z(), p.w()).times(out.at(p.x(), p.y(), p.z(), p.w())));
      Derivative d = Gradients.propagateAdjoints(loss);
      Func dOut = d.of(out);
      Func dIn = d.of(in);
      Func dW = d.of(w);

      out.computeRoot().vectorize(x, VEC, TailStrategy.SHIFT_INWARDS).parallel(y);
      out.update(0).split(x, xo, xi, VEC, TailStrategy.GUARD_WITH_IF).reorder(xi, r.x(), r.y(), r.z(), xo, y, co, b)
          .vectorize(xi).unroll(r.x()).unroll(r.y()).parallel(y);
      dOut.computeRoot().vectorize(arg(dOut, 0), VEC, TailStrategy.SHIFT_INWARDS).parallel(arg(dOut, 1));
      RDom ra = rdom(dIn);
      dIn.vectorize(arg(dIn, 0), VEC, TailStrategy.SHIFT_INWARDS).parallel(arg(dIn, 1));
      dIn.update(0).split(arg(dIn, 0), xo, xi, VEC, TailStrategy.GUARD_WITH_IF)
          .reorder(xi, ra.x(), ra.y(), ra.z(), xo, arg(dIn, 1), arg(dIn, 2), arg(dIn, 3)).vectorize(xi).unroll(ra.x()).unroll(ra.y())
          .parallel(arg(dIn, 1));
      RDom rk = rdom(dW);
      Var rxo = new Var("rxo");
      Var rxi = new Var("rxi");
      Var ryo = new Var("ryo");
      Var ryi = new Var("ryi");
      dW.update(0).split(rk.x(), rxo, rxi, VEC, TailStrategy.GUARD_WITH_IF).split(rk.y(), ryo, ryi, ROWS, TailStrategy.GUARD_WITH_IF);
      Func intm = dW.update(0).rfactor(List.of(Map.entry(rxi, v), Map.entry(ryo, u)));
      intm.computeRoot();
      intm.update(0).reorder(v, rxo, ryi, rk.z(), arg(dW, 0), arg(dW, 1), arg(dW, 2), arg(dW, 3), u).vectorize(v).parallel(u);
      return new Built(new Pipeline(dIn, dW), List.of(in, w));
    }

    @Override
    public List<Buffer> inputs(int size, long seed) {
      SplittableRandom random = new SplittableRandom(seed);
      return List.of(random(random, 1f, size + 2, size + 2, CHANNELS, BATCH), random(random, 1f / 72, 3, 3, CHANNELS, CHANNELS));
    }

    @Override
    public List<Buffer> outputs(int size) {
      return List.of(Buffer.allocate(Type.F32, size + 2, size + 2, CHANNELS, BATCH), Buffer.allocate(Type.F32, 3, 3, CHANNELS, CHANNELS));
    }

    @Override
    public List<Buffer> reference(List<Buffer> inputs, int size) {
      Buffer in = inputs.get(0);
      Buffer w = inputs.get(1);
      // dloss/dout = 2 out; out(x, y, co, b) reads in(x + rx, y + ry, ci, b) with weight w(rx, ry, ci, co).
      double[][][][] dOut = new double[BATCH][CHANNELS][size][size];
      for (int b = 0; b < BATCH; b++) for (int co = 0; co < CHANNELS; co++) for (int y = 0; y < size; y++) for (int x = 0; x < size; x++) {
        double sum = 0;
        for (int ci = 0; ci < CHANNELS; ci++) for (int ry = 0; ry < 3; ry++) for (int rx = 0; rx < 3; rx++) {
          sum += (double) in.getFloat(x + rx, y + ry, ci, b) * w.getFloat(rx, ry, ci, co);
        }
        dOut[b][co][y][x] = 2 * sum;
      }
      Buffer dIn = Buffer.allocate(Type.F32, size + 2, size + 2, CHANNELS, BATCH);
      for (int b = 0; b < BATCH; b++) for (int ci = 0; ci < CHANNELS; ci++) for (int i1 = 0; i1 < size + 2; i1++) for (int i0 = 0; i0 < size + 2; i0++) {
        double sum = 0;
        for (int co = 0; co < CHANNELS; co++) for (int ry = 0; ry < 3; ry++) for (int rx = 0; rx < 3; rx++) {
          int x = i0 - rx;
          int y = i1 - ry;
          if (x >= 0 && x < size && y >= 0 && y < size) sum += dOut[b][co][y][x] * w.getFloat(rx, ry, ci, co);
        }
        dIn.setFloat((float) sum, i0, i1, ci, b);
      }
      Buffer dW = Buffer.allocate(Type.F32, 3, 3, CHANNELS, CHANNELS);
      for (int co = 0; co < CHANNELS; co++) for (int ci = 0; ci < CHANNELS; ci++) for (int ry = 0; ry < 3; ry++) for (int rx = 0; rx < 3; rx++) {
        double sum = 0;
        for (int b = 0; b < BATCH; b++) for (int y = 0; y < size; y++) for (int x = 0; x < size; x++) {
          sum += dOut[b][co][y][x] * in.getFloat(x + rx, y + ry, ci, b);
        }
        dW.setFloat((float) sum, rx, ry, ci, co);
      }
      return List.of(dIn, dW);
    }
  }

  /** A dense float32 buffer of {@code extents} with random values in [0, scale). */
  private static Buffer random(SplittableRandom random, float scale, int... extents) {
    Buffer b = Buffer.allocate(Type.F32, extents);
    MemorySegment seg = b.segment();
    long n = b.elementCount();
    for (long k = 0; k < n; k++) seg.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, k, random.nextFloat() * scale);
    return b;
  }
}
