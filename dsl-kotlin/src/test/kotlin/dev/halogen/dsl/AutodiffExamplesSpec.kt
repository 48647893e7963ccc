package dev.halogen.dsl

import dev.halogen.Derivative
import dev.halogen.Func
import dev.halogen.Pipeline
import dev.halogen.ir.Buffer
import dev.halogen.ir.Type
import dev.halogen.ir.text.IrPrinter
import dev.halogen.passes.Target
import io.kotest.core.spec.style.FunSpec
import io.kotest.datatest.withTests
import io.kotest.matchers.doubles.plusOrMinus
import io.kotest.matchers.shouldBe

/**
 * Five cases of the autodiff catalog written with the DSL: each gradient pipeline prints exactly the
 * IR its Java twin pins (frontend's AutodiffExamples and golden/autodiff), and its gradients have
 * the catalog's values on interp and llvm.
 */
class AutodiffExamplesSpec : FunSpec({
    withTests(
        nameFn = { it.name },
        AutodiffCase("box_no_clamp", ::boxNoClamp),
        AutodiffCase("rdom_conv", ::rdomConv),
        AutodiffCase("one_d_to_two_d", ::oneDToTwoD),
        AutodiffCase("transpose", ::transpose),
        AutodiffCase("param", ::param),
    ) { case ->
        val gradients = case.build()
        val text = IrPrinter.print(Pipeline(gradients.map { it.func }).toIr())
        assertMatchesGolden("../frontend/src/test/resources/golden/autodiff", case.name, text)
        for (backend in listOf("interp", "llvm")) {
            for (g in gradients) {
                val b = g.func.realize(Target.of(backend), *g.extents)
                val actual = mutableListOf<Double>()
                b.forEachCoordinate { c -> actual += b.getAsDouble(*c) }
                actual.size shouldBe g.expected.size
                for (i in actual.indices) actual[i] shouldBe (g.expected[i] plusOrMinus 1e-6)
            }
        }
    }
})

private class AutodiffCase(val name: String, val build: () -> List<CheckedGradient>)

private class CheckedGradient(val func: Func, val extents: IntArray, vararg val expected: Double)

/** `loss = Σ_{r<n} f(r)²`. */
private fun squaredSum(name: String, f: Func, n: Int): Func {
    val loss = func("loss")
    pipeline(name) {
        val r = rdom(0 until n)
        algorithm {
            loss[Scalar] = 0f
            loss[Scalar] += f(r.x) * f(r.x)
        }
        output(loss)
    }
    return loss
}

// Catalog 2, 1d_box_no_clamp.
private fun boxNoClamp(): List<CheckedGradient> {
    val input = imageParam("in", Type.F32, 1)
    input.set(Buffer.of(floatArrayOf(1f, 2f, 3f), 3))
    val (x) = vars("x")
    val blur = func("blur")
    pipeline("blur") {
        algorithm { blur[x] = input(x) + input(x + 1) }
        output(blur)
    }
    val d = squaredSum("box_no_clamp", blur, 2).gradients()
    return listOf(CheckedGradient(d[blur], intArrayOf(3), 6.0, 10.0, 0.0), CheckedGradient(d[input], intArrayOf(4), 6.0, 16.0, 10.0, 0.0))
}

// Catalog 7, rdom_conv.
private fun rdomConv(): List<CheckedGradient> {
    val input = imageParam("in", Type.F32, 1)
    input.set(Buffer.of(floatArrayOf(1f, 2f, 3f, 4f), 4))
    val k = imageParam("k", Type.F32, 1)
    k.set(Buffer.of(floatArrayOf(2f, 1f), 2))
    val (x) = vars("x")
    val conv = func("conv")
    val clamped = repeatEdge(input)
    pipeline("conv") {
        val s = rdom("s", 0 until 2)
        algorithm { conv[x] += clamped(x + s.x) * k(s.x) }
        output(conv)
    }
    val d = squaredSum("rdom_conv", conv, 4).gradients()
    return listOf(
        CheckedGradient(d[conv], intArrayOf(4), 8.0, 14.0, 20.0, 24.0),
        CheckedGradient(d[clamped], intArrayOf(4), 16.0, 36.0, 54.0, 68.0),
        CheckedGradient(d[k], intArrayOf(2), 192.0, 234.0),
    )
}

// Catalog 10, 1d_to_2d.
private fun oneDToTwoD(): List<CheckedGradient> {
    val input = imageParam("in", Type.F32, 1)
    input.set(Buffer.of(floatArrayOf(1f, 2f), 2))
    val (x, y) = vars("x", "y")
    val out = func("out")
    val loss = func("loss")
    pipeline("one_d_to_two_d") {
        val r = rdom("r", 0 until 2, 0 until 2)
        algorithm {
            out[x, y] = cast<Float>(x + 1) * input(y)
            loss[Scalar] = 0f
            loss[Scalar] += out(r.x, r.y) * out(r.x, r.y)
        }
        output(loss)
    }
    val d = loss.gradients()
    return listOf(CheckedGradient(d[out], intArrayOf(2, 2), 2.0, 4.0, 4.0, 8.0), CheckedGradient(d[input], intArrayOf(2), 10.0, 20.0))
}

// Catalog 30, transpose.
private fun transpose(): List<CheckedGradient> {
    val n = 5
    val input = imageParam("in", Type.F32, 2)
    input.set(floatBuffer(n, n) { (i, j) -> (i + j).toFloat() })
    val target = imageParam("target", Type.F32, 2)
    target.set(floatBuffer(n, n) { (i, j) -> (i * j).toFloat() })
    val (x, y) = vars("x", "y")
    val out = func("out")
    val loss = func("loss")
    pipeline("transpose") {
        val r = rdom("r", 0 until n, 0 until n)
        algorithm {
            out[x, y] = input(y, x)
            loss[Scalar] = 0f
            loss[Scalar] += pow(out(r.x, r.y) - target(r.x, r.y), 2f)
        }
        output(loss)
    }
    val expected = DoubleArray(n * n) { k -> val i = k % n; val j = k / n; 2.0 * ((i + j) - j * i) }
    return listOf(CheckedGradient(loss.gradients()[input], intArrayOf(n, n), *expected))
}

// Catalog 37, param.
private fun param(): List<CheckedGradient> {
    val p = param("p", Type.F32, 2.0)
    val buf = imageParam("buf", Type.F32, 1)
    buf.set(Buffer.of(floatArrayOf(1f, 0f), 2))
    val f = func("f")
    pipeline("param") {
        algorithm { f[Scalar] = p * p * cast<Float>(buf.dim(0).extent()) * buf(0) }
        output(f)
    }
    val d: Derivative = f.gradients()
    return listOf(CheckedGradient(d[p], intArrayOf(), 8.0), CheckedGradient(d[buf], intArrayOf(2), 8.0, 0.0))
}
