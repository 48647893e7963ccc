package dev.halogen.dsl

import dev.halogen.ir.Buffer
import dev.halogen.ir.Type

/**
 * Kotlin access to [Buffer] elements: `buf[x, y]` reads any element type as a Double (unsigned types
 * read as unsigned) and `buf[x, y] = v` stores it converted as a cast would.
 */
operator fun Buffer.get(vararg coords: Int): Double = getAsDouble(*coords)

operator fun Buffer.set(vararg coords: Int, value: Number) = setFromDouble(value.toDouble(), *coords)

/** A float32 buffer of the given extents whose elements are `init(coordinates)`. */
fun floatBuffer(vararg extents: Int, init: (IntArray) -> Float): Buffer {
    val b = Buffer.allocate(Type.F32, *extents)
    b.forEachCoordinate { c -> b.setFloat(init(c), *c) }
    return b
}
