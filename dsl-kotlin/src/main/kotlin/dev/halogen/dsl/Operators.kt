package dev.halogen.dsl

import dev.halogen.Expr
import dev.halogen.ExprLike

// Kotlin operators on expressions.
//
// `e + 1`, `e - x`, `e * 0.5f`, `e / 3`, `e % 8` and `-e`, `!c` need nothing here: the front end's
// ExprLike methods plus/minus/times/div/rem/unaryMinus/not (with Int, Float and Double overloads) are
// Kotlin operators as they are. What Kotlin cannot reach directly is added below: a number on the
// left (`2 * x`, `1f - w`), which becomes a literal adapting to the other operand's type as
// `Expr.of` makes it, and infix comparisons and logic (`x lt 3`, `a and b`), since Kotlin calls a
// Java method infix only through an `infix` declaration. An infix call binds looser than arithmetic,
// so `x + 1 lt y * 2` compares the sums, and all infix calls bind alike from left to right, so
// `(a lt b) and (c lt d)` needs its parentheses.

operator fun Int.plus(e: ExprLike): Expr = Expr.of(this).plus(e)

operator fun Int.minus(e: ExprLike): Expr = Expr.of(this).minus(e)

operator fun Int.times(e: ExprLike): Expr = Expr.of(this).times(e)

operator fun Int.div(e: ExprLike): Expr = Expr.of(this).div(e)

operator fun Int.rem(e: ExprLike): Expr = Expr.of(this).rem(e)

operator fun Float.plus(e: ExprLike): Expr = Expr.of(this).plus(e)

operator fun Float.minus(e: ExprLike): Expr = Expr.of(this).minus(e)

operator fun Float.times(e: ExprLike): Expr = Expr.of(this).times(e)

operator fun Float.div(e: ExprLike): Expr = Expr.of(this).div(e)

operator fun Float.rem(e: ExprLike): Expr = Expr.of(this).rem(e)

operator fun Double.plus(e: ExprLike): Expr = Expr.of(this).plus(e)

operator fun Double.minus(e: ExprLike): Expr = Expr.of(this).minus(e)

operator fun Double.times(e: ExprLike): Expr = Expr.of(this).times(e)

operator fun Double.div(e: ExprLike): Expr = Expr.of(this).div(e)

operator fun Double.rem(e: ExprLike): Expr = Expr.of(this).rem(e)

// Inside each function below, the call without infix syntax is the front end's member (a member wins
// over an extension), so these delegate rather than recurse.

infix fun ExprLike.lt(b: ExprLike): Expr = lt(b)

infix fun ExprLike.lt(b: Int): Expr = lt(b)

infix fun ExprLike.lt(b: Float): Expr = lt(b)

infix fun ExprLike.lt(b: Double): Expr = lt(b)

infix fun ExprLike.le(b: ExprLike): Expr = le(b)

infix fun ExprLike.le(b: Int): Expr = le(b)

infix fun ExprLike.le(b: Float): Expr = le(b)

infix fun ExprLike.le(b: Double): Expr = le(b)

infix fun ExprLike.gt(b: ExprLike): Expr = gt(b)

infix fun ExprLike.gt(b: Int): Expr = gt(b)

infix fun ExprLike.gt(b: Float): Expr = gt(b)

infix fun ExprLike.gt(b: Double): Expr = gt(b)

infix fun ExprLike.ge(b: ExprLike): Expr = ge(b)

infix fun ExprLike.ge(b: Int): Expr = ge(b)

infix fun ExprLike.ge(b: Float): Expr = ge(b)

infix fun ExprLike.ge(b: Double): Expr = ge(b)

infix fun ExprLike.eq(b: ExprLike): Expr = eq(b)

infix fun ExprLike.eq(b: Int): Expr = eq(b)

infix fun ExprLike.eq(b: Float): Expr = eq(b)

infix fun ExprLike.eq(b: Double): Expr = eq(b)

infix fun ExprLike.ne(b: ExprLike): Expr = ne(b)

infix fun ExprLike.ne(b: Int): Expr = ne(b)

infix fun ExprLike.ne(b: Float): Expr = ne(b)

infix fun ExprLike.ne(b: Double): Expr = ne(b)

// `and` and `or` are Kotlin's names for both the logical and the bitwise operations (Boolean.and,
// Int.and), so here too: with a bool operand they are logical (and both must be bool), of integers
// bitwise (Exprs.bitwiseAnd, with its literal and widening rules). `xor`, `shl`, `shr` and `inv()` are Kotlin's names for the others.

/** Logical and of two bools (both sides are evaluated); bitwise and of integers. */
infix fun ExprLike.and(b: ExprLike): Expr = if (type().isBool || b.type().isBool) and(b) else bitwiseAnd(b)

infix fun ExprLike.and(b: Boolean): Expr = and(b)

infix fun ExprLike.and(b: Int): Expr = bitwiseAnd(b)

/** Logical or of two bools (both sides are evaluated); bitwise or of integers. */
infix fun ExprLike.or(b: ExprLike): Expr = if (type().isBool || b.type().isBool) or(b) else bitwiseOr(b)

infix fun ExprLike.or(b: Boolean): Expr = or(b)

infix fun ExprLike.or(b: Int): Expr = bitwiseOr(b)

/** Bitwise exclusive or of integers (of two bools: whether they differ). */
infix fun ExprLike.xor(b: ExprLike): Expr = bitwiseXor(b)

infix fun ExprLike.xor(b: Int): Expr = bitwiseXor(b)

/** Shift left (Exprs.shiftLeft: a negative signed amount shifts right; past the width, 0). */
infix fun ExprLike.shl(b: ExprLike): Expr = shiftLeft(b)

infix fun ExprLike.shl(b: Int): Expr = shiftLeft(b)

/** Shift right, arithmetic for signed and logical for unsigned values (Exprs.shiftRight). */
infix fun ExprLike.shr(b: ExprLike): Expr = shiftRight(b)

infix fun ExprLike.shr(b: Int): Expr = shiftRight(b)

/** Every bit flipped (Exprs.bitwiseNot). */
fun ExprLike.inv(): Expr = bitwiseNot()
