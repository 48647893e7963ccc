package dev.halogen.dsl

import dev.halogen.Expr
import dev.halogen.ExprLike
import dev.halogen.Exprs
import dev.halogen.FuncRef
import dev.halogen.ir.Type
import kotlin.reflect.KClass

// The math of [Exprs] as top-level functions: `sin(e)`, `clamp(e, 0, 255)`, `select(c, a, b)`,
// `sum(e)`. Each delegates; the typing rules (an integer argument of sin becomes float32, abs of a
// signed integer is unsigned, ...) are those documented on Exprs.

fun sin(x: ExprLike): Expr = Exprs.sin(x)

fun cos(x: ExprLike): Expr = Exprs.cos(x)

fun tan(x: ExprLike): Expr = Exprs.tan(x)

fun asin(x: ExprLike): Expr = Exprs.asin(x)

fun acos(x: ExprLike): Expr = Exprs.acos(x)

fun atan(x: ExprLike): Expr = Exprs.atan(x)

fun sinh(x: ExprLike): Expr = Exprs.sinh(x)

fun cosh(x: ExprLike): Expr = Exprs.cosh(x)

fun tanh(x: ExprLike): Expr = Exprs.tanh(x)

fun asinh(x: ExprLike): Expr = Exprs.asinh(x)

fun acosh(x: ExprLike): Expr = Exprs.acosh(x)

fun atanh(x: ExprLike): Expr = Exprs.atanh(x)

fun exp(x: ExprLike): Expr = Exprs.exp(x)

fun log(x: ExprLike): Expr = Exprs.log(x)

fun sqrt(x: ExprLike): Expr = Exprs.sqrt(x)

fun erf(x: ExprLike): Expr = Exprs.erf(x)

fun fastInverse(x: ExprLike): Expr = Exprs.fastInverse(x)

fun fastInverseSqrt(x: ExprLike): Expr = Exprs.fastInverseSqrt(x)

fun floor(x: ExprLike): Expr = Exprs.floor(x)

fun ceil(x: ExprLike): Expr = Exprs.ceil(x)

/** Rounds half to even, as Halide does. */
fun round(x: ExprLike): Expr = Exprs.round(x)

fun trunc(x: ExprLike): Expr = Exprs.trunc(x)

fun fract(x: ExprLike): Expr = Exprs.fract(x)

fun atan2(y: ExprLike, x: ExprLike): Expr = Exprs.atan2(y, x)

fun pow(x: ExprLike, y: ExprLike): Expr = Exprs.pow(x, y)

fun pow(x: ExprLike, y: Int): Expr = Exprs.pow(x, y)

fun pow(x: ExprLike, y: Float): Expr = Exprs.pow(x, y)

fun pow(x: ExprLike, y: Double): Expr = Exprs.pow(x, y)

fun abs(x: ExprLike): Expr = Exprs.abs(x)

fun lerp(zero: ExprLike, one: ExprLike, weight: ExprLike): Expr = Exprs.lerp(zero, one, weight)

fun isNan(x: ExprLike): Expr = Exprs.isNan(x)

fun likely(x: ExprLike): Expr = Exprs.likely(x)

/**
 * `value`, printed with `args` (Strings or ExprLikes) each time it is evaluated ([Exprs.print],
 * Halide's `print`). Kotlin's own `print` still prints anything that is not an ExprLike.
 */
fun print(value: ExprLike, vararg args: Any): Expr = Exprs.print(value, *args)

/** `value`, printed as [print] does where `condition` holds ([Exprs.printWhen], Halide's `print_when`). */
fun printWhen(condition: ExprLike, value: ExprLike, vararg args: Any): Expr = Exprs.printWhen(condition, value, *args)

fun min(a: ExprLike, b: ExprLike): Expr = Exprs.min(a, b)

fun min(a: ExprLike, b: Int): Expr = Exprs.min(a, b)

fun min(a: ExprLike, b: Float): Expr = Exprs.min(a, b)

fun min(a: ExprLike, b: Double): Expr = Exprs.min(a, b)

fun max(a: ExprLike, b: ExprLike): Expr = Exprs.max(a, b)

fun max(a: ExprLike, b: Int): Expr = Exprs.max(a, b)

fun max(a: ExprLike, b: Float): Expr = Exprs.max(a, b)

