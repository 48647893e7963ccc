package dev.halogen;

import static dev.halogen.IrBuild.cast;
import static dev.halogen.IrBuild.f;
import static dev.halogen.IrBuild.fn;
import static dev.halogen.IrBuild.i;
import static dev.halogen.IrBuild.image;
import static dev.halogen.IrBuild.v;
import static dev.halogen.Messages.assertFails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.halogen.HalogenException.DefinitionException;
import dev.halogen.HalogenException.TypeException;
import dev.halogen.ir.Definition;
import dev.halogen.ir.DeviceApi;
import dev.halogen.ir.Dim;
import dev.halogen.ir.Expr.Add;
import dev.halogen.ir.Expr.Mul;
import dev.halogen.ir.ForKind;
import dev.halogen.ir.Function;
import dev.halogen.ir.Type;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pure and update definitions: what they record, and every rule they enforce. */
class DefinitionsTest {
  private final Var x = new Var("x");
  private final Var y = new Var("y");
  private final Var z = new Var("z");
  private final ImageParam in = new ImageParam("in", Type.F32, 2);

  private static Dim dim(String var, boolean rvar) {
    return new Dim(var, ForKind.SERIAL, DeviceApi.HOST, rvar);
  }

  private Func defined2d(String name) {
    Func g = new Func(name);
    g.at(x, y).set(in.at(x, y));
    return g;
  }

  // ------------------------------------------------------------------ what definitions record

  @Test
  void pureDefinitionRecordsArgsValuesTypesAndDefaultLoops() {
    Func g = new Func("g");
    g.at(x, y).set(x.plus(y));
    Function fn = g.function();
    assertEquals(List.of("x", "y"), fn.args());
    assertEquals(List.of(Type.I32), fn.outputTypes());
    assertEquals(List.of(v("x"), v("y")), fn.definition().args());
    assertEquals(List.of(new Add(v("x"), v("y"))), fn.definition().values());
    assertNull(fn.definition().domain());
    assertEquals(List.of(dim("x", false), dim("y", false)), fn.definition().schedule().dims());
    assertEquals(2, g.dimensions());
    assertTrue(g.defined());
  }

  @Test
  void updateWithRDomRecordsDomainAndLoopsRVarsFirst() {
    Func g = defined2d("g");
    RDom r = new RDom("r", 0, 3, 1, 4);
    g.at(x, r.y()).plusAssign(in.at(x.plus(r.x()), r.y()));
    Definition u = g.function().updates().getFirst();
    assertEquals(List.of(v("x"), v("r.y")), u.args());
    assertEquals(List.of(new Add(fn("g", v("x"), v("r.y")), image(Type.F32, "in", new Add(v("x"), v("r.x")), v("r.y")))),
        u.values());
    assertEquals("r", u.domain().name());
    assertEquals(List.of("r.x", "r.y"), u.domain().variables().stream().map(rv -> rv.name()).toList());
    assertEquals(i(1), u.domain().variables().get(1).min());
    assertEquals(i(4), u.domain().variables().get(1).extent());
    assertEquals(List.of(dim("r.x", true), dim("r.y", true), dim("x", false)), u.schedule().dims());
  }

  @Test
  void updateWithSamePureVarsIsAnUpdateAsInHalide() {
    Func g = defined2d("g");
    g.at(x, y).set(g.at(x, y).times(2));
    assertEquals(1, g.updateCount());
    assertEquals(List.of(new Mul(fn("g", v("x"), v("y")), f(2))), g.function().updates().getFirst().values());
    assertEquals(List.of(dim("x", false), dim("y", false)), g.function().updates().getFirst().schedule().dims());
  }

  @Test
  void diagonalUpdateIsAllowedSinceXStandsInItsOwnPosition() {
    Func g = defined2d("g");
    g.at(x, x).set(1f);
    assertEquals(List.of(v("x"), v("x")), g.function().updates().getFirst().args());
    assertEquals(List.of(dim("x", false)), g.function().updates().getFirst().schedule().dims());
  }

