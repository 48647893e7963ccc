package dev.halogen.dsl

import dev.halogen.ir.IrVerifier
import dev.halogen.ir.text.IrPrinter
import dev.halogen.ir.text.UnifiedDiff
import io.kotest.core.spec.style.FunSpec
import io.kotest.datatest.withTests
import java.nio.file.Files
import java.nio.file.Path

/** Checks that `actual` is exactly the printed IR the front end pins for its Java example `name`. */
fun assertMatchesJavaExample(name: String, actual: String) =
    assertMatchesGolden("../frontend/src/test/resources/golden/pipelines", name, actual)

/**
 * Checks that `actual` is exactly the golden file `name.hir` the front end pins in `directory` for
 * the Java twin (read, never rewritten; the working directory is this module's).
 */
fun assertMatchesGolden(directory: String, name: String, actual: String) {
    val file = Path.of(directory).resolve("$name.hir")
    val expected = Files.readString(file).replace("\r\n", "\n")
    if (expected != actual) {
        throw AssertionError("the DSL's $name differs from the Java twin's IR in $file:\n" +
            UnifiedDiff.diff("expected $file", "actual", expected, actual, 3))
    }
}

/**
 * The DSL builds the same IR as the Java front end: each pipeline of [ExamplePipelines] prints exactly
 * the golden file the front end's GoldenPipelinesTest pins for its Java twin.
 */
class ExamplePipelinesSpec : FunSpec({
    withTests(
        nameFn = { it.first },
        "blur" to ExamplePipelines::blur,
        "histogram" to ExamplePipelines::histogram,
        "convolution" to ExamplePipelines::convolution,
        "tone_curve" to ExamplePipelines::toneCurve,
        "bilateral_grid" to ExamplePipelines::bilateralGrid,
        "recursive_filter" to ExamplePipelines::recursiveFilter,
    ) { (name, build) ->
        val ir = build().toIr()
        IrVerifier.verify(ir)
        assertMatchesJavaExample(name, IrPrinter.print(ir))
    }
})
