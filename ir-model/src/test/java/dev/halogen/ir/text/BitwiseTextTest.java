package dev.halogen.ir.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.halogen.ir.Expr;
import dev.halogen.ir.Expr.Call;
import dev.halogen.ir.Expr.CallKind;
import dev.halogen.ir.Expr.IntImm;
import dev.halogen.ir.Expr.UIntImm;
import dev.halogen.ir.Expr.Var;
import dev.halogen.ir.Type;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bitwise intrinsics are written by name alone and have their first argument's type, both ways. */
class BitwiseTextTest {
  private static final Var X = Var.of("x");
  private static final Var U = new Var(Type.U32, "u");

  private static Call call(String name, Expr... args) {
    return new Call(args[0].type(), name, List.of(args), CallKind.INTRINSIC);
  }

  private static void both(String text, Expr e) {
    assertEquals(text, IrPrinter.print(e));
    assertEquals(e, IrParser.parseExpr(text));
  }

  @Test
  void bitwiseCallsRoundTrip() {
    both("bitwise_and(x, 255)", call("bitwise_and", X, new IntImm(Type.I32, 255)));
    both("bitwise_or(x, bitwise_not(x))", call("bitwise_or", X, call("bitwise_not", X)));
    both("var u: uint32\nbitwise_xor(u, shift_right(u, 16u32))", call("bitwise_xor", U, call("shift_right", U, new UIntImm(Type.U32, 16))));
    both("shift_left(x, -3)", call("shift_left", X, new IntImm(Type.I32, -3)));
    // a signed amount for an unsigned value: the result has the value's type
    both("var u: uint32\nshift_left(u, cast<int32>(u)) + 1u32",
        new Expr.Add(call("shift_left", U, new Expr.Cast(Type.I32, U)), new UIntImm(Type.U32, 1)));
  }
}
