package dev.halogen;

import dev.halogen.ir.Type;

/**
 * Anything usable as an expression: an {@link Expr}, a {@link Var}, an {@link RVar}, a {@link
 * Param} or a call to a Func ({@link FuncRef}).
 *
 * <p>The operators follow Halide, with the implicit conversions of {@link Coercion} (a Java number
 * adapts to the type of the other operand; mixed types meet as in Halide's {@code match_types}).
 * Integer division rounds toward negative infinity and {@link #rem} is never negative for a positive
 * divisor. The methods are named so that Kotlin's operators apply to them directly.
 */
public sealed interface ExprLike permits Expr, Var, RVar, Param, FuncRef {
  /** The IR expression this stands for. */
  dev.halogen.ir.Expr ir();

  /**
   * The type of {@link #ir()}. Abstract (not a default method) on purpose: with two abstract
   * methods this is not a functional interface, so Kotlin does not take a lambda for an ExprLike
   * (which would shadow the DSL's {@code where { it.x ... }}).
   */
  Type type();

  default Expr plus(ExprLike b) {
    return Ops.binary(Ops.Binary.ADD, this, b);
  }

  default Expr plus(int b) {
    return plus(Expr.of(b));
  }

  default Expr plus(float b) {
    return plus(Expr.of(b));
  }

  default Expr plus(double b) {
    return plus(Expr.of(b));
  }

  default Expr minus(ExprLike b) {
    return Ops.binary(Ops.Binary.SUB, this, b);
  }

  default Expr minus(int b) {
    return minus(Expr.of(b));
  }

  default Expr minus(float b) {
    return minus(Expr.of(b));
  }

  default Expr minus(double b) {
    return minus(Expr.of(b));
  }

  default Expr times(ExprLike b) {
    return Ops.binary(Ops.Binary.MUL, this, b);
  }

  default Expr times(int b) {
    return times(Expr.of(b));
  }

  default Expr times(float b) {
    return times(Expr.of(b));
  }

  default Expr times(double b) {
    return times(Expr.of(b));
  }

  /** Division; for integers it rounds toward negative infinity (and gives 0 for a zero divisor). */
  default Expr div(ExprLike b) {
    return Ops.binary(Ops.Binary.DIV, this, b);
  }

  default Expr div(int b) {
    return div(Expr.of(b));
  }

  default Expr div(float b) {
    return div(Expr.of(b));
  }

  default Expr div(double b) {
    return div(Expr.of(b));
  }

  /** Remainder of floor division: never negative for a positive divisor; floored for floats. */
  default Expr rem(ExprLike b) {
    return Ops.binary(Ops.Binary.MOD, this, b);
  }

  default Expr rem(int b) {
    return rem(Expr.of(b));
  }

  default Expr rem(float b) {
    return rem(Expr.of(b));
  }

  default Expr rem(double b) {
    return rem(Expr.of(b));
  }

  /** {@code 0 - this}; a negated literal stays a literal. */
  default Expr unaryMinus() {
    return Ops.negate(this);
  }

  default Expr lt(ExprLike b) {
    return Ops.binary(Ops.Binary.LT, this, b);
  }

  default Expr lt(int b) {
    return lt(Expr.of(b));
  }

  default Expr lt(float b) {
    return lt(Expr.of(b));
  }

  default Expr lt(double b) {
    return lt(Expr.of(b));
  }

  default Expr le(ExprLike b) {
    return Ops.binary(Ops.Binary.LE, this, b);
  }

  default Expr le(int b) {
    return le(Expr.of(b));
  }

  default Expr le(float b) {
    return le(Expr.of(b));
  }

  default Expr le(double b) {
    return le(Expr.of(b));
  }

  default Expr gt(ExprLike b) {
    return Ops.binary(Ops.Binary.GT, this, b);
  }

  default Expr gt(int b) {
    return gt(Expr.of(b));
  }

  default Expr gt(float b) {
    return gt(Expr.of(b));
  }

  default Expr gt(double b) {
    return gt(Expr.of(b));
  }

  default Expr ge(ExprLike b) {
    return Ops.binary(Ops.Binary.GE, this, b);
  }

  default Expr ge(int b) {
    return ge(Expr.of(b));
  }

  default Expr ge(float b) {
    return ge(Expr.of(b));
  }

  default Expr ge(double b) {
    return ge(Expr.of(b));
  }

  default Expr eq(ExprLike b) {
    return Ops.binary(Ops.Binary.EQ, this, b);
  }

  default Expr eq(int b) {
    return eq(Expr.of(b));
  }

  default Expr eq(float b) {
    return eq(Expr.of(b));
  }

  default Expr eq(double b) {
    return eq(Expr.of(b));
  }

  default Expr ne(ExprLike b) {
    return Ops.binary(Ops.Binary.NE, this, b);
  }

  default Expr ne(int b) {
    return ne(Expr.of(b));
  }

  default Expr ne(float b) {
    return ne(Expr.of(b));
  }

  default Expr ne(double b) {
    return ne(Expr.of(b));
  }

  /** Logical and of two bools (both sides are evaluated). */
  default Expr and(ExprLike b) {
    return Ops.binary(Ops.Binary.AND, this, b);
  }

  default Expr and(boolean b) {
    return and(Expr.of(b));
  }

  default Expr or(ExprLike b) {
    return Ops.binary(Ops.Binary.OR, this, b);
  }

  default Expr or(boolean b) {
    return or(Expr.of(b));
  }

  default Expr not() {
    return Ops.not(this);
  }

  /** {@link Exprs#bitwiseAnd}: bitwise and of integers (for the logical and of bools, {@link #and}). */
  default Expr bitwiseAnd(ExprLike b) {
    return Exprs.bitwiseAnd(this, b);
  }

  default Expr bitwiseAnd(int b) {
    return Exprs.bitwiseAnd(this, b);
  }

  /** {@link Exprs#bitwiseOr}. */
  default Expr bitwiseOr(ExprLike b) {
    return Exprs.bitwiseOr(this, b);
  }

  default Expr bitwiseOr(int b) {
    return Exprs.bitwiseOr(this, b);
  }

  /** {@link Exprs#bitwiseXor}. */
  default Expr bitwiseXor(ExprLike b) {
    return Exprs.bitwiseXor(this, b);
  }

  default Expr bitwiseXor(int b) {
    return Exprs.bitwiseXor(this, b);
  }

  /** {@link Exprs#bitwiseNot}. */
  default Expr bitwiseNot() {
    return Exprs.bitwiseNot(this);
  }

  /** {@link Exprs#shiftLeft}. */
  default Expr shiftLeft(ExprLike b) {
    return Exprs.shiftLeft(this, b);
  }

  default Expr shiftLeft(int b) {
    return Exprs.shiftLeft(this, b);
  }

  /** {@link Exprs#shiftRight}. */
  default Expr shiftRight(ExprLike b) {
    return Exprs.shiftRight(this, b);
  }

  default Expr shiftRight(int b) {
    return Exprs.shiftRight(this, b);
  }
}
