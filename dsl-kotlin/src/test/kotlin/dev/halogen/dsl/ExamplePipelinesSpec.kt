package dev.halogen.dsl

import dev.halogen.ir.IrVerifier
import dev.halogen.ir.text.Golden
import dev.halogen.ir.text.IrPrinter
import io.kotest.core.spec.style.FunSpec
import io.kotest.datatest.withTests
import java.nio.file.Path

/**
 * The DSL builds the same IR as the Java front end: each pipeline of [ExamplePipelines] prints exactly
 * the golden file the front end's GoldenPipelinesTest pins for its Java twin. The files are read, never
 * rewritten, from the front end's test resources (the working directory is this module's).
 */
class ExamplePipelinesSpec : FunSpec({
    val golden = Path.of("../frontend/src/test/resources/golden/pipelines")

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
        Golden.assertMatches(golden.resolve("$name.hir"), IrPrinter.print(ir), false)
    }
})
