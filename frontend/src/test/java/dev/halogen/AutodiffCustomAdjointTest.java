package dev.halogen;

import static org.junit.jupiter.api.Assertions.*;

import dev.halogen.backend.interp.InterpBackend;
import dev.halogen.ir.Buffer;
import dev.halogen.ir.LoweredModule;
import dev.halogen.ir.Type;
import dev.halogen.passes.Instrumentation;
import dev.halogen.passes.LoweringPipeline;
import dev.halogen.passes.Target;
import dev.halogen.passes.analysis.Value;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Custom derivative rules ({@link CustomAdjoints}): the adjoint of an extern function, and backward
 * rules of whole Funcs that replace differentiating through them.
 */
class AutodiffCustomAdjointTest {
  private static final Target INTERP = Target.of("interp");

  /** The interpreter with the extern function my_square. */
  private static final InterpBackend WITH_SQUARE = new InterpBackend(Map.of("my_square", args -> {
    double x = args.getFirst().doubleLane(0);
    return new Value.FloatScalar(Type.F32, (float) (x * x));
  }));

  private static final CustomAdjoints SQUARE_RULE = new CustomAdjoints()
      .extern("my_square", (args, adjoint) -> List.of(Expr.of(2f).times(args.getFirst()).times(adjoint)));

  /** Realizes {@code f} on the interpreter that has my_square (Func.realize finds backends without externs). */
  private static Buffer realizeWithSquare(Func f, int... extents) {
    Pipeline p = new Pipeline(f);
    Pipeline.Built built = p.build();
    LoweredModule m = LoweringPipeline.manager(Instrumentation.defaults()).run(built.ir()).result().asLoops("realize").module();
    return new CompiledPipeline(List.of(f), built, WITH_SQUARE.compile(m, INTERP)).realize(extents).getFirst();
  }

  private static void assertValues(double[] expected, Buffer b, double tol) {
    for (int i = 0; i < expected.length; i++) assertEquals(expected[i], b.getAsDouble(i), tol, "at " + i);
  }

  private static Func sum(Func f, int n) {
    RDom r = new RDom(0, n);
    Func loss = new Func("loss");
    loss.at().set(0f);
    loss.at().plusAssign(f.at(r.x()));
    return loss;
  }

  private static Func squareOfInput(ImageParam in) {
    Var x = new Var("x");
    Func out = new Func("out");
    out.at(x).set(Exprs.extern(Type.F32, "my_square", in.at(x)).plus(in.at(x)));
    return out;
  }

  @Test
  void anExternFunctionUsesItsRegisteredAdjoint() {
    ImageParam in = new ImageParam("in", Type.F32, 1);
    in.set(Buffer.of(new float[] {1, -2, 3}, 3));
    Func out = squareOfInput(in);
    Func loss = sum(out, 3);
    assertEquals(1 + 4 + 9 + 1 - 2 + 3, realizeWithSquare(loss).getAsDouble(), 1e-6);
    Derivative d = Gradients.propagateAdjoints(loss, SQUARE_RULE);
    // d/din (in^2 + in) = 2 in + 1
    Buffer dIn = d.of(in).realize(INTERP, 3);
    assertValues(new double[] {3, -3, 7}, dIn, 1e-6);
    // Against central differences of the loss computed with the extern implementation.
    double h = 1e-2;
    Buffer b = in.get();
    for (int i = 0; i < 3; i++) {
      double x = b.getAsDouble(i);
      b.setFromDouble(x + h, i);
      double up = realizeWithSquare(loss).getAsDouble();
      b.setFromDouble(x - h, i);
      double down = realizeWithSquare(loss).getAsDouble();
      b.setFromDouble(x, i);
      assertEquals((up - down) / (2 * h), dIn.getAsDouble(i), 1e-3, "at " + i);
    }
  }

  @Test
  void forwardModeUsesTheExternRuleToo() {
    ImageParam in = new ImageParam("in", Type.F32, 1);
    in.set(Buffer.of(new float[] {1, -2, 3}, 3));
    Func t = Gradients.propagateTangents(squareOfInput(in), Tangents.of().with(in, Buffer.of(new float[] {1, 10, 100}, 3)), SQUARE_RULE);
    assertValues(new double[] {3, -30, 700}, t.realize(INTERP, 3), 1e-5);
  }

  @Test
  void anExternWithoutARuleIsRefusedByName() {
    ImageParam in = new ImageParam("in", Type.F32, 1);
    in.set(Buffer.of(new float[] {1}, 1));
    HalogenException e = assertThrows(HalogenException.class, () -> Gradients.propagateAdjoints(sum(squareOfInput(in), 1)));
    assertEquals("The extern function my_square has no derivative rule; register a custom adjoint for it", e.getMessage());
  }

  @Test
  void anExternRuleWithTheWrongArityIsRefusedByName() {
    ImageParam in = new ImageParam("in", Type.F32, 1);
    in.set(Buffer.of(new float[] {1}, 1));
    CustomAdjoints twoForOne = new CustomAdjoints().extern("my_square", (args, adjoint) -> List.of(adjoint, adjoint));
    HalogenException e = assertThrows(HalogenException.class, () -> Gradients.propagateAdjoints(sum(squareOfInput(in), 1), twoForOne));
    assertEquals("The custom adjoint of extern function my_square gives 2 adjoints for a call with 1 argument", e.getMessage());
  }

