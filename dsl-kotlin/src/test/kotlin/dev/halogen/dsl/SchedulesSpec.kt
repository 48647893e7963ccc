package dev.halogen.dsl

import dev.halogen.Func
import dev.halogen.HalogenException
import dev.halogen.ir.Type
import dev.halogen.ir.text.IrPrinter
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.StringSpec
import io.kotest.matchers.shouldBe

/** Schedules are the front end's directives, chained as in Halide; the schedule block adds rfactor with pairs, returning the intermediate. */
class SchedulesSpec : StringSpec({
    val (x, y) = vars("x", "y")
    val input = imageParam("in", Type.F32, 2)

    "tile, parallel, vectorize and computeAt read as in Halide" {
        val producer = func("producer")
        val consumer = func("consumer")
        val p = pipeline("tiled") {
            algorithm {
                producer[x, y] = input(x, y) * 2
                consumer[x, y] = producer(x, y) + producer(x + 1, y)
            }
            schedule {
                val (xi, yi) = vars("xi", "yi")
                consumer.tile(x, y, xi, yi, 64, 16).parallel(y).vectorize(xi, 8)
                producer.computeAt(consumer, x).unroll(x, 2)
            }
            output(consumer)
        }
        IrPrinter.print(p.toIr()) shouldBe """
            pipeline outputs(consumer)
            image in: float32 [2]

            func consumer(x, y): float32 {
              consumer(x, y) = producer(x, y) + producer(x + 1, y)
              schedule {
                split(x, x, xi, 64)
                split(y, y, yi, 16)
                split(xi, xi, xi.v, 8)
                loops(xi.v vectorized, xi, yi, x, y parallel)
              }
            }

            func producer(x, y): float32 {
              producer(x, y) = in(x, y) * 2.0f
              schedule {
                split(x, x, x.u, 2)
                loops(x.u unrolled, x, y)
              }
              compute_at(consumer, 0, x) store_at(consumer, 0, x)
            }

        """.trimIndent()
    }

    "rfactor returns the intermediate Func to schedule, and atomic marks an update" {
        val r = rdom("r", 0 until 16, 0 until 8)
        val total = func("total")
        val sq = func("sq")
        val hist = func("hist")
        val (u, v) = vars("u", "v")
        lateinit var first: Func
        lateinit var second: Func
        val p = pipeline("factored") {
            algorithm {
                total[Scalar] = 0f
                total[Scalar] += input(r.x, r.y)
                sq[Scalar] = 0f
                sq[Scalar] += input(r.x, r.y) * input(r.x, r.y)
                hist[x] = 0
                hist[cast<Int>(input(r.x, r.y))] += 1
            }
            schedule {
                first = total.update(0).rfactor(r.y to v)
                first.update(0).parallel(v)
                second = sq.update(0).rfactor(r.x to u, r.y to v)
                hist.update(0).atomic().parallel(r.y)
            }
            output(total, sq, hist)
        }
        first.name() shouldBe "total_intm"
        second.name() shouldBe "sq_intm"
        IrPrinter.print(p.toIr()) shouldBe """
            pipeline outputs(total, sq, hist)
            image in: float32 [2]

            func hist(x): int32 {
              hist(x) = 0
              over r(r.x [0, 16], r.y [0, 8]) {
                hist(cast<int32>(in(r.x, r.y))) = hist(cast<int32>(in(r.x, r.y))) + 1
                schedule {
                  loops(r.x rvar, r.y rvar parallel)
                  atomic
                }
              }
            }

            func sq(): float32 {
              sq() = 0.0f
              over r(r.x [0, 16], r.y [0, 8]) {
                sq() = sq() + sq_intm(r.x, r.y)
              }
            }

            func sq_intm(u, v): float32 {
              sq_intm(u, v) = -0.0f
              sq_intm(u, v) = sq_intm(u, v) + in(u, v) * in(u, v)
              compute_root store_root
            }

            func total(): float32 {
              total() = 0.0f
              over r(r.y [0, 8]) {
                total() = total() + total_intm(r.y)
              }
            }

            func total_intm(v): float32 {
              total_intm(v) = -0.0f
              over r(r.x [0, 16]) {
                total_intm(v) = total_intm(v) + in(r.x, v)
                schedule {
                  loops(r.x rvar, v parallel)
                }
              }
              compute_root store_root
            }

        """.trimIndent()
    }

    "a wrong directive is the front end's error, naming the Func and the loop" {
        val f = func("f")
        val (z) = vars("z")
        val e = shouldThrow<HalogenException.ScheduleException> {
            pipeline("wrong") {
                algorithm { f[x] = x }
                schedule { f.vectorize(z, 8) }
                output(f)
            }
        }
        e.message shouldBe "In the schedule of f, vectorize(z, 8): f has no loop z; its loops are (innermost first) x"
    }
})
