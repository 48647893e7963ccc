package dev.halogen.passes.analysis;

import dev.halogen.ir.Expr;
import dev.halogen.ir.Expr.Call;
import dev.halogen.ir.Expr.CallKind;
import dev.halogen.ir.IrNodes;
import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Facts about Halide's printing intrinsics, the only {@link CallKind#INTRINSIC INTRINSIC} calls with
 * a side effect: {@code print(value, args...)} and {@code print_when(condition, value, args...)}.
 * Both have the value's type and give the value; each evaluation writes one line per lane (see
 * {@link dev.halogen.passes.PrintOutput}). The passes that would evaluate, merge or drop an
 * expression ask {@link #isPrint} and {@link #hasPrint} first.
 */
public final class Prints {
  private Prints() {}

  /** {@code print(value, args...)}. */
  public static final String PRINT = "print";

  /** {@code print_when(condition, value, args...)}. */
  public static final String PRINT_WHEN = "print_when";

  /** Whether {@code c} is a {@code print} or {@code print_when} call. */
  public static boolean isPrint(Call c) {
    return c.kind() == CallKind.INTRINSIC && (c.name().equals(PRINT) || c.name().equals(PRINT_WHEN));
  }

  /** Whether {@code e} is a printing call. */
  public static boolean isPrint(Expr e) {
    return e instanceof Call c && isPrint(c);
  }

  /** The position of the value a printing call gives among its arguments: 0 for print, 1 for print_when. */
  public static int valueIndex(Call c) {
    return c.name().equals(PRINT_WHEN) ? 1 : 0;
  }

  /**
   * A key for {@code print} that equals only the key of the same node object: what tables of
   * structurally equal nodes use for prints, each of which is its own evaluation.
   */
  static Object occurrence(Call print) {
    return new Occurrence(print);
  }

  private record Occurrence(Call node) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Occurrence(Call other) && other == node;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(node);
    }
  }

  /** Whether evaluating {@code e} may print: whether it contains a printing call. Walks a shared node once. */
  public static boolean hasPrint(Expr e) {
    Map<Expr, Boolean> seen = new IdentityHashMap<>();
    ArrayDeque<Expr> todo = new ArrayDeque<>();
    todo.push(e);
    while (!todo.isEmpty()) {
      Expr x = todo.pop();
      if (seen.put(x, Boolean.TRUE) != null) continue;
      if (isPrint(x)) return true;
      for (Expr c : IrNodes.children(x)) todo.push(c);
    }
    return false;
  }
}
