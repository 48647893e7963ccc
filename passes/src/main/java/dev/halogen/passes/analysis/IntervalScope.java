package dev.halogen.passes.analysis;

import dev.halogen.ir.Expr;
import dev.halogen.ir.ReductionDomain;
import dev.halogen.ir.Type;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The intervals that variables range over, for {@link Bounds}: immutable; {@link #with} returns a new
 * scope. A variable not in the scope is a fixed but unknown value (its interval is the point {@code
 * [v, v]}), so it stays symbolic in the results; a variable bound to {@link Interval#EVERYTHING} may
 * take any value.
 *
 * <p>The ends of the intervals are expressions over variables outside the scope (typically
 * parameters): they are never looked up in the scope again.
 */
public final class IntervalScope {
  private static final IntervalScope EMPTY = new IntervalScope(Map.of());

  private final Map<String, Interval> intervals;

  private IntervalScope(Map<String, Interval> intervals) {
    this.intervals = intervals;
  }

  /** The scope in which every variable is fixed. */
  public static IntervalScope empty() {
    return EMPTY;
  }

  /** A scope holding {@code intervals}. */
  public static IntervalScope of(Map<String, Interval> intervals) {
    IntervalScope s = EMPTY;
    for (Map.Entry<String, Interval> e : intervals.entrySet()) s = s.with(e.getKey(), e.getValue());
    return s;
  }

  /** This scope with {@code name} ranging over {@code interval} (replacing what it held for {@code name}). */
  public IntervalScope with(String name, Interval interval) {
    if (name == null || name.isEmpty()) throw new IllegalArgumentException("interval scope variable name is empty");
    if (interval == null) throw new IllegalArgumentException("interval of variable '" + name + "' is null");
    Map<String, Interval> copy = new LinkedHashMap<>(intervals);
    copy.put(name, interval);
    return new IntervalScope(copy);
  }

  /** This scope with the {@code int32} variable {@code name} ranging over {@code [lo, hi]}. */
  public IntervalScope with(String name, long lo, long hi) {
    return with(name, Interval.ofConst(Type.I32, lo, hi));
  }

  /** This scope with the {@code int32} variable {@code name} ranging over {@code [min, max]}. */
  public IntervalScope with(String name, Expr min, Expr max) {
    return with(name, Interval.of(min, max));
  }

  /**
   * This scope with each variable of the reduction domain ranging over {@code [min, min + extent -
   * 1]}. The domain's predicate is not used (the box is a sound superset of the points it admits).
   */
  public IntervalScope withDomain(ReductionDomain domain) {
    IntervalScope s = this;
    for (ReductionDomain.ReductionVariable v : domain.variables()) {
      s = s.with(v.name(), Interval.of(v.min(), Ends.add(Ends.add(v.min(), v.extent()), Ends.constant(Type.I32, -1))));
    }
    return s;
  }

  /** The interval of {@code name}, or null when the variable is fixed (not in the scope). */
  public @Nullable Interval get(String name) {
    return intervals.get(name);
  }

  public boolean contains(String name) {
    return intervals.containsKey(name);
  }

  /** The variables of the scope and their intervals, in the order they were added. */
  public Map<String, Interval> asMap() {
    return java.util.Collections.unmodifiableMap(intervals);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IntervalScope s && s.intervals.equals(intervals);
  }

  @Override
  public int hashCode() {
    return intervals.hashCode();
  }

  @Override
  public String toString() {
    return "IntervalScope" + intervals;
  }
}
