package dev.halogen;

import static dev.halogen.IrBuild.fn;
import static dev.halogen.IrBuild.i;
import static dev.halogen.IrBuild.v;
import static dev.halogen.Messages.assertFails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.halogen.HalogenException.DefinitionException;
import dev.halogen.HalogenException.ScheduleException;
import dev.halogen.ir.Buffer;
import dev.halogen.ir.Expr.Add;
import dev.halogen.ir.Parameter;
import dev.halogen.ir.Type;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Turning the front end's objects into an IR pipeline: what is collected, how it is named, what is rejected. */
class PipelineTest {
  private final Var x = new Var("x");
  private final Var y = new Var("y");

  @Test
  void collectsEveryReachableFuncAndInputOnce() {
    ImageParam in = new ImageParam("in", Type.F32, 1);
    Param n = new Param("n", Type.I32, 4L);
    Param limit = new Param("limit", Type.I32);
    Param w = new Param("w", Type.F32);
    ConstantBuffer taps = new ConstantBuffer("taps", Buffer.of(new float[] {1, 2, 3}, 3));
    Func count = new Func("count");
    count.at().set(n);
    Func gate = new Func("gate");
    gate.at(x).set(x.lt(limit));
    // count is reached only through an RDom extent, gate only through an RDom predicate, w only through a schedule bound.
    RDom r = new RDom("r", Expr.of(0), count.at());
    r.where(gate.at(r.x()));
    Func acc = new Func("acc");
    acc.at(x).set(in.at(x));
    acc.at(x).plusAssign(in.at(x.plus(r.x())).times(taps.at(r.x())));
    acc.bound(x, Expr.of(0), Exprs.cast(Type.I32, w));
    dev.halogen.ir.Pipeline ir = new Pipeline(acc).toIr();
    assertEquals(List.of("acc"), ir.outputs());
    assertEquals(List.of("acc", "count", "gate"), List.copyOf(ir.functions().keySet()));
    assertEquals(List.of("in", "limit", "n", "taps", "w"), ir.parameters().stream().map(Parameter::name).toList());
    assertEquals(new Parameter.Scalar("n", Type.I32, i(4)), ir.parameters().get(2));
    assertSame(taps.buffer(), ((Parameter.Constant) ir.parameters().get(3)).buffer());
    assertEquals(new Parameter.Image("in", Type.F32, 1), ir.parameters().getFirst());
  }

  @Test
  void generatedNamesAreRenumberedInOrderOfDiscovery() {
    // Generate names first, so the global counters are far from zero.
    for (int k = 0; k < 5; k++) {
      new Var();
      Exprs.sum(new RDom(0, 2).x());
    }
    RDom r = new RDom(0, 8);
    Var v = new Var();
    Func out = new Func("out");
    out.at(v).set(Exprs.sum(r.x().plus(v)).plus(Exprs.sum(r.x().times(v))));
    out.vectorize(v, 4);
    dev.halogen.ir.Pipeline ir = new Pipeline(out).toIr();
    assertEquals(List.of("out", "sum$0", "sum$1"), List.copyOf(ir.functions().keySet()));
    assertEquals(List.of("v$0"), ir.function("out").args());
    assertEquals(List.of(new Add(fn(Type.I32, "sum$0", 0, v("v$0")), fn(Type.I32, "sum$1", 0, v("v$0")))),
        ir.function("out").definition().values());
    assertEquals("v$0.v", ir.function("out").definition().schedule().dims().getFirst().var());
    assertEquals("r$0", ir.function("sum$0").updates().getFirst().domain().name());
    assertEquals(List.of(v("r$0.x")), List.of(ir.function("sum$1").updates().getFirst().domain().variables().getFirst().var()));
    assertEquals(ir, new Pipeline(out).toIr());
  }

  @Test
  void twoDifferentThingsWithOneName() {
    Func a = new Func("f");
    a.at(x).set(x);
    Func b = new Func("f");
    b.at(x).set(a.at(x).plus(1));
    assertFails(DefinitionException.class, () -> new Pipeline(b).toIr(), "The Pipeline has two different Funcs named f; names must be unique");

    ImageParam img = new ImageParam("in", Type.F32, 1);
    Param p = new Param("in", Type.F32);
    Func c = new Func("c");
    c.at(x).set(img.at(x).plus(p));
    assertFails(DefinitionException.class, () -> new Pipeline(c).toIr(), "The Pipeline has both ImageParam in and Param in");

    Func in = new Func("in");
    in.at(x).set(img.at(x));
    assertFails(DefinitionException.class, () -> new Pipeline(in).toIr(), "The Pipeline has both Func in and ImageParam in");

    Param gain = new Param("gain", Type.I32);
    Var g = new Var("gain");
    Func d = new Func("d");
    d.at(g).set(g.plus(gain));
    assertFails(DefinitionException.class, () -> new Pipeline(d).toIr(),
        "Var gain has the same name as Param gain; the IR refers to both by name and could not tell them apart");
  }

  @Test
  void outputsMustBeDefinedAndDistinct() {
    Func u = new Func("u");
    assertFails(DefinitionException.class, () -> new Pipeline(u).toIr(), "Func u is an output of the Pipeline but has no definition");
    Func f = new Func("f");
    f.at(x).set(x);
    assertFails(IllegalArgumentException.class, () -> new Pipeline(f, f), "Func f is listed twice as an output of the Pipeline");
    assertFails(IllegalArgumentException.class, () -> new Pipeline(List.of()), "A Pipeline needs at least one output Func");
  }

  @Test
  void loopLevelsAreCheckedAgainstTheFinalGraph() {
    Func f = new Func("f");
    f.at(x, y).set(x.plus(y));
    Func g = new Func("g");
    g.at(x, y).set(f.at(x, y));
    f.computeAt(g, y);
    assertFails(ScheduleException.class, () -> new Pipeline(f).toIr(), "Func f is computed at g.y, but g is not part of this Pipeline");
    g.split(y, new Var("yo"), new Var("yi"), 4);
    assertFails(ScheduleException.class, () -> new Pipeline(g).toIr(),
        "Func f is computed at g.y, but g has no loop y any more; its loops are (innermost first) x, yi, yo");
  }

  @Test
  void rfactorIntermediateNameMustBeFree() {
    ImageParam img = new ImageParam("img", Type.F32, 1);
    RDom r = new RDom("r", 0, 100);
    Func total = new Func("total");
    total.at().set(0f);
    total.at().plusAssign(img.at(r.x()));
    assertEquals("total_intm", total.update(0).rfactor(r.x(), new Var("u")).name());
    Func taken = new Func("total_intm");
    taken.at().set(total.at());
    assertFails(DefinitionException.class, () -> new Pipeline(taken).toIr(),
        "The Pipeline has two different Funcs named total_intm; names must be unique");
  }

  @Test
  void multipleOutputsKeepTheirOrder() {
    Func b = new Func("b");
    b.at(x).set(x);
    Func a = new Func("a");
    a.at(x).set(b.at(x));
    dev.halogen.ir.Pipeline ir = new Pipeline(b, a).toIr();
    assertEquals(List.of("b", "a"), ir.outputs());
    assertEquals(List.of("a", "b"), List.copyOf(ir.functions().keySet()));
  }
}
