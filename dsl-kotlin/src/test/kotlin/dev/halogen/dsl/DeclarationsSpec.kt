package dev.halogen.dsl

import dev.halogen.Expr
import dev.halogen.Func
import dev.halogen.RDom
import dev.halogen.ir.Buffer
import dev.halogen.ir.Type
import dev.halogen.ir.text.IrPrinter
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.StringSpec
import io.kotest.matchers.nulls.shouldBeNull
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldMatch

/** An RDom as `name(var [min, extent], ...) where predicate`, from its IR. */
fun text(r: RDom): String {
    val d = r.domain()
    val vars = d.variables().joinToString { "${it.name()} [${IrPrinter.print(it.min())}, ${IrPrinter.print(it.extent())}]" }
    return "${d.name()}($vars) where ${IrPrinter.print(d.predicate())}"
}

/** A boundary condition's Func with its generated name replaced by `bc`, so that the text does not depend on how many were made before. */
fun bcText(f: Func): String = text(f).replace(f.name(), "bc")

class DeclarationsSpec : StringSpec({
    val input = imageParam("in", Type.F32, 2)

    "vars names its Vars, or names them x, y, z, w by position" {
        val (a, b, c) = vars("a", "b", "c")
        listOf(a, b, c).map { it.name() } shouldBe listOf("a", "b", "c")
        val (x, y, z, w) = vars()
        listOf(x, y, z, w).map { it.name() } shouldBe listOf("x", "y", "z", "w")
    }

    "func, imageParam, param and constantBuffer make the front end's objects" {
        func("blur").name() shouldBe "blur"
        func().name() shouldMatch Regex("f\\$[0-9]+")
        input.name() shouldBe "in"
        input.type() shouldBe Type.F32
        input.dimensions() shouldBe 2
        param("n", Type.I32).defaultValue().shouldBeNull()
        IrPrinter.print(param("gain", Type.F32, 1.0).defaultValue()!!) shouldBe "1.0f"
        IrPrinter.print(param("n", Type.I32, 3).defaultValue()!!) shouldBe "3"
        IrPrinter.print(param("big", Type.I64, 5_000_000_000L).defaultValue()!!) shouldBe "5000000000i64"
        IrPrinter.print(param("on", Type.BOOL, true).defaultValue()!!) shouldBe "true"
        val table = Buffer.of(floatArrayOf(1f, 2f), 2)
        val lut = constantBuffer("lut", table)
        lut.name() shouldBe "lut"
        lut.buffer() shouldBe table
    }

    "an image's width, height and channels are its run-time extents" {
        val rgb = imageParam("rgb", Type.U8, 3)
        text(rgb.width) shouldBe "rgb.extent.0"
        text(rgb.height) shouldBe "rgb.extent.1"
        text(rgb.channels) shouldBe "rgb.extent.2"
    }

    "calls with parentheses read Funcs, images and constant buffers" {
        val (x, y) = vars("x", "y")
        val k = constantBuffer("k", Buffer.of(floatArrayOf(1f, 2f, 3f), 3))
        text(input(x, y + 1)) shouldBe "image in: float32\nin(x, y + 1)"
        text(k(x)) shouldBe "image k: float32\nk(x)"
        val f = func("f")
        define(f) { f[x] = x }
        text(f(2)) shouldBe "func f: int32\nf(2)"
        val any: dev.halogen.FuncLike = input
        text(any(x, 0)) shouldBe "image in: float32\nin(x, 0)"
    }

    "rdom takes Kotlin ranges, the first innermost" {
        text(rdom("r", 0 until 16, -1..1)) shouldBe "r(r.x [0, 16], r.y [-1, 3]) where true"
        text(rdom("e", 5 until 5)) shouldBe "e(e.x [5, 0]) where true"
        text(rdom("four", 0..0, 0..1, 0..2, 0..3)) shouldBe
            "four(four.x [0, 1], four.y [0, 2], four.z [0, 3], four.w [0, 4]) where true"
        rdom(0 until 4).name() shouldMatch Regex("r\\$[0-9]+")
        shouldThrow<IllegalArgumentException> { rdom("huge", Int.MIN_VALUE..Int.MAX_VALUE) }.message shouldBe
            "the range -2147483648..2147483647 has 4294967296 points, more than an int32 extent holds"
    }

    "rdom takes expression bounds written with until or as a Span, and an image's region" {
        val n = param("n", Type.I32)
        text(rdom("a", 1 until input.width)) shouldBe "a(a.x [1, in.extent.0 - 1]) where true"
        text(rdom("b", n until input.width, Span(n, Expr.of(4)))) shouldBe
            "b(b.x [n, in.extent.0 - n], b.y [n, 4]) where true"
        text(rdom("c", n until 10)) shouldBe "c(c.x [n, 10 - n]) where true"
        text(rdom(Span(0 until 8))).substringAfter('(') shouldMatch Regex("r\\$[0-9]+\\.x \\[0, 8]\\) where true")
        text(rdom("img", input)) shouldBe "img(img.x [in.min.0, in.extent.0], img.y [in.min.1, in.extent.1]) where true"
    }

    "where restricts an RDom with a condition on its variables; r.x..r.w and destructuring name them" {
        val r = rdom("r", -3..3, -3..3).where { d -> d.x * d.x + d.y * d.y le 9 }
        r.where { it.x ne 0 }  // the implicit parameter works too
        text(r) shouldBe "r(r.x [-3, 7], r.y [-3, 7]) where r.x * r.x + r.y * r.y <= 9 && r.x != 0"
        val (a, b) = r
        listOf(a, b) shouldBe listOf(r.x, r.y)
        val q = rdom("q", 0..1, 0..1, 0..1, 0..1)
        val (q0, q1, q2, q3) = q
        listOf(q0, q1, q2, q3).map { it.name() } shouldBe listOf("q.x", "q.y", "q.z", "q.w")
        listOf(q.x, q.y, q.z, q.w) shouldBe listOf(q0, q1, q2, q3)
    }

    "boundary conditions with an image's own bounds" {
        bcText(repeatEdge(input)) shouldBe """
            image in: float32
            func bc(_0, _1): float32 {
              bc(_0, _1) = in(max(min(_0, in.min.0 + in.extent.0 - 1), in.min.0), max(min(_1, in.min.1 + in.extent.1 - 1), in.min.1))
            }
        """.trimIndent()
        val maxX = "in.min.0 + in.extent.0 - 1"
        val maxY = "in.min.1 + in.extent.1 - 1"
        bcText(constantExterior(input, Expr.of(0f))).lines()[2] shouldBe
            "  bc(_0, _1) = select(_0 < in.min.0 || _0 > $maxX || (_1 < in.min.1 || _1 > $maxY), 0.0f, " +
            "in(max(min(_0, $maxX), in.min.0), max(min(_1, $maxY), in.min.1)))"
        repeatImage(input).name() shouldMatch Regex("repeat_image\\$[0-9]+")
        mirrorImage(input).name() shouldMatch Regex("mirror_image\\$[0-9]+")
        mirrorInterior(input).name() shouldMatch Regex("mirror_interior\\$[0-9]+")
    }

    "boundary conditions with ranges bound the first dimensions and leave the others" {
        val f = func("f")
        val (x) = vars("x")
        define(f) { f[x] = x }
        bcText(repeatEdge(f, 2 until 10)) shouldBe "func f: int32\nfunc bc(_0): int32 {\n  bc(_0) = f(max(min(_0, 9), 2))\n}"
        bcText(repeatEdge(input, 0 until 4)).lines()[2] shouldBe "  bc(_0, _1) = in(max(min(_0, 3), 0), _1)"
        bcText(constantExterior(input, Expr.of(1f), 0 until 4)).lines()[2] shouldBe
            "  bc(_0, _1) = select(_0 < 0 || _0 > 3, 1.0f, in(max(min(_0, 3), 0), _1))"
        bcText(repeatImage(input, 0 until 8)).lines()[2] shouldBe "  bc(_0, _1) = in(_0 % 8, _1)"
        bcText(mirrorImage(input, 0 until 8)).lines()[2] shouldBe
            "  bc(_0, _1) = in(max(min(select(_0 % 16 < 8, _0 % 16, 15 - _0 % 16), 7), 0), _1)"
        bcText(mirrorInterior(input, 0 until 8)).lines()[2] shouldBe
            "  bc(_0, _1) = in(max(min(select(_0 % 14 < 8, _0 % 14, 14 - _0 % 14), 7), 0), _1)"
    }

    "boundary conditions with expression bounds" {
        val lo = param("lo", Type.I32)
        bcText(repeatEdge(input, Span(lo, Expr.of(4)))).lines().last { it.startsWith("  bc") } shouldBe
            "  bc(_0, _1) = in(max(min(_0, lo + 4 - 1), lo), _1)"
        bcText(constantExterior(input, Expr.of(0f), Span(lo, Expr.of(4)))).lines().last { it.startsWith("  bc") } shouldBe
            "  bc(_0, _1) = select(_0 < lo || _0 > lo + 4 - 1, 0.0f, in(max(min(_0, lo + 4 - 1), lo), _1))"
        bcText(repeatImage(input, Span(lo, Expr.of(4)))).lines().last { it.startsWith("  bc") } shouldBe
            "  bc(_0, _1) = in((_0 - lo) % 4 + lo, _1)"
        bcText(mirrorImage(input, Span(lo, Expr.of(4)))).lines().last { it.startsWith("  bc") } shouldBe
            "  bc(_0, _1) = in(max(min(select((_0 - lo) % 8 < 4, (_0 - lo) % 8, 7 - (_0 - lo) % 8) + lo, lo + 4 - 1), lo), _1)"
        bcText(mirrorInterior(input, Span(lo, Expr.of(4)))).lines().last { it.startsWith("  bc") } shouldBe
            "  bc(_0, _1) = in(max(min(select((_0 - lo) % 6 < 4, (_0 - lo) % 6, 6 - (_0 - lo) % 6) + lo, lo + 4 - 1), lo), _1)"
    }
})
