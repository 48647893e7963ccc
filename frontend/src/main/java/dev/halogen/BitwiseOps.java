package dev.halogen;

import dev.halogen.ir.Expr.Call;
import dev.halogen.ir.Expr.CallKind;
import dev.halogen.ir.Expr.Cast;
import dev.halogen.ir.Expr.IntImm;
import dev.halogen.ir.Type;
import java.util.List;

/**
 * Builds the bitwise intrinsic calls of {@link Exprs#bitwiseAnd} and its kin (the evaluator's
 * {@code Intrinsics} defines them), with Halide's operand rules.
 *
 * <p>{@code and}, {@code or} and {@code xor} take integers or bools (Halide's {@code
 * match_types_bitwise}): a Java {@code int} literal takes the other operand's type (it must fit); of
 * two typed integers of different widths the narrower is cast to the wider's type, and of equal
 * widths the second is cast to the first's type; a bool meets only a bool. Shifts take an integer
 * value and an integer amount (Halide's {@code match_bits}): the amount keeps its signedness and is
 * cast to the value's width (a signed amount that is negative shifts the other way); a literal
 * amount takes the value's type, or the signed type of its width when negative; a literal value
 * takes the amount's type. The result has the (first) value's type. Floats and handles are errors
 * naming the operation and both types.
 */
final class BitwiseOps {
  private BitwiseOps() {}

  /** The operations, with the intrinsic each makes and the name errors use. */
  enum Op {
    AND("bitwise_and", "bitwiseAnd"),
    OR("bitwise_or", "bitwiseOr"),
    XOR("bitwise_xor", "bitwiseXor"),
    SHIFT_LEFT("shift_left", "shiftLeft"),
    SHIFT_RIGHT("shift_right", "shiftRight");

    final String intrinsic;
    final String method;

    Op(String intrinsic, String method) {
      this.intrinsic = intrinsic;
      this.method = method;
    }

    boolean shift() {
      return this == SHIFT_LEFT || this == SHIFT_RIGHT;
    }
  }

  static Expr binary(Op op, ExprLike a, ExprLike b) {
    dev.halogen.ir.Expr x = a.ir();
    dev.halogen.ir.Expr y = b.ir();
    Type ta = x.type();
    Type tb = y.type();
    boolean bools = !op.shift() && ta.isBool() && tb.isBool();
    if (!bools && !(ta.isIntOrUInt() && tb.isIntOrUInt())) {
      throw error(op.method, ta, tb, op.shift() ? "needs integer operands" : "needs integer operands, or two bools");
    }
    if (ta.lanes() != tb.lanes()) throw error(op.method, ta, tb, "the lane counts differ");
    Coercion.Literal la = Coercion.literal(a);
    Coercion.Literal lb = Coercion.literal(b);
    if (la == Coercion.Literal.INT && lb == Coercion.Literal.NONE) {
      x = literal(op, x, tb, ta, tb);
    } else if (lb == Coercion.Literal.INT && la == Coercion.Literal.NONE) {
      y = op.shift() ? amountLiteral(op, y, ta, tb) : literal(op, y, ta, ta, tb);
    } else if (op.shift()) {
      Type amount = (tb.isInt() ? Type.intOf(ta.bits()) : Type.uintOf(ta.bits())).withLanes(ta.lanes());
      if (!tb.equals(amount)) y = new Cast(amount, y);
    } else if (!ta.equals(tb)) {
      if (ta.bits() < tb.bits()) {
        x = new Cast(tb, x);
      } else {
        y = new Cast(ta, y);
      }
    }
    return Ops.wrap(new Call(x.type(), op.intrinsic, List.of(x, y), CallKind.INTRINSIC), a, b);
  }

  static Expr not(ExprLike a) {
    Type t = a.type();
    if (!t.isIntOrUInt() && !t.isBool()) throw new HalogenException.TypeException("bitwiseNot(" + t + "): needs an integer or a bool");
    return Ops.wrap(new Call(t, "bitwise_not", List.of(a.ir()), CallKind.INTRINSIC), a);
  }

  /** The literal {@code lit} as a value of {@code t}, the other operand's type. */
  private static dev.halogen.ir.Expr literal(Op op, dev.halogen.ir.Expr lit, Type t, Type first, Type second) {
    long v = ((IntImm) lit).value();
    if (!t.canRepresent(v)) {
      throw error(op.method, first, second, "the integer literal " + v + " does not fit in " + t + ", the type of the other operand; cast explicitly");
    }
    return Coercion.constant(t, v);
  }

  /** A literal shift amount for a value of type {@code t}: of {@code t}, or of the signed type of its width when negative. */
  private static dev.halogen.ir.Expr amountLiteral(Op op, dev.halogen.ir.Expr lit, Type t, Type litType) {
    long v = ((IntImm) lit).value();
    if (t.canRepresent(v)) return Coercion.constant(t, v);
    Type signed = Type.intOf(t.bits()).withLanes(t.lanes());
    if (signed.canRepresent(v)) return Coercion.constant(signed, v);
    throw error(op.method, t, litType, "the shift amount " + v + " does not fit in " + t + " or " + signed + "; cast explicitly");
  }

  private static HalogenException.TypeException error(String op, Type a, Type b, String why) {
    return new HalogenException.TypeException(op + "(" + a + ", " + b + "): " + why);
  }
}
