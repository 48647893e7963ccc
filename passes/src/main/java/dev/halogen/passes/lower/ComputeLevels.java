package dev.halogen.passes.lower;

import dev.halogen.ir.Definition;
import dev.halogen.ir.Dim;
import dev.halogen.ir.Expr;
import dev.halogen.ir.Expr.CallKind;
import dev.halogen.ir.Function;
import dev.halogen.ir.IrQueries;
import dev.halogen.ir.LoopLevel;
import dev.halogen.ir.Pipeline;
import dev.halogen.ir.ReductionDomain;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Where a Func with update definitions that is scheduled inline is computed. It cannot be
 * substituted into its callers (it is not one expression), so, as in Halide, it is computed as far
 * in as it can be: at the innermost loop that encloses every use of it. With one calling stage that
 * is the innermost loop of that stage; with several, the innermost loop they share (a stage of a
 * Func computed inside another's loop shares that loop and the loops around it); with none shared,
 * the root. It is stored where it is computed.
 */
final class ComputeLevels {
  private ComputeLevels() {}

  /** A loop of the final nest: loop {@code var} of stage {@code stage} of Func {@code func}. */
  private record Loop(String func, int stage, String var) {}

  /**
   * {@code q} (whose Funcs without updates scheduled inline have been substituted already) with each
   * non-output Func that has updates and is scheduled inline given the compute and store level of
   * the innermost loop enclosing all its uses.
   */
  static Pipeline placeInlineUpdates(Pipeline q) {
    List<String> order = ScheduleFunctionsPass.realizationOrder(q);
    Pipeline out = q;
    // Consumers first: a Func's level depends on where its callers are computed.
    for (String name : order.reversed()) {
      Function f = out.function(name);
      if (!(f.schedule().computeLevel() instanceof LoopLevel.Inlined) || f.updates().isEmpty()
          || out.outputs().contains(name)) {
        continue;
      }
      LoopLevel level = innermostAroundUses(out, order, name);
      out = out.withFunction(f.withSchedule(f.schedule().withComputeLevel(level).withStoreLevel(level)));
    }
    return out;
  }

  /** The innermost loop enclosing every use of {@code func} by the Funcs of {@code order}, or the root. */
  private static LoopLevel innermostAroundUses(Pipeline q, List<String> order, String func) {
    @Nullable List<Loop> shared = null;
    for (String caller : order) {
      if (caller.equals(func)) continue;
      Function c = q.function(caller);
      for (int s = 0; s < c.stageCount(); s++) {
        Definition d = c.stage(s);
        List<Expr> inside = new ArrayList<>(d.args());
        inside.addAll(d.values());
        List<Expr> outside = new ArrayList<>();
        ReductionDomain rdom = d.domain();
        if (rdom != null) {
          inside.add(rdom.predicate());
          // A reduction domain's bounds are computed before its loops start.
          for (ReductionDomain.ReductionVariable v : rdom.variables()) outside.addAll(List.of(v.min(), v.extent()));
        }
        List<Loop> around = levelPath(q, caller);
        if (calls(inside, func)) shared = commonPrefix(shared, stagePath(q, around, caller, s, null));
        if (calls(outside, func)) shared = commonPrefix(shared, around);
      }
    }
    if (shared == null || shared.isEmpty()) return LoopLevel.ROOT;
    Loop l = shared.getLast();
    return new LoopLevel.At(l.func(), l.stage(), l.var());
  }

  private static boolean calls(List<Expr> es, String func) {
    return es.stream().anyMatch(e -> IrQueries.calls(e, CallKind.FUNC).contains(func));
  }

  /** The loops around where Func {@code name} is computed, outermost first (none at the root). */
  private static List<Loop> levelPath(Pipeline q, String name) {
    if (q.outputs().contains(name)) return List.of();
    return switch (q.function(name).schedule().computeLevel()) {
      case LoopLevel.Root r -> List.of();
      // Placed before its callers' loops exist, or unreachable: nothing encloses it.
      case LoopLevel.Inlined i -> List.of();
      case LoopLevel.At(String func, int stage, String var) -> stagePath(q, levelPath(q, func), func, stage, var);
    };
  }

  /**
   * {@code around} followed by the loops of stage {@code stage} of {@code func}, outermost first, down
   * to the loop over {@code last} (all of them when it is null).
   */
  private static List<Loop> stagePath(Pipeline q, List<Loop> around, String func, int stage, @Nullable String last) {
    List<Loop> path = new ArrayList<>(around);
    List<Dim> dims = q.function(func).stage(stage).schedule().dims();
    for (Dim d : dims.reversed()) {
      path.add(new Loop(func, stage, d.var()));
      if (d.var().equals(last)) break;
    }
    return path;
  }

  private static List<Loop> commonPrefix(@Nullable List<Loop> a, List<Loop> b) {
    if (a == null) return b;
    int n = 0;
    while (n < a.size() && n < b.size() && a.get(n).equals(b.get(n))) n++;
    return a.subList(0, n);
  }
}