  @Test
  void updateMayUseParamsAndExpressionsOfBoundVars() {
    Func g = defined2d("g");
    Param row = new Param("row", Type.I32);
    g.at(x, row).set(g.at(x, row).plus(1));
    g.at(x, x.plus(1)).set(g.at(x, x).times(0.5f));
    assertEquals(List.of(v("x"), v("row")), g.function().updates().get(0).args());
    assertEquals(List.of(dim("x", false)), g.function().updates().get(0).schedule().dims());
    assertEquals(List.of(v("x"), new Add(v("x"), i(1))), g.function().updates().get(1).args());
  }

  @Test
  void literalValueOfAnUpdateTakesTheFuncsType() {
    Func g = defined2d("g");
    g.at(x, y).set(1);
    assertEquals(List.of(f(1)), g.function().updates().getFirst().values());
  }

  @Test
  void tupleDefinitionAndElementCalls() {
    Func t = new Func("t");
    t.at(x).set(x, Exprs.cast(Type.F32, x));
    assertEquals(List.of(Type.I32, Type.F32), t.outputTypes());
    FuncRef ref = t.at(3);
    assertEquals(2, ref.size());
    assertEquals(fn(Type.F32, "t", 1, i(3)), ref.get(1).ir());
    assertEquals(fn(Type.I32, "t", 0, i(3)), ref.value(0).ir());
    Func copy = new Func("copy");
    copy.at(x).set(t.at(x));
    assertEquals(List.of(fn(Type.I32, "t", 0, v("x")), fn(Type.F32, "t", 1, v("x"))), copy.function().definition().values());
    t.at(x).set(Tuple.of(t.at(x).get(0).plus(1), t.at(x).get(1)));
    assertEquals(1, t.updateCount());
  }

  @Test
  void compoundAssignmentOnUndefinedFuncDefinesIdentityFirst() {
    Func hist = new Func("hist");
    ImageParam img = new ImageParam("img", Type.U8, 1);
    RDom r = new RDom("r", 0, 10);
    hist.at(img.at(r.x())).plusAssign(1);
    Function fn = hist.function();
    assertEquals(1, fn.dimensions());
    assertTrue(fn.args().getFirst().startsWith("v$"), fn.args().toString());
    assertEquals(List.of(i(0)), fn.definition().values());
    dev.halogen.ir.Expr site = cast(Type.I32, image(Type.U8, "img", v("r.x")));
    assertEquals(List.of(site), fn.updates().getFirst().args());
    assertEquals(List.of(new Add(new dev.halogen.ir.Expr.Call(Type.I32, "hist", List.of(site),
        dev.halogen.ir.Expr.CallKind.FUNC), i(1))), fn.updates().getFirst().values());

    Func prod = new Func("prod");
    prod.at(x).timesAssign(in.at(x, r.x()));
    assertEquals(List.of("x"), prod.args());
    assertEquals(List.of(f(1)), prod.function().definition().values());
    assertEquals(List.of(new Mul(fn("prod", v("x")), image(Type.F32, "in", v("x"), v("r.x")))),
        prod.function().updates().getFirst().values());
  }

  @Test
  void placeholderExpandsToImplicitVarsInCallsAndPureDefinitions() {
    Func g = new Func("g");
    g.at(x, y, z).set(x.plus(y).plus(z));
    Func h = new Func("h");
    h.at(Var.IMPLICIT).set(g.at(Var.IMPLICIT).times(2));
    assertEquals(List.of("_0", "_1", "_2"), h.args());
    assertEquals(List.of(new Mul(new dev.halogen.ir.Expr.Call(Type.I32, "g", List.of(v("_0"), v("_1"), v("_2")),
        dev.halogen.ir.Expr.CallKind.FUNC), i(2))), h.function().definition().values());
    Func k = new Func("k");
    k.at(x, Var.IMPLICIT).set(g.at(Var.IMPLICIT, x));
    assertEquals(List.of("x", "_0", "_1"), k.args());
    assertEquals(List.of(new dev.halogen.ir.Expr.Call(Type.I32, "g", List.of(v("_0"), v("_1"), v("x")),
        dev.halogen.ir.Expr.CallKind.FUNC)), k.function().definition().values());
    // An update through the placeholder binds the implicit Vars in their positions.
    h.at(Var.IMPLICIT).plusAssign(g.at(Var.IMPLICIT));
    assertEquals(List.of(v("_0"), v("_1"), v("_2")), h.function().updates().getFirst().args());
    assertEquals(List.of(new dev.halogen.ir.Expr.Call(Type.I32, "g", List.of(i(1), v("_0"), v("_1")),
        dev.halogen.ir.Expr.CallKind.FUNC)), List.of(g.at(1, Var.IMPLICIT).ir()));
  }

