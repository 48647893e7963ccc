package dev.halogen.passes.analysis;

import static org.junit.jupiter.api.Assertions.*;

import dev.halogen.ir.Expr;
import dev.halogen.ir.text.IrParser;
import org.junit.jupiter.api.Test;

/** {@link Simplifier#canProve}: what it proves, what it must not, and facts from a {@link Scope}. */
class SimplifierProveTest {
  private static final String DECLS =
      "var u: uint8 var c: int8 var w: uint32 var l: int64 var f: float32 var g: float32 var p: bool ";

  private static Expr parse(String s) {
    return IrParser.parseExpr(DECLS + s);
  }

  private static void provable(Scope scope, String... conds) {
    for (String c : conds) assertTrue(Simplifier.canProve(parse(c), scope), () -> "should prove " + c + " in " + scope);
  }

  private static void notProvable(Scope scope, String... conds) {
    for (String c : conds) assertFalse(Simplifier.canProve(parse(c), scope), () -> "must not prove " + c + " in " + scope);
  }

  @Test
  void provesIdentitiesWithoutFacts() {
    provable(Scope.empty(),
        "x < x + 1", "x - 1 < x", "x % 8 < 8", "0 <= x % 8", "(x * 8 + 3) % 8 == 3", "x * 2 / 2 == x",
        "min(x, 3) <= 3", "x <= max(x, y)", "select(x < 3, x, 3) <= 3", "x + y - y == x", "(x * 4 + 8) / 4 == x + 2",
        "p || !p", "x < y || y <= x", "u <= 255u8", "x % 4 != 5", "likely(x < x + 1)", "(x / 4) * 4 <= x",
        "ramp(x, 1, 4) < broadcast(x + 4, 4)", "f < f || true");
  }

  @Test
  void doesNotProveWhatCanBeFalse() {
    notProvable(Scope.empty(), "x < y", "x < 5", "x != 0", "x / 4 * 4 == x", "min(x, y) == x", "p", "x < x + y");
  }

  @Test
  void doesNotProveWhatWrapsOrIsNaN() {
    notProvable(Scope.empty(),
        // every integer type but int32 wraps
        "u < u + 1u8", "c < c + 1i8", "w - 1u32 < w", "l < l + 1i64", "u * 2u8 / 2u8 == u", "c / -1i8 != c",
        "u + 1u8 != 0u8", "0i8 < c * c + 1i8",
        // NaN compares false, and -0.0 equals 0.0 but is not it
        "f == f", "f <= f", "!(f < g) == (g <= f)", "f + 0.0f == f", "f * 0.0f == 0.0f", "f - f == 0.0f",
        "min(f, g) == min(g, f)", "f < f + 1.0f",
        // a float32 does not hold every int32
        "cast<int32>(cast<float32>(x)) == x");
  }

  @Test
  void usesBoundsFromTheScope() {
    Scope s = Scope.empty().withBounds("x", 0, 15).withBounds("y", -4, 4);
    provable(s, "x < 16", "0 <= x", "x / 16 == 0", "x % 16 == x", "x * 2 < 31", "x + y < 20", "-5 < x + y",
        "min(x, 20) == x", "max(y, -10) == y", "x - y <= 19");
    notProvable(s, "x < 15", "0 < x", "y < 4", "x + y < 19");
    Scope u = Scope.empty().withBounds("u", 0, 100);
    provable(u, "u < 101u8", "u / 128u8 == 0u8", "u % 128u8 == u");
    Scope one = Scope.empty().withMin("x", 1);
    provable(one, "0 < x", "x != 0", "0 < x * 2");
    notProvable(one, "x < 1000");
  }

  @Test
  void usesAlignmentFromTheScope() {
    Scope s = Scope.empty().withAlignment("x", 4, 1);
    provable(s, "x % 4 == 1", "(x + 3) % 4 == 0", "x % 2 == 1", "(x * 2) % 8 == 2");
    notProvable(s, "x % 8 == 1");
    Scope t = Scope.empty().withAlignment("x", 8, 0).withBounds("x", 0, 64);
    provable(t, "(x + 7) / 8 == x / 8", "x / 8 * 8 == x");
  }

  @Test
  void scopeRejectsInconsistentFacts() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Scope.empty().withBounds("x", 5, 4));
    assertTrue(e.getMessage().contains("'x'"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Scope.empty().withAlignment("y", 0, 1));
    assertTrue(e.getMessage().contains("'y'"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Simplifier.canProve(IrParser.parseExpr("x + 1")));
  }
}
