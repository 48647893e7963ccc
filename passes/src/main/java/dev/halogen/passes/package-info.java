/**
 * The pass API, the pass manager with its instrumentation, and (as they come) the analyses, the
 * lowering of the function graph to loop nests, storage flattening, unrolling, vectorization,
 * rfactor and atomics, Target, and the Backend service-provider interface.
 *
 * <p>A {@link dev.halogen.passes.Pass} transforms an {@link dev.halogen.passes.IrUnit} (the
 * function graph, or loop nests with their source pipeline) and declares the {@link
 * dev.halogen.passes.IrProperty properties} it requires, establishes and invalidates. A {@link
 * dev.halogen.passes.PassManager} runs an ordered list of passes, after checking the order against
 * those declarations, with {@link dev.halogen.passes.Instrumentation}: printing the IR or its
 * unified diff after each pass, dumping every stage to a directory, verifying after each pass,
 * timing, and writing a {@link dev.halogen.passes.ReplayFile} when a pass fails. Passes are found
 * by name in a {@link dev.halogen.passes.PassRegistry}; out-of-tree passes come from {@link
 * dev.halogen.passes.PassProvider}s found with {@link java.util.ServiceLoader}. The default
 * lowering order is the flat list in {@link dev.halogen.passes.LoweringPipeline}.
 *
 * <p>Backends: a {@link dev.halogen.passes.Backend} (found by name with {@link
 * dev.halogen.passes.Backends#find}) compiles a {@link dev.halogen.ir.LoweredModule} for a {@link
 * dev.halogen.passes.Target} into a {@link dev.halogen.passes.CompiledModule}, whose entry points run
 * with checked {@link dev.halogen.passes.Arguments} and fail with {@link
 * dev.halogen.passes.HalogenRuntimeException}. The calling convention is documented on {@link
 * dev.halogen.ir.LoweredModule.Argument}.
 */
@NullMarked
package dev.halogen.passes;

import org.jspecify.annotations.NullMarked;
