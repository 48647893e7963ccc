package dev.halogen.passes.analysis;

import static dev.halogen.passes.analysis.Ir.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.halogen.ir.Expr;
import dev.halogen.ir.Expr.Let;
import dev.halogen.ir.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Guards against blow-ups: shared DAGs whose trees are exponentially large, long let chains and deep
 * expressions must simplify at all (an exponential or quadratic simplifier would not finish). The
 * time limits are hang guards far above the expected times, not speed targets: the speed and its
 * growth with the DAG size are measured by the benchmark {@code halogen bench simplify}
 * ({@code dev.halogen.apps.bench.SimplifyBenchmark}).
 *
 * <p>Deep DAGs (thousands of levels) pay for the IR itself: {@code Expr.type()} of an arithmetic node
 * walks down its left operands, so building each new node of depth d costs O(d) in the records'
 * constructors. Those tests get a looser limit.
 */
class SimplifierScaleTest {
  private static final Duration LIMIT = Duration.ofSeconds(30);
  private static final Duration DEEP_LIMIT = Duration.ofSeconds(60);

  private static Expr timed(String what, Expr e) {
    return timed(what, e, LIMIT);
  }

  private static Expr timed(String what, Expr e, Duration limit) {
    return assertTimeoutPreemptively(limit, () -> Simplifier.simplify(e), what);
  }

  @Test
  void randomSharedDagOf10000Nodes() {
    Expr e = ExprWorkloads.randomDag(1, 10_000, 200);
    assertTrue(ExprWorkloads.dagSize(e) > 9_000);
    timed("random shared DAG", e);
  }

  @Test
  void deepRandomSharedDagOf10000Nodes() {
    Expr e = ExprWorkloads.randomDag(1, 10_000, 6);
    assertTrue(ExprWorkloads.dagSize(e) > 9_000);
    timed("deep random shared DAG", e, DEEP_LIMIT);
  }

  @Test
  void doublingChainOf10000Nodes() {
    // e = e + e ten thousand times: a tree of 2^10000 leaves, a DAG of 10001 nodes
    Expr e = x;
    for (int n = 0; n < 10_000; n++) e = add(e, e);
    Expr r = timed("doubling chain", e, DEEP_LIMIT);
    // the first 30 levels collect into x * 2^30; beyond, coefficients leave int32 and sums stay sums
    Expr inner = r;
    while (inner instanceof Expr.Add(Expr a, Expr b)) {
      assertSame(a, b);
      inner = a;
    }
    assertEquals(mul(x, i(1 << 30)), inner);
  }

  @Test
  void minPlusChainOf10000Nodes() {
    // e = min(e, x) + e: every level adds an atom, so the sums hit the normalization limit
    Expr e = y;
    for (int n = 0; n < 5_000; n++) e = add(min(e, x), e);
    timed("min-plus chain", e, DEEP_LIMIT);
  }

  @Test
  void uint8DagOf10000Nodes() {
    Random rnd = new Random(7);
    Expr a = v("a", Type.U8), b = v("b", Type.U8);
    List<Expr> pool = new ArrayList<>(List.of(a, b));
    for (int n = 0; n < 10_000; n++) {
      Expr p = pool.get(pool.size() - 1 - rnd.nextInt(Math.min(100, pool.size())));
      Expr q = pool.get(pool.size() - 1 - rnd.nextInt(Math.min(100, pool.size())));
      pool.add(rnd.nextBoolean() ? add(p, q) : max(p, sub(q, c(Type.U8, 1))));
    }
    timed("uint8 DAG", pool.getLast(), DEEP_LIMIT);
  }

  @Test
  void letChainOf200() {
    // let t0 = x*y in let t1 = t0*t0 + y in ... in t199 + t198: nothing substitutable, nothing dead
    int n = 200;
    Expr e = ExprWorkloads.letChain(n);
    Expr r = timed("200-let chain", e);
    int lets = 0;
    for (Expr c = r; c instanceof Let l; c = l.body()) lets++;
    assertEquals(n, lets);
  }

  @Test
  void trivialLetChainOf200() {
    // let t1 = t0 + 1 in let t2 = t1 + 1 in ...: every value substitutes, the sum folds
    int n = 200;
    Expr e = v("t" + n);
    for (int k = n; k >= 1; k--) e = new Let("t" + k, add(v("t" + (k - 1)), i(1)), e);
    e = new Let("t0", x, e);
    assertEquals(add(x, i(200)), timed("200 trivial lets", e));
  }

  @Test
  void letsSharingBodiesAreNotRevisitedPerBinding() {
    // L_k = (let a_k = x*k in L_{k-1} + a_k) + (let b_k = y*k in L_{k-1} - b_k): the same L_{k-1}
    // under two different binders at every level; its free variables are neither, so it is
    // simplified once.
    Expr e = add(x, y);
    for (int k = 1; k <= 400; k++) {
      String a = "a" + k, b = "b" + k;
      e = add(new Let(a, mul(x, z), add(e, v(a))), new Let(b, mul(y, z), sub(e, v(b))));
    }
    timed("lets over shared bodies", e);
  }

  @Test
  void deepExpressionIsNotAStackOverflow() {
    Expr e = x;
    for (int n = 0; n < 20_000; n++) e = n % 2 == 0 ? min(e, add(y, i(n))) : max(e, sub(z, i(n)));
    Expr in = e;
    Expr r = assertTimeoutPreemptively(DEEP_LIMIT, () -> Simplifier.simplify(in));
    assertNotNull(r);
  }
}
