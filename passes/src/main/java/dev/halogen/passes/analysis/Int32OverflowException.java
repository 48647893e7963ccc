package dev.halogen.passes.analysis;

import dev.halogen.ir.Expr;

/**
 * A signed 32-bit operation whose mathematical result does not fit in int32, found by an {@link
 * Evaluator} in checking mode. Such overflow is undefined behaviour in Halogen (as in Halide): a program
 * must not rely on it, and the simplifier may assume it does not happen.
 */
public final class Int32OverflowException extends EvaluationException {
  private final String operation;
  private final transient Expr expr;

  Int32OverflowException(String operation, Expr expr, String detail) {
    super("int32 overflow in " + operation + ": " + detail);
    this.operation = operation;
    this.expr = expr;
  }

  /** The node kind that overflowed: {@code Add}, {@code Sub}, {@code Mul}, {@code Div}, {@code Ramp} or {@code VectorReduce}. */
  public String operation() {
    return operation;
  }

  /** The expression node that overflowed. */
  public Expr expr() {
    return expr;
  }
}
