package dev.halogen.passes.analysis;

import static dev.halogen.passes.analysis.Ir.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.halogen.ir.Buffer;
import dev.halogen.ir.Definition;
import dev.halogen.ir.Expr;
import dev.halogen.ir.Expr.*;
import dev.halogen.ir.FuncSchedule;
import dev.halogen.ir.Function;
import dev.halogen.ir.Parameter;
import dev.halogen.ir.Pipeline;
import dev.halogen.ir.ReductionDomain;
import dev.halogen.ir.StageSchedule;
import dev.halogen.ir.Type;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link Bounds#valueBounds}: the values the Funcs and images of small pipelines can take. */
class ValueBoundsTest {
  private static Interval ci(long lo, long hi) {
    return Interval.ofConst(Type.I32, lo, hi);
  }

  private static Definition def(List<Expr> args, Expr... values) {
    return new Definition(args, List.of(values), null, StageSchedule.of(List.of()));
  }

  private static Function func(String name, Type t, Definition pure, Definition... updates) {
    return new Function(name, List.of("x"), List.of(t), pure, List.of(updates), FuncSchedule.INLINE);
  }

  private static Expr call(String name, Type t, CallKind kind, Expr... args) {
    return new Call(t, name, List.of(args), kind);
  }

  private static Expr clamp(Expr e, Expr lo, Expr hi) {
    return max(min(e, hi), lo);
  }

  private static FuncValueBounds bounds(List<Function> fs, Parameter... params) {
    return Bounds.valueBounds(Pipeline.of(List.of(fs.get(fs.size() - 1).name()), fs, List.of(params)));
  }

  @Test
  void clampedLookupTable() {
    // lut(x) = clamp(x * x / 16, 0, 255); out(x) = table(lut(int32(in(x)))) with table a constant buffer
    Function lut = func("lut", Type.I32, def(List.of(x), clamp(div(mul(x, x), i(16)), i(0), i(255))));
    Expr index = call("lut", Type.I32, CallKind.FUNC, new Cast(Type.I32, call("in", Type.U8, CallKind.IMAGE, x)));
    Function out = func("out", Type.F32, def(List.of(x), call("table", Type.F32, CallKind.IMAGE, index)));
    Buffer table = Buffer.of(new float[] {0.5f, -2f, Float.NaN, 3.25f}, 4);
    FuncValueBounds vb = bounds(List.of(lut, out), new Parameter.Image("in", Type.U8, 1), new Parameter.Constant("table", table));
    assertEquals(List.of(ci(0, 255)), vb.get("lut"));
    assertEquals(List.of(Interval.ofConst(Type.U8, 0, 255)), vb.get("in"));
    assertEquals(List.of(Interval.of(f32(-2), f32(3.25))), vb.get("table"), "NaN is outside the interval algebra");
    assertEquals(List.of(Interval.of(f32(-2), f32(3.25))), vb.get("out"));
    // and the region of the table that out reads, through lut's value bounds
    Map<String, Box> boxes = Bounds.boxesRequired(out.definition().values().get(0), IntervalScope.empty().with("x", 0, 99), vb);
    assertEquals(Box.of(ci(0, 255)), boxes.get("table"));
    assertEquals(Box.of(ci(0, 255)), boxes.get("lut"));
  }

  @Test
  void givenBoundsOverrideImagesAndFuncs() {
    Function g = func("g", Type.I32, def(List.of(x), new Cast(Type.I32, call("in", Type.F32, CallKind.IMAGE, x))));
    Function h = func("h", Type.I32, def(List.of(x), add(call("g", Type.I32, CallKind.FUNC, x), i(1))));
    Pipeline p = Pipeline.of(List.of("h"), List.of(g, h), List.of(new Parameter.Image("in", Type.F32, 1)));
    assertEquals(List.of(Interval.EVERYTHING), Bounds.valueBounds(p).get("h"));
    FuncValueBounds given = FuncValueBounds.empty().with("in", Interval.of(f32(0), f32(10.5)));
    FuncValueBounds vb = Bounds.valueBounds(p, given);
    assertEquals(List.of(ci(0, 10)), vb.get("g"));
    assertEquals(List.of(ci(1, 11)), vb.get("h"));
    assertEquals(List.of(ci(-4, 4)), Bounds.valueBounds(p, FuncValueBounds.empty().with("g", ci(-5, 3))).get("h"));
  }

