package dev.halogen.passes.analysis;

import dev.halogen.ir.Expr;
import dev.halogen.ir.Type;
import java.util.List;

/**
 * The {@link Expr.CallKind#MATH MATH} calls: {@code sin cos tan asin acos atan sinh cosh tanh asinh
 * acosh atanh exp log sqrt floor ceil round trunc fract erf fast_inverse fast_inverse_sqrt} of one
 * argument and {@code atan2 pow hypot} of two. Arguments are floats; each lane is computed in double (Java's {@code Math}, whose
 * {@code sin}, {@code exp}, ... are within one ulp of the exact result) and rounded once to the call's
 * float type. So a {@code float32} {@code sin} is the double sine rounded to float32, which is the
 * evaluator's definition; backends using float32 libraries may differ in the last bit.
 *
 * <p>{@code round} rounds half to even like Halide; {@code fract(x)} is {@code x - trunc(x)} (same sign
 * as {@code x}), like Halide's.
 *
 * <p>{@code fast_inverse(x)} is {@code 1 / x} and {@code fast_inverse_sqrt(x)} is {@code 1 / sqrt(x)},
 * both computed in double and rounded once like the others. Halide leaves them approximate (a
 * reciprocal estimate instruction, different across processors); Halogen gives them one exact
 * definition, so a pipeline that uses them computes the same values on every backend and its gradient
 * checks against finite differences.
 */
final class MathFunctions {
  private MathFunctions() {}

  private static final double LN2 = 0.6931471805599453;
  private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;
  private static final double ONE_OVER_SQRT_PI = 0.5641895835477563;

  static Value apply(Expr.Call call, List<Value> args) {
    String name = call.name();
    int arity = arity(name);
    if (arity < 0) throw new EvaluationException("unknown math function '" + name + "' (" + call.type() + ")");
    if (args.size() != arity) {
      throw new EvaluationException("math function '" + name + "' takes " + arity + " argument" + (arity == 1 ? "" : "s") + ", got " + args.size());
    }
    Type t = call.type();
    if (!t.isFloat()) throw new EvaluationException("math function '" + name + "' must have a float type, got " + t);
    for (Value a : args) {
      if (!a.type().isFloat() || a.lanes() != t.lanes()) {
        throw new EvaluationException("math function '" + name + "' (" + t + ") got an argument of type " + a.type());
      }
    }
    Value a = args.get(0);
    Value b = arity == 2 ? args.get(1) : a;
    return Lanes.floats(t, i -> Arith.round(t, compute(name, a.doubleLane(i), b.doubleLane(i))));
  }

  /** The number of arguments of math function {@code name}, or -1 when there is none of that name. */
  static int arity(String name) {
    return switch (name) {
      case "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh",
          "exp", "log", "sqrt", "floor", "ceil", "round", "trunc", "fract", "erf", "fast_inverse", "fast_inverse_sqrt" -> 1;
      case "atan2", "pow", "hypot" -> 2;
      default -> -1;
    };
  }

  /** Function {@code name} of {@code x} (and {@code y} for the two-argument ones) in double. */
  static double compute(String name, double x, double y) {
    return switch (name) {
      case "sin" -> Math.sin(x);
      case "cos" -> Math.cos(x);
      case "tan" -> Math.tan(x);
      case "asin" -> Math.asin(x);
      case "acos" -> Math.acos(x);
      case "atan" -> Math.atan(x);
      case "sinh" -> Math.sinh(x);
      case "cosh" -> Math.cosh(x);
      case "tanh" -> Math.tanh(x);
      case "asinh" -> asinh(x);
      case "acosh" -> acosh(x);
      case "atanh" -> atanh(x);
      case "exp" -> Math.exp(x);
      case "log" -> Math.log(x);
      case "sqrt" -> Math.sqrt(x);
      case "floor" -> Math.floor(x);
      case "ceil" -> Math.ceil(x);
      case "round" -> Math.rint(x);
      case "trunc" -> trunc(x);
      case "fract" -> x - trunc(x);
      case "erf" -> erf(x);
      case "fast_inverse" -> 1 / x;
      case "fast_inverse_sqrt" -> 1 / Math.sqrt(x);
      case "atan2" -> Math.atan2(x, y);
      case "pow" -> Math.pow(x, y);
      case "hypot" -> Math.hypot(x, y);
      default -> throw new EvaluationException("unknown math function '" + name + "'");
    };
  }

  static double trunc(double x) {
    return x < 0 ? Math.ceil(x) : Math.floor(x);
  }

  /** Inverse hyperbolic sine, accurate near zero (log1p form) and without overflow for huge arguments. */
  static double asinh(double x) {
    double a = Math.abs(x);
    double r = a > 0x1p28 ? Math.log(a) + LN2 : Math.log1p(a + a * a / (1 + Math.sqrt(1 + a * a)));
    return Math.copySign(r, x);
  }

  /** Inverse hyperbolic cosine; NaN below 1. */
  static double acosh(double x) {
    if (x > 0x1p28) return Math.log(x) + LN2;
    if (!(x >= 1)) return Double.NaN; // below the domain (the formula would overflow to infinity for huge negative x)
    double t = x - 1;
    return Math.log1p(t + Math.sqrt(2 * t + t * t));
  }

  /** Inverse hyperbolic tangent; infinite at ±1, NaN beyond. */
  static double atanh(double x) {
    double a = Math.abs(x);
    return Math.copySign(0.5 * Math.log1p(2 * a / (1 - a)), x);
  }

  /**
   * The error function, within about one ulp. Below 1 its Taylor series {@code 2/sqrt(pi) sum (-1)^n
   * x^(2n+1) / (n! (2n+1))}, summed from the smallest term; from 1 on, {@code 1 - erfc(x)} with erfc
   * from its continued fraction, which converges fast there.
   */
  static double erf(double x) {
    if (Double.isNaN(x)) return x;
    double a = Math.abs(x);
    double r;
    if (a >= 6) {
      // erfc(6) < 2.2e-17, below half an ulp of 1: erf is 1 to double precision (and a * a below would overflow for huge a).
      r = 1;
    } else if (a < 1) {
      double[] terms = new double[32];
      double power = a; // (-1)^n a^(2n+1) / n!
      int n = 0;
      while (n < terms.length && power != 0 && Math.abs(power) > 1e-20 * a) {
        terms[n] = power / (2 * n + 1);
        power *= -a * a / (n + 1);
        n++;
      }
      double sum = 0;
      for (int k = n - 1; k >= 0; k--) sum += terms[k];
      r = TWO_OVER_SQRT_PI * sum;
    } else {
      // erfc(x) = exp(-x^2)/sqrt(pi) / (x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...))))), evaluated
      // from a depth where, for x >= 1, the tail no longer changes a double.
      double t = a;
      for (int k = 200; k >= 1; k--) t = a + (k / 2.0) / t;
      r = 1 - ONE_OVER_SQRT_PI * expMinusSquare(a) / t;
    }
    return Math.copySign(r, x);
  }

  /** {@code exp(-a*a)} with the rounding error of {@code a*a} compensated (it is amplified by the exponent). */
  private static double expMinusSquare(double a) {
    double hi = a * a;
    double lo = Math.fma(a, a, -hi);
    return Math.exp(-hi) * (1 - lo);
  }
}
