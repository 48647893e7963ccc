package dev.halogen;

import static org.junit.jupiter.api.Assertions.fail;

import dev.halogen.ir.Definition;
import dev.halogen.ir.Expr.Var;
import dev.halogen.ir.Function;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Shape assertions on adjoint Funcs for the autodiff tests: the catalog's {@code [pure-LHS]} check
 * (Halide's {@code has_non_pure_update}), which says a scatter {@code d_g(h(x)) += ...} was turned
 * into a gather {@code d_g(u) = ...}: a gather runs in parallel and vectorizes like any pure loop.
 */
final class AdjointShapes {
  private AdjointShapes() {}

  /**
   * Fails when a Func reachable from {@code adjoint} (itself included) has an update with a
   * left-hand-side argument that is not one of that Func's pure variables.
   */
  static void assertPureLhs(Func adjoint) {
    Set<Func> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    Deque<Func> work = new ArrayDeque<>(java.util.List.of(adjoint));
    while (!work.isEmpty()) {
      Func f = work.pop();
      if (!seen.add(f)) continue;
      Function ir = f.function();
      for (int u = 0; u < ir.updates().size(); u++) {
        Definition d = ir.updates().get(u);
        for (dev.halogen.ir.Expr arg : d.args()) {
          if (!(arg instanceof Var v && ir.args().contains(v.name()))) {
            fail("update " + u + " of Func " + f.name() + " (reached from " + adjoint.name() + ") writes at " + d.args()
                + ", which is not a pure variable: a scatter was not turned into a gather\n"
                + dev.halogen.ir.text.IrPrinter.print(ir));
          }
        }
      }
      for (Ref r : f.refs()) if (r instanceof Func g) work.push(g);
    }
  }
}
