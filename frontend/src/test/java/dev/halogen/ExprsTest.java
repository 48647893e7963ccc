package dev.halogen;

import static dev.halogen.IrBuild.cast;
import static dev.halogen.IrBuild.f;
import static dev.halogen.IrBuild.fn;
import static dev.halogen.IrBuild.i;
import static dev.halogen.IrBuild.image;
import static dev.halogen.IrBuild.intrinsic;
import static dev.halogen.IrBuild.math;
import static dev.halogen.IrBuild.u;
import static dev.halogen.IrBuild.v;
import static dev.halogen.Messages.assertFails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.halogen.HalogenException.DefinitionException;
import dev.halogen.HalogenException.TypeException;
import dev.halogen.ir.Definition;
import dev.halogen.ir.Expr.Add;
import dev.halogen.ir.Expr.Call;
import dev.halogen.ir.Expr.CallKind;
import dev.halogen.ir.Expr.FloatImm;
import dev.halogen.ir.Expr.GT;
import dev.halogen.ir.Expr.IntImm;
import dev.halogen.ir.Expr.LT;
import dev.halogen.ir.Expr.Max;
import dev.halogen.ir.Expr.Min;
import dev.halogen.ir.Expr.Mul;
import dev.halogen.ir.Expr.Select;
import dev.halogen.ir.Expr.Sub;
import dev.halogen.ir.Function;
import dev.halogen.ir.Type;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The math library's typing and IR, selects, casts and inline reductions. */
class ExprsTest {
  private static Param p(Type t) {
    return new Param("a", t);
  }

  private static Param q(Type t) {
    return new Param("b", t);
  }

  private static Arguments ok(String name, Supplier<Expr> build, dev.halogen.ir.Expr expected) {
    return Arguments.of(name, build, expected);
  }

