/**
 * The Java surface of Halogen: build an image pipeline as {@link dev.halogen.Func}s over {@link
 * dev.halogen.Var}s and {@link dev.halogen.RDom}s, read {@link dev.halogen.ImageParam}s, {@link
 * dev.halogen.Param}s and {@link dev.halogen.ConstantBuffer}s, schedule it, and turn it into the
 * function-graph IR ({@link dev.halogen.ir.Pipeline}) with {@link dev.halogen.Pipeline#toIr()}, and
 * run it with {@link dev.halogen.Func#realize(int...)} or {@link dev.halogen.Pipeline#compile} (a
 * backend, such as {@code backend-interp}, must be on the class path).
 *
 * <p>Every misuse is reported when it happens, by a {@link dev.halogen.HalogenException} (an {@link
 * IllegalArgumentException}) whose message names the Func, the variable and the argument involved.
 */
@NullMarked
package dev.halogen;

import org.jspecify.annotations.NullMarked;
