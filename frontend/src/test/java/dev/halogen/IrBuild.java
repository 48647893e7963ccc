package dev.halogen;

import dev.halogen.ir.Expr;
import dev.halogen.ir.Expr.Call;
import dev.halogen.ir.Expr.CallKind;
import dev.halogen.ir.Expr.FloatImm;
import dev.halogen.ir.Expr.IntImm;
import dev.halogen.ir.Expr.UIntImm;
import dev.halogen.ir.Type;
import java.util.List;

/** Short factories for writing expected IR by hand in tests. */
final class IrBuild {
  private IrBuild() {}

  static Expr.Var v(String name) {
    return Expr.Var.of(name);
  }

  static Expr.Var v(Type t, String name) {
    return new Expr.Var(t, name);
  }

  static IntImm i(long value) {
    return new IntImm(Type.I32, value);
  }

  static FloatImm f(double value) {
    return new FloatImm(Type.F32, value);
  }

  static UIntImm u(Type t, long value) {
    return new UIntImm(t, value);
  }

  static UIntImm bool(boolean value) {
    return new UIntImm(Type.BOOL, value ? 1 : 0);
  }

  /** A call to value 0 of a float32 Func. */
  static Call fn(String name, Expr... args) {
    return new Call(Type.F32, name, List.of(args), CallKind.FUNC);
  }

  static Call fn(Type t, String name, int valueIndex, Expr... args) {
    return new Call(t, name, List.of(args), CallKind.FUNC, valueIndex);
  }

  static Call image(Type t, String name, Expr... args) {
    return new Call(t, name, List.of(args), CallKind.IMAGE);
  }

  static Call math(Type t, String name, Expr... args) {
    return new Call(t, name, List.of(args), CallKind.MATH);
  }

  static Call intrinsic(Type t, String name, Expr... args) {
    return new Call(t, name, List.of(args), CallKind.INTRINSIC);
  }

  static Expr.Cast cast(Type t, Expr e) {
    return new Expr.Cast(t, e);
  }
}
