package dev.halogen.passes.analysis;

import dev.halogen.ir.Type;

/**
 * Lane kernels of the exact semantics (SEMANTICS.md): one scalar lane of one operation on primitives.
 * Integer lanes are longs in {@link Value}'s normalized form; float lanes are doubles holding a value of
 * the lane type's precision. Every kernel takes the scalar element type of its lanes.
 */
final class Arith {
  private Arith() {}

  /** The arithmetic operators that both integers and floats have. */
  enum BinOp {
    ADD("Add", "+"),
    SUB("Sub", "-"),
    MUL("Mul", "*"),
    DIV("Div", "/"),
    MOD("Mod", "%"),
    MIN("Min", "min"),
    MAX("Max", "max");

    final String node;
    final String symbol;

    BinOp(String node, String symbol) {
      this.node = node;
      this.symbol = symbol;
    }
  }

  /** The comparisons. */
  enum CmpOp {
    EQ,
    NE,
    LT,
    LE,
    GT,
    GE
  }

  // ---------------------------------------------------------------- integers

  /** {@code v} wrapped to the width of integer type {@code t}: sign-extended if signed, else zero-extended. */
  static long wrap(Type t, long v) {
    return switch (t.code()) {
      case INT -> switch (t.bits()) {
        case 8 -> (byte) v;
        case 16 -> (short) v;
        case 32 -> (int) v;
        default -> v;
      };
      case UINT -> t.bits() == 64 ? v : v & ((1L << t.bits()) - 1);
      case BOOL -> v & 1;
      case FLOAT, HANDLE -> throw new IllegalStateException(t + " is not an integer type");
    };
  }

  /** {@code a < b} for integer or bool lanes of {@code t}, unsigned for unsigned types. */
  static boolean intLess(Type t, long a, long b) {
    return t.isInt() ? a < b : Long.compareUnsigned(a, b) < 0;
  }

  /** One lane of an integer operation, wrapped to {@code t}. Callers reject bool and handle types. */
  static long intOp(BinOp op, Type t, long a, long b) {
    return switch (op) {
      case ADD -> wrap(t, a + b);
      case SUB -> wrap(t, a - b);
      case MUL -> wrap(t, a * b);
      case DIV -> b == 0 ? 0 : t.isInt() ? wrap(t, euclidDiv(a, b)) : Long.divideUnsigned(a, b);
      case MOD -> b == 0 ? 0 : t.isInt() ? euclidMod(a, b) : Long.remainderUnsigned(a, b);
      case MIN -> intLess(t, b, a) ? b : a;
      case MAX -> intLess(t, a, b) ? b : a;
    };
  }

  /**
   * Whether signed 32-bit {@code op} on {@code a} and {@code b} has a mathematical result outside int32:
   * the undefined behaviour the checking evaluator reports. Division counts ({@code MIN / -1}) like in
   * Halide, where it is signed overflow too.
   */
  static boolean int32Overflows(BinOp op, long a, long b) {
    long exact = switch (op) {
      case ADD -> a + b;
      case SUB -> a - b;
      case MUL -> a * b;
      case DIV -> b == 0 ? 0 : euclidDiv(a, b);
      case MOD, MIN, MAX -> 0;
    };
    return exact != (int) exact;
  }

  /** Euclidean quotient: the remainder {@link #euclidMod} is never negative. {@code Long.MIN_VALUE / -1} wraps. */
  static long euclidDiv(long a, long b) {
    long q = a / b;
    // Java truncates toward zero; a negative remainder means the quotient must move one step away
    // from the divisor's sign so the remainder lands in [0, |b|).
    if (a % b < 0) q = b > 0 ? q - 1 : q + 1;
    return q;
  }

  /** Euclidean remainder in {@code [0, |b|)}. */
  static long euclidMod(long a, long b) {
    long r = a % b;
    // r - b for negative b: |b| = -b, computed as a subtraction so that b = Long.MIN_VALUE wraps right.
    return r >= 0 ? r : b > 0 ? r + b : r - b;
  }

  // ---------------------------------------------------------------- floats

  /** {@code x} rounded to the precision of float type {@code t} (round to nearest even). */
  static double round(Type t, double x) {
    return switch (t.bits()) {
      case 16 -> toHalf(x);
      case 32 -> (float) x;
      default -> x;
    };
  }

