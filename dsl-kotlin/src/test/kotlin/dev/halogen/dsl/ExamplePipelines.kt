package dev.halogen.dsl

import dev.halogen.Expr
import dev.halogen.FuncRef
import dev.halogen.ir.Buffer
import dev.halogen.ir.Type

/**
 * Six of the front end's example pipelines (frontend/src/test/java/dev/halogen/ExamplePipelines.java)
 * written with the DSL. [ExamplePipelinesSpec] checks that each prints exactly the IR pinned in the
 * front end's golden files.
 */
object ExamplePipelines {
    /** A separable 3x3 box blur of an image extended by repeating its edge; tiled, parallel and vectorized. */
    fun blur(): DslPipeline = pipeline("blur") {
        val input = imageParam("in", Type.F32, 2)
        val (x, y) = vars("x", "y")
        val blurX = func("blur_x")
        val blurY = func("blur_y")
        algorithm {
            val clamped = repeatEdge(input)
            blurX[x, y] = (clamped(x - 1, y) + clamped(x, y) + clamped(x + 1, y)) / 3
            blurY[x, y] = (blurX(x, y - 1) + blurX(x, y) + blurX(x, y + 1)) / 3
        }
        schedule {
            val (xo, yo, xi, yi) = vars("xo", "yo", "xi", "yi")
            blurY.tile(x, y, xo, yo, xi, yi, 64, 32).parallel(yo).vectorize(xi, 8)
            blurX.computeAt(blurY, xo).vectorize(x, 8)
        }
        output(blurY)
    }

    /** A 256-bin histogram of an 8-bit image, updated atomically in parallel. */
    fun histogram(): DslPipeline = pipeline("histogram") {
        val input = imageParam("in", Type.U8, 2)
        val (i) = vars("i")
        val r = rdom("r", input)
        val hist = func("hist")
        algorithm {
            hist[i] = 0
            hist[input(r.x, r.y)] += 1
        }
        schedule {
            hist.update(0).atomic().parallel(r.y)
        }
        output(hist)
    }

    /** A 3-tap convolution along x (explicit update) and a 5x5 one (inline sum) of an image that is zero outside. */
    fun convolution(): DslPipeline = pipeline("convolution") {
        val input = imageParam("in", Type.F32, 2)
        val (x, y) = vars("x", "y")
        val k1 = constantBuffer("k1", Buffer.of(floatArrayOf(0.25f, 0.5f, 0.25f), 3).withMins(-1))
        val k2 = constantBuffer("k2", floatBuffer(5, 5) { (i, j) -> (i + 1) * (j + 1) / 81f }.withMins(-2, -2))
        val r = rdom("r", -1..1)
        val s = rdom("s", -2..2, -2..2)
        val convX = func("conv_x")
        val conv2 = func("conv_2d")
        algorithm {
            val zero = constantExterior(input, Expr.of(0f), 0 until 640, 0 until 480)
            convX[x, y] = 0f
            convX[x, y] += zero(x + r.x, y) * k1(r.x)
            conv2[x, y] = sum(zero(x + s.x, y + s.y) * k2(s.x, s.y), "conv_sum")
        }
        schedule {
            convX.update(0).vectorize(x, 8)
            conv2.vectorize(x, 8).parallel(y)
        }
        output(convX, conv2)
    }

    /** A piecewise-linear tone curve: a 16-entry gamma table read at floor and ceil of each pixel and blended. */
    fun toneCurve(): DslPipeline = pipeline("tone_curve") {
        val input = imageParam("in", Type.F32, 2)
        val (x, y, i) = vars("x", "y", "i")
        val lut = func("lut")
        val curve = func("curve")
        algorithm {
            lut[i] = pow(cast<Float>(i) / 15f, 1f / 2.2f)
            val v = clamp(input(x, y), 0f, 15f)
            val w = v - floor(v)
            curve[x, y] = lut(cast<Int>(floor(v))) * (1f - w) + lut(cast<Int>(ceil(v))) * w
        }
        schedule {
            lut.computeRoot()
            curve.vectorize(x, 8).parallel(y)
        }
        output(curve)
    }

