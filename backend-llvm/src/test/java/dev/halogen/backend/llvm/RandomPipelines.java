package dev.halogen.backend.llvm;

import dev.halogen.ir.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * A generator of random pipelines with random legal schedules, in the pipeline text form, for the
 * fuzz test ({@link FuzzDifferentialTest}).
 *
 * <p>The algorithm: one or two input images (int32, float32, uint8 or uint16; one or two
 * dimensions), sometimes an int32 and a float32 Param, and one to four Funcs of one or two
 * dimensions, int32, float32, uint8 or uint16, sometimes a Tuple of two. Func {@code f<i>} reads the
 * inputs and the Funcs before it; those no Func reads are the outputs. Values are pointwise
 * arithmetic, selects, casts, exact float functions (floor, sqrt, ...), stencils of the Funcs before
 * (offsets of the coordinates), reads of the images at those offsets, clamped to the image or not,
 * and data-dependent reads at clamped coordinates. Funcs have up to two updates: a reduction over an
 * RDom (sum, min or max, sometimes with a where predicate), a histogram-like scatter at a clamped
 * index, a scan along one dimension, a diagonal update at an RDom variable, or a pointwise update.
 * Only an output may end in a function of the C math library ({@code sin}, {@code exp}, ...), whose
 * result may differ by an ulp between the backends.
 *
 * <p>int32 arithmetic must not overflow (undefined behaviour): the generator keeps an interval of
 * every int32 value from the ranges of the inputs, multiplies only where the product fits, clamps
 * values that grow past {@value #LIMIT} in magnitude, and bounds reductions by their number of terms.
 * The fuzz test runs the interpreter with int32 overflow checking to hold it to that. Half the Funcs
 * with float values are exact ({@link Func#exact}): their values are made multiples of 1/64 of
 * bounded magnitude before they are summed, so that every order of a float reduction gives the same
 * bits.
 *
 * <p>The schedule: each Func besides the outputs is inline, at the root, or computed at a loop of
 * the one stage that reads it (sometimes stored further out: at the root or an outer loop, with no
 * parallel or vectorized loop in between if it has updates, whose iterations would share the
 * storage), sometimes in heap or stack memory. An output sometimes has explicit bounds, its buffer's. Each stage gets
 * splits (each tail strategy where it is legal: GUARD_WITH_IF anywhere, ROUND_UP in a pure definition
 * or a pure loop of an update of a Func that is not an output and not inside an earlier split, or of
 * a bounded output whose extent the factor divides, SHIFT_INWARDS in an output's pure definition
 * with a factor its extent holds), fuses of two pure or two reduction loops, a loop order, and loop
 * kinds: one vectorized loop (constant extents of 2 to 16) and one unrolled loop (constant extents
 * up to 4) at most, parallel pure loops; a reduction loop runs unordered only where iterations
 * touch distinct elements or the update is atomic (commutative and associative updates only). Some
 * associative updates are factored with rfactor (the factored loop may then be parallel). Reduction
 * loops keep their nesting where the order matters: in a scan, and in a float reduction of a Func
 * that is not exact (which is also never atomic nor factored).
 *
 * <p>Sometimes an input is made too small on purpose, so that runs fail their image checks.
 *
 * <p>Each case also has the same algorithm with the plain schedule (every Func at the root, no loop
 * directives): what the schedule must not change.
 */
final class RandomPipelines {
  /** The largest magnitude of an int32 value before it is clamped; reductions stay below 2^30. */
  static final int LIMIT = 1 << 20;
  private static final long REDUCTION_LIMIT = 1L << 29;
  /** How far inputs reach beyond the outputs' regions in each direction, for unclamped stencils. */
  static final int MARGIN = 48;

  /** A buffer argument: its name, element type and region. */
  record Shape(String name, Type type, int[] mins, int[] extents) {}

  /**
   * One generated case.
   *
   * @param text the pipeline with its random schedule
   * @param baseline the same algorithm with every Func at the root and no loop directives
   * @param inputs the input images, whose values must lie in {@link #inputRange}
   * @param outputs the output buffers (a Tuple-valued output has one per element, {@code f.0, f.1})
   * @param scalars the Params' values
   * @param libm whether an output calls a function of the C math library, which may differ by an ulp
   * @param smallInput whether an input is made too small on purpose (most such runs fail an image
   *     check, whose message may then differ from the plain schedule's, which reads other regions)
   * @param features the schedule features used, for the statistics
   */
  record Case(String text, String baseline, List<Shape> inputs, List<Shape> outputs, Map<String, Object> scalars,
      boolean libm, boolean smallInput, Set<String> features) {}

  /** The range of the values of an input of type {@code t}: small integers, and dyadic floats whose sums are exact. */
  static Interval inputRange(Type t) {
    if (t.equals(Type.U8)) return new Interval(0, 255);
    if (t.equals(Type.U16)) return new Interval(0, 65535);
    if (t.equals(Type.I32)) return new Interval(-1000, 1000);
    return new Interval(-16, 16);
  }

  /** A closed interval of int32 values. */
  record Interval(long lo, long hi) {
    static Interval of(long... values) {
      long lo = Long.MAX_VALUE, hi = Long.MIN_VALUE;
      for (long v : values) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      return new Interval(lo, hi);
    }

    Interval hull(Interval o) {
      return new Interval(Math.min(lo, o.lo), Math.max(hi, o.hi));
    }

    long magnitude() {
      return Math.max(Math.abs(lo), Math.abs(hi));
    }

    Interval add(Interval o) {
      return new Interval(lo + o.lo, hi + o.hi);
    }

    Interval sub(Interval o) {
      return new Interval(lo - o.hi, hi - o.lo);
    }

    Interval mul(Interval o) {
      return of(lo * o.lo, lo * o.hi, hi * o.lo, hi * o.hi);
    }

    /** The sum of up to {@code n} terms of {@code o} added to this (none, when a predicate skips them all). */
    Interval accumulate(Interval o, long n) {
      return new Interval(lo + Math.min(0, n * o.lo), hi + Math.max(0, n * o.hi));
    }
  }

  /** A generated expression: its text, type, and for int32 the interval of its values. */
  private record E(String text, Type type, @Nullable Interval range) {}

  private enum Kind { PURE, REDUCE, SCATTER, SCAN, DIAGONAL, POINTWISE }

  private record Input(String name, Type type, int dims) {}

  /**
   * A reduction domain: variables with constant mins and extents, where {@code symbolic} marks an
   * extent that is {@code k0 + extent - 8} (at most {@code extent}: k0 is at most 8, and an extent
   * below 1 runs nothing).
   */
  private record RDom(List<String> vars, List<Integer> mins, List<Integer> extents, List<Boolean> symbolic,
      @Nullable String predicate) {
    String extentText(int i) {
      return symbolic.get(i) ? "k0 + " + (extents.get(i) - 8) : Integer.toString(extents.get(i));
    }

    /** The extent of variable {@code i} when it is a constant, else -1. */
    int constExtent(int i) {
      return symbolic.get(i) ? -1 : extents.get(i);
    }

    long points() {
      long n = 1;
      for (int e : extents) n *= e;
      return n;
    }
  }

  /** A loop of a stage while its schedule is made. */
  private static final class Loop {
    final String name;
    final boolean rvar;
    /** The extent when it is a constant, else -1. */
    final int constExtent;
    /**
     * Whether it is, or was made from, the inner loop of a split or a fuse (ROUND_UP is refused there
     * in updates: the iterations past the extent would run the update again on points inside it).
     */
    final boolean fromInner;
    /** The pure variable it is, when it is one unchanged, else null. */
    final @Nullable String original;
    String kind = "";

    Loop(String name, boolean rvar, int constExtent, boolean fromInner, @Nullable String original) {
      this.name = name;
      this.rvar = rvar;
      this.constExtent = constExtent;
      this.fromInner = fromInner;
      this.original = original;
    }
  }

  private static final class Stage {
    final Kind kind;
    /** Per value, the operator of a reduction or scatter: "+", "min", "max" (empty otherwise). */
    final List<String> ops = new ArrayList<>();
    List<String> lhs = List.of();
    final List<String> values = new ArrayList<>();
    @Nullable RDom rdom;
    /** The Funcs this stage calls. */
    final Set<String> calls = new LinkedHashSet<>();
    // The schedule.
    final List<String> splits = new ArrayList<>();
    List<Loop> loops = new ArrayList<>();
    boolean atomic;
    @Nullable String rfactor;
    /** Whether a split of a reduction loop may not divide it, which gives the domain a predicate (its guard). */
    boolean guardedRvar;

    Stage(Kind kind) {
      this.kind = kind;
    }

    boolean associative() {
      return kind == Kind.REDUCE || kind == Kind.SCATTER;
    }
  }

  private static final class Func {
    final String name;
    final int index;
    final List<String> args;
    final List<Type> types;
    final List<Interval> ranges = new ArrayList<>();
    final List<Stage> stages = new ArrayList<>();
    boolean output;
    /** Output region (for outputs). */
    int[] mins = new int[0];
    int[] extents = new int[0];
    String compute = "";
    String store = "";
    /** A memory type ({@code store_in(stack)}), or empty. */
    String memory = "";
    /** Whether an output has explicit bounds (its buffer's region exactly). */
    boolean bounded;
    /**
     * Whether its float values are exact: every value it starts from or adds is a multiple of 1/64
     * of magnitude at most 1024, so its sums are exact in float32 in any order, and no value is NaN
     * or -0 (which min and max would treat by order). Only then may a schedule reorder its float
     * reductions, and the results still compare bit for bit.
     */
    boolean exact;
    boolean inline;

    Func(String name, int index, List<String> args, List<Type> types) {
      this.name = name;
      this.index = index;
      this.args = args;
      this.types = types;
    }

    boolean tuple() {
      return types.size() > 1;
    }

    String call(String coords, int element) {
      return name + "(" + coords + ")" + (tuple() ? "[" + element + "]" : "");
    }
  }

  /**
   * What an expression may read: the variables at hand and the Funcs it may call (those before the
   * one being defined; in an update, only those that are not outputs), recording the calls in {@code stage}.
   */
  private record Ctx(List<String> vars, List<Func> callable, Stage stage) {}

  // ------------------------------------------------------------------ generation

  private final SplittableRandom random;
  private final List<Input> inputs = new ArrayList<>();
  private final List<Func> funcs = new ArrayList<>();
  private boolean intParam;
  private boolean floatParam;
  private boolean libm;
  private boolean smallInput;
  /** How far past the plain schedule's regions ROUND_UP splits may compute (a sum over the splits: they may stack along a chain of Funcs). */
  private int roundUpReach;
  private final Set<String> features = new LinkedHashSet<>();

  private RandomPipelines(long seed) {
    this.random = new SplittableRandom(seed);
  }

  /** The case of {@code seed}: the same seed gives the same case. */
  static Case generate(long seed) {
    return new RandomPipelines(seed).build();
  }

  private Case build() {
    int nInputs = 1 + (chance(0.4) ? 1 : 0);
    Type[] inputTypes = {Type.I32, Type.F32, Type.U8, Type.U16};
    for (int i = 0; i < nInputs; i++) inputs.add(new Input("in" + i, pick(inputTypes), 1 + random.nextInt(2)));
    intParam = chance(0.3);
    floatParam = chance(0.3);
    // One to four Funcs, mostly two or three: every Func adds loops, and LLVM's time grows with them.
    double p = random.nextDouble();
    int n = p < 0.25 ? 1 : p < 0.65 ? 2 : p < 0.9 ? 3 : 4;
    for (int i = 0; i < n; i++) {
      int dims = 1 + random.nextInt(2);
      List<String> args = dims == 1 ? List.of("x") : List.of("x", "y");
      List<Type> types = chance(0.15) ? List.of(pickValueType(), pickValueType()) : List.of(pickValueType());
      funcs.add(new Func("f" + i, i, args, types));
    }
    for (Func f : funcs) define(f);
    markOutputs();
    for (Func f : funcs) if (f.output) region(f);
    // Updates come once the outputs' regions are known: an output's scatters and scans stay inside it.
    for (Func f : funcs) defineUpdates(f);
    finishLibm();
    for (int i = funcs.size() - 1; i >= 0; i--) schedule(funcs.get(i));
    List<Shape> inputShapes = inputShapes(); // before smallInput is read: it may set it
    return new Case(text(true), text(false), inputShapes, outputShapes(), scalars(), libm, smallInput, features);
  }

  private Type pickValueType() {
    double p = random.nextDouble();
    return p < 0.45 ? Type.I32 : p < 0.85 ? Type.F32 : p < 0.93 ? Type.U8 : Type.U16;
  }

  private boolean chance(double p) {
    return random.nextDouble() < p;
  }

  @SafeVarargs
  private <T> T pick(T... options) {
    return options[random.nextInt(options.length)];
  }

  private <T> T pick(List<T> options) {
    return options.get(random.nextInt(options.size()));
  }

  /** The Funcs nobody calls are the outputs. The calls of updates are not known yet: they only read Funcs before them too. */
  private void markOutputs() {
    Set<String> called = new LinkedHashSet<>();
    for (Func f : funcs) for (Stage s : f.stages) called.addAll(s.calls);
    for (Func f : funcs) f.output = !called.contains(f.name);
  }

  private void region(Func f) {
    f.mins = new int[f.args.size()];
    f.extents = new int[f.args.size()];
    for (int d = 0; d < f.args.size(); d++) {
      f.mins[d] = pick(0, 0, -3, 2);
      f.extents[d] = f.args.size() == 1 ? 5 + random.nextInt(36) : 3 + random.nextInt(12);
    }
  }

  private void define(Func f) {
    Stage pure = new Stage(Kind.PURE);
    pure.lhs = f.args;
    Ctx ctx = new Ctx(f.args, List.copyOf(funcs.subList(0, f.index)), pure);
    f.exact = f.types.stream().anyMatch(Type::isFloat) && chance(0.5);
    for (Type t : f.types) {
      E e = exact(f, gen(t, 1 + random.nextInt(2), ctx));
      pure.values.add(e.text());
      f.ranges.add(e.range());
    }
    f.stages.add(pure);
  }

  /** Updates call only Funcs before {@code f}, so they do not change which Funcs are outputs. */
  private void defineUpdates(Func f) {
    int updates = chance(0.4) ? (chance(0.25) ? 2 : 1) : 0;
    for (int u = 0; u < updates; u++) {
      List<Kind> kinds = new ArrayList<>(List.of(Kind.REDUCE, Kind.REDUCE, Kind.POINTWISE));
      if (!f.tuple()) kinds.addAll(List.of(Kind.SCATTER, Kind.SCATTER, Kind.SCAN, Kind.DIAGONAL));
      Stage s = update(f, pick(kinds));
      if (s != null) f.stages.add(s);
    }
  }

  private @Nullable Stage update(Func f, Kind kind) {
    Stage s = new Stage(kind);
    String self = String.join(", ", f.args);
    List<Func> callable = funcs.subList(0, f.index).stream().filter(g -> !g.output).toList();
    switch (kind) {
      case REDUCE -> {
        s.rdom = rdom(1 + random.nextInt(2), s, callable);
        s.lhs = f.args;
        Ctx ctx = ctx(s, f.args, callable);
        for (int i = 0; i < f.types.size(); i++) {
          Type t = f.types.get(i);
          String op = t.isFloat() || t.equals(Type.I32) ? pick("+", "+", "min", "max") : pick("+", "min", "max");
          s.ops.add(op);
          E e = exact(f, bounded(gen(t, 1, ctx), s.rdom.points()));
          s.values.add(combine(op, f.call(self, i), e.text()));
          if (t.equals(Type.I32)) f.ranges.set(i, reduce(op, f.ranges.get(i), e.range(), s.rdom.points()));
        }
      }
      case POINTWISE -> {
        s.lhs = f.args;
        Ctx ctx = ctx(s, f.args, callable);
        for (int i = 0; i < f.types.size(); i++) {
          Type t = f.types.get(i);
          E e = exact(f, gen(t, 1, ctx));
          String old = f.call(self, i);
          s.ops.add("");
          if (t.equals(Type.I32)) {
            Interval r = f.ranges.get(i);
            if (r.magnitude() * 2 + e.range().magnitude() < REDUCTION_LIMIT && chance(0.5)) {
              s.values.add("(" + old + " * 2 - " + e.text() + ")");
              f.ranges.set(i, r.mul(new Interval(2, 2)).sub(e.range()));
            } else {
              s.values.add("select(" + cond(1, ctx).text() + ", " + e.text() + ", " + old + ")");
              f.ranges.set(i, r.hull(e.range()));
            }
          } else if (t.isFloat()) {
            s.values.add(f.exact ? "(" + old + " + " + e.text() + ")" : "(" + old + " * 0.5f + " + e.text() + ")");
          } else {
            s.values.add("(" + old + " + " + e.text() + ")");
          }
        }
      }
      case SCATTER -> {
        // Histogram-like: the first coordinate is data-dependent and clamped, the others pure.
        s.rdom = rdom(1 + random.nextInt(2), s, callable);
        int lo, hi;
        if (f.output) {
          lo = f.mins[0] + random.nextInt(f.extents[0]);
          hi = lo + random.nextInt(f.mins[0] + f.extents[0] - lo);
        } else {
          lo = random.nextInt(-3, 4);
          hi = lo + random.nextInt(12);
        }
        List<String> rest = f.args.subList(1, f.args.size());
        Ctx ctx = ctx(s, rest, callable);
        E index = gen(Type.I32, 2, new Ctx(s.rdom.vars(), callable, s));
        List<String> coords = new ArrayList<>();
        coords.add("min(max(" + index.text() + ", " + lo + "), " + hi + ")");
        coords.addAll(rest);
        s.lhs = coords;
        Type t = f.types.getFirst();
        E e = chance(0.4) ? constant(t, 1) : exact(f, bounded(gen(t, 1, ctx), s.rdom.points()));
        s.ops.add("+");
        s.values.add(combine("+", f.call(String.join(", ", coords), 0), e.text()));
        if (t.equals(Type.I32)) f.ranges.set(0, reduce("+", f.ranges.getFirst(), e.range(), s.rdom.points()));
      }
      case SCAN, DIAGONAL -> {
        // Along dimension d over r.x: a scan reads the point before, a diagonal update the point itself.
        int d = random.nextInt(f.args.size());
        int min, extent;
        boolean scan = kind == Kind.SCAN;
        if (f.output) {
          int first = f.mins[d] + (scan ? 1 : 0);
          int room = f.mins[d] + f.extents[d] - first;
          if (room <= 0) return null;
          min = first + random.nextInt(room);
          extent = 1 + random.nextInt(f.mins[d] + f.extents[d] - min);
        } else {
          min = random.nextInt(-2, 4);
          extent = 1 + random.nextInt(10);
        }
        s.rdom = new RDom(List.of("r.x"), List.of(min), List.of(extent), List.of(false), null);
        List<String> at = new ArrayList<>(f.args);
        at.set(d, "r.x");
        List<String> before = new ArrayList<>(f.args);
        before.set(d, scan ? "r.x - 1" : "r.x");
        List<String> others = new ArrayList<>(f.args);
        others.remove(d);
        others.add("r.x");
        s.lhs = at;
        Type t = f.types.getFirst();
        E e = exact(f, bounded(gen(t, 1, ctx(s, others, callable)), extent));
        String prev = f.call(String.join(", ", before), 0);
        s.ops.add("");
        if (t.isFloat()) {
          s.values.add(scan && !f.exact ? "(" + prev + " * 0.5f + " + e.text() + ")" : "(" + prev + " + " + e.text() + ")");
        } else if (t.equals(Type.I32)) {
          String op = pick("+", "min", "max");
          s.values.add(combine(op, prev, e.text()));
          f.ranges.set(0, reduce(op, f.ranges.getFirst(), e.range(), extent));
        } else {
          s.values.add("(" + prev + " + " + e.text() + ")");
        }
      }
      case PURE -> throw new IllegalArgumentException("an update is not a pure definition");
    }
    return s;
  }

  /** The context of update {@code s}: the pure variables {@code vars} and its reduction variables. */
  private static Ctx ctx(Stage s, List<String> vars, List<Func> callable) {
    List<String> all = new ArrayList<>(vars);
    if (s.rdom != null) all.addAll(s.rdom.vars());
    return new Ctx(all, callable, s);
  }

  /** A reduction domain of {@code dims} variables with mins in [-2, 2] and extents in [1, 6], sometimes with a predicate. */
  private RDom rdom(int dims, Stage s, List<Func> callable) {
    List<String> vars = dims == 1 ? List.of("r.x") : List.of("r.x", "r.y");
    List<Integer> mins = new ArrayList<>(), extents = new ArrayList<>();
    List<Boolean> symbolic = new ArrayList<>();
    for (int i = 0; i < dims; i++) {
      mins.add(random.nextInt(-2, 3));
      // Sometimes an extent set by the Param k0 (in [-8, 8]): 1 + k0 .. 4 + k0, which may be empty.
      boolean byParam = intParam && chance(0.15);
      symbolic.add(byParam);
      extents.add(byParam ? 8 + random.nextInt(1, 5) : random.nextInt(1, 7));
      if (byParam) features.add("rdom extent from a param");
    }
    String predicate = chance(0.25) ? cond(1, new Ctx(vars, callable, s)).text() : null;
    if (predicate != null) features.add("where");
    return new RDom(vars, mins, extents, symbolic, predicate);
  }

  private static String combine(String op, String old, String e) {
    return op.equals("+") ? "(" + old + " + " + e + ")" : op + "(" + old + ", " + e + ")";
  }

  /** The interval of a reduction of {@code n} terms of {@code e} into {@code f} with {@code op}. */
  private static Interval reduce(String op, Interval f, Interval e, long n) {
    return op.equals("+") ? f.accumulate(e, n) : f.hull(e);
  }

  /** {@code e} clamped so that {@code n} of its terms stay below the reduction limit (int32 only). */
  private E bounded(E e, long n) {
    if (!e.type().equals(Type.I32)) return e;
    long cap = Math.max(1, REDUCTION_LIMIT / (2 * Math.max(1, n)) / 4);
    if (e.range().magnitude() <= cap) return e;
    return clamp(e, cap);
  }

  /** For an exact Func, a float {@code e} made a multiple of 1/64 in [-1024, 1024] (NaN to 0, never -0); else {@code e}. */
  private static E exact(Func f, E e) {
    if (!f.exact || !e.type().isFloat()) return e;
    return new E("(cast<float32>(min(max(cast<int32>(floor(" + e.text() + " * 64.0f)), -65536), 65536)) / 64.0f)", e.type(), null);
  }

  private static E clamp(E e, long cap) {
    return new E("min(max(" + e.text() + ", " + (-cap) + "), " + cap + ")", Type.I32,
        new Interval(Math.max(-cap, Math.min(cap, e.range().lo())), Math.min(cap, Math.max(-cap, e.range().hi()))));
  }

  // ------------------------------------------------------------------ expressions

  private E gen(Type t, int depth, Ctx c) {
    if (t.equals(Type.I32)) return genInt(depth, c);
    if (t.equals(Type.F32)) return genFloat(depth, c);
    return genUnsigned(t, depth, c);
  }

  private E constant(Type t, long v) {
    if (t.equals(Type.I32)) return new E(Long.toString(v), t, new Interval(v, v));
    if (t.equals(Type.F32)) return new E(v + ".0f", t, null);
    return new E(v + (t.equals(Type.U8) ? "u8" : "u16"), t, null);
  }

  private E genInt(int depth, Ctx c) {
    E e = depth <= 0 || chance(0.25) ? intLeaf(depth, c) : intOp(depth, c);
    return e.range().magnitude() > LIMIT ? clamp(e, LIMIT) : e;
  }

  private E intLeaf(int depth, Ctx c) {
    int choice = random.nextInt(10);
    if (choice < 2) {
      long v = random.nextInt(-9, 10);
      return new E(v < 0 ? "(" + v + ")" : Long.toString(v), Type.I32, new Interval(v, v));
    }
    if (choice < 4) {
      String v = pick(c.vars());
      return new E(v, Type.I32, new Interval(-MARGIN * 8, MARGIN * 8));
    }
    if (choice == 4 && intParam) return new E("k0", Type.I32, new Interval(-8, 8));
    if (choice < 7 || c.callable().isEmpty()) return asInt(inputRead(depth, c));
    return asInt(funcRead(depth, c));
  }

  /** {@code e} as an int32 value (clamped when it comes from a float). */
  private E asInt(E e) {
    if (e.type().equals(Type.I32)) return e;
    if (e.type().isFloat()) {
      return new E("min(max(cast<int32>(" + e.text() + "), -4096), 4096)", Type.I32, new Interval(-4096, 4096));
    }
    return new E("cast<int32>(" + e.text() + ")", Type.I32, inputRange(e.type()));
  }

  private E intOp(int depth, Ctx c) {
    E a = genInt(depth - 1, c);
    int op = random.nextInt(12);
    if (op == 9) {
      return asInt(genFloat(depth - 1, c));
    }
    if (op == 11) {
      // abs of an int32 is a uint32; the magnitude of a value in range fits back.
      return new E("cast<int32>(abs(" + a.text() + "))", Type.I32, new Interval(0, a.range().magnitude()));
    }
    if (op == 10) {
      E cond = cond(depth - 1, c);
      E b = genInt(depth - 1, c);
      return new E("select(" + cond.text() + ", " + a.text() + ", " + b.text() + ")", Type.I32, a.range().hull(b.range()));
    }
    E b = op == 4 || op == 5 ? divisor(depth, c) : genInt(depth - 1, c);
    Interval ra = a.range(), rb = b.range();
    return switch (op) {
      case 0, 1 -> new E("(" + a.text() + " + " + b.text() + ")", Type.I32, ra.add(rb));
      case 2 -> new E("(" + a.text() + " - " + b.text() + ")", Type.I32, ra.sub(rb));
      case 3 -> ra.mul(rb).magnitude() <= (1L << 30)
          ? new E("(" + a.text() + " * " + b.text() + ")", Type.I32, ra.mul(rb))
          : new E("(" + a.text() + " + " + b.text() + ")", Type.I32, ra.add(rb));
      // Euclidean division: |a / b| <= |a| + 1; by zero it is 0.
      case 4 -> new E("(" + a.text() + " / " + b.text() + ")", Type.I32,
          new Interval(-ra.magnitude() - 1, ra.magnitude() + 1));
      case 5 -> new E("(" + a.text() + " % " + b.text() + ")", Type.I32, new Interval(0, Math.max(0, rb.magnitude() - 1)));
      case 6 -> new E("min(" + a.text() + ", " + b.text() + ")", Type.I32,
          new Interval(Math.min(ra.lo(), rb.lo()), Math.min(ra.hi(), rb.hi())));
      case 7 -> new E("max(" + a.text() + ", " + b.text() + ")", Type.I32,
          new Interval(Math.max(ra.lo(), rb.lo()), Math.max(ra.hi(), rb.hi())));
      default -> new E("(" + a.text() + " - " + b.text() + ")", Type.I32, ra.sub(rb));
    };
  }

  /** Mostly a nonzero constant; sometimes an expression, which may be zero (then the quotient is 0). */
  private E divisor(int depth, Ctx c) {
    if (chance(0.7)) {
      int v = random.nextInt(1, 10) * (chance(0.3) ? -1 : 1);
      return new E(v < 0 ? "(" + v + ")" : Integer.toString(v), Type.I32, new Interval(v, v));
    }
    return genInt(depth - 1, c);
  }

  private E genFloat(int depth, Ctx c) {
    if (depth <= 0 || chance(0.25)) return floatLeaf(depth, c);
    int op = random.nextInt(14);
    E a = genFloat(depth - 1, c);
    return switch (op) {
      case 12 -> new E("(" + a.text() + " % " + pick("2.5f", "(-1.5f)", "0.75f", "8.0f") + ")", Type.F32, null);
      case 13 -> new E("lerp(" + a.text() + ", " + genFloat(depth - 1, c).text() + ", " + genFloat(depth - 1, c).text() + ")", Type.F32,
          null);
      case 0, 1 -> new E("(" + a.text() + " + " + genFloat(depth - 1, c).text() + ")", Type.F32, null);
      case 2 -> new E("(" + a.text() + " - " + genFloat(depth - 1, c).text() + ")", Type.F32, null);
      case 3 -> new E("(" + a.text() + " * " + genFloat(depth - 1, c).text() + ")", Type.F32, null);
      case 4 -> new E("(" + a.text() + " / " + genFloat(depth - 1, c).text() + ")", Type.F32, null);
      case 5 -> new E("min(" + a.text() + ", " + genFloat(depth - 1, c).text() + ")", Type.F32, null);
      case 6 -> new E("max(" + a.text() + ", " + genFloat(depth - 1, c).text() + ")", Type.F32, null);
      case 7 -> new E("select(" + cond(depth - 1, c).text() + ", " + a.text() + ", " + genFloat(depth - 1, c).text() + ")", Type.F32,
          null);
      case 8 -> new E(pick("floor", "ceil", "round", "trunc", "fract") + "(" + a.text() + ")", Type.F32, null);
      case 9 -> new E("sqrt(abs(" + a.text() + "))", Type.F32, null);
      case 10 -> new E("cast<float32>(" + genInt(depth - 1, c).text() + ")", Type.F32, null);
      default -> new E("abs(" + a.text() + ")", Type.F32, null);
    };
  }

  private E floatLeaf(int depth, Ctx c) {
    int choice = random.nextInt(10);
    if (choice < 2) {
      float v = random.nextInt(-32, 33) / 8f;
      return new E(v < 0 ? "(" + v + "f)" : v + "f", Type.F32, null);
    }
    if (choice == 2) return new E("cast<float32>(" + pick(c.vars()) + ")", Type.F32, null);
    if (choice == 3 && floatParam) return new E("s0", Type.F32, null);
    E e = choice < 7 || c.callable().isEmpty() ? inputRead(depth, c) : funcRead(depth, c);
    return e.type().equals(Type.F32) ? e : new E("cast<float32>(" + e.text() + ")", Type.F32, null);
  }

  private E genUnsigned(Type t, int depth, Ctx c) {
    String suffix = t.equals(Type.U8) ? "u8" : "u16";
    if (depth <= 0 || chance(0.3)) {
      int choice = random.nextInt(6);
      if (choice == 0) return new E(random.nextInt(0, 200) + suffix, t, null);
      E e = choice < 4 || c.callable().isEmpty() ? inputRead(depth, c) : funcRead(depth, c);
      if (e.type().equals(t)) return e;
      // Casts to the narrow type wrap (ints) or saturate (floats): both defined.
      return new E("cast<" + t + ">(" + e.text() + ")", t, null);
    }
    E a = genUnsigned(t, depth - 1, c);
    E b = genUnsigned(t, depth - 1, c);
    return switch (random.nextInt(8)) {
      case 7 -> new E("lerp(" + a.text() + ", " + b.text() + ", " + genUnsigned(t, depth - 1, c).text() + ")", t, null);
      case 0 -> new E("(" + a.text() + " + " + b.text() + ")", t, null);
      case 1 -> new E("(" + a.text() + " - " + b.text() + ")", t, null);
      case 2 -> new E("(" + a.text() + " * " + b.text() + ")", t, null);
      case 3 -> new E("(" + a.text() + " / " + b.text() + ")", t, null);
      case 4 -> new E("min(" + a.text() + ", " + b.text() + ")", t, null);
      case 5 -> new E("max(" + a.text() + ", " + b.text() + ")", t, null);
      default -> new E("cast<" + t + ">(" + genInt(depth - 1, c).text() + ")", t, null);
    };
  }

  private E cond(int depth, Ctx c) {
    if (chance(0.08)) {
      E f = genFloat(Math.max(0, depth - 1), c);
      return new E(pick("is_nan", "is_inf", "is_finite") + "(" + f.text() + ")", Type.BOOL, null);
    }
    if (chance(0.08)) return new E("likely(" + cond(depth, c).text() + ")", Type.BOOL, null);
    if (depth > 1 && chance(0.25)) {
      E a = cond(depth - 1, c), b = cond(depth - 1, c);
      return new E("(" + a.text() + (chance(0.5) ? " && " : " || ") + b.text() + ")", Type.BOOL, null);
    }
    String op = pick("<", "<=", "==", "!=", ">", ">=");
    if (chance(0.6)) {
      E a = genInt(Math.max(0, depth - 1), c), b = genInt(Math.max(0, depth - 1), c);
      return new E("(" + a.text() + " " + op + " " + b.text() + ")", Type.BOOL, null);
    }
    E a = genFloat(Math.max(0, depth - 1), c), b = genFloat(Math.max(0, depth - 1), c);
    return new E("(" + a.text() + " " + op + " " + b.text() + ")", Type.BOOL, null);
  }

  /** A read of an input: at offsets of the variables (clamped to the image or not), or at a clamped data-dependent point. */
  private E inputRead(int depth, Ctx c) {
    Input in = pick(inputs);
    List<String> coords = new ArrayList<>();
    for (int d = 0; d < in.dims(); d++) {
      String lo = in.name() + ".min." + d, hi = in.name() + ".min." + d + " + " + in.name() + ".extent." + d + " - 1";
      double p = random.nextDouble();
      if (p < 0.12 && depth > 0) {
        coords.add("min(max(" + genInt(depth - 1, c).text() + ", " + lo + "), " + hi + ")");
      } else {
        String at = offset(pick(c.vars()), random.nextInt(-3, 4));
        coords.add(p < 0.5 ? "min(max(" + at + ", " + lo + "), " + hi + ")" : at);
      }
    }
    return new E(in.name() + "(" + String.join(", ", coords) + ")", in.type(),
        in.type().equals(Type.I32) ? inputRange(in.type()) : null);
  }

  /** A read of a Func before the one being defined: a stencil tap, or at a clamped data-dependent point. */
  private E funcRead(int depth, Ctx c) {
    Func g = pick(c.callable());
    c.stage().calls.add(g.name);
    List<String> coords = new ArrayList<>();
    for (int d = 0; d < g.args.size(); d++) {
      if (chance(0.08) && depth > 0) {
        int lo = random.nextInt(-2, 3);
        coords.add("min(max(" + genInt(depth - 1, c).text() + ", " + lo + "), " + (lo + random.nextInt(8)) + ")");
      } else {
        coords.add(offset(pick(c.vars()), chance(0.5) ? 0 : random.nextInt(-2, 3)));
      }
    }
    int element = random.nextInt(g.types.size());
    Type t = g.types.get(element);
    Interval range = t.equals(Type.I32) ? g.ranges.get(element) : null;
    E e = new E(g.call(String.join(", ", coords), element), t, range);
    return range != null && range.magnitude() > LIMIT ? clamp(e, LIMIT) : e;
  }

  private static String offset(String v, int k) {
    return k == 0 ? v : k > 0 ? v + " + " + k : v + " - " + (-k);
  }

  /** Maybe wraps a float output without updates in a function of the C math library. */
  private void finishLibm() {
    for (Func f : funcs) {
      if (!f.output || f.stages.size() > 1 || !chance(0.15)) continue;
      Stage pure = f.stages.getFirst();
      for (int i = 0; i < f.types.size(); i++) {
        if (!f.types.get(i).isFloat()) continue;
        String v = pure.values.get(i);
        pure.values.set(i, switch (random.nextInt(8)) {
          case 5 -> "pow(abs(" + v + "), 0.75f)";
          case 6 -> "atan2(" + v + ", 1.5f)";
          case 7 -> "hypot(" + v + ", 2.0f)";
          case 0 -> "sin(" + v + ")";
          case 1 -> "exp(min(" + v + ", 20.0f))";
          case 2 -> "atan(" + v + ")";
          case 3 -> "tanh(" + v + ")";
          default -> "log(abs(" + v + ") + 1.0f)";
        });
        libm = true;
        features.add("libm");
      }
    }
  }

  // ------------------------------------------------------------------ schedules

  /** Where each Func is called: the (Func, stage) pairs whose definitions call it, through Funcs inlined without updates. */
  private List<Map.Entry<Func, Integer>> sites(Func f) {
    List<Map.Entry<Func, Integer>> out = new ArrayList<>();
    for (Func g : funcs) {
      for (int s = 0; s < g.stages.size(); s++) {
        if (!g.stages.get(s).calls.contains(f.name)) continue;
        if (g.inline && g.stages.size() == 1) {
          for (Map.Entry<Func, Integer> e : sites(g)) if (!out.contains(e)) out.add(e);
        } else {
          Map.Entry<Func, Integer> e = Map.entry(g, s);
          if (!out.contains(e)) out.add(e);
        }
      }
    }
    return out;
  }

  private void schedule(Func f) {
    if (f.output) {
      f.compute = "";
      // Explicit bounds equal to the buffer's: constant loop extents, and ROUND_UP where the factor divides them.
      f.bounded = chance(0.2);
      if (f.bounded) features.add("bound");
    } else {
      List<Map.Entry<Func, Integer>> sites = sites(f);
      double p = random.nextDouble();
      if (sites.size() == 1 && p < 0.35 && sites.getFirst().getKey().stages.get(sites.getFirst().getValue()).rfactor == null) {
        computeAt(f, sites.getFirst().getKey(), sites.getFirst().getValue());
      } else if (p < 0.7) {
        f.compute = "compute_root store_root";
      } else {
        f.inline = true;
        if (f.stages.size() > 1) features.add("inline with updates");
      }
    }
    if (f.inline && f.stages.size() == 1) return;
    if (!f.output && !f.inline && chance(0.2)) {
      f.memory = pick("heap", "stack");
      features.add("store_in " + f.memory);
    }
    for (int s = 0; s < f.stages.size(); s++) scheduleStage(f, s);
  }

  private void computeAt(Func f, Func g, int stage) {
    List<Loop> loops = g.stages.get(stage).loops;
    int at = random.nextInt(loops.size());
    // Inside an unrolled loop, each copy computes f again: the code grows with the product. Rarely.
    boolean insideUnrolled = loops.subList(at + 1, loops.size()).stream().anyMatch(l -> l.kind.equals("unrolled"));
    if (insideUnrolled && chance(0.75)) at = loops.size() - 1;
    f.compute = "compute_at(" + g.name + ", " + stage + ", " + loops.get(at).name + ")";
    f.store = " store_at(" + g.name + ", " + stage + ", " + loops.get(at).name + ")";
    features.add("compute_at");
    // Stored further out: the loops from the computation's out to the storage's (exclusive) then
    // share the storage among their iterations. With updates, those must not run at the same time
    // (parallel) or in lockstep (vectorized: lane i's update of a shared point would follow lane j's
    // recomputation of it), which lowering refuses; a pure definition writes the same values in
    // every iteration. At the root, the loops around g count too unless g is at the root itself.
    if (chance(0.35)) {
      boolean gAtRoot = g.output || g.compute.startsWith("compute_root");
      int outer = at + random.nextInt(loops.size() - at + (gAtRoot ? 1 : 0));
      boolean unordered = false;
      for (int i = at; i < outer; i++) unordered |= loops.get(i).kind.equals("parallel") || loops.get(i).kind.equals("vectorized");
      if (!unordered || f.stages.size() == 1) {
        f.store = outer == loops.size() ? " store_root" : " store_at(" + g.name + ", " + stage + ", " + loops.get(outer).name + ")";
        if (outer != at) features.add("store_at outside compute_at");
      }
    }
  }

  private void scheduleStage(Func f, int index) {
    Stage s = f.stages.get(index);
    boolean update = index > 0;
    // The loops before any directive, innermost first: the reduction variables, then the pure
    // variables that stand at their own positions on the left-hand side.
    List<Loop> loops = new ArrayList<>();
    if (s.rdom != null) {
      for (int i = 0; i < s.rdom.vars().size(); i++) loops.add(new Loop(s.rdom.vars().get(i), true, s.rdom.constExtent(i), false, null));
    }
    for (int d = 0; d < f.args.size(); d++) {
      String v = f.args.get(d);
      if (!update || s.lhs.get(d).equals(v)) loops.add(new Loop(v, false, f.bounded ? f.extents[d] : -1, false, v));
    }
    // The natural nesting of the reduction loops, to tell whether a fuse reorders them.
    List<Loop> natural = new ArrayList<>(loops);
    int steps = random.nextInt(3);
    int counter = 0;
    // An upper bound of the points one iteration of a split loop covers: the product of the factors so far.
    int unit = 1;
    for (int step = 0; step < steps; step++) {
      if (chance(0.75) || loops.size() < 2) {
        Loop l = pick(loops);
        int k = random.nextInt(2, 9);
        String tail = tail(f, s, update, l, k);
        String base = l.name.replace(".", "");
        String outerName = base + "_o" + counter, innerName = base + "_i" + counter;
        counter++;
        int outerExtent = l.constExtent > 0 ? (l.constExtent + k - 1) / k : -1;
        Loop outer = new Loop(outerName, l.rvar, outerExtent, l.fromInner, null);
        Loop inner = new Loop(innerName, l.rvar, k, true, null);
        s.splits.add("split(" + l.name + ", " + outerName + ", " + innerName + ", " + k + (tail.isEmpty() ? "" : ", " + tail) + ")");
        // Rounding up computes up to k - 1 more iterations of l past its region, which read further.
        if (tail.equals("round_up")) roundUpReach += (k - 1) * unit;
        unit *= k;
        if (l.rvar && l.constExtent % k != 0) s.guardedRvar = true;
        features.add("split " + (tail.isEmpty() ? "auto" : tail));
        replace(loops, l, inner, outer);
        replace(natural, l, inner, outer);
      } else {
        // Fuse two loops of the same sort, next to each other (inner first).
        int i = random.nextInt(loops.size() - 1);
        Loop a = loops.get(i), b = loops.get(i + 1);
        if (a.rvar != b.rvar) continue;
        if (s.kind == Kind.SCAN && a.rvar) continue;
        String name = a.name.replace(".", "") + "_" + b.name.replace(".", "") + "_f" + counter++;
        int extent = a.constExtent > 0 && b.constExtent > 0 ? a.constExtent * b.constExtent : -1;
        Loop fused = new Loop(name, a.rvar, extent, true, null);
        s.splits.add("fuse(" + a.name + ", " + b.name + ", " + name + ")");
        features.add("fuse");
        int ni = natural.indexOf(a);
        if (a.rvar && !(ni >= 0 && ni + 1 < natural.size() && natural.get(ni + 1) == b) && orderMatters(f, s)) continue;
        loops.remove(i + 1);
        loops.set(i, fused);
        natural.remove(b);
        natural.set(natural.indexOf(a), fused);
      }
    }
    // The loop order: pure loops anywhere; reduction loops of a scan in their nesting.
    if (chance(0.4)) {
      List<Loop> order = new ArrayList<>(loops);
      java.util.Collections.shuffle(order, new java.util.Random(random.nextLong()));
      if (s.kind == Kind.SCAN || orderMatters(f, s)) order = keepRvarOrder(order, loops);
      if (!order.equals(loops)) features.add("reorder");
      loops = order;
    }
    s.loops = loops;
    boolean raceFree = s.kind == Kind.DIAGONAL;
    if (update && s.associative() && !orderMatters(f, s) && chance(0.25) && s.loops.stream().anyMatch(l -> l.rvar)) {
      s.atomic = true;
      features.add("atomic");
    }
    kinds(s, raceFree);
    if (update && !s.atomic && s.associative() && !orderMatters(f, s) && s.rdom != null && chance(0.2)) rfactor(f, s, index);
  }

  private static void replace(List<Loop> loops, Loop old, Loop inner, Loop outer) {
    int i = loops.indexOf(old);
    loops.set(i, inner);
    loops.add(i + 1, outer);
  }

  /** {@code order} with its reduction loops put back in the order they have in {@code nesting}. */
  private static List<Loop> keepRvarOrder(List<Loop> order, List<Loop> nesting) {
    List<Loop> rvars = nesting.stream().filter(l -> l.rvar).toList();
    List<Loop> out = new ArrayList<>();
    int next = 0;
    for (Loop l : order) out.add(l.rvar ? rvars.get(next++) : l);
    return out;
  }

  /**
   * Whether reordering the reduction of stage {@code s} could change its result: a float reduction of
   * a Func that is not {@link Func#exact} (rounding, and NaN and -0 in min and max, depend on the order).
   */
  private static boolean orderMatters(Func f, Stage s) {
    return s.associative() && f.types.stream().anyMatch(Type::isFloat) && !f.exact;
  }

  /** The tail strategy of a split of {@code l} by {@code k} (empty: AUTO, which guards). */
  private String tail(Func f, Stage s, boolean update, Loop l, int k) {
    List<String> options = new ArrayList<>(List.of("", "guard_with_if"));
    if (!f.output && !l.rvar && (!update || !l.fromInner)) options.add("round_up");
    if (!update && f.bounded && l.original != null && f.extents[f.args.indexOf(l.original)] % k == 0) options.add("round_up");
    if (!update && f.output && l.original != null && f.extents[f.args.indexOf(l.original)] >= k) options.add("shift_inwards");
    return pick(options);
  }

  private void kinds(Stage s, boolean raceFree) {
    // One vectorized and one unrolled loop (of up to 4 iterations) at most: more multiply the code,
    // and the time LLVM takes.
    boolean vectorized = false, unrolled = false;
    for (int i = 0; i < s.loops.size(); i++) {
      Loop l = s.loops.get(i);
      boolean unordered = !l.rvar || raceFree || s.atomic;
      double p = random.nextDouble();
      if (l.constExtent >= 2 && l.constExtent <= 16 && unordered && !vectorized && p < (i == 0 ? 0.45 : 0.12)) {
        l.kind = "vectorized";
        vectorized = true;
      } else if (l.constExtent >= 1 && l.constExtent <= 4 && !unrolled && p < 0.6) {
        l.kind = chance(0.5) ? "unrolled" : "";
        unrolled = !l.kind.isEmpty();
      } else if (unordered && p < 0.85) {
        l.kind = chance(0.5) ? "parallel" : "";
      }
      if (!l.kind.isEmpty()) features.add(l.kind + (l.rvar ? " rvar" : ""));
    }
  }

  /** Factors one reduction loop of update {@code s} into an intermediate Func; that loop alone may then be parallel. */
  private void rfactor(Func f, Stage s, int index) {
    List<Loop> rloops = s.loops.stream().filter(l -> l.rvar).toList();
    // Factoring the only reduction loop would leave a domain with a predicate (a where clause, or
    // the guard of a split that does not divide) without variables.
    if ((s.rdom.predicate() != null || s.guardedRvar) && rloops.size() < 2) return;
    Loop factored = pick(rloops);
    // The factored loop becomes a pure loop of the intermediate: its iterations may run in parallel.
    if (chance(0.5)) {
      factored.kind = "parallel";
      features.add("parallel rfactor");
    }
    String name = f.name + "_intm" + index;
    s.rfactor = "rfactor(" + name + ", " + factored.name + " -> u" + index + ")";
    features.add("rfactor");
  }

  // ------------------------------------------------------------------ text

  private String text(boolean scheduled) {
    StringBuilder out = new StringBuilder("pipeline outputs(");
    out.append(String.join(", ", funcs.stream().filter(f -> f.output).map(f -> f.name).toList())).append(")\n");
    for (Input in : inputs) out.append("image ").append(in.name()).append(": ").append(in.type()).append(" [").append(in.dims()).append("]\n");
    if (intParam) out.append("param k0: int32\n");
    if (floatParam) out.append("param s0: float32\n");
    for (Func f : funcs) {
      out.append("\nfunc ").append(f.name).append("(").append(String.join(", ", f.args)).append("): ");
      out.append(f.tuple() ? "(" + f.types.get(0) + ", " + f.types.get(1) + ")" : f.types.getFirst().toString()).append(" {\n");
      for (int i = 0; i < f.stages.size(); i++) {
        Stage s = f.stages.get(i);
        String indent = s.rdom != null ? "    " : "  ";
        if (s.rdom != null) {
          out.append("  over r(");
          for (int v = 0; v < s.rdom.vars().size(); v++) {
            if (v > 0) out.append(", ");
            out.append(s.rdom.vars().get(v)).append(" [").append(s.rdom.mins().get(v)).append(", ").append(s.rdom.extentText(v)).append("]");
          }
          out.append(")");
          if (s.rdom.predicate() != null) out.append(" where ").append(s.rdom.predicate());
          out.append(" {\n");
        }
        out.append(indent).append(f.name).append("(").append(String.join(", ", s.lhs)).append(") = ");
        out.append(f.tuple() ? "{" + String.join(", ", s.values) + "}" : s.values.getFirst()).append("\n");
        if (scheduled && !(f.inline && f.stages.size() == 1)) stageSchedule(out, indent, s);
        if (s.rdom != null) out.append("  }\n");
      }
      List<String> directives = new ArrayList<>();
      if (!f.output) directives.add(scheduled ? (f.inline ? "" : f.compute + f.store) : "compute_root store_root");
      if (scheduled && f.bounded) {
        for (int d = 0; d < f.args.size(); d++) directives.add("bound(" + f.args.get(d) + ", " + f.mins[d] + ", " + f.extents[d] + ")");
      }
      if (scheduled && !f.memory.isEmpty()) directives.add("store_in(" + f.memory + ")");
      String level = String.join(" ", directives).strip();
      if (!level.isEmpty()) out.append("  ").append(level).append("\n");
      out.append("}\n");
    }
    return out.toString();
  }

  private static void stageSchedule(StringBuilder out, String indent, Stage s) {
    List<String> lines = new ArrayList<>(s.splits);
    List<String> dims = new ArrayList<>();
    for (Loop l : s.loops) dims.add(l.name + (l.rvar ? " rvar" : "") + (l.kind.isEmpty() ? "" : " " + l.kind));
    if (!dims.isEmpty()) lines.add("loops(" + String.join(", ", dims) + ")");
    if (s.atomic) lines.add("atomic");
    if (s.rfactor != null) lines.add(s.rfactor);
    out.append(indent).append("schedule {\n");
    for (String l : lines) out.append(indent).append("  ").append(l).append("\n");
    out.append(indent).append("}\n");
  }

  /**
   * Inputs reach {@link #MARGIN} beyond every output's region in every dimension (any variable may
   * index any dimension), and {@link #roundUpReach} further, for what ROUND_UP splits compute past
   * the regions the plain schedule computes.
   */
  private List<Shape> inputShapes() {
    int lo = 0, hi = 0;
    for (Func f : funcs) {
      if (!f.output) continue;
      for (int d = 0; d < f.args.size(); d++) {
        lo = Math.min(lo, f.mins[d]);
        hi = Math.max(hi, f.mins[d] + f.extents[d]);
      }
    }
    List<Shape> out = new ArrayList<>();
    for (Input in : inputs) {
      int[] mins = new int[in.dims()], extents = new int[in.dims()];
      java.util.Arrays.fill(mins, lo - MARGIN - roundUpReach);
      java.util.Arrays.fill(extents, hi - lo + 2 * (MARGIN + roundUpReach));
      if (!smallInput && chance(0.05)) {
        // Two points: reads beyond them fail the image checks, with the same message on both backends.
        smallInput = true;
        java.util.Arrays.fill(mins, 0);
        java.util.Arrays.fill(extents, 2);
        features.add("input too small");
      }
      out.add(new Shape(in.name(), in.type(), mins, extents));
    }
    return out;
  }

  private List<Shape> outputShapes() {
    List<Shape> out = new ArrayList<>();
    for (Func f : funcs) {
      if (!f.output) continue;
      for (int i = 0; i < f.types.size(); i++) {
        out.add(new Shape(f.tuple() ? f.name + "." + i : f.name, f.types.get(i), f.mins.clone(), f.extents.clone()));
      }
    }
    return out;
  }

  private Map<String, Object> scalars() {
    Map<String, Object> out = new LinkedHashMap<>();
    if (intParam) out.put("k0", random.nextInt(-8, 9));
    if (floatParam) out.put("s0", random.nextInt(-32, 33) / 8f);
    return out;
  }
}
