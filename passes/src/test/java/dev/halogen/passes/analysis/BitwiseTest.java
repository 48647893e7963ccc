package dev.halogen.passes.analysis;

import static dev.halogen.passes.analysis.Ir.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.halogen.ir.Expr;
import dev.halogen.ir.Expr.Broadcast;
import dev.halogen.ir.Expr.Call;
import dev.halogen.ir.Expr.CallKind;
import dev.halogen.ir.Expr.Ramp;
import dev.halogen.ir.Expr.Var;
import dev.halogen.ir.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The bitwise intrinsics: evaluated against hand-computed values, their bounds and their constant folding. */
class BitwiseTest {
  private static Call op(String name, Expr... args) {
    return new Call(args[0].type(), name, List.of(args), CallKind.INTRINSIC);
  }

  private static Arguments row(String name, Expr e, Value expected) {
    return Arguments.of(name, e, expected);
  }

  static Stream<Arguments> values() {
    List<Arguments> t = new ArrayList<>();
    // ---- and, or, xor, not in the type's width
    t.add(row("int8 -1 & 15", op("bitwise_and", i8(-1), i8(0x0F)), iv(Type.I8, 15)));
    t.add(row("int8 -128 & -1", op("bitwise_and", i8(-128), i8(-1)), iv(Type.I8, -128)));
    t.add(row("int8 64 | -128", op("bitwise_or", i8(0x40), i8(-128)), iv(Type.I8, -64)));
    t.add(row("int8 -1 ^ 15", op("bitwise_xor", i8(-1), i8(0x0F)), iv(Type.I8, -16)));
    t.add(row("~int8 0", op("bitwise_not", i8(0)), iv(Type.I8, -1)));
    t.add(row("~int8 -128", op("bitwise_not", i8(-128)), iv(Type.I8, 127)));
    t.add(row("~uint8 0", op("bitwise_not", u8(0)), iv(Type.U8, 255)));
    t.add(row("~uint32 0", op("bitwise_not", u32(0)), iv(Type.U32, 4294967295L)));
    t.add(row("~uint64 0", op("bitwise_not", u64(0)), iv(Type.U64, -1L)));
    t.add(row("uint32 0xF0F0F0F0 & 0xFF00FF00", op("bitwise_and", u32(0xF0F0F0F0L), u32(0xFF00FF00L)), iv(Type.U32, 0xF000F000L)));
    t.add(row("uint32 0xFFFFFFFF ^ 0x12345678", op("bitwise_xor", u32(0xFFFFFFFFL), u32(0x12345678L)), iv(Type.U32, 0xEDCBA987L)));
    t.add(row("uint32 0x80000000 | 1", op("bitwise_or", u32(0x80000000L), u32(1)), iv(Type.U32, 2147483649L)));
    t.add(row("int64 MIN ^ -1", op("bitwise_xor", i64(Long.MIN_VALUE), i64(-1)), iv(Type.I64, Long.MAX_VALUE)));
    t.add(row("true & false", op("bitwise_and", bool(true), bool(false)), bv(false)));
    t.add(row("true | false", op("bitwise_or", bool(true), bool(false)), bv(true)));
    t.add(row("true ^ true", op("bitwise_xor", bool(true), bool(true)), bv(false)));
    t.add(row("~true", op("bitwise_not", bool(true)), bv(false)));
    // ---- signed shifts: left wraps, right fills with the sign, a negative amount turns around
    t.add(row("int8 64 << 1", op("shift_left", i8(64), i8(1)), iv(Type.I8, -128)));
    t.add(row("int8 1 << 7", op("shift_left", i8(1), i8(7)), iv(Type.I8, -128)));
    t.add(row("int8 1 << 8", op("shift_left", i8(1), i8(8)), iv(Type.I8, 0)));
    t.add(row("int8 3 << 100", op("shift_left", i8(3), i8(100)), iv(Type.I8, 0)));
    t.add(row("int8 -1 << -1", op("shift_left", i8(-1), i8(-1)), iv(Type.I8, -1)));
    t.add(row("int8 -128 << -7", op("shift_left", i8(-128), i8(-7)), iv(Type.I8, -1)));
    t.add(row("int8 -128 << -8", op("shift_left", i8(-128), i8(-8)), iv(Type.I8, -1)));
    t.add(row("int8 100 << -8", op("shift_left", i8(100), i8(-8)), iv(Type.I8, 0)));
    t.add(row("int8 100 << -128", op("shift_left", i8(100), i8(-128)), iv(Type.I8, 0)));
    t.add(row("int8 -128 >> 1", op("shift_right", i8(-128), i8(1)), iv(Type.I8, -64)));
    t.add(row("int8 -128 >> 7", op("shift_right", i8(-128), i8(7)), iv(Type.I8, -1)));
    t.add(row("int8 -128 >> 8", op("shift_right", i8(-128), i8(8)), iv(Type.I8, -1)));
    t.add(row("int8 -3 >> 127", op("shift_right", i8(-3), i8(127)), iv(Type.I8, -1)));
    t.add(row("int8 64 >> 8", op("shift_right", i8(64), i8(8)), iv(Type.I8, 0)));
    t.add(row("int8 1 >> -3", op("shift_right", i8(1), i8(-3)), iv(Type.I8, 8)));
    t.add(row("int8 1 >> -7", op("shift_right", i8(1), i8(-7)), iv(Type.I8, -128)));
    t.add(row("int8 1 >> -8", op("shift_right", i8(1), i8(-8)), iv(Type.I8, 0)));
    t.add(row("int8 1 >> -128", op("shift_right", i8(1), i8(-128)), iv(Type.I8, 0)));
    t.add(row("int32 -7 >> 1", op("shift_right", i32(-7), i32(1)), iv(Type.I32, -4)));
    t.add(row("int32 5 << 31", op("shift_left", i32(5), i32(31)), iv(Type.I32, Integer.MIN_VALUE)));
    t.add(row("int64 1 << 63", op("shift_left", i64(1), i64(63)), iv(Type.I64, Long.MIN_VALUE)));
    t.add(row("int64 MIN >> 63", op("shift_right", i64(Long.MIN_VALUE), i64(63)), iv(Type.I64, -1)));
    t.add(row("int64 MIN >> 64", op("shift_right", i64(Long.MIN_VALUE), i64(64)), iv(Type.I64, -1)));
    t.add(row("int64 1 << MIN", op("shift_left", i64(1), i64(Long.MIN_VALUE)), iv(Type.I64, 0)));
    t.add(row("int64 -5 >> MIN", op("shift_right", i64(-5), i64(Long.MIN_VALUE)), iv(Type.I64, 0)));
    // ---- unsigned shifts are logical; an unsigned amount is never negative
    t.add(row("uint8 200 >> 1", op("shift_right", u8(200), u8(1)), iv(Type.U8, 100)));
    t.add(row("uint8 128 >> 7", op("shift_right", u8(128), u8(7)), iv(Type.U8, 1)));
    t.add(row("uint8 255 >> 8", op("shift_right", u8(255), u8(8)), iv(Type.U8, 0)));
    t.add(row("uint8 255 << 4", op("shift_left", u8(255), u8(4)), iv(Type.U8, 240)));
    t.add(row("uint8 1 << 200", op("shift_left", u8(1), u8(200)), iv(Type.U8, 0)));
    t.add(row("uint32 0x80000000 >> 31", op("shift_right", u32(0x80000000L), u32(31)), iv(Type.U32, 1)));
    t.add(row("uint32 1 << 31", op("shift_left", u32(1), u32(31)), iv(Type.U32, 2147483648L)));
    t.add(row("uint32 1 << 32", op("shift_left", u32(1), u32(32)), iv(Type.U32, 0)));
    t.add(row("uint32 max >> max", op("shift_right", u32(0xFFFFFFFFL), u32(0xFFFFFFFFL)), iv(Type.U32, 0)));
    t.add(row("uint64 max >> 63", op("shift_right", u64(-1L), u64(63)), iv(Type.U64, 1)));
    t.add(row("uint64 max >> max", op("shift_right", u64(-1L), u64(-1L)), iv(Type.U64, 0)));
    // ---- an amount of the other signedness (Halide's match_bits)
    t.add(row("uint8 128 >> int8 -1", op("shift_right", u8(128), i8(-1)), iv(Type.U8, 0)));
    t.add(row("uint8 64 >> int8 -1", op("shift_right", u8(64), i8(-1)), iv(Type.U8, 128)));
    t.add(row("int8 -128 >> uint8 255", op("shift_right", i8(-128), u8(255)), iv(Type.I8, -1)));
    // ---- vectors lane by lane
    t.add(row("int8x4 ramp(-128, 32) >> ramp(0, 1)", op("shift_right", new Ramp(i8(-128), i8(32), 4), new Ramp(i8(0), i8(1), 4)),
        Value.ofInts(Type.I8.withLanes(4), -128, -48, -16, -4)));
    t.add(row("uint16x3 ramp(1, 1) << ramp(13, 1)", op("shift_left", new Ramp(u16(1), u16(1), 3), new Ramp(u16(13), u16(1), 3)),
        Value.ofInts(Type.U16.withLanes(3), 8192, 32768, 32768)));
    t.add(row("int32x3 ramp(5, 1) & 6", op("bitwise_and", new Ramp(i32(5), i32(1), 3), new Broadcast(i32(6), 3)),
        Value.ofInts(Type.I32.withLanes(3), 4, 6, 6)));
    return t.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("values")
  void evaluates(String name, Expr e, Value expected) {
    assertEquals(expected, Evaluator.WRAPPING.eval(e, Environment.EMPTY));
    // Constant folding gives the same value (the simplifier folds intrinsic calls of constants).
    if (e.type().isScalar()) assertEquals(Evaluator.tryToExpr(expected).orElseThrow(), Simplifier.simplify(e));
  }

  private static String error(Expr e) {
    return assertThrows(EvaluationException.class, () -> Evaluator.WRAPPING.eval(e, Environment.EMPTY)).getMessage();
  }

  @Test
  void rejectsOperandsOfOtherTypes() {
    assertEquals("bitwise_and needs integer or bool operands, got float32", error(op("bitwise_and", f32(1), f32(2))));
    assertEquals("shift_left needs integer operands, got bool", error(op("shift_left", bool(true), bool(true))));
    assertEquals("bitwise_or(int8, uint8): the operands must have the same type", error(op("bitwise_or", i8(1), u8(2))));
    assertEquals("shift_right(int32, int8): the operands must have integer types of the same width and lanes",
        error(op("shift_right", i32(1), i8(2))));
    assertEquals("intrinsic 'bitwise_not' takes 1 argument, got 2", error(op("bitwise_not", i8(1), i8(2))));
  }

  @Test
  void randomPlaceholdersAreAnErrorWhenEvaluated() {
    String message = error(new Call(Type.F32, "random_float", List.of(), CallKind.INTRINSIC));
    assertTrue(message.startsWith("random_float() is a placeholder that the front end replaces"), message);
  }

  // ------------------------------------------------------------------ bounds

  private static final Var x = Var.of("x"), y = Var.of("y");
  private static final Var u = new Var(Type.U8, "u"), w = new Var(Type.U8, "w"), s8 = new Var(Type.I8, "s8");
  private static final IntervalScope NONE = IntervalScope.empty();

  private static void bounds(Interval expected, Expr e, IntervalScope s) {
    assertEquals(expected, Bounds.boundsOf(e, s), () -> "bounds of " + e + " in " + s);
  }

  private static Interval ci(long lo, long hi) {
    return Interval.ofConst(Type.I32, lo, hi);
  }

  @Test
  void andWithANonNegativeOperandIsBetweenZeroAndIt() {
    IntervalScope any = NONE.with("x", Interval.EVERYTHING).with("y", Interval.EVERYTHING);
    bounds(ci(0, 255), op("bitwise_and", x, i32(255)), any);
    bounds(ci(0, 255), op("bitwise_and", i32(255), x), any);
    bounds(ci(0, 10), op("bitwise_and", x, y), any.with("y", 0, 10));
    bounds(ci(0, 7), op("bitwise_and", x, y), NONE.with("x", 0, 7).with("y", 0, 10));
    bounds(Interval.EVERYTHING, op("bitwise_and", x, y), any);
    bounds(Interval.ofConst(Type.U8, 0, 20), op("bitwise_and", u, w), NONE.with("u", Interval.ofConst(Type.U8, 0, 20)).with("w", Interval.ofConst(Type.U8, 0, 100)));
    // a negative constant keeps the type's range
    bounds(Interval.EVERYTHING, op("bitwise_and", x, i32(-2)), any);
  }

  @Test
  void orXorAndNotOfConstantRanges() {
    bounds(ci(2, 15), op("bitwise_or", x, y), NONE.with("x", 1, 5).with("y", 2, 9));
    bounds(ci(0, 15), op("bitwise_xor", x, y), NONE.with("x", 1, 5).with("y", 2, 9));
    bounds(Interval.EVERYTHING, op("bitwise_xor", x, y), NONE.with("x", -1, 5).with("y", 2, 9));
    bounds(ci(-11, 2), op("bitwise_not", x), NONE.with("x", -3, 10));
    bounds(Interval.ofConst(Type.U8, 235, 245), op("bitwise_not", u), NONE.with("u", Interval.ofConst(Type.U8, 10, 20)));
    bounds(Interval.ofConst(Type.U8, 0, 255), op("bitwise_xor", u, w), NONE.with("u", Interval.EVERYTHING).with("w", Interval.ofConst(Type.U8, 0, 3)));
  }

  @Test
  void shiftsByConstants() {
    bounds(ci(0, 25), op("shift_right", x, i32(2)), NONE.with("x", 0, 100));
    bounds(ci(-25, 25), op("shift_right", x, i32(2)), NONE.with("x", -100, 100));
    // a non-negative value shifted right by any non-negative amount only shrinks
    bounds(ci(0, 100), op("shift_right", x, y), NONE.with("x", 0, 100).with("y", 0, 40));
    bounds(Interval.EVERYTHING, op("shift_right", x, y), NONE.with("x", 0, 100).with("y", -1, 40));
    bounds(ci(-32, 40), op("shift_left", x, i32(3)), NONE.with("x", -4, 5));
    // 40 << 2 leaves int8: the type's range
    bounds(Interval.ofConst(Type.I8, -128, 127), op("shift_left", s8, i8(2)), NONE.with("s8", Interval.ofConst(Type.I8, 0, 40)));
    bounds(Interval.ofConst(Type.U8, 0, 255), op("shift_left", u, u8(1)), NONE.with("u", Interval.ofConst(Type.U8, 0, 200)));
    bounds(Interval.ofConst(Type.U8, 0, 50), op("shift_right", u, u8(2)), NONE.with("u", Interval.ofConst(Type.U8, 0, 200)));
  }
}