  // ------------------------------------------------------------------ errors

  @Test
  void pureDefinitionGivenTwice() {
    Func g = defined2d("g");
    Var a = new Var("a");
    Var b = new Var("b");
    assertFails(DefinitionException.class, () -> g.at(a, b).set(a.plus(b)),
        "Func g already has the pure definition g(x, y)", "defining g(a, b) would give it a second pure definition");
    assertFails(DefinitionException.class, () -> g.at(y, x).set(1f), "g(y, x) would give it a second pure definition");
    assertEquals(0, g.updateCount());
  }

  @Test
  void callWithWrongNumberOfArguments() {
    Func g = defined2d("g");
    assertFails(DefinitionException.class, () -> g.at(x).ir(), "Func g has 2 dimensions but is given 1 argument");
    assertFails(DefinitionException.class, () -> g.at(x, y, z).plus(1), "Func g has 2 dimensions but is given 3 arguments");
    assertFails(DefinitionException.class, () -> g.at(x, y, z).set(1f),
        "Func g (on the left-hand side of update 0 of Func g) has 2 dimensions but is given 3 arguments");
    assertFails(DefinitionException.class, () -> in.at(x), "ImageParam in has 2 dimensions but is given 1 argument");
    assertFails(DefinitionException.class, () -> g.at(Var.IMPLICIT, x, Var.IMPLICIT).ir(), "Func g is given the placeholder Var.IMPLICIT twice");
    assertFails(IllegalArgumentException.class, () -> g.at("x", 1), "Argument 1 of Func g is a java.lang.String");
  }

  @Test
  void callArgumentsMustBeIntegers() {
    Func g = defined2d("g");
    assertFails(TypeException.class, () -> g.at(Expr.of(1.5f), y).ir(),
        "Argument 1 of the call to Func g has type float32; it must be an integer");
    assertFails(TypeException.class, () -> in.at(x, Expr.of(true)), "Argument 2 of the call to ImageParam in has type bool");
    // Other integer types are converted to int32, as in Halide.
    assertEquals(fn("g", cast(Type.I32, v(Type.U8, "p")), v("y")), g.at(new Param("p", Type.U8), y).ir());
  }

  @Test
  void rvarInPureDefinition() {
    RDom r = new RDom("r", 0, 10);
    Func g = new Func("g");
    assertFails(DefinitionException.class, () -> g.at(r.x()).set(1f),
        "Argument 1 of the pure definition of Func g is the RVar r.x", "define g over Vars first");
    assertFails(DefinitionException.class, () -> g.at(x).set(in.at(x, r.x())),
        "The pure definition of Func g uses RVars of RDom r", "put the reduction in an update definition");
    assertFalse(g.defined());
  }

  @Test
  void pureDefinitionArgumentsMustBeDistinctVars() {
    Func g = new Func("g");
    assertFails(DefinitionException.class, () -> g.at(x, x).set(1f), "Var x appears twice in the left-hand side of the pure definition of Func g");
    assertFails(DefinitionException.class, () -> g.at(x.plus(1)).set(1f), "Argument 1 of the pure definition of Func g is not a Var");
    assertFails(DefinitionException.class, () -> g.at(x, new Param("p", Type.I32)).set(1f), "Argument 2 of the pure definition of Func g is not a Var");
    assertFails(DefinitionException.class, () -> g.at(x).set(y), "Var y is used on the right-hand side of the pure definition of Func g",
        "not bound by its left-hand side g(x)");
  }

