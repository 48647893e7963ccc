package dev.halogen.apps.bench;

import dev.halogen.BoundaryConditions;
import dev.halogen.Expr;
import dev.halogen.Exprs;
import dev.halogen.Func;
import dev.halogen.FuncRef;
import dev.halogen.ImageParam;
import dev.halogen.Pipeline;
import dev.halogen.RDom;
import dev.halogen.Var;
import dev.halogen.ir.Buffer;
import dev.halogen.ir.TailStrategy;
import dev.halogen.ir.Type;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntFunction;

/**
 * The four pipelines of {@code halogen bench forward}, each written once with the Java API and an
 * explicit schedule: the same algorithm and schedule as the Halide 14 program {@code
 * halide_forward.cpp} next to this class (resources), so that the two compilers are compared on
 * the same loop nests. Each {@link Case} also makes its inputs, and computes its output in plain
 * Java ({@link Case#reference}) for the smoke test.
 *
 * <p>Sizes are those of the output; each input is as large as the output needs (the blur and the
 * convolution read a border around it, as Halide's blur app does, instead of a boundary condition).
 */
public final class ForwardPipelines {
  private ForwardPipelines() {}

  /** A pipeline built from scratch, with the ImageParams its inputs bind to (in the order of {@link Case#inputs}). */
  public record Built(Pipeline pipeline, List<ImageParam> inputs) {}

  /** One benchmark: its algorithm and schedule, its data, and how its outputs compare. */
  public sealed interface Case permits Blur, Convolution, BilateralGrid, Histogram {
    /** What is fixed about the benchmark: its name, full size, description and tolerance. */
    Spec spec();

    /** The name on the command line and in the Halide program. */
    default String name() {
      return spec().name();
    }

    /** One line: what it computes, the size and the schedule. */
    default String describe(int width, int height) {
      return String.format(java.util.Locale.ROOT, spec().description(), width, height);
    }

    /** The full-size output extents (the sizes). */
    default int width() {
      return spec().width();
    }

    default int height() {
      return spec().height();
    }

    /** A fresh algorithm and schedule (new Funcs, so its compile is a compile from scratch). */
    Built build();

    /** Deterministic inputs for an output of {@code width x height}, in the order of {@link Built#inputs()}. */
    List<Buffer> inputs(int width, int height, long seed);

    /** A new output buffer for an output of {@code width x height}. */
    Buffer output(int width, int height);

    /** The output computed in plain Java from {@code inputs}, the straightforward way. */
    Buffer reference(List<Buffer> inputs, int width, int height);

    /** The largest difference between Halogen's and another compiler's outputs that still counts as equal (0: bit for bit). */
    default double tolerance() {
      return spec().tolerance();
    }
  }

  /**
   * The constants of a benchmark.
   *
   * @param description one line with {@code %d x %d} where the output size goes
   */
  public record Spec(String name, int width, int height, double tolerance, String description) {}

  public static List<Case> all() {
    return List.of(new Blur(), new Convolution(), new BilateralGrid(), new Histogram());
  }

  // ------------------------------------------------------------------ 1. box blur

  /**
   * Halide's blur app: a separable 3x3 box blur of a 16-bit image (sums wrap in 16 bits, as in
   * Halide), tiled 256 x 32, vectorized 8 wide, parallel over rows of tiles, blur_x computed per tile.
   */
  public record Blur() implements Case {
    private static final Spec SPEC = new Spec("blur", 6400, 4800, 0,
        "separable 3x3 box blur, uint16, %d x %d, tiles 256 x 32, vectorized, parallel");

    @Override
    public Spec spec() {
      return SPEC;
    }

    @Override
    public Built build() {
      Var x = new Var("x");
      Var y = new Var("y");
      Var xo = new Var("xo");
      Var yo = new Var("yo");
      Var xi = new Var("xi");
      Var yi = new Var("yi");
      ImageParam in = new ImageParam("input", Type.U16, 2);
      Func blurX = new Func("blur_x");
      blurX.at(x, y).set(in.at(x.minus(1), y).plus(in.at(x, y)).plus(in.at(x.plus(1), y)).div(3));
      Func blurY = new Func("blur_y");
      blurY.at(x, y).set(blurX.at(x, y.minus(1)).plus(blurX.at(x, y)).plus(blurX.at(x, y.plus(1))).div(3));
      blurY.tile(x, y, xo, yo, xi, yi, 256, 32, TailStrategy.SHIFT_INWARDS).vectorize(xi, 8).parallel(yo);
      blurX.computeAt(blurY, xo).vectorize(x, 8);
      return new Built(new Pipeline(blurY), List.of(in));
    }

