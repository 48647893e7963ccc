package dev.halogen.ad;

import dev.halogen.ir.Expr;
import dev.halogen.ir.Expr.*;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reverse-mode differentiation of one expression (autodiff.md section 2.6): given the adjoint of
 * the whole expression, the adjoint of every Func or image read and every float scalar parameter
 * it uses. The rules themselves are {@link Partials}, shared with forward mode.
 */
final class ExprAdjoints {
  /** The adjoint {@code adjoint} flows into {@code target}: a FUNC or IMAGE {@link Call}, or the {@link Var} of a parameter. */
  record Contribution(Expr target, Expr adjoint) {}

  private final Set<String> params;
  private final Partials partials;
  private final List<Contribution> out = new ArrayList<>();

  private ExprAdjoints(Set<String> params, Partials partials) {
    this.params = params;
    this.partials = partials;
  }

  /**
   * The contributions of {@code e} when its adjoint is {@code adjoint} (of {@code e}'s type), in
   * the order the reads appear. {@code params} names the float scalar parameters that receive
   * gradients; {@code partials} are the derivative rules (with the registered extern rules).
   *
   * @throws AdException for an extern call without a rule, an unknown intrinsic or math function, or a lowered node
   */
  static List<Contribution> of(Expr e, Expr adjoint, Set<String> params, Partials partials) {
    ExprAdjoints a = new ExprAdjoints(params, partials);
    a.diff(e, adjoint);
    return a.out;
  }

  private void diff(Expr e, Expr adj) {
    if (!e.type().isFloat()) return;
    if (e instanceof Var v) {
      if (params.contains(v.name())) out.add(new Contribution(v, adj));
      return;
    }
    if (e instanceof Call c && (c.kind() == CallKind.FUNC || c.kind() == CallKind.IMAGE)) {
      out.add(new Contribution(c, adj));
      return;
    }
    for (Partials.Partial p : partials.of(e)) diff(p.operand(), Partials.castTo(p.chain().apply(adj), p.operand().type()));
  }
}
