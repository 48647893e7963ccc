package dev.halogen;

/**
 * Something that is called with one integer argument per dimension: a {@link Func}, an {@link
 * ImageParam} or a {@link ConstantBuffer}. {@link BoundaryConditions} wrap any of them.
 */
public sealed interface FuncLike permits Func, ImageParam, ConstantBuffer {
  String name();

  int dimensions();

  /** A call with {@link ExprLike}s or Java {@code int}s as arguments (and the placeholder {@link Var#IMPLICIT}). */
  ExprLike at(Object... args);
}
