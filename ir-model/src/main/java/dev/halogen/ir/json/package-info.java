/**
 * The versioned JSON form of the IR, read and written by {@link dev.halogen.ir.json.IrJson}.
 *
 * <p>A document is an object that starts with {@code "format": 1} and {@code "kind"} ({@code
 * "pipeline"}, {@code "module"}, {@code "expr"} or {@code "stmt"}), followed by the fields of
 * that kind:
 *
 * <pre>{@code
 * {"format": 1, "kind": "pipeline", "outputs": ["f"], "functions": [Function...], "parameters": [Parameter...]}
 * {"format": 1, "kind": "module", "name": "m", "entryPoints": [EntryPoint...], "constants": [{"name", "buffer"}...]}
 * {"format": 1, "kind": "expr", "expr": Expr}
 * {"format": 1, "kind": "stmt", "stmt": Stmt}
 * }</pre>
 *
 * <p>Every member of a sealed IR family (Expr, Stmt, Split, LoopLevel, Parameter) is an object
 * tagged with its record name, {@code {"node": "Add", "a": ..., "b": ...}}; every other record is
 * an untagged object. Field names are the record component names, in component order, and every
 * field is always present (a nullable component is {@code null}). Functions are listed in name
 * order. Types are their text spelling ({@code "float32x8"}), enum constants their Java names
 * ({@code "GPU_BLOCK"}). Integer immediates are JSON integers, exact to 64 bits (uint64 values are
 * written unsigned, up to 18446744073709551615). A finite float immediate is the shortest decimal
 * that reads back to the same value in the immediate's own precision; NaN and the infinities, which
 * JSON lacks, are the strings {@code "NaN"}, {@code "Infinity"} and {@code "-Infinity"}, and a NaN
 * other than the canonical one is {@code "NaN:0x"} followed by its bits in the type's width. A
 * constant buffer is {@code {"type", "mins", "extents", "data"}}, data being the standard base64 of
 * its dense little-endian elements, first dimension fastest.
 *
 * <p>Reading is strict: unknown fields, unknown tags, wrong JSON kinds, values outside their
 * type, and anything the IR constructors reject are errors that name their JSON path.
 */
@NullMarked
package dev.halogen.ir.json;

import org.jspecify.annotations.NullMarked;
