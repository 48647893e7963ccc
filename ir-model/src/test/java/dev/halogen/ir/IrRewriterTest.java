package dev.halogen.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.halogen.ir.Expr.*;
import dev.halogen.ir.Stmt.*;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IrRewriterTest {
  static final Var X = Var.of("x");
  static final Var Y = Var.of("y");
  static final Var Z = Var.of("z");

  static IntImm i32(long v) {
    return new IntImm(Type.I32, v);
  }

  /** Rewrites nothing: every node must come back as the same instance. */
  static final IrRewriter NO_OP = new IrRewriter() {};

  /** Replaces every variable named {@code from} by {@code to}, leaving everything else alone. */
  static IrRewriter replaceVar(String from, Expr to) {
    return new IrRewriter() {
      @Override
      public Expr rewrite(Expr e) {
        return e instanceof Var v && v.name().equals(from) ? to : rewriteChildren(e);
      }
    };
  }

  /** Replaces every int32 immediate {@code from} by {@code to}. */
  static IrRewriter replaceInt(long from, long to) {
    return new IrRewriter() {
      @Override
      public Expr rewrite(Expr e) {
        return e instanceof IntImm i && i.type().equals(Type.I32) && i.value() == from ? i32(to) : rewriteChildren(e);
      }
    };
  }

  @Test
  void noOpRewriterReturnsEverySampleExprAsTheSameInstance() {
    for (Expr e : IrSamples.exprs()) assertSame(e, NO_OP.rewrite(e), () -> "rebuilt " + e);
  }

  @Test
  void noOpRewriterReturnsEverySampleStmtAsTheSameInstance() {
    for (Stmt s : IrSamples.stmts()) assertSame(s, NO_OP.rewrite(s), () -> "rebuilt " + s);
  }

  @Test
  void noOpRewriterReturnsThePipelineAndEachOfItsPartsAsTheSameInstance() {
    Pipeline p = IrSamples.pipeline();
    assertSame(p, NO_OP.rewrite(p));
    for (Function f : p.functions().values()) {
      assertSame(f, NO_OP.rewrite(f));
      assertSame(f.schedule(), NO_OP.rewrite(f.schedule()));
      for (int i = 0; i < f.stageCount(); i++) {
        Definition d = f.stage(i);
        assertSame(d, NO_OP.rewrite(d));
        assertSame(d.schedule(), NO_OP.rewrite(d.schedule()));
        if (d.domain() != null) assertSame(d.domain(), NO_OP.rewrite(d.domain()));
      }
    }
  }

  @Test
  void noOpRewriterReturnsTheModuleAsTheSameInstance() {
    LoweredModule m = IrSamples.module();
    assertSame(m, NO_OP.rewrite(m));
  }

  @Test
  void changingOneLeafRebuildsOnlyThePathToIt() {
    // (x * 2) + select(x < 3, y - 1, x)
    Expr left = new Mul(X, i32(2));
    Expr cond = new LT(X, i32(3));
    Sub sub = new Sub(Y, i32(1));
    Expr sel = new Select(cond, sub, X);
    Add root = new Add(left, sel);

    Expr out = replaceVar("y", Z).rewrite(root);

    assertEquals(new Add(new Mul(X, i32(2)), new Select(new LT(X, i32(3)), new Sub(Z, i32(1)), X)), out);
    Add a = (Add) out;
    assertSame(left, a.a());
    Select s = (Select) a.b();
    assertNotSame(sel, s);
    assertSame(cond, s.condition());
    assertSame(X, s.falseValue());
    Sub ns = (Sub) s.trueValue();
    assertSame(sub.b(), ns.b());
  }

  @Test
  void changingOneCallArgumentKeepsTheOtherArguments() {
    Expr a0 = new Add(X, i32(1));
    Call c = new Call(Type.F32, "f", List.of(a0, Y, X), CallKind.FUNC);
    Call out = (Call) replaceVar("y", Z).rewrite(c);
    assertEquals(List.of(a0, Z, X), out.args());
    assertSame(a0, out.args().get(0));
    assertSame(X, out.args().get(2));
  }

  @Test
  void changingOneStatementOfABlockKeepsItsSiblings() {
    Expr one = new UIntImm(Type.BOOL, 1);
    Stmt first = new Store("f", new Cast(Type.F32, X), X, one);
    Stmt loopBody = new Store("g", new Cast(Type.F32, Y), Y, one);
    For loop = new For("y", i32(0), Var.of("n"), ForKind.SERIAL, loopBody);
    Stmt last = new Evaluate(i32(0));
    Block block = new Block(List.of(first, loop, last));

    Stmt out = replaceVar("n", i32(16)).rewrite(block);

    assertEquals(new Block(List.of(first, new For("y", i32(0), i32(16), ForKind.SERIAL, loopBody), last)), out);
    Block b = (Block) out;
    assertSame(first, b.stmts().get(0));
    assertSame(last, b.stmts().get(2));
    For nl = (For) b.stmts().get(1);
    assertSame(loop.min(), nl.min());
    assertSame(loopBody, nl.body());
  }

  @Test
  void changingAParameterRebuildsOnlyTheFuncThatReadsIt() {
    Pipeline p = IrSamples.pipeline();
    Pipeline out = replaceVar("n", i32(32)).rewrite(p);

    assertNotSame(p, out);
    for (String name : List.of("clamped", "blur", "gpu_out", "offset")) {
      assertSame(p.function(name), out.function(name), name);
    }
    Function hist = p.function("hist");
    Function nh = out.function("hist");
    assertSame(hist.definition(), nh.definition());
    assertSame(hist.schedule(), nh.schedule());
    Definition u = hist.updates().get(0);
    Definition nu = nh.updates().get(0);
    assertSame(u.args(), nu.args());
    assertSame(u.values(), nu.values());
    assertSame(u.schedule(), nu.schedule());
    ReductionDomain.ReductionVariable rx = u.domain().variables().get(0);
    assertSame(rx, nu.domain().variables().get(0));
    assertEquals(new ReductionDomain.ReductionVariable("r.y", i32(0), i32(32)), nu.domain().variables().get(1));
    assertSame(u.domain().predicate(), nu.domain().predicate());
    assertSame(p.parameters(), out.parameters());
  }

  @Test
  void splitFactorsAndFuncBoundsAreRewritten() {
    Pipeline p = IrSamples.pipeline();
    // 8 occurs only as blur's first split factor, 100 only as blur's bound extent.
    Pipeline out = replaceInt(100, 128).rewrite(replaceInt(8, 16).rewrite(p));
    Function blur = out.function("blur");
    Split.SplitVar first = (Split.SplitVar) blur.definition().schedule().splits().get(0);
    assertEquals(i32(16), first.factor());
    List<Split> before = p.function("blur").definition().schedule().splits();
    for (int i = 1; i < before.size(); i++) assertSame(before.get(i), blur.definition().schedule().splits().get(i));
    assertEquals(List.of(new Bound("x", i32(0), i32(128))), blur.schedule().bounds());
    assertSame(p.function("blur").schedule().estimates(), blur.schedule().estimates());
    assertSame(p.function("blur").definition().values(), blur.definition().values());
  }

  @Test
  void changingAModuleBodyKeepsArgumentsAndConstants() {
    LoweredModule m = IrSamples.module();
    LoweredModule out = replaceVar("y", Z).rewrite(m);
    assertNotSame(m, out);
    assertSame(m.constants(), out.constants());
    assertSame(m.entryPoints().get(0).arguments(), out.entryPoints().get(0).arguments());
    // The first statement of the body does not mention y and keeps its identity.
    Block body = (Block) m.entryPoints().get(0).body();
    Block nb = (Block) out.entryPoints().get(0).body();
    assertSame(body.stmts().get(0), nb.stmts().get(0));
    assertNotSame(body.stmts().get(1), nb.stmts().get(1));
  }

  @Test
  void withBodiesRebuildsOnlyTheEntryPointsWhoseBodyChanged() {
    LoweredModule one = IrSamples.module();
    LoweredModule.EntryPoint first = one.entryPoints().getFirst();
    LoweredModule.EntryPoint second = new LoweredModule.EntryPoint("n", List.of(), new Evaluate(X));
    LoweredModule m = new LoweredModule("two", List.of(first, second), one.constants());
    assertSame(m, m.withBodies(LoweredModule.EntryPoint::body));
    LoweredModule out = m.withBodies(ep -> ep == second ? new Evaluate(Y) : ep.body());
    assertNotSame(m, out);
    assertSame(first, out.entryPoints().get(0));
    assertEquals(new LoweredModule.EntryPoint("n", List.of(), new Evaluate(Y)), out.entryPoints().get(1));
    assertSame(m.constants(), out.constants());
    assertEquals("two", out.name());
  }

  @Test
  void bindersAreAnnouncedWithTheirNameAndTypeAndMayBeRenamed() {
    List<String> seen = new ArrayList<>();
    IrRewriter renameBinders = new IrRewriter() {
      @Override
      protected Binder enterScope(String name, Type type, Expr body) {
        seen.add("let " + name + ": " + type);
        return new Binder(name + "_r", this);
      }

      @Override
      protected Binder enterScope(String name, Type type, Stmt body) {
        seen.add("stmt " + name + ": " + type);
        return new Binder(name + "_r", this);
      }
    };
    Expr let = new Let("t", new FloatImm(Type.F32, 1), new Var(Type.F32, "t"));
    Stmt s = new LetStmt("a", i32(1), new For("i", i32(0), i32(4), ForKind.SERIAL, new Evaluate(let)));

    Stmt out = renameBinders.rewrite(s);

    // Only the binders are renamed: uses are the subclass's business (see Substitution).
    assertEquals(new LetStmt("a_r", i32(1), new For("i_r", i32(0), i32(4), ForKind.SERIAL,
        new Evaluate(new Let("t_r", new FloatImm(Type.F32, 1), new Var(Type.F32, "t"))))), out);
    assertEquals(List.of("stmt a: int32", "stmt i: int32", "let t: float32"), seen);
  }
}
