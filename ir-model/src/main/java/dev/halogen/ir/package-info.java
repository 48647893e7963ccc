/**
 * The IR of Halogen: {@link dev.halogen.ir.Type}, the expression and statement node families
 * ({@link dev.halogen.ir.Expr}, {@link dev.halogen.ir.Stmt}), the function graph ({@link
 * dev.halogen.ir.Function}, {@link dev.halogen.ir.Definition}, {@link dev.halogen.ir.Pipeline}) and
 * {@link dev.halogen.ir.Buffer}. Every node is an immutable record; constructors reject ill-typed
 * nodes with {@link IllegalArgumentException}.
 */
@NullMarked
package dev.halogen.ir;

import org.jspecify.annotations.NullMarked;
