package dev.halogen;

import static dev.halogen.IrBuild.f;
import static dev.halogen.IrBuild.i;
import static dev.halogen.IrBuild.image;
import static dev.halogen.IrBuild.v;
import static dev.halogen.Messages.assertFails;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.halogen.ir.Buffer;
import dev.halogen.ir.Expr.Call;
import dev.halogen.ir.Expr.GT;
import dev.halogen.ir.Expr.LT;
import dev.halogen.ir.Expr.Max;
import dev.halogen.ir.Expr.Min;
import dev.halogen.ir.Expr.Or;
import dev.halogen.ir.Expr.Select;
import dev.halogen.ir.Function;
import dev.halogen.ir.Type;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Boundary conditions: the structure of the Func they make, and, evaluated, the coordinate each
 * outside point reads, against sequences written out by hand.
 */
class BoundaryConditionsTest {
  private final ImageParam in = new ImageParam("in", Type.F32, 2);

  private static Function function(Func f) {
    return f.function();
  }

  /** The source coordinate of dimension {@code d} read at {@code x} in dimension {@code d}. */
  private static long coordinate(Func bc, int d, long x) {
    Call read = (Call) function(bc).definition().values().getFirst();
    return IntEval.eval(read.args().get(d), Map.of("_0", x, "_1", x, "in.min.0", 0L, "in.extent.0", 4L));
  }

  private static List<Long> coordinates(Func bc, long from, long to) {
    List<Long> out = new java.util.ArrayList<>();
    for (long x = from; x <= to; x++) out.add(coordinate(bc, 0, x));
    return out;
  }

  @Test
  void repeatEdgeClampsEachBoundedDimension() {
    Func bc = BoundaryConditions.repeatEdge(in, new int[][] {{0, 10}});
    Function fn = function(bc);
    assertEquals(List.of("_0", "_1"), fn.args());
    assertEquals(List.of(image(Type.F32, "in", new Max(new Min(v("_0"), i(9)), i(0)), v("_1"))), fn.definition().values());
    assertEquals(List.of(0L, 0L, 0L, 1L, 8L, 9L, 9L), List.of(coordinate(bc, 0, -5), coordinate(bc, 0, -1), coordinate(bc, 0, 0),
        coordinate(bc, 0, 1), coordinate(bc, 0, 8), coordinate(bc, 0, 9), coordinate(bc, 0, 12)));
  }

  @Test
  void repeatEdgeOfAnImageUsesItsRunTimeBounds() {
    Func bc = BoundaryConditions.repeatEdge(in);
    assertEquals(List.of(0L, 0L, 0L, 1L, 2L, 3L, 3L, 3L), coordinates(bc, -2, 5));
  }

  @Test
  void constantExteriorSelectsTheValueOutside() {
    Func bc = BoundaryConditions.constantExterior(in, Expr.of(0), new int[][] {{0, 10}, {0, 5}});
    dev.halogen.ir.Expr outside = new Or(new Or(new LT(v("_0"), i(0)), new GT(v("_0"), i(9))),
        new Or(new LT(v("_1"), i(0)), new GT(v("_1"), i(4))));
    dev.halogen.ir.Expr inside = image(Type.F32, "in", new Max(new Min(v("_0"), i(9)), i(0)), new Max(new Min(v("_1"), i(4)), i(0)));
    assertEquals(List.of(new Select(outside, f(0), inside)), function(bc).definition().values());
    assertFails(HalogenException.TypeException.class,
        () -> BoundaryConditions.constantExterior(in, Expr.of(true), new int[][] {{0, 10}}), "select(bool, float32)");
  }

  @Test
  void repeatImageWrapsWithFloorModulo() {
    Func bc = BoundaryConditions.repeatImage(in, new ExprLike[][] {{Expr.of(2), Expr.of(3)}});
    // min 2, extent 3: x = -1 0 1 2 3 4 5 6 7 -> 2 3 4 2 3 4 2 3 4
    assertEquals(List.of(2L, 3L, 4L, 2L, 3L, 4L, 2L, 3L, 4L), coordinates(bc, -1, 7));
  }

  @Test
  void mirrorImageRepeatsTheEdgePixel() {
    Func bc = BoundaryConditions.mirrorImage(in);
    // width 4: ... 1 0 | 0 1 2 3 | 3 2 1 0 | 0 ...
    assertEquals(List.of(1L, 0L, 0L, 1L, 2L, 3L, 3L, 2L, 1L, 0L, 0L), coordinates(bc, -2, 8));
  }

  @Test
  void mirrorInteriorReflectsAboutTheEdgePixel() {
    Func bc = BoundaryConditions.mirrorInterior(in, new int[][] {{0, 4}});
    // width 4: ... 2 1 | 0 1 2 3 | 2 1 0 1 ...
    assertEquals(List.of(2L, 1L, 0L, 1L, 2L, 3L, 2L, 1L, 0L, 1L), coordinates(bc, -2, 7));
  }

  @Test
  void sourcesAndBoundsErrors() {
    Var x = new Var("x");
    Func g = new Func("g");
    g.at(x).set(x);
    Func bc = BoundaryConditions.repeatEdge(g, new int[][] {{0, 5}});
    assertEquals(List.of(new Call(Type.I32, "g", List.of(new Max(new Min(v("_0"), i(4)), i(0))),
        dev.halogen.ir.Expr.CallKind.FUNC)), function(bc).definition().values());
    ConstantBuffer lut = new ConstantBuffer("lut", Buffer.of(new float[] {1, 2, 3}, 3).withMins(-1));
    Func wrapped = BoundaryConditions.repeatEdge(lut);
    assertEquals(List.of(image(Type.F32, "lut", new Max(new Min(v("_0"), i(1)), i(-1)))), function(wrapped).definition().values());
    assertFails(IllegalArgumentException.class, () -> BoundaryConditions.repeatEdge(g),
        "A boundary condition on Func g needs explicit bounds");
    assertFails(IllegalArgumentException.class, () -> BoundaryConditions.mirrorImage(g, new int[][] {{0, 5}, {0, 5}}),
        "mirror_image of g: 2 bounds for 1 dimension");
    assertFails(IllegalArgumentException.class, () -> BoundaryConditions.repeatImage(in, new int[][] {{0}}),
        "bounds[0] must be {min, extent}, got 1 values");
    // A boundary condition is an ordinary Func: it can be called and scheduled.
    assertEquals(Type.I32, bc.at(x).type());
  }
}
