package dev.halogen.passes.analysis;

import dev.halogen.ir.Expr;
import dev.halogen.ir.Type;
import org.jspecify.annotations.Nullable;

/**
 * A closed interval {@code [min, max]} of the values of an expression, with symbolic ends: each end
 * is a scalar expression (over variables that the analysis left free, such as parameters), or null
 * for an unbounded end ({@code min == null} is minus infinity, {@code max == null} plus infinity).
 * The ends have the element type of the expression they bound and are compared in that type's order
 * (unsigned for unsigned types, false before true for bool).
 *
 * <p>An interval whose ends are both constants with {@code min > max} holds no value ({@link
 * #nothing(Type)} builds one); a symbolic interval is never known to be empty, which only makes it
 * larger, so every use stays sound.
 *
 * <p>Floats: intervals describe the values other than NaN. NaN is outside this algebra: an operation
 * that yields NaN for some values in its operands' intervals ({@code inf - inf}, {@code 0 * inf},
 * {@code sqrt} of a negative number) is bounded as if those values did not occur (where NaN turns
 * back into a number, through {@code min}, {@code max}, a comparison or a conversion to an integer,
 * the analysis accounts for it). A symbolic float end may itself evaluate to NaN for some values of
 * the variables it mentions (a fixed variable that is infinite); such an end bounds nothing there.
 */
public record Interval(@Nullable Expr min, @Nullable Expr max) {
  /** The interval of every value (both ends unbounded). */
  public static final Interval EVERYTHING = new Interval(null, null);

  public Interval {
    if (min != null && !min.type().isScalar()) throw new IllegalArgumentException("interval min must be scalar, got " + min.type());
    if (max != null && !max.type().isScalar()) throw new IllegalArgumentException("interval max must be scalar, got " + max.type());
    if (min != null && max != null && !min.type().equals(max.type())) {
      throw new IllegalArgumentException("interval ends differ in type: " + min.type() + " and " + max.type());
    }
  }

  public static Interval everything() {
    return EVERYTHING;
  }

  public static Interval of(Expr min, Expr max) {
    if (min == null || max == null) throw new IllegalArgumentException("Interval.of needs two ends; use atLeast/atMost/everything for unbounded ones");
    return new Interval(min, max);
  }

  /** The interval holding exactly the value of {@code e}. */
  public static Interval point(Expr e) {
    return new Interval(e, e);
  }

  /** {@code [min, +inf)}. */
  public static Interval atLeast(Expr min) {
    return new Interval(min, null);
  }

  /** {@code (-inf, max]}. */
  public static Interval atMost(Expr max) {
    return new Interval(null, max);
  }

  /** {@code [lo, hi]} with integer (or bool) constant ends of type {@code t}. */
  public static Interval ofConst(Type t, long lo, long hi) {
    Type e = t.element();
    if (!e.isFloat() && !(e.canRepresent(lo) && e.canRepresent(hi))) {
      throw new IllegalArgumentException("interval [" + lo + ", " + hi + "] does not hold values of " + e);
    }
    return new Interval(Consts.make(e, lo), Consts.make(e, hi));
  }

  /** The empty interval {@code [1, 0]} with ends of type {@code t} (an integer or float type). */
  public static Interval nothing(Type t) {
    return ofConst(t, 1, 0);
  }

  /**
   * The values of type {@code t} as far as they are worth stating: bool and the integer types of 8
   * and 16 bits and {@code uint32} have their exact range, {@code uint64} is {@code [0, +inf)}, and
   * {@code int32}, {@code int64} and floats are unbounded (their ranges are too large to help and
   * would only clutter the ends, as in Halide). Handles are unbounded.
   */
  public static Interval ofType(Type t) {
    Type e = t.element();
    return switch (e.code()) {
      case BOOL -> ofConst(e, 0, 1);
      case UINT -> e.bits() == 64 ? atLeast(Consts.make(e, 0)) : ofConst(e, 0, e.maxInt());
      case INT -> e.bits() <= 16 ? ofConst(e, e.minInt(), e.maxInt()) : EVERYTHING;
      case FLOAT, HANDLE -> EVERYTHING;
    };
  }

  public boolean hasMin() {
    return min != null;
  }

  public boolean hasMax() {
    return max != null;
  }

  /** Whether both ends are finite. */
  public boolean isBounded() {
    return min != null && max != null;
  }

  public boolean isEverything() {
    return min == null && max == null;
  }

  /** Whether both ends are the same expression, so the interval holds exactly one value. */
  public boolean isPoint() {
    return min != null && (min == max || min.equals(max));
  }

  /** Whether the ends are constants with {@code min > max}, so that no value lies in the interval. */
  public boolean isEmpty() {
    return min != null && max != null && Ends.constLess(max, min);
  }

  /** The smallest interval holding both (the hull), simplified; an empty operand is ignored. */
  public Interval union(Interval o) {
    if (isEmpty()) return o;
    if (o.isEmpty()) return this;
    Expr lo = min == null || o.min == null ? null : Ends.hullMin(min, o.min);
    Expr hi = max == null || o.max == null ? null : Ends.hullMax(max, o.max);
    return new Interval(lo, hi).simplified();
  }

  /** The values in both, simplified. */
  public Interval intersect(Interval o) {
    Expr lo = min == null ? o.min : o.min == null ? min : Ends.tighterMax(min, o.min);
    Expr hi = max == null ? o.max : o.max == null ? max : Ends.tighterMin(max, o.max);
    return new Interval(lo, hi).simplified();
  }

  /** This interval with each symbolic end simplified ({@link Simplifier}). */
  public Interval simplified() {
    Expr lo = min == null || Consts.isConst(min) ? min : Simplifier.simplify(min);
    Expr hi = max == null || Consts.isConst(max) ? max : Simplifier.simplify(max);
    return lo == min && hi == max ? this : new Interval(lo, hi);
  }

  @Override
  public String toString() {
    return "[" + (min == null ? "-inf" : Ends.text(min)) + ", " + (max == null ? "+inf" : Ends.text(max)) + "]";
  }
}
