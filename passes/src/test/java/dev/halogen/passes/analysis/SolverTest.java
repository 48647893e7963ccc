package dev.halogen.passes.analysis;

import static dev.halogen.passes.analysis.Ir.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.halogen.ir.Expr;
import dev.halogen.ir.Expr.*;
import dev.halogen.ir.Type;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link Solver}: hand-worked answers, compared in simplified form. */
class SolverTest {
  private static final Var u = Var.of("u"), n = Var.of("n"), rx = Var.of("r.x");
  private static final Expr TRUE = c(Type.BOOL, 1);

  private static Expr s(Expr e) {
    return Simplifier.simplify(e);
  }

  private static Expr ne(Expr a, Expr b) {
    return new NE(a, b);
  }

  private static Expr gt(Expr a, Expr b) {
    return new GT(a, b);
  }

  private static Expr ge(Expr a, Expr b) {
    return new GE(a, b);
  }

  private static Expr and(Expr a, Expr b) {
    return new And(a, b);
  }

  private static Expr or(Expr a, Expr b) {
    return new Or(a, b);
  }

  private static Expr clamp(Expr e, long lo, long hi) {
    return max(min(e, i(hi)), i(lo));
  }

  // ------------------------------------------------------------------ solve

  private static void solves(Expr eq, Expr value, Expr condition) {
    Optional<Solver.Solution> got = Solver.solve(eq, "x");
    assertTrue(got.isPresent(), () -> "no solution of " + eq);
    assertEquals(s(value), got.get().value(), () -> "value solving " + eq);
    assertEquals(s(condition), got.get().condition(), () -> "condition solving " + eq);
  }

  @Test
  void solvesLinearEquations() {
    solves(eq(add(x, i(3)), i(10)), i(7), TRUE);
    solves(eq(add(mul(i(2), x), i(1)), y), div(sub(y, i(1)), i(2)), eq(mod(sub(y, i(1)), i(2)), i(0)));
    solves(sub(x, y), y, TRUE);
    solves(eq(add(new Sub(i(0), x), i(5)), u), sub(i(5), u), TRUE);
    solves(eq(mul(i(3), x), add(mul(i(2), x), y)), y, TRUE);
    solves(eq(add(mul(x, i(4)), i(2)), mul(y, i(3))), div(sub(mul(y, i(3)), i(2)), i(4)), eq(mod(sub(mul(y, i(3)), i(2)), i(4)), i(0)));
    // -3x == y: x == -y / 3 when 3 divides y
    solves(eq(mul(i(-3), x), y), div(sub(i(0), y), i(3)), eq(mod(sub(i(0), y), i(3)), i(0)));
  }

  @Test
  void refusesWhatIsNotLinearOrNotInt32() {
    assertTrue(Solver.solve(eq(mul(x, x), i(4)), "x").isEmpty());
    assertTrue(Solver.solve(eq(add(y, i(1)), i(3)), "x").isEmpty());
    assertTrue(Solver.solve(eq(x, add(x, i(1))), "x").isEmpty());
    assertTrue(Solver.solve(eq(min(x, i(3)), i(2)), "x").isEmpty());
    assertTrue(Solver.solve(eq(v("x", Type.F32), f32(1)), "x").isEmpty());
    assertTrue(Solver.solve(eq(v("x", Type.U8), c(Type.U8, 1)), "x").isEmpty());
  }

  // ------------------------------------------------------------------ intervals

  private static void outer(Interval expected, Expr cond) {
    assertEquals(simplified(expected), Solver.solveForOuterInterval(cond, "x"), () -> "outer interval of " + cond);
  }

  private static void inner(Interval expected, Expr cond) {
    assertEquals(simplified(expected), Solver.solveForInnerInterval(cond, "x"), () -> "inner interval of " + cond);
  }

  private static Interval simplified(Interval i) {
    return new Interval(i.min() == null ? null : s(i.min()), i.max() == null ? null : s(i.max()));
  }

  @Test
  void outerIntervalsOfComparisons() {
    outer(Interval.atMost(i(9)), lt(x, i(10)));
    outer(Interval.atLeast(y), ge(x, y));
    outer(Interval.atMost(i(3)), lt(mul(i(2), x), i(7)));
    outer(Interval.atLeast(i(3)), gt(mul(i(3), x), i(7)));
    outer(Interval.atLeast(i(-2)), le(mul(i(-2), x), i(5)));
    outer(Interval.atMost(sub(i(9), y)), lt(add(x, y), i(10)));
    outer(Interval.atLeast(i(10)), new Not(lt(x, i(10))));
  }