  @Test
  void pureVarOutOfItsPositionInUpdate() {
    Func g = defined2d("g");
    RDom r = new RDom("r", 0, 10);
    assertFails(DefinitionException.class, () -> g.at(y, r.x()).set(1f),
        "In update 0 of Func g, the pure Var y is argument 1 of the left-hand side, but it is argument 2 of the pure definition g(x, y)",
        "a pure Var must stay in its own position");
    assertFails(DefinitionException.class, () -> g.at(z, r.x()).set(1f),
        "In update 0 of Func g, argument 1 of the left-hand side is the Var z, which is not the pure Var x of that position in g(x, y)");
  }

  @Test
  void unboundVarInUpdate() {
    Func g = defined2d("g");
    RDom r = new RDom("r", 0, 10);
    assertFails(DefinitionException.class, () -> g.at(x, r.x()).set(g.at(x, r.x()).plus(in.at(y, r.x()))),
        "Var y is used on the right-hand side of update 0 of Func g but is not bound by its left-hand side g(x, r.x) (bound there: x)");
    assertFails(DefinitionException.class, () -> g.at(x.plus(1), r.x()).set(1f),
        "Var x is used on the left-hand side of update 0 of Func g", "(no pure Var stands in its own position there)");
    RDom s = new RDom("s", 0, 10);
    s.where(s.x().lt(y));
    assertFails(DefinitionException.class, () -> g.at(x, s.x()).set(1f),
        "Var y is used on the predicate of RDom s of update 0 of Func g");
    assertFails(DefinitionException.class, () -> g.at(x, y).set(in.at(Var.implicit(0), y)),
        "Update 0 of Func g uses the implicit variable _0 on the right-hand side, but its left-hand side g(x, y) has no placeholder");
    assertEquals(0, g.updateCount());
  }

  @Test
  void implicitVarsOnTheRightNeedThePlaceholderOnTheLeft() {
    Func g = defined2d("g");
    Func h = new Func("h");
    assertFails(DefinitionException.class, () -> h.at(x).set(g.at(Var.IMPLICIT)),
        "The pure definition of Func h uses the implicit variable _0 on the right-hand side, but its left-hand side h(x) has no placeholder");
    assertFails(DefinitionException.class, () -> h.at(x).set(Var.IMPLICIT.plus(1)),
        "The placeholder Var.IMPLICIT is used inside an expression on the right-hand side of the pure definition of Func h");
  }

  @Test
  void tupleSizeMismatch() {
    Func t = new Func("t");
    t.at(x).set(x, x);
    assertFails(DefinitionException.class, () -> t.at(x).set(x), "Update 0 of Func t gives 1 value, but the pure definition of t gives 2");
    assertFails(DefinitionException.class, () -> t.at(x).set(x, x, x), "gives 3 values, but the pure definition of t gives 2");
    assertFails(DefinitionException.class, () -> t.at(x).plusAssign(1), "gives 1 value, but the pure definition of t gives 2");
    assertFails(DefinitionException.class, () -> t.at(x).ir(), "Func t returns a Tuple of 2 values; use get(i)");
    assertFails(DefinitionException.class, () -> t.at(x).plus(1), "Func t returns a Tuple of 2 values");
  }

  @Test
  void typeMismatchBetweenUpdateAndPureDefinition() {
    Func g = defined2d("g");
    assertFails(DefinitionException.class, () -> g.at(x, y).set(Exprs.cast(Type.F64, x)),
        "The value of update 0 of Func g has type float64 but float32 is needed (the type of that value in g(x, y))");
    assertFails(DefinitionException.class, () -> g.at(x, y).plusAssign(Exprs.cast(Type.F64, x)), "has type float64 but float32 is needed");
    Func t = new Func("t");
    t.at(x).set(x, Exprs.cast(Type.F32, x));
    assertFails(DefinitionException.class, () -> t.at(x).set(Expr.of(0.5f), Expr.of(1f)),
        "Tuple element 0 of update 0 of Func t has type float32 but int32 is needed");
    Func b = new Func("b");
    b.at(x).set(x.lt(3));
    assertFails(TypeException.class, () -> b.at(x).plusAssign(Expr.of(true)), "plus(bool, bool): arithmetic on bool is not allowed");
  }

  @Test
  void twoRDomsInOneUpdate() {
    Func g = defined2d("g");
    RDom r = new RDom("r", 0, 10);
    RDom s = new RDom("s", 0, 10);
    assertFails(DefinitionException.class, () -> g.at(x, r.x()).set(in.at(s.x(), y.minus(y))),
        "Update 0 of Func g uses RVars of two RDoms, r and s; an update iterates one RDom");
  }

