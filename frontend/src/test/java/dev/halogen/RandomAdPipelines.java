package dev.halogen;

import dev.halogen.ir.Buffer;
import dev.halogen.ir.Type;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Random differentiable pipelines reduced to a scalar loss, for {@link AutodiffPropertyTest}: float32
 * input images behind boundary conditions, float Params, and one to three Funcs built from
 * pointwise math (floored float {@code %} included), stencils, reductions over small kernels (with
 * weights as images), lookup-table gathers, transposes, down- and upsampling, update stages
 * (accumulations, overwrites of a point or a sub-region, self-reading updates), histogram-like
 * scatters, scans (IIR filters, running sums, prefix products, Horner's rule), folds (inline {@code
 * maximum}/{@code minimum}/{@code product} and updates that fold a window into a point) and
 * Tuple-valued Funcs. Each case is fixed by its seed.
 *
 * <p>Values stay moderate: every subexpression carries a bound on its magnitude, and one whose
 * bound exceeds {@value #LIMIT} is scaled down; {@code exp} only sees {@code sin} of something, a
 * divisor is {@code 1 + b^2} or {@code 2 + sin(b)}, and {@code sqrt} and {@code pow} see {@code a^2 +
 * 1/2}; a scan's coefficients sum to less than 1 (or it is a running sum), and the factors of a
 * product stay within 1.2. Kinks (min, max, abs, select, floor, float-to-int indices, the jumps of
 * {@code %}) are left where the random data puts them; the gradient check skips a coordinate that
 * lies within {@code h} of one.
 */
final class RandomAdPipelines {
  private static final double LIMIT = 4;

  /** A generated case: the loss, the float inputs it reads, and the features it uses. */
  record Case(long seed, Func loss, List<ImageParam> images, List<Param> params, Set<String> features) {}

  /**
   * A value to read: a Func defined everywhere (its value {@code element} when it is Tuple-valued,
   * else -1), with a bound on its magnitude.
   */
  private record Source(Func f, int element, double mag) {
    Source(Func f, double mag) {
      this(f, -1, mag);
    }

    /** The value at {@code at}. */
    ExprLike at(List<ExprLike> at) {
      FuncRef r = f.at(at.toArray());
      return element < 0 ? r : r.get(element);
    }
  }

  /** An expression and a bound on its magnitude. */
  private record E(ExprLike e, double mag) {}

  private final SplittableRandom rnd;
  private final long seed;
  private final int dims;
  /** The region the loss sums over: {@code [0, extents[d])}. */
  private final int[] extents;
  private final Var x = new Var("x"), y = new Var("y");
  private final List<Source> sources = new ArrayList<>();
  private final List<ImageParam> images = new ArrayList<>();
  private final List<Param> params = new ArrayList<>();
  private final Set<String> features = new TreeSet<>();
  private final Set<Source> consumed = Collections.newSetFromMap(new IdentityHashMap<>());
  private ImageParam lut;
  private int funcs;

  private RandomAdPipelines(long seed) {
    this.seed = seed;
    this.rnd = new SplittableRandom(seed);
    this.dims = 1 + rnd.nextInt(2);
    this.extents = new int[dims];
    for (int d = 0; d < dims; d++) extents[d] = dims == 1 ? 4 + rnd.nextInt(9) : 4 + rnd.nextInt(4);
  }

  static Case generate(long seed) {
    return new RandomAdPipelines(seed).build();
  }

  private Case build() {
    int inputs = 1 + rnd.nextInt(2);
    for (int i = 0; i < inputs; i++) sources.add(new Source(boundary(image("in" + i, dims, 4, dims == 1 ? 12 : 7)), 1));
    for (int i = rnd.nextInt(3); i > 0; i--) params.add(new Param("p" + params.size(), Type.F32, 0.5 + rnd.nextDouble()));
    if (rnd.nextInt(3) == 0) lut = image("lut", 1, 4, 8);
    int n = 1 + rnd.nextInt(3);
    for (int i = 0; i < n; i++) sources.addAll(stage());
    Func loss = new Func("loss");
    loss.at().set(0f);
    for (Source s : sources) {
      if (consumed.contains(s) || (sources.indexOf(s) < inputs && sources.size() > inputs)) continue;
      RDom r = region();
      ExprLike v = scaled(new E(s.at(coords(r)), s.mag())).e();
      loss.at().plusAssign(rnd.nextBoolean() ? v.times(v) : Exprs.sin(v).plus(v.times(0.5f)));
    }
    return new Case(seed, loss, List.copyOf(images), List.copyOf(params), Collections.unmodifiableSet(features));
  }

  // ------------------------------------------------------------------ inputs

  private ImageParam image(String name, int dimensions, int minExtent, int maxExtent) {
    ImageParam p = new ImageParam(name, Type.F32, dimensions);
    int[] ext = new int[dimensions];
    for (int d = 0; d < dimensions; d++) ext[d] = minExtent + rnd.nextInt(maxExtent - minExtent + 1);
    Buffer b = Buffer.allocate(Type.F32, ext);
    b.forEachCoordinate(c -> b.setFloat((float) (rnd.nextDouble() * 2 - 1), c));
    p.set(b);
    images.add(p);
    return p;
  }

  /** The image read everywhere through a boundary condition (or a clamp of the coordinates). */
  private Func boundary(ImageParam in) {
    int k = rnd.nextInt(6);
    features.add(new String[] {"repeat_edge", "constant_exterior", "mirror_image", "mirror_interior", "repeat_image", "clamp"}[k]);
    return switch (k) {
      case 0 -> rnd.nextBoolean() ? BoundaryConditions.repeatEdge(in) : BoundaryConditions.repeatEdge(in, ownBounds(in));
      case 1 -> BoundaryConditions.constantExterior(in, Expr.of(0.25f));
      case 2 -> BoundaryConditions.mirrorImage(in);
      case 3 -> BoundaryConditions.mirrorInterior(in, ownBounds(in));
      case 4 -> BoundaryConditions.repeatImage(in);
      default -> {
        Func c = new Func(name("clamped"));
        List<ExprLike> at = new ArrayList<>();
        for (int d = 0; d < dims; d++) at.add(Exprs.clamp(pure().get(d), 0, in.get().extent(d) - 1));
        c.at(pure().toArray()).set(in.at(at.toArray()));
        yield c;
      }
    };
  }

  private static int[][] ownBounds(ImageParam in) {
    int[][] b = new int[in.dimensions()][];
    for (int d = 0; d < b.length; d++) b[d] = new int[] {0, in.get().extent(d)};
    return b;
  }

  // ------------------------------------------------------------------ Funcs

  private String name(String base) {
    return base + funcs++;
  }

  private List<ExprLike> pure() {
    return dims == 1 ? List.of(x) : List.of(x, y);
  }

  private RDom region() {
    return dims == 1 ? new RDom(0, extents[0]) : new RDom(0, extents[0], 0, extents[1]);
  }

  private List<ExprLike> coords(RDom r) {
    List<ExprLike> out = new ArrayList<>();
    for (int d = 0; d < dims; d++) out.add(r.get(d));
    return out;
  }

  /** One new Func (a Tuple-valued one gives a source per value). */
  private List<Source> stage() {
    return switch (rnd.nextInt(12)) {
      case 0, 1 -> List.of(pointwise());
      case 2 -> List.of(stencil());
      case 3 -> List.of(convolution());
      case 4, 5 -> List.of(updates());
      case 6 -> List.of(scatter());
      case 7, 8 -> List.of(switch (rnd.nextInt(4)) {
        case 0, 1 -> iirScan();
        case 2 -> prefixProduct();
        default -> horner();
      });
      case 9, 10 -> List.of(rnd.nextBoolean() ? inlineFold() : updateFold());
      default -> tuple();
    };
  }

  private Source pointwise() {
    features.add("pointwise");
    Func f = new Func(name("f"));
    E e = expr(2, pure());
    f.at(pure().toArray()).set(e.e());
    return new Source(f, e.mag());
  }

  private Source stencil() {
    features.add("stencil");
    Func f = new Func(name("stencil"));
    Source s = pick();
    int taps = 2 + rnd.nextInt(3);
    ExprLike sum = null;
    double mag = 0;
    for (int i = 0; i < taps; i++) {
      List<ExprLike> at = new ArrayList<>();
      for (int d = 0; d < dims; d++) at.add(pure().get(d).plus(rnd.nextInt(5) - 2));
      float c = (float) (rnd.nextDouble() - 0.5);
      ExprLike term = s.at(at).times(c);
      sum = sum == null ? term : sum.plus(term);
      mag += Math.abs(c) * s.mag();
    }
    f.at(pure().toArray()).set(sum);
    return new Source(f, mag);
  }

  /** A weighted sum over a small kernel: weights from an input image (their gradient is checked too) or from the kernel position. */
  private Source convolution() {
    Source s = pick();
    int k = 2 + rnd.nextInt(2);
    RDom r = dims == 1 ? new RDom(0, k) : new RDom(0, k, 0, k);
    ExprLike w;
    if (rnd.nextBoolean()) {
      features.add("conv_weights_image");
      ImageParam weights = new ImageParam("w" + images.size(), Type.F32, dims);
      Buffer b = Buffer.allocate(Type.F32, dims == 1 ? new int[] {k} : new int[] {k, k});
      b.forEachCoordinate(c -> b.setFloat((float) (rnd.nextDouble() - 0.5), c));
      weights.set(b);
      images.add(weights);
      w = weights.at(coords(r).toArray());
    } else {
      features.add("conv_weights_computed");
      w = Exprs.cast(Type.F32, r.x()).times(0.25f).plus(0.5f);
    }
    List<ExprLike> at = new ArrayList<>();
    for (int d = 0; d < dims; d++) at.add(pure().get(d).plus(r.get(d)).minus(k / 2));
    ExprLike term = w.times(s.at(at));
    double mag = Math.pow(k, dims) * s.mag();
    consumed.add(s);
    if (rnd.nextBoolean()) {
      features.add("inline_sum");
      Func f = new Func(name("summed"));
      f.at(pure().toArray()).set(Exprs.sum(term));
      return new Source(f, mag);
    }
    features.add("rdom_reduction");
    Func f = new Func(name("conv"));
    E init = rnd.nextBoolean() ? new E(Expr.of(0f), 0) : expr(1, pure());
    f.at(pure().toArray()).set(init.e());
    f.at(pure().toArray()).plusAssign(term);
    return new Source(f, mag + init.mag());
  }

  /** A pure definition and one or two updates of the kinds Halide programs use. */
  private Source updates() {
    Func f = new Func(name("upd"));
    E init = expr(1, pure());
    f.at(pure().toArray()).set(init.e());
    double mag = init.mag();
    for (int u = 1 + rnd.nextInt(2); u > 0; u--) mag = update(f, mag);
    return new Source(f, mag);
  }

  /** One update of {@code f}, whose values are bounded by {@code mag}, of a kind Halide programs use; returns the new bound. */
  private double update(Func f, double mag) {
    switch (rnd.nextInt(7)) {
      case 0 -> {
        features.add("update_accumulate");
        E e = expr(1, pure());
        f.at(pure().toArray()).plusAssign(e.e());
        mag += e.mag();
      }
      case 1 -> {
        features.add("update_scale_self");
        E e = scaled(expr(1, pure()));
        f.at(pure().toArray()).set(f.at(pure().toArray()).times(e.e()));
        mag *= e.mag();
      }
      case 2 -> {
        features.add("update_max_self");
        E e = expr(1, pure());
        f.at(pure().toArray()).set(Exprs.max(f.at(pure().toArray()), e.e()));
        mag = Math.max(mag, e.mag());
      }
      case 3 -> {
        features.add("update_overwrite_point");
        List<ExprLike> at = new ArrayList<>(pure());
        at.set(0, Expr.of(rnd.nextInt(extents[0])));
        E e = expr(1, at);
        f.at(at.toArray()).set(e.e());
        mag = Math.max(mag, e.mag());
      }
      case 4 -> {
        features.add("update_overwrite_region");
        List<ExprLike> at = coords(subRegion());
        E e = expr(1, at);
        f.at(at.toArray()).set(e.e());
        mag = Math.max(mag, e.mag());
      }
      case 5 -> {
        features.add("update_accumulate_region");
        List<ExprLike> at = coords(subRegion());
        E e = expr(1, at);
        f.at(at.toArray()).plusAssign(e.e());
        mag += e.mag();
      }
      default -> {
        features.add("update_region_reads_self");
        List<ExprLike> at = coords(subRegion());
        E e = scaled(expr(1, at));
        f.at(at.toArray()).set(Exprs.sin(f.at(at.toArray())).times(e.e()));
        mag = Math.max(mag, e.mag());
      }
    }
    return mag;
  }

  /**
   * One time in four, an update of {@code f} of a kind {@link #update} makes, before or after a
   * scan or a fold: the scan then reads values from a stage other than the pure definition, or a
   * later stage overwrites values the scan's adjoint needs.
   */
  private double maybeUpdate(Func f, double mag) {
    if (rnd.nextInt(4) != 0) return mag;
    features.add("scan_or_fold_with_update");
    return update(f, mag);
  }

  /** A random box inside the loss region. */
  private RDom subRegion() {
    int[] mm = new int[2 * dims];
    for (int d = 0; d < dims; d++) {
      int len = 1 + rnd.nextInt(extents[d]);
      mm[2 * d] = rnd.nextInt(extents[d] - len + 1);
      mm[2 * d + 1] = len;
    }
    return new RDom(mm);
  }

  /** A histogram: each point of the region adds a value to the bin its source value falls in. */
  private Source scatter() {
    features.add("scatter_histogram");
    Source s = pick();
    consumed.add(s);
    int bins = 4 + rnd.nextInt(5);
    RDom r = region();
    List<ExprLike> at = coords(r);
    Func f = new Func(name("hist"));
    f.at(pure().toArray()).set(0f);
    ExprLike v = s.at(at);
    ExprLike bin = Exprs.clamp(index(v, s.mag(), bins), 0, bins - 1);
    List<ExprLike> lhs = new ArrayList<>(at);
    lhs.set(0, bin);
    E e = expr(1, at);
    f.at(lhs.toArray()).plusAssign(e.e());
    return new Source(f, e.mag() * extents[0]);
  }

  // ------------------------------------------------------------------ scans and folds

  /**
   * The iterations of a scan along {@code axis}: a reduction variable runs over that axis from
   * {@code start} on, forwards ({@code dir} 1) or backwards from the far end ({@code dir} -1). In two
   * dimensions the other coordinate is the pure variable or, in a two-dimensional domain, a second
   * reduction variable. {@code lhs} is the point an iteration writes.
   */
  private final class Scan {
    final List<ExprLike> lhs = new ArrayList<>();
    final int axis = rnd.nextInt(dims), dir = rnd.nextBoolean() ? 1 : -1;

    Scan(int start) {
      int n = extents[axis];
      boolean both = dims == 2 && rnd.nextBoolean();
      RDom r;
      if (both) {
        features.add("scan_2d_domain");
        int[] mm = new int[4];
        for (int d = 0; d < 2; d++) {
          mm[2 * d] = d == axis ? start : 0;
          mm[2 * d + 1] = d == axis ? n - start : extents[d];
        }
        r = new RDom(mm);
      } else {
        r = new RDom(start, n - start);
      }
      ExprLike along = both ? r.get(axis) : r.x();
      if (dir < 0) features.add("scan_backwards");
      for (int d = 0; d < dims; d++) {
        lhs.add(d != axis ? (both ? r.get(d) : pure().get(d)) : dir > 0 ? along : Expr.of(n - 1).minus(along));
      }
    }

    /** The point {@code j} steps back along the scan, which an earlier iteration wrote. */
    Object[] back(int j) {
      List<ExprLike> at = new ArrayList<>(lhs);
      at.set(axis, lhs.get(axis).minus(dir * j));
      return at.toArray();
    }
  }

  /**
   * An IIR filter along one axis, run as a scan: {@code f = init; f(r) = a f(r - 1) [+ b f(r - 2)] +
   * g(r)}, or a running sum ({@code a = 1}). Each iteration reads what earlier ones wrote, so the
   * adjoint is ScanAdjoints' reverse scan; the coefficients are constants, a Param or computed per
   * point, and get their gradients through every iteration.
   */
  private Source iirScan() {
    Func f = new Func(name("iir"));
    E init = expr(1, pure());
    f.at(pure().toArray()).set(init.e());
    double before = maybeUpdate(f, init.mag());
    boolean second = rnd.nextBoolean();
    Scan s = new Scan(second ? 2 : 1);
    E g = expr(1, s.lhs);
    if (!second && rnd.nextInt(3) == 0) {
      features.add("scan_running_sum");
      f.at(s.lhs.toArray()).set(f.at(s.back(1)).plus(g.e()));
      return new Source(f, maybeUpdate(f, before + extents[s.axis] * g.mag()));
    }
    features.add(second ? "scan_iir2" : "scan_iir1");
    E a = coefficient(second ? 0.5 : 0.9, s.lhs);
    ExprLike v = f.at(s.back(1)).times(a.e());
    double gain = a.mag();
    if (second) {
      E b = coefficient(0.4, s.lhs);
      v = v.plus(f.at(s.back(2)).times(b.e()));
      gain += b.mag();
    }
    f.at(s.lhs.toArray()).set(v.plus(g.e()));
    // |f| <= M for M = max(|before|, |g| / (1 - gain)), by induction over the iterations.
    return new Source(f, maybeUpdate(f, Math.max(before, g.mag() / (1 - gain))));
  }

  /** A coefficient of magnitude at most {@code max}: a constant, a Param (in [0.5, 1.5], scaled) or sin of an expression at {@code at}. */
  private E coefficient(double max, List<ExprLike> at) {
    int k = rnd.nextInt(3);
    if (k == 1 && !params.isEmpty()) {
      features.add("param");
      return new E(params.get(rnd.nextInt(params.size())).times((float) (max / 1.5)), max);
    }
    if (k == 2) return new E(Exprs.sin(expr(1, at).e()).times((float) max), max);
    float c = (float) ((rnd.nextDouble() * 2 - 1) * max);
    return new E(Expr.of(c), Math.abs(c));
  }

  /**
   * Prefix products along one axis: {@code f = v; f(r) = f(r - 1) f(r)} with {@code |v| <= 1.2}: a
   * scan that reads both the value the iteration before wrote and the point's own value from
   * before the update (a cumulative product).
   */
  private Source prefixProduct() {
    features.add("scan_prefix_product");
    Func f = new Func(name("cumprod"));
    E v = scaled(expr(1, pure()), 1.2);
    f.at(pure().toArray()).set(v.e());
    Scan s = new Scan(1);
    f.at(s.lhs.toArray()).set(f.at(s.back(1)).times(f.at(s.lhs.toArray())));
    return new Source(f, maybeUpdate(f, Math.max(v.mag(), Math.pow(v.mag(), extents[s.axis]))));
  }

  /**
   * Horner's rule along an extra dimension (catalog 8, fit_function): {@code h(x, k) = 0; h(x, n - 1
   * - r) = h(x, n - r) t(x) + c(r)}, with the coefficients {@code c} an input image and {@code t} a
   * value of the point in [-1, 1]; {@code f(x) = h(x, 0)} is the polynomial. The scan runs backwards
   * along k, and the gradient reaches both the coefficients and t.
   */
  private Source horner() {
    features.add("scan_horner");
    int n = 3 + rnd.nextInt(3);
    ImageParam c = image("coef" + images.size(), 1, n, n);
    RDom r = new RDom(0, n);
    ExprLike t = scaled(expr(1, pure()), 1).e();
    Func h = new Func(name("horner"));
    h.at(extra(new Var("k"))).set(0f);
    h.at(extra(Expr.of(n - 1).minus(r.x()))).set(h.at(extra(Expr.of(n).minus(r.x()))).times(t).plus(c.at(r.x())));
    Func f = new Func(name("poly"));
    f.at(pure().toArray()).set(h.at(extra(Expr.of(0))));
    return new Source(f, n);
  }

  /** The pure point with one more coordinate {@code k}. */
  private Object[] extra(ExprLike k) {
    List<ExprLike> at = new ArrayList<>(pure());
    at.add(k);
    return at.toArray();
  }

  /**
   * The points a fold visits: the pure point plus offsets in a small window (along one axis or,
   * in two dimensions, a 2x2 square), or every point of the row along x.
   */
  private final class Window {
    final List<ExprLike> at = new ArrayList<>(pure());
    final int size;

    Window() {
      if (rnd.nextInt(3) == 0) {
        features.add("fold_row");
        RDom r = new RDom(0, extents[0]);
        at.set(0, r.x());
        size = extents[0];
      } else if (dims == 2 && rnd.nextInt(3) == 0) {
        RDom r = new RDom(-1, 2, -1, 2);
        for (int d = 0; d < 2; d++) at.set(d, pure().get(d).plus(r.get(d)));
        size = 4;
      } else {
        int axis = rnd.nextInt(dims);
        size = 2 + rnd.nextInt(2);
        RDom r = new RDom(-1, size);
        at.set(axis, pure().get(axis).plus(r.x()));
      }
    }
  }

  /**
   * An inline {@code maximum}, {@code minimum} or {@code product} over a window: a fold, whose
   * values before each iteration ScanAdjoints stores; maximum and minimum send the gradient to one
   * argmax, and product's factors stay within [-1.2, 1.2].
   */
  private Source inlineFold() {
    Window w = new Window();
    E e = reading(w.at);
    Func f = new Func(name("folded"));
    int kind = rnd.nextInt(3);
    features.add(new String[] {"fold_maximum", "fold_minimum", "fold_product"}[kind]);
    if (kind == 2) {
      E factor = scaled(e, 1.2);
      f.at(pure().toArray()).set(Exprs.product(factor.e()));
      return new Source(f, Math.max(factor.mag(), Math.pow(factor.mag(), w.size)));
    }
    f.at(pure().toArray()).set(kind == 0 ? Exprs.maximum(e.e()) : Exprs.minimum(e.e()));
    return new Source(f, e.mag());
  }

  /**
   * A fold written as an update of every point over a window: {@code f(x) = max(f(x), g(x + r))}
   * (or min), {@code f(x) = a f(x) + g(x + r)} (a linear recurrence in one point, probe P5b, with
   * a coefficient that may change per iteration) or {@code f(x) = f(x) g(x + r)}. Each iteration
   * overwrites the value the next one reads.
   */
  private Source updateFold() {
    Func f = new Func(name("fold"));
    Window w = new Window();
    int kind = rnd.nextInt(4);
    features.add(new String[] {"fold_update_max", "fold_update_min", "fold_update_linear", "fold_update_product"}[kind]);
    E init = kind == 3 ? scaled(expr(1, pure()), 1.2) : expr(1, pure());
    f.at(pure().toArray()).set(init.e());
    // A product's factors must stay small, so only its result is updated.
    double before = kind == 3 ? init.mag() : maybeUpdate(f, init.mag());
    FuncRef self = f.at(pure().toArray());
    double mag = switch (kind) {
      case 0, 1 -> {
        E g = reading(w.at);
        f.at(pure().toArray()).set(kind == 0 ? Exprs.max(self, g.e()) : Exprs.min(self, g.e()));
        yield Math.max(before, g.mag());
      }
      case 2 -> {
        E a = coefficient(0.9, w.at), g = reading(w.at);
        f.at(pure().toArray()).set(self.times(a.e()).plus(g.e()));
        yield Math.max(before, g.mag() / (1 - a.mag()));
      }
      default -> {
        E g = scaled(reading(w.at), 1.2);
        f.at(pure().toArray()).set(self.times(g.e()));
        double m = Math.max(before, g.mag());
        yield Math.max(m, Math.pow(m, w.size + 1));
      }
    };
    return new Source(f, maybeUpdate(f, mag));
  }

  /** An expression at {@code at} that reads a source there (so it iterates a window's reduction variables): a read, alone or combined with an expression. */
  private E reading(List<ExprLike> at) {
    E r = read(at);
    if (rnd.nextBoolean()) return r;
    E e = expr(1, at);
    return rnd.nextBoolean() ? new E(r.e().plus(e.e()), r.mag() + e.mag()) : scaled(new E(r.e().times(e.e()), r.mag() * e.mag()));
  }

  // ------------------------------------------------------------------ Tuples

  /**
   * A Tuple-valued Func {@code {t0, t1}} (catalog 26): a pure definition of two values and up to two
   * updates (both values accumulated at the point or over a window, an update that mixes the two old
   * values, a swap, an overwrite of one point, a scan along one axis whose two values feed each
   * other). Both values become sources, so consumers read either element.
   */
  private List<Source> tuple() {
    features.add("tuple");
    Func t = new Func(name("tup"));
    E a = expr(1, pure()), b = expr(1, pure());
    t.at(pure().toArray()).set(Tuple.of(a.e(), b.e()));
    double m0 = a.mag(), m1 = b.mag();
    for (int u = rnd.nextInt(3); u > 0; u--) {
      FuncRef self = t.at(pure().toArray());
      switch (rnd.nextInt(6)) {
        case 5 -> {
          // A scan of both values that feed each other: t(r) = {a t(r-1)[0] + b t(r-1)[1] + g, c t(r-1)[1] + h}
          // with |a| + |b| <= 0.8 and |c| <= 0.8, so each value stays within max(m, (|g| + |h|) / 0.2).
          features.add("tuple_scan");
          Scan sc = new Scan(1);
          FuncRef prev = t.at(sc.back(1));
          E k00 = coefficient(0.5, sc.lhs), k01 = coefficient(0.3, sc.lhs), k11 = coefficient(0.8, sc.lhs);
          E g = expr(1, sc.lhs), h = expr(1, sc.lhs);
          t.at(sc.lhs.toArray()).set(Tuple.of(prev.get(0).times(k00.e()).plus(prev.get(1).times(k01.e())).plus(g.e()),
              prev.get(1).times(k11.e()).plus(h.e())));
          double bound = Math.max(Math.max(m0, m1), (g.mag() + h.mag()) / 0.2);
          m0 = bound;
          m1 = bound;
        }
        case 0 -> {
          features.add("tuple_accumulate");
          E p = expr(1, pure()), q = expr(1, pure());
          t.at(pure().toArray()).plusAssign(Tuple.of(p.e(), q.e()));
          m0 += p.mag();
          m1 += q.mag();
        }
        case 1 -> {
          features.add("tuple_accumulate_window");
          Window w = new Window();
          E p = reading(w.at), q = reading(w.at);
          t.at(pure().toArray()).plusAssign(Tuple.of(p.e(), q.e()));
          m0 += w.size * p.mag();
          m1 += w.size * q.mag();
        }
        case 2 -> {
          features.add("tuple_mix");
          E t0 = scaled(new E(self.get(0), m0)), t1 = scaled(new E(self.get(1), m1));
          float c = (float) (rnd.nextDouble() * 2 - 1);
          t.at(pure().toArray()).set(Tuple.of(t0.e().times(c).plus(Exprs.sin(t1.e())), t0.e().times(t1.e())));
          m0 = Math.abs(c) * t0.mag() + 1;
          m1 = t0.mag() * t1.mag();
        }
        case 3 -> {
          features.add("tuple_swap");
          t.at(pure().toArray()).set(Tuple.of(self.get(1), self.get(0)));
          double m = m0;
          m0 = m1;
          m1 = m;
        }
        default -> {
          features.add("tuple_overwrite_point");
          List<ExprLike> at = new ArrayList<>(pure());
          at.set(0, Expr.of(rnd.nextInt(extents[0])));
          E p = expr(1, at), q = expr(1, at);
          t.at(at.toArray()).set(Tuple.of(p.e(), q.e()));
          m0 = Math.max(m0, p.mag());
          m1 = Math.max(m1, q.mag());
        }
      }
    }
    return List.of(new Source(t, 0, m0), new Source(t, 1, m1));
  }

  // ------------------------------------------------------------------ expressions

  private Source pick() {
    return sources.get(rnd.nextInt(sources.size()));
  }

  /** {@code e} scaled down when its bound exceeds the limit. */
  private static E scaled(E e) {
    return e.mag() <= LIMIT ? e : new E(e.e().times((float) (1 / e.mag())), 1);
  }

  /** {@code e} scaled down to a bound of {@code max} when its bound exceeds it. */
  private static E scaled(E e, double max) {
    return e.mag() <= max ? e : new E(e.e().times((float) (max / e.mag())), max);
  }

  /** A read of a source near the point {@code at}: offset, transposed, down- or upsampled, reversed. */
  private E read(List<ExprLike> at) {
    Source s = pick();
    consumed.add(s);
    List<ExprLike> c = new ArrayList<>(at);
    int d = rnd.nextInt(dims);
    switch (rnd.nextInt(8)) {
      case 0, 1, 2 -> {}
      case 3 -> {
        features.add("offset");
        for (int i = 0; i < dims; i++) c.set(i, at.get(i).plus(rnd.nextInt(5) - 2));
      }
      case 4 -> {
        features.add("downsample");
        c.set(d, at.get(d).times(2).plus(rnd.nextInt(2)));
      }
      case 5 -> {
        features.add("upsample");
        c.set(d, at.get(d).div(2));
      }
      case 6 -> {
        if (dims == 2) {
          features.add("transpose");
          c.set(0, at.get(1));
          c.set(1, at.get(0));
        } else {
          features.add("reverse");
          c.set(0, Expr.of(extents[0] - 1).minus(at.get(0)));
        }
      }
      default -> {
        if (lut != null) return gather(s, c);
      }
    }
    return scaled(new E(s.at(c), s.mag()));
  }

  /** {@code lut(clamp(int((v + m) * k), 0, n - 1))}: the gradient flows to the table, not to {@code v}. */
  private E gather(Source s, List<ExprLike> at) {
    features.add("lut_gather");
    int n = lut.get().extent(0);
    ExprLike v = s.at(at);
    return new E(lut.at(Exprs.clamp(index(v, s.mag(), n), 0, n - 1)), 1);
  }

  /**
   * {@code int((v + mag) * n / (2 mag) + 0.37)}: {@code v} in {@code [-mag, mag]} spread over {@code n}
   * slots. The offset keeps common exact values (0 of an empty bin, a constant exterior) away
   * from slot boundaries, where float32 and float64 could choose different slots.
   */
  private static ExprLike index(ExprLike v, double mag, int n) {
    return Exprs.cast(Type.I32, v.plus((float) mag).times((float) (n / (2 * mag))).plus(0.37f));
  }

  private E leaf(List<ExprLike> at) {
    int k = rnd.nextInt(10);
    if (k == 8 && !params.isEmpty()) {
      features.add("param");
      Param p = params.get(rnd.nextInt(params.size()));
      return new E(p, 1.5);
    }
    if (k == 9) {
      float c = (float) (rnd.nextDouble() * 2 - 1);
      return new E(Expr.of(c), Math.abs(c));
    }
    return read(at);
  }

  private E expr(int depth, List<ExprLike> at) {
    if (depth == 0 || rnd.nextInt(5) == 0) return leaf(at);
    Function<Integer, E> sub = dd -> expr(dd, at);
    E a = sub.apply(depth - 1);
    int op = rnd.nextInt(17);
    E out = switch (op) {
      case 0 -> op("add", a, sub.apply(depth - 1), (p, q) -> new E(p.e().plus(q.e()), p.mag() + q.mag()));
      case 1 -> op("sub", a, sub.apply(depth - 1), (p, q) -> new E(p.e().minus(q.e()), p.mag() + q.mag()));
      case 2 -> op("mul", a, sub.apply(depth - 1), (p, q) -> new E(p.e().times(q.e()), p.mag() * q.mag()));
      case 3 -> op("div", a, sub.apply(depth - 1), (p, q) -> rnd.nextBoolean()
          ? new E(p.e().div(q.e().times(q.e()).plus(1f)), p.mag())
          : new E(p.e().div(Exprs.sin(q.e()).plus(2f)), p.mag()));
      case 4 -> fn("sin", new E(Exprs.sin(a.e()), 1));
      case 5 -> fn("exp", new E(Exprs.exp(Exprs.sin(a.e())), Math.E));
      case 6 -> fn("sqrt", new E(Exprs.sqrt(positive(a)), Math.sqrt(a.mag() * a.mag() + 0.5)));
      case 7 -> pow(a, depth, at);
      case 14 -> fmod(a, depth, at);
      case 8 -> op("min", a, sub.apply(depth - 1), (p, q) -> new E(Exprs.min(p.e(), q.e()), Math.max(p.mag(), q.mag())));
      case 9 -> op("max", a, sub.apply(depth - 1), (p, q) -> new E(Exprs.max(p.e(), q.e()), Math.max(p.mag(), q.mag())));
      case 10 -> fn("abs", new E(Exprs.abs(a.e()), a.mag()));
      case 11 -> {
        features.add("select");
        E b = sub.apply(depth - 1), c = sub.apply(depth - 1);
        ExprLike cond = rnd.nextBoolean() ? a.e().lt(b.e()) : a.e().gt((float) (rnd.nextDouble() - 0.5));
        yield new E(Exprs.select(cond, b.e(), c.e()), Math.max(b.mag(), c.mag()));
      }
      case 12 -> {
        features.add("lerp");
        E b = sub.apply(depth - 1), w = sub.apply(depth - 1);
        yield new E(Exprs.lerp(a.e(), b.e(), Exprs.sin(w.e()).plus(1f).times(0.5f)), Math.max(a.mag(), b.mag()));
      }
      case 13 -> {
        features.add("floor");
        E b = sub.apply(depth - 1);
        yield new E(a.e().plus(Exprs.floor(b.e().times(2f)).times(0.25f)), a.mag() + (2 * b.mag() + 1) * 0.25);
      }
      default -> {
        float c = (float) (rnd.nextDouble() * 4 - 2);
        yield new E(a.e().times(c), a.mag() * Math.abs(c));
      }
    };
    return scaled(out);
  }

  private interface Binary {
    E apply(E a, E b);
  }

  private E op(String feature, E a, E b, Binary f) {
    features.add(feature);
    return f.apply(a, b);
  }

  private E fn(String feature, E e) {
    features.add(feature);
    return e;
  }

  /**
   * Halogen's floored float modulo {@code (a + 0.3711) % m} (autodiff.md Q4: derivative 1 in the
   * dividend, {@code -floor((a + 0.3711) / m)} in the divisor), with {@code m} a constant, a Param
   * or {@code 1 + sin(b) / 4}, all in [0.5, 1.5]. The values jump where the quotient crosses an
   * integer; the offset keeps exact values (0, a constant exterior, a multiple of a quarter from
   * floor) off those jumps, and random data lands within {@code h} of one too rarely to matter.
   */
  private E fmod(E a, int depth, List<ExprLike> at) {
    features.add("fmod");
    ExprLike m;
    int k = rnd.nextInt(3);
    if (k == 1 && !params.isEmpty()) {
      m = params.get(rnd.nextInt(params.size()));
    } else if (k == 2) {
      m = Exprs.sin(expr(depth - 1, at).e()).times(0.25f).plus(1f);
    } else {
      m = Expr.of((float) (0.5 + rnd.nextDouble()));
    }
    return new E(a.e().plus(0.3711f).rem(m), 1.5);
  }

  /** {@code a^2 + 1/2}: positive, away from 0. */
  private static ExprLike positive(E a) {
    return a.e().times(a.e()).plus(0.5f);
  }

  /** {@code pow} of a positive base, with a constant, a Param or a computed exponent in [0.5, 2]. */
  private E pow(E a, int depth, List<ExprLike> at) {
    features.add("pow");
    double base = a.mag() * a.mag() + 0.5;
    ExprLike exponent;
    if (!params.isEmpty() && rnd.nextBoolean()) {
      exponent = params.get(rnd.nextInt(params.size()));
    } else if (rnd.nextBoolean()) {
      exponent = Expr.of(new float[] {0.5f, 1.5f, 2f}[rnd.nextInt(3)]);
    } else {
      exponent = Exprs.sin(expr(depth - 1, at).e()).times(0.5f).plus(1f);
    }
    return new E(Exprs.pow(positive(a), exponent), Math.pow(Math.max(base, 1), 2));
  }
}
