package dev.halogen.passes.analysis;

import dev.halogen.ir.IrNodes;
import static dev.halogen.passes.analysis.Ir.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.halogen.ir.Expr;
import dev.halogen.ir.Expr.*;
import dev.halogen.ir.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CseTest {
  private static final Var X = new Var(Type.I32, "x");
  private static final Var Y = new Var(Type.I32, "y");
  private static final Var Z = new Var(Type.I32, "z");

  private static Var v(String name) {
    return new Var(Type.I32, name);
  }

  @Test
  void aRepeatedSubexpressionBecomesOneLet() {
    Expr e = new Mul(new Add(X, Y), new Add(X, Y));
    assertEquals(new Let("t0", new Add(X, Y), new Mul(v("t0"), v("t0"))), Cse.cse(e));
  }

  @Test
  void onlyTheOutermostRepeatIsLiftedWhenItsPartsOccurOnlyInside() {
    Expr term = new Mul(new Add(X, Y), Z);
    Expr e = new Add(term, new Mul(new Add(X, Y), Z));
    assertEquals(new Let("t0", new Mul(new Add(X, Y), Z), new Add(v("t0"), v("t0"))), Cse.cse(e));
  }

  @Test
  void nestedRepeatsAreLiftedDependenciesFirst() {
    Expr square = new Mul(new Add(X, Y), new Add(X, Y));
    Expr e = new Add(square, new Mul(new Add(X, Y), new Add(X, Y)));
    Expr expected = new Let("t0", new Add(X, Y), new Let("t1", new Mul(v("t0"), v("t0")), new Add(v("t1"), v("t1"))));
    assertEquals(expected, Cse.cse(e));
  }

  @Test
  void freshNamesDoNotCaptureVariablesOfTheExpression() {
    Var t0 = v("t0");
    Expr e = new Mul(new Add(t0, Y), new Add(t0, Y));
    assertEquals(new Let("t1", new Add(t0, Y), new Mul(v("t1"), v("t1"))), Cse.cse(e));
  }

  @Test
  void inputLetsAreInlinedBeforeNumbering() {
    // let a = x + 1 in a * a + (x + 1): the let and the repeated x + 1 are one value
    Expr e = new Let("a", new Add(X, i32(1)), new Add(new Mul(v("a"), v("a")), new Add(X, i32(1))));
    assertEquals(new Let("t0", new Add(X, i32(1)), new Add(new Mul(v("t0"), v("t0")), v("t0"))), Cse.cse(e));
  }

  @Test
  void shadowedLetsKeepTheirMeaning() {
    // let x = y * 2 in (let x = x + 1 in x * x) + x: the two x are different values
    Expr e = new Let("x", new Mul(Y, i32(2)), new Add(new Let("x", new Add(X, i32(1)), new Mul(X, X)), X));
    Expr y2 = new Mul(Y, i32(2));
    Expr expected = new Let("t0", y2, new Let("t1", new Add(v("t0"), i32(1)), new Add(new Mul(v("t1"), v("t1")), v("t0"))));
    assertEquals(expected, Cse.cse(e));
  }

  @Test
  void trivialExpressionsAreNotLifted() {
    Expr e = new Add(new Mul(X, X), new Mul(i32(3), i32(3)));
    assertEquals(e, Cse.cse(e)); // x * x and 3 * 3 occur once; x and 3 are trivial
    Expr vec = new Add(new Broadcast(X, 4), new Broadcast(X, 4));
    assertEquals(vec, Cse.cse(vec));
  }

  @Test
  void callsAndVectorsAreMergedStructurally() {
    Expr g = new Call(Type.F32, "g", List.of(X, new Add(Y, i32(1))), CallKind.FUNC, 1);
    Expr e = new Add(g, new Call(Type.F32, "g", List.of(X, new Add(Y, i32(1))), CallKind.FUNC, 1));
    assertEquals(new Let("t0", new Call(Type.F32, "g", List.of(X, new Add(Y, i32(1))), CallKind.FUNC, 1),
        new Add(new Var(Type.F32, "t0"), new Var(Type.F32, "t0"))), Cse.cse(e));
    // a different value index is a different value
    Expr other = new Add(g, new Call(Type.F32, "g", List.of(X, new Add(Y, i32(1))), CallKind.FUNC, 0));
    assertEquals(new Let("t0", new Add(Y, i32(1)), new Add(new Call(Type.F32, "g", List.of(X, v("t0")), CallKind.FUNC, 1),
        new Call(Type.F32, "g", List.of(X, v("t0")), CallKind.FUNC, 0))), Cse.cse(other));
    Expr ramp = new Ramp(X, Y, 4);
    Var t0 = new Var(Type.I32.withLanes(4), "t0");
    assertEquals(new Let("t0", ramp, new Mul(t0, t0)), Cse.cse(new Mul(ramp, new Ramp(X, Y, 4))));
  }

  @Test
  void floatConstantsAreMergedByBits() {
    Expr a = new Add(new FloatImm(Type.F64, -0.0), new Var(Type.F64, "f"));
    Expr b = new Add(new FloatImm(Type.F64, 0.0), new Var(Type.F64, "f"));
    Expr e = new Mul(a, b);
    assertEquals(e, Cse.cse(e), "-0.0 + f and 0.0 + f differ (at f = -0.0)");
  }

  @Test
  void cseIsAnIdempotentValuePreservingRewrite() {
    RandomExprs gen = new RandomExprs(31, RandomExprs.Options.all().withFuncCalls(true));
    int lifted = 0;
    for (int i = 0; i < 4000; i++) {
      Type t = gen.anyType(gen.random().nextInt(5) == 0 ? 2 : 1);
      Expr e = gen.expr(t, 6);
      Expr c = Cse.cse(e);
      Environment env = gen.environment();
      assertEquals(Evaluator.WRAPPING.eval(e, env), Evaluator.WRAPPING.eval(c, env), () -> "cse of " + e);
      assertEquals(c, Cse.cse(c), () -> "cse is not idempotent on " + e);
      assertEachNonTrivialSubexpressionOnce(c);
      for (Expr x = c; x instanceof Let l; x = l.body()) lifted++;
    }
    assertTrue(lifted > 200, "random expressions have repeats to lift: " + lifted);
  }

  /** In CSE output no non-trivial expression occurs twice (let variables stand for the lifted ones). */
  private static void assertEachNonTrivialSubexpressionOnce(Expr c) {
    Set<Expr> seen = new HashSet<>();
    List<Expr> todo = new ArrayList<>(List.of(c));
    while (!todo.isEmpty()) {
      Expr x = todo.removeLast();
      if (!(x instanceof Let) && !Cse.isTrivial(x) && !seen.add(x)) fail("repeated " + x + " in " + c);
      todo.addAll(IrNodes.children(x));
    }
  }

  @Test
  void exponentialTreesAreHandledAsTheirDags() {
    // x_{i+1} = x_i * x_i + x_i * x_i with the two products distinct objects: 4^300 nodes as a tree.
    Expr x = new Var(Type.I64, "x");
    long expected = 3;
    for (int i = 0; i < 300; i++) {
      x = new Add(new Mul(x, x), new Mul(x, x));
      expected = expected * expected + expected * expected;
    }
    Expr c = Cse.cse(x);
    int lets = 0;
    for (Expr e = c; e instanceof Let l; e = l.body()) lets++;
    assertEquals(600 - 1, lets, "every product and every sum but the last is used twice");
    assertEquals(expected, Evaluator.WRAPPING.eval(c, Map.of("x", Value.ofInt(Type.I64, 3))).longLane(0));
  }

  /**
   * A random 100,000-node DAG of int64 arithmetic, a tenth of its nodes rebuilt as distinct but equal
   * objects; its value is computed alongside in Java. Asserts only correctness; prints timings.
   */
  @Test
  void largeDagIsNumberedInLinearTime() {
    Random rnd = new Random(17);
    int n = 100_000;
    int window = 1000;
    List<Expr> nodes = new ArrayList<>();
    List<Long> values = new ArrayList<>();
    Map<String, Value> env = new HashMap<>();
    for (int i = 0; i < 16; i++) {
      long v = rnd.nextLong();
      nodes.add(new Var(Type.I64, "v" + i));
      values.add(v);
      env.put("v" + i, Value.ofInt(Type.I64, v));
    }
    int[] opOf = new int[n];
    int[] leftOf = new int[n];
    int[] rightOf = new int[n];
    long build = System.nanoTime();
    while (nodes.size() < n) {
      int size = nodes.size();
      int k = size - 1 - rnd.nextInt(Math.min(window, size));
      if (rnd.nextInt(10) == 0 && k >= 16) {
        // a new object equal to an existing node
        nodes.add(make(opOf[k], nodes.get(leftOf[k]), nodes.get(rightOf[k])));
        values.add(values.get(k));
        opOf[size] = opOf[k];
        leftOf[size] = leftOf[k];
        rightOf[size] = rightOf[k];
        continue;
      }
      int j = size - 1 - rnd.nextInt(Math.min(window, size));
      int op = rnd.nextInt(6);
      long x = values.get(k);
      long y = values.get(j);
      nodes.add(make(op, nodes.get(k), nodes.get(j)));
      values.add(switch (op) {
        case 0 -> x + y;
        case 1 -> x - y;
        case 2 -> x * y;
        case 3 -> Math.min(x, y);
        case 4 -> Math.max(x, y);
        default -> Math.floorDiv(x, 7);
      });
      opOf[size] = op;
      leftOf[size] = k;
      rightOf[size] = j;
    }
    // The root sums the last 64 nodes.
    Expr root = nodes.get(n - 1);
    long expected = values.get(n - 1);
    for (int k = n - 2; k >= n - 64; k--) {
      root = new Add(root, nodes.get(k));
      expected += values.get(k);
    }
    double buildMs = (System.nanoTime() - build) / 1e6;

    long t0 = System.nanoTime();
    Expr c = Cse.cse(root);
    double cseMs = (System.nanoTime() - t0) / 1e6;
    int lets = 0;
    Set<String> names = new HashSet<>();
    for (Expr e = c; e instanceof Let l; e = l.body()) {
      lets++;
      assertTrue(names.add(l.name()), "let name " + l.name() + " repeats");
    }
    long t1 = System.nanoTime();
    Value got = Evaluator.WRAPPING.eval(c, env);
    double evalMs = (System.nanoTime() - t1) / 1e6;
    assertEquals(expected, got.longLane(0));
    long t2 = System.nanoTime();
    Cse.cse(root);
    double cseAgainMs = (System.nanoTime() - t2) / 1e6;
    System.out.printf("100k-node DAG: built in %.0f ms, CSE %.0f ms (again %.0f ms), %d lets, evaluated in %.0f ms%n",
        buildMs, cseMs, cseAgainMs, lets, evalMs);
  }

  private static Expr make(int op, Expr a, Expr b) {
    return switch (op) {
      case 0 -> new Add(a, b);
      case 1 -> new Sub(a, b);
      case 2 -> new Mul(a, b);
      case 3 -> new Min(a, b);
      case 4 -> new Max(a, b);
      default -> new Div(a, i64(7));
    };
  }
}