  static Stream<Arguments> typing() {
    return Stream.of(
        ok("sin of int32 is float32", () -> Exprs.sin(p(Type.I32)), math(Type.F32, "sin", cast(Type.F32, v("a")))),
        ok("exp of float64 stays float64", () -> Exprs.exp(p(Type.F64)), math(Type.F64, "exp", v(Type.F64, "a"))),
        ok("sqrt of an int literal", () -> Exprs.sqrt(Expr.of(2)), math(Type.F32, "sqrt", f(2))),
        ok("floor of float16 keeps float16", () -> Exprs.floor(p(Type.F16)), math(Type.F16, "floor", v(Type.F16, "a"))),
        ok("round of uint8 is float32", () -> Exprs.round(p(Type.U8)), math(Type.F32, "round", cast(Type.F32, v(Type.U8, "a")))),
        ok("pow of int32 and a literal", () -> Exprs.pow(p(Type.I32), 2), math(Type.F32, "pow", cast(Type.F32, v("a")), f(2))),
        ok("pow of float64 and float32: float64", () -> Exprs.pow(p(Type.F64), q(Type.F32)),
            math(Type.F64, "pow", v(Type.F64, "a"), cast(Type.F64, v(Type.F32, "b")))),
        ok("pow of float32 and int32", () -> Exprs.pow(p(Type.F32), q(Type.I32)),
            math(Type.F32, "pow", v(Type.F32, "a"), cast(Type.F32, v("b")))),
        ok("atan2 of two ints", () -> Exprs.atan2(p(Type.I16), q(Type.I32)),
            math(Type.F32, "atan2", cast(Type.F32, v(Type.I16, "a")), cast(Type.F32, v("b")))),
        ok("fract is x - trunc(x)", () -> Exprs.fract(p(Type.F32)), new Sub(v(Type.F32, "a"), math(Type.F32, "trunc", v(Type.F32, "a")))),
        ok("abs of int16 is uint16", () -> Exprs.abs(p(Type.I16)), intrinsic(Type.U16, "abs", v(Type.I16, "a"))),
        ok("abs of float32", () -> Exprs.abs(p(Type.F32)), intrinsic(Type.F32, "abs", v(Type.F32, "a"))),
        ok("abs of uint8 is itself", () -> Exprs.abs(p(Type.U8)), v(Type.U8, "a")),
        ok("lerp of floats with a literal weight", () -> Exprs.lerp(p(Type.F32), q(Type.F32), Expr.of(0.25)),
            intrinsic(Type.F32, "lerp", v(Type.F32, "a"), v(Type.F32, "b"), f(0.25))),
        ok("lerp of uint8 with a uint8 weight", () -> Exprs.lerp(p(Type.U8), Expr.of(255), q(Type.U8)),
            intrinsic(Type.U8, "lerp", v(Type.U8, "a"), u(Type.U8, 255), v(Type.U8, "b"))),
        ok("isNan", () -> Exprs.isNan(p(Type.F64)), intrinsic(Type.BOOL, "is_nan", v(Type.F64, "a"))),
        ok("likely keeps the type", () -> Exprs.likely(p(Type.BOOL)), intrinsic(Type.BOOL, "likely", v(Type.BOOL, "a"))),
        ok("max with a literal", () -> Exprs.max(p(Type.F32), 0), new Max(v(Type.F32, "a"), f(0))),
        ok("chained select nests to the right", () -> Exprs.select(p(Type.I32).lt(0), Expr.of(-1), p(Type.I32).gt(0), Expr.of(1),
            Expr.of(0)), new Select(new LT(v("a"), i(0)), i(-1), new Select(new GT(v("a"), i(0)), i(1), i(0)))),
        ok("cast of an expression", () -> Exprs.cast(Type.U8, p(Type.F32)), cast(Type.U8, v(Type.F32, "a"))),
        ok("cast to the same type is the expression", () -> Exprs.cast(Type.F32, p(Type.F32)), v(Type.F32, "a")),
        ok("cast of a literal that fits is a constant", () -> Exprs.cast(Type.U16, Expr.of(7)), u(Type.U16, 7)),
        ok("cast of a literal that does not fit wraps at run time", () -> Exprs.cast(Type.U8, Expr.of(300)), cast(Type.U8, i(300))),
        ok("cast of a float literal to float64", () -> Exprs.cast(Type.F64, Expr.of(0.5f)), new FloatImm(Type.F64, 0.5)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("typing")
  void builds(String name, Supplier<Expr> build, dev.halogen.ir.Expr expected) {
    assertEquals(expected, build.get().ir());
  }

  @Test
  void typeErrors() {
    assertFails(TypeException.class, () -> Exprs.sin(p(Type.BOOL)), "sin needs a number, got bool");
    assertFails(TypeException.class, () -> Exprs.abs(p(Type.BOOL)), "abs(bool): needs a number");
    assertFails(TypeException.class, () -> Exprs.isNan(p(Type.I32)), "isNan(int32): needs a float");
    assertFails(TypeException.class, () -> Exprs.lerp(p(Type.F32), q(Type.F32), p(Type.I32)),
        "The lerp weight has type int32 but float32 is needed");
    assertFails(TypeException.class, () -> Exprs.lerp(p(Type.I16), q(Type.I16), p(Type.I16)),
        "lerp of int16 values needs an unsigned or float weight, got int16");
    assertFails(TypeException.class, () -> Exprs.cast(Type.HANDLE, p(Type.I64)), "cast(handle, int64): casts to and from handle are not allowed");
    assertFails(TypeException.class, () -> Exprs.cast(Type.F32.withLanes(4), p(Type.F32)), "cast to float32x4");
    assertFails(IllegalArgumentException.class, () -> Exprs.select(p(Type.BOOL), Expr.of(1), p(Type.BOOL), Expr.of(2)),
        "select needs condition-value pairs and a last value");
  }

  // ------------------------------------------------------------------ inline reductions

  @Test
  void sumMakesAFuncOverTheFreeVarsWithAnUpdateOverTheRDom() {
    Var x = new Var("x");
    Var y = new Var("y");
    ImageParam in = new ImageParam("in", Type.F32, 2);
    RDom r = new RDom("r", 0, 3);
    Expr s = Exprs.sum(in.at(x.plus(r.x()), y), "box");
    assertEquals(fn("box", v("x"), v("y")), s.ir());
    Func box = new Pipeline(defineOut(s, x, y)).outputs().getFirst();
    Function fn = reached(box, "box");
    assertEquals(List.of("x", "y"), fn.args());
    assertEquals(List.of(f(0)), fn.definition().values());
    Definition u = fn.updates().getFirst();
    assertEquals(List.of(v("x"), v("y")), u.args());
    assertEquals(List.of(new Add(fn("box", v("x"), v("y")), image(Type.F32, "in", new Add(v("x"), v("r.x")), v("y")))), u.values());
    assertEquals("r", u.domain().name());
  }

  @Test
  void productMaximumMinimumStartFromTheirIdentities() {
    RDom r = new RDom("r", 0, 8);
    ImageParam img = new ImageParam("img", Type.U8, 1);
    ImageParam fimg = new ImageParam("fimg", Type.F32, 1);
    Function prod = function(Exprs.product(fimg.at(r.x()), "prod"));
    assertEquals(List.of(f(1)), prod.definition().values());
    assertEquals(List.of(new Mul(fn("prod"), image(Type.F32, "fimg", v("r.x")))), prod.updates().getFirst().values());
    Function max = function(Exprs.maximum(fimg.at(r.x()), "mx"));
    assertEquals(List.of(new FloatImm(Type.F32, Double.NEGATIVE_INFINITY)), max.definition().values());
    assertEquals(List.of(new Max(fn("mx"), image(Type.F32, "fimg", v("r.x")))), max.updates().getFirst().values());
    Function min = function(Exprs.minimum(img.at(r.x()), "mn"));
    assertEquals(List.of(u(Type.U8, 255)), min.definition().values());
    assertEquals(List.of(new Min(new Call(Type.U8, "mn", List.of(), CallKind.FUNC), image(Type.U8, "img", v("r.x")))),
        min.updates().getFirst().values());
    Function imax = function(Exprs.maximum(Exprs.cast(Type.I16, img.at(r.x())), "imx"));
    assertEquals(List.of(new IntImm(Type.I16, Short.MIN_VALUE)), imax.definition().values());
  }

  @Test
  void argmaxIsATupleOfCoordinatesAndValue() {
    RDom r = new RDom("r", 0, 4, 0, 4);
    ImageParam img = new ImageParam("img", Type.F32, 2);
    FuncRef am = Exprs.argmax(img.at(r.x(), r.y()), "am");
    assertEquals(3, am.size());
    Function fn = am.func().function();
    assertEquals(List.of(Type.I32, Type.I32, Type.F32), fn.outputTypes());
    assertEquals(List.of(i(0), i(0), new FloatImm(Type.F32, Double.NEGATIVE_INFINITY)), fn.definition().values());
    dev.halogen.ir.Expr value = image(Type.F32, "img", v("r.x"), v("r.y"));
    dev.halogen.ir.Expr better = new GT(value, fn(Type.F32, "am", 2));
    assertEquals(List.of(new Select(better, v("r.x"), fn(Type.I32, "am", 0)), new Select(better, v("r.y"), fn(Type.I32, "am", 1)),
        new Select(better, value, fn(Type.F32, "am", 2))), fn.updates().getFirst().values());
  }

  @Test
  void reductionErrors() {
    Var x = new Var("x");
    RDom r = new RDom("r", 0, 3);
    RDom s = new RDom("s", 0, 3);
    assertFails(DefinitionException.class, () -> Exprs.sum(x.plus(1)), "sum: the expression uses no RDom");
    assertFails(DefinitionException.class, () -> Exprs.maximum(r.x().plus(s.x())), "maximum: the expression uses RVars of two RDoms, r and s");
    assertFails(TypeException.class, () -> Exprs.sum(r.x().lt(2)), "sum of bool: needs numbers");
  }

  @Test
  void anonymousReductionsGetGeneratedNames() {
    RDom r = new RDom("r", 0, 3);
    Expr s = Exprs.sum(r.x());
    assertTrue(((Call) s.ir()).name().startsWith("sum$"), s.toString());
  }

  private static Func defineOut(Expr e, Var... vars) {
    Func out = new Func("out");
    out.at((Object[]) vars).set(e);
    return out;
  }

  private static Function reached(Func root, String name) {
    return new Pipeline(root).toIr().function(name);
  }

  /** The Func of a call to a 0-dimensional reduction. */
  private static Function function(Expr call) {
    Func out = new Func("out");
    out.at().set(call);
    return reached(out, ((Call) call.ir()).name());
  }
}
