package dev.halogen;

import static dev.halogen.IrBuild.cast;
import static dev.halogen.IrBuild.f;
import static dev.halogen.IrBuild.fn;
import static dev.halogen.IrBuild.i;
import static dev.halogen.IrBuild.image;
import static dev.halogen.IrBuild.math;
import static dev.halogen.IrBuild.v;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import dev.halogen.ir.Buffer;
import dev.halogen.ir.Definition;
import dev.halogen.ir.DeviceApi;
import dev.halogen.ir.Dim;
import dev.halogen.ir.Expr;
import dev.halogen.ir.Expr.Add;
import dev.halogen.ir.Expr.Div;
import dev.halogen.ir.Expr.EQ;
import dev.halogen.ir.Expr.FloatImm;
import dev.halogen.ir.Expr.LE;
import dev.halogen.ir.Expr.LT;
import dev.halogen.ir.Expr.Max;
import dev.halogen.ir.Expr.Min;
import dev.halogen.ir.Expr.Mul;
import dev.halogen.ir.Expr.Select;
import dev.halogen.ir.Expr.Sub;
import dev.halogen.ir.ForKind;
import dev.halogen.ir.Function;
import dev.halogen.ir.LoopLevel;
import dev.halogen.ir.Parameter;
import dev.halogen.ir.Type;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The IR the ten example pipelines build, checked at their key nodes against hand-written expectations. */
class ExamplePipelinesTest {
  private static final Expr X = v("x");
  private static final Expr Y = v("y");

  private static Dim dim(String var, ForKind kind) {
    return new Dim(var, kind, DeviceApi.HOST, false);
  }

  private static Dim rdim(String var, ForKind kind) {
    return new Dim(var, kind, DeviceApi.HOST, true);
  }

  private static List<String> names(dev.halogen.ir.Pipeline p) {
    return List.copyOf(p.functions().keySet());
  }

