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
import dev.halogen.ir.text.IrPrinter;
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
    if (LinearForm.exact(e)) v = Math.max(Math.min(v, e.maxInt()), e.minInt());
    if (!e.canRepresent(v)) throw new IllegalStateException("bound " + v + " is not a value of " + e);
    return Consts.make(e, v);
  }

  /** Whether {@code e} is a NaN float constant. */
  static boolean isNaN(Expr e) {
    return Consts.isFloatConst(e) && Double.isNaN(Consts.floatValue(e));
  }

  /** Whether {@code a} and {@code b} are constants and {@code a < b} (in their type's order: unsigned for unsigned types). */
  static boolean constLess(Expr a, Expr b) {
    if (Consts.isFloatConst(a) && Consts.isFloatConst(b)) return Consts.floatValue(a) < Consts.floatValue(b);
    if (!Consts.isIntConst(a) || !Consts.isIntConst(b) || !a.type().equals(b.type())) return false;
    long x = Consts.bits(a), y = Consts.bits(b);
    return a.type().isInt() ? x < y : Long.compareUnsigned(x, y) < 0;
  }

  /** The printed form of {@code e} without the declarations of its free names, for messages. */
  static String text(Expr e) {
    String printed = IrPrinter.print(e);
    int start = 0;
    while (true) {
      int end = printed.indexOf('\n', start);
      if (end < 0) break;
      String line = printed.substring(start, end);
      if (!(line.startsWith("var ") || line.startsWith("func ") || line.startsWith("image ") || line.startsWith("buffer "))) break;
      start = end + 1;
    }
    return printed.substring(start);
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

  // A min or max of float ends would hide a NaN: min(NaN, b) is b, so an end that is NaN for some
  // values of the fixed variables (inf * 0 at a corner) would silently give a wrong bound. Float ends
  // are therefore combined only when both are constants (NaN constants left out); otherwise an end
  // that must cover both values is dropped, and one that may be either keeps the first.

  /** An end at most both {@code a} and {@code b} (the lower end of a union), or null for none. */
  static @Nullable Expr hullMin(Expr a, Expr b) {
    if (!a.type().isFloat()) return min(a, b);
    if (!isConst(a) || !isConst(b) || isNaN(a) || isNaN(b)) return null;
    return min(a, b);
  }

  /** An end at least both {@code a} and {@code b} (the upper end of a union), or null for none. */
  static @Nullable Expr hullMax(Expr a, Expr b) {
    if (!a.type().isFloat()) return max(a, b);
    if (!isConst(a) || !isConst(b) || isNaN(a) || isNaN(b)) return null;
    return max(a, b);
  }

  /** The smaller of two valid upper ends (either alone would do; for floats a constant is preferred). */
  static Expr tighterMin(Expr a, Expr b) {
    if (!a.type().isFloat()) return min(a, b);
    Expr pick = eitherFloat(a, b);
    return pick != null ? pick : min(a, b);
  }

  /** The larger of two valid lower ends (either alone would do; for floats a constant is preferred). */
  static Expr tighterMax(Expr a, Expr b) {
    if (!a.type().isFloat()) return max(a, b);
    Expr pick = eitherFloat(a, b);
    return pick != null ? pick : max(a, b);
  }

  /** Which of two float ends to keep without combining them, or null when both are numbers to compare. */
  private static @Nullable Expr eitherFloat(Expr a, Expr b) {
    boolean ca = isConst(a) && !isNaN(a), cb = isConst(b) && !isNaN(b);
    if (ca && cb) return null;
    if (ca) return a;
    if (cb) return b;
    return isNaN(a) ? b : a;
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

  /**
   * The evaluator's integer division ({@link Arith#euclidDiv}) computed exactly; 0 for {@code y ==
   * 0}.
   *
   * @throws ArithmeticException for the one quotient a long cannot hold, {@code MIN / -1}
   */
  static long euclidDiv(long x, long y) {
    if (y == 0) return 0;
    if (x == Long.MIN_VALUE && y == -1) throw new ArithmeticException("Long.MIN_VALUE / -1 overflows");
    return Arith.euclidDiv(x, y);
  }

  /** The evaluator's remainder ({@link Arith#euclidMod}), in {@code [0, |y|)}; 0 for {@code y == 0}. */
  static long euclidMod(long x, long y) {
    return y == 0 ? 0 : Arith.euclidMod(x, y);
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
