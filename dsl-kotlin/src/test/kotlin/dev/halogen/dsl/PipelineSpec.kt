package dev.halogen.dsl

import dev.halogen.Func
import dev.halogen.HalogenException
import dev.halogen.ir.Type
import dev.halogen.ir.text.IrPrinter
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.StringSpec
import io.kotest.matchers.shouldBe

class PipelineSpec : StringSpec({
    val (x) = vars("x")

    "pipeline returns its name, its outputs in order and the IR of the front end's Pipeline" {
        val input = imageParam("in", Type.F32, 1)
        val gain = param("gain", Type.F32, 2.0)
        val a = func("a")
        val b = func("b")
        val p = pipeline("two_outputs") {
            algorithm {
                a[x] = input(x) * gain
                b[x] = a(x) + 1
            }
            output(b)
            output(a)
        }
        p.name shouldBe "two_outputs"
        p.outputs shouldBe listOf(b, a)
        p.frontend.outputs() shouldBe listOf(b, a)
        p.toString() shouldBe "pipeline two_outputs(b, a)"
        IrPrinter.print(p.toIr()) shouldBe """
            pipeline outputs(b, a)
            param gain: float32 = 2.0f
            image in: float32 [1]

            func a(x): float32 {
              a(x) = in(x) * gain
            }

            func b(x): float32 {
              b(x) = a(x) + 1.0f
            }

        """.trimIndent()
    }

    "the schedule block is optional" {
        val f = func("f")
        val p = pipeline("plain") {
            algorithm { f[x] = x }
            output(f)
        }
        IrPrinter.print(p.toIr()) shouldBe "pipeline outputs(f)\n\nfunc f(x): int32 {\n  f(x) = x\n}\n"
    }

    "blocks missing, repeated or out of order are errors naming the pipeline" {
        // Each case gets a fresh, undefined Func f.
        fun fails(build: PipelineScope.(Func) -> Unit): String? {
            val f = func("f")
            return shouldThrow<HalogenException.DefinitionException> { pipeline("p") { build(f) } }.message
        }

        fails { f -> output(f) } shouldBe "pipeline p has no algorithm { } block"
        fails { f -> algorithm { f[x] = x } } shouldBe "pipeline p declares no output; name them with output(f)"
        fails { f -> algorithm { }; output(f) } shouldBe "pipeline p has the output f, which its algorithm does not define"
        fails { schedule { }; algorithm { } } shouldBe
            "pipeline p has its schedule { } before its algorithm { }; the schedule applies to defined Funcs"
        fails { f -> algorithm { f[x] = x }; algorithm { } } shouldBe
            "pipeline p has a second algorithm { } block; write every definition in one"
        fails { algorithm { }; schedule { }; schedule { } } shouldBe
            "pipeline p has a second schedule { } block; write every directive in one"
    }

    "an output given twice and an invalid name are reported" {
        val g = func("g")
        shouldThrow<IllegalArgumentException> {
            pipeline("twice") {
                algorithm { g[x] = x }
                output(g, g)
            }
        }.message shouldBe "Func g is listed twice as an output of the Pipeline"
        shouldThrow<IllegalArgumentException> { pipeline("no name") { } }.message shouldBe
            "pipeline name 'no name' is not an identifier (letters, digits and '_', not starting with a digit)"
    }

    "Funcs built by one pipeline can be read by another" {
        val shared: Func = func("shared")
        pipeline("first") {
            algorithm { shared[x] = x * 2 }
            output(shared)
        }
        val user = func("user")
        val second = pipeline("second") {
            algorithm { user[x] = shared(x) + 1 }
            output(user)
        }
        IrPrinter.print(second.toIr()) shouldBe
            "pipeline outputs(user)\n\nfunc shared(x): int32 {\n  shared(x) = x * 2\n}\n\nfunc user(x): int32 {\n  user(x) = shared(x) + 1\n}\n"
    }
})
