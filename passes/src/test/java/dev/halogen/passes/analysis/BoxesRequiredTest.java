package dev.halogen.passes.analysis;

import static dev.halogen.passes.analysis.Ir.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.halogen.ir.Expr;
import dev.halogen.ir.Expr.*;
import dev.halogen.ir.ForKind;
import dev.halogen.ir.ReductionDomain;
import dev.halogen.ir.Stmt;
import dev.halogen.ir.Type;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link Bounds#boxesRequired}: the regions of Funcs and images that expressions and statements read. */
class BoxesRequiredTest {
  private static final FuncValueBounds NO_VALUES = FuncValueBounds.empty();
  private static final Var n = Var.of("n");

  private static Interval ci(long lo, long hi) {
    return Interval.ofConst(Type.I32, lo, hi);
  }

  private static Expr f(Expr... args) {
    return new Call(Type.F32, "f", List.of(args), CallKind.FUNC);
  }

  private static Expr in(Expr... args) {
    return new Call(Type.F32, "in", List.of(args), CallKind.IMAGE);
  }

  private static Expr clamp(Expr e, long lo, long hi) {
    return max(min(e, i(hi)), i(lo));
  }

  private static Map<String, Box> boxes(Expr e, IntervalScope s) {
    return Bounds.boxesRequired(e, s, NO_VALUES);
  }

  @Test
  void blurStencil() {
    Expr blur = add(add(f(sub(x, i(1))), f(x)), f(add(x, i(1))));
    assertEquals(Map.of("f", Box.of(ci(-1, 100))), boxes(blur, IntervalScope.empty().with("x", 0, 99)));
  }

  @Test
  void twoDimensionsAndTransposedCalls() {
    IntervalScope s = IntervalScope.empty().with("x", 0, 9).with("y", 0, 4);
    assertEquals(Map.of("in", Box.of(ci(-1, 9), ci(0, 5))), boxes(add(in(sub(x, i(1)), y), in(x, add(y, i(1)))), s));
    assertEquals(Map.of("f", Box.of(ci(0, 4), ci(0, 9))), boxes(f(y, x), s));
    // both orientations of the same Func unite dimension by dimension
    assertEquals(Map.of("f", Box.of(ci(0, 9), ci(0, 9))), boxes(add(f(x, y), f(y, x)), s));
  }

  @Test
  void reductionVariables() {
    ReductionDomain r = new ReductionDomain("r",
        List.of(new ReductionDomain.ReductionVariable("r.x", i(-2), i(5)), new ReductionDomain.ReductionVariable("r.y", i(0), n)),
        c(Type.BOOL, 1));
    IntervalScope s = IntervalScope.empty().with("x", 0, 9).withDomain(r);
    // r.x in [-2, 2], r.y in [0, n - 1]
    Map<String, Box> b = boxes(f(add(x, v("r.x")), v("r.y")), s);
    assertEquals(Box.of(ci(-2, 11), Interval.of(i(0), sub(n, i(1)))), b.get("f"));
  }

  @Test
  void dataDependentIndexThroughClamp() {
    Expr g = new Call(Type.I32, "g", List.of(x), CallKind.FUNC);
    Map<String, Box> b = boxes(f(clamp(g, 0, 9)), IntervalScope.empty().with("x", 0, 99));
    assertEquals(Map.of("f", Box.of(ci(0, 9)), "g", Box.of(ci(0, 99))), b);
    // without the clamp the int32 value of g is unbounded
    assertEquals(Box.of(Interval.EVERYTHING), boxes(f(g), IntervalScope.empty().with("x", 0, 99)).get("f"));
  }

  @Test
  void dataDependentIndexThroughValueBounds() {
    Expr h = new Call(Type.F32, "h", List.of(x), CallKind.FUNC);
    Expr idx = new Cast(Type.I32, h);
    FuncValueBounds vb = NO_VALUES.with("h", Interval.of(f32(0), f32(15.5)));
    Map<String, Box> b = Bounds.boxesRequired(in(idx), IntervalScope.empty().with("x", 0, 99), vb);
    assertEquals(Box.of(ci(0, 15)), b.get("in"));
    // a uint8 value indexes at most [0, 255] even without value bounds
    Expr h8 = new Call(Type.U8, "h8", List.of(x), CallKind.FUNC);
    assertEquals(Box.of(ci(0, 255)), boxes(in(new Cast(Type.I32, h8)), IntervalScope.empty().with("x", 0, 99)).get("in"));
    // nested Func calls: f at the values of g
    Expr g = new Call(Type.I32, "g", List.of(x), CallKind.FUNC);
    Map<String, Box> nested = Bounds.boxesRequired(f(g), IntervalScope.empty().with("x", 3, 4), NO_VALUES.with("g", ci(-5, 5)));
    assertEquals(Map.of("f", Box.of(ci(-5, 5)), "g", Box.of(ci(3, 4))), nested);
  }

  @Test
  void selectReadsBothBranchesByDefault() {
    // SEMANTICS.md evaluates both branches, so both read f wherever x ranges
    IntervalScope s = IntervalScope.empty().with("x", 0, 99);
    assertEquals(Box.of(ci(0, 99)), boxes(new Select(lt(x, i(10)), f(x), f32(0)), s).get("f"));
    assertEquals(Box.of(ci(0, 99)), boxes(new Select(lt(x, i(0)), f(x), f32(0)), s).get("f"));
  }