  /** q = round(4 s) / 4 with s = 3 in; the loss weighs q(x) by x + 1. */
  private record Quantized(ImageParam in, Func s, Func q, Func loss) {}

  private static Quantized quantized() {
    ImageParam in = new ImageParam("in", Type.F32, 1);
    in.set(Buffer.of(new float[] {0.1f, 0.2f, 0.3f}, 3));
    Var x = new Var("x");
    Func s = new Func("s");
    s.at(x).set(in.at(x).times(3f));
    Func q = new Func("q");
    q.at(x).set(Exprs.round(s.at(x).times(4f)).div(4f));
    RDom r = new RDom(0, 3);
    Func loss = new Func("loss");
    loss.at().set(0f);
    loss.at().plusAssign(q.at(r.x()).times(Exprs.cast(Type.F32, r.x().plus(1))));
    return new Quantized(in, s, q, loss);
  }

  @Test
  void aStraightThroughEstimatorReplacesTheTrueDerivative() {
    Quantized k = quantized();
    // Differentiated through, round has derivative zero: nothing reaches in.
    assertValues(new double[] {0, 0, 0}, Gradients.propagateAdjoints(k.loss()).of(k.in()).realize(INTERP, 3), 0);
    // The straight-through rule passes q's adjoint to s unchanged; s = 3 in is differentiated as usual.
    Var x = new Var("x");
    CustomAdjoints ste = new CustomAdjoints().func(k.q(), dq -> {
      Func ds = new Func("ds");
      ds.at(x).set(dq.at(x));
      return CustomAdjoints.InputAdjoints.of().with(k.s(), ds);
    });
    Derivative d = Gradients.propagateAdjoints(k.loss(), ste);
    assertValues(new double[] {1, 2, 3}, d.of(k.q()).realize(INTERP, 3), 1e-6);
    assertValues(new double[] {1, 2, 3}, d.of(k.s()).realize(INTERP, 3), 1e-6);
    assertValues(new double[] {3, 6, 9}, d.of(k.in()).realize(INTERP, 3), 1e-6);
  }

  @Test
  void aFuncRuleMayGiveAnImageItsAdjointDirectly() {
    ImageParam in = new ImageParam("in", Type.F32, 1);
    in.set(Buffer.of(new float[] {0.1f, 0.2f}, 2));
    Var x = new Var("x");
    Func q = new Func("q");
    q.at(x).set(Exprs.round(in.at(x).times(4f)).div(4f));
    // A deliberately different rule: half the adjoint, plus the input value (a rule may read forward values).
    CustomAdjoints rule = new CustomAdjoints().func(q, dq -> {
      Func din = new Func("din");
      din.at(x).set(dq.at(x).times(0.5f).plus(in.at(x)));
      return CustomAdjoints.InputAdjoints.of().with(in, din);
    });
    Derivative d = Gradients.propagateAdjoints(sum(q, 2), rule);
    assertValues(new double[] {0.5 + 0.1, 0.5 + 0.2}, d.of(in).realize(INTERP, 2), 1e-6);
  }

  @Test
  void aFuncRuleWithTheWrongDimensionsIsRefusedByName() {
    Quantized k = quantized();
    Var x = new Var("x"), y = new Var("y");
    CustomAdjoints wrong = new CustomAdjoints().func(k.q(), dq -> {
      Func g2 = new Func("g2");
      g2.at(x, y).set(dq.at(x));
      return CustomAdjoints.InputAdjoints.of().with(k.s(), g2);
    });
    HalogenException e = assertThrows(HalogenException.class, () -> Gradients.propagateAdjoints(k.loss(), wrong));
    assertEquals("The custom adjoint of Func q gives the adjoint of s as Func g2 with 2 dimension(s) and 1 value(s); s has 1 dimension(s)"
        + " and 1 value(s)", e.getMessage());
  }

  @Test
  void aFuncRuleForAnInputTheFuncDoesNotReadIsRefusedByName() {
    Quantized k = quantized();
    Var x = new Var("x");
    CustomAdjoints wrong = new CustomAdjoints().func(k.q(), dq -> {
      Func g = new Func("g");
      g.at(x).set(dq.at(x));
      return CustomAdjoints.InputAdjoints.of().with(k.in(), g);
    });
    HalogenException e = assertThrows(HalogenException.class, () -> Gradients.propagateAdjoints(k.loss(), wrong));
    assertEquals("The custom adjoint of Func q gives an adjoint for in, which q does not read (an input of the rule is a Func it calls,"
        + " an image it reads or a float scalar parameter it uses)", e.getMessage());
  }

  @Test
  void forwardModeRefusesBackwardRules() {
    Quantized k = quantized();
    CustomAdjoints rule = new CustomAdjoints().func(k.q(), dq -> CustomAdjoints.InputAdjoints.of());
    HalogenException e = assertThrows(HalogenException.class,
        () -> Gradients.propagateTangents(k.q(), Tangents.of().with(k.in(), Buffer.of(new float[] {1, 1, 1}, 3)), rule));
    assertEquals("Forward mode cannot use the backward rule registered for Func q; propagateTangents takes custom adjoints of extern"
        + " functions only", e.getMessage());
  }
}
