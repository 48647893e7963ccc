package dev.halogen.passes.analysis;

import static dev.halogen.passes.analysis.Ir.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.halogen.ir.Expr;
import dev.halogen.ir.Expr.*;
import dev.halogen.ir.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The evaluator against hand-computed values, one row per operation, type and edge. */
class EvaluatorTest {
  private static final long U64_MAX = -1L;

  private static Value eval(Expr e) {
    return Evaluator.WRAPPING.eval(e, Environment.EMPTY);
  }

  private static Arguments row(String name, Expr e, Value expected) {
    return Arguments.of(name, e, expected);
  }

  static Stream<Arguments> table() {
    List<Arguments> t = new ArrayList<>();
    // ---- wrapping integer arithmetic
    t.add(row("int8 127 + 1", new Add(i8(127), i8(1)), iv(Type.I8, -128)));
    t.add(row("int8 -128 - 1", new Sub(i8(-128), i8(1)), iv(Type.I8, 127)));
    t.add(row("int8 16 * 16", new Mul(i8(16), i8(16)), iv(Type.I8, 0)));
    t.add(row("int8 -128 * -1", new Mul(i8(-128), i8(-1)), iv(Type.I8, -128)));
    t.add(row("uint8 0 - 1", new Sub(u8(0), u8(1)), iv(Type.U8, 255)));
    t.add(row("uint8 200 + 100", new Add(u8(200), u8(100)), iv(Type.U8, 44)));
    t.add(row("uint8 16 * 17", new Mul(u8(16), u8(17)), iv(Type.U8, 16)));
    t.add(row("int16 300 * 300", new Mul(i16(300), i16(300)), iv(Type.I16, 24464)));
    t.add(row("int16 32767 + 1", new Add(i16(32767), i16(1)), iv(Type.I16, -32768)));
    t.add(row("uint16 0 - 1", new Sub(u16(0), u16(1)), iv(Type.U16, 65535)));
    t.add(row("uint32 4e9 + 4e8", new Add(u32(4000000000L), u32(400000000L)), iv(Type.U32, 105032704L)));
    t.add(row("uint32 0 - 1", new Sub(u32(0), u32(1)), iv(Type.U32, 4294967295L)));
    t.add(row("uint32 65536 * 65536", new Mul(u32(65536), u32(65536)), iv(Type.U32, 0)));
    t.add(row("int32 max + 1 wraps", new Add(i32(Integer.MAX_VALUE), i32(1)), iv(Type.I32, Integer.MIN_VALUE)));
    t.add(row("int64 max + 1", new Add(i64(Long.MAX_VALUE), i64(1)), iv(Type.I64, Long.MIN_VALUE)));
    t.add(row("uint64 max + 1", new Add(u64(U64_MAX), u64(1)), iv(Type.U64, 0)));
    t.add(row("uint64 max * max", new Mul(u64(U64_MAX), u64(U64_MAX)), iv(Type.U64, 1)));
    // ---- Euclidean division
    t.add(row("-7 / 2", new Div(i32(-7), i32(2)), iv(Type.I32, -4)));
    t.add(row("-7 % 2", new Mod(i32(-7), i32(2)), iv(Type.I32, 1)));
    t.add(row("7 / -2", new Div(i32(7), i32(-2)), iv(Type.I32, -3)));
    t.add(row("7 % -2", new Mod(i32(7), i32(-2)), iv(Type.I32, 1)));
    t.add(row("-7 / -2", new Div(i32(-7), i32(-2)), iv(Type.I32, 4)));
    t.add(row("-7 % -2", new Mod(i32(-7), i32(-2)), iv(Type.I32, 1)));
    t.add(row("7 / 2", new Div(i32(7), i32(2)), iv(Type.I32, 3)));
    t.add(row("-8 % 4", new Mod(i32(-8), i32(4)), iv(Type.I32, 0)));
    t.add(row("7 / 0", new Div(i32(7), i32(0)), iv(Type.I32, 0)));
    t.add(row("-7 % 0", new Mod(i32(-7), i32(0)), iv(Type.I32, 0)));
    t.add(row("uint8 9 / 0", new Div(u8(9), u8(0)), iv(Type.U8, 0)));
    t.add(row("int8 -128 / -1", new Div(i8(-128), i8(-1)), iv(Type.I8, -128)));
    t.add(row("int8 -128 % -1", new Mod(i8(-128), i8(-1)), iv(Type.I8, 0)));
    t.add(row("int64 MIN / -1", new Div(i64(Long.MIN_VALUE), i64(-1)), iv(Type.I64, Long.MIN_VALUE)));
    t.add(row("int64 MIN % -1", new Mod(i64(Long.MIN_VALUE), i64(-1)), iv(Type.I64, 0)));
    t.add(row("int64 -1 / MIN", new Div(i64(-1), i64(Long.MIN_VALUE)), iv(Type.I64, 1)));
    t.add(row("int64 -1 % MIN", new Mod(i64(-1), i64(Long.MIN_VALUE)), iv(Type.I64, Long.MAX_VALUE)));
    t.add(row("uint64 max / 3", new Div(u64(U64_MAX), u64(3)), iv(Type.U64, 0x5555555555555555L)));
    t.add(row("uint64 max % 10", new Mod(u64(U64_MAX), u64(10)), iv(Type.U64, 5)));
    t.add(row("uint64 5 / max", new Div(u64(5), u64(U64_MAX)), iv(Type.U64, 0)));
    t.add(row("uint8 250 / 7", new Div(u8(250), u8(7)), iv(Type.U8, 35)));
    t.add(row("uint8 250 % 7", new Mod(u8(250), u8(7)), iv(Type.U8, 5)));
    // ---- min / max
    t.add(row("int8 min(-5, 3)", new Min(i8(-5), i8(3)), iv(Type.I8, -5)));
    t.add(row("uint8 max(200, 100)", new Max(u8(200), u8(100)), iv(Type.U8, 200)));
    t.add(row("uint64 min(max, 1) is unsigned", new Min(u64(U64_MAX), u64(1)), iv(Type.U64, 1)));
    t.add(row("int64 max(MIN, -1)", new Max(i64(Long.MIN_VALUE), i64(-1)), iv(Type.I64, -1)));
    t.add(row("bool min(true, false)", new Min(bool(true), bool(false)), bv(false)));
    t.add(row("bool max(true, false)", new Max(bool(true), bool(false)), bv(true)));
    t.add(row("float32 min(NaN, 1)", new Min(f32(Double.NaN), f32(1)), fv(Type.F32, 1)));
    t.add(row("float32 min(1, NaN)", new Min(f32(1), f32(Double.NaN)), fv(Type.F32, Double.NaN)));
    t.add(row("float32 max(NaN, 1)", new Max(f32(Double.NaN), f32(1)), fv(Type.F32, 1)));
    t.add(row("float32 max(1, NaN)", new Max(f32(1), f32(Double.NaN)), fv(Type.F32, Double.NaN)));
    t.add(row("float64 min(-0.0, 0.0)", new Min(f64(-0.0), f64(0.0)), fv(Type.F64, 0.0)));
    t.add(row("float64 min(0.0, -0.0)", new Min(f64(0.0), f64(-0.0)), fv(Type.F64, -0.0)));
    t.add(row("float64 max(-0.0, 0.0)", new Max(f64(-0.0), f64(0.0)), fv(Type.F64, 0.0)));
    // ---- floats in their own precision
    t.add(row("float32 0.1 + 0.2", new Add(f32(0.1), f32(0.2)), fv(Type.F32, 0.1f + 0.2f)));
    t.add(row("float64 0.1 + 0.2", new Add(f64(0.1), f64(0.2)), fv(Type.F64, 0.30000000000000004)));
    t.add(row("float32 2^24 + 1 rounds to even", new Add(f32(16777216), f32(1)), fv(Type.F32, 16777216)));
    t.add(row("float64 2^24 + 1", new Add(f64(16777216), f64(1)), fv(Type.F64, 16777217)));
    t.add(row("float32 1e38 * 10", new Mul(f32(1e38), f32(10)), fv(Type.F32, Double.POSITIVE_INFINITY)));
    t.add(row("float16 2048 + 1", new Add(f16(2048), f16(1)), fv(Type.F16, 2048)));
    t.add(row("float16 2048 + 3", new Add(f16(2048), f16(3)), fv(Type.F16, 2052)));
    t.add(row("float16 65504 + 8", new Add(f16(65504), f16(8)), fv(Type.F16, 65504)));
    t.add(row("float16 65504 + 16", new Add(f16(65504), f16(16)), fv(Type.F16, Double.POSITIVE_INFINITY)));
    t.add(row("float32 1 / 3", new Div(f32(1), f32(3)), fv(Type.F32, 1f / 3f)));
    t.add(row("float32 1 / 0", new Div(f32(1), f32(0)), fv(Type.F32, Double.POSITIVE_INFINITY)));
    t.add(row("float32 -1 / 0", new Div(f32(-1), f32(0)), fv(Type.F32, Double.NEGATIVE_INFINITY)));
    t.add(row("float64 0 / 0", new Div(f64(0), f64(0)), fv(Type.F64, Double.NaN)));
    t.add(row("float32 -5.5 % 2", new Mod(f32(-5.5), f32(2)), fv(Type.F32, 0.5)));
    t.add(row("float64 5.5 % -2", new Mod(f64(5.5), f64(-2)), fv(Type.F64, -0.5)));
    t.add(row("float64 7.5 % 2.5", new Mod(f64(7.5), f64(2.5)), fv(Type.F64, 0)));
    t.add(row("float32 1 % 0", new Mod(f32(1), f32(0)), fv(Type.F32, Double.NaN)));
    // ---- comparisons and logic
    t.add(row("uint8 200 > 100", new GT(u8(200), u8(100)), bv(true)));
    t.add(row("int8 -1 < 1", new LT(i8(-1), i8(1)), bv(true)));
    t.add(row("uint64 max > 0", new GT(u64(U64_MAX), u64(0)), bv(true)));
    t.add(row("uint64 max < 1", new LT(u64(U64_MAX), u64(1)), bv(false)));
    t.add(row("uint32 max >= 0", new GE(u32(4294967295L), u32(0)), bv(true)));
    t.add(row("int64 -1 <= 0", new LE(i64(-1), i64(0)), bv(true)));
    t.add(row("int16 MIN != MAX", new NE(i16(-32768), i16(32767)), bv(true)));
    t.add(row("bool true > false", new GT(bool(true), bool(false)), bv(true)));
    t.add(row("NaN == NaN", new EQ(f32(Double.NaN), f32(Double.NaN)), bv(false)));
    t.add(row("NaN != NaN", new NE(f32(Double.NaN), f32(Double.NaN)), bv(true)));
    t.add(row("NaN < 1", new LT(f64(Double.NaN), f64(1)), bv(false)));
    t.add(row("NaN >= 1", new GE(f64(Double.NaN), f64(1)), bv(false)));
    t.add(row("-0.0 == 0.0", new EQ(f64(-0.0), f64(0.0)), bv(true)));
    t.add(row("true && false", new And(bool(true), bool(false)), bv(false)));
    t.add(row("false || true", new Or(bool(false), bool(true)), bv(true)));
    t.add(row("!false", new Not(bool(false)), bv(true)));
    t.add(row("select(false, 1, 2)", new Select(bool(false), i16(1), i16(2)), iv(Type.I16, 2)));
    // ---- integer to integer casts
    t.add(row("int32 300 -> uint8", new Cast(Type.U8, i32(300)), iv(Type.U8, 44)));
    t.add(row("int32 -1 -> uint16", new Cast(Type.U16, i32(-1)), iv(Type.U16, 65535)));
    t.add(row("int8 -1 -> uint32 sign-extends", new Cast(Type.U32, i8(-1)), iv(Type.U32, 4294967295L)));
    t.add(row("int8 -1 -> uint64", new Cast(Type.U64, i8(-1)), iv(Type.U64, U64_MAX)));
    t.add(row("uint8 255 -> int8", new Cast(Type.I8, u8(255)), iv(Type.I8, -1)));
    t.add(row("uint8 200 -> int32 zero-extends", new Cast(Type.I32, u8(200)), iv(Type.I32, 200)));
    t.add(row("uint32 max -> int64", new Cast(Type.I64, u32(4294967295L)), iv(Type.I64, 4294967295L)));
    t.add(row("int64 0x123456789 -> int32", new Cast(Type.I32, i64(0x123456789L)), iv(Type.I32, 0x23456789L)));
    t.add(row("int32 MIN -> int16", new Cast(Type.I16, i32(Integer.MIN_VALUE)), iv(Type.I16, 0)));
    t.add(row("uint64 max -> int64", new Cast(Type.I64, u64(U64_MAX)), iv(Type.I64, -1)));
    t.add(row("uint64 max -> uint8", new Cast(Type.U8, u64(U64_MAX)), iv(Type.U8, 255)));
    t.add(row("uint16 65535 -> int16", new Cast(Type.I16, u16(65535)), iv(Type.I16, -1)));
    // ---- float to integer: truncate, saturate, NaN -> 0
    t.add(row("float32 NaN -> int32", new Cast(Type.I32, f32(Double.NaN)), iv(Type.I32, 0)));
    t.add(row("float32 inf -> int32", new Cast(Type.I32, f32(Double.POSITIVE_INFINITY)), iv(Type.I32, Integer.MAX_VALUE)));
    t.add(row("float64 -inf -> int8", new Cast(Type.I8, f64(Double.NEGATIVE_INFINITY)), iv(Type.I8, -128)));
    t.add(row("float32 300.7 -> uint8", new Cast(Type.U8, f32(300.7)), iv(Type.U8, 255)));
    t.add(row("float32 -1.5 -> uint8", new Cast(Type.U8, f32(-1.5)), iv(Type.U8, 0)));
    t.add(row("float32 -1.5 -> int8", new Cast(Type.I8, f32(-1.5)), iv(Type.I8, -1)));
    t.add(row("float32 2.9 -> int32", new Cast(Type.I32, f32(2.9)), iv(Type.I32, 2)));
    t.add(row("float32 -2.9 -> int32", new Cast(Type.I32, f32(-2.9)), iv(Type.I32, -2)));
    t.add(row("float64 1e20 -> uint64", new Cast(Type.U64, f64(1e20)), iv(Type.U64, U64_MAX)));
    t.add(row("float64 2^64 -> uint64", new Cast(Type.U64, f64(0x1p64)), iv(Type.U64, U64_MAX)));
    t.add(row("float64 9.3e18 -> uint64", new Cast(Type.U64, f64(9.3e18)), iv(Type.U64, Long.parseUnsignedLong("9300000000000000000"))));
    t.add(row("float64 2^63 -> uint64", new Cast(Type.U64, f64(0x1p63)), iv(Type.U64, Long.MIN_VALUE)));
    t.add(row("float64 2^63 -> int64", new Cast(Type.I64, f64(0x1p63)), iv(Type.I64, Long.MAX_VALUE)));
    t.add(row("float64 -1e20 -> int64", new Cast(Type.I64, f64(-1e20)), iv(Type.I64, Long.MIN_VALUE)));
    t.add(row("float64 NaN -> uint64", new Cast(Type.U64, f64(Double.NaN)), iv(Type.U64, 0)));
    t.add(row("float32 -0.5 -> uint32", new Cast(Type.U32, f32(-0.5)), iv(Type.U32, 0)));
    t.add(row("float16 65504 -> int16", new Cast(Type.I16, f16(65504)), iv(Type.I16, 32767)));
    // ---- integer to float: one rounding
    t.add(row("uint64 max -> float32", new Cast(Type.F32, u64(U64_MAX)), fv(Type.F32, 0x1p64)));
    t.add(row("uint64 max -> float64", new Cast(Type.F64, u64(U64_MAX)), fv(Type.F64, 0x1p64)));
    t.add(row("uint64 2^64-3071 -> float64 (sticky bit)", new Cast(Type.F64, u64(Long.parseUnsignedLong("18446744073709548545"))),
        fv(Type.F64, 18446744073709549568.0)));
    t.add(row("uint64 2^63+1 -> float64", new Cast(Type.F64, u64(Long.MIN_VALUE + 1)), fv(Type.F64, 0x1p63)));
    t.add(row("int64 max -> float32", new Cast(Type.F32, i64(Long.MAX_VALUE)), fv(Type.F32, 0x1p63)));
    t.add(row("int32 16777217 -> float32", new Cast(Type.F32, i32(16777217)), fv(Type.F32, 16777216)));
    t.add(row("int32 16777219 -> float32", new Cast(Type.F32, i32(16777219)), fv(Type.F32, 16777220)));
    t.add(row("int32 70000 -> float16", new Cast(Type.F16, i32(70000)), fv(Type.F16, Double.POSITIVE_INFINITY)));
    t.add(row("int8 -3 -> float16", new Cast(Type.F16, i8(-3)), fv(Type.F16, -3)));
    // ---- to and from bool
    t.add(row("int32 5 -> bool", new Cast(Type.BOOL, i32(5)), bv(true)));
    t.add(row("int32 0 -> bool", new Cast(Type.BOOL, i32(0)), bv(false)));
    t.add(row("uint64 2^63 -> bool", new Cast(Type.BOOL, u64(Long.MIN_VALUE)), bv(true)));
    t.add(row("float32 NaN -> bool", new Cast(Type.BOOL, f32(Double.NaN)), bv(true)));
    t.add(row("float32 -0.0 -> bool", new Cast(Type.BOOL, f32(-0.0)), bv(false)));
    t.add(row("bool true -> float32", new Cast(Type.F32, bool(true)), fv(Type.F32, 1)));
    t.add(row("bool true -> uint8", new Cast(Type.U8, bool(true)), iv(Type.U8, 1)));
    t.add(row("bool false -> int64", new Cast(Type.I64, bool(false)), iv(Type.I64, 0)));
    // ---- float to float
    t.add(row("float64 0.1 -> float32", new Cast(Type.F32, f64(0.1)), fv(Type.F32, 0.1f)));
    t.add(row("float64 1e40 -> float32", new Cast(Type.F32, f64(1e40)), fv(Type.F32, Double.POSITIVE_INFINITY)));
    t.add(row("float64 65519 -> float16", new Cast(Type.F16, f64(65519)), fv(Type.F16, 65504)));
    t.add(row("float64 65520 -> float16", new Cast(Type.F16, f64(65520)), fv(Type.F16, Double.POSITIVE_INFINITY)));
    t.add(row("float64 1+2^-11+2^-40 -> float16 rounds once", new Cast(Type.F16, f64(1 + 0x1p-11 + 0x1p-40)), fv(Type.F16, 1 + 0x1p-10)));
    t.add(row("float64 1e-8 -> float16", new Cast(Type.F16, f64(1e-8)), fv(Type.F16, 0)));
    t.add(row("float32 0.1 -> float64", new Cast(Type.F64, f32(0.1)), fv(Type.F64, (double) 0.1f)));
    t.add(row("float16 0.5 -> float64", new Cast(Type.F64, f16(0.5)), fv(Type.F64, 0.5)));
    // ---- intrinsics
    t.add(row("abs(int8 -128)", intrinsic(Type.U8, "abs", i8(-128)), iv(Type.U8, 128)));
    t.add(row("abs(int32 -5)", intrinsic(Type.U32, "abs", i32(-5)), iv(Type.U32, 5)));
    t.add(row("abs(int64 MIN)", intrinsic(Type.U64, "abs", i64(Long.MIN_VALUE)), iv(Type.U64, Long.MIN_VALUE)));
    t.add(row("abs(uint8 200)", intrinsic(Type.U8, "abs", u8(200)), iv(Type.U8, 200)));
    t.add(row("abs(float32 -0.0)", intrinsic(Type.F32, "abs", f32(-0.0)), fv(Type.F32, 0.0)));
    t.add(row("abs(float64 -inf)", intrinsic(Type.F64, "abs", f64(Double.NEGATIVE_INFINITY)), fv(Type.F64, Double.POSITIVE_INFINITY)));
    t.add(row("likely(7)", intrinsic(Type.I16, "likely", i16(7)), iv(Type.I16, 7)));
    t.add(row("lerp(u8 0, 255, u8 128)", intrinsic(Type.U8, "lerp", u8(0), u8(255), u8(128)), iv(Type.U8, 128)));
    t.add(row("lerp(u8 10, 20, f32 0.5)", intrinsic(Type.U8, "lerp", u8(10), u8(20), f32(0.5)), iv(Type.U8, 15)));
    t.add(row("lerp(i8 -128, 127, u8 255)", intrinsic(Type.I8, "lerp", i8(-128), i8(127), u8(255)), iv(Type.I8, 127)));
    t.add(row("lerp(i8 -128, 127, u8 0)", intrinsic(Type.I8, "lerp", i8(-128), i8(127), u8(0)), iv(Type.I8, -128)));
    t.add(row("lerp(u16 0, 65535, u8 1)", intrinsic(Type.U16, "lerp", u16(0), u16(65535), u8(1)), iv(Type.U16, 257)));
    t.add(row("lerp(u8 0, 255, u16 32768)", intrinsic(Type.U8, "lerp", u8(0), u8(255), u16(32768)), iv(Type.U8, 127)));
    t.add(row("lerp(u32 0, max, f32 0.5)", intrinsic(Type.U32, "lerp", u32(0), u32(4294967295L), f32(0.5)), iv(Type.U32, 2147483647L)));
    t.add(row("lerp(i16 -100, 100, u16 max)", intrinsic(Type.I16, "lerp", i16(-100), i16(100), u16(65535)), iv(Type.I16, 100)));
    t.add(row("lerp(i16 -100, 100, u16 0)", intrinsic(Type.I16, "lerp", i16(-100), i16(100), u16(0)), iv(Type.I16, -100)));
    t.add(row("lerp(f32 0, 10, 0.25)", intrinsic(Type.F32, "lerp", f32(0), f32(10), f32(0.25)), fv(Type.F32, 2.5)));
    t.add(row("lerp(f32 1, 3, u8 255)", intrinsic(Type.F32, "lerp", f32(1), f32(3), u8(255)), fv(Type.F32, 3)));
    t.add(row("lerp(f64 2, 4, u32 2^31)", intrinsic(Type.F64, "lerp", f64(2), f64(4), u32(1L << 31)),
        fv(Type.F64, 2 * (1 - 2147483648.0 / 4294967295.0) + 4 * (2147483648.0 / 4294967295.0))));
    t.add(row("lerp(bool, f32 0.75)", intrinsic(Type.BOOL, "lerp", bool(false), bool(true), f32(0.75)), bv(true)));
    t.add(row("lerp(bool, f32 0.5)", intrinsic(Type.BOOL, "lerp", bool(false), bool(true), f32(0.5)), bv(false)));
    t.add(row("lerp(bool, u8 128)", intrinsic(Type.BOOL, "lerp", bool(false), bool(true), u8(128)), bv(true)));
    t.add(row("is_nan(NaN)", intrinsic(Type.BOOL, "is_nan", f32(Double.NaN)), bv(true)));
    t.add(row("is_nan(1)", intrinsic(Type.BOOL, "is_nan", f32(1)), bv(false)));
    t.add(row("is_inf(-inf)", intrinsic(Type.BOOL, "is_inf", f64(Double.NEGATIVE_INFINITY)), bv(true)));
    t.add(row("is_finite(inf)", intrinsic(Type.BOOL, "is_finite", f64(Double.POSITIVE_INFINITY)), bv(false)));
    // ---- math
    t.add(row("sqrt(float32 2)", math(Type.F32, "sqrt", f32(2)), fv(Type.F32, 1.4142135f)));
    t.add(row("floor(-1.5)", math(Type.F64, "floor", f64(-1.5)), fv(Type.F64, -2)));
    t.add(row("ceil(-1.5)", math(Type.F64, "ceil", f64(-1.5)), fv(Type.F64, -1)));
    t.add(row("round(2.5) to even", math(Type.F32, "round", f32(2.5)), fv(Type.F32, 2)));
    t.add(row("round(3.5) to even", math(Type.F32, "round", f32(3.5)), fv(Type.F32, 4)));
    t.add(row("round(-0.5)", math(Type.F64, "round", f64(-0.5)), fv(Type.F64, -0.0)));
    t.add(row("trunc(-1.7)", math(Type.F64, "trunc", f64(-1.7)), fv(Type.F64, -1)));
    t.add(row("fract(-1.25)", math(Type.F64, "fract", f64(-1.25)), fv(Type.F64, -0.25)));
    t.add(row("fract(2.75)", math(Type.F32, "fract", f32(2.75)), fv(Type.F32, 0.75)));
    t.add(row("fast_inverse(float32 3)", math(Type.F32, "fast_inverse", f32(3)), fv(Type.F32, 0.33333334f)));
    t.add(row("fast_inverse(-0.0)", math(Type.F64, "fast_inverse", f64(-0.0)), fv(Type.F64, Double.NEGATIVE_INFINITY)));
    t.add(row("fast_inverse_sqrt(float32 2) rounded once", math(Type.F32, "fast_inverse_sqrt", f32(2)), fv(Type.F32, 0.70710677f)));
    t.add(row("fast_inverse_sqrt(float16 4)", math(Type.F16, "fast_inverse_sqrt", f16(4)), fv(Type.F16, 0.5)));
    t.add(row("pow(2, 10)", math(Type.F64, "pow", f64(2), f64(10)), fv(Type.F64, 1024)));
    t.add(row("hypot(3, 4)", math(Type.F64, "hypot", f64(3), f64(4)), fv(Type.F64, 5)));
    t.add(row("exp(0)", math(Type.F16, "exp", f16(0)), fv(Type.F16, 1)));
    t.add(row("log(1)", math(Type.F64, "log", f64(1)), fv(Type.F64, 0)));
    t.add(row("atan2(1, 1)", math(Type.F64, "atan2", f64(1), f64(1)), fv(Type.F64, 0.7853981633974483)));
    // ---- vectors
    t.add(row("ramp(0, 3, 4)", new Ramp(i32(0), i32(3), 4), Value.ofInts(Type.I32.withLanes(4), 0, 3, 6, 9)));
    t.add(row("int8 ramp(120, 5, 4) wraps", new Ramp(i8(120), i8(5), 4), Value.ofInts(Type.I8.withLanes(4), 120, 125, -126, -121)));
    t.add(row("float32 ramp(0.5, 0.25, 3)", new Ramp(f32(0.5), f32(0.25), 3), Value.ofFloats(Type.F32.withLanes(3), 0.5, 0.75, 1.0)));
    t.add(row("broadcast(u8 7, 3)", new Broadcast(u8(7), 3), Value.ofInts(Type.U8.withLanes(3), 7, 7, 7)));
    t.add(row("broadcast(ramp(0, 1, 2), 2)", new Broadcast(new Ramp(i32(0), i32(1), 2), 2), Value.ofInts(Type.I32.withLanes(4), 0, 1, 0, 1)));
    t.add(row("ramp of a vector base", new Ramp(new Ramp(i32(0), i32(1), 2), new Broadcast(i32(10), 2), 3),
        Value.ofInts(Type.I32.withLanes(6), 0, 1, 10, 11, 20, 21)));
    t.add(row("int8x4 lanes wrap", new Add(new Ramp(i8(100), i8(10), 4), new Broadcast(i8(20), 4)),
        Value.ofInts(Type.I8.withLanes(4), 120, -126, -116, -106)));
    t.add(row("uint8x2 0 - 1", new Sub(new Broadcast(u8(0), 2), new Ramp(u8(1), u8(1), 2)), Value.ofInts(Type.U8.withLanes(2), 255, 254)));
    t.add(row("vector select", new Select(new LT(new Ramp(i32(0), i32(1), 4), new Broadcast(i32(2), 4)), new Broadcast(i16(1), 4), new Broadcast(i16(-1), 4)),
        Value.ofInts(Type.I16.withLanes(4), 1, 1, -1, -1)));
    t.add(row("scalar condition, vector values", new Select(bool(true), new Ramp(i32(5), i32(-1), 2), new Broadcast(i32(0), 2)),
        Value.ofInts(Type.I32.withLanes(2), 5, 4)));
    t.add(row("vector cast float -> int", new Cast(Type.I32.withLanes(2), new Ramp(f32(-1.5), f32(2.75), 2)),
        Value.ofInts(Type.I32.withLanes(2), -1, 1)));
    t.add(row("vector comparison", new LE(new Ramp(u8(254), u8(1), 3), new Broadcast(u8(0), 3)), Value.ofInts(Type.BOOL.withLanes(3), 0, 0, 1)));
    t.add(row("vector reduce add", new VectorReduce(VectorReduce.Op.ADD, new Ramp(i32(1), i32(1), 8), 2), Value.ofInts(Type.I32.withLanes(2), 10, 26)));
    t.add(row("vector reduce max", new VectorReduce(VectorReduce.Op.MAX, new Ramp(f32(3), f32(-1), 4), 1), fv(Type.F32, 3)));
    t.add(row("vector reduce mul wraps", new VectorReduce(VectorReduce.Op.MUL, new Ramp(u8(16), u8(1), 2), 1), iv(Type.U8, 16)));
    t.add(row("vector reduce or", new VectorReduce(VectorReduce.Op.OR, new LT(new Ramp(i32(0), i32(1), 4), new Broadcast(i32(1), 4)), 2),
        Value.ofInts(Type.BOOL.withLanes(2), 1, 0)));
    t.add(row("vector reduce and", new VectorReduce(VectorReduce.Op.AND, new Broadcast(bool(true), 4), 1), bv(true)));
    t.add(row("vector abs", new Call(Type.U8.withLanes(2), "abs", List.of(new Ramp(i8(-128), i8(100), 2)), CallKind.INTRINSIC),
        Value.ofInts(Type.U8.withLanes(2), 128, 28)));
    // ---- lets
    Var x = new Var(Type.I32, "x");
    t.add(row("let with shadowing", new Let("x", i32(1), new Add(new Let("x", new Add(x, i32(1)), new Mul(x, i32(10))), x)), iv(Type.I32, 21)));
    t.add(row("let of another type", new Let("x", f32(2.5), new Mul(new Var(Type.F32, "x"), new Var(Type.F32, "x"))), fv(Type.F32, 6.25)));
    return t.stream();
  }

