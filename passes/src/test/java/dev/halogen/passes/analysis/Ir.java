package dev.halogen.passes.analysis;

import dev.halogen.ir.Expr;
import dev.halogen.ir.Expr.*;
import dev.halogen.ir.Type;
import java.util.List;

/** Short builders of IR for tests. */
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
}
