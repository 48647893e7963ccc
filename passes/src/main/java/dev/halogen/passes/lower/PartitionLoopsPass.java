package dev.halogen.passes.lower;

import dev.halogen.ir.Expr;
import dev.halogen.ir.Expr.Call;
import dev.halogen.ir.Expr.CallKind;
import dev.halogen.ir.Expr.Var;
import dev.halogen.ir.ForKind;
import dev.halogen.ir.IrQueries;
import dev.halogen.ir.IrRewriter;
import dev.halogen.ir.IrWalker;
import dev.halogen.ir.LoweredModule;
import dev.halogen.ir.Stmt;
import dev.halogen.ir.Stmt.*;
import dev.halogen.ir.Substitution;
import dev.halogen.ir.Type;
import dev.halogen.passes.IrProperty;
import dev.halogen.passes.IrUnit;
import dev.halogen.passes.LoopsPass;
import dev.halogen.passes.analysis.Bounds;
import dev.halogen.passes.analysis.Interval;
import dev.halogen.passes.analysis.IntervalScope;
import dev.halogen.passes.analysis.Simplifier;
import dev.halogen.passes.analysis.Solver;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * {@code partition-loops}: splits a loop into a prologue, a steady state and an epilogue so that
 * the steady state runs without the boundary conditions that only the first or last iterations
 * need (Halide's {@code partition_loops}), establishing {@link IrProperty#LOOPS_PARTITIONED}.
 *
 * <p>What it partitions. A {@code serial} or {@code parallel} loop over {@code v} whose bounds are
 * pure (no load or Func, image or extern call: the epilogue's bounds are computed after the first
 * parts ran), on a condition found anywhere in its body (inside inner loops, lets and branches): a
 * conjunct {@code c} of an {@code if} condition ({@code likely} stripped) that
 *
 * <ul>
 *   <li>is pure, after substituting the lets between the loop and the {@code if}, and mentions
 *       {@code v};
 *   <li>has an interval of {@code v} where it holds whatever the other variables are ({@link
 *       Solver#solveForInnerInterval}) that is unbounded on at least one side: {@code v < e}, {@code
 *       v >= e} and linear forms of them, such as the guard {@code xi + xo * 8 < extent} of a split
 *       that does not divide (a bounded interval, as of {@code v == 3}, leaves the loop alone: its
 *       steady state would be a point);
 *   <li>keeps such an interval when the variables of inner loops range over their loops: the
 *       lower end becomes its largest value over them and the upper end its smallest ({@code xo <=
 *       (extent - xi - 1) / 8} for {@code xi} in {@code [0, 7]} is {@code xo <= (extent - 8) / 8}),
 *       and the ends then mention only variables bound outside the loop.
 * </ul>
 *
 * <p>The steady state is where all those conjuncts hold: {@code [lo, hi]}, the largest lower end
 * and the smallest upper end, cut to the loop's range. The loop becomes
 *
 * <pre>
 * let v.steady_min = min(max(lo, min), min + extent)
 * let v.steady_max = max(min(hi, min + extent - 1), v.steady_min - 1)
 * for (v, min, v.steady_min - min) { body }                                  prologue
 * for (v, v.steady_min, v.steady_max - v.steady_min + 1) { steady body }     steady state
 * for (v, v.steady_max + 1, min + extent - 1 - v.steady_max) { body }        epilogue
 * </pre>
 *
 * without the prologue when there is no lower end or it provably is at most {@code min}, and
 * without the epilogue likewise; a bound that simplifies to a constant or a variable is used as it
 * is, without a let. The parts cover the loop's iterations once each, in order; no part's
 * extent is negative unless the loop's is (then every part is empty), and an empty part runs
 * nothing and costs only its bounds. A parallel loop stays parallel in every part. In the steady body, each {@code if} conjunct that provably
 * holds there (by the same interval test, against the steady state's bounds) is dropped, with the
 * {@code else} branch when nothing is left, and each int32 {@code min(a, b)} or {@code max(a, b)}
 * that provably is one of its operands there (the clamp {@code min(xo * 8 + xi, extent - 1)} that a
 * guarded split puts in the coordinates) becomes that operand. Inner loops of the steady state are
 * partitioned in turn; the prologue and epilogue keep the original body (they are the few tail
 * iterations, and partitioning them again would multiply the code).
 *
 * <p>Loops of the other kinds are not partitioned (vectorized and unrolled loops are gone by the
 * time the pass runs in the default pipeline; GPU loops map to hardware indices), but loops inside
 * them are. The pass works in both storage forms (it never looks at storage), and only requires the
 * loop nests.
 */
public final class PartitionLoopsPass extends LoopsPass {
  public static final String NAME = "partition-loops";

  public PartitionLoopsPass() {
    super(NAME, "split loops into prologue, steady state and epilogue so the steady state has no boundary conditions",
        Set.of(IrProperty.LOOPS_BUILT), // requires
        Set.of(IrProperty.LOOPS_PARTITIONED), // establishes
        Set.of(IrProperty.SIMPLIFIED, IrProperty.CSE_APPLIED)); // invalidates
  }

  @Override
  protected LoweredModule transform(IrUnit.Loops loops) {
    return partition(loops.module());
  }

  /** {@code m} with its loops partitioned; {@code m} itself when no loop is. */
  public static LoweredModule partition(LoweredModule m) {
    return LOOPS.rewrite(m);
  }

  /** Finds the loops, outermost first, and partitions each that has a condition to partition on. */
  private static final IrRewriter LOOPS = new IrRewriter() {
    @Override
    public Expr rewrite(Expr e) {
      return e; // expressions hold no loops
    }

    @Override
    public Stmt rewrite(Stmt s) {
      return s instanceof For f && (f.kind() == ForKind.SERIAL || f.kind() == ForKind.PARALLEL) && pure(f.min())
          && pure(f.extent()) ? partitionLoop(f) : rewriteChildren(s);
    }
  };

  private static Stmt partitionLoop(For f) {
    Walk collect = new Walk(new Loop(f.name(), null));
    collect.rewrite(f.body());
    List<Interval> found = collect.loop.found;
    if (found.isEmpty()) return LOOPS.rewriteChildren(f);

    Expr loopMin = f.min();
    Expr end = Simplifier.simplify(new Expr.Add(f.min(), f.extent()));
    Expr loopMax = Simplifier.simplify(new Expr.Sub(end, one()));
    // What holds of v in the steady state: v >= each lower end, v <= each upper end, and the loop's range.
    List<Expr> lowers = new ArrayList<>(List.of(loopMin));
    List<Expr> uppers = new ArrayList<>(List.of(loopMax));
    @Nullable Expr lo = null, hi = null;
    for (Interval i : found) {
      if (i.min() != null) {
        lowers.add(i.min());
        if (!Simplifier.canProve(new Expr.LE(i.min(), loopMin))) lo = lo == null ? i.min() : new Expr.Max(lo, i.min());
      }
      if (i.max() != null) {
        uppers.add(i.max());
        if (!Simplifier.canProve(new Expr.LE(loopMax, i.max()))) hi = hi == null ? i.max() : new Expr.Min(hi, i.max());
      }
    }
    Stmt steadyBody = new Walk(new Loop(f.name(), new Steady(lowers, uppers))).rewrite(f.body());
    if (steadyBody == f.body()) return LOOPS.rewriteChildren(f);
    steadyBody = LOOPS.rewrite(steadyBody);
    if (lo == null && hi == null) return new For(f.name(), f.min(), f.extent(), f.kind(), f.deviceApi(), steadyBody);

    Set<String> taken = IrQueries.allVarNames(f);
    List<Binding> lets = new ArrayList<>();
    Expr first = lo == null ? loopMin : bound(f.name() + ".steady_min", new Expr.Min(new Expr.Max(lo, loopMin), end), taken, lets);
    Expr last = hi == null
        ? loopMax
        : bound(f.name() + ".steady_max", new Expr.Max(new Expr.Min(hi, loopMax), new Expr.Sub(first, one())), taken, lets);
    List<Stmt> parts = new ArrayList<>();
    if (lo != null) parts.add(part(f, loopMin, new Expr.Sub(first, loopMin), f.body()));
    parts.add(part(f, first, new Expr.Add(new Expr.Sub(last, first), one()), steadyBody));
    if (hi != null) parts.add(part(f, new Expr.Add(last, one()), new Expr.Sub(loopMax, last), f.body()));
    Stmt out = new Block(parts);
    for (Binding l : lets.reversed()) out = new LetStmt(l.name(), l.value(), out);
    return out;
  }

  /**
   * {@code value} simplified, where the parts use it: itself when it is a constant or a variable,
   * else a new variable named after {@code base}, bound by a let added to {@code lets}.
   */
  private static Expr bound(String base, Expr value, Set<String> taken, List<Binding> lets) {
    Expr v = Simplifier.simplify(value);
    if (IrQueries.isConst(v) || v instanceof Var) return v;
    Var named = Var.of(fresh(base, taken));
    lets.add(new Binding(named.name(), v));
    return named;
  }

  /** A let to put around the parts of a partitioned loop. */
  private record Binding(String name, Expr value) {}

  /** {@code base} when no variable of the loop uses it, else the first fresh {@code base$k}; the name is then taken. */
  private static String fresh(String base, Set<String> taken) {
    String name = taken.contains(base) ? IrQueries.freshName(base, taken) : base;
    taken.add(name);
    return name;
  }

  /** One part of loop {@code f}: its kind and device, over {@code [min, min + extent)}. */
  private static For part(For f, Expr min, Expr extent, Stmt body) {
    return new For(f.name(), Simplifier.simplify(min), Simplifier.simplify(extent), f.kind(), f.deviceApi(), body);
  }

  private static Expr one() {
    return new Expr.IntImm(Type.I32, 1);
  }

  /**
   * Whether {@code e} can be evaluated at another time with the same result: no load and no Func,
   * image or extern call (storage may change in between).
   */
  private static boolean pure(Expr e) {
    boolean[] impure = {false};
    new IrWalker() {
      @Override
      protected void visit(Expr x, Scope scope, Path path) {
        if (x instanceof Expr.Load) impure[0] = true;
        if (x instanceof Call c && (c.kind() == CallKind.FUNC || c.kind() == CallKind.IMAGE || c.kind() == CallKind.EXTERN)) {
          impure[0] = true;
        }
      }
    }.walk(e);
    return !impure[0];
  }

  /** {@code e} without a {@code likely} around it (it only marks the condition as the common case). */
  private static Expr stripLikely(Expr e) {
    return e instanceof Call(Type t, String name, List<Expr> args, CallKind kind, int index) && kind == CallKind.INTRINSIC
        && name.equals("likely") && args.size() == 1 ? stripLikely(args.getFirst()) : e;
  }

  /** The conjuncts of {@code c}: {@code a && b} is those of {@code a}, then those of {@code b}. */
  private static void conjuncts(Expr c, List<Expr> out) {
    Expr e = stripLikely(c);
    if (e instanceof Expr.And(Expr a, Expr b)) {
      conjuncts(a, out);
      conjuncts(b, out);
    } else {
      out.add(c);
    }
  }

  /**
   * What holds of the loop variable in the steady state: it is at least each of {@code lowers} and
   * at most each of {@code uppers} (expressions over variables bound outside the loop).
   */
  private record Steady(List<Expr> lowers, List<Expr> uppers) {
    /** Whether {@code [i.min, i.max]} provably contains the steady state: each end is beyond one of the facts. */
    boolean within(Interval i) {
      return (i.min() == null || lowers.stream().anyMatch(l -> Simplifier.canProve(new Expr.LE(i.min(), l))))
          && (i.max() == null || uppers.stream().anyMatch(u -> Simplifier.canProve(new Expr.LE(u, i.max()))));
    }
  }

  /**
   * The loop being partitioned: its variable, and either the intervals of the conditions found so far
   * (while collecting, {@code steady} null) or the steady state to simplify the body for.
   */
  private static final class Loop {
    final String var;
    final @Nullable Steady steady;
    final List<Interval> found = new ArrayList<>();

    Loop(String var, @Nullable Steady steady) {
      this.var = var;
      this.steady = steady;
    }
  }

  /**
   * A walk over the loop's body that knows, at each point, what the variables bound inside the loop
   * stand for: the lets (their values substituted, in terms of variables bound outside the loop and
   * inner loop variables), the ranges of the inner loops (in terms of variables bound outside), and
   * the names whose meaning it lost (a binder shadowing a name that a substituted value uses). While
   * collecting it records the interval of each {@code if} conjunct it can partition on; for the
   * steady state it drops the conjuncts and clamps that hold there.
   */
  private static final class Walk extends IrRewriter {
    final Loop loop;
    private final Map<String, Expr> lets;
    private final IntervalScope loops;
    private final Set<String> opaque;
    private final IdentityHashMap<Expr, Expr> memo = new IdentityHashMap<>();

    Walk(Loop loop) {
      this(loop, Map.of(), IntervalScope.empty(), Set.of());
    }

    private Walk(Loop loop, Map<String, Expr> lets, IntervalScope loops, Set<String> opaque) {
      this.loop = loop;
      this.lets = lets;
      this.loops = loops;
      this.opaque = opaque;
    }

    /**
     * The walk inside a binder of {@code name}, a let of {@code value} or a loop over {@code range};
     * null when the binder hides the loop variable (nothing inside depends on the loop then).
     */
    private @Nullable Walk enter(String name, @Nullable Expr value, @Nullable Interval range) {
      if (name.equals(loop.var)) return null;
      Map<String, Expr> l = new HashMap<>();
      Set<String> o = new HashSet<>(opaque);
      for (Map.Entry<String, Expr> e : lets.entrySet()) {
        if (e.getKey().equals(name)) continue;
        // A value that mentions the name would now mean the inner binding.
        if (IrQueries.freeVars(e.getValue()).contains(name)) o.add(e.getKey());
        else l.put(e.getKey(), e.getValue());
      }
      o.remove(name);
      Map<String, Interval> r = new HashMap<>(loops.asMap());
      r.remove(name);
      if (value != null) {
        Expr v = Substitution.substitute(value, lets);
        // let x = x + 1 over an inner x: the value's x would be taken for the new one.
        boolean selfInner = IrQueries.freeVars(v).contains(name) && (loops.contains(name) || opaque.contains(name));
        if (selfInner) o.add(name);
        else l.put(name, v);
      }
      if (range != null) r.put(name, range);
      return new Walk(loop, Map.copyOf(l), IntervalScope.of(r), Set.copyOf(o));
    }

    /** The range of an inner loop over {@code [min, min + extent)}, in terms of variables bound outside the partitioned loop. */
    private Interval range(Expr min, Expr extent) {
      Interval m = Bounds.boundsOf(Substitution.substitute(min, lets), loops);
      Interval n = Bounds.boundsOf(Substitution.substitute(extent, lets), loops);
      Expr last = m.max() == null || n.max() == null ? null : Simplifier.simplify(new Expr.Sub(new Expr.Add(m.max(), n.max()), one()));
      return new Interval(m.min(), last);
    }

    /**
     * The interval of the loop variable where {@code cond} holds whatever the inner loops' variables
     * are, in terms of variables bound outside the loop; null when there is none to use.
     */
    private @Nullable Interval interval(Expr cond) {
      Expr c = stripLikely(cond);
      if (!pure(c)) return null;
      c = Substitution.substitute(c, lets);
      Set<String> free = IrQueries.freeVars(c);
      if (!pure(c) || !free.contains(loop.var) || free.stream().anyMatch(opaque::contains)) return null;
      Interval s = Solver.solveForInnerInterval(c, loop.var);
      if (s.isEmpty()) return null;
      Expr lo = null, hi = null;
      if (s.min() != null && (lo = Bounds.boundsOf(s.min(), loops).max()) == null) return null;
      if (s.max() != null && (hi = Bounds.boundsOf(s.max(), loops).min()) == null) return null;
      return outside(lo) && outside(hi) ? new Interval(lo, hi) : null;
    }

    /** Whether {@code e} (null for no end) mentions only variables bound outside the loop. */
    private boolean outside(@Nullable Expr e) {
      if (e == null) return true;
      for (String n : IrQueries.freeVars(e)) {
        if (n.equals(loop.var) || lets.containsKey(n) || loops.contains(n) || opaque.contains(n)) return false;
      }
      return true;
    }

    private boolean holdsInSteadyState(Expr cond) {
      Interval i = interval(cond);
      return i != null && loop.steady != null && loop.steady.within(i);
    }

    @Override
    public Stmt rewrite(Stmt s) {
      return switch (s) {
        case LetStmt(String name, Expr value, Stmt body) -> {
          Expr v = rewrite(value);
          Walk in = enter(name, value, null);
          Stmt b = in == null ? body : in.rewrite(body);
          yield v == value && b == body ? s : new LetStmt(name, v, b);
        }
        case For(String name, Expr min, Expr extent, ForKind kind, var api, Stmt body) -> {
          Expr m = rewrite(min), n = rewrite(extent);
          Walk in = enter(name, null, range(min, extent));
          Stmt b = in == null ? body : in.rewrite(body);
          yield m == min && n == extent && b == body ? s : new For(name, m, n, kind, api, b);
        }
        case IfThenElse(Expr cond, Stmt thenCase, Stmt elseCase) -> visitIf(s, cond, thenCase, elseCase);
        case AssertStmt a -> rewriteChildren(s);
        case ProducerConsumer p -> rewriteChildren(s);
        case Provide p -> rewriteChildren(s);
        case Realize r -> rewriteChildren(s);
        case Store st -> rewriteChildren(s);
        case Allocate a -> rewriteChildren(s);
        case Free fr -> s;
        case Block b -> rewriteChildren(s);
        case Evaluate e -> rewriteChildren(s);
        case Atomic a -> rewriteChildren(s);
      };
    }

    private Stmt visitIf(Stmt s, Expr cond, Stmt thenCase, Stmt elseCase) {
      List<Expr> all = new ArrayList<>();
      conjuncts(cond, all);
      if (loop.steady == null) {
        for (Expr c : all) {
          Interval i = interval(c);
          // A bounded interval would make the steady state a few points: not worth a partition.
          if (i != null && (i.min() == null || i.max() == null)) loop.found.add(i);
        }
        rewrite(thenCase);
        rewrite(elseCase);
        return s;
      }
      List<Expr> kept = new ArrayList<>();
      for (Expr c : all) if (!holdsInSteadyState(c)) kept.add(c);
      if (kept.isEmpty()) return rewrite(thenCase);
      Expr c;
      if (kept.size() == all.size()) {
        c = rewrite(cond);
      } else {
        c = rewrite(kept.getFirst());
        for (Expr k : kept.subList(1, kept.size())) c = new Expr.And(c, rewrite(k));
      }
      Stmt t = rewrite(thenCase), e = rewrite(elseCase);
      return c == cond && t == thenCase && e == elseCase ? s : new IfThenElse(c, t, e);
    }

    @Override
    public Expr rewrite(Expr e) {
      // Only the steady state changes expressions; while collecting, conditions are all that count.
      if (loop.steady == null) return e;
      Expr done = memo.get(e);
      if (done != null) return done;
      // Three kinds of node matter here; the others only pass the walk on to their children.
      Expr out;
      if (e instanceof Expr.Let(String name, Expr value, Expr body)) {
        Expr v = rewrite(value);
        Walk in = enter(name, value, null);
        Expr b = in == null ? body : in.rewrite(body);
        out = v == value && b == body ? e : new Expr.Let(name, v, b);
      } else if (e instanceof Expr.Min(Expr a, Expr b) && e.type().equals(Type.I32)) {
        out = clamp(e, a, b, true);
      } else if (e instanceof Expr.Max(Expr a, Expr b) && e.type().equals(Type.I32)) {
        out = clamp(e, a, b, false);
      } else {
        out = rewriteChildren(e);
      }
      memo.put(e, out);
      return out;
    }

    /** {@code min(a, b)} ({@code isMin}) or {@code max(a, b)}: the operand it provably is in the steady state, else itself. */
    private Expr clamp(Expr e, Expr a, Expr b, boolean isMin) {
      if (holdsInSteadyState(isMin ? new Expr.LE(a, b) : new Expr.GE(a, b))) return rewrite(a);
      if (holdsInSteadyState(isMin ? new Expr.LE(b, a) : new Expr.GE(b, a))) return rewrite(b);
      return rewriteChildren(e);
    }
  }
}
