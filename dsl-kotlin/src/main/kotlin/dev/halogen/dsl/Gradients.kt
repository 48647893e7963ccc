package dev.halogen.dsl

import dev.halogen.ConstantBuffer
import dev.halogen.Derivative
import dev.halogen.Func
import dev.halogen.Gradients
import dev.halogen.HalogenException
import dev.halogen.ImageParam
import dev.halogen.Param
import dev.halogen.ir.Buffer

// Reverse-mode gradients under Kotlin names: `val d = loss.gradients()`, then `d[input]`,
// `d[param]`, `d[f]`, `d[f, 0]`. The adjoints are ordinary Funcs: schedule them, realize them,
// differentiate them again.

/** The gradients of a zero-dimensional loss (its adjoint is 1) with respect to everything it depends on. */
fun Func.gradients(): Derivative = Gradients.propagateAdjoints(this)

/** The gradients of this Func when its adjoint is `adjoint` over the buffer's own region and zero outside. */
fun Func.gradients(adjoint: Buffer): Derivative = Gradients.propagateAdjoints(this, adjoint)

/**
 * The gradients of this Func when its adjoint is the Func `adjoint` inside `bounds` (one range per
 * dimension, `0 until 16` or `0..15`) and zero outside.
 */
fun Func.gradients(adjoint: Func, vararg bounds: IntRange): Derivative =
    Gradients.propagateAdjoints(this, adjoint, Array(bounds.size) { d -> minExtent(bounds[d]) })

/** The gradients of the pipeline's one output, which must be zero-dimensional (a loss). */
fun DslPipeline.gradients(): Derivative {
    val only = outputs.singleOrNull()
        ?: throw HalogenException("pipeline $name has ${outputs.size} outputs; gradients() needs its one loss (call gradients() on that Func)")
    return only.gradients()
}

/** The adjoint of `f` after its pure definition (what flows into the Funcs that definition reads). */
operator fun Derivative.get(f: Func): Func = of(f)

/** The adjoint of `f` after its update `update` (-1: the pure definition). */
operator fun Derivative.get(f: Func, update: Int): Func = of(f, update)

/** The gradient with respect to an input image. */
operator fun Derivative.get(input: ImageParam): Func = of(input)

/** The gradient with respect to a constant buffer. */
operator fun Derivative.get(input: ConstantBuffer): Func = of(input)

/** The gradient with respect to a scalar parameter (a zero-dimensional Func). */
operator fun Derivative.get(param: Param): Func = of(param)

/** `d.orNull(f)`: the adjoint of `f`, or null when the loss does not depend on it. */
fun Derivative.orNull(f: Func): Func? = find(f).orElse(null)

private fun minExtent(range: IntRange): IntArray {
    require(!range.isEmpty()) { "gradient bounds $range are empty" }
    return intArrayOf(range.first, range.last - range.first + 1)
}
