package dev.halogen.passes.analysis;

import static dev.halogen.passes.analysis.Ir.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.halogen.ir.Expr;
import dev.halogen.ir.Expr.*;
import dev.halogen.ir.Type;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hand-written cases of {@link Bounds#boundsOf}: each expected interval is worked out by hand. */
class BoundsTest {
  private static final Var n = Var.of("n");
  private static final Var u = new Var(Type.U8, "u"), w = new Var(Type.U8, "w");
  private static final Var s8 = new Var(Type.I8, "s8");
  private static final Var f = new Var(Type.F32, "f");
  private static final IntervalScope NONE = IntervalScope.empty();

  private static Interval ci(long lo, long hi) {
    return Interval.ofConst(Type.I32, lo, hi);
  }

  private static Interval ct(Type t, long lo, long hi) {
    return Interval.ofConst(t, lo, hi);
  }

  private static Interval fi(double lo, double hi) {
    return Interval.of(f32(lo), f32(hi));
  }

  private static IntervalScope scope(String name, long lo, long hi) {
    return NONE.with(name, lo, hi);
  }

  private static IntervalScope scope(Var v, Interval i) {
    return NONE.with(v.name(), i);
  }

  /** Checks the bounds; symbolic expected ends are compared in simplified form. */
  private static void check(Interval expected, Expr e, IntervalScope s) {
    Interval got = Bounds.boundsOf(e, s);
    Interval want = new Interval(expected.min() == null ? null : Simplifier.simplify(expected.min()),
        expected.max() == null ? null : Simplifier.simplify(expected.max()));
    assertEquals(want, got, () -> "bounds of " + e + " in " + s);
  }

  private static Expr clamp(Expr e, Expr lo, Expr hi) {
    return max(min(e, hi), lo);
  }

  private static Expr call(String name, Type t, CallKind kind, Expr... args) {
    return new Call(t, name, List.of(args), kind);
  }

  private static final Expr TRUE = c(Type.BOOL, 1), FALSE = c(Type.BOOL, 0);
  private static final Interval YES = Interval.point(TRUE), NO = Interval.point(FALSE), MAYBE = ct(Type.BOOL, 0, 1);

  // ------------------------------------------------------------------ arithmetic

  @Test
  void additionAndSubtraction() {
    check(ci(1, 100), add(x, i(1)), scope("x", 0, 99));
    check(ci(-5, 8), sub(x, y), scope("x", 0, 10).with("y", 2, 5));
    check(ci(-1, 100), add(x, i(-1)), scope("x", 0, 101));
  }

  @Test
  void symbolicEnds() {
    // y is fixed (not in the scope), n is the symbolic end of x's interval.
    check(Interval.of(y, add(n, y)), add(x, y), NONE.with("x", i(0), n));
    check(Interval.point(add(y, i(3))), add(y, i(3)), NONE);
  }

  @Test
  void aFloatDivisionOfSingleValuesIsThatSingleValue() {
    // 1 / f for a parameter f of unknown sign: no interval rule bounds it, but it is one value.
    Expr quotient = new Div(f32(1), f);
    check(Interval.point(quotient), quotient, NONE);
    // A constant divisor may stand for a range of zeros ([-0.0, 0.0] for 0.0 * x): no single value.
    assertFalse(Bounds.boundsOf(new Div(f32(1), new Mul(f, f32(0))), NONE.with("f", fi(-1, 1))).isPoint());
  }

  @Test
  void multiplicationByConstantsOfEachSign() {
    check(ci(-6, 15), mul(x, i(3)), scope("x", -2, 5));
    check(ci(-15, 6), mul(x, i(-3)), scope("x", -2, 5));
    check(ci(0, 0), mul(x, i(0)), NONE.with("x", Interval.EVERYTHING));
    check(Interval.atMost(i(-6)), mul(i(-3), x), NONE.with("x", Interval.atLeast(i(2))));
  }

  @Test
  void multiplicationOfRanges() {
    // corners: (-2)(-5) = 10, (-2)4 = -8, 3(-5) = -15, 3*4 = 12
    check(ci(-15, 12), mul(x, y), scope("x", -2, 3).with("y", -5, 4));
    check(Interval.atLeast(i(2)), mul(x, y), NONE.with("x", Interval.atLeast(i(1))).with("y", 2, 3));
    check(Interval.EVERYTHING, mul(x, y), NONE.with("x", Interval.atLeast(i(-1))).with("y", 2, 3));
  }

  @Test
  void multiplicationBySymbolOfUnknownSign() {
    // n may be negative: the corners x = 2 and x = 5 decide.
    check(Interval.of(min(mul(n, i(2)), mul(n, i(5))), max(mul(n, i(2)), mul(n, i(5)))), mul(x, n), scope("x", 2, 5));
  }

  @Test
  void divisionByConstants() {
    // floor division: -9 / 4 == -3, 9 / 4 == 2
    check(ci(-3, 2), div(x, i(4)), scope("x", -9, 9));
    // a / -4 == -(a / 4): 9 / -4 == -2 and -9 / -4 == 3
    check(ci(-2, 3), div(x, i(-4)), scope("x", -9, 9));
    check(ci(0, 0), div(x, i(0)), NONE.with("x", Interval.EVERYTHING));
    check(Interval.atLeast(i(0)), div(x, i(4)), NONE.with("x", Interval.atLeast(i(0))));
    check(Interval.atMost(i(0)), div(x, i(-4)), NONE.with("x", Interval.atLeast(i(0))));
  }

  @Test
  void divisionByASymbolOfUnknownSign() {
    // n is fixed: x / n is monotone in x whatever n's sign (and 0 for n == 0), so x's ends decide.
    check(Interval.of(min(div(i(0), n), div(i(20), n)), max(div(i(0), n), div(i(20), n))), div(x, n), scope("x", 0, 20));
    check(Interval.of(min(div(i(-3), n), div(i(20), n)), max(div(i(-3), n), div(i(20), n))), div(x, n), scope("x", -3, 20));
  }

  @Test
  void divisionByRanges() {
    check(ci(2, 10), div(x, y), scope("x", 10, 20).with("y", 2, 5));
    check(ci(-10, -2), div(x, y), scope("x", -20, -10).with("y", 2, 5));
    // a divisor in [-5, -2]: x / y == -(x / -y)
    check(ci(-10, -2), div(x, y), scope("x", 10, 20).with("y", -5, -2));
    // the divisor may be 0 or of either sign: |x / y| <= |x|
    check(ci(-7, 7), div(x, y), scope("x", -7, 5).with("y", -3, 3));
    // a divisor that may be 0 but is never negative: 0, or the quotient by [1, 4096] (found by the
    // fuzz test: the simplifier dropped max(x / y, 0) as redundant, and the bounds of x / y alone
    // reached -4096, failing an image check of a valid program)
    check(ci(0, 4096), div(x, y), scope("x", 5, 4096).with("y", 0, 4096));
    check(ci(-10, 0), div(x, y), scope("x", -10, -3).with("y", 0, 4));
    check(ci(-10, 20), div(x, y), scope("x", -10, 20).with("y", Interval.atLeast(i(0))));
    // an unbounded positive divisor takes the quotient to 0 or -1
    check(ci(-10, 10), div(x, y), scope("x", -10, 10).with("y", Interval.atLeast(i(1))));
    check(ci(-10, -1), div(x, y), scope("x", -10, -3).with("y", Interval.atLeast(i(1))));
  }

  @Test
  void remainders() {
    check(ci(0, 7), mod(x, i(8)), NONE.with("x", Interval.EVERYTHING));
    check(ci(0, 7), mod(x, i(-8)), NONE.with("x", Interval.EVERYTHING));
    check(ci(0, 5), mod(x, i(8)), scope("x", 0, 5));
    check(ci(1, 4), mod(x, i(8)), scope("x", 17, 20));
    check(ci(0, 7), mod(x, i(8)), scope("x", 6, 9));
    check(ci(0, 0), mod(x, i(0)), scope("x", 6, 9));
    check(ci(0, 9), mod(x, y), NONE.with("x", Interval.EVERYTHING).with("y", 1, 10));
    check(ci(0, 5), mod(x, y), scope("x", 0, 5).with("y", 1, 100));
    // a divisor of either sign: |y| - 1 <= 6
    check(ci(0, 6), mod(x, y), NONE.with("x", Interval.EVERYTHING).with("y", -7, 3));
    check(Interval.of(i(0), sub(n, i(1))), mod(x, v("d")), NONE.with("x", Interval.EVERYTHING).with("d", i(1), n));
  }

  @Test
  void int32EndsSaturate() {
    check(ci(1, Integer.MAX_VALUE), add(x, i(1)), scope("x", 0, Integer.MAX_VALUE));
    check(ci(Integer.MIN_VALUE, 0), mul(x, i(4)), scope("x", Integer.MIN_VALUE / 2, 0));
  }

  // ------------------------------------------------------------------ min, max, clamp, select, let

  @Test
  void minAndMaxWithPartlyUnboundedOperands() {
    check(Interval.atMost(i(10)), min(x, i(10)), NONE.with("x", Interval.EVERYTHING));
    check(Interval.atLeast(i(0)), max(x, i(0)), NONE.with("x", Interval.EVERYTHING));
    IntervalScope s = NONE.with("x", Interval.atLeast(i(0))).with("y", Interval.atMost(i(5)));
    check(Interval.atMost(i(5)), min(x, y), s);
    check(Interval.atLeast(i(0)), max(x, y), s);
    check(ci(3, 5), min(x, y), scope("x", 3, 8).with("y", 4, 5));
  }

  @Test
  void clampGivesFiniteBounds() {
    check(ci(0, 9), clamp(x, i(0), i(9)), NONE.with("x", Interval.EVERYTHING));
    check(ci(2, 9), clamp(x, i(0), i(9)), scope("x", 2, 50));
    check(Interval.of(i(0), max(sub(n, i(1)), i(0))), clamp(x, i(0), sub(n, i(1))), NONE.with("x", Interval.EVERYTHING));
  }

  @Test
  void selectUnitesItsBranchesNarrowedByTheCondition() {
    check(ci(1, 5), new Select(v("c", Type.BOOL), i(1), i(5)), NONE);
    // x < 10 holds in the true branch only for x in [0, 9]
    check(ci(0, 10), new Select(lt(x, i(10)), x, i(10)), scope("x", 0, 99));
    check(ci(10, 99), new Select(lt(x, i(10)), i(10), x), scope("x", 0, 99));
    // a decided condition picks one branch
    check(ci(0, 99), new Select(le(x, i(99)), x, i(-1000)), scope("x", 0, 99));
  }

  @Test
  void letsBindTheirValuesBounds() {
    check(ci(1, 21), let("t", mul(x, i(2)), add(v("t"), i(1))), scope("x", 0, 10));
    // the let shadows the scope's x
    check(ci(5, 5), let("x", i(5), x), scope("x", 0, 10));
    check(Interval.of(add(y, i(1)), add(y, i(3))), let("t", add(y, x), v("t")), scope("x", 1, 3));
  }

  // ------------------------------------------------------------------ wrapping types and casts

  @Test
  void uint8ArithmeticThatMayWrapHasTheFullRange() {
    check(ct(Type.U8, 0, 200), add(u, w), scope(u, ct(Type.U8, 0, 100)).with("w", ct(Type.U8, 0, 100)));
    check(ct(Type.U8, 0, 255), add(u, c(Type.U8, 10)), scope(u, ct(Type.U8, 200, 250)));
    check(ct(Type.U8, 5, 15), sub(u, c(Type.U8, 5)), scope(u, ct(Type.U8, 10, 20)));
    check(ct(Type.U8, 0, 255), sub(u, c(Type.U8, 5)), scope(u, ct(Type.U8, 0, 20)));
    // single values wrap exactly: 250 + 10 == 4
    check(ct(Type.U8, 4, 4), add(c(Type.U8, 250), c(Type.U8, 10)), NONE);
    // a fixed uint8 variable: u + 1 is the exact (wrapping) single value
    check(Interval.point(add(u, c(Type.U8, 1))), add(u, c(Type.U8, 1)), NONE);
    // symbolic ends of a wrapping type cannot be trusted
    check(ct(Type.U8, 0, 255), add(u, c(Type.U8, 1)), scope(u, Interval.of(c(Type.U8, 0), w)));
  }

  @Test
  void narrowSignedTypesWrapToo() {
    check(ct(Type.I8, -128, 127), mul(s8, c(Type.I8, 20)), scope(s8, ct(Type.I8, -10, 10)));
    check(ct(Type.I8, -100, 100), mul(s8, c(Type.I8, 10)), scope(s8, ct(Type.I8, -10, 10)));
    check(ct(Type.I16, -200, 200), mul(v("h", Type.I16), c(Type.I16, 2)), NONE.with("h", ct(Type.I16, -100, 100)));
    // -128 / -1 wraps to -128 in int8
    check(ct(Type.I8, -128, 127), div(s8, c(Type.I8, -1)), scope(s8, ct(Type.I8, -128, 0)));
    check(ct(Type.I8, 0, 64), div(s8, c(Type.I8, -2)), scope(s8, ct(Type.I8, -128, 0)));
    check(ct(Type.U8, 0, 63), div(u, c(Type.U8, 4)), NONE.with("u", Interval.EVERYTHING));
  }

  @Test
  void castsToUint8() {
    check(ct(Type.U8, 0, 255), new Cast(Type.U8, x), scope("x", 0, 300));
    check(ct(Type.U8, 10, 20), new Cast(Type.U8, x), scope("x", 10, 20));
    check(ct(Type.U8, 0, 255), new Cast(Type.U8, x), scope("x", -1, 20));
    // float to integer truncates and saturates
    check(ct(Type.U8, 0, 255), new Cast(Type.U8, f), NONE.with("f", Interval.EVERYTHING));
    check(ct(Type.U8, 0, 3), new Cast(Type.U8, f), NONE.with("f", fi(-2.5, 3.9)));
  }

  @Test
  void otherCasts() {
    // an unconstrained uint8 widens to [0, 255]
    check(ci(0, 255), new Cast(Type.I32, u), NONE.with("u", Interval.EVERYTHING));
    check(ct(Type.I16, 0, 100), new Cast(Type.I16, x), scope("x", 0, 100));
    check(ci(-2, 3), new Cast(Type.I32, f), NONE.with("f", fi(-2.7, 3.9)));
    check(fi(0, 10), new Cast(Type.F32, x), scope("x", 0, 10));
    check(YES, new Cast(Type.BOOL, x), scope("x", 1, 10));
    check(MAYBE, new Cast(Type.BOOL, x), scope("x", 0, 10));
    check(ci(0, 1), new Cast(Type.I32, v("c", Type.BOOL)), NONE.with("c", Interval.EVERYTHING));
    // int32 to uint32 changes sign: only provably non-negative bounds survive
    check(ct(Type.U32, 3, 7), new Cast(Type.U32, x), scope("x", 3, 7));
    check(ct(Type.U32, 0, 4294967295L), new Cast(Type.U32, x), scope("x", -3, 7));
  }

  // ------------------------------------------------------------------ comparisons and logic

  @Test
  void comparisons() {
    check(YES, lt(x, i(10)), scope("x", 0, 5));
    check(NO, lt(x, i(10)), scope("x", 10, 20));
    check(MAYBE, lt(x, i(10)), scope("x", 5, 15));
    check(NO, eq(x, i(5)), scope("x", 6, 9));
    check(MAYBE, eq(x, i(7)), scope("x", 6, 9));
    check(YES, new NE(x, i(5)), scope("x", 6, 9));
    check(YES, new GE(x, y), scope("x", 6, 9).with("y", 0, 6));
    check(MAYBE, new GT(x, y), scope("x", 6, 9).with("y", 0, 6));
  }

  @Test
  void logic() {
    IntervalScope s = scope("x", 0, 5).with("y", 0, 20);
    check(MAYBE, new And(lt(x, i(10)), lt(y, i(10))), s);
    check(YES, new Or(lt(x, i(10)), lt(y, i(10))), s);
    check(NO, new Not(lt(x, i(10))), s);
    check(NO, new And(lt(x, i(0)), lt(y, i(10))), s);
  }

  // ------------------------------------------------------------------ calls, vectors, loads

  @Test
  void funcAndImageCalls() {
    Expr g = call("g", Type.I32, CallKind.FUNC, x);
    check(Interval.EVERYTHING, g, scope("x", 0, 9));
    check(ct(Type.U8, 0, 255), call("in", Type.U8, CallKind.IMAGE, x), scope("x", 0, 9));
    check(ct(Type.I16, -32768, 32767), call("h", Type.I16, CallKind.FUNC, x), scope("x", 0, 9));
    FuncValueBounds vb = FuncValueBounds.empty().with("g", ci(-3, 3));
    assertEquals(ci(-2, 4), Bounds.boundsOf(add(g, i(1)), scope("x", 0, 9), vb));
    // fixed arguments give the call's single value
    check(Interval.point(g), g, NONE);
  }

  @Test
  void mathFunctions() {
    IntervalScope any = NONE.with("f", Interval.EVERYTHING);
    check(fi(-1, 1), call("sin", Type.F32, CallKind.MATH, f), any);
    check(fi(-1, 1), call("cos", Type.F32, CallKind.MATH, f), any);
    check(Interval.atLeast(f32(0)), call("exp", Type.F32, CallKind.MATH, f), any);
    check(Interval.atLeast(f32(0)), call("sqrt", Type.F32, CallKind.MATH, f), any);
    check(Interval.EVERYTHING, call("tan", Type.F32, CallKind.MATH, f), any);
    // monotone functions at constant ends, computed as the evaluator does (double, rounded once)
    check(fi(-2, 2), call("floor", Type.F32, CallKind.MATH, f), NONE.with("f", fi(-1.5, 2.5)));
    check(fi(-1, 3), call("ceil", Type.F32, CallKind.MATH, f), NONE.with("f", fi(-1.5, 2.5)));
    check(fi(1, (float) Math.E), call("exp", Type.F32, CallKind.MATH, f), NONE.with("f", fi(0, 1)));
    check(fi(0, 3), call("sqrt", Type.F32, CallKind.MATH, f), NONE.with("f", fi(-4, 9)));
    // acos decreases: [acos(0.5), acos(-1)]
    check(Interval.of(f32(Math.acos(0.5)), f32(Math.PI)), call("acos", Type.F32, CallKind.MATH, f), NONE.with("f", fi(-1, 0.5)));
  }

  @Test
  void intrinsics() {
    check(ct(Type.U32, 0, 5), call("abs", Type.U32, CallKind.INTRINSIC, x), scope("x", -5, 3));
    check(ct(Type.U32, 2, 5), call("abs", Type.U32, CallKind.INTRINSIC, x), scope("x", -5, -2));
    check(ct(Type.U8, 3, 127), call("abs", Type.U8, CallKind.INTRINSIC, s8), scope(s8, ct(Type.I8, -127, -3)));
    // |-128| is 128, a uint8 value
    check(ct(Type.U8, 0, 128), call("abs", Type.U8, CallKind.INTRINSIC, s8), scope(s8, ct(Type.I8, -128, 0)));
    check(ci(0, 9), likely(clamp(x, i(0), i(9))), NONE.with("x", Interval.EVERYTHING));
    // float lerp: zero*(1-w) in [-1, 2] and one*w in [0, 4] (each between 0 and its value), rounded sum in [-1, 6]
    Expr g = v("g", Type.F32), t = v("t", Type.F32);
    check(fi(-1, 6), call("lerp", Type.F32, CallKind.INTRINSIC, f, g, t), NONE.with("f", fi(-1, 2)).with("g", fi(3, 4)).with("t", fi(0, 1)));
    check(Interval.EVERYTHING, call("lerp", Type.F32, CallKind.INTRINSIC, f, g, t), NONE.with("f", fi(-1, 2)).with("g", fi(3, 4)));
    // integer lerp saturates any weight to a fraction: the result lies between the two values
    check(ct(Type.U8, 10, 40), call("lerp", Type.U8, CallKind.INTRINSIC, u, w, t),
        scope(u, ct(Type.U8, 10, 20)).with("w", ct(Type.U8, 30, 40)).with("t", Interval.EVERYTHING));
  }

  @Test
  void int32MinimumIsHandledWhereItIsDefined() {
    // |MIN| is 2^31 in uint32, not a saturated 2^31 - 1
    check(ct(Type.U32, 5, 2147483648L), call("abs", Type.U32, CallKind.INTRINSIC, x), scope("x", Integer.MIN_VALUE, -5));
    // symbolic: x in [n, -5] has magnitudes [5, |n|], |n| computed in uint32 so that n = MIN is right
    check(Interval.of(c(Type.U32, 5), new Sub(c(Type.U32, 0), new Cast(Type.U32, n))), call("abs", Type.U32, CallKind.INTRINSIC, x),
        NONE.with("x", Interval.of(n, i(-5))));
    // MAX / MIN is 0 (Euclidean: the remainder is MAX), so a divisor reaching MIN adds 0 and 1
    check(ci(-2147483647, 0), div(i(Integer.MAX_VALUE), x), scope("x", Integer.MIN_VALUE, -1));
    check(ci(0, 1), div(x, i(Integer.MIN_VALUE)), scope("x", -3, 3));
  }

  @Test
  void floats() {
    check(fi(1.5f, 2.5f), add(f, f32(1)), NONE.with("f", fi(0.5, 1.5)));
    check(fi(-3, -1), mul(f, f32(-2)), NONE.with("f", fi(0.5, 1.5)));
    check(fi(0.25, 0.75), div(f, f32(2)), NONE.with("f", fi(0.5, 1.5)));
    check(Interval.EVERYTHING, div(f32(1), f), NONE.with("f", fi(-1, 1)));
    check(fi(0.25, 3), div(f, v("g", Type.F32)), NONE.with("f", fi(0.5, 1.5)).with("g", fi(0.5, 2)));
    check(Interval.EVERYTHING, mod(f, f32(2)), NONE.with("f", fi(0.5, 1.5)));
  }

  @Test
  void nanTurnsBackIntoNumbersThroughMinMaxComparisonsAndCasts() {
    // a Func value may be NaN; max(NaN, 1) is 1 and min(NaN, 1) is 1 (SEMANTICS.md: a > b ? a : b)
    Expr g = call("g", Type.F32, CallKind.FUNC, x);
    FuncValueBounds vb = FuncValueBounds.empty().with("g", fi(2, 5));
    IntervalScope s = scope("x", 0, 9);
    assertEquals(fi(1, 5), Bounds.boundsOf(max(g, f32(1)), s, vb));
    assertEquals(fi(2, 5), Bounds.boundsOf(max(f32(1), g), s, vb), "a NaN second operand gives NaN, outside the algebra");
    assertEquals(fi(2, 10), Bounds.boundsOf(min(g, f32(10)), s, vb));
    assertEquals(fi(2, 5), Bounds.boundsOf(max(f, f32(1)), NONE.with("f", fi(2, 5))), "a scope variable is never NaN");
    // a NaN comparison is false; a NaN converts to 0
    assertEquals(MAYBE, Bounds.boundsOf(lt(g, f32(10)), s, vb));
    assertEquals(YES, Bounds.boundsOf(lt(f, f32(10)), NONE.with("f", fi(2, 5))));
    assertEquals(ci(0, 5), Bounds.boundsOf(new Cast(Type.I32, g), s, vb));
    // 0 * NaN is NaN, which converts to true
    assertEquals(NO, Bounds.boundsOf(new Cast(Type.BOOL, mul(f32(0), f)), NONE.with("f", fi(2, 5))));
    assertEquals(MAYBE, Bounds.boundsOf(new Cast(Type.BOOL, mul(f32(0), g)), s, vb));
    assertEquals(ci(2, 5), Bounds.boundsOf(new Cast(Type.I32, f), NONE.with("f", fi(2.5, 5))));
    // 0 * inf is NaN: f * h with f in [0, 1] and h unbounded may be NaN, so max(f * h, -5) may be -5
    Expr h = v("h", Type.F32);
    assertEquals(Interval.atLeast(f32(-5)), Bounds.boundsOf(max(mul(f, h), f32(-5)), NONE.with("f", fi(0, 1)).with("h", Interval.atLeast(f32(10)))));
    assertEquals(Interval.atLeast(f32(5)), Bounds.boundsOf(max(mul(f, h), f32(-5)), NONE.with("f", fi(0.5, 1)).with("h", Interval.atLeast(f32(10)))));
  }

  @Test
  void vectors() {
    check(ci(0, 16), new Ramp(x, i(2), 4), scope("x", 0, 10));
    check(ci(0, 10), new Broadcast(x, 4), scope("x", 0, 10));
    // the four lanes x .. x + 3 sum to at most 4 * 13
    check(ci(0, 52), new VectorReduce(VectorReduce.Op.ADD, new Ramp(x, i(1), 4), 1), scope("x", 0, 10));
    check(ci(0, 13), new VectorReduce(VectorReduce.Op.MAX, new Ramp(x, i(1), 4), 1), scope("x", 0, 10));
    check(ct(Type.U8, 0, 255), new Load(Type.U8, "buf", x, TRUE), scope("x", 0, 10));
  }

  @Test
  void hugeSymbolicEndsAreDropped() {
    // a product chain of symbolic intervals of unknown sign: each level multiplies the corners, and
    // ends beyond the size limit become unbounded rather than growing exponentially
    Expr e = x;
    IntervalScope s = NONE;
    for (int k = 0; k < 12; k++) {
      String name = "p" + k;
      s = s.with(name, Interval.of(sub(v("a" + k), i(1)), add(v("a" + k), i(1))));
      e = mul(e, v(name));
    }
    Interval b = Bounds.boundsOf(e, s.with("x", Interval.of(n, add(n, i(1)))));
    assertTrue(b.min() == null || !Ends.larger(b.min(), Bounds.Run.MAX_END_SIZE), () -> "min too large: " + b);
    assertTrue(b.max() == null || !Ends.larger(b.max(), Bounds.Run.MAX_END_SIZE), () -> "max too large: " + b);
  }

  @Test
  void scopeRejectsIntervalsOfTheWrongType() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Bounds.boundsOf(u, scope("u", 0, 3)));
    assertTrue(e.getMessage().contains("'u'"), e.getMessage());
  }

  // ------------------------------------------------------------------ the Interval type itself

  @Test
  void intervalAlgebra() {
    assertEquals(ci(0, 9), ci(0, 3).union(ci(5, 9)));
    assertEquals(ci(5, 3), ci(0, 3).intersect(ci(5, 9)));
    assertTrue(ci(0, 3).intersect(ci(5, 9)).isEmpty());
    assertEquals(ci(5, 9), Interval.nothing(Type.I32).union(ci(5, 9)));
    assertEquals(Interval.atLeast(i(0)), Interval.atLeast(i(0)).union(ci(3, 4)));
    assertEquals(ci(3, 4), Interval.EVERYTHING.intersect(ci(3, 4)));
    assertTrue(Interval.point(x).isPoint());
    assertFalse(ci(0, 1).isPoint());
    assertEquals("[-inf, +inf]", Interval.EVERYTHING.toString());
    assertEquals(ct(Type.U8, 0, 255), Interval.ofType(Type.U8));
    assertEquals(Interval.EVERYTHING, Interval.ofType(Type.I32));
    assertThrows(IllegalArgumentException.class, () -> Interval.ofConst(Type.U8, -1, 3));
    assertThrows(IllegalArgumentException.class, () -> Interval.of(i(0), c(Type.U8, 1)));
  }
}