  static Stream<Arguments> all() {
    return Stream.of(
        Arguments.of("blur", (Supplier<Pipeline>) ExamplePipelines::blur),
        Arguments.of("histogram", (Supplier<Pipeline>) ExamplePipelines::histogram),
        Arguments.of("convolution", (Supplier<Pipeline>) ExamplePipelines::convolution),
        Arguments.of("argmin", (Supplier<Pipeline>) ExamplePipelines::argmin),
        Arguments.of("toneCurve", (Supplier<Pipeline>) ExamplePipelines::toneCurve),
        Arguments.of("softHistogram", (Supplier<Pipeline>) ExamplePipelines::softHistogram),
        Arguments.of("bilateralGrid", (Supplier<Pipeline>) ExamplePipelines::bilateralGrid),
        Arguments.of("recursiveFilter", (Supplier<Pipeline>) ExamplePipelines::recursiveFilter),
        Arguments.of("diskBlur", (Supplier<Pipeline>) ExamplePipelines::diskBlur),
        Arguments.of("scaledPair", (Supplier<Pipeline>) ExamplePipelines::scaledPair));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("all")
  void buildingTwiceGivesEqualIr(String name, Supplier<Pipeline> build) {
    Pipeline first = build.get();
    dev.halogen.ir.Pipeline a = first.toIr();
    dev.halogen.ir.Pipeline b = build.get().toIr();
    assertNotSame(a, b);
    assertEquals(a, b);
    assertEquals(a, first.toIr());
  }

  @Test
  void blur() {
    dev.halogen.ir.Pipeline p = ExamplePipelines.blur().toIr();
    assertEquals(List.of("blur_y"), p.outputs());
    assertEquals(List.of("blur_x", "blur_y", "repeat_edge$0"), names(p));
    assertEquals(List.of(new Parameter.Image("in", Type.F32, 2)), p.parameters());
    Expr blurX = new Div(new Add(new Add(fn("repeat_edge$0", new Sub(X, i(1)), Y), fn("repeat_edge$0", X, Y)),
        fn("repeat_edge$0", new Add(X, i(1)), Y)), f(3));
    assertEquals(List.of(blurX), p.function("blur_x").definition().values());
    Expr blurY = new Div(new Add(new Add(fn("blur_x", X, new Sub(Y, i(1))), fn("blur_x", X, Y)), fn("blur_x", X, new Add(Y, i(1)))), f(3));
    assertEquals(List.of(blurY), p.function("blur_y").definition().values());
    Expr clampX = new Max(new Min(v("_0"), new Sub(new Add(v("in.min.0"), v("in.extent.0")), i(1))), v("in.min.0"));
    Expr clampY = new Max(new Min(v("_1"), new Sub(new Add(v("in.min.1"), v("in.extent.1")), i(1))), v("in.min.1"));
    assertEquals(List.of(image(Type.F32, "in", clampX, clampY)), p.function("repeat_edge$0").definition().values());
    assertEquals(List.of(dim("xi.v", ForKind.VECTORIZED), dim("xi", ForKind.SERIAL), dim("yi", ForKind.SERIAL),
        dim("xo", ForKind.SERIAL), dim("yo", ForKind.PARALLEL)), p.function("blur_y").definition().schedule().dims());
    assertEquals(new LoopLevel.At("blur_y", 0, "xo"), p.function("blur_x").schedule().computeLevel());
    assertEquals(List.of(dim("x.v", ForKind.VECTORIZED), dim("x", ForKind.SERIAL), dim("y", ForKind.SERIAL)),
        p.function("blur_x").definition().schedule().dims());
  }

  @Test
  void histogram() {
    dev.halogen.ir.Pipeline p = ExamplePipelines.histogram().toIr();
    Function hist = p.function("hist");
    assertEquals(List.of(Type.I32), hist.outputTypes());
    assertEquals(List.of(i(0)), hist.definition().values());
    Definition u = hist.updates().getFirst();
    Expr bin = cast(Type.I32, image(Type.U8, "in", v("r.x"), v("r.y")));
    assertEquals(List.of(bin), u.args());
    assertEquals(List.of(new Add(fn(Type.I32, "hist", 0, bin), i(1))), u.values());
    assertEquals(v("in.min.0"), u.domain().variables().getFirst().min());
    assertEquals(v("in.extent.1"), u.domain().variables().get(1).extent());
    assertEquals(List.of(rdim("r.x", ForKind.SERIAL), rdim("r.y", ForKind.PARALLEL)), u.schedule().dims());
    assertEquals(true, u.schedule().atomic());
  }

  @Test
  void convolution() {
    dev.halogen.ir.Pipeline p = ExamplePipelines.convolution().toIr();
    assertEquals(List.of("conv_x", "conv_2d"), p.outputs());
    assertEquals(List.of("constant_exterior$0", "conv_2d", "conv_sum", "conv_x"), names(p));
    assertEquals(List.of("in", "k1", "k2"), p.parameters().stream().map(Parameter::name).toList());
    assertEquals(Buffer.of(new float[] {0.25f, 0.5f, 0.25f}, 3).withMins(-1), ((Parameter.Constant) p.parameters().get(1)).buffer());
    Definition convX = p.function("conv_x").updates().getFirst();
    assertEquals(List.of(new Add(fn("conv_x", X, Y), new Mul(fn("constant_exterior$0", new Add(X, v("r.x")), Y),
        image(Type.F32, "k1", v("r.x"))))), convX.values());
    assertEquals(List.of(rdim("r.x", ForKind.SERIAL), dim("x.v", ForKind.VECTORIZED), dim("x", ForKind.SERIAL), dim("y", ForKind.SERIAL)),
        convX.schedule().dims());
    assertEquals(List.of(fn("conv_sum", X, Y)), p.function("conv_2d").definition().values());
    Definition sum = p.function("conv_sum").updates().getFirst();
    assertEquals(List.of(new Add(fn("conv_sum", X, Y), new Mul(fn("constant_exterior$0", new Add(X, v("s.x")), new Add(Y, v("s.y"))),
        image(Type.F32, "k2", v("s.x"), v("s.y"))))), sum.values());
    assertEquals(List.of(i(-2), i(5)), List.of(sum.domain().variables().get(1).min(), sum.domain().variables().get(1).extent()));
  }

  @Test
  void argmin() {
    dev.halogen.ir.Pipeline p = ExamplePipelines.argmin().toIr();
    Function am = p.function("argmin_bowl");
    assertEquals(List.of(Type.I32, Type.I32, Type.F32), am.outputTypes());
    assertEquals(List.of(i(0), i(0), new FloatImm(Type.F32, Double.POSITIVE_INFINITY)), am.definition().values());
    Expr value = fn("bowl", v("r.x"), v("r.y"));
    Expr better = new LT(value, fn(Type.F32, "argmin_bowl", 2));
    assertEquals(new Select(better, v("r.y"), fn(Type.I32, "argmin_bowl", 1)), am.updates().getFirst().values().get(1));
    assertEquals(new Select(better, value, fn(Type.F32, "argmin_bowl", 2)), am.updates().getFirst().values().get(2));
    assertEquals(List.of(fn(Type.I32, "argmin_bowl", 0), fn(Type.I32, "argmin_bowl", 1), fn(Type.F32, "argmin_bowl", 2)),
        p.function("best").definition().values());
    assertEquals(List.of(cast(Type.F32, new Add(new Mul(new Sub(X, i(3)), new Sub(X, i(3))), new Mul(new Sub(Y, i(5)), new Sub(Y, i(5)))))),
        p.function("bowl").definition().values());
  }

  @Test
  void toneCurve() {
    dev.halogen.ir.Pipeline p = ExamplePipelines.toneCurve().toIr();
    Expr in = new Max(new Min(image(Type.F32, "in", X, Y), f(15)), f(0));
    Expr w = new Sub(in, math(Type.F32, "floor", in));
    Expr lo = fn("lut", cast(Type.I32, math(Type.F32, "floor", in)));
    Expr hi = fn("lut", cast(Type.I32, math(Type.F32, "ceil", in)));
    assertEquals(List.of(new Add(new Mul(lo, new Sub(f(1), w)), new Mul(hi, w))), p.function("curve").definition().values());
    assertEquals(List.of(math(Type.F32, "pow", new Div(cast(Type.F32, v("i")), f(15)), f(1f / 2.2f))),
        p.function("lut").definition().values());
    assertEquals(LoopLevel.ROOT, p.function("lut").schedule().computeLevel());
  }

  @Test
  void softHistogram() {
    dev.halogen.ir.Pipeline p = ExamplePipelines.softHistogram().toIr();
    Function hist = p.function("soft_hist");
    assertEquals(2, hist.updates().size());
    Expr v = image(Type.F32, "in", v("r.x"), v("r.y"));
    Expr lo = math(Type.F32, "floor", v);
    Expr w = new Sub(v, lo);
    Expr below = new Max(new Min(cast(Type.I32, lo), i(14)), i(0));
    Expr above = new Add(below, i(1));
    assertEquals(List.of(below), hist.updates().get(0).args());
    assertEquals(List.of(new Add(fn("soft_hist", below), new Sub(f(1), w))), hist.updates().get(0).values());
    assertEquals(List.of(above), hist.updates().get(1).args());
    assertEquals(List.of(new Add(fn("soft_hist", above), w)), hist.updates().get(1).values());
    assertEquals(hist.updates().get(0).domain(), hist.updates().get(1).domain());
  }

  @Test
  void bilateralGrid() {
    dev.halogen.ir.Pipeline p = ExamplePipelines.bilateralGrid().toIr();
    assertEquals(List.of("bilateral_grid", "blur_x", "blur_y", "blur_z", "grid", "interpolated", "repeat_edge$0"), names(p));
    assertEquals(List.of(new Parameter.Image("in", Type.F32, 2), new Parameter.Scalar("r_sigma", Type.F32, f(0.1))), p.parameters());
    Definition splat = p.function("grid").updates().getFirst();
    Expr sample = fn("repeat_edge$0", new Sub(new Add(new Mul(X, i(8)), v("r.x")), i(4)), new Sub(new Add(new Mul(Y, i(8)), v("r.y")), i(4)));
    Expr val = new Max(new Min(sample, f(1)), f(0));
    Expr zMax = cast(Type.I32, math(Type.F32, "ceil", new Div(f(1), v(Type.F32, "r_sigma"))));
    Expr zi = new Max(new Min(cast(Type.I32, new Add(new Mul(val, new Div(f(1), v(Type.F32, "r_sigma"))), f(0.5))), zMax), i(0));
    assertEquals(List.of(X, Y, zi, v("c")), splat.args());
    assertEquals(List.of(new Add(fn("grid", X, Y, zi, v("c")), new Select(new EQ(v("c"), i(0)), val, f(1)))), splat.values());
    assertEquals(List.of(dim("c", ForKind.SERIAL), rdim("r.x", ForKind.SERIAL), rdim("r.y", ForKind.SERIAL), dim("x", ForKind.SERIAL),
        dim("y", ForKind.PARALLEL)), splat.schedule().dims());
    Expr z = v("z");
    Expr c = v("c");
    Expr blurZ = new Add(new Add(new Add(new Add(fn("grid", X, Y, new Add(z, i(-2)), c),
        new Mul(fn("grid", X, Y, new Add(z, i(-1)), c), f(4))), new Mul(fn("grid", X, Y, new Add(z, i(0)), c), f(6))),
        new Mul(fn("grid", X, Y, new Add(z, i(1)), c), f(4))), fn("grid", X, Y, new Add(z, i(2)), c));
    assertEquals(List.of(blurZ), p.function("blur_z").definition().values());
    assertEquals(List.of(new Div(fn("interpolated", X, Y, i(0)), fn("interpolated", X, Y, i(1)))),
        p.function("bilateral_grid").definition().values());
    Expr zv = new Mul(new Max(new Min(image(Type.F32, "in", X, Y), f(1)), f(0)), new Div(f(1), v(Type.F32, "r_sigma")));
    Expr zf = new Sub(zv, cast(Type.F32, new Max(new Min(cast(Type.I32, zv), zMax), i(0))));
    dev.halogen.ir.Expr.Call outer = (dev.halogen.ir.Expr.Call) p.function("interpolated").definition().values().getFirst();
    assertEquals("lerp", outer.name());
    assertEquals(dev.halogen.ir.Expr.CallKind.INTRINSIC, outer.kind());
    assertEquals(zf, outer.args().get(2));
    assertEquals(new Div(cast(Type.F32, new dev.halogen.ir.Expr.Mod(X, i(8))), f(8)),
        ((dev.halogen.ir.Expr.Call) ((dev.halogen.ir.Expr.Call) outer.args().getFirst()).args().getFirst()).args().get(2));
    assertEquals(LoopLevel.ROOT, p.function("blur_y").schedule().computeLevel());
  }

  @Test
  void recursiveFilter() {
    dev.halogen.ir.Pipeline p = ExamplePipelines.recursiveFilter().toIr();
    Definition scan = p.function("scan").updates().getFirst();
    assertEquals(List.of(v("r.x"), Y), scan.args());
    assertEquals(List.of(new Add(new Mul(fn("scan", v("r.x"), Y), f(0.75)), new Mul(fn("scan", new Sub(v("r.x"), i(1)), Y), f(0.25)))),
        scan.values());
    assertEquals(i(1), scan.domain().variables().getFirst().min());
    assertEquals(new Sub(v("in.extent.0"), i(1)), scan.domain().variables().getFirst().extent());
    assertEquals(List.of(rdim("r.x", ForKind.SERIAL), dim("y", ForKind.PARALLEL)), scan.schedule().dims());
  }

  @Test
  void diskBlur() {
    dev.halogen.ir.Pipeline p = ExamplePipelines.diskBlur().toIr();
    Definition sum = p.function("disk_sum").updates().getFirst();
    assertEquals(new LE(new Add(new Mul(v("r.x"), v("r.x")), new Mul(v("r.y"), v("r.y"))), i(9)), sum.domain().predicate());
    assertEquals(List.of(new Add(fn("disk_sum", X, Y), fn("mirror_image$0", new Add(X, v("r.x")), new Add(Y, v("r.y"))))), sum.values());
    assertEquals(new LoopLevel.At("disk_mean", 0, "y"), p.function("disk_sum").schedule().computeLevel());
    assertEquals(List.of(new Div(fn("disk_sum", X, Y), f(29))), p.function("disk_mean").definition().values());
  }

  @Test
  void scaledPair() {
    dev.halogen.ir.Pipeline p = ExamplePipelines.scaledPair().toIr();
    assertEquals(List.of(new Parameter.Scalar("gain", Type.F32, f(1)), new Parameter.Image("in", Type.U8, 2)), p.parameters());
    assertEquals(List.of(new Mul(new Div(cast(Type.F32, image(Type.U8, "in", X, Y)), f(255)), v(Type.F32, "gain"))),
        p.function("scaled").definition().values());
    assertEquals(List.of(new Max(new Min(new Add(fn("scaled", X, Y), fn("scaled", new Add(X, i(1)), Y)), f(1)), f(0))),
        p.function("out").definition().values());
    assertEquals(new LoopLevel.At("out", 0, "y"), p.function("scaled").schedule().computeLevel());
    assertEquals(List.of(dim("x.v", ForKind.VECTORIZED), dim("x", ForKind.SERIAL), dim("y", ForKind.PARALLEL)),
        p.function("out").definition().schedule().dims());
  }
}