  @Test
  void selfReferencingUpdates() {
    Expr self = call("f", Type.I32, CallKind.FUNC, x);
    // f(x) = 0; f(x) = f(x) + 1 climbs without end
    assertEquals(List.of(Interval.EVERYTHING), bounds(List.of(func("f", Type.I32, def(List.of(x), i(0)), def(List.of(x), add(self, i(1)))))).get("f"));
    // ... unless a clamp bounds it
    assertEquals(List.of(ci(0, 10)), bounds(List.of(func("f", Type.I32, def(List.of(x), i(0)),
        def(List.of(x), clamp(add(self, i(1)), i(0), i(10)))))).get("f"));
    // f(x) = x % 4; f(x) = f(x) / 2 maps [0, 3] into itself
    assertEquals(List.of(ci(0, 3)), bounds(List.of(func("f", Type.I32, def(List.of(x), mod(x, i(4))),
        def(List.of(x), div(self, i(2)))))).get("f"));
    // an update that does not read f adds its values
    assertEquals(List.of(ci(0, 5)), bounds(List.of(func("f", Type.I32, def(List.of(x), i(0)), def(List.of(x), i(5))))).get("f"));
    // a uint8 Func stays in its type
    Expr self8 = call("f", Type.U8, CallKind.FUNC, x);
    assertEquals(List.of(Interval.ofConst(Type.U8, 0, 255)), bounds(List.of(func("f", Type.U8, def(List.of(x), c(Type.U8, 0)),
        def(List.of(x), add(self8, c(Type.U8, 1)))))).get("f"));
  }

  @Test
  void reductionUpdateAndTuples() {
    // hist(x) = {0, 0.5}; hist(r) = {hist(r)[0] + r, max(hist(r)[1], 1.5)} over r in [0, 10)
    ReductionDomain r = new ReductionDomain("r", List.of(new ReductionDomain.ReductionVariable("r", i(0), i(10))), c(Type.BOOL, 1));
    Var rv = Var.of("r");
    Expr h0 = new Call(Type.I32, "hist", List.of(rv), CallKind.FUNC, 0);
    Expr h1 = new Call(Type.F32, "hist", List.of(rv), CallKind.FUNC, 1);
    Definition pure = new Definition(List.of(x), List.of(i(0), f32(0.5)), null, StageSchedule.of(List.of()));
    Definition update = new Definition(List.of(rv), List.of(add(h0, rv), max(h1, f32(1.5))), r, StageSchedule.of(List.of()));
    Function hist = new Function("hist", List.of("x"), List.of(Type.I32, Type.F32), pure, List.of(update), FuncSchedule.INLINE);
    FuncValueBounds vb = bounds(List.of(hist));
    assertEquals(Interval.EVERYTHING, vb.get("hist", 0));
    // the second element settles after one round: max([0.5, 1.5], 1.5) lies in [0.5, 1.5]
    assertEquals(Interval.of(f32(0.5), f32(1.5)), vb.get("hist", 1));
  }

  @Test
  void scalarParametersStaySymbolic() {
    Var n = Var.of("n");
    Function f = func("f", Type.I32, def(List.of(x), clamp(x, i(0), n)));
    FuncValueBounds vb = bounds(List.of(f), new Parameter.Scalar("n", Type.I32, null));
    assertEquals(List.of(Interval.of(i(0), Simplifier.simplify(max(n, i(0))))), vb.get("f"));
  }

  @Test
  void constantBuffersOfIntegers() {
    Function f = func("f", Type.I32, def(List.of(x), call("k", Type.I32, CallKind.IMAGE, x)));
    FuncValueBounds vb = bounds(List.of(f), new Parameter.Constant("k", Buffer.of(new int[] {3, -2, 7}, 3)));
    assertEquals(List.of(ci(-2, 7)), vb.get("k"));
    assertEquals(List.of(ci(-2, 7)), vb.get("f"));
  }

  @Test
  void cyclesAreAnError() {
    Function f = func("f", Type.I32, def(List.of(x), call("g", Type.I32, CallKind.FUNC, x)));
    Function g = func("g", Type.I32, def(List.of(x), call("f", Type.I32, CallKind.FUNC, x)));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> bounds(List.of(f, g)));
    assertTrue(e.getMessage().contains("f -> g -> f"), e.getMessage());
  }
}
