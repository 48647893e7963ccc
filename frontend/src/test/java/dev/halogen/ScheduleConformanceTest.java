package dev.halogen;

import static dev.halogen.ExamplePipelines.scheduled;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.halogen.ExamplePipelines.Algorithm;
import dev.halogen.ir.Buffer;
import dev.halogen.ir.TailStrategy;
import dev.halogen.ir.Type;
import dev.halogen.passes.Target;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.jspecify.annotations.Nullable;

/**
 * Issue #4's schedule conformance test: each of the example pipelines ({@link ExamplePipelines}),
 * under a baseline schedule and at least five others built with the front end's schedule API
 * (root, compute_at and store_at, tiles that do not divide the extents with each tail strategy,
 * vectorize, unroll, parallel, fuse), is run on each backend (the interpreter and llvm) and compared
 * with a plain Java implementation of the algorithm written here, and with the baseline's result on
 * the same backend.
 *
 * <p>The baseline is the all-inline schedule. A Func with update definitions cannot be left
 * inline yet (lowering would have to compute it at the innermost loop of each consumer); for those
 * the baseline computes it at its consumer's innermost loop, which is what inlining it means (the
 * root for argmin's reduction, whose consumer has no loops). The bilateral grid does not lower with
 * any schedule yet; its case is complete and its test disabled, with the reason.
 *
 * <p>Integer results must be equal bit for bit. Float results too, where the schedule keeps the
 * order of the arithmetic: the references do each float operation in the order the algorithm
 * writes it, in float32 as the IR's semantics say (with math functions computed in double and
 * rounded). A schedule marked as reordering changes the order in which a float reduction combines
 * values; its results must be within {@value #RELATIVE} of the expected ones, relative to the larger
 * magnitude (at least 1).
 *
 * <p>Inputs are random from a fixed seed, printed at the start; {@code -Dhalogen.seed=N} runs another.
 * Extents are deliberately not multiples of the split factors so that every tail strategy is
 * exercised, and several outputs have nonzero mins.
 */
class ScheduleConformanceTest {
  private static final long SEED = Long.getLong("halogen.seed", 20261121L);
  private static final double RELATIVE = 1e-5;
  /** The backends every schedule runs on. */
  private static final List<Target> TARGETS = List.of(Target.of("interp"), Target.of("llvm"));

  // ------------------------------------------------------------------ the cases

  /** The pipelines that lower today. */
  static List<Case<?>> cases() {
    System.out.println("ScheduleConformanceTest: seed " + SEED + " (rerun with -Dhalogen.seed=" + SEED + ")");
    return List.of(new BlurCase(), new HistogramCase(), new ConvolutionCase(), new ArgminCase(), new ToneCurveCase(),
        new SoftHistogramCase(), new RecursiveFilterCase(), new DiskBlurCase(), new ScaledPairCase());
  }

  static Stream<Arguments> runs() {
    return runsOf(cases());
  }

  static Stream<Arguments> bilateralGridRuns() {
    return runsOf(List.of(new BilateralGridCase()));
  }

