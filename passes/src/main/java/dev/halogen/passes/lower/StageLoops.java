package dev.halogen.passes.lower;

import dev.halogen.ir.Definition;
import dev.halogen.ir.Dim;
import dev.halogen.ir.Expr;
import dev.halogen.ir.Expr.Var;
import dev.halogen.ir.IrQueries;
import dev.halogen.ir.Range;
import dev.halogen.ir.ReductionDomain;
import dev.halogen.ir.Split;
import dev.halogen.ir.Stmt;
import dev.halogen.ir.Substitution;
import dev.halogen.ir.TailStrategy;
import dev.halogen.ir.Type;
import dev.halogen.ir.text.IrPrinter;
import dev.halogen.passes.analysis.Simplifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The loop nest of one stage of a Func computed over a given region: the stage's splits, fuses
 * and renames applied to its loop variables, the loops in the order of its {@code dims} with their
 * kinds, split guards and the reduction predicate as {@code if}s, and a {@code Provide} inside.
 *
 * <p>Loops are named {@code f.s<stage>.<var>} so the loops of different stages and Funcs never
 * shadow one another nor a parameter. The variables of the definition become expressions of those
 * loop variables: splitting {@code x} into {@code xo, xi} by {@code k} makes {@code x = x.min + xo
 * * k + xi} with {@code xo, xi} counting from 0, as in Halide. When {@code k} may not divide the
 * extent, GUARD_WITH_IF (and AUTO) adds an {@code if (xo * k + xi < x.extent)} just inside the
 * innermost loop it reads, and SHIFT_INWARDS (pure definitions only) starts the last tile at {@code
 * x.extent - k}. ROUND_UP adds no guard: the loops cover the extent rounded up to a multiple of
 * {@code k}, so the region a Func computes grows (the caller sizes its realization from what the
 * loops write, {@link #roundsUp}); it is refused where that is wrong: on a reduction variable (the
 * update would run on points outside its domain), on a loop of an update that comes from the inner
 * loop of an earlier split (it would reach into the next tile and apply the update twice, Halide's
 * rule), and on an output whose extent the factor does not provably divide (the loops would write
 * past its buffer). An update marked atomic has its {@code Provide} inside a {@link Stmt.Atomic}.
 */
final class StageLoops {
  private final String func;
  private final int stage;
  private final String prefix;
  /** Whether the Func is an output: its region is its buffer, which nothing may write past. */
  private final boolean output;
  /** Loop name (unqualified) to its bounds; the loops that exist after the splits applied so far. */
  private final Map<String, Range> loops = new LinkedHashMap<>();
  /** Each variable of the definition, as an expression of the (qualified) loop variables. */
  private final Map<String, Expr> values = new LinkedHashMap<>();
  /** Conditions under which the innermost body runs: the guards of splits that do not divide. */
  private final List<Expr> guards = new ArrayList<>();
  /** Checks to run before the loops: a shifted split needs an extent of at least its factor. */
  private final List<Stmt> asserts = new ArrayList<>();
  /** The loops (unqualified) that iterate reduction variables. */
  private final Set<String> rvarLoops = new HashSet<>();
  /** The loops (unqualified) that are, or are made from, the inner loop of a split. */
  private final Set<String> innerLoops = new HashSet<>();
  /** Loops that are, or were made from, a fuse: their variables are clamped into their ranges. */
  private final Set<String> fusedLoops = new HashSet<>();

  private StageLoops(String func, int stage, boolean output) {
    this.func = func;
    this.stage = stage;
    this.prefix = LoopNames.prefix(func, stage);
    this.output = output;
  }

  /**
   * The loop nest of stage {@code stage} of Func {@code func} (pure variables {@code funcArgs}) whose
   * pure variables range over {@code region}; {@code output} says whether the Func is an output.
   *
   * @throws ScheduleException naming the Func, the stage and the schedule feature it cannot do
   */
  static Stmt build(String func, List<String> funcArgs, int stage, Definition d, List<Range> region, boolean output,
      AtLoop atLoop) {
    StageLoops s = new StageLoops(func, stage, output);
    for (int i = 0; i < funcArgs.size(); i++) {
      String v = funcArgs.get(i);
      if (stage == 0 || d.args().get(i).equals(Var.of(v))) s.addLoop(v, region.get(i));
    }
    ReductionDomain rdom = d.domain();
    if (rdom != null) {
      for (ReductionDomain.ReductionVariable rv : rdom.variables()) {
        s.addLoop(rv.name(), new Range(rv.min(), rv.extent()));
        s.rvarLoops.add(rv.name());
      }
    }
    for (Split split : d.schedule().splits()) s.apply(split);
    return s.nest(d, atLoop);
  }

  /** What runs inside the loop over a variable besides the inner loops: the Funcs computed at that loop. */
  @FunctionalInterface
  interface AtLoop {
    /** {@code inner} (the inner loops of the loop over {@code var}) with whatever is computed at that loop around it. */
    Stmt wrap(String var, Stmt inner);
  }

  private void addLoop(String name, Range bounds) {
    loops.put(name, bounds);
    values.put(name, loopVar(name));
  }

  private Var loopVar(String name) {
    return Var.of(prefix + name);
  }

  private String where() {
    return LoopNames.describeStage(func, stage);
  }

  private Range loop(String name, String role) {
    Range r = loops.get(name);
    if (r == null) {
      throw new ScheduleException(where() + ": " + role + " '" + name + "' is not a loop of the stage; its loops are "
          + loops.keySet());
    }
    return r;
  }

  private void apply(Split split) {
    switch (split) {
      case Split.SplitVar(String old, String outer, String inner, Expr factor, var tail) -> {
        Range r = loop(old, "split variable");
        Expr offset = new Expr.Add(new Expr.Mul(loopVar(outer), factor), loopVar(inner));
        Expr value = new Expr.Add(r.min(), offset);
        // Added after the substitution below: the outer loop may reuse the old name (split(x, x, xi),
        // as vectorize(x, 8) splits x into x and x.v), and the substitution is for the old variable only.
        @Nullable Expr guard = null;
        if (!divides(factor, r.extent())) {
          switch (tail) {
            // AUTO guards: rounding up is only allowed for outputs' pure definitions and is an
            // optimization; a guard computes exactly the same values everywhere.
            case AUTO, GUARD_WITH_IF -> {
              guard = new Expr.LT(offset, r.extent());
              // Under the guard the clamp never changes the value; it is there for bounds inference,
              // which then sees the variable within its range even where it bounds the tile as a whole
              // (at the root, or at a loop outside the guard) and does not widen producers' regions.
              value = new Expr.Min(value, new Expr.Sub(new Expr.Add(r.min(), r.extent()), one()));
            }
            case SHIFT_INWARDS -> {
              // The last tile is moved back to end at the extent and recomputes points of the one
              // before: harmless for a pure definition, wrong for an update that is not idempotent.
              if (stage > 0) {
                throw new ScheduleException(where() + ": split of " + old + " by " + IrPrinter.print(factor)
                    + " uses tail strategy SHIFT_INWARDS, which would apply the update twice to some points (use GUARD_WITH_IF)");
              }
              Expr start = new Expr.Min(new Expr.Mul(loopVar(outer), factor), new Expr.Sub(r.extent(), factor));
              value = new Expr.Add(r.min(), new Expr.Add(start, loopVar(inner)));
              asserts.add(new Stmt.AssertStmt(new Expr.GE(r.extent(), factor), where() + ": split of " + old
                  + " with tail strategy SHIFT_INWARDS needs an extent of at least the factor {}, but the extent is {}",
                  List.of(factor, r.extent())));
            }
            // No guard: the loops run to the extent rounded up to a multiple of the factor.
            case ROUND_UP -> checkRoundUp(old, factor);
          }
        }
        loops.remove(old);
        loops.put(outer, new Range(zero(), outerExtent(r.extent(), factor)));
        loops.put(inner, new Range(zero(), factor));
        inherit(List.of(old), outer);
        inherit(List.of(old), inner);
        innerLoops.add(inner);
        replace(Map.of(prefix + old, value));
        if (guard != null) guards.add(guard);
      }
      case Split.FuseVars(String inner, String outer, String fused) -> {
        Range ri = loop(inner, "fused inner variable");
        Range ro = loop(outer, "fused outer variable");
        loops.remove(inner);
        loops.remove(outer);
        inherit(List.of(inner, outer), fused);
        fusedLoops.add(fused);
        loops.put(fused, new Range(zero(), Simplifier.simplify(new Expr.Mul(ri.extent(), ro.extent()))));
        Var f = loopVar(fused);
        // Clamped into their ranges, which they never leave, because interval arithmetic cannot see
        // it through a division or modulo by a non-constant extent; bounds inference then computes
        // producers over the variables' ranges rather than over a loose superset (which could read
        // inputs outside their buffers).
        replace(Map.of(prefix + inner, within(new Expr.Add(ri.min(), new Expr.Mod(f, ri.extent())), ri),
            prefix + outer, within(new Expr.Add(ro.min(), new Expr.Div(f, ri.extent())), ro)));
      }
      case Split.RenameVar(String old, String renamed) -> {
        Range r = loop(old, "renamed variable");
        loops.remove(old);
        loops.put(renamed, r);
        inherit(List.of(old), renamed);
        replace(Map.of(prefix + old, loopVar(renamed)));
      }
    }
  }

  /** {@code value} clamped to {@code r}: the same value wherever it is in {@code r}, with bounds no wider. */
  private static Expr within(Expr value, Range r) {
    return new Expr.Max(new Expr.Min(value, new Expr.Sub(new Expr.Add(r.min(), r.extent()), one())), r.min());
  }

  /** Loop {@code made} iterates reduction variables, or comes from an inner loop, when one of {@code from} does. */
  private void inherit(List<String> from, String made) {
    if (from.stream().anyMatch(rvarLoops::contains)) rvarLoops.add(made);
    if (from.stream().anyMatch(innerLoops::contains)) innerLoops.add(made);
    if (from.stream().anyMatch(fusedLoops::contains)) fusedLoops.add(made);
  }

  /** The cases where running a loop past the extent (ROUND_UP with a factor that may not divide it) is wrong. */
  private void checkRoundUp(String old, Expr factor) {
    String split = where() + ": split of " + old + " by " + IrPrinter.print(factor) + " with tail strategy ROUND_UP";
    if (rvarLoops.contains(old)) {
      throw new ScheduleException(split + " would run the update on points outside its reduction domain (use GUARD_WITH_IF)");
    }
    if (stage > 0 && innerLoops.contains(old)) {
      throw new ScheduleException(split + " would apply the update twice to some points, since " + old
          + " is inside an earlier split (use GUARD_WITH_IF)");
    }
    if (stage > 0 && fusedLoops.contains(old)) {
      // Past the fused extent, the clamped variables of a fuse point at the last point again.
      throw new ScheduleException(split + " would apply the update twice to some points, since " + old
          + " is a fused loop (use GUARD_WITH_IF)");
    }
    if (output) {
      throw new ScheduleException(split + " would write past the end of output " + func
          + "; use GUARD_WITH_IF or bound the output to a multiple of " + IrPrinter.print(factor));
    }
  }

  /** Whether some split of {@code d} uses ROUND_UP, so its loops may write past the region they are given. */
  static boolean roundsUp(Definition d) {
    return d.schedule().splits().stream()
        .anyMatch(s -> s instanceof Split.SplitVar sv && sv.tail() == TailStrategy.ROUND_UP);
  }

  /** The number of tiles of {@code factor} that cover {@code extent}: {@code ceil(extent / factor)}. */
  static Expr outerExtent(Expr extent, Expr factor) {
    return Simplifier.simplify(new Expr.Div(new Expr.Sub(new Expr.Add(extent, factor), one()), factor));
  }

  /** Whether {@code factor} provably divides {@code extent} (both constant), so the split needs no guard. */
  static boolean divides(Expr factor, Expr extent) {
    OptionalLong f = IrQueries.asConstInt(factor);
    OptionalLong e = IrQueries.asConstInt(Simplifier.simplify(extent));
    return f.isPresent() && e.isPresent() && f.getAsLong() != 0 && e.getAsLong() % f.getAsLong() == 0;
  }

  /** Rewrites the variables' expressions and the guards after a loop was replaced by others. */
  private void replace(Map<String, Expr> r) {
    values.replaceAll((k, v) -> Substitution.substitute(v, r));
    guards.replaceAll(g -> Substitution.substitute(g, r));
  }

  private Stmt nest(Definition d, AtLoop atLoop) {
    List<Dim> dims = d.schedule().dims();
    List<String> named = dims.stream().map(Dim::var).toList();
    if (named.size() != loops.size() || !loops.keySet().containsAll(named)) {
      throw new ScheduleException(where() + ": the loop order names " + named + " but the loops after splits are "
          + loops.keySet());
    }
    Map<String, Expr> bind = values;
    List<Expr> args = d.args().stream().map(a -> Substitution.substitute(a, bind)).toList();
    List<Expr> vals = d.values().stream().map(v -> Substitution.substitute(v, bind)).toList();
    Stmt body = new Stmt.Provide(func, vals, args);
    // Halide's atomic(): the read-modify-write of each point is one atomic operation. The mutex name
    // is left empty; a backend that cannot do a tuple's elements in one operation takes a lock.
    if (d.schedule().atomic()) body = new Stmt.Atomic(func, "", body);
    ReductionDomain rdom = d.domain();
    if (rdom != null && !IrQueries.isConst(rdom.predicate(), 1)) {
      body = new Stmt.IfThenElse(Substitution.substitute(rdom.predicate(), bind), body);
    }
    // Each guard goes just inside the innermost loop whose variable it reads (Halide does the same),
    // outside the Funcs computed at that loop: a Func computed inside a guarded tile is then only
    // computed over the part that is in range, and its bounds inference sees the narrowing. Guards
    // are outside the predicate, which may read data that exists only in range.
    List<List<Expr>> guardsAt = new ArrayList<>();
    for (int i = 0; i < dims.size(); i++) guardsAt.add(new ArrayList<>());
    for (Expr g : guards) {
      Set<String> reads = IrQueries.freeVars(g);
      int level = 0;
      while (!reads.contains(prefix + dims.get(level).var())) level++;
      guardsAt.get(level).add(g);
    }
    for (int i = 0; i < dims.size(); i++) {
      Dim dim = dims.get(i);
      Range r = loops.get(dim.var());
      body = atLoop.wrap(dim.var(), body);
      for (Expr g : guardsAt.get(i).reversed()) body = new Stmt.IfThenElse(g, body);
      body = new Stmt.For(prefix + dim.var(), r.min(), r.extent(), dim.kind(), dim.deviceApi(), body);
    }
    if (!asserts.isEmpty()) {
      List<Stmt> all = new ArrayList<>(asserts);
      all.add(body);
      body = new Stmt.Block(all);
    }
    return body;
  }

  private static Expr zero() {
    return new Expr.IntImm(Type.I32, 0);
  }

  private static Expr one() {
    return new Expr.IntImm(Type.I32, 1);
  }
}
