/**
 * The {@code llvm} backend ({@link dev.halogen.backend.llvm.LlvmBackend}, registered with {@link
 * java.util.ServiceLoader}): storage-flattened lowered IR to LLVM IR through the LLVM C API
 * (bytedeco), optimized with LLVM's {@code default<O3>} pipeline for the host CPU, JIT-compiled with
 * ORC LLJIT and called through the FFM API.
 *
 * <h2>Calling convention</h2>
 *
 * <p>Each entry point {@code E} of a module becomes a native function {@code int32 E(void **args)}
 * (its symbol has a prefix: one unique to the compilation in the JIT, {@code halogen_BASE_entry_}
 * ahead of time). {@code args} points to an array of 8-byte slots:
 *
 * <ol>
 *   <li>one per argument of the entry point, in declaration order: a buffer argument's slot holds
 *       the address of its descriptor; a scalar argument's slot holds its value in its low bytes
 *       (little-endian): integers in their width, {@code bool} as one byte 0 or 1, {@code float16}
 *       as its 16 bits, {@code float32} and {@code float64} in their formats, a handle as an address;
 *   <li>one per constant of the module, in the module's order: the address of its descriptor;
 *   <li>the address of the error area.
 * </ol>
 *
 * <p>A buffer descriptor ({@code 16 + 12 * dimensions} bytes, 8-aligned):
 *
 * <pre>
 * struct halogen_buffer {
 *   void   *host;         // offset 0: the element at the mins
 *   int32_t dimensions;   // offset 8
 *   int32_t reserved;     // offset 12: 0
 *   struct { int32_t min, extent, stride; } dim[];   // offset 16 + 12 * d; stride in elements
 * };
 * </pre>
 *
 * <p>These bind the variables {@code b.min.d}, {@code b.extent.d}, {@code b.stride.d} of {@link
 * dev.halogen.ir.LoweredModule.Argument}'s convention; element {@code i} of the flat buffer is at
 * {@code host + i * elementSize} ({@code bool} elements are bytes). Distinct buffers are assumed
 * not to overlap where one is written (they are {@code noalias}). As in Halide, the innermost
 * dimension of every buffer is assumed dense: the code is generated with {@code b.stride.0 = 1}
 * and ignores the descriptor's innermost stride (the Java caller passes a dense copy of any buffer
 * with another innermost stride and more than one element in that dimension).
 *
 * <p>The function returns 0 on success. On a failure it returns nonzero, after storing in the error
 * area (8-aligned, {@code 8 + 8 * n} bytes, zeroed by the caller) the failing site's index + 1 as
 * an int32 at offset 0 and the site's values as 64-bit words from offset 8: the lanes of an assert's
 * arguments (integers sign- or zero-extended by their type, bools 0 or 1, floats as the bits of the
 * float64 they widen to, handles as addresses; string arguments are known to the caller and take
 * none), or the numbers of a loop-range, extent or out-of-memory failure. The first failure of a
 * run claims the area (by compare-and-swap on the code), so parallel failures do not mix. The
 * site's message parts ({@code ErrorSite}, {@code MessagePart}) say how its values make the
 * message: the Java caller of the JIT ({@code LlvmCompiledModule}) and the C runtime of code
 * compiled ahead of time both write it exactly as the interpreter does.
 *
 * <h2>Parallel loops</h2>
 *
 * <p>The body of a {@code parallel} loop becomes a task {@code int32 task(void *closure, int32 lo,
 * int32 count)} that runs iterations {@code lo .. lo + count - 1}; the closure holds the error area
 * and every variable and buffer in scope. The loop calls the runtime function {@code int32
 * halogen_par_for(task, closure, min, extent)} ({@link dev.halogen.backend.llvm.ParallelRuntime},
 * an FFM upcall into Java's pool of spinning worker threads), which returns 0 or a failing task's result.
 * Atomic updates use LLVM atomic instructions, or a spin lock for updates that are not one store.
 *
 * <h2>Prints</h2>
 *
 * <p>Each {@code print} / {@code print_when} call is a print site with a message ({@code
 * MessagePart}s: the value and the further arguments separated by spaces, strings as text). For
 * each lane (where the condition holds) the code stores the lane's values as 64-bit words (as the
 * error area holds values) in a stack buffer and calls {@code void halogen_print(int64 site, ptr
 * words)} ({@code PrintRuntime}, an FFM upcall that renders the message with {@code
 * MessagePart.render} and sends the line to {@link dev.halogen.passes.PrintOutput}); code compiled
 * ahead of time calls its own {@code halogen_BASE_print}, which writes the same text to stderr.
 *
 * <h2>Ahead-of-time compilation</h2>
 *
 * <p>{@link dev.halogen.backend.llvm.LlvmBackend#compileToFiles} writes an object file, a shared
 * library, a C header, LLVM assembly or assembly for a module ({@link
 * dev.halogen.backend.llvm.OutputKind}). The code is the JIT's, position-independent, with the
 * entry points and the module's constants (read-only data and descriptors) as hidden symbols
 * {@code halogen_BASE_entry_E} and {@code halogen_BASE_constant_I}. A generated C source (made by
 * {@code CCode} around the runtime {@code halogen_runtime.c}, a resource of this package) is
 * compiled with the C compiler and linked with it into the object or library; it has, for base name
 * {@code BASE}:
 *
 * <ul>
 *   <li>for each entry point {@code E}, the exported function {@code int32_t E(...)} with one typed
 *       parameter per argument (a buffer as a {@code halogen_buffer_t *}, the descriptor above; a
 *       scalar as its C type, float16 as its bits in a {@code uint16_t}), which fills the slots
 *       (arguments, constants, a zeroed error area on its stack), calls the generated code, and
 *       after a failure writes the failure's message from the error area;
 *   <li>the exported {@code const char *BASE_last_error(void)}: the calling thread's last message;
 *   <li>the hidden {@code halogen_BASE_par_for}, with {@code ParallelRuntime}'s contract, on a pool
 *       of POSIX threads ({@code HALOGEN_NUM_THREADS}, else one per processor, the caller
 *       included), stopped when the library is unloaded;
 *   <li>the hidden {@code halogen_BASE_print}, with {@code PrintRuntime}'s contract, writing each
 *       line whole to stderr;
 *   <li>everything else {@code static}, so that two modules' objects link into one program.
 * </ul>
 *
 * <p>The header ({@code BASE.h}) declares the descriptor (with static assertions of its layout),
 * the entry functions, documented argument by argument, and {@code BASE_last_error}. {@code
 * docs/aot.md} shows how to call them from C and from Python's {@code ctypes}.
 */
@NullMarked
package dev.halogen.backend.llvm;

import org.jspecify.annotations.NullMarked;
