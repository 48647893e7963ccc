package dev.halogen.passes.analysis;

import dev.halogen.ir.IrNodes;
import static dev.halogen.passes.analysis.Ir.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.halogen.ir.Expr;
import dev.halogen.ir.Expr.*;
import dev.halogen.ir.Type;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LetsTest {
  private static final Var X = new Var(Type.I32, "x");
  private static final Var Y = new Var(Type.I32, "y");
  private static final Var A = new Var(Type.I32, "a");
  private static final Var B = new Var(Type.I32, "b");

  @Test
  void substituteAllInlinesEveryLetAsASharedValue() {
    Expr e = new Let("a", new Mul(X, X), new Add(A, A));
    Expr out = Lets.substituteAll(e);
    assertEquals(new Add(new Mul(X, X), new Mul(X, X)), out);
    Add sum = (Add) out;
    assertSame(sum.a(), sum.b(), "both uses share the one inlined value");
  }

  @Test
  void substituteAllRespectsShadowing() {
    // let x = y * 2 in (let x = x + 1 in x * x) + x   ==   (y*2 + 1) * (y*2 + 1) + y*2
    Expr e = new Let("x", new Mul(Y, i32(2)), new Add(new Let("x", new Add(X, i32(1)), new Mul(X, X)), X));
    Expr y2 = new Mul(Y, i32(2));
    assertEquals(new Add(new Mul(new Add(y2, i32(1)), new Add(y2, i32(1))), y2), Lets.substituteAll(e));
  }

  @Test
  void substituteAllDoesNotLetInnerLetsCaptureOuterValues() {
    // let a = y + 1 in let y = 5 in a * y   ==   (y + 1) * 5: the y in a's value is the outer y
    Expr e = new Let("a", new Add(Y, i32(1)), new Let("y", i32(5), new Mul(A, Y)));
    assertEquals(new Mul(new Add(Y, i32(1)), i32(5)), Lets.substituteAll(e));
  }

  @Test
  void substituteTrivialInlinesConstantsAndVariables() {
    assertEquals(new Add(i32(3), i32(3)), Lets.substituteTrivial(new Let("a", i32(3), new Add(A, A))));
    assertEquals(new Mul(X, Y), Lets.substituteTrivial(new Let("a", X, new Let("b", Y, new Mul(A, B)))));
    Expr kept = new Let("a", new Mul(X, X), new Add(A, A));
    assertSame(kept, Lets.substituteTrivial(kept), "nothing to do gives the same object");
  }

  @Test
  void substituteTrivialDropsDeadLets() {
    assertEquals(Y, Lets.substituteTrivial(new Let("a", new Mul(X, X), Y)));
    // b is dead, so a, used only by b, is dead too
    assertEquals(i32(5), Lets.substituteTrivial(new Let("a", new Mul(X, X), new Let("b", new Add(A, i32(1)), i32(5)))));
  }

  @Test
  void substituteTrivialRenamesALetThatWouldCapture() {
    // let a = x in let x = y * y in a + x: inlining a must not let the inner x capture it
    Expr e = new Let("a", X, new Let("x", new Mul(Y, Y), new Add(A, X)));
    Var fresh = new Var(Type.I32, "x_1");
    assertEquals(new Let("x_1", new Mul(Y, Y), new Add(X, fresh)), Lets.substituteTrivial(e));
  }

  @Test
  void substitutionsPreserveValuesOnRandomExpressions() {
    RandomExprs gen = new RandomExprs(99, RandomExprs.Options.all().withFuncCalls(true));
    for (int i = 0; i < 3000; i++) {
      Type t = gen.anyType(1);
      Expr e = gen.expr(t, 6);
      Environment env = gen.environment();
      Value expected = Evaluator.WRAPPING.eval(e, env);
      assertEquals(expected, Evaluator.WRAPPING.eval(Lets.substituteAll(e), env), () -> "substituteAll of " + e);
      Expr trivial = Lets.substituteTrivial(e);
      assertEquals(expected, Evaluator.WRAPPING.eval(trivial, env), () -> "substituteTrivial of " + e);
      assertFalse(hasTrivialLet(trivial), () -> "a trivial let is left in " + trivial);
    }
  }

  private static boolean hasTrivialLet(Expr e) {
    if (e instanceof Let l && Lets.isTrivial(l.value())) return true;
    for (Expr c : IrNodes.children(e)) if (hasTrivialLet(c)) return true;
    return false;
  }

  @Test
  void longLetChainsNeedNoDeepStack() {
    // let v1 = v0 * 3 + 1 in let v2 = v1 * 3 + 1 in ... : 200,000 nested lets
    int n = 200_000;
    Expr body = new Var(Type.I64, "v" + n);
    for (int i = n; i >= 1; i--) {
      Var prev = new Var(Type.I64, "v" + (i - 1));
      body = new Let("v" + i, new Add(new Mul(prev, i64(3)), i64(1)), body);
    }
    long expected = 7;
    for (int i = 0; i < n; i++) expected = expected * 3 + 1;
    Map<String, Value> env = Map.of("v0", Value.ofInt(Type.I64, 7));
    assertEquals(expected, Evaluator.WRAPPING.eval(body, env).longLane(0));
    assertSame(body, Lets.substituteTrivial(body));
    // Inlining builds an expression as deep as the chain; Expr.type() of an Add walks its left
    // operands, so keep that part short.
    Expr shortChain = body;
    for (int i = 0; i < n - 2000; i++) shortChain = ((Let) shortChain).body();
    Expr inlined = Lets.substituteAll(new Let("v" + (n - 2000), new Var(Type.I64, "v0"), shortChain));
    long expectedShort = 7;
    for (int i = 0; i < 2000; i++) expectedShort = expectedShort * 3 + 1;
    assertEquals(expectedShort, Evaluator.WRAPPING.eval(inlined, env).longLane(0));
  }
}
