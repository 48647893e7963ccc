package dev.halogen.dsl

import dev.halogen.ir.Type
import dev.halogen.ir.text.IrPrinter
import io.kotest.core.spec.style.StringSpec
import io.kotest.matchers.string.shouldContain
import java.nio.file.Files
import java.nio.file.Path

/** The README's Kotlin quick start, kept compiling and correct. */
class ReadmeExampleSpec : StringSpec({
    "the quick start builds the soft histogram of the front end's examples" {
        // --- the README's code block, verbatim between these markers (imports and print aside) ---
        val softHistogram = pipeline("soft_histogram") {
            val input = imageParam("in", Type.F32, 2)
            val (b) = vars("b")
            val r = rdom("r", input)                   // every pixel of the image
            val hist = func("soft_hist")
            algorithm {
                val v = input(r.x, r.y)                // f(..) reads
                val w = v - floor(v)
                hist[b] = 0f                           // f[..] = e defines
                val bin = clamp(cast<Int>(floor(v)), 0, 14) // 16 bins: both writes stay inside
                hist[bin] += 1 - w                     // an update, as Halide's +=
                hist[bin + 1] += w
            }
            output(hist)
        }
        // --- end of the README's code block ---
        assertMatchesJavaExample("soft_histogram", IrPrinter.print(softHistogram.toIr()))

        val readme = Files.readString(Path.of("../README.md"))
        val block = readme.substringAfter("```kotlin\n").substringBefore("```")
        for (line in listOf(
            "val softHistogram = pipeline(\"soft_histogram\") {",
            "        hist[bin] += 1 - w                     // an update, as Halide's +=",
            "        hist[bin + 1] += w",
            "print(IrPrinter.print(softHistogram.toIr()))",
        )) block shouldContain line
    }
})
