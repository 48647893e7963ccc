package dev.halogen.passes.analysis;

import dev.halogen.ir.Expr;
import dev.halogen.ir.Type;

/** Interim exact folder for scalar nodes with constant operands (replaced by the Evaluator on merge). */
final class ConstantFolding {
  private ConstantFolding() {}

  static Expr fold(Expr e) {
    Type t = e.type();
    return switch (e) {
      case Expr.Add(Expr a, Expr b) -> arith('+', a, b);
      case Expr.Sub(Expr a, Expr b) -> arith('-', a, b);
      case Expr.Mul(Expr a, Expr b) -> arith('*', a, b);
      case Expr.Div(Expr a, Expr b) -> arith('/', a, b);
      case Expr.Mod(Expr a, Expr b) -> arith('%', a, b);
      case Expr.Min(Expr a, Expr b) -> less(b, a) ? b : a;
      case Expr.Max(Expr a, Expr b) -> less(a, b) ? b : a;
      case Expr.LT(Expr a, Expr b) -> Consts.bool(less(a, b), 1);
      case Expr.LE(Expr a, Expr b) -> Consts.bool(less(a, b) || eqv(a, b), 1);
      case Expr.GT(Expr a, Expr b) -> Consts.bool(less(b, a), 1);
      case Expr.GE(Expr a, Expr b) -> Consts.bool(less(b, a) || eqv(a, b), 1);
      case Expr.EQ(Expr a, Expr b) -> Consts.bool(eqv(a, b), 1);
      case Expr.NE(Expr a, Expr b) -> Consts.bool(!eqv(a, b), 1);
      case Expr.And(Expr a, Expr b) -> Consts.bool(Consts.isTrue(a) && Consts.isTrue(b), 1);
      case Expr.Or(Expr a, Expr b) -> Consts.bool(Consts.isTrue(a) || Consts.isTrue(b), 1);
      case Expr.Not(Expr a) -> Consts.bool(!Consts.isTrue(a), 1);
      case Expr.Cast(Type to, Expr v) -> cast(to, v);
      default -> null;
    };
  }

  private static boolean eqv(Expr a, Expr b) {
    if (a.type().isFloat()) return Consts.floatValue(a) == Consts.floatValue(b);
    return Consts.bits(a) == Consts.bits(b);
  }

  private static boolean less(Expr a, Expr b) {
    Type t = a.type();
    if (t.isFloat()) return Consts.floatValue(a) < Consts.floatValue(b);
    return t.isInt() ? Consts.bits(a) < Consts.bits(b) : Long.compareUnsigned(Consts.bits(a), Consts.bits(b)) < 0;
  }

  private static double round(Type t, double x) {
    return switch (t.bits()) {
      case 16 -> Float.float16ToFloat(Float.floatToFloat16((float) x));
      case 32 -> (float) x;
      default -> x;
    };
  }

  private static Expr arith(char op, Expr a, Expr b) {
    Type t = a.type();
    if (t.isFloat()) {
      double x = Consts.floatValue(a), y = Consts.floatValue(b);
      double r = switch (op) {
        case '+' -> round(t, x + y);
        case '-' -> round(t, x - y);
        case '*' -> round(t, x * y);
        case '/' -> round(t, x / y);
        default -> round(t, x - round(t, y * Math.floor(round(t, x / y))));
      };
      return Consts.makeFloat(t, r);
    }
    if (!t.isIntOrUInt()) return null;
    long x = Consts.bits(a), y = Consts.bits(b);
    long r = switch (op) {
      case '+' -> x + y;
      case '-' -> x - y;
      case '*' -> x * y;
      case '/' -> y == 0 ? 0 : t.isInt() ? (x - Math.floorMod(x, Math.abs(y))) / y : Long.divideUnsigned(x, y);
      default -> y == 0 ? 0 : t.isInt() ? Math.floorMod(x, Math.abs(y)) : Long.remainderUnsigned(x, y);
    };
    return Consts.make(t, r);
  }

  private static Expr cast(Type to, Expr v) {
    Type from = v.type();
    if (to.isFloat()) {
      if (from.isFloat()) return Consts.makeFloat(to, Consts.floatValue(v));
      long x = Consts.bits(v);
      return Consts.makeFloat(to, from.isUInt() && x < 0 ? (double) (x >>> 1) * 2 : (double) x);
    }
    if (from.isFloat()) {
      double d = Consts.floatValue(v);
      if (to.isBool()) return Consts.bool(d != 0, 1);
      if (Double.isNaN(d)) return Consts.make(to, 0);
      long r = (long) d;
      return Consts.make(to, Math.min(Math.max(r, to.minInt()), to.isUInt() && to.bits() == 64 ? Long.MAX_VALUE : to.maxInt()));
    }
    long x = Consts.bits(v);
    return to.isBool() ? Consts.bool(x != 0, 1) : Consts.make(to, x);
  }
}