  /**
   * {@code x} rounded once to float16. Going through float could round twice (a double just above a
   * half-way point between halves can first round onto that point), so the float step rounds to odd:
   * an inexact float keeps a set last bit, which carries the "above" information to the second rounding.
   */
  static double toHalf(double x) {
    float f = (float) x;
    if (f != x && !Double.isNaN(x) && (Float.floatToRawIntBits(f) & 1) == 0) {
      f = x > f ? Math.nextUp(f) : Math.nextDown(f);
    }
    return Float.float16ToFloat(Float.floatToFloat16(f));
  }

  /**
   * One lane of a float operation in the precision of {@code t}. Each IEEE step is computed in double
   * and rounded to {@code t}: for +, -, *, / that equals the operation in the narrower type, because
   * double has more than twice the precision of float32 and float16 plus two bits.
   */
  static double floatOp(BinOp op, Type t, double a, double b) {
    return switch (op) {
      case ADD -> round(t, a + b);
      case SUB -> round(t, a - b);
      case MUL -> round(t, a * b);
      case DIV -> round(t, a / b);
      case MOD -> round(t, a - round(t, b * Math.floor(round(t, a / b))));
      case MIN -> a < b ? a : b;
      case MAX -> a > b ? a : b;
    };
  }

  // ---------------------------------------------------------------- comparisons

  static boolean intCompare(CmpOp op, Type t, long a, long b) {
    return switch (op) {
      case EQ -> a == b;
      case NE -> a != b;
      case LT -> intLess(t, a, b);
      case LE -> !intLess(t, b, a);
      case GT -> intLess(t, b, a);
      case GE -> !intLess(t, a, b);
    };
  }

  static boolean floatCompare(CmpOp op, double a, double b) {
    return switch (op) {
      case EQ -> a == b;
      case NE -> a != b;
      case LT -> a < b;
      case LE -> a <= b;
      case GT -> a > b;
      case GE -> a >= b;
    };
  }

  // ---------------------------------------------------------------- casts

  /** Integer or bool lane of type {@code from} cast to integer or bool type {@code to}. */
  static long intToInt(Type to, long v) {
    return to.isBool() ? (v != 0 ? 1 : 0) : wrap(to, v);
  }

  /** Integer or bool lane of type {@code from} cast to float type {@code to}, rounded once. */
  static double intToFloat(Type from, Type to, long v) {
    boolean unsigned64 = from.isUInt() && from.bits() == 64 && v < 0;
    if (to.bits() == 32) {
      // long -> float rounds once; for a uint64 above 2^63 halve it first, keeping the lost bit as
      // a sticky bit so the single rounding of the halved value is the rounding of the whole.
      return unsigned64 ? 2f * (float) ((v >>> 1) | (v & 1)) : (float) v;
    }
    double d = unsigned64 ? 2.0 * (double) ((v >>> 1) | (v & 1)) : (double) v;
    // float16: every long that is inexact in double is far beyond the float16 range, so rounding the
    // double again gives the same infinity a single rounding would.
    return round(to, d);
  }

  /**
   * Float lane cast to integer or bool type {@code to}: to bool means {@code != 0} (NaN is true); to an
   * integer it truncates toward zero and saturates at the target's range, NaN giving 0. Out-of-range
   * conversion is undefined in Halide; saturation is this evaluator's documented choice.
   */
  static long floatToInt(Type to, double d) {
    if (to.isBool()) return d != 0 ? 1 : 0;
    if (Double.isNaN(d)) return 0;
    if (to.isUInt() && to.bits() == 64) {
      if (d <= 0) return 0;
      if (d >= 0x1p64) return -1L;
      // Values in [2^63, 2^64) are exact after subtracting 2^63; the long conversion then sets the top bit back.
      return d >= 0x1p63 ? ((long) (d - 0x1p63)) ^ Long.MIN_VALUE : (long) d;
    }
    long t = (long) d; // truncates and saturates at the long range
    return Math.min(Math.max(t, to.minInt()), to.maxInt());
  }

  // ---------------------------------------------------------------- text

  static String laneText(Type t, long bits) {
    if (t.isBool()) return bits != 0 ? "true" : "false";
    return t.isUInt() ? Long.toUnsignedString(bits) : Long.toString(bits);
  }

  static String laneText(double d) {
    if (Double.isNaN(d)) return "NaN(0x" + Long.toHexString(Double.doubleToRawLongBits(d)) + ")";
    return Double.toString(d);
  }
}
