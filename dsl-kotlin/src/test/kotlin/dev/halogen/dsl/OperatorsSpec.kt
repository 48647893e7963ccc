package dev.halogen.dsl

import dev.halogen.Expr
import dev.halogen.ExprLike
import dev.halogen.HalogenException
import dev.halogen.ir.Type
import dev.halogen.ir.text.IrPrinter
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.StringSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain

/** The printed IR of an expression; free variables of a type other than int32 are declared on the lines before it. */
fun text(e: ExprLike): String = IrPrinter.print(e.ir())

class OperatorsSpec : StringSpec({
    val (x, y) = vars("x", "y")
    val v = param("v", Type.F32)
    val d = param("d", Type.F64)
    val u = param("u", Type.U8)

    "arithmetic operators apply to every kind of expression" {
        text(x + y) shouldBe "x + y"
        text(x - y * 2) shouldBe "x - y * 2"
        text((x - y) * 2) shouldBe "(x - y) * 2"
        text(x / y % 3) shouldBe "x / y % 3"
        text(v / x) shouldBe "var v: float32\nv / cast<float32>(x)"
        text(-x) shouldBe "0 - x"
        text(-v) shouldBe "var v: float32\n0.0f - v"
        text(-(-Expr.of(3) + x)) shouldBe "0 - (-3 + x)"
    }

    "a Kotlin number on either side is a literal that takes the other operand's type" {
        text(x + 1) shouldBe "x + 1"
        text(1 + x) shouldBe "1 + x"
        text(10 - x) shouldBe "10 - x"
        text(2 * x) shouldBe "2 * x"
        text(10 / x) shouldBe "10 / x"
        text(10 % x) shouldBe "10 % x"
        text(2 * v) shouldBe "var v: float32\n2.0f * v"
        text(v * 2) shouldBe "var v: float32\nv * 2.0f"
        text(0.5f * v) shouldBe "var v: float32\n0.5f * v"
        text(1.5 * v) shouldBe "var v: float32\n1.5f * v"
        text(1f - v) shouldBe "var v: float32\n1.0f - v"
        text(2.0 / v) shouldBe "var v: float32\n2.0f / v"
        text(3f % v) shouldBe "var v: float32\n3.0f % v"
        text(0.5f * d) shouldBe "var d: float64\n0.5 * d"
        text(2 * d) shouldBe "var d: float64\n2.0 * d"
        (1 + u).type() shouldBe Type.U8
        text(1 + u) shouldBe "var u: uint8\n1u8 + u"
        text(1.5f + 1f * v) shouldBe "var v: float32\n1.5f + 1.0f * v"
    }

    "comparisons are infix, with expressions and numbers on the right, and bind looser than arithmetic" {
        text(x lt y) shouldBe "x < y"
        text(x le 3) shouldBe "x <= 3"
        text(v gt 0.5f) shouldBe "var v: float32\nv > 0.5f"
        text(v ge 1.0) shouldBe "var v: float32\nv >= 1.0f"
        text(x eq 0) shouldBe "x == 0"
        text(x ne y) shouldBe "x != y"
        text(v lt 1) shouldBe "var v: float32\nv < 1.0f"
        text(x lt 2.5f) shouldBe "cast<float32>(x) < 2.5f"
        text(x ge 2.5) shouldBe "cast<float32>(x) >= 2.5f"
        text(v eq 1.0) shouldBe "var v: float32\nv == 1.0f"
        text(v le y) shouldBe "var v: float32\nv <= cast<float32>(y)"
        text(v gt 1) shouldBe "var v: float32\nv > 1.0f"
        text(v ne 0f) shouldBe "var v: float32\nv != 0.0f"
        text(x + 1 lt y * 2) shouldBe "x + 1 < y * 2"
        (x lt y).type() shouldBe Type.BOOL
    }

    "and, or and not combine bools" {
        text((x lt 3) and (y gt 2)) shouldBe "x < 3 && y > 2"
        text((x lt 3) or (y gt 2)) shouldBe "x < 3 || y > 2"
        text((x lt 3) and true) shouldBe "x < 3 && true"
        text((x lt 3) or false) shouldBe "x < 3 || false"
        text(!(x lt 3)) shouldBe "!(x < 3)"
        text(!((x lt 3) or (y eq 0)) and (x ne y)) shouldBe "!(x < 3 || y == 0) && x != y"
    }

    "type errors are the front end's, naming the operation and the types" {
        shouldThrow<HalogenException.TypeException> { x and (y lt 1) }.message shouldContain "and(int32, bool): both operands must be bool"
        shouldThrow<HalogenException.TypeException> { !x }.message shouldContain "not(int32): the operand must be bool"
        shouldThrow<HalogenException.TypeException> { 1 + (x lt 1) }.message shouldContain "arithmetic on bool is not allowed"
    }
})
