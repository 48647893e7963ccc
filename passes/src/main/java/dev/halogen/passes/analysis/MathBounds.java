package dev.halogen.passes.analysis;

import dev.halogen.ir.Expr;
import dev.halogen.ir.Expr.Call;
import dev.halogen.ir.Type;
import java.util.List;

/**
 * Bounds of the {@link Expr.CallKind#MATH MATH} functions (see the evaluator's list): the range of
 * each function, and for the monotone ones the function of the argument's ends. The evaluator
 * computes in double with Java's {@code Math} (semi-monotone by its specification) and rounds once
 * to the call's type, and rounding is monotone, so bounds computed the same way at the ends are
 * sound. Functions the evaluator computes with its own series ({@code asinh}, {@code acosh}, {@code
 * atanh}, {@code erf}) are bounded by their range only, not by monotonicity.
 */
final class MathBounds {
  private MathBounds() {}

  /** The bounds of {@code c} given the bounds of its arguments (not all single values). */
  static Interval of(Call c, List<Interval> args) {
    Type t = c.type().element();
    if (!t.isFloat() || args.isEmpty()) return Interval.ofType(t);
    Interval a = args.get(0);
    double halfPi = Math.PI / 2;
    return switch (c.name()) {
      case "sin", "cos", "tanh", "erf", "fract" -> range(t, -1, 1);
      case "exp", "sqrt" -> increasing(c, a).intersect(Interval.atLeast(Consts.makeFloat(t, 0)));
      case "log", "floor", "ceil", "round", "trunc", "sinh" -> increasing(c, a);
      case "atan", "asin" -> increasing(c, a).intersect(range(t, -halfPi, halfPi));
      case "acos" -> decreasing(c, a).intersect(range(t, 0, Math.PI));
      case "cosh" -> Interval.atLeast(Consts.makeFloat(t, 1));
      case "acosh", "hypot" -> Interval.atLeast(Consts.makeFloat(t, 0));
      // Positive and decreasing for positive arguments; at -0.0 both give -infinity, so an argument
      // that may be zero or below gives every value.
      case "fast_inverse", "fast_inverse_sqrt" -> a.hasMin() && Ends.positive(a.min())
          ? decreasing(c, a).intersect(Interval.atLeast(Consts.makeFloat(t, 0)))
          : Interval.EVERYTHING;
      case "atan2" -> range(t, -Math.PI, Math.PI);
      // A positive base gives a positive power; zero or negative bases give infinities of either sign.
      case "pow" -> a.hasMin() && Ends.positive(a.min()) ? Interval.atLeast(Consts.makeFloat(t, 0)) : Interval.EVERYTHING;
      default -> Interval.EVERYTHING;
    };
  }

  private static Interval range(Type t, double lo, double hi) {
    return Interval.of(Consts.makeFloat(t, lo), Consts.makeFloat(t, hi));
  }

  private static Interval increasing(Call c, Interval a) {
    return new Interval(a.hasMin() ? at(c, a.min()) : null, a.hasMax() ? at(c, a.max()) : null);
  }

  private static Interval decreasing(Call c, Interval a) {
    return new Interval(a.hasMax() ? at(c, a.max()) : null, a.hasMin() ? at(c, a.min()) : null);
  }

  /** The function at one end. */
  private static Expr at(Call c, Expr end) {
    return Ends.simplify(new Call(c.type().element(), c.name(), List.of(end), Expr.CallKind.MATH));
  }
}
