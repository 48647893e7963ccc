package dev.halogen.passes.analysis;

import dev.halogen.ir.Expr;
import dev.halogen.ir.Expr.*;
import dev.halogen.ir.IrNodes;
import dev.halogen.ir.Type;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Random;

/**
 * Synthetic int32 expressions for scale tests and benchmarks of the analyses: shared DAGs whose
 * trees are exponentially larger than they are, and long let chains.
 */
public final class ExprWorkloads {
  private ExprWorkloads() {}

  private static final Var X = Var.of("x");
  private static final Var Y = Var.of("y");
  private static final Var Z = Var.of("z");

  private static IntImm i32(long v) {
    return new IntImm(Type.I32, v);
  }

  /**
   * A random DAG of {@code nodes} operations over {@code x, y, z}: each node combines two of the last
   * {@code window} nodes, so subterms are shared everywhere; a small window makes it deep.
   */
  public static Expr randomDag(long seed, int nodes, int window) {
    Random rnd = new Random(seed);
    List<Expr> pool = new ArrayList<>(List.of(X, Y, Z, i32(3), i32(-7)));
    for (int n = 0; n < nodes; n++) {
      Expr a = pool.get(pool.size() - 1 - rnd.nextInt(Math.min(window, pool.size())));
      Expr b = pool.get(pool.size() - 1 - rnd.nextInt(Math.min(window, pool.size())));
      Expr e = switch (rnd.nextInt(9)) {
        case 0 -> new Add(a, b);
        case 1 -> new Sub(a, b);
        case 2 -> new Mul(a, i32(rnd.nextInt(5) + 1));
        case 3 -> new Min(a, b);
        case 4 -> new Max(a, new Add(b, i32(1)));
        case 5 -> new Div(a, i32(rnd.nextInt(7) + 1));
        case 6 -> new Mod(a, i32(rnd.nextInt(7) + 1));
        case 7 -> new Select(new LT(a, b), a, b);
        default -> new Add(new Mul(a, i32(2)), b);
      };
      pool.add(e);
    }
    return pool.getLast();
  }

  /**
   * {@code let t0 = x*y in let t1 = t0*t0 + y in ... in t(n-1) + t(n-2)}: every let is used and none
   * is trivial, so a simplifier must keep all {@code n} of them.
   */
  public static Expr letChain(int n) {
    if (n < 2) throw new IllegalArgumentException("a let chain needs at least 2 lets, got " + n);
    Expr e = new Add(Var.of("t" + (n - 1)), Var.of("t" + (n - 2)));
    for (int k = n - 1; k >= 0; k--) {
      Expr value = k == 0 ? new Mul(X, Y) : new Add(new Mul(Var.of("t" + (k - 1)), Var.of("t" + (k - 1))), Y);
      e = new Let("t" + k, value, e);
    }
    return e;
  }

  /** The number of distinct nodes (by identity) of {@code e}. */
  public static int dagSize(Expr e) {
    IdentityHashMap<Expr, Boolean> seen = new IdentityHashMap<>();
    List<Expr> stack = new ArrayList<>(List.of(e));
    while (!stack.isEmpty()) {
      Expr x = stack.removeLast();
      if (seen.put(x, Boolean.TRUE) == null) stack.addAll(IrNodes.children(x));
    }
    return seen.size();
  }
}