  static Expr intrinsic(Type t, String name, Expr... args) {
    return new Call(t, name, List.of(args), CallKind.INTRINSIC);
  }

  static Expr math(Type t, String name, Expr... args) {
    return new Call(t, name, List.of(args), CallKind.MATH);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void evaluatesExactly(String name, Expr e, Value expected) {
    Value actual = eval(e);
    if (expected instanceof Value.FloatScalar(Type t, double v) && Double.isNaN(v)) {
      // The bits of a NaN made by arithmetic are the hardware's; only that it is a NaN is specified.
      assertEquals(t, actual.type(), name);
      assertTrue(Double.isNaN(actual.doubleLane(0)), name + " gave " + actual);
    } else {
      assertEquals(expected, actual, name);
    }
    assertEquals(e.type(), actual.type(), name + ": value type matches expression type");
  }

  @Test
  void specialFunctionsMatchKnownValues() {
    double[][] cases = {
      // function argument, expected (to 17 digits)
      {0, 0.5, 0.52049987781304653768},
      {0, 1.0, 0.84270079294971486934},
      {0, 2.0, 0.99532226501895273416},
      {0, 2.4999, 0.9995928300996666},
      {0, 3.5, 0.99999925690162765859},
      {0, -1.0, -0.84270079294971486934},
      {0, 1e-10, 1.1283791670955126e-10},
      {0, 7.0, 1.0},
      {1, 1.0, 0.88137358701954302523},
      {1, -1e-20, -1e-20},
      {1, 1e300, 691.4686750787736},
      {2, 2.0, 1.31695789692481670862},
      {3, 0.5, 0.54930614433405484570},
      {3, -0.5, -0.54930614433405484570},
    };
    String[] names = {"erf", "asinh", "acosh", "atanh"};
    for (double[] c : cases) {
      String fn = names[(int) c[0]];
      double got = eval(math(Type.F64, fn, f64(c[1]))).doubleLane(0);
      assertEquals(c[2], got, Math.abs(c[2]) * 4e-16, fn + "(" + c[1] + ")");
    }
    assertEquals(-0.0, eval(math(Type.F64, "erf", f64(-0.0))).doubleLane(0));
    assertTrue(Double.isNaN(eval(math(Type.F64, "acosh", f64(0.5))).doubleLane(0)));
    assertTrue(Double.isNaN(eval(math(Type.F64, "acosh", f64(-1e300))).doubleLane(0)));
    assertTrue(Double.isNaN(eval(math(Type.F64, "acosh", f64(Double.NEGATIVE_INFINITY))).doubleLane(0)));
    assertEquals(1.0, eval(math(Type.F64, "erf", f64(6.0))).doubleLane(0));
    assertEquals(1.0, eval(math(Type.F64, "erf", f64(1e300))).doubleLane(0));
    assertEquals(1.0, eval(math(Type.F64, "erf", f64(Double.POSITIVE_INFINITY))).doubleLane(0));
    assertEquals(-1.0, eval(math(Type.F64, "erf", f64(Double.NEGATIVE_INFINITY))).doubleLane(0));
    assertEquals(Double.POSITIVE_INFINITY, eval(math(Type.F64, "atanh", f64(1))).doubleLane(0));
    // float32 math is the double result rounded once
    assertEquals(fv(Type.F32, (float) Math.sin(1.0)), eval(math(Type.F32, "sin", f32(1))));
  }

  @Test
  void callsAndLoadsGoThroughTheHandler() {
    CallHandler handler = new CallHandler() {
      @Override
      public Value call(Call call, List<Value> args) {
        assertEquals("g", call.name());
        return Value.ofInt(Type.I32, args.getFirst().longLane(0) * 2 + call.valueIndex());
      }

      @Override
      public Value load(Load load, Value index, Value predicate) {
        long[] lanes = new long[index.lanes()];
        for (int i = 0; i < lanes.length; i++) lanes[i] = predicate.longLane(i) != 0 ? 100 + index.longLane(i) : 0;
        return Value.ofInts(load.type(), lanes);
      }
    };
    Environment env = Environment.of(Map.of("y", Value.ofInt(Type.I32, 5)), handler);
    Expr call = new Call(Type.I32, "g", List.of(new Add(new Var(Type.I32, "y"), i32(1))), CallKind.FUNC, 1);
    assertEquals(iv(Type.I32, 13), Evaluator.WRAPPING.eval(call, env));
    Expr ramp = new Ramp(i32(0), i32(2), 4);
    Expr load = new Load(Type.I32.withLanes(4), "buf", ramp, new LT(ramp, new Broadcast(i32(5), 4)));
    assertEquals(Value.ofInts(Type.I32.withLanes(4), 100, 102, 104, 0), Evaluator.WRAPPING.eval(load, env));

    CallHandler wrongType = new CallHandler() {
      @Override
      public Value call(Call c, List<Value> args) {
        return Value.ofFloat(Type.F32, 1);
      }

      @Override
      public Value load(Load l, Value index, Value predicate) {
        return Value.ofFloat(Type.F32, 1);
      }
    };
    EvaluationException e = assertThrows(EvaluationException.class,
        () -> Evaluator.WRAPPING.eval(call, Environment.of(Map.of("y", Value.ofInt(Type.I32, 5)), wrongType)));
    assertEquals("the call handler gave a float32 value for call 'g' of type int32", e.getMessage());
    EvaluationException none = assertThrows(EvaluationException.class, () -> Evaluator.WRAPPING.eval(call, Map.of("y", Value.ofInt(Type.I32, 5))));
    assertEquals("no values for func call 'g' (int32): the environment has no call handler", none.getMessage());
  }

  @Test
  void errorsNameWhatCannotBeEvaluated() {
    assertEquals("unbound variable 'q' (int32)",
        assertThrows(EvaluationException.class, () -> eval(new Add(new Var(Type.I32, "q"), i32(1)))).getMessage());
    assertEquals("variable 'q' has type int32 but is bound to float32 1.0",
        assertThrows(EvaluationException.class,
            () -> Evaluator.WRAPPING.eval(new Var(Type.I32, "q"), Map.of("q", Value.ofFloat(Type.F32, 1)))).getMessage());
    assertEquals("Add does not apply to bool operands",
        assertThrows(EvaluationException.class, () -> eval(new Add(bool(true), bool(true)))).getMessage());
    assertEquals("unknown math function 'sinc' (float32)",
        assertThrows(EvaluationException.class, () -> eval(math(Type.F32, "sinc", f32(1)))).getMessage());
    assertEquals("math function 'pow' takes 2 arguments, got 1",
        assertThrows(EvaluationException.class, () -> eval(math(Type.F32, "pow", f32(1)))).getMessage());
    assertEquals("intrinsic 'abs' gives uint8 here, but the call has type int8",
        assertThrows(EvaluationException.class, () -> eval(intrinsic(Type.I8, "abs", i8(-3)))).getMessage());
    assertEquals("lerp of int64 values is not defined (Halide has no 64-bit integer lerp)",
        assertThrows(EvaluationException.class, () -> eval(intrinsic(Type.I64, "lerp", i64(0), i64(1), u8(3)))).getMessage());
    assertEquals("unknown intrinsic 'frobnicate' (int32)",
        assertThrows(EvaluationException.class, () -> eval(intrinsic(Type.I32, "frobnicate"))).getMessage());
  }

  @Test
  void checkingModeReportsInt32Overflow() {
    Expr max = i32(Integer.MAX_VALUE);
    Expr min = i32(Integer.MIN_VALUE);
    assertOverflow("Add", "int32 overflow in Add: 2147483647 + 1 does not fit in int32", new Add(max, i32(1)));
    assertOverflow("Sub", "int32 overflow in Sub: -2147483648 - 1 does not fit in int32", new Sub(min, i32(1)));
    assertOverflow("Mul", "int32 overflow in Mul: 65536 * 65536 does not fit in int32", new Mul(i32(65536), i32(65536)));
    assertOverflow("Div", "int32 overflow in Div: -2147483648 / -1 does not fit in int32", new Div(min, i32(-1)));
    assertOverflow("Ramp", "int32 overflow in Ramp: lane 1 = 2147483647 + 1 * 1 does not fit in int32", new Ramp(max, i32(1), 2));
    assertOverflow("Add", "int32 overflow in Add: 2147483647 + 1 does not fit in int32",
        new Add(new Broadcast(max, 2), new Ramp(i32(0), i32(1), 2)));
    assertOverflow("VectorReduce", "int32 overflow in VectorReduce: 2147483647 + 2147483647 does not fit in int32",
        new VectorReduce(VectorReduce.Op.ADD, new Broadcast(max, 2), 1));
    // The same expressions wrap without checking.
    assertEquals(iv(Type.I32, Integer.MIN_VALUE), eval(new Add(max, i32(1))));
    assertEquals(iv(Type.I32, 0), eval(new Mul(i32(65536), i32(65536))));
    assertEquals(iv(Type.I32, Integer.MIN_VALUE), eval(new Div(min, i32(-1))));
    // Everything defined stays quiet in checking mode: other widths, unsigned, casts, MIN % -1.
    Environment none = Environment.EMPTY;
    assertEquals(iv(Type.I64, Long.MIN_VALUE), Evaluator.CHECKING.eval(new Add(i64(Long.MAX_VALUE), i64(1)), none));
    assertEquals(iv(Type.I16, -32768), Evaluator.CHECKING.eval(new Add(i16(32767), i16(1)), none));
    assertEquals(iv(Type.U32, 0), Evaluator.CHECKING.eval(new Add(u32(4294967295L), u32(1)), none));
    assertEquals(iv(Type.I32, Integer.MIN_VALUE), Evaluator.CHECKING.eval(new Cast(Type.I32, i64(1L << 31)), none));
    assertEquals(iv(Type.I32, 0), Evaluator.CHECKING.eval(new Mod(min, i32(-1)), none));
    assertEquals(iv(Type.I32, Integer.MAX_VALUE), Evaluator.CHECKING.eval(new Sub(i32(-1), min), none));
  }

  private static void assertOverflow(String operation, String message, Expr e) {
    Int32OverflowException ex = assertThrows(Int32OverflowException.class, () -> Evaluator.CHECKING.eval(e, Environment.EMPTY));
    assertEquals(operation, ex.operation());
    assertEquals(message, ex.getMessage());
  }

  @Test
  void valuesAreBitExact() {
    double otherNaN = Double.longBitsToDouble(0x7ff8000000000001L);
    assertEquals(Value.ofFloat(Type.F64, Double.NaN), Value.ofFloat(Type.F64, Double.NaN));
    assertNotEquals(Value.ofFloat(Type.F64, Double.NaN), Value.ofFloat(Type.F64, otherNaN));
    assertNotEquals(Value.ofFloat(Type.F64, 0.0), Value.ofFloat(Type.F64, -0.0));
    assertNotEquals(Value.ofFloat(Type.F32, 1), Value.ofFloat(Type.F64, 1));
    assertNotEquals(Value.ofInt(Type.I32, 1), Value.ofInt(Type.U32, 1));
    assertEquals(Value.ofFloats(Type.F32.withLanes(2), Double.NaN, -0.0), Value.ofFloats(Type.F32.withLanes(2), Double.NaN, -0.0));
    assertNotEquals(Value.ofFloats(Type.F32.withLanes(2), 1, 0.0), Value.ofFloats(Type.F32.withLanes(2), 1, -0.0));
    assertEquals(Value.ofInts(Type.U8.withLanes(2), 1, 2).hashCode(), Value.ofInts(Type.U8.withLanes(2), 1, 2).hashCode());
    assertEquals(iv(Type.U8, 255), Value.ofInt(Type.U8, -1));
    assertEquals("uint64 18446744073709551615", Value.ofInt(Type.U64, -1).toString());
    assertEquals("float32x2 [NaN(0x7ff8000000000000), -0.0]", Value.ofFloats(Type.F32.withLanes(2), Double.NaN, -0.0).toString());
    assertThrows(IllegalArgumentException.class, () -> new Value.IntScalar(Type.I8, 200));
  }

  @Test
  void valuesTurnBackIntoExpressions() {
    assertEquals(i8(-128), Evaluator.toExpr(iv(Type.I8, -128)));
    assertEquals(u64(U64_MAX), Evaluator.toExpr(iv(Type.U64, U64_MAX)));
    assertEquals(bool(true), Evaluator.toExpr(bv(true)));
    assertEquals(f32(0.1), Evaluator.toExpr(fv(Type.F32, 0.1f)));
    Expr negZero = Evaluator.toExpr(fv(Type.F64, -0.0));
    assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(((FloatImm) negZero).value()));
    assertEquals(new StringImm("s"), Evaluator.toExpr(new Value.Handle("s")));
    assertEquals(new Broadcast(i16(3), 4), Evaluator.toExpr(Value.ofInts(Type.I16.withLanes(4), 3, 3, 3, 3)));
    assertEquals(new Ramp(i8(120), i8(5), 4), Evaluator.toExpr(Value.ofInts(Type.I8.withLanes(4), 120, 125, -126, -121)));
    assertEquals(new Ramp(f32(0.5), f32(0.25), 3), Evaluator.toExpr(Value.ofFloats(Type.F32.withLanes(3), 0.5, 0.75, 1.0)));
    assertTrue(Evaluator.tryToExpr(Value.ofInts(Type.I32.withLanes(3), 1, 2, 4)).isEmpty());
    assertTrue(Evaluator.tryToExpr(Value.ofInts(Type.BOOL.withLanes(2), 0, 1)).isEmpty());
    assertTrue(Evaluator.tryToExpr(new Value.Handle(new Object())).isEmpty());
    // Every scalar value survives the round trip through an immediate bit for bit.
    RandomExprs gen = new RandomExprs(7);
    for (int i = 0; i < 2000; i++) {
      Value v = gen.value(gen.anyType(1));
      assertEquals(v, eval(Evaluator.toExpr(v)));
    }
  }

  @Test
  void randomExpressionsEvaluateToTheirType() {
    RandomExprs gen = new RandomExprs(2024);
    int n = 100_000;
    long nodes = 0;
    long evalNanos = 0;
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      Type t = gen.anyType(gen.random().nextInt(4) == 0 ? 4 : 1);
      Expr e = gen.expr(t, 5);
      Environment env = gen.environment();
      long before = System.nanoTime();
      Value v = Evaluator.WRAPPING.eval(e, env);
      evalNanos += System.nanoTime() - before;
      assertEquals(t, v.type());
      nodes += RandomExprs.treeSize(e);
    }
    System.out.printf("%d random expressions (%d nodes): generated and evaluated in %.0f ms, of which evaluation %.0f ms%n",
        n, nodes, (System.nanoTime() - start) / 1e6, evalNanos / 1e6);
  }
}