    @Override
    public List<Buffer> inputs(int width, int height, long seed) {
      SplittableRandom random = new SplittableRandom(seed);
      Buffer in = Buffer.allocate(Arena.ofAuto(), Type.U16, new int[] {-1, -1}, new int[] {width + 2, height + 2});
      fillBits(in, random);
      return List.of(in);
    }

    @Override
    public Buffer output(int width, int height) {
      return Buffer.allocate(Type.U16, width, height);
    }

    @Override
    public Buffer reference(List<Buffer> inputs, int width, int height) {
      Buffer in = inputs.getFirst();
      Buffer out = output(width, height);
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          int sum = 0;
          for (int dy = -1; dy <= 1; dy++) {
            int row = 0;
            for (int dx = -1; dx <= 1; dx++) row += Short.toUnsignedInt(in.getShort(x + dx, y + dy));
            sum += (row & 0xFFFF) / 3;
          }
          out.setShort((short) ((sum & 0xFFFF) / 3), x, y);
        }
      }
      return out;
    }

  }

  // ------------------------------------------------------------------ 2. 5x5 convolution

  /**
   * A 5 x 5 convolution over an RDom, float32: {@code conv(x, y) += input(x + r.x - 2, y + r.y - 2) *
   * kernel(r.x, r.y)}. The update is split 8 wide in x, its reduction loops unrolled around the
   * vector, parallel over rows.
   */
  public record Convolution() implements Case {
    private static final Spec SPEC = new Spec("conv5x5", 4096, 4096,
        // the sum of 25 products of values below 1 and 0.08: fused or separate multiply-adds round differently
        1e-5, "5x5 convolution (RDom), float32, %d x %d, vectorized, RDom unrolled, parallel");

    @Override
    public Spec spec() {
      return SPEC;
    }

    @Override
    public Built build() {
      Var x = new Var("x");
      Var y = new Var("y");
      Var xo = new Var("xo");
      Var xi = new Var("xi");
      ImageParam in = new ImageParam("input", Type.F32, 2);
      ImageParam kernel = new ImageParam("kernel", Type.F32, 2);
      RDom r = new RDom("r", 0, 5, 0, 5);
      Func conv = new Func("conv");
      conv.at(x, y).set(0f);
      conv.at(x, y).plusAssign(in.at(x.plus(r.x()).minus(2), y.plus(r.y()).minus(2)).times(kernel.at(r.x(), r.y())));
      conv.vectorize(x, 8, TailStrategy.SHIFT_INWARDS).parallel(y);
      conv.update(0).split(x, xo, xi, 8, TailStrategy.GUARD_WITH_IF).reorder(xi, r.x(), r.y(), xo, y).vectorize(xi).unroll(r.x()).unroll(r.y()).parallel(y);
      return new Built(new Pipeline(conv), List.of(in, kernel));
    }

    @Override
    public List<Buffer> inputs(int width, int height, long seed) {
      SplittableRandom random = new SplittableRandom(seed);
      Buffer in = Buffer.allocate(Arena.ofAuto(), Type.F32, new int[] {-2, -2}, new int[] {width + 4, height + 4});
      fillUnit(in, random, 1f);
      Buffer kernel = Buffer.allocate(Type.F32, 5, 5);
      fillUnit(kernel, random, 1f / 12.5f);
      return List.of(in, kernel);
    }

    @Override
    public Buffer output(int width, int height) {
      return Buffer.allocate(Type.F32, width, height);
    }

    @Override
    public Buffer reference(List<Buffer> inputs, int width, int height) {
      Buffer in = inputs.get(0);
      Buffer kernel = inputs.get(1);
      Buffer out = output(width, height);
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          float sum = 0f;
          for (int ry = 0; ry < 5; ry++) {
            for (int rx = 0; rx < 5; rx++) sum += in.getFloat(x + rx - 2, y + ry - 2) * kernel.getFloat(rx, ry);
          }
          out.setFloat(sum, x, y);
        }
      }
      return out;
    }

  }

  // ------------------------------------------------------------------ 3. bilateral grid

  /**
   * Halide's bilateral grid app (s_sigma 8, r_sigma 0.1 as a constant, so that the grid's z range is
   * bounded: {@code z = cast<int>(clamp(v, 0, 1) * 10 + 0.5)} is in [0, 10]), with the app's classic
   * CPU schedule: the histogram computed per row of blur_z, blur_z, blur_x and blur_y at the root,
   * vectorized in x, parallel, unrolled in c; the output vectorized and parallel over rows.
   */
  public record BilateralGrid() implements Case {
    private static final Spec SPEC = new Spec("bilateral", 2560, 1600,
        // float sums in a different order (and fused multiply-adds) in the two compilers
        1e-4, "bilateral grid, float32, %d x %d, s_sigma 8, r_sigma 0.1");

    @Override
    public Spec spec() {
      return SPEC;
    }

    static final int S_SIGMA = 8;
    static final float R_SIGMA = 0.1f;

    @Override
    public Built build() {
      final int s = S_SIGMA;
      final float inv = 1f / R_SIGMA;
      Var x = new Var("x");
      Var y = new Var("y");
      Var z = new Var("z");
      Var c = new Var("c");
      ImageParam in = new ImageParam("input", Type.F32, 2);
      Func clamped = BoundaryConditions.repeatEdge(in);

      RDom r = new RDom("r", 0, s, 0, s);
      Expr val = Exprs.clamp(clamped.at(x.times(s).plus(r.x()).minus(s / 2), y.times(s).plus(r.y()).minus(s / 2)), 0f, 1f);
      Expr zi = Exprs.cast(Type.I32, val.times(inv).plus(0.5f));
      Func histogram = new Func("histogram");
      histogram.at(x, y, z, c).set(0f);
      histogram.at(x, y, zi, c).plusAssign(Exprs.select(c.eq(0), val, Expr.of(1f)));

      Func blurZ = new Func("blurz");
      blurZ.at(x, y, z, c).set(fiveTap(k -> histogram.at(x, y, z.plus(k), c)));
      Func blurX = new Func("blurx");
      blurX.at(x, y, z, c).set(fiveTap(k -> blurZ.at(x.plus(k), y, z, c)));
      Func blurY = new Func("blury");
      blurY.at(x, y, z, c).set(fiveTap(k -> blurX.at(x, y.plus(k), z, c)));

      Expr v = Exprs.clamp(in.at(x, y), 0f, 1f);
      Expr zv = v.times(inv);
      Expr zInt = Exprs.cast(Type.I32, zv);
      Expr zf = zv.minus(Exprs.cast(Type.F32, zInt));
      Expr xf = Exprs.cast(Type.F32, x.rem(s)).div((float) s);
      Expr yf = Exprs.cast(Type.F32, y.rem(s)).div((float) s);
      Expr xi = x.div(s);
      Expr yi = y.div(s);
      Func interpolated = new Func("interpolated");
      interpolated.at(x, y, c).set(Exprs.lerp(
          Exprs.lerp(Exprs.lerp(blurY.at(xi, yi, zInt, c), blurY.at(xi.plus(1), yi, zInt, c), xf),
              Exprs.lerp(blurY.at(xi, yi.plus(1), zInt, c), blurY.at(xi.plus(1), yi.plus(1), zInt, c), xf), yf),
          Exprs.lerp(Exprs.lerp(blurY.at(xi, yi, zInt.plus(1), c), blurY.at(xi.plus(1), yi, zInt.plus(1), c), xf),
              Exprs.lerp(blurY.at(xi, yi.plus(1), zInt.plus(1), c), blurY.at(xi.plus(1), yi.plus(1), zInt.plus(1), c), xf), yf),
          zf));
      Func out = new Func("bilateral_grid");
      out.at(x, y).set(interpolated.at(x, y, 0).div(interpolated.at(x, y, 1)));

      blurZ.computeRoot().reorder(c, z, x, y).parallel(y).vectorize(x, 8, TailStrategy.ROUND_UP).unroll(c);
      histogram.computeAt(blurZ, y);
      histogram.update(0).reorder(c, r.x(), r.y(), x, y).unroll(c);
      blurX.computeRoot().reorder(c, x, y, z).parallel(z).vectorize(x, 8, TailStrategy.ROUND_UP).unroll(c);
      blurY.computeRoot().reorder(c, x, y, z).parallel(z).vectorize(x, 8, TailStrategy.ROUND_UP).unroll(c);
      out.computeRoot().parallel(y).vectorize(x, 8, TailStrategy.SHIFT_INWARDS);
      return new Built(new Pipeline(out), List.of(in));
    }

    private static Expr fiveTap(IntFunction<FuncRef> at) {
      return at.apply(-2).plus(at.apply(-1).times(4f)).plus(at.apply(0).times(6f)).plus(at.apply(1).times(4f)).plus(at.apply(2));
    }

    @Override
    public List<Buffer> inputs(int width, int height, long seed) {
      SplittableRandom random = new SplittableRandom(seed);
      Buffer in = Buffer.allocate(Type.F32, width, height);
      fillUnit(in, random, 1f);
      return List.of(in);
    }

    @Override
    public Buffer output(int width, int height) {
      return Buffer.allocate(Type.F32, width, height);
    }

    @Override
    public Buffer reference(List<Buffer> inputs, int width, int height) {
      final int s = S_SIGMA;
      final float inv = 1f / R_SIGMA;
      Buffer in = inputs.getFirst();
      // The grid over every cell the slice reads, with the blurs' margins: x, y in [-2, n + 3), z in [-2, 14).
      int gw = width / s + 6;
      int gh = height / s + 6;
      int gz = 16;
      float[][] grid = new float[2][gw * gh * gz];
      for (int gy = 0; gy < gh; gy++) {
        for (int gx = 0; gx < gw; gx++) {
          for (int ry = 0; ry < s; ry++) {
            for (int rx = 0; rx < s; rx++) {
              int px = Math.clamp((long) (gx - 2) * s + rx - s / 2, 0, width - 1);
              int py = Math.clamp((long) (gy - 2) * s + ry - s / 2, 0, height - 1);
              float v = Math.clamp(in.getFloat(px, py), 0f, 1f);
              int zi = (int) (v * inv + 0.5f);
              int cell = (gy * gw + gx) * gz + zi + 2;
              grid[0][cell] += v;
              grid[1][cell] += 1f;
            }
          }
        }
      }
      float[][] blurred = new float[2][];
      for (int c = 0; c < 2; c++) {
        float[] bz = blur5(grid[c], gw, gh, gz, 0, 0, 1);
        float[] bx = blur5(bz, gw, gh, gz, 1, 0, 0);
        blurred[c] = blur5(bx, gw, gh, gz, 0, 1, 0);
      }
      Buffer out = output(width, height);
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          float v = Math.clamp(in.getFloat(x, y), 0f, 1f);
          float zv = v * inv;
          int zi = (int) zv;
          float zf = zv - zi;
          float xf = (x % s) / (float) s;
          float yf = (y % s) / (float) s;
          int xi = x / s + 2;
          int yi = y / s + 2;
          float[] result = new float[2];
          for (int c = 0; c < 2; c++) {
            float[] g = blurred[c];
            IntFunction<float[]> at = dz -> new float[] {
              g[((yi) * gw + xi) * gz + zi + 2 + dz], g[((yi) * gw + xi + 1) * gz + zi + 2 + dz],
              g[((yi + 1) * gw + xi) * gz + zi + 2 + dz], g[((yi + 1) * gw + xi + 1) * gz + zi + 2 + dz]};
            float[] lo = at.apply(0);
            float[] hi = at.apply(1);
            float l = lerp(lerp(lo[0], lo[1], xf), lerp(lo[2], lo[3], xf), yf);
            float h = lerp(lerp(hi[0], hi[1], xf), lerp(hi[2], hi[3], xf), yf);
            result[c] = lerp(l, h, zf);
          }
          out.setFloat(result[0] / result[1], x, y);
        }
      }
      return out;
    }

    /** A five-tap 1-4-6-4-1 blur along one axis of a grid (cells outside it read as zero; they are never used). */
    private static float[] blur5(float[] g, int gw, int gh, int gz, int ax, int ay, int az) {
      float[] out = new float[g.length];
      float[] w = {1f, 4f, 6f, 4f, 1f};
      for (int y = 0; y < gh; y++) {
        for (int x = 0; x < gw; x++) {
          for (int z = 0; z < gz; z++) {
            float sum = 0f;
            for (int k = -2; k <= 2; k++) {
              int xx = x + k * ax;
              int yy = y + k * ay;
              int zz = z + k * az;
              if (xx < 0 || yy < 0 || zz < 0 || xx >= gw || yy >= gh || zz >= gz) continue;
              sum += g[(yy * gw + xx) * gz + zz] * w[k + 2];
            }
            out[(y * gw + x) * gz + z] = sum;
          }
        }
      }
      return out;
    }

    /** Halide's float lerp, as Halogen computes it. */
    private static float lerp(float a, float b, float w) {
      return a * (1f - w) + b * w;
    }

  }

  // ------------------------------------------------------------------ 4. histogram

  /**
   * A 256-bin histogram of an 8-bit image, made parallel by rfactor: the rows are split in blocks of
   * {@link #ROWS}, one partial histogram per block (computed in parallel), then the partial
   * histograms are added bin by bin, 8 bins at a time.
   */
  public record Histogram() implements Case {
    static final int ROWS = 128;

    private static final Spec SPEC = new Spec("histogram", 4096, 4096, 0,
        "histogram, uint8 %d x %d into 256 bins, rfactor over blocks of " + ROWS + " rows, parallel");

    @Override
    public Spec spec() {
      return SPEC;
    }

    @Override
    public Built build() {
      Var i = new Var("i");
      Var u = new Var("u");
      Var ryo = new Var("ryo");
      Var ryi = new Var("ryi");
      ImageParam in = new ImageParam("input", Type.U8, 2);
      RDom r = new RDom("r", in);
      Func hist = new Func("hist");
      hist.at(i).set(0);
      hist.at(Exprs.cast(Type.I32, in.at(r.x(), r.y()))).plusAssign(1);
      hist.update(0).split(r.y(), ryo, ryi, ROWS, TailStrategy.GUARD_WITH_IF);
      Func intm = hist.update(0).rfactor(ryo, u);
      intm.computeRoot().vectorize(i, 8).update(0).parallel(u);
      hist.vectorize(i, 8, TailStrategy.SHIFT_INWARDS);
      hist.update(0).vectorize(i, 8, TailStrategy.GUARD_WITH_IF);
      return new Built(new Pipeline(hist), List.of(in));
    }

    @Override
    public List<Buffer> inputs(int width, int height, long seed) {
      SplittableRandom random = new SplittableRandom(seed);
      Buffer in = Buffer.allocate(Type.U8, width, height);
      fillBits(in, random);
      return List.of(in);
    }

    @Override
    public Buffer output(int width, int height) {
      return Buffer.allocate(Type.I32, 256);
    }

    @Override
    public Buffer reference(List<Buffer> inputs, int width, int height) {
      Buffer in = inputs.getFirst();
      int[] counts = new int[256];
      for (int y = 0; y < height; y++) for (int x = 0; x < width; x++) counts[Byte.toUnsignedInt(in.getByte(x, y))]++;
      return Buffer.of(counts, 256);
    }

  }

  // ------------------------------------------------------------------ helpers

  /** Fills an integer buffer with random bits. */
  private static void fillBits(Buffer b, SplittableRandom random) {
    MemorySegment seg = b.segment();
    long bytes = seg.byteSize();
    long k = 0;
    for (; k + 8 <= bytes; k += 8) seg.set(ValueLayout.JAVA_LONG_UNALIGNED, k, random.nextLong());
    for (; k < bytes; k++) seg.set(ValueLayout.JAVA_BYTE, k, (byte) random.nextInt());
  }

  /** Fills a float32 buffer with random values in [0, scale). */
  private static void fillUnit(Buffer b, SplittableRandom random, float scale) {
    MemorySegment seg = b.segment();
    long n = b.elementCount();
    for (long k = 0; k < n; k++) seg.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, k, random.nextFloat() * scale);
  }
}
