package dev.halogen.dsl

import dev.halogen.ConstantBuffer
import dev.halogen.Expr
import dev.halogen.ExprLike
import dev.halogen.Func
import dev.halogen.FuncLike
import dev.halogen.FuncRef
import dev.halogen.ImageParam
import dev.halogen.Param
import dev.halogen.RDom
import dev.halogen.RVar
import dev.halogen.Tuple
import dev.halogen.Var
import dev.halogen.ir.Buffer
import dev.halogen.ir.Type

// Declarations: the front end's objects under Kotlin names. They are plain values, usable in every
// block of a pipeline (and outside one).

/** A Func named `name` (an identifier). */
fun func(name: String): Func = Func(name)

/** A Func with a generated name. */
fun func(): Func = Func()

/** `val (x, y, c) = vars("x", "y", "c")`: one Var per name. */
fun vars(vararg names: String): List<Var> = names.map(::Var)

/** `val (x, y) = vars()`: Vars named by position, `x`, `y`, `z`, `w` (as an RDom names its variables). */
fun vars(): DefaultVars = DefaultVars

/** The Vars of [vars] without names, by position. */
object DefaultVars {
    operator fun component1(): Var = Var("x")

    operator fun component2(): Var = Var("y")

    operator fun component3(): Var = Var("z")

    operator fun component4(): Var = Var("w")
}

/** An input image of `dimensions` dimensions of `type` elements. */
fun imageParam(name: String, type: Type, dimensions: Int): ImageParam = ImageParam(name, type, dimensions)

/** A scalar parameter without a default value. */
fun param(name: String, type: Type): Param = Param(name, type)

/** A scalar parameter with a default value (a whole number that fits when `type` is an integer type). */
fun param(name: String, type: Type, default: Double): Param = Param(name, type, default)

fun param(name: String, type: Type, default: Long): Param = Param(name, type, default)

fun param(name: String, type: Type, default: Int): Param = Param(name, type, default.toLong())

fun param(name: String, type: Type, default: Boolean): Param = Param(name, type, default)

/** A buffer known when the pipeline is built (a lookup table, a kernel), read like an image. */
fun constantBuffer(name: String, buffer: Buffer): ConstantBuffer = ConstantBuffer(name, buffer)

/** The values of a Tuple-valued definition: `f[x] = tuple(a, b)`. */
fun tuple(vararg values: ExprLike): Tuple = Tuple.of(*values)

// Calls. `f(x, y)` reads a Func (a FuncRef, so `f(x)[1]` is value 1 of a Tuple-valued Func), an
// image or a constant buffer; the arguments are ExprLikes and Ints as Func.at takes them.

operator fun Func.invoke(vararg args: Any): FuncRef = at(*args)

operator fun ImageParam.invoke(vararg args: Any): Expr = at(*args)

operator fun ConstantBuffer.invoke(vararg args: Any): Expr = at(*args)

/** A call to anything called with one argument per dimension (a Func, an image, a boundary condition's source). */
operator fun FuncLike.invoke(vararg args: Any): ExprLike = at(*args)

// `val (a, b) = f(x)`: the values of a call to a Tuple-valued Func (FuncRef.get).

operator fun FuncRef.component1(): Expr = get(0)

operator fun FuncRef.component2(): Expr = get(1)

operator fun FuncRef.component3(): Expr = get(2)

operator fun FuncRef.component4(): Expr = get(3)

operator fun FuncRef.component5(): Expr = get(4)

// The run-time size of an image, as Halide's width(), height() and channels() give it.

val ImageParam.width: Expr get() = dim(0).extent()

val ImageParam.height: Expr get() = dim(1).extent()

val ImageParam.channels: Expr get() = dim(2).extent()

/**
 * One dimension of a reduction domain or of a boundary condition's box: the points
 * `min until min + extent`. Write it `Span(0 until 16)`, `1 until input.width` or `Span(min, extent)`.
 */
class Span(val min: ExprLike, val extent: ExprLike) {
    /** The points of an IntRange (an empty range has extent 0). */
    constructor(range: IntRange) : this(Expr.of(range.first), Expr.of(extentOf(range)))

    override fun toString(): String = "Span($min, $extent)"
}

private fun extentOf(range: IntRange): Int {
    if (range.isEmpty()) return 0
    val n = range.last.toLong() - range.first + 1
    require(n <= Int.MAX_VALUE) { "the range $range has $n points, more than an int32 extent holds" }
    return n.toInt()
}

/** `min until end`: the points from `min` up to but not including `end`, extent `end - min`. */
infix fun Int.until(end: ExprLike): Span = Span(Expr.of(this), end - this)

infix fun ExprLike.until(end: ExprLike): Span = Span(this, end - this)

infix fun ExprLike.until(end: Int): Span = Span(this, end - this)

/** `rdom(0 until 16, -1..1)`: a reduction domain named `name`, one dimension per range, the first innermost. */
fun rdom(name: String, vararg ranges: IntRange): RDom = RDom(name, *spans(ranges))

/** [rdom] with a generated name. */
fun rdom(vararg ranges: IntRange): RDom = RDom(*spans(ranges))

/** `rdom("r", 1 until input.width)`: a reduction domain whose bounds are expressions (constants, Params, image sizes). */
fun rdom(name: String, vararg spans: Span): RDom = RDom(name, *bounds(spans))

fun rdom(vararg spans: Span): RDom = RDom(*bounds(spans))

/** The region of an image, whatever its size at run time. */
fun rdom(name: String, region: ImageParam): RDom = RDom(name, region)

private fun spans(ranges: Array<out IntRange>): Array<ExprLike> = bounds(Array(ranges.size) { Span(ranges[it]) })

/** The `min, extent` pairs the RDom constructors take, flattened. */
private fun bounds(spans: Array<out Span>): Array<ExprLike> = spans.flatMap { listOf(it.min, it.extent) }.toTypedArray()

/**
 * `r.where { it.x * it.x + it.y * it.y le 9 }`: restricts the domain to the points where the
 * condition holds ([RDom.where]); returns the RDom.
 */
fun RDom.where(condition: (RDom) -> ExprLike): RDom = where(condition(this))

val RDom.x: RVar get() = x()

val RDom.y: RVar get() = y()

val RDom.z: RVar get() = z()

val RDom.w: RVar get() = w()

// `val (rx, ry) = r`: the variables of an RDom in order.

operator fun RDom.component1(): RVar = get(0)

operator fun RDom.component2(): RVar = get(1)

operator fun RDom.component3(): RVar = get(2)

operator fun RDom.component4(): RVar = get(3)
