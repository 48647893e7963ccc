package dev.halogen.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.halogen.ir.Expr.*;
import dev.halogen.ir.Stmt.*;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IrQueriesTest {
  static final Var X = Var.of("x");
  static final Var Y = Var.of("y");
  static final Expr TRUE = new UIntImm(Type.BOOL, 1);

  static IntImm i32(long v) {
    return new IntImm(Type.I32, v);
  }

  @Test
  void freeVarsOfAnExprExcludeLetBoundNamesInOrderOfFirstUse() {
    Expr e = new Add(new Let("t", new Add(Y, i32(1)), new Mul(Var.of("t"), X)), Var.of("t"));
    // t inside the let body is bound; the last t (outside the let) is free.
    assertEquals(List.of("y", "x", "t"), List.copyOf(IrQueries.freeVars(e)));
    // The value of a let is outside its scope.
    assertEquals(Set.of("x"), IrQueries.freeVars(new Let("x", X, X)));
  }

  @Test
  void freeVarsOfAStmtExcludeLoopAndLetNames() {
    Var i = Var.of("i");
    Stmt s = new For("i", i32(0), Var.of("n"), ForKind.SERIAL,
        new LetStmt("a", new Mul(i, i32(2)), new Store("f", new Cast(Type.F32, Var.of("b")), Var.of("a"), TRUE)));
    assertEquals(List.of("n", "b"), List.copyOf(IrQueries.freeVars(s)));
  }

  @Test
  void callsListFuncsAndImagesSeparately() {
    Pipeline p = IrSamples.pipeline();
    // The update argument (a cast of a call to blur) comes before the values that read hist.
    assertEquals(List.of("blur", "hist"), List.copyOf(IrQueries.calls(p.function("hist"), CallKind.FUNC)));
    assertEquals(List.of("clamped"), List.copyOf(IrQueries.calls(p.function("blur"), CallKind.FUNC)));
    assertEquals(List.of("lut"), List.copyOf(IrQueries.calls(p.function("blur"), CallKind.IMAGE)));
    assertEquals(List.of("blur", "offset"), List.copyOf(IrQueries.calls(p.function("gpu_out"), CallKind.FUNC)));
    Stmt s = new Evaluate(new Call(Type.I32, "ext", List.of(new Call(Type.I32, "f", List.of(), CallKind.FUNC)), CallKind.EXTERN));
    assertEquals(Set.of("ext"), IrQueries.calls(s, CallKind.EXTERN));
    assertEquals(Set.of("f"), IrQueries.calls(s, CallKind.FUNC));
  }

  @Test
  void exprsOfADefinitionAreArgsValuesThenDomain() {
    Definition u = IrSamples.pipeline().function("hist").updates().get(0);
    List<Expr> expected = new ArrayList<>(u.args());
    expected.addAll(u.values());
    expected.addAll(List.of(i32(0), i32(16), i32(0), Var.of("n"), u.domain().predicate()));
    assertEquals(expected, IrQueries.exprs(u));
  }

  @Test
  void constants() {
    assertTrue(IrQueries.isConst(i32(3)));
    assertTrue(IrQueries.isConst(new UIntImm(Type.BOOL, 0)));
    assertTrue(IrQueries.isConst(new FloatImm(Type.F32, 0.5)));
    assertTrue(IrQueries.isConst(new Broadcast(i32(3), 4)));
    assertFalse(IrQueries.isConst(X));
    assertFalse(IrQueries.isConst(new StringImm("s")));
    assertFalse(IrQueries.isConst(new Add(i32(1), i32(2))));

    assertTrue(IrQueries.isConst(i32(-3), -3));
    assertTrue(IrQueries.isConst(new FloatImm(Type.F64, 2.0), 2));
    assertFalse(IrQueries.isConst(new FloatImm(Type.F64, 2.5), 2));
    assertTrue(IrQueries.isConst(new UIntImm(Type.BOOL, 1), 1));
    assertTrue(IrQueries.isConst(new Broadcast(new UIntImm(Type.U8, 7), 2), 7));
    assertFalse(IrQueries.isConst(new UIntImm(Type.U64, -1), -1));

    assertEquals(OptionalLong.of(-7), IrQueries.asConstInt(i32(-7)));
    assertEquals(OptionalLong.of(Long.MIN_VALUE), IrQueries.asConstInt(new IntImm(Type.I64, Long.MIN_VALUE)));
    assertEquals(OptionalLong.of(4294967295L), IrQueries.asConstInt(new UIntImm(Type.U32, 4294967295L)));
    assertEquals(OptionalLong.empty(), IrQueries.asConstInt(new UIntImm(Type.U64, -1)));
    assertEquals(OptionalLong.empty(), IrQueries.asConstInt(new UIntImm(Type.BOOL, 1)));
    assertEquals(OptionalLong.of(3), IrQueries.asConstInt(new Broadcast(i32(3), 8)));
    assertEquals(OptionalLong.empty(), IrQueries.asConstInt(new FloatImm(Type.F32, 3)));
    assertEquals(OptionalLong.empty(), IrQueries.asConstInt(X));

    assertEquals(OptionalDouble.of(0.5), IrQueries.asConstFloat(new FloatImm(Type.F32, 0.5)));
    assertEquals(OptionalDouble.of(0.5), IrQueries.asConstFloat(new Broadcast(new FloatImm(Type.F32, 0.5), 4)));
    assertEquals(OptionalDouble.empty(), IrQueries.asConstFloat(i32(1)));
  }

  @Test
  void freshNamesAvoidTakenOnes() {
    assertEquals("t$1", IrQueries.freshName("t", Set.of("t")));
    assertEquals("t$3", IrQueries.freshName("t", Set.of("t", "t$1", "t$2")));
  }

  @Test
  void childrenAreListedInFieldOrder() {
    Expr c = new LT(X, Y);
    Expr sel = new Select(c, X, Y);
    assertEquals(List.of(c, X, Y), IrNodes.children(sel));
    assertEquals(List.of(), IrNodes.children(X));
    Expr let = new Let("t", i32(1), X);
    assertEquals(List.of(i32(1), X), IrNodes.children(let));
    Stmt then = new Evaluate(X), otherwise = new Evaluate(Y);
    Stmt ite = new IfThenElse(c, then, otherwise);
    assertEquals(List.of(c), IrNodes.exprChildren(ite));
    assertEquals(List.of(then, otherwise), IrNodes.stmtChildren(ite));
    Stmt realize = new Realize("f", List.of(Type.F32), MemoryType.AUTO, List.of(new Range(i32(0), i32(4))), TRUE, then);
    assertEquals(List.of(i32(0), i32(4), TRUE), IrNodes.exprChildren(realize));
  }

  @Test
  void everyChildOfEverySampleIsEnumerated() {
    // Walking the samples visits exactly the nodes reachable through record components of node type.
    for (Expr e : IrSamples.exprs()) assertEquals(reflectiveCount(e), count(e), e::toString);
    for (Stmt s : IrSamples.stmts()) assertEquals(reflectiveCount(s), count(s), s::toString);
  }

  private static int count(Object root) {
    int[] n = {0};
    IrWalker w = new IrWalker() {
      @Override
      protected void visit(Expr e, Scope scope, Path path) {
        n[0]++;
      }

      @Override
      protected void enter(Stmt s, Scope scope, Path path) {
        n[0]++;
      }
    };
    if (root instanceof Expr e) w.walk(e);
    else w.walk((Stmt) root);
    return n[0];
  }

  /** Counts Expr and Stmt nodes by following record components (through lists and Ranges), independently of IrNodes. */
  private static int reflectiveCount(Object o) {
    int n = (o instanceof Expr || o instanceof Stmt) ? 1 : 0;
    if (o instanceof List<?> l) {
      for (Object x : l) n += reflectiveCount(x);
    } else if (o instanceof Record) {
      for (var c : o.getClass().getRecordComponents()) {
        try {
          n += reflectiveCount(c.getAccessor().invoke(o));
        } catch (ReflectiveOperationException e) {
          throw new AssertionError(e);
        }
      }
    }
    return n;
  }

  @Test
  void theWalkerTracksScopeAndPath() {
    List<String> seen = new ArrayList<>();
    IrWalker w = new IrWalker() {
      @Override
      protected void visit(Expr e, Scope scope, Path path) {
        if (e instanceof Var v) seen.add(path + " " + v.name() + (scope.contains(v.name()) ? " bound " + scope.typeOf(v.name()) : " free"));
      }
    };
    Stmt s = new Block(List.of(new Evaluate(X),
        new For("x", i32(0), X, ForKind.SERIAL, new LetStmt("y", new FloatImm(Type.F32, 1), new Evaluate(new Add(X, Y))))));
    w.walk(s);
    assertEquals(List.of(
        "stmt.stmts[0].value x free",
        "stmt.stmts[1].extent x free",
        "stmt.stmts[1].body.body.value.a x bound int32",
        "stmt.stmts[1].body.body.value.b y bound float32"), seen);
  }

  @Test
  void withChildrenReplacesSubExpressionsInChildOrder() {
    for (Expr e : IrSamples.exprs()) {
      List<Expr> kids = IrNodes.children(e);
      assertTrue(IrNodes.withChildren(e, kids) == e, "same children must give the same instance: " + e);
      // Replacing every child by an equal copy rebuilds the node into an equal one whose children are the copies.
      List<Expr> copies = kids.stream().map(k -> IrNodes.withChildren(k, new ArrayList<>(IrNodes.children(k)))).toList();
      List<Expr> fresh = new ArrayList<>();
      for (Expr k : kids) fresh.add(k instanceof IntImm(Type t, long v) ? new IntImm(t, v) : k);
      Expr rebuilt = IrNodes.withChildren(e, fresh);
      assertEquals(e, rebuilt);
      List<Expr> after = IrNodes.children(rebuilt);
      for (int i = 0; i < fresh.size(); i++) assertTrue(after.get(i) == fresh.get(i), "child " + i + " of " + e);
      assertEquals(kids, copies);
    }
    Expr sum = new Add(X, Y);
    assertEquals(new Add(Y, X), IrNodes.withChildren(sum, List.of(Y, X)));
    IllegalArgumentException wrongCount = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> IrNodes.withChildren(sum, List.of(X)));
    assertTrue(wrongCount.getMessage().contains("Add has 2 sub-expressions, got 1 replacements"), wrongCount.getMessage());
  }
}
