package dev.halogen.passes.analysis;

import static dev.halogen.passes.analysis.Ir.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.halogen.ir.Expr;
import dev.halogen.ir.Expr.*;
import dev.halogen.ir.Type;
import dev.halogen.passes.analysis.Associativity.Associative;
import dev.halogen.passes.analysis.Associativity.NotAssociative;
import dev.halogen.passes.analysis.Associativity.Operator;
import dev.halogen.passes.analysis.Associativity.Result;
import dev.halogen.passes.analysis.Associativity.Term;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AssociativityTest {
  private static final Var X = new Var(Type.I32, "x");
  private static final Var RX = new Var(Type.I32, "r.x");
  private static final List<Expr> ARGS = List.of(X);

  /** {@code f(x)[k]} of type {@code t}. */
  private static Expr f(Type t, int k) {
    return new Call(t, "f", ARGS, CallKind.FUNC, k);
  }

  private static Expr f(Type t) {
    return f(t, 0);
  }

  /** A term free of f: {@code g(r.x)} of type {@code t}. */
  private static Expr e(Type t) {
    return new Call(t, "g", List.of(RX), CallKind.IMAGE);
  }

  private static Result prove(Expr... values) {
    return Associativity.prove("f", ARGS, List.of(values));
  }

  private static Associative accepted(Expr... values) {
    Result r = prove(values);
    if (r instanceof NotAssociative(String reason)) fail("refused: " + reason);
    return (Associative) r;
  }

  private static String refused(Expr... values) {
    Result r = prove(values);
    if (r instanceof NotAssociative(String reason)) return reason;
    return fail("accepted: " + r);
  }

  private static void assertSingle(Associative a, Operator op, Expr identity, Expr operand) {
    assertEquals(op, a.operator());
    assertEquals(List.of(identity), a.identities());
    assertEquals(List.of(operand), a.operands());
    assertTrue(a.commutative());
  }

  // ---------------------------------------------------------------- accepted

  @Test
  void sumWithTheFuncFirst() {
    assertSingle(accepted(new Add(f(Type.I32), e(Type.I32))), Operator.ADD, i32(0), e(Type.I32));
  }

  @Test
  void floatSumWithTheFuncSecondHasNegativeZeroIdentity() {
    Associative a = accepted(new Add(e(Type.F32), f(Type.F32)));
    assertSingle(a, Operator.ADD, f32(-0.0), e(Type.F32));
    assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(((FloatImm) a.identities().getFirst()).value()));
  }

  @Test
  void products() {
    assertSingle(accepted(new Mul(f(Type.U8), e(Type.U8))), Operator.MUL, u8(1), e(Type.U8));
    assertSingle(accepted(new Mul(e(Type.F64), f(Type.F64))), Operator.MUL, f64(1), e(Type.F64));
  }

  @Test
  void minimumsStartAtTheTop() {
    assertSingle(accepted(new Min(f(Type.F32), e(Type.F32))), Operator.MIN, f32(Double.POSITIVE_INFINITY), e(Type.F32));
    assertSingle(accepted(new Min(e(Type.I16), f(Type.I16))), Operator.MIN, i16(32767), e(Type.I16));
    assertSingle(accepted(new Min(f(Type.U64), e(Type.U64))), Operator.MIN, u64(-1), e(Type.U64));
  }

  @Test
  void maximumsStartAtTheBottom() {
    assertSingle(accepted(new Max(f(Type.U32), e(Type.U32))), Operator.MAX, u32(0), e(Type.U32));
    assertSingle(accepted(new Max(e(Type.F64), f(Type.F64))), Operator.MAX, f64(Double.NEGATIVE_INFINITY), e(Type.F64));
    assertSingle(accepted(new Max(f(Type.I8), e(Type.I8))), Operator.MAX, i8(-128), e(Type.I8));
  }

  @Test
  void booleanReductions() {
    assertSingle(accepted(new And(f(Type.BOOL), e(Type.BOOL))), Operator.AND, bool(true), e(Type.BOOL));
    assertSingle(accepted(new Or(e(Type.BOOL), f(Type.BOOL))), Operator.OR, bool(false), e(Type.BOOL));
  }

  @Test
  void vectorSumHasABroadcastIdentity() {
    Type v = Type.F32.withLanes(4);
    assertSingle(accepted(new Add(f(v), e(v))), Operator.ADD, new Broadcast(f32(-0.0), 4), e(v));
  }

  @Test
  void histogramUpdateAtADataDependentSite() {
    List<Expr> site = List.of(new Cast(Type.I32, new Call(Type.U8, "input", List.of(RX), CallKind.IMAGE)));
    Expr count = new Call(Type.I32, "hist", site, CallKind.FUNC, 0);
    Result r = Associativity.prove("hist", site, List.of(new Add(count, i32(1))));
    assertEquals(new Associative(List.of(new Term(Operator.ADD, List.of(0), List.of(i32(0)), List.of(i32(1)), 0, true))), r);
  }

  @Test
  void argminCarriesTheIndexAlongTheMinimum() {
    // f(x) = {select(e < f[1], r.x, f[0]), min(f[1], e)}
    Expr e = e(Type.F32);
    Associative a = accepted(new Select(new LT(e, f(Type.F32, 1)), RX, f(Type.I32, 0)), new Min(f(Type.F32, 1), e));
    assertEquals(List.of(new Term(Operator.ARGMIN, List.of(0, 1), List.of(i32(0), f32(Double.POSITIVE_INFINITY)), List.of(RX, e), 1, false)),
        a.terms());
    assertEquals(Operator.ARGMIN, a.operator());
    assertFalse(a.commutative(), "equal minimums: the first index wins, so order matters");
  }

  @Test
  void argminWithTheComparisonWrittenTheOtherWay() {
    Expr e = e(Type.I32);
    // select(f[1] > e, r.x, f[0]) is select(e < f[1], r.x, f[0])
    Associative a = accepted(new Select(new GT(f(Type.I32, 1), e), RX, f(Type.I32, 0)), new Min(e, f(Type.I32, 1)));
    assertEquals(Operator.ARGMIN, a.operator());
    assertEquals(List.of(i32(0), i32(Integer.MAX_VALUE)), a.identities());
  }

  @Test
  void argminWhoseMinimumIsWrittenAsASelect() {
    // f(x) = {select(e < f[1], r.x, f[0]), select(e < f[1], e, f[1])}: what Exprs.argmin builds
    Expr e = e(Type.F32);
    Expr less = new LT(e, f(Type.F32, 1));
    Associative a = accepted(new Select(less, RX, f(Type.I32, 0)), new Select(less, e, f(Type.F32, 1)));
    assertEquals(Operator.ARGMIN, a.operator());
    assertEquals(List.of(RX, e), a.terms().getFirst().operands());
  }

  @Test
  void argmaxKeepingTheOldIndexOnTheFalseBranch() {
    // f(x) = {max(f[0], e), select(e <= f[0], f[1], r.x)}: the value first, the index second
    Expr e = e(Type.U16);
    Associative a = accepted(new Max(f(Type.U16, 0), e), new Select(new LE(e, f(Type.U16, 0)), f(Type.I32, 1), RX));
    assertEquals(List.of(new Term(Operator.ARGMAX, List.of(0, 1), List.of(u16(0), i32(0)), List.of(e, RX), 0, false)), a.terms());
  }

  @Test
  void twoDimensionalArgmin() {
    Expr e = e(Type.F64);
    Var ry = new Var(Type.I32, "r.y");
    Expr newer = new LE(e, f(Type.F64, 2)); // the last of equal minimums wins
    Associative a = accepted(new Select(newer, RX, f(Type.I32, 0)), new Select(newer, ry, f(Type.I32, 1)), new Min(f(Type.F64, 2), e));
    assertEquals(List.of(new Term(Operator.ARGMIN, List.of(0, 1, 2), List.of(i32(0), i32(0), f64(Double.POSITIVE_INFINITY)),
        List.of(RX, ry, e), 2, false)), a.terms());
  }

  // ---------------------------------------------------------------- merge

  /** A stand-in for the previous (p) or partial (q) value {@code k} of type {@code t}. */
  private static Expr part(String which, Type t, int k) {
    return new Var(t, which + k);
  }

  @Test
  void mergeReplacesTheOwnValueAndTheTermKeepingTheOperandOrder() {
    // f = g(r.x) * f: previous and partial results merge as q0 * p0, the term's side first.
    assertEquals(List.of(new Mul(part("q", Type.I32, 0), part("p", Type.I32, 0))),
        Associativity.merge("f", ARGS, List.of(new Mul(e(Type.I32), f(Type.I32))), List.of(part("p", Type.I32, 0)),
            List.of(part("q", Type.I32, 0))));
  }

  @Test
  void mergeOfAnArgmaxKeepsItsComparison() {
    // f = {max(f[0], e), select(e <= f[0], f[1], r.x)}: the merge takes the partial index only when
    // its maximum is strictly greater, as the update does (e <= f[0] keeps the old index).
    Expr e = e(Type.U16);
    List<Expr> p = List.of(part("p", Type.U16, 0), part("p", Type.I32, 1));
    List<Expr> q = List.of(part("q", Type.U16, 0), part("q", Type.I32, 1));
    assertEquals(List.of(new Max(p.get(0), q.get(0)), new Select(new LE(q.get(0), p.get(0)), p.get(1), q.get(1))),
        Associativity.merge("f", ARGS, List.of(new Max(f(Type.U16, 0), e), new Select(new LE(e, f(Type.U16, 0)), f(Type.I32, 1), RX)),
            p, q));
  }

  @Test
  void mergeOfAnUpdateThatIsNotAssociativeFails() {
    IllegalArgumentException x = assertThrows(IllegalArgumentException.class, () -> Associativity.merge("f", ARGS,
        List.of(new Sub(f(Type.I32), e(Type.I32))), List.of(part("p", Type.I32, 0)), List.of(part("q", Type.I32, 0))));
    assertEquals("cannot merge partial results of an update that is not associative: update of f, value 0: subtraction is not"
        + " associative (a sum of negated terms is written f + (0 - e))", x.getMessage());
  }

  @Test
  void independentTupleElementsAreSeparateTerms() {
    Associative a = accepted(new Add(f(Type.I32, 0), e(Type.I32)), new Max(f(Type.F32, 1), e(Type.F32)));
    assertEquals(2, a.terms().size());
    assertEquals(List.of(i32(0), f32(Double.NEGATIVE_INFINITY)), a.identities());
    assertEquals(List.of(e(Type.I32), e(Type.F32)), a.operands());
    assertTrue(a.commutative());
    assertThrows(IllegalStateException.class, a::operator);
  }

  // ---------------------------------------------------------------- refused

  @Test
  void subtractionIsRefused() {
    assertEquals("update of f, value 0: subtraction is not associative (a sum of negated terms is written f + (0 - e))",
        refused(new Sub(f(Type.I32), e(Type.I32))));
    assertTrue(refused(new Sub(e(Type.F32), f(Type.F32))).contains("subtraction is not associative"));
  }

  @Test
  void twoReferencesToTheFuncAreRefused() {
    assertEquals("update of f, value 0: both operands of MUL are f's own value", refused(new Mul(f(Type.I32), f(Type.I32))));
    assertEquals("update of f, value 0: both operands of ADD are f's own value", refused(new Add(f(Type.F32), f(Type.F32))));
    assertEquals("update of f, value 0: the term combined by ADD reads f too",
        refused(new Add(f(Type.I32), new Mul(f(Type.I32), i32(2)))));
  }

  @Test
  void aScaledSelfReferenceIsRefused() {
    assertEquals("update of f, value 0: no operand of ADD is f's own value f(...)[0] alone",
        refused(new Add(new Mul(i32(2), f(Type.I32)), e(Type.I32))));
  }

  @Test
  void overwritesAndNoOpsAreRefused() {
    assertEquals("update of f, value 0: the value does not read f's own value, so the update overwrites instead of reducing",
        refused(e(Type.I32)));
    assertEquals("update of f, value 0: the value is left unchanged", refused(f(Type.I32)));
  }

  @Test
  void readingTheFuncElsewhereIsRefused() {
    Expr left = new Call(Type.I32, "f", List.of(new Sub(X, i32(1))), CallKind.FUNC, 0);
    assertEquals("update of f, value 0: it reads f at other arguments than the update's own: " + left,
        refused(new Add(f(Type.I32), left)));
  }

  @Test
  void arithmeticOnBoolsIsRefused() {
    assertEquals("update of f, value 0: ADD does not apply to bool", refused(new Add(f(Type.BOOL), e(Type.BOOL))));
  }

  @Test
  void aSelectThatPicksAgainstTheMinimumIsRefused() {
    Expr e = e(Type.F32);
    // select(e < f[1], f[0], r.x) keeps the old index exactly when the new value is smaller
    assertEquals("update of f, value 1: value 0 does not take its new value exactly when the min takes the new term",
        refused(new Select(new LT(e, f(Type.F32, 1)), f(Type.I32, 0), RX), new Min(f(Type.F32, 1), e)));
  }

  @Test
  void aSelectAlongASumIsRefused() {
    Expr e = e(Type.F32);
    assertEquals("update of f, value 0: a select can only carry values along a min or a max, but value 1 is combined by ADD",
        refused(new Select(new LT(e, f(Type.F32, 1)), RX, f(Type.I32, 0)), new Add(f(Type.F32, 1), e)));
  }

  @Test
  void aSelectOnAnotherConditionIsRefused() {
    Expr e = e(Type.F32);
    assertEquals("update of f, value 0: the select does not compare against a min or max of another value of f",
        refused(new Select(new LT(RX, i32(3)), RX, f(Type.I32, 0)), new Min(f(Type.F32, 1), e)));
    // comparing a different term than the one the min takes
    Expr other = new Mul(e, f32(2));
    assertEquals("update of f, value 0: the select does not compare against a min or max of another value of f",
        refused(new Select(new LT(other, f(Type.F32, 1)), RX, f(Type.I32, 0)), new Min(f(Type.F32, 1), e)));
  }

  @Test
  void elementsMixingEachOthersValuesAreRefused() {
    assertEquals("update of f, value 0: the term combined by ADD reads f too",
        refused(new Add(f(Type.I32, 0), f(Type.I32, 1)), new Add(f(Type.I32, 1), e(Type.I32))));
  }

  /** The identities really are identities: op(identity, x) == x for edge values, by the evaluator. */
  @Test
  void identitiesAreNeutralForEveryValue() {
    RandomExprs gen = new RandomExprs(3);
    for (Type t : RandomExprs.ALL_SCALAR_TYPES) {
      Var x = new Var(t, "v");
      for (Operator op : List.of(Operator.ADD, Operator.MUL, Operator.MIN, Operator.MAX, Operator.AND, Operator.OR)) {
        boolean applies = switch (op) {
          case ADD, MUL -> !t.isBool();
          case MIN, MAX -> true;
          case AND, OR -> t.isBool();
          case ARGMIN, ARGMAX -> false;
        };
        if (!applies) continue;
        Expr id = Associativity.identity(op, t);
        Expr combined = switch (op) {
          case ADD -> new Add(id, x);
          case MUL -> new Mul(id, x);
          case MIN -> new Min(id, x);
          case MAX -> new Max(id, x);
          case AND -> new And(id, x);
          case OR -> new Or(id, x);
          case ARGMIN, ARGMAX -> throw new AssertionError();
        };
        for (int i = 0; i < 300; i++) {
          Value val = gen.value(t);
          Value got = Evaluator.WRAPPING.eval(combined, Map.of("v", val));
          if (t.isFloat() && Double.isNaN(val.doubleLane(0))) {
            assertTrue(Double.isNaN(got.doubleLane(0)), op + " " + t);
          } else {
            assertEquals(val, got, op + " identity " + id + " with " + val);
          }
        }
      }
    }
  }
}