    /** Halide's bilateral grid: splat into a coarse 3-D grid, blur it along z, x and y, slice it trilinearly. */
    fun bilateralGrid(): DslPipeline = pipeline("bilateral_grid") {
        val s = 8
        val (x, y, z, c) = vars("x", "y", "z", "c")
        val input = imageParam("in", Type.F32, 2)
        val rSigma = param("r_sigma", Type.F32, 0.1)
        val r = rdom("r", 0 until s, 0 until s)
        val grid = func("grid")
        val blurZ = func("blur_z")
        val blurX = func("blur_x")
        val blurY = func("blur_y")
        val sliced = func("interpolated")
        val out = func("bilateral_grid")
        algorithm {
            val clamped = repeatEdge(input)
            val value = clamp(clamped(x * s + r.x - s / 2, y * s + r.y - s / 2), 0f, 1f)
            val zMax = cast<Int>(ceil(1f / rSigma))    // z stays in [0, zMax]: the clamps give the grid bounds
            val zi = clamp(cast<Int>(value * (1f / rSigma) + 0.5f), Expr.of(0), zMax)
            grid[x, y, z, c] = 0f
            grid[x, y, zi, c] += select(c eq 0, value, Expr.of(1f))

            blurZ[x, y, z, c] = fiveTap { k -> grid(x, y, z + k, c) }
            blurX[x, y, z, c] = fiveTap { k -> blurZ(x + k, y, z, c) }
            blurY[x, y, z, c] = fiveTap { k -> blurX(x, y + k, z, c) }

            val v = clamp(input(x, y), 0f, 1f)
            val zv = v * (1f / rSigma)
            val zInt = clamp(cast<Int>(zv), Expr.of(0), zMax)
            val zf = zv - cast<Float>(zInt)
            val xf = cast<Float>(x % s) / s
            val yf = cast<Float>(y % s) / s
            val xi = x / s
            val yi = y / s
            fun slice(zk: Expr) = lerp(
                lerp(blurY(xi, yi, zk, c), blurY(xi + 1, yi, zk, c), xf),
                lerp(blurY(xi, yi + 1, zk, c), blurY(xi + 1, yi + 1, zk, c), xf), yf)
            sliced[x, y, c] = lerp(slice(zInt), slice(zInt + 1), zf)
            out[x, y] = sliced(x, y, 0) / sliced(x, y, 1)
        }
        schedule {
            grid.computeRoot().reorder(c, z, x, y).parallel(y)
            grid.update(0).reorder(c, r.x, r.y, x, y).parallel(y)
            blurZ.computeRoot().reorder(c, z, x, y).parallel(y).vectorize(x, 8).unroll(c)
            blurX.computeRoot().reorder(c, x, y, z).parallel(z).vectorize(x, 8).unroll(c)
            blurY.computeRoot().reorder(c, x, y, z).parallel(z).vectorize(x, 8).unroll(c)
            out.computeRoot().parallel(y).vectorize(x, 8)
        }
        output(out)
    }

    /** The taps 1 4 6 4 1 at offsets -2..2. */
    private fun fiveTap(at: (Int) -> FuncRef): Expr = at(-2) + at(-1) * 4 + at(0) * 6 + at(1) * 4 + at(2)

    /** A first-order recursive filter scanning along x: `f(x) = 0.75 f(x) + 0.25 f(x - 1)`. */
    fun recursiveFilter(): DslPipeline = pipeline("recursive_filter") {
        val input = imageParam("in", Type.F32, 2)
        val (x, y) = vars("x", "y")
        val r = rdom("r", 1 until input.width)
        val scan = func("scan")
        algorithm {
            scan[x, y] = input(x, y)
            scan[r.x, y] = scan(r.x, y) * 0.75f + scan(r.x - 1, y) * 0.25f
        }
        schedule {
            scan.update(0).parallel(y)
        }
        output(scan)
    }
}