fun max(a: ExprLike, b: Double): Expr = Exprs.max(a, b)

fun clamp(x: ExprLike, lo: ExprLike, hi: ExprLike): Expr = Exprs.clamp(x, lo, hi)

fun clamp(x: ExprLike, lo: Int, hi: Int): Expr = Exprs.clamp(x, lo, hi)

fun clamp(x: ExprLike, lo: Float, hi: Float): Expr = Exprs.clamp(x, lo, hi)

fun clamp(x: ExprLike, lo: Double, hi: Double): Expr = Exprs.clamp(x, lo, hi)

/** `condition ? ifTrue : ifFalse`. */
fun select(condition: ExprLike, ifTrue: ExprLike, ifFalse: ExprLike): Expr = Exprs.select(condition, ifTrue, ifFalse)

/** `c1 ? v1 : c2 ? v2 : ... : otherwise`: condition-value pairs, then the value when no condition holds. */
fun select(c1: ExprLike, v1: ExprLike, c2: ExprLike, v2: ExprLike, vararg rest: ExprLike): Expr =
    Exprs.select(c1, v1, c2, v2, *rest)

/** `e` converted to `type` ([Exprs.cast]). */
fun cast(type: Type, e: ExprLike): Expr = Exprs.cast(type, e)

/** `e.cast(Type.F32)`: [cast] written after the expression. */
fun ExprLike.cast(type: Type): Expr = Exprs.cast(type, this)

/** `cast<Float>(e)`, `cast<UByte>(e)`: [cast] to the Halogen type of a Kotlin number or Boolean type ([halogenType]). */
inline fun <reified T : Any> cast(e: ExprLike): Expr = Exprs.cast(halogenType(T::class), e)

/**
 * The Halogen scalar type of a Kotlin type: Boolean, Byte/Short/Int/Long (int8..int64),
 * UByte/UShort/UInt/ULong (uint8..uint64), Float, Double.
 */
fun halogenType(kotlinType: KClass<*>): Type =
    KOTLIN_TYPES[kotlinType]
        ?: throw IllegalArgumentException("${kotlinType.qualifiedName} has no Halogen type; use one of " +
            KOTLIN_TYPES.keys.joinToString { it.simpleName.toString() })

private val KOTLIN_TYPES: Map<KClass<*>, Type> = linkedMapOf(
    Boolean::class to Type.BOOL,
    Byte::class to Type.I8, Short::class to Type.I16, Int::class to Type.I32, Long::class to Type.I64,
    UByte::class to Type.U8, UShort::class to Type.U16, UInt::class to Type.U32, ULong::class to Type.U64,
    Float::class to Type.F32, Double::class to Type.F64,
)

// Inline reductions: a new Func over the free Vars of `e` whose update iterates the RDom `e` uses
// (Exprs.sum and the others); `name` names that Func, else it is generated.

fun sum(e: ExprLike, name: String? = null): Expr = Exprs.sum(e, name)

fun product(e: ExprLike, name: String? = null): Expr = Exprs.product(e, name)

fun maximum(e: ExprLike, name: String? = null): Expr = Exprs.maximum(e, name)

fun minimum(e: ExprLike, name: String? = null): Expr = Exprs.minimum(e, name)

/** Where `e` is smallest and the value there: `val (rx, ry, value) = argmin(e)`. */
fun argmin(e: ExprLike, name: String? = null): FuncRef = Exprs.argmin(e, name)

/** Where `e` is largest and the value there. */
fun argmax(e: ExprLike, name: String? = null): FuncRef = Exprs.argmax(e, name)

/** A float32 in [0, 1), fixed per point of the definition it is put into (Exprs.randomFloat). */
fun randomFloat(): Expr = Exprs.randomFloat()

fun randomFloat(seed: ExprLike): Expr = Exprs.randomFloat(seed)

/** An int32 of the whole range, fixed per point of its definition (Exprs.randomInt). */
fun randomInt(): Expr = Exprs.randomInt()

fun randomInt(seed: ExprLike): Expr = Exprs.randomInt(seed)

/** A uint32 of the whole range, fixed per point of its definition (Exprs.randomUint). */
fun randomUint(): Expr = Exprs.randomUint()

fun randomUint(seed: ExprLike): Expr = Exprs.randomUint(seed)
