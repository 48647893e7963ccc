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
 * pointwise math, stencils, reductions over small kernels (with weights as images), lookup-table
 * gathers, transposes, down- and upsampling, update stages (accumulations, overwrites of a point or
 * a sub-region, self-reading updates) and histogram-like scatters. Each case is fixed by its seed.
 *
 * <p>Values stay moderate: every subexpression carries a bound on its magnitude, and one whose
 * bound exceeds {@value #LIMIT} is scaled down; {@code exp} only sees {@code sin} of something, a
 * divisor is {@code 1 + b^2} or {@code 2 + sin(b)}, and {@code sqrt} and {@code pow} see {@code a^2 +
 * 1/2}. Kinks (min, max, abs, select, floor, float-to-int indices) are left where the random data
 * puts them; the gradient check skips a coordinate that lies within {@code h} of one.
 */
final class RandomAdPipelines {
  private static final double LIMIT = 4;

  /** A generated case: the loss, the float inputs it reads, and the features it uses. */
  record Case(long seed, Func loss, List<ImageParam> images, List<Param> params, Set<String> features) {}

  /** A value to read: a Func defined everywhere, with a bound on its magnitude. */
  private record Source(Func f, double mag) {}

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
  private final Set<Func> consumed = Collections.newSetFromMap(new IdentityHashMap<>());
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
    for (int i = 0; i < n; i++) sources.add(stage());
    Func loss = new Func("loss");
    loss.at().set(0f);
    for (Source s : sources) {
      if (consumed.contains(s.f()) || (sources.indexOf(s) < inputs && sources.size() > inputs)) continue;
      RDom r = region();
      ExprLike v = scaled(new E(s.f().at(coords(r).toArray()), s.mag())).e();
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

  private Source stage() {
    return switch (rnd.nextInt(7)) {
      case 0, 1 -> pointwise();
      case 2 -> stencil();
      case 3 -> convolution();
      case 4, 5 -> updates();
      default -> scatter();
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
      ExprLike term = s.f().at(at.toArray()).times(c);
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
    ExprLike term = w.times(s.f().at(at.toArray()));
    double mag = Math.pow(k, dims) * s.mag();
    consumed.add(s.f());
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
    for (int u = 1 + rnd.nextInt(2); u > 0; u--) {
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
    }
    return new Source(f, mag);
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
    consumed.add(s.f());
    int bins = 4 + rnd.nextInt(5);
    RDom r = region();
    List<ExprLike> at = coords(r);
    Func f = new Func(name("hist"));
    f.at(pure().toArray()).set(0f);
    ExprLike v = s.f().at(at.toArray());
    ExprLike bin = Exprs.clamp(index(v, s.mag(), bins), 0, bins - 1);
    List<ExprLike> lhs = new ArrayList<>(at);
    lhs.set(0, bin);
    E e = expr(1, at);
    f.at(lhs.toArray()).plusAssign(e.e());
    return new Source(f, e.mag() * extents[0]);
  }

  // ------------------------------------------------------------------ expressions

  private Source pick() {
    return sources.get(rnd.nextInt(sources.size()));
  }

  /** {@code e} scaled down when its bound exceeds the limit. */
  private static E scaled(E e) {
    return e.mag() <= LIMIT ? e : new E(e.e().times((float) (1 / e.mag())), 1);
  }

  /** A read of a source near the point {@code at}: offset, transposed, down- or upsampled, reversed. */
  private E read(List<ExprLike> at) {
    Source s = pick();
    consumed.add(s.f());
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
    return scaled(new E(s.f().at(c.toArray()), s.mag()));
  }

  /** {@code lut(clamp(int((v + m) * k), 0, n - 1))}: the gradient flows to the table, not to {@code v}. */
  private E gather(Source s, List<ExprLike> at) {
    features.add("lut_gather");
    int n = lut.get().extent(0);
    ExprLike v = s.f().at(at.toArray());
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
    int op = rnd.nextInt(16);
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
