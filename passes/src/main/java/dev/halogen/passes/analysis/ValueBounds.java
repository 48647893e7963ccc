package dev.halogen.passes.analysis;

import dev.halogen.ir.Buffer;
import dev.halogen.ir.Definition;
import dev.halogen.ir.Expr;
import dev.halogen.ir.Expr.CallKind;
import dev.halogen.ir.Function;
import dev.halogen.ir.IrQueries;
import dev.halogen.ir.Parameter;
import dev.halogen.ir.Pipeline;
import dev.halogen.ir.Type;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The values each Func and image of a pipeline can take (see {@link Bounds#valueBounds}).
 *
 * <p>Funcs are visited callees first. A Func's pure definition is bounded with its pure variables
 * unbounded; each update is then applied conservatively: bounds that the update maps into
 * themselves are kept (a few rounds of growth are tried: an update that does not read its Func is
 * settled after one); otherwise the update is bounded again with its Func's values unknown (its
 * type's range), which a clamp still bounds, and united with the values before it.
 * Scalar parameters stay symbolic in the ends; other variables of a definition range over
 * everything, reduction variables over their domain.
 */
final class ValueBounds {
  private ValueBounds() {}

  static FuncValueBounds of(Pipeline p, FuncValueBounds given) {
    FuncValueBounds out = given;
    Set<String> scalars = new HashSet<>();
    for (Parameter param : p.parameters()) {
      switch (param) {
        case Parameter.Scalar s -> scalars.add(s.name());
        case Parameter.Image im -> {
          if (out.get(im.name()) == null) out = out.with(im.name(), Interval.ofType(im.type()));
        }
        case Parameter.Constant c -> {
          if (out.get(c.name()) == null) out = out.with(c.name(), contents(c.buffer()));
        }
      }
    }
    for (String name : order(p)) {
      if (given.get(name) != null) continue;
      out = out.with(name, function(p.function(name), out, scalars));
    }
    return out;
  }

  /** The Funcs of {@code p}, each after every Func it calls (other than itself). */
  private static List<String> order(Pipeline p) {
    LinkedHashSet<String> done = new LinkedHashSet<>();
    for (String name : p.functions().keySet()) visit(p, name, done, new ArrayList<>());
    return new ArrayList<>(done);
  }

  private static void visit(Pipeline p, String name, LinkedHashSet<String> done, List<String> path) {
    if (done.contains(name) || !p.functions().containsKey(name)) return;
    if (path.contains(name)) {
      List<String> cycle = new ArrayList<>(path.subList(path.indexOf(name), path.size()));
      cycle.add(name);
      throw new IllegalArgumentException("Funcs call each other in a cycle: " + String.join(" -> ", cycle));
    }
    path.add(name);
    for (String callee : IrQueries.calls(p.function(name), CallKind.FUNC)) {
      if (!callee.equals(name)) visit(p, callee, done, path);
    }
    path.remove(path.size() - 1);
    done.add(name);
  }

  /** How many times an update is applied to candidate bounds before they are widened. */
  private static final int ROUNDS = 3;

  private static List<Interval> function(Function f, FuncValueBounds known, Set<String> scalars) {
    List<Interval> cur = values(f.definition(), known, scalars);
    for (Definition update : f.updates()) {
      cur = update(f, update, cur, known, scalars);
    }
    return cur;
  }

  /**
   * Bounds holding {@code before} that the update maps into themselves (an invariant: they then
   * hold the values after any number of applications), tried for a few rounds. Failing that, the
   * tuple elements still growing are set to their type's range and the result, if invariant, gives
   * each element its values before the update united with what the update produces from it. Failing
   * that too, every element is treated so.
   */
  private static List<Interval> update(Function f, Definition update, List<Interval> before, FuncValueBounds known, Set<String> scalars) {
    List<Interval> candidate = before;
    for (int round = 0; round < ROUNDS; round++) {
      List<Interval> united = unite(candidate, values(update, known.with(f.name(), candidate), scalars));
      if (contains(candidate, united)) return candidate;
      if (round == ROUNDS - 1) {
        List<Interval> widened = new ArrayList<>(united);
        for (int i = 0; i < widened.size(); i++) {
          if (!contains(List.of(candidate.get(i)), List.of(united.get(i)))) widened.set(i, Interval.ofType(f.outputTypes().get(i)));
        }
        List<Interval> produced = values(update, known.with(f.name(), widened), scalars);
        if (contains(widened, unite(widened, produced))) return unite(before, produced);
      }
      candidate = united;
    }
    List<Interval> anything = f.outputTypes().stream().map(Interval::ofType).toList();
    return unite(before, values(update, known.with(f.name(), anything), scalars));
  }

  /** The bounds of each value of a definition, its variables ranging as the class comment says. */
  private static List<Interval> values(Definition d, FuncValueBounds known, Set<String> scalars) {
    IntervalScope scope = IntervalScope.empty();
    for (Expr e : IrQueries.exprs(d)) {
      for (String v : IrQueries.freeVars(e)) {
        if (!scalars.contains(v) && !scope.contains(v)) scope = scope.with(v, Interval.EVERYTHING);
      }
    }
    if (d.domain() != null) scope = scope.withDomain(d.domain());
    List<Interval> out = new ArrayList<>();
    for (Expr v : d.values()) out.add(Bounds.boundsOf(v, scope, known));
    return out;
  }

  private static List<Interval> unite(List<Interval> a, List<Interval> b) {
    List<Interval> out = new ArrayList<>(a.size());
    for (int i = 0; i < a.size(); i++) out.add(a.get(i).union(b.get(i)));
    return out;
  }

  /** Whether each interval of {@code outer} provably holds the corresponding one of {@code inner}. */
  private static boolean contains(List<Interval> outer, List<Interval> inner) {
    for (int i = 0; i < outer.size(); i++) {
      Interval o = outer.get(i), n = inner.get(i);
      boolean lo = o.min() == null || (n.min() != null && Ends.provablyLE(o.min(), n.min()));
      boolean hi = o.max() == null || (n.max() != null && Ends.provablyLE(n.max(), o.max()));
      if (!lo || !hi) return false;
    }
    return true;
  }

  /** The smallest and largest element of a constant buffer (NaNs aside); its type's range when it has none. */
  private static Interval contents(Buffer b) {
    Type t = b.type();
    if (b.elementCount() == 0 || (t.isUInt() && t.bits() == 64)) return Interval.ofType(t);
    if (t.isFloat()) {
      double[] range = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
      b.forEachCoordinate(c -> {
        double v = b.getAsDouble(c);
        if (!Double.isNaN(v)) {
          range[0] = Math.min(range[0], v);
          range[1] = Math.max(range[1], v);
        }
      });
      if (range[0] > range[1]) return Interval.EVERYTHING;
      return Interval.of(Consts.makeFloat(t, range[0]), Consts.makeFloat(t, range[1]));
    }
    long[] range = {Long.MAX_VALUE, Long.MIN_VALUE};
    b.forEachCoordinate(c -> {
      long v = b.getAsLong(c);
      range[0] = Math.min(range[0], v);
      range[1] = Math.max(range[1], v);
    });
    return Interval.ofConst(t, range[0], range[1]);
  }
}