  private static Stream<Arguments> runsOf(List<Case<?>> cases) {
    List<Arguments> out = new ArrayList<>();
    for (Target t : TARGETS) {
      for (Case<?> c : cases) {
        for (int i = 0; i < c.schedules.size(); i++) out.add(Arguments.of(t.backend(), c.name, c.schedules.get(i).name(), c, i));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}: {1}: {2}")
  @MethodSource("runs")
  void scheduleMatchesTheJavaReferenceAndTheBaseline(String backend, String pipeline, String schedule, Case<?> c, int index) {
    c.check(Target.of(backend), index);
  }

  @ParameterizedTest(name = "{0}: {1}: {2}")
  @MethodSource("bilateralGridRuns")
  void bilateralGridMatchesTheJavaReferenceAndTheBaseline(String backend, String pipeline, String schedule, Case<?> c, int index) {
    c.check(Target.of(backend), index);
  }

  @Test
  @Disabled("with vectorize(x, 8) on the three blurs at the root, the region of each producer is the guarded, clamped"
      + " loop bounds of its consumer substituted into each other four times over; the expression outgrows what Bounds"
      + " simplifies and grid's x comes out unbounded. Halide names each realization's bounds (f.x.min, f.x.max) instead"
      + " of substituting them; schedule-functions needs the same")
  void bilateralGridDefaultSchedule() {
    BilateralGridCase c = new BilateralGridCase();
    c.add(schedule("default", ExamplePipelines::scheduleBilateralGrid));
    for (Target t : TARGETS) c.check(t, c.schedules.size() - 1);
  }

  @Test
  void everyPipelineHasFiveDistinctSchedulesBesidesTheBaseline() {
    List<Case<?>> all = new ArrayList<>(cases());
    all.add(new BilateralGridCase());
    assertEquals(10, all.size());
    for (Case<?> c : all) {
      assertTrue(c.schedules.size() >= 6, c.name + " has " + (c.schedules.size() - 1) + " schedules besides the baseline");
      Set<dev.halogen.ir.Pipeline> irs = new HashSet<>();
      for (int i = 0; i < c.schedules.size(); i++) {
        assertTrue(irs.add(c.pipeline(i).toIr()), c.name + ": schedule " + c.schedules.get(i).name() + " repeats an earlier one");
      }
    }
  }

  /**
   * A schedule of one algorithm.
   *
   * @param reordersArithmetic whether it changes the order in which a float reduction combines
   *     values, so that it may differ from the baseline by rounding
   */
  record Schedule<A>(String name, Consumer<A> apply, boolean reordersArithmetic) {}

  static <A> Schedule<A> schedule(String name, Consumer<A> apply) {
    return new Schedule<>(name, apply, false);
  }

  static <A> Schedule<A> reordering(String name, Consumer<A> apply) {
    return new Schedule<>(name, apply, true);
  }

  /**
   * One pipeline: its inputs (made once, from the seed), the output region, the Java reference,
   * and its schedules, the first of which is the baseline.
   */
  abstract static class Case<A extends Algorithm> {
    final String name;
    final Random random;
    final List<Schedule<A>> schedules = new ArrayList<>();
    private @Nullable List<Buffer> reference;
    /** By target, the baseline's results there. */
    private final Map<Target, List<Buffer>> baselines = new HashMap<>();

    Case(String name) {
      this.name = name;
      this.random = new Random(SEED * 31 + name.hashCode());
    }

    /** A fresh algorithm, without schedule. */
    abstract A algorithm();

    /** Binds the inputs to the ImageParams and Params of {@code a}. */
    abstract void bind(A a);

    /** New zeroed buffers for the outputs, over the region every schedule computes. */
    abstract List<Buffer> outputs();

    /** The expected outputs, computed by plain Java loops. */
    abstract List<Buffer> expected();

    final void add(Schedule<A> s) {
      schedules.add(s);
    }

    Pipeline pipeline(int index) {
      return scheduled(algorithm(), schedules.get(index).apply());
    }

    List<Buffer> run(Target target, int index) {
      A a = algorithm();
      Pipeline p = scheduled(a, schedules.get(index).apply());
      bind(a);
      List<Buffer> out = outputs();
      p.realize(target, out.toArray(Buffer[]::new));
      return out;
    }

    synchronized List<Buffer> reference() {
      if (reference == null) reference = expected();
      return reference;
    }

    synchronized List<Buffer> baseline(Target target) {
      return baselines.computeIfAbsent(target, t -> run(t, 0));
    }

    void check(Target target, int index) {
      String what = name + " under " + schedules.get(index).name() + " on " + target + " (seed " + SEED + ")";
      List<Buffer> got = run(target, index);
      boolean exact = !schedules.get(index).reordersArithmetic();
      compare(reference(), got, exact, what + " vs the Java reference");
      if (index > 0) compare(baseline(target), got, exact, what + " vs the baseline");
    }
  }

  /** Compares buffer by buffer and element by element; float elements bit for bit when {@code exact}. */
  static void compare(List<Buffer> expected, List<Buffer> actual, boolean exact, String what) {
    assertEquals(expected.size(), actual.size(), what + ": number of outputs");
    for (int k = 0; k < expected.size(); k++) {
      Buffer e = expected.get(k), a = actual.get(k);
      assertEquals(e.type(), a.type(), what + ": output " + k + " type");
      assertEquals(e.boundsText(), a.boundsText(), what + ": output " + k + " bounds");
      int buffer = k;
      e.forEachCoordinate(c -> {
        if (e.type().isFloat()) {
          double x = e.getAsDouble(c), y = a.getAsDouble(c);
          boolean ok = exact ? Double.doubleToLongBits(x) == Double.doubleToLongBits(y)
              : Math.abs(x - y) <= RELATIVE * Math.max(1, Math.max(Math.abs(x), Math.abs(y)));
          if (!ok) fail(what + ": output " + buffer + " at " + Arrays.toString(c) + " is " + y + ", expected " + x);
        } else if (e.getAsLong(c) != a.getAsLong(c)) {
          fail(what + ": output " + buffer + " at " + Arrays.toString(c) + " is " + a.getAsLong(c) + ", expected "
              + e.getAsLong(c));
        }
      });
    }
  }

  // ------------------------------------------------------------------ helpers

  /** A zeroed buffer over {@code [mins[d], mins[d] + extents[d])}. */
  static Buffer buffer(Type t, int[] mins, int[] extents) {
    return Buffer.allocate(Arena.ofAuto(), t, mins, extents);
  }

  /** A buffer of {@code t} over the region with each element {@code f(coordinates)} (converted as a cast would). */
  static Buffer filled(Type t, int[] mins, int[] extents, ToDoubleFunction<int[]> f) {
    Buffer b = buffer(t, mins, extents);
    b.forEachCoordinate(c -> b.setFromDouble(f.applyAsDouble(c), c));
    return b;
  }

  /** A {@code w x h} float32 image from 0 with values uniform in {@code [lo, hi)}. */
  static Buffer randomFloats(Random r, int w, int h, float lo, float hi) {
    return filled(Type.F32, new int[] {0, 0}, new int[] {w, h}, c -> lo + (hi - lo) * r.nextFloat());
  }

  static int clamp(int v, int lo, int hi) {
    return Math.max(lo, Math.min(hi, v));
  }

  private static Var v(String name) {
    return new Var(name);
  }

  // ------------------------------------------------------------------ blur

  static final class BlurCase extends Case<ExamplePipelines.Blur> {
    static final int W = 37, H = 29;
    /** The output reaches beyond the image's edges, so the boundary condition is used; 41 x 31, prime extents. */
    static final int[] MINS = {-2, -1}, EXTENTS = {W + 4, H + 2};
    final Buffer in = randomFloats(random, W, H, 0, 1);

    BlurCase() {
      super("blur");
      add(schedule("all inline", b -> {}));
      add(schedule("default: 64x32 tiles, parallel, vectorized, blur_x at tiles", ExamplePipelines::scheduleBlur));
      add(schedule("blur_x and the boundary at root", b -> {
        b.clamped().computeRoot();
        b.blurX().computeRoot();
      }));
      add(schedule("9x8 tiles guarded, blur_x at the tile, both vectorized", b -> {
        b.blurY().tile(b.x(), b.y(), v("xo"), v("yo"), v("xi"), v("yi"), 9, 8, TailStrategy.GUARD_WITH_IF).vectorize(v("xi"), 4);
        b.blurX().computeAt(b.blurY(), v("xo")).vectorize(b.x(), 4);
      }));
      add(schedule("6x4 tiles shifted inwards, blur_x stored per row of tiles, unrolled", b -> {
        b.blurY().tile(b.x(), b.y(), v("xo"), v("yo"), v("xi"), v("yi"), 6, 4, TailStrategy.SHIFT_INWARDS).unroll(v("xi"));
        b.blurX().storeAt(b.blurY(), v("yo")).computeAt(b.blurY(), v("xo"));
      }));
      add(schedule("blur_x stored at root, computed per row; rows parallel", b -> {
        b.blurY().parallel(b.y());
        b.blurX().storeRoot().computeAt(b.blurY(), b.y());
      }));
      add(schedule("x and y fused, vectorized by 4", b -> b.blurY().fuse(b.x(), b.y(), v("xy")).vectorize(v("xy"), 4)));
    }

    @Override
    ExamplePipelines.Blur algorithm() {
      return ExamplePipelines.blurAlgorithm();
    }

    @Override
    void bind(ExamplePipelines.Blur b) {
      b.in().set(in);
    }

    @Override
    List<Buffer> outputs() {
      return List.of(buffer(Type.F32, MINS, EXTENTS));
    }

    @Override
    List<Buffer> expected() {
      return List.of(filled(Type.F32, MINS, EXTENTS, c -> by(c[0], c[1])));
    }

    private float edge(int x, int y) {
      return in.getFloat(clamp(x, 0, W - 1), clamp(y, 0, H - 1));
    }

    private float bx(int x, int y) {
      return (edge(x - 1, y) + edge(x, y) + edge(x + 1, y)) / 3f;
    }

    private float by(int x, int y) {
      return (bx(x, y - 1) + bx(x, y) + bx(x, y + 1)) / 3f;
    }
  }

  // ------------------------------------------------------------------ histogram

  static final class HistogramCase extends Case<ExamplePipelines.Histogram> {
    static final int W = 37, H = 29;
    final Buffer in = filled(Type.U8, new int[] {0, 0}, new int[] {W, H}, c -> random.nextInt(256));

    HistogramCase() {
      super("histogram");
      add(schedule("no schedule", h -> {}));
      add(schedule("default: atomic update, rows in parallel", ExamplePipelines::scheduleHistogram));
      add(schedule("bins vectorized by 8, update columns split by 4 guarded", h -> {
        h.hist().vectorize(h.i(), 8);
        h.hist().update(0).split(h.r().x(), v("rxo"), v("rxi"), 4, TailStrategy.GUARD_WITH_IF);
      }));
      add(schedule("bins split by 10 shifted inwards and unrolled", h -> h.hist().split(h.i(), v("io"), v("ii"), 10,
          TailStrategy.SHIFT_INWARDS).unroll(v("ii"))));
      add(schedule("update with rows inside columns", h -> h.hist().update(0).reorder(h.r().y(), h.r().x())));
      add(schedule("update over the fused image, unrolled by 3", h -> h.hist().update(0).fuse(h.r().x(), h.r().y(), v("rxy"))
          .unroll(v("rxy"), 3)));
      add(schedule("bins in parallel tasks of 16; update columns unrolled by 5", h -> {
        h.hist().parallel(h.i(), 16);
        h.hist().update(0).unroll(h.r().x(), 5);
      }));
      add(schedule("rfactor over rows: a histogram per row in parallel, merged", h -> {
        Func perRow = h.hist().update(0).rfactor(h.r().y(), v("ry"));
        perRow.computeRoot().update(0).parallel(v("ry"));
      }));
      add(schedule("rfactor over columns, the partial histograms vectorized over the bins", h -> {
        Func perColumn = h.hist().update(0).rfactor(h.r().x(), v("rx"));
        perColumn.computeRoot().vectorize(h.i(), 8).update(0).parallel(v("rx"));
      }));
    }

    @Override
    ExamplePipelines.Histogram algorithm() {
      return ExamplePipelines.histogramAlgorithm();
    }

    @Override
    void bind(ExamplePipelines.Histogram h) {
      h.in().set(in);
    }

    @Override
    List<Buffer> outputs() {
      return List.of(buffer(Type.I32, new int[] {0}, new int[] {256}));
    }

    @Override
    List<Buffer> expected() {
      int[] counts = new int[256];
      for (int y = 0; y < H; y++) for (int x = 0; x < W; x++) counts[in.getByte(x, y) & 0xff]++;
      return List.of(filled(Type.I32, new int[] {0}, new int[] {256}, c -> counts[c[0]]));
    }
  }

  // ------------------------------------------------------------------ convolution

  static final class ConvolutionCase extends Case<ExamplePipelines.Convolution> {
    static final int W = 37, H = 29;
    /** The kernels reach 2 pixels beyond the output; the image is zero only outside [0, 640) x [0, 480). */
    final Buffer in = randomFloats(random, W + 2, H + 2, -1, 1);

    ConvolutionCase() {
      super("convolution");
      add(schedule("all inline (the sum at conv_2d's innermost loop)", c -> atInnermost(c)));
      add(schedule("default: vectorized, rows parallel", c -> {
        ExamplePipelines.scheduleConvolution(c);
        c.convSum().computeAt(c.conv2d(), c.x());
      }));
      add(schedule("the default as written: the sum left inline, so at conv_2d's innermost loop",
          ExamplePipelines::scheduleConvolution));
      add(schedule("sum and boundary at root", c -> {
        c.zero().computeRoot();
        c.convSum().computeRoot();
      }));
      add(schedule("8x8 tiles guarded, the sum per row of conv_2d", c -> {
        c.conv2d().tile(c.x(), c.y(), v("xo"), v("yo"), v("xi"), v("yi"), 8, 8, TailStrategy.GUARD_WITH_IF);
        c.convSum().computeAt(c.conv2d(), v("yi"));
      }));
      add(schedule("conv_x split by 6 shifted inwards, its update by 6 guarded and unrolled", c -> {
        atInnermost(c);
        c.convX().split(c.x(), v("xo"), v("xi"), 6, TailStrategy.SHIFT_INWARDS);
        c.convX().update(0).split(c.x(), v("xo"), v("xi"), 6, TailStrategy.GUARD_WITH_IF).unroll(v("xi"));
      }));
      add(schedule("sum update fully unrolled", c -> {
        c.convSum().computeAt(c.conv2d(), c.x());
        c.convSum().update(0).unroll(c.s().x()).unroll(c.s().y());
      }));
      add(schedule("conv_x's reduction unrolled, pure definitions vectorized by 3", c -> {
        atInnermost(c);
        c.convX().vectorize(c.x(), 3);
        c.convX().update(0).unroll(c.r().x());
        c.convSum().vectorize(c.x(), 3);
      }));
      add(reordering("sum over rows inside columns", c -> {
        c.convSum().computeRoot().update(0).reorder(c.s().y(), c.s().x());
      }));
      add(reordering("sum rfactored over kernel rows, the partial sums at the root", c -> {
        c.convSum().computeRoot();
        c.convSum().update(0).rfactor(c.s().y(), v("sy")).computeRoot().update(0).parallel(v("sy"));
      }));
    }

    private static void atInnermost(ExamplePipelines.Convolution c) {
      c.convSum().computeAt(c.conv2d(), c.x());
    }

    @Override
    ExamplePipelines.Convolution algorithm() {
      return ExamplePipelines.convolutionAlgorithm();
    }

    @Override
    void bind(ExamplePipelines.Convolution c) {
      c.in().set(in);
    }

    @Override
    List<Buffer> outputs() {
      return List.of(buffer(Type.F32, new int[] {0, 0}, new int[] {W, H}), buffer(Type.F32, new int[] {0, 0}, new int[] {W, H}));
    }

    @Override
    List<Buffer> expected() {
      float[] k1 = {0.25f, 0.5f, 0.25f};
      Buffer convX = filled(Type.F32, new int[] {0, 0}, new int[] {W, H}, c -> {
        float acc = 0f;
        for (int r = -1; r <= 1; r++) acc += zero(c[0] + r, c[1]) * k1[r + 1];
        return acc;
      });
      Buffer conv2 = filled(Type.F32, new int[] {0, 0}, new int[] {W, H}, c -> {
        float acc = 0f;
        for (int sy = -2; sy <= 2; sy++) {
          for (int sx = -2; sx <= 2; sx++) acc += zero(c[0] + sx, c[1] + sy) * ((sx + 3) * (sy + 3) / 81f);
        }
        return acc;
      });
      return List.of(convX, conv2);
    }

    private float zero(int x, int y) {
      return x >= 0 && x < 640 && y >= 0 && y < 480 ? in.getFloat(x, y) : 0f;
    }
  }

  // ------------------------------------------------------------------ argmin

  static final class ArgminCase extends Case<ExamplePipelines.Argmin> {
    ArgminCase() {
      super("argmin");
      add(schedule("all inline (the argmin at the root: best has no loops)", a -> a.argminBowl().computeRoot()));
      add(schedule("default: bowl at root", a -> {
        ExamplePipelines.scheduleArgmin(a);
        a.argminBowl().computeRoot();
      }));
      add(schedule("the default as written: the argmin left inline, so at the root", ExamplePipelines::scheduleArgmin));
      add(schedule("bowl per row of the argmin's reduction", a -> {
        a.argminBowl().computeRoot();
        a.bowl().computeAt(a.argminBowl().update(0), a.r().y());
      }));
      add(schedule("reduction columns split by 3 guarded", a -> a.argminBowl().computeRoot().update(0)
          .split(a.r().x(), v("rxo"), v("rxi"), 3, TailStrategy.GUARD_WITH_IF)));
      add(schedule("reduction columns unrolled by 4", a -> a.argminBowl().computeRoot().update(0).unroll(a.r().x(), 4)));
      add(schedule("bowl at root, vectorized by 4 and rows parallel", a -> {
        a.argminBowl().computeRoot();
        a.bowl().computeRoot().vectorize(a.x(), 4).parallel(a.y());
      }));
      add(schedule("bowl at root, split by 4 shifted inwards and unrolled", a -> {
        a.argminBowl().computeRoot();
        a.bowl().computeRoot().split(a.x(), v("xo"), v("xi"), 4, TailStrategy.SHIFT_INWARDS).unroll(v("xi"));
      }));
      add(schedule("argmin rfactored over rows: one argmin per row in parallel, merged", a -> {
        a.argminBowl().computeRoot();
        a.argminBowl().update(0).rfactor(a.r().y(), v("ry")).computeRoot().update(0).parallel(v("ry"));
      }));
    }

    @Override
    ExamplePipelines.Argmin algorithm() {
      return ExamplePipelines.argminAlgorithm();
    }

    @Override
    void bind(ExamplePipelines.Argmin a) {}

    @Override
    List<Buffer> outputs() {
      return List.of(buffer(Type.I32, new int[0], new int[0]), buffer(Type.I32, new int[0], new int[0]),
          buffer(Type.F32, new int[0], new int[0]));
    }

    @Override
    List<Buffer> expected() {
      int bx = 0, by = 0;
      float best = Float.POSITIVE_INFINITY;
      for (int y = 0; y < 10; y++) {
        for (int x = 0; x < 10; x++) {
          float value = (x - 3) * (x - 3) + (y - 5) * (y - 5);
          if (value < best) {
            best = value;
            bx = x;
            by = y;
          }
        }
      }
      int[] none = new int[0];
      int ax = bx, ay = by;
      float av = best;
      return List.of(filled(Type.I32, none, none, c -> ax), filled(Type.I32, none, none, c -> ay), filled(Type.F32, none, none, c -> av));
    }
  }

  // ------------------------------------------------------------------ tone curve

  static final class ToneCurveCase extends Case<ExamplePipelines.ToneCurve> {
    static final int W = 37, H = 29;
    /** Values in [-3, 18), a quarter of them whole numbers (where floor and ceil meet); those outside [0, 15] clamp. */
    final Buffer in = filled(Type.F32, new int[] {0, 0}, new int[] {W, H},
        c -> random.nextInt(4) == 0 ? random.nextInt(21) - 3 : 21 * random.nextFloat() - 3);

    ToneCurveCase() {
      super("tone_curve");
      add(schedule("all inline", t -> {}));
      add(schedule("the default's curve schedule: vectorized by 8, rows parallel", t -> t.curve().vectorize(t.x(), 8).parallel(t.y())));
      add(schedule("6x4 tiles shifted inwards, rows of tiles parallel", t -> t.curve()
          .tile(t.x(), t.y(), v("xo"), v("yo"), v("xi"), v("yi"), 6, 4, TailStrategy.SHIFT_INWARDS).parallel(v("yo"))));
      add(schedule("row blocks of 6 parallel, vectorized by 4 guarded", t -> t.curve().split(t.y(), v("yo"), v("yi"), 6).parallel(v("yo"))
          .vectorize(t.x(), 4, TailStrategy.GUARD_WITH_IF)));
      add(schedule("x and y fused, vectorized by 16", t -> t.curve().fuse(t.x(), t.y(), v("xy")).vectorize(v("xy"), 16)));
      add(schedule("unrolled by 3 shifted inwards", t -> t.curve().unroll(t.x(), 3, TailStrategy.SHIFT_INWARDS)));
      add(schedule("the default: table at the root", ExamplePipelines::scheduleToneCurve));
      add(schedule("table per row, stored at the root", t -> {
        t.lut().computeAt(t.curve(), t.y()).storeRoot();
        t.curve().parallel(t.y());
      }));
      add(schedule("table per 8 pixels, vectorized", t -> {
        t.curve().split(t.x(), v("xo"), v("xi"), 8);
        t.lut().computeAt(t.curve(), v("xo")).vectorize(t.i(), 4);
      }));
    }

    @Override
    ExamplePipelines.ToneCurve algorithm() {
      return ExamplePipelines.toneCurveAlgorithm();
    }

    @Override
    void bind(ExamplePipelines.ToneCurve t) {
      t.in().set(in);
    }

    @Override
    List<Buffer> outputs() {
      return List.of(buffer(Type.F32, new int[] {0, 0}, new int[] {W, H}));
    }

    @Override
    List<Buffer> expected() {
      return List.of(filled(Type.F32, new int[] {0, 0}, new int[] {W, H}, c -> {
        float v = Math.clamp(in.getFloat(c[0], c[1]), 0f, 15f);
        float lo = (float) Math.floor(v);
        float w = v - lo;
        return lut((int) lo) * (1f - w) + lut((int) Math.ceil(v)) * w;
      }));
    }

    /** The gamma curve at entry {@code i} of 16: (i / 15)^(1 / 2.2), in float32. */
    private static float lut(int i) {
      return (float) Math.pow(i / 15f, 1f / 2.2f);
    }
  }

  // ------------------------------------------------------------------ soft histogram

  static final class SoftHistogramCase extends Case<ExamplePipelines.SoftHistogram> {
    static final int W = 23, H = 19, BINS = 16;
    /** Values in [-2, 17): some fall outside [0, 15) and count in the edge bins. */
    final Buffer in = randomFloats(random, W, H, -2, 17);

    SoftHistogramCase() {
      super("soft_histogram");
      add(schedule("no schedule", h -> {}));
      add(schedule("bins vectorized by 5 guarded", h -> h.hist().vectorize(h.b(), 5, TailStrategy.GUARD_WITH_IF)));
      add(schedule("bins split by 6 shifted inwards, unrolled", h -> h.hist().split(h.b(), v("bo"), v("bi"), 6,
          TailStrategy.SHIFT_INWARDS).unroll(v("bi"))));
      add(schedule("first update's columns split by 4 guarded", h -> h.hist().update(0).split(h.r().x(), v("rxo"), v("rxi"), 4)));
      add(schedule("second update's columns unrolled by 4", h -> h.hist().update(1).unroll(h.r().x(), 4)));
      add(schedule("first update over the fused image", h -> h.hist().update(0).fuse(h.r().x(), h.r().y(), v("rxy"))));
      add(reordering("first update with rows inside columns", h -> h.hist().update(0).reorder(h.r().y(), h.r().x())));
      add(reordering("second update atomic with rows in parallel", h -> h.hist().update(1).atomic().parallel(h.r().y())));
      add(reordering("first update rfactored over rows, in parallel", h -> h.hist().update(0).rfactor(h.r().y(), v("ry"))
          .computeRoot().update(0).parallel(v("ry"))));
    }

    @Override
    ExamplePipelines.SoftHistogram algorithm() {
      return ExamplePipelines.softHistogramAlgorithm();
    }

    @Override
    void bind(ExamplePipelines.SoftHistogram h) {
      h.in().set(in);
    }

    @Override
    List<Buffer> outputs() {
      return List.of(buffer(Type.F32, new int[] {0}, new int[] {BINS}));
    }

    @Override
    List<Buffer> expected() {
      float[] bins = new float[BINS];
      for (int y = 0; y < H; y++) {
        for (int x = 0; x < W; x++) {
          float v = in.getFloat(x, y);
          bins[Math.clamp((long) Math.floor(v), 0, 14)] += 1f - (v - (float) Math.floor(v));
        }
      }
      for (int y = 0; y < H; y++) {
        for (int x = 0; x < W; x++) {
          float v = in.getFloat(x, y);
          bins[Math.clamp((long) Math.floor(v), 0, 14) + 1] += v - (float) Math.floor(v);
        }
      }
      return List.of(filled(Type.F32, new int[] {0}, new int[] {BINS}, c -> bins[c[0]]));
    }
  }

  // ------------------------------------------------------------------ bilateral grid

  static final class BilateralGridCase extends Case<ExamplePipelines.BilateralGrid> {
    static final int W = 19, H = 14, CELL = 8;
    final Buffer in = randomFloats(random, W, H, -0.1f, 1.1f);
    final float rSigma = 0.1f;
    private final Map<List<Integer>, Float> grid = new HashMap<>();
    private final Map<List<Integer>, Float> blurred = new HashMap<>();

    BilateralGridCase() {
      super("bilateral_grid");
      // Inlining the blurs too would compute 125 grid cells for each of the 8 blur_y values of a pixel.
      add(schedule("the grid (it has an update) and blur_z at root, the rest inline", g -> {
        g.grid().computeRoot();
        g.blurZ().computeRoot();
      }));
      // The default schedule (ExamplePipelines::scheduleBilateralGrid) adds vectorize(x, 8) to the
      // three blurs; see bilateralGridDefaultSchedule for why it does not lower yet.
      add(schedule("every stage at root, reordered and parallel as the default, not vectorized", g -> {
        Var x = g.x(), y = g.y(), z = g.z(), c = g.c();
        g.grid().computeRoot().reorder(c, z, x, y).parallel(y);
        g.grid().update(0).reorder(c, g.r().x(), g.r().y(), x, y).parallel(y);
        g.blurZ().computeRoot().reorder(c, z, x, y).parallel(y);
        g.blurX().computeRoot().reorder(c, x, y, z).parallel(z);
        g.blurY().computeRoot().reorder(c, x, y, z).parallel(z);
        g.out().computeRoot().parallel(y);
      }));
      add(schedule("every stage at root, no loop directives", g -> {
        for (Func f : List.of(g.grid(), g.blurZ(), g.blurX(), g.blurY(), g.sliced())) f.computeRoot();
      }));
      add(schedule("8x8 tiles guarded, the slice per tile, the blurs at root", g -> {
        for (Func f : List.of(g.grid(), g.blurZ(), g.blurX(), g.blurY())) f.computeRoot();
        g.out().tile(g.x(), g.y(), v("xo"), v("yo"), v("xi"), v("yi"), 8, 8, TailStrategy.GUARD_WITH_IF);
        g.sliced().computeAt(g.out(), v("xo"));
      }));
      add(schedule("grid update's rows split by 3 and columns unrolled, blur_z split by 3 shifted inwards", g -> {
        g.grid().computeRoot().update(0).split(g.r().y(), v("ryo"), v("ryi"), 3).unroll(g.r().x());
        g.blurZ().computeRoot().split(g.z(), v("zo"), v("zi"), 3, TailStrategy.SHIFT_INWARDS);
        g.blurY().computeRoot();
      }));
      add(schedule("blur_x per z slice of blur_y, blur_y at root with z in parallel", g -> {
        g.grid().computeRoot();
        g.blurZ().computeRoot();
        g.blurY().computeRoot().reorder(g.c(), g.x(), g.y(), g.z()).parallel(g.z());
        g.blurX().computeAt(g.blurY(), g.z()).vectorize(g.x(), 4);
      }));
    }

    @Override
    ExamplePipelines.BilateralGrid algorithm() {
      return ExamplePipelines.bilateralGridAlgorithm();
    }

    @Override
    void bind(ExamplePipelines.BilateralGrid g) {
      g.in().set(in);
      g.rSigma().set(rSigma);
    }

    @Override
    List<Buffer> outputs() {
      return List.of(buffer(Type.F32, new int[] {0, 0}, new int[] {W, H}));
    }

    @Override
    List<Buffer> expected() {
      return List.of(filled(Type.F32, new int[] {0, 0}, new int[] {W, H}, c -> slice(c[0], c[1], 0) / slice(c[0], c[1], 1)));
    }

    /** The trilinear interpolation of the blurred grid at pixel (x, y), channel c. */
    private float slice(int x, int y, int c) {
      float zv = Math.min(Math.max(in.getFloat(x, y), 0f), 1f) * (1f / rSigma);
      int z = (int) zv;
      float zf = zv - z;
      float xf = x % CELL / (float) CELL, yf = y % CELL / (float) CELL;
      int gx = x / CELL, gy = y / CELL;
      return lerp(
          lerp(lerp(blurred(gx, gy, z, c), blurred(gx + 1, gy, z, c), xf), lerp(blurred(gx, gy + 1, z, c), blurred(gx + 1, gy + 1, z, c), xf), yf),
          lerp(lerp(blurred(gx, gy, z + 1, c), blurred(gx + 1, gy, z + 1, c), xf),
              lerp(blurred(gx, gy + 1, z + 1, c), blurred(gx + 1, gy + 1, z + 1, c), xf), yf),
          zf);
    }

    /** Halide's float lerp. */
    private static float lerp(float a, float b, float w) {
      return a * (1f - w) + b * w;
    }

    /** The grid blurred by (1 4 6 4 1) along z, then x, then y. */
    private float blurred(int x, int y, int z, int c) {
      return blurred.computeIfAbsent(List.of(x, y, z, c), k -> fiveTap(j -> blurX(x, y + j, z, c)));
    }

    private float blurX(int x, int y, int z, int c) {
      return fiveTap(j -> blurZ(x + j, y, z, c));
    }

    private float blurZ(int x, int y, int z, int c) {
      return fiveTap(j -> cell(x, y, z + j, c));
    }

    private static float fiveTap(java.util.function.IntToDoubleFunction tap) {
      return (float) tap.applyAsDouble(-2) + (float) tap.applyAsDouble(-1) * 4f + (float) tap.applyAsDouble(0) * 6f
          + (float) tap.applyAsDouble(1) * 4f + (float) tap.applyAsDouble(2);
    }

    /**
     * Grid cell (x, y, z, c): of the CELL x CELL pixels around the cell's centre (the image extended
     * by its edge, clamped to [0, 1]), those whose value falls in z, counted (c = 1) or summed (c = 0),
     * in the order of the reduction, rows outside.
     */
    private float cell(int x, int y, int z, int c) {
      return grid.computeIfAbsent(List.of(x, y, z, c), k -> {
        float sum = 0f;
        for (int ry = 0; ry < CELL; ry++) {
          for (int rx = 0; rx < CELL; rx++) {
            float val = Math.min(Math.max(in.getFloat(clamp(x * CELL + rx - CELL / 2, 0, W - 1), clamp(y * CELL + ry - CELL / 2, 0, H - 1)),
                0f), 1f);
            if ((int) (val * (1f / rSigma) + 0.5f) == z) sum += c == 0 ? val : 1f;
          }
        }
        return sum;
      });
    }
  }

  // ------------------------------------------------------------------ recursive filter

  static final class RecursiveFilterCase extends Case<ExamplePipelines.RecursiveFilter> {
    static final int W = 37, H = 29;
    /** The scan covers the image's columns; the output takes rows 3 to 22 of it. */
    static final int Y0 = 3, ROWS = 20;
    final Buffer in = randomFloats(random, W, H, 0, 1);

    RecursiveFilterCase() {
      super("recursive_filter");
      add(schedule("no schedule", f -> {}));
      add(schedule("default: update rows parallel", ExamplePipelines::scheduleRecursiveFilter));
      add(schedule("rows in blocks of 3 parallel, both definitions", f -> {
        f.scan().split(f.y(), v("yo"), v("yi"), 3).parallel(v("yo"));
        f.scan().update(0).split(f.y(), v("yo"), v("yi"), 3, TailStrategy.GUARD_WITH_IF).parallel(v("yo"));
      }));
      add(schedule("pure definition vectorized by 8, update vectorized over rows by 4", f -> {
        f.scan().vectorize(f.x(), 8);
        f.scan().update(0).vectorize(f.y(), 4);
      }));
      add(schedule("pure definition in 5x3 tiles shifted inwards, update rows unrolled by 2", f -> {
        f.scan().tile(f.x(), f.y(), v("xo"), v("yo"), v("xi"), v("yi"), 5, 3, TailStrategy.SHIFT_INWARDS);
        f.scan().update(0).unroll(f.y(), 2);
      }));
      add(schedule("update with the scan outside the rows", f -> f.scan().update(0).reorder(f.y(), f.r().x())));
      add(schedule("update's scan split by 8 guarded", f -> f.scan().update(0).split(f.r().x(), v("rxo"), v("rxi"), 8)));
    }

    @Override
    ExamplePipelines.RecursiveFilter algorithm() {
      return ExamplePipelines.recursiveFilterAlgorithm();
    }

    @Override
    void bind(ExamplePipelines.RecursiveFilter f) {
      f.in().set(in);
    }

    @Override
    List<Buffer> outputs() {
      return List.of(buffer(Type.F32, new int[] {0, Y0}, new int[] {W, ROWS}));
    }

    @Override
    List<Buffer> expected() {
      float[][] rows = new float[ROWS][W];
      for (int j = 0; j < ROWS; j++) {
        rows[j][0] = in.getFloat(0, Y0 + j);
        for (int x = 1; x < W; x++) rows[j][x] = in.getFloat(x, Y0 + j) * 0.75f + rows[j][x - 1] * 0.25f;
      }
      return List.of(filled(Type.F32, new int[] {0, Y0}, new int[] {W, ROWS}, c -> rows[c[1] - Y0][c[0]]));
    }
  }

  // ------------------------------------------------------------------ disk blur

  static final class DiskBlurCase extends Case<ExamplePipelines.DiskBlur> {
    static final int W = 37, H = 29;
    final Buffer in = randomFloats(random, W, H, 0, 1);

    DiskBlurCase() {
      super("disk_blur");
      add(schedule("all inline (the sum at the mean's innermost loop)", d -> d.disk().computeAt(d.mean(), d.x())));
      add(schedule("default: the sum per row", ExamplePipelines::scheduleDiskBlur));
      add(schedule("sum and boundary at root", d -> {
        d.mirrored().computeRoot();
        d.disk().computeRoot();
      }));
      add(schedule("8x8 tiles guarded, the sum per tile vectorized by 4", d -> {
        d.mean().tile(d.x(), d.y(), v("xo"), v("yo"), v("xi"), v("yi"), 8, 8, TailStrategy.GUARD_WITH_IF);
        d.disk().computeAt(d.mean(), v("xo")).vectorize(d.x(), 4);
      }));
      add(schedule("row blocks of 5 shifted inwards and parallel, the sum per block, its reduction unrolled", d -> {
        d.mean().split(d.y(), v("yo"), v("yi"), 5, TailStrategy.SHIFT_INWARDS).parallel(v("yo"));
        d.disk().computeAt(d.mean(), v("yo"));
        d.disk().update(0).unroll(d.r().x());
      }));
      add(schedule("sum stored at root and computed per row; mean vectorized by 8", d -> {
        d.disk().storeRoot().computeAt(d.mean(), d.y());
        d.mean().vectorize(d.x(), 8);
      }));
      add(schedule("sum per row, its update vectorized over x by 4", d -> {
        d.disk().computeAt(d.mean(), d.y());
        d.disk().update(0).vectorize(d.x(), 4);
      }));
    }

    @Override
    ExamplePipelines.DiskBlur algorithm() {
      return ExamplePipelines.diskBlurAlgorithm();
    }

    @Override
    void bind(ExamplePipelines.DiskBlur d) {
      d.in().set(in);
    }

    /** Beyond every edge, so the mirror is used on all sides. */
    @Override
    List<Buffer> outputs() {
      return List.of(buffer(Type.F32, new int[] {-2, -3}, new int[] {W + 4, H + 5}));
    }

    @Override
    List<Buffer> expected() {
      return List.of(filled(Type.F32, new int[] {-2, -3}, new int[] {W + 4, H + 5}, c -> {
        float acc = 0f;
        for (int ry = -3; ry <= 3; ry++) {
          for (int rx = -3; rx <= 3; rx++) if (rx * rx + ry * ry <= 9) acc += in.getFloat(mirror(c[0] + rx, W), mirror(c[1] + ry, H));
        }
        return acc / 29f;
      }));
    }

    /** Halide's mirror_image: the image and its reflection (edge pixel repeated) alternate with period 2n. */
    private static int mirror(int x, int n) {
      int m = Math.floorMod(x, 2 * n);
      return m < n ? m : 2 * n - 1 - m;
    }
  }

  // ------------------------------------------------------------------ scaled pair

  static final class ScaledPairCase extends Case<ExamplePipelines.ScaledPair> {
    static final int W = 37, H = 29;
    /** Output columns [1, 33) (reading x + 1 up to 33) and rows [2, 27). */
    static final int[] MINS = {1, 2}, EXTENTS = {32, 25};
    final Buffer in = filled(Type.U8, new int[] {0, 0}, new int[] {W, H}, c -> random.nextInt(256));
    final float gain = 0.5f + 1.5f * random.nextFloat();

    ScaledPairCase() {
      super("scaled_pair");
      add(schedule("all inline", p -> {}));
      add(schedule("default: scaled per row, rows parallel, vectorized by 8", ExamplePipelines::scheduleScaledPair));
      add(schedule("scaled at root", p -> p.scaled().computeRoot()));
      add(schedule("scaled at each pixel", p -> p.scaled().computeAt(p.out(), p.x())));
      add(schedule("6x4 tiles shifted inwards, scaled stored per row of tiles and computed per tile", p -> {
        p.out().tile(p.x(), p.y(), v("xo"), v("yo"), v("xi"), v("yi"), 6, 4, TailStrategy.SHIFT_INWARDS);
        p.scaled().storeAt(p.out(), v("yo")).computeAt(p.out(), v("xo"));
      }));
      add(schedule("split by 5 guarded and unrolled, scaled per block vectorized by 4", p -> {
        p.out().split(p.x(), v("xo"), v("xi"), 5, TailStrategy.GUARD_WITH_IF).unroll(v("xi"));
        p.scaled().computeAt(p.out(), v("xo")).vectorize(p.x(), 4);
      }));
      add(schedule("x and y fused and parallel", p -> p.out().fuse(p.x(), p.y(), v("xy")).parallel(v("xy"))));
    }

    @Override
    ExamplePipelines.ScaledPair algorithm() {
      return ExamplePipelines.scaledPairAlgorithm();
    }

    @Override
    void bind(ExamplePipelines.ScaledPair p) {
      p.in().set(in);
      p.gain().set(gain);
    }

    @Override
    List<Buffer> outputs() {
      return List.of(buffer(Type.F32, MINS, EXTENTS));
    }

    @Override
    List<Buffer> expected() {
      return List.of(filled(Type.F32, MINS, EXTENTS, c -> Math.min(Math.max(scaled(c[0], c[1]) + scaled(c[0] + 1, c[1]), 0f), 1f)));
    }

    private float scaled(int x, int y) {
      return (in.getByte(x, y) & 0xff) / 255f * gain;
    }
  }
}
