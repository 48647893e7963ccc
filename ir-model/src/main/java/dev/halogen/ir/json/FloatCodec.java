package dev.halogen.ir.json;

import dev.halogen.ir.Type;
import kotlinx.serialization.json.JsonElement;
import kotlinx.serialization.json.JsonElementKt;

/**
 * The exact JSON form of a floating-point immediate.
 *
 * <p>A finite value is a JSON number: the shortest decimal that reads back to the same value in
 * the immediate's own precision ({@link Double#toString} for float64, {@link Float#toString} for
 * float32 and float16, whose values are all exact floats). JSON has no NaN or infinity, so those
 * are the strings {@code "NaN"}, {@code "Infinity"} and {@code "-Infinity"}; a NaN whose bits are
 * not the canonical NaN of its width is {@code "NaN:0x"} followed by its bits in that width
 * ({@code "NaN:0x7fc00001"} for float32), so every bit pattern survives.
 */
final class FloatCodec {
  private FloatCodec() {}

  private static final String NAN_BITS_PREFIX = "NaN:0x";

  static JsonElement encode(Type type, double value) {
    int width = width(type);
    if (Double.isNaN(value)) {
      long bits = bits(value, width);
      return JsonElementKt.JsonPrimitive(bits == bits(Double.NaN, width) ? "NaN" : NAN_BITS_PREFIX + hex(bits, width));
    }
    if (Double.isInfinite(value)) return JsonElementKt.JsonPrimitive(value > 0 ? "Infinity" : "-Infinity");
    return JsonElementKt.JsonPrimitive(width == 64 ? (Number) value : (Number) (float) value);
  }

  /** The value at {@code at}, exact in {@code type}'s precision. A finite literal that overflows the type is an error. */
  static double decode(At at, Type type) {
    int width = width(type);
    if (at.isString()) return special(at, at.string(), width);
    String text = at.number();
    double v = switch (width) {
      case 64 -> Double.parseDouble(text);
      case 32 -> Float.parseFloat(text);
      default -> Float.float16ToFloat(Float.floatToFloat16(Float.parseFloat(text)));
    };
    if (Double.isInfinite(v)) throw at.error(text + " is out of range for " + type);
    return v;
  }

  private static double special(At at, String text, int width) {
    switch (text) {
      case "NaN" -> {
        return Double.NaN;
      }
      case "Infinity" -> {
        return Double.POSITIVE_INFINITY;
      }
      case "-Infinity" -> {
        return Double.NEGATIVE_INFINITY;
      }
      default -> {
        if (text.startsWith(NAN_BITS_PREFIX)) return nanFromBits(at, text.substring(NAN_BITS_PREFIX.length()), width);
        throw at.error("expected a number or one of \"NaN\", \"Infinity\", \"-Infinity\", \"NaN:0x<bits>\", got the string '"
            + text + "'");
      }
    }
  }

  private static double nanFromBits(At at, String digits, int width) {
    int n = width / 4;
    boolean hex = digits.length() == n && digits.chars().allMatch(c -> Character.digit(c, 16) >= 0);
    if (!hex) throw at.error("NaN bits must be " + n + " hex digits for a " + width + "-bit float, got '" + digits + "'");
    long bits = Long.parseUnsignedLong(digits, 16);
    double v = switch (width) {
      case 64 -> Double.longBitsToDouble(bits);
      case 32 -> Float.intBitsToFloat((int) bits);
      default -> Float.float16ToFloat((short) bits);
    };
    if (!Double.isNaN(v)) throw at.error("0x" + digits + " is not the bit pattern of a NaN");
    return v;
  }

  /** The precision the value is written in; non-float types (which FloatImm rejects) read as float64. */
  private static int width(Type type) {
    return type.isFloat() ? type.bits() : 64;
  }

  /** The bits of {@code v} rounded to {@code width}, as an unsigned value. */
  private static long bits(double v, int width) {
    return switch (width) {
      case 64 -> Double.doubleToRawLongBits(v);
      case 32 -> Integer.toUnsignedLong(Float.floatToRawIntBits((float) v));
      default -> Short.toUnsignedLong(Float.floatToFloat16((float) v));
    };
  }

  private static String hex(long bits, int width) {
    String digits = Long.toHexString(bits);
    return "0".repeat(width / 4 - digits.length()) + digits;
  }
}
