package dev.halogen.dsl

import dev.halogen.Expr
import dev.halogen.ExprLike
import dev.halogen.HalogenException
import dev.halogen.ir.Type
import dev.halogen.ir.text.IrPrinter
import dev.halogen.passes.PrintOutput
import dev.halogen.passes.Target
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.StringSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldMatch

class MathSpec : StringSpec({
    val (x, y) = vars("x", "y")
    val v = param("v", Type.F32)
    val decl = "var v: float32\n"

    "each one-argument math function makes its own call" {
        val functions: List<Pair<(ExprLike) -> Expr, String>> = listOf(
            ::sin to "sin(v)", ::cos to "cos(v)", ::tan to "tan(v)",
            ::asin to "asin(v)", ::acos to "acos(v)", ::atan to "atan(v)",
            ::sinh to "sinh(v)", ::cosh to "cosh(v)", ::tanh to "tanh(v)",
            ::asinh to "asinh(v)", ::acosh to "acosh(v)", ::atanh to "atanh(v)",
            ::exp to "exp(v)", ::log to "log(v)", ::sqrt to "sqrt(v)", ::erf to "erf(v)",
            ::floor to "floor(v)", ::ceil to "ceil(v)", ::round to "round(v)", ::trunc to "trunc(v)",
            ::fract to "v - trunc(v)", ::abs to "abs(v)", ::likely to "likely(v)",
            ::isNan to "is_nan(v)",
        )
        for ((f, expected) in functions) text(f(v)) shouldBe decl + expected
        text(sin(x)) shouldBe "sin(cast<float32>(x))"
        abs(x).type() shouldBe Type.U32
    }

    "two- and three-argument functions, with the number overloads of the front end" {
        text(atan2(v, x)) shouldBe decl + "atan2(v, cast<float32>(x))"
        text(pow(v, x)) shouldBe decl + "pow(v, cast<float32>(x))"
        text(pow(v, 2)) shouldBe decl + "pow(v, 2.0f)"
        text(pow(v, 0.5f)) shouldBe decl + "pow(v, 0.5f)"
        text(pow(v, 0.25)) shouldBe decl + "pow(v, 0.25f)"
        text(lerp(v, v * 2, v)) shouldBe decl + "lerp(v, v * 2.0f, v)"
        text(min(x, y)) shouldBe "min(x, y)"
        text(min(x, 3)) shouldBe "min(x, 3)"
        text(min(v, 1f)) shouldBe decl + "min(v, 1.0f)"
        text(min(v, 1.0)) shouldBe decl + "min(v, 1.0f)"
        text(max(x, y)) shouldBe "max(x, y)"
        text(max(x, 0)) shouldBe "max(x, 0)"
        text(max(v, 0f)) shouldBe decl + "max(v, 0.0f)"
        text(max(v, 0.0)) shouldBe decl + "max(v, 0.0f)"
        text(clamp(x, 0, 255)) shouldBe "max(min(x, 255), 0)"
        text(clamp(x, y, y + 8)) shouldBe "max(min(x, y + 8), y)"
        text(clamp(v, 0f, 1f)) shouldBe decl + "max(min(v, 1.0f), 0.0f)"
        text(clamp(v, 0.0, 1.0)) shouldBe decl + "max(min(v, 1.0f), 0.0f)"
    }

    "select takes one condition, or condition-value pairs and a last value" {
        text(select(x lt 0, Expr.of(0), x)) shouldBe "select(x < 0, 0, x)"
        text(select(x lt 0, Expr.of(0), x gt 9, Expr.of(9), x)) shouldBe "select(x < 0, 0, select(x > 9, 9, x))"
        text(select(x lt 0, Expr.of(0), x gt 9, Expr.of(9), x eq 5, y, x)) shouldBe
            "select(x < 0, 0, select(x > 9, 9, select(x == 5, y, x)))"
    }

    "cast is written before or after the expression, or with a Kotlin type" {
        text(cast(Type.F32, x)) shouldBe "cast<float32>(x)"
        text(x.cast(Type.F32)) shouldBe "cast<float32>(x)"
        text(cast<Float>(x)) shouldBe "cast<float32>(x)"
        text(cast<UByte>(v)) shouldBe decl + "cast<uint8>(v)"
        text(cast<Int>(v)) shouldBe decl + "cast<int32>(v)"
        text(cast<Double>(Expr.of(2))) shouldBe "2.0"
    }

    "a Kotlin type names a Halogen type" {
        val expected = mapOf(
            Boolean::class to Type.BOOL, Byte::class to Type.I8, Short::class to Type.I16, Int::class to Type.I32,
            Long::class to Type.I64, UByte::class to Type.U8, UShort::class to Type.U16, UInt::class to Type.U32,
            ULong::class to Type.U64, Float::class to Type.F32, Double::class to Type.F64,
        )
        for ((k, t) in expected) halogenType(k) shouldBe t
        shouldThrow<IllegalArgumentException> { cast<String>(x) }.message shouldBe
            "kotlin.String has no Halogen type; use one of Boolean, Byte, Short, Int, Long, UByte, UShort, UInt, ULong, Float, Double"
    }

    "inline reductions make a Func over the free Vars that iterates the RDom; argmin and argmax destructure" {
        val input = imageParam("in", Type.F32, 1)
        val r = rdom("r", 0 until 4)
        val o = func("o")
        val p = pipeline("reductions") {
            algorithm {
                val (at, least) = argmin(input(r.x), "best")
                o[x] = tuple(
                    sum(input(x + r.x), "total") + maximum(input(x + r.x), "peak") + minimum(input(r.x), "low") +
                        product(input(r.x), "prod"),
                    cast<Float>(at) + least,
                    argmax(input(r.x), "worst")[1],
                )
            }
            output(o)
        }
        IrPrinter.print(p.toIr()) shouldBe """
            pipeline outputs(o)
            image in: float32 [1]

            func best(): (int32, float32) {
              best() = {0, inf_f32}
              over r(r.x [0, 4]) {
                best() = {select(in(r.x) < best()[1], r.x, best()[0]), select(in(r.x) < best()[1], in(r.x), best()[1])}
              }
            }

            func low(): float32 {
              low() = inf_f32
              over r(r.x [0, 4]) {
                low() = min(low(), in(r.x))
              }
            }

            func o(x): (float32, float32, float32) {
              o(x) = {total(x) + peak(x) + low() + prod(), cast<float32>(best()[0]) + best()[1], worst()[1]}
            }

            func peak(x): float32 {
              peak(x) = -inf_f32
              over r(r.x [0, 4]) {
                peak(x) = max(peak(x), in(x + r.x))
              }
            }

            func prod(): float32 {
              prod() = 1.0f
              over r(r.x [0, 4]) {
                prod() = prod() * in(r.x)
              }
            }

            func total(x): float32 {
              total(x) = 0.0f
              over r(r.x [0, 4]) {
                total(x) = total(x) + in(x + r.x)
              }
            }

            func worst(): (int32, float32) {
              worst() = {0, -inf_f32}
              over r(r.x [0, 4]) {
                worst() = {select(in(r.x) > worst()[1], r.x, worst()[0]), select(in(r.x) > worst()[1], in(r.x), worst()[1])}
              }
            }

        """.trimIndent()
        // Without a name, the Func is named by the front end and renumbered by Pipeline.toIr.
        (sum(input(r.x)).ir() as dev.halogen.ir.Expr.Call).name() shouldMatch Regex("sum\\$[0-9]+")
    }

    "print and printWhen make Halide's print intrinsics; Kotlin's print still prints anything else" {
        text(print(x * 2, "at", x, y)) shouldBe "print(x * 2, \"at\", x, y)"
        text(printWhen(x gt 0, v, "v is", v)) shouldBe decl + "print_when(x > 0, v, \"v is\", v)"
        printWhen(x gt 0, v).type() shouldBe Type.F32
        shouldThrow<HalogenException.TypeException> { print(x, 3) }.message shouldBe
            "print: args[0] is a java.lang.Integer; pass a String or an ExprLike (an Expr, Var, Param, ...)"
        val f = func("f")
        define(f) { f[x] = print(x + 1, "for", x) }
        PrintOutput.capture().use { c ->
            f.realize(Target.of("interp"), 3)
            c.lines() shouldBe listOf("1 for 0", "2 for 1", "3 for 2")
        }
    }
})
