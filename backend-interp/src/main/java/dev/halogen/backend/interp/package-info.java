/**
 * The reference interpreter of lowered IR, registered with {@link java.util.ServiceLoader} as the
 * {@code interp} backend ({@link dev.halogen.backend.interp.InterpBackend}): the semantic oracle every
 * other backend is checked against. Expressions are evaluated by the exact {@link
 * dev.halogen.passes.analysis.Evaluator}; statements, storage and the calling convention of {@link
 * dev.halogen.ir.LoweredModule.Argument} are implemented here, with every access checked.
 */
@NullMarked
package dev.halogen.backend.interp;

import org.jspecify.annotations.NullMarked;
