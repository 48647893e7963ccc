package dev.halogen.dsl

import io.kotest.core.spec.style.StringSpec
import io.kotest.matchers.collections.shouldContainExactlyInAnyOrder
import io.kotest.matchers.shouldBe

/**
 * The scopes are checked by the compiler: this spec compiles a snippet with the Kotlin compiler and
 * checks that it rejects each misuse, at the line marked `// error: NAME` with those diagnostics, and
 * nothing else (so the correct pipeline at the top compiles, which also shows the snippet sees the DSL).
 */
class DslMarkerSpec : StringSpec({
    val snippet = """
        import dev.halogen.dsl.*
        import dev.halogen.ir.Type

        fun correct() = pipeline("ok") {
            val input = imageParam("in", Type.F32, 1)
            val (x) = vars("x")
            val f = func("f")
            val g = func("g")
            algorithm {
                f[x] = input(x) * 2
                g[x] = f(x) + 1
                g[x] += f(x + 1)
            }
            schedule {
                g.vectorize(x, 8)
            }
            output(g)
        }

        fun misused() = pipeline("misused") {
            val (x) = vars("x")
            val f = func("f")
            val g = func("g")
            algorithm {
                f[x] = x + 1
                schedule { }  // error: DSL_SCOPE_VIOLATION
                output(f)  // error: DSL_SCOPE_VIOLATION
                algorithm { }  // error: DSL_SCOPE_VIOLATION
                g[x] = f[x] + 1  // error: NONE_APPLICABLE
            }
            schedule {
                g[x] = f(x)  // error: UNRESOLVED_REFERENCE_WRONG_RECEIVER
                algorithm { }  // error: DSL_SCOPE_VIOLATION
            }
            output(f)
        }

        // Not a scope rule, but pinned here: ExprLike is not a functional interface, so a lambda
        // with the implicit parameter reaches RDom.where { } (see Declarations.kt).
        val disk = rdom("d", -3..3, -3..3).where { it.x lt 2 }
    """.trimIndent()

    "the compiler rejects builders of an outer scope, definitions outside the algorithm and calls written with brackets" {
        val expected = snippet.lines().mapIndexedNotNull { i, line ->
            Regex("// error: ([\\w, ]+)$").find(line)?.groupValues?.get(1)?.split(", ")?.map { (i + 1) to it }
        }.flatten()
        expected.size shouldBe 6

        val errors = compileKotlin(mapOf("Snippet.kt" to snippet))

        errors.map { it.line to it.message.substringAfter('[').substringBefore(']') } shouldContainExactlyInAnyOrder expected
        // What a user reads for the first misuse (the text as of Kotlin 2.4).
        errors.minBy { it.line }.message shouldBe "[DSL_SCOPE_VIOLATION] 'fun schedule(block: ScheduleScope.() -> Unit): Unit' " +
            "cannot be called in this context with an implicit receiver. Use an explicit receiver if necessary."
    }
})
