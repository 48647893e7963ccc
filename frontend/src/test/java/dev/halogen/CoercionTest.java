package dev.halogen;

import static dev.halogen.IrBuild.bool;
import static dev.halogen.IrBuild.cast;
import static dev.halogen.IrBuild.f;
import static dev.halogen.IrBuild.i;
import static dev.halogen.IrBuild.u;
import static dev.halogen.IrBuild.v;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.halogen.ir.Expr.Add;
import dev.halogen.ir.Expr.Div;
import dev.halogen.ir.Expr.EQ;
import dev.halogen.ir.Expr.FloatImm;
import dev.halogen.ir.Expr.IntImm;
import dev.halogen.ir.Expr.LT;
import dev.halogen.ir.Expr.Max;
import dev.halogen.ir.Expr.Min;
import dev.halogen.ir.Expr.Mod;
import dev.halogen.ir.Expr.Select;
import dev.halogen.ir.Expr.Sub;
import dev.halogen.ir.Type;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Halide's implicit conversions: operand types and literals in, result type and inserted casts out. */
class CoercionTest {
  /** A typed operand named after its type, e.g. {@code p(Type.U8)} reads as {@code uint8 a}. */
  private static Param p(Type t) {
    return new Param("a", t);
  }

  private static Param q(Type t) {
    return new Param("b", t);
  }

  private static Arguments ok(String name, Supplier<Expr> build, dev.halogen.ir.Expr expected) {
    return Arguments.of(name, build, expected);
  }