  @Test
  void outerIntervalsOfEqualities() {
    outer(Interval.ofConst(Type.I32, 5, 5), eq(x, i(5)));
    Interval none = Solver.solveForOuterInterval(eq(mul(i(2), x), i(5)), "x");
    assertEquals(Interval.ofConst(Type.I32, 3, 2), none);
    assertTrue(none.isEmpty(), "2x == 5 has no integer solution");
    outer(Interval.EVERYTHING, ne(x, i(5)));
  }

  @Test
  void outerIntervalsOfLogic() {
    outer(Interval.of(y, i(9)), and(lt(x, i(10)), ge(x, y)));
    outer(Interval.EVERYTHING, or(lt(x, i(0)), gt(x, i(10))));
    outer(Interval.ofConst(Type.I32, 0, 20), or(and(ge(x, i(0)), le(x, i(5))), and(ge(x, i(15)), le(x, i(20)))));
    // min(x, y) < 5 may hold through y alone; max(x, 3) < 5 needs x < 5
    outer(Interval.EVERYTHING, lt(min(x, y), i(5)));
    outer(Interval.atMost(i(4)), lt(max(x, i(3)), i(5)));
    // clamp(x, -5, 100) < 10 splits into x < 10 (or -5 < 10, which does not mention x) and 100 < 10 (false)
    outer(Interval.ofConst(Type.I32, 0, 9), and(lt(clamp(x, -5, 100), i(10)), ge(x, i(0))));
    // !(x < 0 || x > 10)
    outer(Interval.ofConst(Type.I32, 0, 10), new Not(or(lt(x, i(0)), gt(x, i(10)))));
  }

  @Test
  void conditionsWithoutTheVariableOrNotSolvable() {
    outer(Interval.EVERYTHING, lt(y, i(3)));
    assertTrue(Solver.solveForOuterInterval(lt(i(3), i(2)), "x").isEmpty());
    assertTrue(Solver.solveForOuterInterval(and(lt(y, y), lt(x, i(3))), "x").isEmpty());
    outer(Interval.EVERYTHING, lt(mul(x, x), i(4)));
    outer(Interval.EVERYTHING, lt(v("x", Type.F32), f32(1)));
    inner(Interval.nothing(Type.I32), lt(mul(x, x), i(4)));
  }

  @Test
  void innerIntervals() {
    inner(Interval.ofConst(Type.I32, 1, 9), and(gt(x, i(0)), lt(x, i(10))));
    inner(Interval.atMost(i(9)), lt(x, i(10)));
    inner(Interval.EVERYTHING, or(lt(x, i(5)), ge(x, i(5))));
    // the true set (-inf, 4] + [8, inf) is not an interval: one part of it is an inner interval
    inner(Interval.atMost(i(4)), or(lt(x, i(5)), gt(x, i(7))));
    inner(Interval.nothing(Type.I32), ne(x, i(5)));
    inner(Interval.EVERYTHING, lt(y, add(y, i(1))));
    inner(Interval.nothing(Type.I32), lt(y, i(1)));
  }

  // ------------------------------------------------------------------ inversion

  private static void inverts(Expr arg, Expr min, int extent, Expr predicate) {
    Inversion got = Solver.invert(arg, "x", "u");
    assertEquals(new Inversion.Inverse(s(min), extent, s(predicate)), got, () -> "inverse of u == " + arg);
  }

  private static String notInvertible(Expr arg) {
    Inversion got = Solver.invert(arg, "x", "u");
    assertInstanceOf(Inversion.NotInvertible.class, got, () -> "u == " + arg + " inverted to " + got);
    assertTrue(got.inverse().isEmpty());
    return ((Inversion.NotInvertible) got).reason();
  }

