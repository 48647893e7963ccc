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
import dev.halogen.ir.Type;
import dev.halogen.ir.text.IrPrinter;
import dev.halogen.passes.analysis.Simplifier;
import java.util.ArrayList;
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
 * x.extent - k}; ROUND_UP is refused.
 */
final class StageLoops {
  private final String func;
  private final int stage;
  private final String prefix;
  /** Loop name (unqualified) to its bounds; the loops that exist after the splits applied so far. */
  private final Map<String, Range> loops = new LinkedHashMap<>();
  /** Each variable of the definition, as an expression of the (qualified) loop variables. */
  private final Map<String, Expr> values = new LinkedHashMap<>();
  /** Conditions under which the innermost body runs: the guards of splits that do not divide. */
  private final List<Expr> guards = new ArrayList<>();
  /** Checks to run before the loops: a shifted split needs an extent of at least its factor. */
  private final List<Stmt> asserts = new ArrayList<>();

  private StageLoops(String func, int stage) {
    this.func = func;
    this.stage = stage;
    this.prefix = func + ".s" + stage + ".";
  }

  /**
   * The loop nest of stage {@code stage} of Func {@code func} (pure variables {@code funcArgs}) whose
   * pure variables range over {@code region}.
   *
   * @throws ScheduleException naming the Func, the stage and the schedule feature it cannot do
   */
  static Stmt build(String func, List<String> funcArgs, int stage, Definition d, List<Range> region, AtLoop atLoop) {
    StageLoops s = new StageLoops(func, stage);
    for (int i = 0; i < funcArgs.size(); i++) {
      String v = funcArgs.get(i);
      if (stage == 0 || d.args().get(i).equals(Var.of(v))) s.addLoop(v, region.get(i));
    }
    ReductionDomain rdom = d.domain();
    if (rdom != null) {
      for (ReductionDomain.ReductionVariable rv : rdom.variables()) s.addLoop(rv.name(), new Range(rv.min(), rv.extent()));
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
    return "Func " + func + " stage " + stage;
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
            case ROUND_UP -> throw new ScheduleException(where() + ": split of " + old + " by " + IrPrinter.print(factor)
                + " uses tail strategy ROUND_UP, which schedule-functions does not implement (use GUARD_WITH_IF)");
          }
        }
        loops.remove(old);
        Expr outerExtent = Simplifier.simplify(new Expr.Div(new Expr.Sub(new Expr.Add(r.extent(), factor), one()), factor));
        loops.put(outer, new Range(zero(), outerExtent));
        loops.put(inner, new Range(zero(), factor));
        replace(Map.of(prefix + old, value));
        // The new guard reads the new loops, one of which may have the old loop's name (as
        // vectorize(x, 8) splits x into x and x.v): it joins after the old loop is replaced.
        if (guard != null) guards.add(guard);
      }
      case Split.FuseVars(String inner, String outer, String fused) -> {
        Range ri = loop(inner, "fused inner variable");
        Range ro = loop(outer, "fused outer variable");
        loops.remove(inner);
        loops.remove(outer);
        loops.put(fused, new Range(zero(), Simplifier.simplify(new Expr.Mul(ri.extent(), ro.extent()))));
        Var f = loopVar(fused);
        replace(Map.of(prefix + inner, new Expr.Add(ri.min(), new Expr.Mod(f, ri.extent())),
            prefix + outer, new Expr.Add(ro.min(), new Expr.Div(f, ri.extent()))));
      }
      case Split.RenameVar(String old, String renamed) -> {
        Range r = loop(old, "renamed variable");
        loops.remove(old);
        loops.put(renamed, r);
        replace(Map.of(prefix + old, loopVar(renamed)));
      }
    }
  }

  /** Whether {@code factor} provably divides {@code extent} (both constant), so the split needs no guard. */
  private static boolean divides(Expr factor, Expr extent) {
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