  @Test
  void selectNarrowsEachTakenBranchOnRequest() {
    IntervalScope s = IntervalScope.empty().with("x", 0, 99);
    assertEquals(Box.of(ci(0, 9)), taken(new Select(lt(x, i(10)), f(x), f32(0)), s).get("f"));
    assertEquals(Box.of(ci(10, 99)), taken(new Select(lt(x, i(10)), f32(0), f(x)), s).get("f"));
    // a branch that is never taken reads nothing
    assertEquals(Map.of(), taken(new Select(lt(x, i(0)), f(x), f32(0)), s));
    // conditions on two variables: x + y < 10 with y in [0, 4] allows x up to 9
    IntervalScope s2 = s.with("y", 0, 4);
    assertEquals(Box.of(ci(0, 9)), taken(new Select(lt(add(x, y), i(10)), f(x), f32(0)), s2).get("f"));
    // a value index narrowed inside an argument is narrowed in either mode: the select picks it
    assertEquals(Box.of(ci(0, 10)), boxes(f(new Select(lt(x, i(10)), x, i(10))), s).get("f"));
  }

  private static Map<String, Box> taken(Expr e, IntervalScope s) {
    return Bounds.boxesRequired(e, s, NO_VALUES, Bounds.SelectReads.TAKEN_BRANCH);
  }

  @Test
  void letsAndSymbolicExtents() {
    assertEquals(Box.of(ci(0, 198)), boxes(let("t", mul(x, i(2)), f(v("t"))), IntervalScope.empty().with("x", 0, 99)).get("f"));
    IntervalScope s = IntervalScope.empty().with("x", i(0), sub(n, i(1)));
    assertEquals(Box.of(Interval.of(i(-1), n)), boxes(add(f(sub(x, i(1))), f(add(x, i(1)))), s).get("f"));
  }

  @Test
  void severalExpressions() {
    Map<String, Box> b = Bounds.boxesRequired(List.of(f(x), f(add(x, i(5))), in(x, i(0))), IntervalScope.empty().with("x", 0, 9), NO_VALUES);
    assertEquals(Map.of("f", Box.of(ci(0, 14)), "in", Box.of(ci(0, 9), ci(0, 0))), b);
  }

  @Test
  void statements() {
    // for x in [0, 100): out(x) = f(x - 1) + f(x + 1); for y in [0, n): if (y < 5) out(y) = in(y)
    Stmt loop1 = new Stmt.For("x", i(0), i(100), ForKind.SERIAL,
        new Stmt.Provide("out", List.of(add(f(sub(x, i(1))), f(add(x, i(1))))), List.of(x)));
    Stmt loop2 = new Stmt.For("y", i(0), n, ForKind.SERIAL,
        new Stmt.IfThenElse(lt(y, i(5)), new Stmt.Provide("out", List.of(in(y, i(0))), List.of(y))));
    Stmt let = new Stmt.LetStmt("t", mul(n, i(2)), new Stmt.Evaluate(f(v("t"))));
    Map<String, Box> b = Bounds.boxesRequired(new Stmt.Block(List.of(loop1, loop2)), IntervalScope.empty(), NO_VALUES);
    assertEquals(Box.of(ci(-1, 100)), b.get("f"));
    assertEquals(Box.of(Interval.of(i(0), min(sub(n, i(1)), i(4))), ci(0, 0)), simplified(b.get("in")));
    assertFalse(b.containsKey("out"), "a Provide writes its Func, it does not read it");
    assertEquals(Box.of(Interval.point(mul(n, i(2)))), simplified(Bounds.boxesRequired(let, IntervalScope.empty(), NO_VALUES).get("f")));
  }

  @Test
  void aLoopWhoseBoundsDependOnAnOuterLoopEndsAtItsLastIteration() {
    // for o in [0, 10): for i in [o * 4, min(o * 4 + 4, n)): f(i). The last i is min(o * 4 + 4, n) - 1,
    // at most min(40, n) - 1; the largest min (36) plus the largest extent would overshoot.
    Var o = v("o"), in = v("i");
    Stmt inner = new Stmt.For("i", mul(o, i(4)), sub(min(add(mul(o, i(4)), i(4)), n), mul(o, i(4))), ForKind.SERIAL,
        new Stmt.Evaluate(f(in)));
    Box b = Bounds.boxesRequired(new Stmt.For("o", i(0), i(10), ForKind.SERIAL, inner), IntervalScope.empty(), NO_VALUES).get("f");
    assertEquals(i(0), b.get(0).min());
    assertTrue(Simplifier.canProve(eq(b.get(0).max(), sub(min(n, i(40)), i(1)))), b.toString());
  }

  @Test
  void differentArgumentCountsAreAnError() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> boxes(add(f(x), f(x, x)), IntervalScope.empty()));
    assertTrue(e.getMessage().contains("'f'"), e.getMessage());
  }

  private static Box simplified(Box b) {
    return new Box(b.dims().stream().map(i -> new Interval(
        i.min() == null ? null : Simplifier.simplify(i.min()), i.max() == null ? null : Simplifier.simplify(i.max()))).toList());
  }
}
