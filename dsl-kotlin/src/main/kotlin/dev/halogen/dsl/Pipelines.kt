package dev.halogen.dsl

import dev.halogen.Func
import dev.halogen.HalogenException
import dev.halogen.Pipeline

/**
 * The one marker of every Halogen builder scope. Kotlin lets a lambda call the members of the
 * receivers around it implicitly; for receivers marked with the same `@DslMarker` it allows only the
 * innermost one, so `algorithm { schedule { } }` or `algorithm { output(f) }` is a compile error
 * (`DSL_SCOPE_VIOLATION`) instead of a schedule or an output quietly declared in the wrong place.
 */
@DslMarker
@Target(AnnotationTarget.CLASS)
annotation class HalogenDsl

/**
 * Builds a pipeline: the block declares its Funcs and inputs, writes the definitions in one
 * [PipelineScope.algorithm] block, the directives in an optional [PipelineScope.schedule] block after
 * it, and names the outputs with [PipelineScope.output] (explicitly, in order; the last expression of
 * the block is not an output).
 *
 * ```
 * val blur = pipeline("blur") {
 *     val input = imageParam("in", Type.F32, 2)
 *     val (x, y) = vars("x", "y")
 *     val blurX = func("blur_x")
 *     val blurY = func("blur_y")
 *     algorithm {
 *         blurX[x, y] = (input(x - 1, y) + input(x, y) + input(x + 1, y)) / 3
 *         blurY[x, y] = (blurX(x, y - 1) + blurX(x, y) + blurX(x, y + 1)) / 3
 *     }
 *     schedule {
 *         blurY.parallel(y).vectorize(x, 8)
 *     }
 *     output(blurY)
 * }
 * ```
 *
 * @param name an identifier naming the pipeline in messages (and, later, its compiled entry point)
 * @throws HalogenException.DefinitionException when the blocks are missing, repeated or out of order,
 *     or when there is no output or an output has no definition
 */
fun pipeline(name: String, build: PipelineScope.() -> Unit): DslPipeline {
    require(IDENTIFIER.matches(name)) { "pipeline name '$name' is not an identifier (letters, digits and '_', not starting with a digit)" }
    val scope = PipelineScope(name)
    scope.build()
    return scope.finish()
}

private val IDENTIFIER = Regex("[A-Za-z_][A-Za-z0-9_]*")

/** A pipeline built by [pipeline]: its name and the front-end [Pipeline] of its outputs. */
class DslPipeline internal constructor(val name: String, val frontend: Pipeline) {
    /** The output Funcs, in the order [PipelineScope.output] gave them. */
    val outputs: List<Func> get() = frontend.outputs()

    /** The function-graph IR of the pipeline as it is now ([Pipeline.toIr]). */
    fun toIr(): dev.halogen.ir.Pipeline = frontend.toIr()

    override fun toString(): String = "pipeline $name(${outputs.joinToString { it.name() }})"
}

/**
 * The block of [pipeline]. Declarations ([func], [vars], [imageParam], [param], [rdom], ...) are
 * top-level functions, usable here and in the inner blocks; this scope holds what only the pipeline
 * level may do: open the [algorithm] and [schedule] blocks and declare the [output]s.
 */
@HalogenDsl
class PipelineScope internal constructor(val name: String) {
    private var algorithmWritten = false
    private var scheduleWritten = false
    private val outputs = mutableListOf<Func>()

    /** The definitions of the pipeline's Funcs (`f[x, y] = e`, `f[r.x] += e`), written once, before the schedule. */
    fun algorithm(block: AlgorithmScope.() -> Unit) {
        if (algorithmWritten) fail("has a second algorithm { } block; write every definition in one")
        algorithmWritten = true
        AlgorithmScope().block()
    }

    /** The scheduling directives, written once, after the [algorithm] (a directive needs its Func defined). */
    fun schedule(block: ScheduleScope.() -> Unit) {
        if (!algorithmWritten) fail("has its schedule { } before its algorithm { }; the schedule applies to defined Funcs")
        if (scheduleWritten) fail("has a second schedule { } block; write every directive in one")
        scheduleWritten = true
        ScheduleScope().block()
    }

    /** Declares outputs of the pipeline, in order (several calls append). */
    fun output(vararg funcs: Func) {
        outputs += funcs
    }

    internal fun finish(): DslPipeline {
        if (!algorithmWritten) fail("has no algorithm { } block")
        if (outputs.isEmpty()) fail("declares no output; name them with output(f)")
        for (f in outputs) if (!f.defined()) fail("has the output ${f.name()}, which its algorithm does not define")
        return DslPipeline(name, Pipeline(outputs.toList()))
    }

    private fun fail(what: String): Nothing = throw HalogenException.DefinitionException("pipeline $name $what")
}
