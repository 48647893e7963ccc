package dev.halogen.dsl

import dev.halogen.ExprLike
import dev.halogen.Func
import dev.halogen.FuncRef
import dev.halogen.Stage
import dev.halogen.Tuple
import dev.halogen.Var
import dev.halogen.VarOrRVar

/**
 * The algorithm block of a [pipeline]: where Funcs are defined. Brackets are the left side of a
 * definition, parentheses a call ([invoke]):
 *
 * - `f[x, y] = e`: the pure definition, or an update when `f` is already defined ([FuncRef.set]);
 * - `f[r.x, y] += e` (and `-=`, `*=`, `/=`): the update `f(r.x, y) = f(r.x, y) + e` made by
 *   [FuncRef.plusAssign], which first gives an undefined `f` the pure definition 0 (1 for `*=`, `/=`);
 * - `f[x] = tuple(a, b)`: a Tuple-valued Func;
 * - `f[Scalar] = e`: a Func of no dimension (Kotlin has no empty index `f[]`);
 * - `f(x, y - 1)`: a call to `f`, an expression.
 *
 * Why calls do not use brackets: Kotlin compiles `f[i] += e` either as `f.get(i).plusAssign(e)` or as
 * `f.set(i, f.get(i).plus(e))`, and when both resolve it rejects the statement as ambiguous. A call is
 * an expression and has `plus`, so if `f[i]` were a call, `+=` could not compile. `f[i]` is therefore a
 * [FuncLhs], which has only the compound assignments, and the update is the front end's own, never a
 * read-modify-write assembled by Kotlin.
 *
 * The arguments are [ExprLike]s and `Int`s, checked by [Func.at] (an error names the Func and the
 * argument).
 */
@HalogenDsl
class AlgorithmScope internal constructor() {
    /** `f[args]`, the left side of a compound assignment such as `f[r.x] += e`. */
    operator fun Func.get(vararg args: Any): FuncLhs = FuncLhs(lhs(this, args))

    /** `f[args] = value`: the pure definition, or an update when `f` is defined. */
    operator fun Func.set(vararg args: Any, value: ExprLike) {
        lhs(this, args).set(value)
    }

    operator fun Func.set(vararg args: Any, value: Int) {
        lhs(this, args).set(value)
    }

    operator fun Func.set(vararg args: Any, value: Float) {
        lhs(this, args).set(value)
    }

    operator fun Func.set(vararg args: Any, value: Double) {
        lhs(this, args).set(value)
    }

    /** `f[args] = tuple(a, b)`: defines every value of a Tuple-valued Func. */
    operator fun Func.set(vararg args: Any, value: Tuple) {
        lhs(this, args).set(value)
    }
}

/** Stands alone in the brackets for a Func of no dimension: `loss[Scalar] = 0f`, `loss[Scalar] += e`. Read it with `loss()`. */
object Scalar {
    override fun toString(): String = "Scalar"
}

private fun lhs(f: Func, args: Array<out Any>): FuncRef {
    if (args.size == 1 && args[0] === Scalar) return f.at()
    require(args.none { it === Scalar }) {
        "Func ${f.name()}: Scalar stands alone in the brackets (f[Scalar] for a Func of no dimension), got ${args.size} arguments"
    }
    return f.at(*args)
}

/**
 * `f[args]` in [AlgorithmScope]: the target of a compound assignment. It is not an expression (read
 * the Func with `f(args)`); each operator makes the front end's update for its operation.
 */
class FuncLhs internal constructor(private val ref: FuncRef) {
    operator fun plusAssign(value: ExprLike) {
        ref.plusAssign(value)
    }

    operator fun plusAssign(value: Int) {
        ref.plusAssign(value)
    }

    operator fun plusAssign(value: Float) {
        ref.plusAssign(value)
    }

    operator fun plusAssign(value: Double) {
        ref.plusAssign(value)
    }

    operator fun plusAssign(value: Tuple) {
        ref.plusAssign(value)
    }

    operator fun minusAssign(value: ExprLike) {
        ref.minusAssign(value)
    }

    operator fun minusAssign(value: Int) {
        ref.minusAssign(value)
    }

    operator fun minusAssign(value: Float) {
        ref.minusAssign(value)
    }

    operator fun minusAssign(value: Double) {
        ref.minusAssign(value)
    }

    operator fun minusAssign(value: Tuple) {
        ref.minusAssign(value)
    }

    operator fun timesAssign(value: ExprLike) {
        ref.timesAssign(value)
    }

    operator fun timesAssign(value: Int) {
        ref.timesAssign(value)
    }

    operator fun timesAssign(value: Float) {
        ref.timesAssign(value)
    }

    operator fun timesAssign(value: Double) {
        ref.timesAssign(value)
    }

    operator fun timesAssign(value: Tuple) {
        ref.timesAssign(value)
    }

    operator fun divAssign(value: ExprLike) {
        ref.divAssign(value)
    }

    operator fun divAssign(value: Int) {
        ref.divAssign(value)
    }

    operator fun divAssign(value: Float) {
        ref.divAssign(value)
    }

    operator fun divAssign(value: Double) {
        ref.divAssign(value)
    }

    operator fun divAssign(value: Tuple) {
        ref.divAssign(value)
    }

    override fun toString(): String = ref.toString()
}

/**
 * The schedule block of a [pipeline]. The directives are the front end's methods on [Func] and
 * [Stage] (`f.tile(x, y, xi, yi, 64, 16).parallel(y).vectorize(xi, 8)`, `g.computeAt(f, x)`,
 * `f.update(0).atomic()`); this scope adds the Kotlin forms that need one.
 */
@HalogenDsl
class ScheduleScope internal constructor() {
    /**
     * `val intm = f.update(0).rfactor(r.y to v)`: factors the update so that each reduction variable
     * becomes the pure variable paired with it in a new intermediate Func of partial results, which
     * the update then merges ([Stage.rfactor]); returns the intermediate, to schedule like any Func
     * (`intm.computeRoot().update(0).parallel(v)`).
     */
    fun Stage.rfactor(vararg pairs: Pair<VarOrRVar, Var>): Func =
        rfactor(pairs.map { (rvar, v) -> java.util.Map.entry(rvar, v) })
}