  @Test
  void callingAnUndefinedFunc() {
    Func u = new Func("u");
    assertFails(DefinitionException.class, () -> u.at(x).plus(1), "Func u is called before it has a definition");
    Func g = new Func("g");
    assertFails(DefinitionException.class, () -> g.at(x).set(g.at(x)), "Func g is called before it has a definition");
    assertFails(DefinitionException.class, u::dimensions, "Func u has no definition yet, so it has no arguments");
  }

  @Test
  void rdomRules() {
    RDom r = new RDom("r", 0, 10, 0, 5);
    RDom s = new RDom("s", 0, 3);
    assertFails(DefinitionException.class, () -> r.where(r.x().lt(s.x())),
        "RDom r: the predicate uses variables of another RDom s");
    assertFails(TypeException.class, () -> r.where(r.x()), "RDom r: where() needs a bool condition, got int32");
    assertFails(DefinitionException.class, () -> new RDom("q", Expr.of(0), x), "RDom q: its bounds use the Var x");
    assertFails(DefinitionException.class, () -> new RDom("q", Expr.of(0), r.x()), "RDom q: its bounds use variables of RDom r");
    assertFails(IllegalArgumentException.class, () -> new RDom("q", 0, 1, 2), "RDom q needs a min and an extent per dimension, got 3 values");
    assertFails(IllegalArgumentException.class, () -> new RDom("q", 0, -1), "RDom q: the extent of dimension 0 is negative");
    assertFails(TypeException.class, () -> new RDom("q", Expr.of(0), Expr.of(2.5f)), "RDom q: the extent of dimension 0 has type float32");
    Func g = defined2d("g");
    g.at(x, r.x()).set(1f);
    assertFails(DefinitionException.class, () -> r.where(r.x().gt(2)),
        "RDom r is already used by update 0 of Func g; add its predicates with where() before using it");
    assertEquals("r.x r.y", r.x().name() + " " + r.y().name());
    assertEquals(List.of("q.x", "q.y", "q.z", "q.w", "q.4"),
        new RDom("q", 0, 1, 0, 1, 0, 1, 0, 1, 0, 1).vars().stream().map(RVar::name).toList());
  }

  @Test
  void predicatesAreAndedAndMayUseBoundPureVars() {
    Func g = defined2d("g");
    RDom r = new RDom("r", 0, 10);
    r.where(r.x().lt(x)).where(r.x().gt(1));
    g.at(x, r.x()).set(2f);
    assertEquals(new dev.halogen.ir.Expr.And(new dev.halogen.ir.Expr.LT(v("r.x"), v("x")), new dev.halogen.ir.Expr.GT(v("r.x"), i(1))),
        g.function().updates().getFirst().domain().predicate());
  }

  @Test
  void userNamesAreIdentifiers() {
    assertFails(IllegalArgumentException.class, () -> new Func("a.b"), "Func name 'a.b' is not an identifier");
    assertFails(IllegalArgumentException.class, () -> new Var("v$1"), "Var name 'v$1' is not an identifier");
    assertFails(IllegalArgumentException.class, () -> new Var("_"), "reserved for the placeholder");
    assertFails(IllegalArgumentException.class, () -> new Param("1p", Type.F32), "Param name '1p'");
  }

  @Test
  void paramValues() {
    Param gain = new Param("gain", Type.F32, 1.0);
    assertEquals(f(1), gain.defaultValue());
    assertEquals(f(2.5), gain.set(2.5).value());
    assertEquals(v(Type.F32, "gain"), gain.ir());
    Param n = new Param("n", Type.U8, 7);
    assertEquals(IrBuild.u(Type.U8, 7), n.value());
    assertFails(TypeException.class, () -> n.set(256), "Param n: the value 256 is not a value of type uint8");
    assertFails(TypeException.class, () -> n.set(1.5), "Param n: the value 1.5 is not a value of type uint8");
    assertFails(TypeException.class, () -> new Param("flag", Type.I32, true), "Param flag of type int32 cannot hold a bool");
  }
}
