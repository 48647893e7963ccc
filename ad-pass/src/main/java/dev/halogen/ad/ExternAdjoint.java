package dev.halogen.ad;

import dev.halogen.ir.Expr;
import java.util.List;

/**
 * A derivative rule a user registers for an {@link Expr.CallKind#EXTERN extern} function: given the
 * arguments of a call and the adjoint of its value, the adjoint of each argument, in argument
 * order. For a scalar function {@code f(x0, x1, ...)} this is {@code adjoint * df/dx_i}; the rule
 * must be linear in {@code adjoint}, because forward mode uses it with a tangent in place of the
 * adjoint ({@code tangent * df/dx_i}).
 */
@FunctionalInterface
public interface ExternAdjoint {
  List<Expr> adjoints(List<Expr> args, Expr adjoint);
}
