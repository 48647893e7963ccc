package dev.halogen.passes.analysis;

import static dev.halogen.passes.analysis.Ir.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.halogen.ir.Expr;
import dev.halogen.ir.Type;
import org.junit.jupiter.api.Test;

class SimplifierSmokeTest {
  private static void check(Expr expected, Expr in) {
    Expr out = Simplifier.simplify(in);
    assertEquals(expected, out, () -> "simplify(" + in + ")");
  }

  @Test
  void basics() {
    check(x, sub(add(x, i(1)), i(1)));
    check(mul(x, i(3)), add(mul(x, i(2)), x));
    check(add(x, i(2)), div(add(mul(x, i(4)), i(8)), i(4)));
    check(i(2), sub(add(x, i(3)), add(x, i(1))));
    check(i(3), mod(add(mul(x, i(8)), i(3)), i(8)));
    check(x, div(mul(x, i(8)), i(8)));
    check(x, min(x, x));
    check(x, min(add(x, i(1)), x));
    check(min(x, i(3)), min(min(x, i(3)), i(5)));
    check(c(Type.BOOL, 1), lt(x, add(x, i(1))));
    Expr u = v("u", Type.U8);
    Expr in = lt(u, add(u, c(Type.U8, 1)));
    check(in, in);
    check(add(x, y), add(y, x));
    check(add(x, i(3)), let("t", add(x, i(1)), add(v("t"), i(2))));
  }
}
