package dev.halogen.passes.analysis;

import dev.halogen.ir.Expr;
import dev.halogen.ir.Expr.*;
import dev.halogen.ir.Type;
import java.util.List;

/** Short builders of IR, immediates and exact values for the tests of this package. */
final class Ir {
  private Ir() {}

  static Var x = Var.of("x"), y = Var.of("y"), z = Var.of("z");

  static Var v(String name) {
    return Var.of(name);
  }

  static Var v(String name, Type t) {
    return new Var(t, name);
  }

  static Expr i(long v) {
    return new IntImm(Type.I32, v);
  }

  static Expr c(Type t, long v) {
    return Consts.make(t, v);
  }

  static Expr f32(double v) {
    return new FloatImm(Type.F32, v);
  }

  static Expr add(Expr a, Expr b) {
    return new Add(a, b);
  }

  static Expr sub(Expr a, Expr b) {
    return new Sub(a, b);
  }

  static Expr mul(Expr a, Expr b) {
    return new Mul(a, b);
  }

  static Expr div(Expr a, Expr b) {
    return new Div(a, b);
  }

  static Expr mod(Expr a, Expr b) {
    return new Mod(a, b);
  }

  static Expr min(Expr a, Expr b) {
    return new Min(a, b);
  }

  static Expr max(Expr a, Expr b) {
    return new Max(a, b);
  }

  static Expr lt(Expr a, Expr b) {
    return new LT(a, b);
  }

  static Expr le(Expr a, Expr b) {
    return new LE(a, b);
  }

  static Expr eq(Expr a, Expr b) {
    return new EQ(a, b);
  }

  static Expr let(String n, Expr v, Expr b) {
    return new Let(n, v, b);
  }

  static Expr likely(Expr e) {
    return new Call(e.type(), "likely", List.of(e), CallKind.INTRINSIC);
  }

  // ---------------------------------------------------------------- immediates of every type and exact values

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
