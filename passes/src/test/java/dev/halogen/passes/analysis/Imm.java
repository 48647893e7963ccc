package dev.halogen.passes.analysis;

import dev.halogen.ir.Expr;
import dev.halogen.ir.Expr.FloatImm;
import dev.halogen.ir.Expr.IntImm;
import dev.halogen.ir.Expr.UIntImm;
import dev.halogen.ir.Type;

/** Short constructors of immediates and exact expected values for the tests of this package. */
final class Imm {
  private Imm() {}

  static Expr i8(long v) {
    return new IntImm(Type.I8, v);
  }

  static Expr i16(long v) {
    return new IntImm(Type.I16, v);
  }

  static Expr i32(long v) {
    return new IntImm(Type.I32, v);
  }

  static Expr i64(long v) {
    return new IntImm(Type.I64, v);
  }

  static Expr u8(long v) {
    return new UIntImm(Type.U8, v);
  }

  static Expr u16(long v) {
    return new UIntImm(Type.U16, v);
  }

  static Expr u32(long v) {
    return new UIntImm(Type.U32, v);
  }

  static Expr u64(long v) {
    return new UIntImm(Type.U64, v);
  }

  static Expr bool(boolean b) {
    return new UIntImm(Type.BOOL, b ? 1 : 0);
  }

  static Expr f16(double v) {
    return new FloatImm(Type.F16, v);
  }

  static Expr f32(double v) {
    return new FloatImm(Type.F32, v);
  }

  static Expr f64(double v) {
    return new FloatImm(Type.F64, v);
  }

  /** An exact integer or bool value; the bits must already be normalized for the type. */
  static Value iv(Type t, long bits) {
    return new Value.IntScalar(t, bits);
  }

  static Value bv(boolean b) {
    return new Value.IntScalar(Type.BOOL, b ? 1 : 0);
  }

  /** An exact float value; {@code v} must already be representable in the type. */
  static Value fv(Type t, double v) {
    if (Arith.round(t, v) != v && !Double.isNaN(v)) throw new IllegalArgumentException(v + " is not a " + t + " value");
    return new Value.FloatScalar(t, v);
  }
}
