package dev.halogen.dsl

import dev.halogen.ir.Buffer
import dev.halogen.ir.Type
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.StringSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain

class BuffersSpec : StringSpec({
    "indexing reads and writes elements of any type" {
        val b = Buffer.allocate(Type.U8, 4, 3)
        b[1, 2] = 250
        b[1, 2] shouldBe 250.0
        b.getByte(1, 2) shouldBe 250.toByte()
        b[0, 0] shouldBe 0.0
    }

    "floatBuffer fills from coordinates, first dimension fastest" {
        val b = floatBuffer(3, 2) { (x, y) -> (10 * y + x).toFloat() }
        b.toFloatArray().toList() shouldBe listOf(0f, 1f, 2f, 10f, 11f, 12f)
    }

    "out of range access names the coordinates and the bounds" {
        val b = Buffer.allocate(Type.F32, 4, 3)
        val e = shouldThrow<IndexOutOfBoundsException> { b[4, 0] }
        e.message shouldContain "[4, 0]"
        e.message shouldContain "[0, 3] x [0, 2]"
    }
})
