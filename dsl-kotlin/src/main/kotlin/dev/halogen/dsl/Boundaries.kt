package dev.halogen.dsl

import dev.halogen.BoundaryConditions
import dev.halogen.ExprLike
import dev.halogen.Func
import dev.halogen.FuncLike

// Halide's boundary conditions ([BoundaryConditions]): a new Func equal to `source` inside a box and
// extended outside it. Without a box an image or constant buffer uses its own bounds; a box is one
// range per dimension, `0 until 640` or a [Span] of expressions, and dimensions past the last range
// stay unbounded.

fun repeatEdge(source: FuncLike): Func = BoundaryConditions.repeatEdge(source)

fun repeatEdge(source: FuncLike, vararg box: IntRange): Func = BoundaryConditions.repeatEdge(source, boxOf(box))

fun repeatEdge(source: FuncLike, vararg box: Span): Func = BoundaryConditions.repeatEdge(source, boxOf(box))

fun constantExterior(source: FuncLike, value: ExprLike): Func = BoundaryConditions.constantExterior(source, value)

fun constantExterior(source: FuncLike, value: ExprLike, vararg box: IntRange): Func =
    BoundaryConditions.constantExterior(source, value, boxOf(box))

fun constantExterior(source: FuncLike, value: ExprLike, vararg box: Span): Func =
    BoundaryConditions.constantExterior(source, value, boxOf(box))

fun repeatImage(source: FuncLike): Func = BoundaryConditions.repeatImage(source)

fun repeatImage(source: FuncLike, vararg box: IntRange): Func = BoundaryConditions.repeatImage(source, boxOf(box))

fun repeatImage(source: FuncLike, vararg box: Span): Func = BoundaryConditions.repeatImage(source, boxOf(box))

fun mirrorImage(source: FuncLike): Func = BoundaryConditions.mirrorImage(source)

fun mirrorImage(source: FuncLike, vararg box: IntRange): Func = BoundaryConditions.mirrorImage(source, boxOf(box))

fun mirrorImage(source: FuncLike, vararg box: Span): Func = BoundaryConditions.mirrorImage(source, boxOf(box))

fun mirrorInterior(source: FuncLike): Func = BoundaryConditions.mirrorInterior(source)

fun mirrorInterior(source: FuncLike, vararg box: IntRange): Func = BoundaryConditions.mirrorInterior(source, boxOf(box))

fun mirrorInterior(source: FuncLike, vararg box: Span): Func = BoundaryConditions.mirrorInterior(source, boxOf(box))

/** `{min, extent}` per dimension, as [BoundaryConditions] takes a box. */
private fun boxOf(ranges: Array<out IntRange>): Array<Array<ExprLike>> = boxOf(Array(ranges.size) { Span(ranges[it]) })

private fun boxOf(spans: Array<out Span>): Array<Array<ExprLike>> = Array(spans.size) { arrayOf(spans[it].min, spans[it].extent) }
