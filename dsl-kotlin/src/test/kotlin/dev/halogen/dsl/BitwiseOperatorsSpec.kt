package dev.halogen.dsl

import dev.halogen.HalogenException
import dev.halogen.ir.Type
import dev.halogen.passes.Target
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.StringSpec
import io.kotest.matchers.shouldBe

class BitwiseOperatorsSpec : StringSpec({
    val (x, y) = vars("x", "y")
    val u = param("u", Type.U8)
    val f = param("f", Type.F32)

    "and, or, xor, shl, shr and inv are bitwise on integers" {
        text(x and y) shouldBe "bitwise_and(x, y)"
        text(x or 4) shouldBe "bitwise_or(x, 4)"
        text(x xor y) shouldBe "bitwise_xor(x, y)"
        text(x shl 3) shouldBe "shift_left(x, 3)"
        text(x shr y) shouldBe "shift_right(x, y)"
        text(x.inv()) shouldBe "bitwise_not(x)"
        text(u and 15) shouldBe "var u: uint8\nbitwise_and(u, 15u8)"
        text(u shr -1) shouldBe "var u: uint8\nshift_right(u, -1i8)"
        (u shl x).type() shouldBe Type.U8
    }

    "infix calls bind looser than arithmetic and group from the left" {
        text(x + 1 and y * 2) shouldBe "bitwise_and(x + 1, y * 2)"
        text(x shl 2 or 1) shouldBe "bitwise_or(shift_left(x, 2), 1)"
    }

    "and and or of two bools stay logical, xor of bools is bitwise" {
        text((x lt 3) and (y gt 2)) shouldBe "x < 3 && y > 2"
        text((x lt 3) or (y gt 2)) shouldBe "x < 3 || y > 2"
        text((x lt 3) xor (y gt 2)) shouldBe "bitwise_xor(x < 3, y > 2)"
        (x lt 3).inv().type() shouldBe Type.BOOL
    }

    "floats are errors naming the operation" {
        shouldThrow<HalogenException.TypeException> { f and 1 }.message shouldBe
            "bitwiseAnd(float32, int32): needs integer operands, or two bools"
        shouldThrow<HalogenException.TypeException> { f shr 1 }.message shouldBe "shiftRight(float32, int32): needs integer operands"
        shouldThrow<HalogenException.TypeException> { (x lt 3) xor x }.message shouldBe
            "bitwiseXor(bool, int32): needs integer operands, or two bools"
        // with a bool operand, and/or are the logical operations
        shouldThrow<HalogenException.TypeException> { (x lt 3) and x }.message shouldBe "and(bool, int32): both operands must be bool"
    }

    "random numbers hash the coordinate: a Func of bit tricks on them agrees with Java" {
        val noise = func("noise")
        val low = func("low")
        define(low) {
            noise[x] = randomUint() shr 16
            low[x] = (noise(x) and 0xFF) xor (x shl 8)
        }
        val n = noise.realize(Target.of("interp"), 16)
        val l = low.realize(Target.of("llvm"), 16)
        for (i in 0 until 16) {
            (n.getAsLong(i) < 65536) shouldBe true
            l.getAsLong(i) shouldBe ((n.getAsLong(i) and 0xFF) xor (i.toLong() shl 8))
        }
    }
})