  @Test
  void exactInverses() {
    inverts(sub(x, rx), add(u, rx), 1, TRUE);
    inverts(add(x, y), sub(u, y), 1, TRUE);
    inverts(add(new Sub(i(0), x), i(5)), sub(i(5), u), 1, TRUE);
    inverts(add(mul(i(2), x), i(1)), div(sub(u, i(1)), i(2)), 1, eq(mod(sub(u, i(1)), i(2)), i(0)));
    inverts(sub(mul(i(3), x), i(2)), div(add(u, i(2)), i(3)), 1, eq(mod(add(u, i(2)), i(3)), i(0)));
    inverts(add(mul(i(4), x), n), div(sub(u, n), i(4)), 1, eq(mod(sub(u, n), i(4)), i(0)));
    // u == -2x + 1: x == (1 - u) / 2 when 2 divides 1 - u
    inverts(add(mul(i(-2), x), i(1)), div(sub(i(1), u), i(2)), 1, eq(mod(sub(i(1), u), i(2)), i(0)));
    assertTrue(((Inversion.Inverse) Solver.invert(sub(x, rx), "x", "u")).isExact());
  }

  @Test
  void divisionsHavePreimagesOfConstantExtent() {
    inverts(div(x, i(4)), mul(u, i(4)), 4, TRUE);
    inverts(div(div(x, i(2)), i(3)), mul(u, i(6)), 6, TRUE);
    inverts(div(add(x, i(3)), i(4)), sub(mul(u, i(4)), i(3)), 4, TRUE);
    // x / -4 == -(x / 4): x / 4 == -u
    inverts(div(x, i(-4)), mul(u, i(-4)), 4, TRUE);
    // -x / 4 == u: -x in [4u, 4u + 3], so x in [-4u - 3, -4u]
    inverts(div(new Sub(i(0), x), i(4)), sub(mul(u, i(-4)), i(3)), 4, TRUE);
    // (x - 1) / 2 + 3 == u: x - 1 in [2(u - 3), 2(u - 3) + 1]
    inverts(add(div(sub(x, i(1)), i(2)), i(3)), sub(mul(u, i(2)), i(5)), 2, TRUE);
    // 2 * (x / 3) == u: x / 3 == u / 2 when u is even
    inverts(mul(i(2), div(x, i(3))), mul(div(u, i(2)), i(3)), 3, eq(mod(u, i(2)), i(0)));
    // (2x) / 4 == u: 2x in [4u, 4u + 3] holds exactly two even values, x in [2u, 2u + 1]
    inverts(div(mul(i(2), x), i(4)), mul(u, i(2)), 2, TRUE);
    // (3x) / 2 == u: 3x in [2u, 2u + 1] holds a multiple of 3 when (2u + 1) % 3 < 2
    inverts(div(mul(i(3), x), i(2)), div(add(mul(u, i(2)), i(1)), i(3)), 1, lt(mod(add(mul(u, i(2)), i(1)), i(3)), i(2)));
    // x / 4 + y
    inverts(add(div(x, i(4)), y), mul(sub(u, y), i(4)), 4, TRUE);
  }

  @Test
  void nonInvertibleIndicesSayWhy() {
    assertTrue(notInvertible(clamp(x, 0, 9)).contains("no finite inverse: clamp maps many points to its bounds"));
    assertTrue(notInvertible(min(x, i(5))).contains("min/max"));
    assertTrue(notInvertible(mul(x, x)).contains("multiplied by a non-constant"));
    assertTrue(notInvertible(mul(x, y)).contains("multiplied by a non-constant"));
    assertTrue(notInvertible(mod(x, i(8))).contains("periodic"));
    assertTrue(notInvertible(new Call(Type.I32, "f", List.of(x), CallKind.FUNC)).contains("data-dependent"));
    assertTrue(notInvertible(div(x, y)).contains("divided by a non-constant"));
    assertTrue(notInvertible(add(x, mul(x, y))).contains("2 terms"));
    assertTrue(notInvertible(new Select(lt(y, i(0)), x, i(0))).contains("Select"));
    // 2x in [3u, 3u + 2] holds one or two even values
    assertTrue(notInvertible(div(mul(i(2), x), i(3))).contains("no constant extent"));
    assertTrue(notInvertible(add(y, i(1))).contains("does not depend on x"));
    assertTrue(notInvertible(v("x", Type.U8)).contains("only int32"));
    // the clamp is found inside an offset and a division too
    assertTrue(notInvertible(div(add(clamp(x, 0, 9), i(1)), i(2))).contains("clamp"));
    assertThrows(IllegalArgumentException.class, () -> Solver.invert(add(x, u), "x", "u"));
  }
}