  static Stream<Arguments> conversions() {
    return Stream.of(
        ok("same type: as is", () -> p(Type.I32).plus(q(Type.I32)), new Add(v("a"), v("b"))),
        ok("int literal takes uint8", () -> p(Type.U8).plus(1), new Add(v(Type.U8, "a"), u(Type.U8, 1))),
        ok("int literal -128 fits int8", () -> p(Type.I8).plus(-128), new Add(v(Type.I8, "a"), new IntImm(Type.I8, -128))),
        ok("int literal takes float32", () -> p(Type.F32).times(3), new dev.halogen.ir.Expr.Mul(v(Type.F32, "a"), f(3))),
        ok("int literal on the left takes float32", () -> Expr.of(2).minus(p(Type.F32)), new Sub(f(2), v(Type.F32, "a"))),
        ok("float literal takes float64", () -> p(Type.F64).plus(0.5f),
            new Add(v(Type.F64, "a"), new FloatImm(Type.F64, 0.5))),
        ok("double literal takes float16", () -> p(Type.F16).plus(0.5),
            new Add(v(Type.F16, "a"), new FloatImm(Type.F16, 0.5))),
        ok("float literal with int32 gives float32", () -> p(Type.I32).plus(1.5f),
            new Add(cast(Type.F32, v("a")), f(1.5))),
        ok("double literal with uint16 gives float32, not float64", () -> p(Type.U16).times(2.0),
            new dev.halogen.ir.Expr.Mul(cast(Type.F32, v(Type.U16, "a")), f(2))),
        ok("int32 and float32: the int becomes float", () -> p(Type.I32).plus(q(Type.F32)),
            new Add(cast(Type.F32, v("a")), v(Type.F32, "b"))),
        ok("float32 and float64: the wider", () -> p(Type.F32).plus(q(Type.F64)),
            new Add(cast(Type.F64, v(Type.F32, "a")), v(Type.F64, "b"))),
        ok("uint8 and uint16: the wider", () -> p(Type.U8).plus(q(Type.U16)),
            new Add(cast(Type.U16, v(Type.U8, "a")), v(Type.U16, "b"))),
        ok("int8 and int32: the wider", () -> p(Type.I8).plus(q(Type.I32)),
            new Add(cast(Type.I32, v(Type.I8, "a")), v("b"))),
        ok("uint8 and int8: int8", () -> p(Type.U8).plus(q(Type.I8)),
            new Add(cast(Type.I8, v(Type.U8, "a")), v(Type.I8, "b"))),
        ok("uint32 and int16: int32", () -> p(Type.U32).plus(q(Type.I16)),
            new Add(cast(Type.I32, v(Type.U32, "a")), cast(Type.I32, v(Type.I16, "b")))),
        ok("int16 and uint32: int32", () -> p(Type.I16).plus(q(Type.U32)),
            new Add(cast(Type.I32, v(Type.I16, "a")), cast(Type.I32, v(Type.U32, "b")))),
        ok("uint64 and int64: int64", () -> p(Type.U64).plus(q(Type.I64)),
            new Add(cast(Type.I64, v(Type.U64, "a")), v(Type.I64, "b"))),
        ok("two literals use their own types", () -> Expr.of(1).plus(Expr.of(2.5)),
            new Add(cast(Type.F64, i(1)), new FloatImm(Type.F64, 2.5))),
        ok("division of ints is Div (floor semantics in the IR)", () -> p(Type.I32).div(2), new Div(v("a"), i(2))),
        ok("remainder is Mod", () -> p(Type.U8).rem(3), new Mod(v(Type.U8, "a"), u(Type.U8, 3))),
        ok("comparison coerces like arithmetic", () -> p(Type.I32).lt(q(Type.F32)),
            new LT(cast(Type.F32, v("a")), v(Type.F32, "b"))),
        ok("bool == bool", () -> p(Type.BOOL).eq(q(Type.BOOL)), new EQ(v(Type.BOOL, "a"), v(Type.BOOL, "b"))),
        ok("bool == literal 1", () -> p(Type.BOOL).eq(1), new EQ(v(Type.BOOL, "a"), bool(true))),
        ok("negated int literal stays a literal", () -> p(Type.F32).plus(Expr.of(3).unaryMinus()),
            new Add(v(Type.F32, "a"), f(-3))),
        ok("negated expression is 0 - e", () -> p(Type.I32).unaryMinus(), new Sub(i(0), v("a"))),
        ok("negated uint8 is 0 - e in uint8", () -> p(Type.U8).unaryMinus(), new Sub(u(Type.U8, 0), v(Type.U8, "a"))),
        ok("min coerces like arithmetic", () -> Exprs.min(p(Type.U8), 7), new Min(v(Type.U8, "a"), u(Type.U8, 7))),
        ok("select: a literal adapts", () -> Exprs.select(q(Type.BOOL), p(Type.U8), Expr.of(1)),
            new Select(v(Type.BOOL, "b"), v(Type.U8, "a"), u(Type.U8, 1))),
        ok("select: a float literal adapts to float64", () -> Exprs.select(q(Type.BOOL), Expr.of(0.5f), p(Type.F64)),
            new Select(v(Type.BOOL, "b"), new FloatImm(Type.F64, 0.5), v(Type.F64, "a"))),
        ok("clamp bounds fitting uint8", () -> Exprs.clamp(p(Type.U8), 0, 255),
            new Max(new Min(v(Type.U8, "a"), u(Type.U8, 255)), u(Type.U8, 0))),
        ok("clamp: float32 holds every int16", () -> Exprs.clamp(p(Type.F32), q(Type.I16), q(Type.I16)),
            new Max(new Min(v(Type.F32, "a"), cast(Type.F32, v(Type.I16, "b"))), cast(Type.F32, v(Type.I16, "b")))),
        ok("clamp: whole double literals for int32", () -> Exprs.clamp(p(Type.I32), 0.0, 10.0),
            new Max(new Min(v("a"), i(10)), i(0))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("conversions")
  void converts(String name, Supplier<Expr> build, dev.halogen.ir.Expr expected) {
    Expr e = build.get();
    assertEquals(expected, e.ir());
    assertEquals(expected.type(), e.type());
  }

  private static Arguments fails(String name, Runnable build, String... fragments) {
    return Arguments.of(name, build, fragments);
  }

  static Stream<Arguments> errors() {
    return Stream.of(
        fails("int literal does not fit uint8", () -> p(Type.U8).plus(300),
            "plus(uint8, int32)", "the integer literal 300 does not fit in uint8"),
        fails("int literal 128 does not fit int8", () -> p(Type.I8).lt(128), "lt(int8, int32)", "128 does not fit in int8"),
        fails("negative literal does not fit unsigned", () -> p(Type.U16).minus(-1), "-1 does not fit in uint16"),
        fails("bool arithmetic", () -> p(Type.BOOL).plus(q(Type.BOOL)), "plus(bool, bool)", "arithmetic on bool is not allowed"),
        fails("bool plus an int", () -> p(Type.I32).times(q(Type.BOOL)), "times(int32, bool)", "arithmetic on bool"),
        fails("bool ordering", () -> p(Type.BOOL).lt(q(Type.BOOL)), "lt(bool, bool)"),
        fails("bool == int32 without a cast", () -> p(Type.BOOL).eq(q(Type.I32)), "eq(bool, int32)", "bool does not mix"),
        fails("bool == 2", () -> p(Type.BOOL).eq(2), "eq(bool, int32)", "2 does not fit in bool"),
        fails("handle arithmetic", () -> p(Type.HANDLE).plus(1), "plus(handle, int32)", "handles are opaque pointers"),
        fails("handle comparison", () -> p(Type.HANDLE).eq(q(Type.I64)),
            "eq(handle, int64)"),
        fails("and of an int", () -> p(Type.I32).and(q(Type.BOOL)), "and(int32, bool)", "both operands must be bool"),
        fails("not of a float", () -> p(Type.F32).not(), "not(float32)", "must be bool"),
        fails("negating a bool", () -> p(Type.BOOL).unaryMinus(), "unaryMinus(bool)"),
        fails("select values of different types", () -> Exprs.select(q(Type.BOOL), p(Type.I32), p(Type.F32)),
            "select(int32, float32)", "the values must have the same type"),
        fails("select of an int and a float literal", () -> Exprs.select(q(Type.BOOL), p(Type.I32), Expr.of(0.5f)),
            "select(int32, float32)", "a float literal does not mix with int32"),
        fails("select condition not bool", () -> Exprs.select(p(Type.I32), Expr.of(1), Expr.of(2)),
            "select: the condition has type int32"),
        fails("clamp bound out of range", () -> Exprs.clamp(p(Type.U8), 0, 300), "clamp", "int32 value cannot be converted to uint8"),
        fails("clamp: float32 cannot hold every int32", () -> Exprs.clamp(p(Type.F32), q(Type.I32), q(Type.I32)),
            "clamp: int32 value cannot be converted to float32 without loss"),
        fails("clamp: fractional bound of an int", () -> Exprs.clamp(p(Type.I32), 0.5, 10.0),
            "clamp: float64 value cannot be converted to int32"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("errors")
  void rejects(String name, Runnable build, String[] fragments) {
    HalogenException e = assertThrows(HalogenException.class, build::run);
    for (String fragment : fragments) {
      assertTrue(e.getMessage().contains(fragment), () -> "message '" + e.getMessage() + "' lacks '" + fragment + "'");
    }
  }

  @Test
  void standaloneLiteralsHaveJavaTypes() {
    assertEquals(i(3), Expr.of(3).ir());
    assertEquals(f(0.5), Expr.of(0.5f).ir());
    assertEquals(new FloatImm(Type.F64, 0.1), Expr.of(0.1).ir());
    assertEquals(new IntImm(Type.I64, 5), Expr.of(5L).ir());
    assertEquals(bool(true), Expr.of(true).ir());
  }

  @Test
  void aLiteralAdaptsOnlyWhereItIsUsedDirectly() {
    // 1 + 2 is a typed int32 expression, so adding it to a uint8 is match_types (int32), not a literal conversion.
    Expr sum = Expr.of(1).plus(2);
    Expr e = p(Type.U8).plus(sum);
    assertEquals(new Add(cast(Type.I32, v(Type.U8, "a")), new Add(i(1), i(2))), e.ir());
  }
}
