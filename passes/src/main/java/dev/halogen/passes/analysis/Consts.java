package dev.halogen.passes.analysis;

import dev.halogen.ir.Expr;
import dev.halogen.ir.Expr.Broadcast;
import dev.halogen.ir.Expr.FloatImm;
import dev.halogen.ir.Expr.IntImm;
import dev.halogen.ir.Expr.UIntImm;
import dev.halogen.ir.Type;

/**
 * Building and reading constants of any type: scalar immediates, and for vector types a {@link
 * Broadcast} of one (the simplifier's only form of a vector constant).
 */
final class Consts {
  private Consts() {}

  /**
   * The constant {@code v} of integer or bool type {@code t}, wrapped to the type's width (so any
   * representative modulo 2^bits may be passed); a broadcast for vector types.
   */
  static Expr make(Type t, long v) {
    Type e = t.element();
    Expr scalar =
        switch (e.code()) {
          case INT -> new IntImm(e, signExtend(e.bits(), v));
          case UINT -> new UIntImm(e, zeroExtend(e.bits(), v));
          case BOOL -> new UIntImm(e, v & 1);
          case FLOAT -> new FloatImm(e, v);
          case HANDLE -> throw new IllegalArgumentException("no constants of type " + t);
        };
    return t.isVector() ? new Broadcast(scalar, t.lanes()) : scalar;
  }

  /** The float constant {@code v} of float type {@code t}, rounded to its precision. */
  static Expr makeFloat(Type t, double v) {
    Expr scalar = new FloatImm(t.element(), v);
    return t.isVector() ? new Broadcast(scalar, t.lanes()) : scalar;
  }

  static Expr bool(boolean b, int lanes) {
    return make(Type.BOOL.withLanes(lanes), b ? 1 : 0);
  }

  /** The scalar immediate behind {@code e} (itself, or the value of a broadcast of one), else null. */
  static Expr scalarImm(Expr e) {
    return switch (e) {
      case IntImm i -> i;
      case UIntImm u -> u;
      case FloatImm f -> f;
      case Broadcast(Expr v, int lanes) -> scalarImm(v);
      default -> null;
    };
  }

  static boolean isConst(Expr e) {
    return scalarImm(e) != null;
  }

  /** Whether {@code e} is an integer or bool constant (scalar or broadcast). */
  static boolean isIntConst(Expr e) {
    Expr s = scalarImm(e);
    return s instanceof IntImm || s instanceof UIntImm;
  }

  /**
   * The bits of an integer or bool constant as the immediate holds them (sign-extended for signed
   * types, zero-extended for unsigned, raw for uint64). Only call after {@link #isIntConst}.
   */
  static long bits(Expr e) {
    return switch (scalarImm(e)) {
      case IntImm i -> i.value();
      case UIntImm u -> u.value();
      case null, default -> throw new IllegalArgumentException("not an integer constant: " + e.type());
    };
  }

  static boolean isFloatConst(Expr e) {
    return scalarImm(e) instanceof FloatImm;
  }

  static double floatValue(Expr e) {
    if (scalarImm(e) instanceof FloatImm f) return f.value();
    throw new IllegalArgumentException("not a float constant: " + e.type());
  }

  /** Whether {@code e} is the integer constant {@code v} (compared in the type's width). */
  static boolean isIntConst(Expr e, long v) {
    return isIntConst(e) && bits(e) == wrap(e.type(), v);
  }

  static boolean isTrue(Expr e) {
    return isIntConst(e) && e.type().isBool() && bits(e) == 1;
  }

  static boolean isFalse(Expr e) {
    return isIntConst(e) && e.type().isBool() && bits(e) == 0;
  }

  /**
   * The mathematical value of an integer constant as a long, or null when it has none (a uint64 of
   * 2^63 or more).
   */
  static Long mathValue(Expr e) {
    if (!isIntConst(e)) return null;
    long b = bits(e);
    if (e.type().isUInt() && e.type().bits() == 64 && b < 0) return null;
    return b;
  }

  /** {@code v} wrapped to the width of integer or bool type {@code t} in the immediates' representation. */
  static long wrap(Type t, long v) {
    return switch (t.code()) {
      case INT -> signExtend(t.bits(), v);
      case UINT -> zeroExtend(t.bits(), v);
      case BOOL -> v & 1;
      case FLOAT, HANDLE -> throw new IllegalArgumentException(t + " is not an integer type");
    };
  }

  static long signExtend(int bits, long v) {
    return bits == 64 ? v : (v << (64 - bits)) >> (64 - bits);
  }

  static long zeroExtend(int bits, long v) {
    return bits == 64 ? v : v & ((1L << bits) - 1);
  }
}
