/**
 * The canonical text form of the IR ({@link dev.halogen.ir.text.IrPrinter}, {@link
 * dev.halogen.ir.text.IrParser}), and the {@link dev.halogen.ir.text.UnifiedDiff} and {@link
 * dev.halogen.ir.text.Golden} utilities that tests and the pass manager use with it.
 *
 * <p>{@code IrParser.parseX(IrPrinter.print(x)).equals(x)} for every node. Whitespace and newlines
 * only separate tokens; {@code //} starts a comment. Indentation is two spaces.
 *
 * <h2>Lexical</h2>
 *
 * <ul>
 *   <li>Names: a letter or {@code _}, then letters, digits, {@code _ . $} ({@code f.s0.x}). A name
 *       that is a keyword is written in backquotes ({@code `min`}). Keywords: {@code true false
 *       nan_f16 nan_f32 nan_f64 inf_f16 inf_f32 inf_f64 min max select cast let ramp broadcast
 *       vector_reduce var func image buffer load extern math intrinsic assert produce consume for
 *       serial parallel vectorized unrolled gpu_block gpu_thread gpu_lane realize allocate free if
 *       else evaluate atomic block over schedule compute_root compute_inline compute_at store_root
 *       store_inline store_at bound estimate store_in}. Other words ({@code in on where mutex rvar
 *       outputs pipeline param constant module entry}, loop kinds, devices, memory types, tail
 *       strategies, schedule directives) only mean something where no name can stand.
 *   <li>Types: {@link dev.halogen.ir.Type#toString()}: {@code int32 uint8 float32x8 bool handle}.
 *   <li>Integers: {@code 3}, {@code -7} are int32; other types by suffix: {@code -128i8 3i16 3i64
 *       255u8 65535u16 4294967295u32 18446744073709551615u64} (range-checked); {@code true false}.
 *   <li>Floats: float64 {@code 1.5 1e300} (always a '.' or an exponent), float32 {@code 1.5f},
 *       float16 {@code 0.5h}; the shortest decimal that reads back exactly; {@code nan_f32 inf_f64
 *       -inf_f16}. A '-' may only precede a numeric literal: there is no negation node.
 *   <li>Strings: {@code "..."} with escapes {@code \" \\ \n \t \r} and <code>&#92;uXXXX</code>.
 * </ul>
 *
 * <h2>Expressions</h2>
 *
 * <p>Binary operators, loosest first, all left-associative except comparisons, which do not chain:
 * {@code ||}, {@code &&}, {@code == != < <= > >=}, {@code + -}, {@code * / %}, then prefix {@code
 * !}. The printer adds only the parentheses this needs ({@code (a + b) * c}, {@code a - (b - c)},
 * {@code a < b && c < d}). Other forms:
 *
 * <pre>
 * min(a, b)  max(a, b)  select(c, t, f)  cast&lt;float32&gt;(e)  (let t = v in body)
 * ramp(base, stride, 8)  broadcast(v, 8)  vector_reduce&lt;add&gt;(v, 2)      ops: add mul min max and or
 * x                                a variable (its type from the scopes below; int32 when unbound)
 * f(x - 1, y)   argmin(x)[1]      a Func call (tuple funcs always show [i]) or an image call
 * sin(x)  likely(x)  abs(x)        math functions and intrinsics of a fixed table
 * buf[i]   buf[ramp(x, 1, 8) if p]    a Load (the predicate is left out when all true)
 * </pre>
 *
 * <p>Whenever a name's meaning cannot be inferred, the kind and type are written out: {@code
 * var<float32> g}, {@code func<int32> argmin(x)[1]}, {@code image<uint16> in(x, y)}, {@code
 * math<float32> foo(x)}, {@code intrinsic<uint32> reinterpret(x)}, {@code extern<float64> f(x,
 * 2.0)} (extern calls are always written so), {@code load<float32x8> buf[i]} (the full load type).
 * The table of plain math functions (result type: that of the first argument) is sin cos tan asin
 * acos atan atan2 sinh cosh tanh asinh acosh atanh exp log sqrt pow floor ceil round trunc fract
 * erf hypot fast_exp fast_log fast_pow fast_inverse fast_inverse_sqrt. Plain intrinsics: is_nan
 * is_inf is_finite (bool), abs absd (unsigned of a signed argument, else its type), likely
 * likely_if_innermost promise_clamped lerp bitwise_and bitwise_or bitwise_xor bitwise_not
 * shift_left shift_right popcount count_leading_zeros count_trailing_zeros div_round_to_zero
 * mod_round_to_zero saturating_add saturating_sub print (type of the first argument), print_when
 * (type of the second argument: {@code print_when(x > 0, x, "at", y)}). A declared Func or image of
 * the same name takes precedence over the table.
 *
 * <h2>Declarations and scopes</h2>
 *
 * <p>A standalone expression, statement or Func text, and each entry-point body, may start with
 * declarations of free names, which the printer writes for every free name whose type is not
 * otherwise implied: {@code var gain: float32}, {@code func blur_x: float32}, {@code func argmin:
 * (int32, float32)}, {@code image input: uint16}, {@code buffer buf: float32}. Scopes: {@code let}
 * binds a variable of its value's type; loop variables, Func arguments and reduction variables are
 * int32; {@code realize f} binds the Func {@code f}, {@code allocate b} the buffer {@code b};
 * pipeline parameters, images, constants and Funcs, and module constants and arguments are bound in
 * the whole text.
 *
 * <h2>Statements</h2>
 *
 * <p>A statement list is one statement per line; an empty list is the no-op, one statement is that
 * statement, several form a Block. {@code let} scopes over the rest of its list.
 *
 * <pre>
 * let t = x * 2                        (the rest of the list is the body)
 * { ... }                              a nested list (a Block of 2+, a let in mid-list); {} is the no-op
 * block { s }                          a Block of exactly the statements inside (used for one statement)
 * assert(x &gt;= 0, "at {} below {}", x, 0)
 * produce f { ... }   consume f { ... }
 * [parallel|vectorized|unrolled|gpu_block|gpu_thread|gpu_lane] for (x, min, extent) [on cuda|opencl|default_gpu] { ... }
 * f(x, y) = value     f(x) = {a, b}    a Provide
 * realize f: float32 [0, 10] [y, 4] [in stack] [if cond] { ... }        ([min, extent] per dimension)
 * buf[index] = value  buf[index if predicate] = value                   a Store
 * allocate buf: float32 [10, y] [in heap] [if cond] { ... }             (extents)
 * free buf
 * if (c) { ... } else if (d) { ... } else { ... }
 * evaluate e
 * atomic hist [mutex hist.mutex] { ... }
 * </pre>
 *
 * <p>Memory types: auto (the default, not written) heap stack register gpu_shared gpu_texture.
 *
 * <h2>Funcs, pipelines, modules</h2>
 *
 * <pre>
 * pipeline outputs(hist, gpu_out)
 * param gain: float32 = 1.0f                   a scalar, with an optional constant default
 * param n: int32
 * image input: float32 [2]                     element type and dimension count
 * constant lut: float32 [-1, 3] [4, 2] = "base64 of Buffer.toLittleEndianBytes()"   [min, extent] per dimension
 *
 * func blur(x, y): float32 {                   funcs in name order; tuples: func hist(x): (int32, float32)
 *   blur(x, y) = (clamped(x, y) + lut(x)) * gain       the pure definition, then updates in order
 *   schedule {                                 only when not the default schedule
 *     split(x, x.xo, x.xi, 8, guard_with_if)   tail: auto (not written) guard_with_if shift_inwards round_up
 *     fuse(x.xo, y.yo, t)                      fuse(inner, outer, fused)
 *     rename(y.yi, yy)
 *     loops(x.b vectorized, r.x rvar, t gpu_block on cuda)    innermost first; only when not the default
 *     rfactor(hist_intm, r.y -&gt; v)
 *     atomic
 *     override_associativity_test
 *   }
 *   over r(r.x [0, 16], r.y [0, n]) where r.x &lt; r.y {    an update with a reduction domain
 *     hist(cast&lt;int32&gt;(blur(r.x, r.y))) = ...
 *     schedule { ... }
 *   }
 *   compute_root store_root bound(x, 0, 100) estimate(y, 0, 50) store_in(heap)
 * }
 *
 * module m
 * constant lut: int32 [0, 3] = "AQAAAAIAAAADAAAA"
 * entry m(in input: uint16 [2], gain: float32, out out: float32 [3]) {
 *   statements
 * }
 * </pre>
 *
 * <p>Loop levels: {@code compute_inline} (the default) {@code compute_root} {@code compute_at(f,
 * stage, var)}, likewise {@code store_*}. A stage without a {@code schedule} clause (or without
 * {@code loops}) has the loops of {@link
 * dev.halogen.ir.StageSchedule#defaultFor(java.util.List, java.util.List,
 * dev.halogen.ir.ReductionDomain)}: the reduction variables, then the left-hand-side arguments that
 * are the Func's pure variables at their own positions, serial on the host.
 */
@NullMarked
package dev.halogen.ir.text;

import org.jspecify.annotations.NullMarked;
