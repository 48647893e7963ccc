package dev.halogen.dsl

import dev.halogen.Expr
import dev.halogen.Func
import dev.halogen.HalogenException
import dev.halogen.ir.Type
import dev.halogen.ir.text.IrPrinter
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.StringSpec
import io.kotest.matchers.shouldBe

/** The printed IR of a Func as it is now, without the newline that ends its last line. */
fun text(f: Func): String = IrPrinter.print(f.function()).removeSuffix("\n")

/** Runs `block` in an algorithm block (with an output so that the pipeline is complete). */
fun define(output: Func, block: AlgorithmScope.() -> Unit) {
    pipeline("test") {
        algorithm(block)
        output(output)
    }
}

class DefinitionsSpec : StringSpec({
    val (x, y) = vars("x", "y")
    val v = param("v", Type.F32)

    "f[x, y] = e makes the pure definition, a second one an update" {
        val f = func("f")
        val r = rdom("r", 0 until 3)
        define(f) {
            f[x, y] = x + y
            f[r.x, y] = f(r.x, y) * 2 + r.x
            f[x, 0] = 7
        }
        text(f) shouldBe """
            func f(x, y): int32 {
              f(x, y) = x + y
              over r(r.x [0, 3]) {
                f(r.x, y) = f(r.x, y) * 2 + r.x
              }
              f(x, 0) = 7
            }
        """.trimIndent()
    }

    "numbers on the right of = are literals of the Func's type" {
        val i = func("i")
        val fl = func("fl")
        val db = func("db")
        define(i) {
            i[x] = 3
            fl[x] = 1.5f
            fl[x] = 2
            db[x] = 0.25
        }
        text(i) shouldBe "func i(x): int32 {\n  i(x) = 3\n}"
        text(fl) shouldBe "func fl(x): float32 {\n  fl(x) = 1.5f\n  fl(x) = 2.0f\n}"
        // A Double standing alone is a float64 literal (Expr.of(double)).
        text(db) shouldBe "func db(x): float64 {\n  db(x) = 0.25\n}"
    }

    "+=, -=, *= and /= make the front end's updates, with expressions and numbers" {
        val f = func("f")
        define(f) {
            f[x] = v
            f[x] += x
            f[x] -= 1
            f[x] *= 0.5f
            f[x] /= 2.0
            f[x] += 1f
            f[x] -= v
            f[x] *= 3
            f[x] /= v
        }
        text(f) shouldBe """
            var v: float32
            func f(x): float32 {
              f(x) = v
              f(x) = f(x) + cast<float32>(x)
              f(x) = f(x) - 1.0f
              f(x) = f(x) * 0.5f
              f(x) = f(x) / 2.0f
              f(x) = f(x) + 1.0f
              f(x) = f(x) - v
              f(x) = f(x) * 3.0f
              f(x) = f(x) / v
            }
        """.trimIndent()
    }

    "an undefined Func first gets the pure definition 0 for += and -=, 1 for *= and /=, as in Halide" {
        val plus = func("plus")
        val minus = func("minus")
        val times = func("times")
        val quot = func("quot")
        define(plus) {
            plus[x] += x
            minus[x] -= v
            times[x] *= 2
            quot[x] /= v
        }
        text(plus) shouldBe "func plus(x): int32 {\n  plus(x) = 0\n  plus(x) = plus(x) + x\n}"
        text(minus) shouldBe "var v: float32\nfunc minus(x): float32 {\n  minus(x) = 0.0f\n  minus(x) = minus(x) - v\n}"
        text(times) shouldBe "func times(x): int32 {\n  times(x) = 1\n  times(x) = times(x) * 2\n}"
        text(quot) shouldBe "var v: float32\nfunc quot(x): float32 {\n  quot(x) = 1.0f\n  quot(x) = quot(x) / v\n}"
    }

    "f[x] += e is not the read-modify-write f[x] = f(x) + e, which needs f defined" {
        val f = func("f")
        val e = shouldThrow<HalogenException.DefinitionException> { define(f) { f[x] = f(x) + 1 } }
        e.message shouldBe "Func f is called before it has a definition"
    }

    "Tuple-valued Funcs: defined with tuple(...), updated element-wise, read by index or by destructuring" {
        val t = func("t")
        val g = func("g")
        define(g) {
            t[x] = tuple(x, x * 2)
            t[x] += tuple(Expr.of(1), Expr.of(2))
            t[x] *= tuple(x, Expr.of(3))
            val (a, b) = t(x)
            g[x] = a + b + t(x + 1)[1]
        }
        text(t) shouldBe """
            func t(x): (int32, int32) {
              t(x) = {x, x * 2}
              t(x) = {t(x)[0] + 1, t(x)[1] + 2}
              t(x) = {t(x)[0] * x, t(x)[1] * 3}
            }
        """.trimIndent()
        text(g) shouldBe "func t: (int32, int32)\nfunc g(x): int32 {\n  g(x) = t(x)[0] + t(x)[1] + t(x + 1)[1]\n}"
    }

    "tuple destructuring takes up to five values; -= and /= of tuples too" {
        val t = func("t5")
        define(t) {
            t[x] = tuple(x, x + 1, x + 2, x + 3, x + 4)
            t[x] -= tuple(Expr.of(1), Expr.of(1), Expr.of(1), Expr.of(1), Expr.of(1))
            t[x] /= tuple(Expr.of(2), Expr.of(2), Expr.of(2), Expr.of(2), Expr.of(2))
            val (a, b, c, d, e) = t(x)
            text(a + b + c + d + e) shouldBe "func t5: (int32, int32, int32, int32, int32)\nt5(x)[0] + t5(x)[1] + t5(x)[2] + t5(x)[3] + t5(x)[4]"
        }
        t.updateCount() shouldBe 2
    }

    "Scalar stands for the empty brackets of a Func of no dimension" {
        val input = imageParam("in", Type.F32, 1)
        val r = rdom("r", 0 until 4)
        val loss = func("loss")
        val twice = func("twice")
        define(twice) {
            loss[Scalar] = 0f
            loss[Scalar] += input(r.x) * input(r.x)
            twice[Scalar] = loss() * 2
        }
        text(loss) shouldBe """
            image in: float32
            func loss(): float32 {
              loss() = 0.0f
              over r(r.x [0, 4]) {
                loss() = loss() + in(r.x) * in(r.x)
              }
            }
        """.trimIndent()
        text(twice) shouldBe "func loss: float32\nfunc twice(): float32 {\n  twice() = loss() * 2.0f\n}"
    }

    "misplaced Scalar and arguments of the wrong kind are errors naming the Func" {
        val f = func("f")
        shouldThrow<IllegalArgumentException> { define(f) { f[x, Scalar] = x } }.message shouldBe
            "Func f: Scalar stands alone in the brackets (f[Scalar] for a Func of no dimension), got 2 arguments"
        shouldThrow<IllegalArgumentException> { define(f) { f["x"] = x } }.message shouldBe
            "Argument 1 of Func f is a java.lang.String; expected an ExprLike (Expr, Var, RVar, Param, Func call) or an int"
        shouldThrow<HalogenException.DefinitionException> { define(f) { f[x + 1] = x } }
    }

    "the left side of a compound assignment names the call it updates" {
        val f = func("f")
        define(f) {
            f[x] = 0
            f[x].toString() shouldBe "f[x]"
        }
    }

    "algorithm code can live in functions over AlgorithmScope" {
        fun AlgorithmScope.boxBlur(out: Func, source: Func) {
            out[x] = (source(x - 1) + source(x) + source(x + 1)) / 3
        }
        val src = func("src")
        val blurred = func("blurred")
        define(blurred) {
            src[x] = x * 1f
            boxBlur(blurred, src)
        }
        text(blurred) shouldBe "func src: float32\nfunc blurred(x): float32 {\n  blurred(x) = (src(x - 1) + src(x) + src(x + 1)) / 3.0f\n}"
    }
})
