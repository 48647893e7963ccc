package dev.halogen.dsl

import dev.halogen.ir.Type
import io.kotest.core.spec.style.StringSpec
import io.kotest.matchers.doubles.plusOrMinus
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.nio.file.Files
import java.nio.file.Path

/** The README's Kotlin blur-and-gradient example, kept compiling and checked against a hand-written backward pass. */
class ReadmeGradientSpec : StringSpec({
    "the README's gradient of a blur loss matches the backward pass written out by hand" {
        // --- the README's second Kotlin code block, verbatim between these markers (println aside) ---
        val input = imageParam("in", Type.F32, 2)
        val target = imageParam("target", Type.F32, 2)
        val (x, y) = vars("x", "y")
        val blurX = func("blur_x")
        val blurY = func("blur_y")
        val loss = func("loss")
        pipeline("blur_loss") {
            val clamped = repeatEdge(input)
            val r = rdom("r", target)                  // every pixel of the target
            algorithm {
                blurX[x, y] = (clamped(x - 1, y) + clamped(x, y) + clamped(x + 1, y)) / 3
                blurY[x, y] = (blurX(x, y - 1) + blurX(x, y) + blurX(x, y + 1)) / 3
                val diff = blurY(r.x, r.y) - target(r.x, r.y)
                loss[Scalar] = 0f
                loss[Scalar] += diff * diff
            }
            output(loss)
        }
        val d = loss.gradients()                       // reverse mode, through the blur and the edge
        val dInput = d[input]                          // d loss / d in: an ordinary Func
        input.set(floatBuffer(64, 48) { (i, j) -> ((i * 7 + j * 3) % 17) / 17f })
        target.set(floatBuffer(64, 48) { (i, j) -> ((i + j) % 5) / 5f })
        val gradient = dInput.realize(64, 48)          // native code (llvm) by default
        // --- end of the README's code block ---

        val expected = blurLossGradient(64, 48, { i, j -> ((i * 7 + j * 3) % 17) / 17.0 }, { i, j -> ((i + j) % 5) / 5.0 })
        for (j in 0 until 48) for (i in 0 until 64) gradient[i, j] shouldBe (expected[j][i] plusOrMinus 1e-5)

        val readme = Files.readString(Path.of("../README.md"))
        val block = readme.split("```kotlin\n")[2].substringBefore("```")
        for (line in listOf(
            "val d = loss.gradients()                       // reverse mode, through the blur and the edge",
            "val dInput = d[input]                          // d loss / d in: an ordinary Func",
            "        loss[Scalar] += diff * diff",
            "val gradient = dInput.realize(64, 48)          // native code (llvm) by default",
        )) block shouldContain line
    }
})

/**
 * The gradient of `Σ (blur_y - target)²` with respect to the input, for the README's separable 3x3
 * box blur of the edge-repeated input, by the chain rule written out in double precision: the
 * adjoint of each tap is spread back to the point it read, and the edge's adjoints fold onto the
 * border pixels they repeat.
 */
private fun blurLossGradient(w: Int, h: Int, input: (Int, Int) -> Double, target: (Int, Int) -> Double): Array<DoubleArray> {
    fun clampedInput(i: Int, j: Int) = input(i.coerceIn(0, w - 1), j.coerceIn(0, h - 1))
    // blur_x over x in [0, w), y in [-1, h] (what blur_y reads).
    val blurX = Array(h + 2) { yy -> DoubleArray(w) { i -> (clampedInput(i - 1, yy - 1) + clampedInput(i, yy - 1) + clampedInput(i + 1, yy - 1)) / 3 } }
    val dBlurX = Array(h + 2) { DoubleArray(w) }
    for (j in 0 until h) for (i in 0 until w) {
        val blurY = (blurX[j][i] + blurX[j + 1][i] + blurX[j + 2][i]) / 3
        val dBlurY = 2 * (blurY - target(i, j))
        for (k in 0..2) dBlurX[j + k][i] += dBlurY / 3
    }
    val dInput = Array(h) { DoubleArray(w) }
    for (yy in 0 until h + 2) for (i in 0 until w) for (k in -1..1) {
        dInput[(yy - 1).coerceIn(0, h - 1)][(i + k).coerceIn(0, w - 1)] += dBlurX[yy][i] / 3
    }
    return dInput
}
