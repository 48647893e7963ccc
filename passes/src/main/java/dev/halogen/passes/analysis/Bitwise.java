package dev.halogen.passes.analysis;

import dev.halogen.ir.Expr;
import dev.halogen.ir.Type;
import java.util.List;

/**
 * The bitwise intrinsics {@code bitwise_and bitwise_or bitwise_xor bitwise_not shift_left
 * shift_right} (their meaning is written in {@link Intrinsics}' class comment), lane by lane.
 */
final class Bitwise {
  private Bitwise() {}

  /** Whether {@code name} is one of the bitwise intrinsics. */
  static boolean isBitwise(String name) {
    return switch (name) {
      case "bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_not", "shift_left", "shift_right" -> true;
      default -> false;
    };
  }

  static Value apply(Expr.Call call, List<Value> args) {
    String name = call.name();
    int arity = name.equals("bitwise_not") ? 1 : 2;
    if (args.size() != arity) {
      throw new EvaluationException("intrinsic '" + name + "' takes " + arity + " argument" + (arity == 1 ? "" : "s") + ", got " + args.size());
    }
    Value a = args.getFirst();
    Type t = a.type();
    boolean shift = name.startsWith("shift_");
    if (!(t.isIntOrUInt() || (t.isBool() && !shift))) {
      throw new EvaluationException(name + " needs " + (shift ? "integer" : "integer or bool") + " operands, got " + t);
    }
    if (!call.type().equals(t)) {
      throw new EvaluationException("intrinsic '" + name + "' gives " + t + " here, but the call has type " + call.type());
    }
    if (arity == 1) return Lanes.ints(t, i -> Arith.wrap(t.element(), ~a.longLane(i)));
    Value b = args.get(1);
    checkOperands(name, t, b.type());
    Type el = t.element();
    return switch (name) {
      case "bitwise_and" -> Lanes.ints(t, i -> a.longLane(i) & b.longLane(i));
      case "bitwise_or" -> Lanes.ints(t, i -> a.longLane(i) | b.longLane(i));
      case "bitwise_xor" -> Lanes.ints(t, i -> a.longLane(i) ^ b.longLane(i));
      case "shift_left" -> Lanes.ints(t, i -> shift(el, a.longLane(i), b.type().element(), b.longLane(i), true));
      case "shift_right" -> Lanes.ints(t, i -> shift(el, a.longLane(i), b.type().element(), b.longLane(i), false));
      default -> throw new IllegalStateException("not a binary bitwise intrinsic: " + name);
    };
  }

  /**
   * The second operand's type {@code b} fits the first's {@code a}: the same type for and, or and
   * xor; for a shift, an integer amount of the same width and lanes, of either signedness (Halide's
   * {@code match_bits}).
   */
  static void checkOperands(String name, Type a, Type b) {
    boolean ok = name.startsWith("shift_")
        ? b.isIntOrUInt() && b.bits() == a.bits() && b.lanes() == a.lanes()
        : b.equals(a);
    if (!ok) {
      throw new EvaluationException(name + "(" + a + ", " + b + "): the operands must have "
          + (name.startsWith("shift_") ? "integer types of the same width and lanes" : "the same type"));
    }
  }

  /**
   * {@code a} (a normalized lane of integer type {@code t}) shifted left or right by {@code amount}
   * (a normalized lane of integer type {@code amountType}): a negative signed amount shifts the other
   * way; by the type's width or more, a left or logical shift gives 0 and an arithmetic shift the
   * sign (0 or -1).
   */
  static long shift(Type t, long a, Type amountType, long amount, boolean left) {
    // Clamped to [-64, 64]: every magnitude of 64 or more acts alike, and negating cannot overflow.
    long k = amountType.isUInt()
        ? (Long.compareUnsigned(amount, 64) >= 0 ? 64 : amount)
        : Math.clamp(amount, -64, 64);
    if (k < 0) {
      k = -k;
      left = !left;
    }
    int n = t.bits();
    if (left) return k >= n ? 0 : Arith.wrap(t, a << k);
    if (t.isInt()) return a >> Math.min(k, 63); // sign-extended: 63 gives the sign in every lane width
    return k >= n ? 0 : a >>> k;
  }
}
