package dev.halogen.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.halogen.ir.Expr.*;
import dev.halogen.ir.Stmt.*;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SubstitutionTest {
  static final Var X = Var.of("x");
  static final Var Y = Var.of("y");
  static final Var T = Var.of("t");
  static final Expr TRUE = new UIntImm(Type.BOOL, 1);

  static IntImm i32(long v) {
    return new IntImm(Type.I32, v);
  }

  static Var v(String name) {
    return Var.of(name);
  }

  @Test
  void replacesEveryFreeOccurrence() {
    Expr e = new Add(new Mul(X, X), Y);
    Expr xp1 = new Add(Y, i32(1));
    assertEquals(new Add(new Mul(xp1, xp1), Y), Substitution.substitute(e, "x", xp1));
  }

  @Test
  void replacementsAreSimultaneous() {
    Expr e = new Sub(X, Y);
    assertEquals(new Sub(Y, X), Substitution.substitute(e, Map.of("x", Y, "y", X)));
  }

  @Test
  void aLetShadowsTheSubstitutedNameInItsBodyButNotInItsValue() {
    Expr e = new Let("x", new Add(X, i32(1)), new Mul(X, i32(2)));
    Expr out = Substitution.substitute(e, "x", i32(5));
    assertEquals(new Let("x", new Add(i32(5), i32(1)), new Mul(X, i32(2))), out);
    assertSame(((Let) e).body(), ((Let) out).body());
  }

  @Test
  void aLetStmtAndALoopShadowTheSubstitutedName() {
    Stmt body = new Store("f", new Cast(Type.F32, X), X, TRUE);
    Stmt loop = new For("x", X, i32(10), ForKind.SERIAL, body);
    Stmt let = new LetStmt("x", new Mul(X, i32(2)), body);
    Stmt out = Substitution.substitute(new Block(List.of(loop, let)), "x", i32(3));
    assertEquals(new Block(List.of(
        new For("x", i32(3), i32(10), ForKind.SERIAL, body),
        new LetStmt("x", new Mul(i32(3), i32(2)), body))), out);
    assertSame(body, ((For) ((Block) out).stmts().get(0)).body());
  }

  @Test
  void aLetThatWouldCaptureTheReplacementIsRenamed() {
    // x := t + 1 inside "let t = 2 in x * t": the t of the replacement is the outer t.
    Expr e = new Let("t", i32(2), new Mul(X, T));
    Expr out = Substitution.substitute(e, "x", new Add(T, i32(1)));
    assertEquals(new Let("t$1", i32(2), new Mul(new Add(T, i32(1)), v("t$1"))), out);
  }

  @Test
  void theFreshNameAvoidsNamesAlreadyInTheBody() {
    Expr e = new Let("t", i32(2), new Add(new Mul(X, T), v("t$1")));
    Expr out = Substitution.substitute(e, "x", T);
    assertEquals(new Let("t$2", i32(2), new Add(new Mul(T, v("t$2")), v("t$1"))), out);
  }

  @Test
  void aLoopThatWouldCaptureTheReplacementIsRenamed() {
    // n := i inside "for i in [0, n) { f[i] = n }": the extent is outside the loop's scope.
    Var i = v("i");
    Stmt s = new For("i", i32(0), v("n"), ForKind.SERIAL, new Store("f", v("n"), i, TRUE));
    Stmt out = Substitution.substitute(s, "n", i);
    assertEquals(new For("i$1", i32(0), i, ForKind.SERIAL, new Store("f", i, v("i$1"), TRUE)), out);
  }

  @Test
  void aBinderIsNotRenamedWhenNothingWouldBeCaptured() {
    // The replacement mentions t, but x does not occur under the binder of t.
    Expr e = new Add(X, new Let("t", i32(2), new Mul(T, i32(3))));
    Expr out = Substitution.substitute(e, "x", T);
    assertEquals(new Add(T, new Let("t", i32(2), new Mul(T, i32(3)))), out);
    assertSame(((Add) e).b(), ((Add) out).b());
  }

  @Test
  void nothingToReplaceReturnsTheSameInstance() {
    for (Expr e : IrSamples.exprs()) assertSame(e, Substitution.substitute(e, "nowhere", i32(0)));
    for (Stmt s : IrSamples.stmts()) assertSame(s, Substitution.substitute(s, "nowhere", i32(0)));
    Pipeline p = IrSamples.pipeline();
    assertSame(p, Substitution.substituter(Map.of("nowhere", i32(0))).rewrite(p));
  }

  @Test
  void aReplacementOfAnotherTypeIsRejected() {
    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
        () -> Substitution.substitute(new Add(X, i32(1)), "x", new FloatImm(Type.F32, 1)));
    assertEquals("substituting variable x of type int32 by an expression of type float32", ex.getMessage());
  }

  @Test
  void substitutingAParameterReachesReductionDomainsOfThePipeline() {
    Pipeline out = Substitution.substituter(Map.of("n", i32(7))).rewrite(IrSamples.pipeline());
    assertEquals(new ReductionDomain.ReductionVariable("r.y", i32(0), i32(7)),
        out.function("hist").updates().get(0).domain().variables().get(1));
  }

  // ------------------------------------------------------------------ calls

  static Call call(String f, Expr... args) {
    return new Call(Type.I32, f, List.of(args), CallKind.FUNC);
  }

  @Test
  void callsAreReplacedInsideOut() {
    IrRewriter plusOne = Substitution.callReplacer(c -> c.name().equals("f") ? new Add(c.args().get(0), i32(1)) : null);
    Expr e = new Mul(call("f", call("f", X)), call("g", Y));
    assertEquals(new Mul(new Add(new Add(X, i32(1)), i32(1)), call("g", Y)), plusOne.rewrite(e));
  }

  static Function pure(String name, List<String> args, Expr... values) {
    List<Expr> vars = args.stream().map(a -> (Expr) Var.of(a)).toList();
    List<Type> types = java.util.Arrays.stream(values).map(Expr::type).toList();
    return new Function(name, args, types, new Definition(vars, List.of(values), null, StageSchedule.of(List.of())),
        List.of(), FuncSchedule.INLINE);
  }

  @Test
  void inliningSubstitutesTheArgumentsForThePureVariablesSimultaneously() {
    // f(x, y) = x * 2 + y; f(y, x + 1) = y * 2 + (x + 1)
    Function f = pure("f", List.of("x", "y"), new Add(new Mul(X, i32(2)), Y));
    Expr e = new Sub(call("f", Y, new Add(X, i32(1))), X);
    assertEquals(new Sub(new Add(new Mul(Y, i32(2)), new Add(X, i32(1))), X), Substitution.inline(e, f));
  }

  @Test
  void inliningPicksTheTupleElementOfTheCall() {
    Function f = pure("f", List.of("x"), new Add(X, i32(1)), new Cast(Type.F32, X));
    Expr e = new Call(Type.F32, "f", List.of(i32(4)), CallKind.FUNC, 1);
    assertEquals(new Cast(Type.F32, i32(4)), Substitution.inline(e, f));
  }

  @Test
  void inliningRenamesALetThatWouldCaptureAParameterTheFuncReads() {
    // f(x) = x + k reads parameter k; in "let k = 5 in f(k)" the argument is the let's k.
    Var k = v("k");
    Function f = pure("f", List.of("x"), new Add(X, k));
    Expr e = new Let("k", i32(5), call("f", k));
    assertEquals(new Let("k$1", i32(5), new Add(v("k$1"), k)), Substitution.inline(e, f));
  }

  @Test
  void inliningRenamesALetOfTheFuncThatWouldCaptureAnArgument() {
    // f(x) = let t = x * 2 in t + x, called as f(t) with an outer t.
    Function f = pure("f", List.of("x"), new Let("t", new Mul(X, i32(2)), new Add(T, X)));
    Expr out = Substitution.inline(call("f", T), f);
    assertEquals(new Let("t$1", new Mul(T, i32(2)), new Add(v("t$1"), T)), out);
  }

  @Test
  void inliningWithoutCallsReturnsTheSameInstance() {
    Function f = pure("f", List.of("x"), new Add(X, i32(1)));
    Expr e = new Let("x", i32(1), call("g", X));
    assertSame(e, Substitution.inline(e, f));
  }

  @Test
  void aFuncWithUpdatesCannotBeInlined() {
    Function hist = IrSamples.pipeline().function("hist");
    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> Substitution.inliner(hist));
    assertEquals("Func hist has 1 update definition(s) and cannot be inlined", ex.getMessage());
  }

  @Test
  void inliningIntoAPipelineReplacesEveryCall() {
    Pipeline p = IrSamples.pipeline();
    Function offset = p.function("offset");
    Pipeline out = Substitution.inliner(offset).rewrite(p);
    // gpu_out(x) = blur(offset(x), 0) becomes blur(x + 1, 0).
    assertEquals(List.of(new Call(Type.F32, "blur", List.of(new Add(Var.of("x"), i32(1)), i32(0)), CallKind.FUNC)),
        out.function("gpu_out").definition().values());
    assertSame(p.function("blur"), out.function("blur"));
  }
}
