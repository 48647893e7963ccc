package dev.halogen.passes.analysis;

import dev.halogen.ir.Expr;
import dev.halogen.ir.Expr.Add;
import dev.halogen.ir.Expr.Div;
import dev.halogen.ir.Expr.LE;
import dev.halogen.ir.Expr.LT;
import dev.halogen.ir.Expr.Max;
import dev.halogen.ir.Expr.Min;
import dev.halogen.ir.Expr.Mul;
import dev.halogen.ir.Expr.Sub;
import dev.halogen.ir.Type;
import org.jspecify.annotations.Nullable;

/**
 * Arithmetic on the finite ends of {@link Interval}s: each operation folds constant operands
 * exactly and otherwise builds the node for the simplifier.
 *
 * <p>Constant folding here is mathematical, not the wrapping of the type: an {@code int32} end that
 * leaves the int32 range saturates to it (the value it bounds is an int32 that, by the no-overflow
 * rule of SEMANTICS.md, lies in that range; wrapping would turn a bound into a wrong one). For the
 * other integer types callers only combine ends whose exact result is representable (the bounds
 * rules check for wrapping first), and a result that is not is a bug reported by an exception.
 * Float ends are computed in double and rounded once to their type, as the evaluator does.
 */
final class Ends {
  private Ends() {}

  static Expr simplify(Expr e) {
    return Simplifier.simplify(e);
  }

  /** Whether the bool {@code cond} provably holds (for constants, whether it is true). */
  static boolean provable(Expr cond) {
    if (Consts.isIntConst(cond)) return Consts.isTrue(cond);
    return Simplifier.canProve(cond);
  }

  /** The mathematical value of an integer or bool constant, or null (not a constant, or a uint64 above 2^63). */
  static @Nullable Long intValue(Expr e) {
    return Consts.mathValue(e);
  }

  static boolean isConst(Expr e) {
    return Consts.isConst(e);
  }

  /** The constant {@code v} of scalar type {@code t}, saturated to the range of int32; other integer types must hold it. */
  static Expr constant(Type t, long v) {
    Type e = t.element();
    if (e.isFloat()) return Consts.makeFloat(e, v);
    if (e.isInt() && e.bits() == 32) v = Math.max(Math.min(v, e.maxInt()), e.minInt());
    if (!e.canRepresent(v)) throw new IllegalStateException("bound " + v + " is not a value of " + e);
    return Consts.make(e, v);
  }

  /** Whether {@code a} and {@code b} are constants and {@code a < b} (in their type's order). */
  static boolean constLess(Expr a, Expr b) {
    if (Consts.isFloatConst(a) && Consts.isFloatConst(b)) return Consts.floatValue(a) < Consts.floatValue(b);
    Long x = intValue(a), y = intValue(b);
    return x != null && y != null && x < y;
  }

  /** Whether {@code a <= b} provably. */
  static boolean provablyLE(Expr a, Expr b) {
    if (a.equals(b)) return true;
    if (isConst(a) && isConst(b)) return !constLess(b, a);
    return provable(new LE(a, b));
  }

  /** Whether {@code a < b} provably. */
  static boolean provablyLT(Expr a, Expr b) {
    if (isConst(a) && isConst(b)) return constLess(a, b);
    return provable(new LT(a, b));
  }

  /** Whether {@code e >= 0} provably. */
  static boolean nonNegative(Expr e) {
    if (e.type().isUInt() || e.type().isBool()) return true;
    return provablyLE(zero(e.type()), e);
  }

  /** Whether {@code e > 0} provably. */
  static boolean positive(Expr e) {
    return provablyLT(zero(e.type()), e);
  }

  /** Whether {@code e <= 0} provably. */
  static boolean nonPositive(Expr e) {
    return provablyLE(e, zero(e.type()));
  }

  /** Whether {@code e < 0} provably. */
  static boolean negative(Expr e) {
    if (e.type().isUInt() || e.type().isBool()) return false;
    return provablyLT(e, zero(e.type()));
  }

  static Expr zero(Type t) {
    return constant(t, 0);
  }

  static Expr min(Expr a, Expr b) {
    if (a.equals(b)) return a;
    if (isConst(a) && isConst(b)) return constLess(b, a) ? b : a;
    return new Min(a, b);
  }

  static Expr max(Expr a, Expr b) {
    if (a.equals(b)) return a;
    if (isConst(a) && isConst(b)) return constLess(a, b) ? b : a;
    return new Max(a, b);
  }

  static Expr add(Expr a, Expr b) {
    Expr c = fold(a, b, '+');
    return c != null ? c : new Add(a, b);
  }

  static Expr sub(Expr a, Expr b) {
    Expr c = fold(a, b, '-');
    return c != null ? c : new Sub(a, b);
  }

  static Expr mul(Expr a, Expr b) {
    Expr c = fold(a, b, '*');
    return c != null ? c : new Mul(a, b);
  }

  static Expr div(Expr a, Expr b) {
    Expr c = fold(a, b, '/');
    return c != null ? c : new Div(a, b);
  }

  static Expr neg(Expr a) {
    return sub(zero(a.type()), a);
  }

  /** {@code a op b} for two constants, exactly (see the class comment), else null. */
  private static @Nullable Expr fold(Expr a, Expr b, char op) {
    Type t = a.type();
    if (Consts.isFloatConst(a) && Consts.isFloatConst(b)) {
      double x = Consts.floatValue(a), y = Consts.floatValue(b);
      double r = switch (op) {
        case '+' -> x + y;
        case '-' -> x - y;
        case '*' -> x * y;
        default -> x / y;
      };
      return Consts.makeFloat(t, r);
    }
    Long x = intValue(a), y = intValue(b);
    if (x == null || y == null) return null;
    try {
      long r = switch (op) {
        case '+' -> Math.addExact(x, y);
        case '-' -> Math.subtractExact(x, y);
        case '*' -> Math.multiplyExact(x, y);
        default -> euclidDiv(x, y);
      };
      return constant(t, r);
    } catch (ArithmeticException e) {
      // Only int64 (or uint64) constants overflow a long; a saturated int32 never gets here.
      throw new IllegalStateException("bound " + x + " " + op + " " + y + " does not fit in " + t, e);
    }
  }

  /** Halide's division: the quotient whose remainder {@link #euclidMod} is never negative; 0 for {@code y == 0}. */
  static long euclidDiv(long x, long y) {
    if (y == 0) return 0;
    long r = euclidMod(x, y);
    return Math.divideExact(Math.subtractExact(x, r), y);
  }

  /** The remainder in {@code [0, |y|)}; 0 for {@code y == 0}. */
  static long euclidMod(long x, long y) {
    if (y == 0) return 0;
    return y == Long.MIN_VALUE ? (x >= 0 ? x : Math.addExact(x, Long.MAX_VALUE) + 1) : Math.floorMod(x, Math.abs(y));
  }

  /** Whether the tree of {@code e} has more than {@code limit} nodes (counting stops there). */
  static boolean larger(Expr e, int limit) {
    int[] budget = {limit};
    return !fits(e, budget);
  }

  private static boolean fits(Expr e, int[] budget) {
    if (--budget[0] < 0) return false;
    for (Expr c : dev.halogen.ir.IrNodes.children(e)) if (!fits(c, budget)) return false;
    return true;
  }
}
