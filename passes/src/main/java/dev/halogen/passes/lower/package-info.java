/**
 * Lowering passes on the function graph, from it to loop nests, and on loop nests: {@link
 * dev.halogen.passes.lower.ApplyRFactorPass} ({@code apply-rfactor}), which applies the rfactor
 * requests of the schedule to the graph ({@link dev.halogen.passes.lower.RFactorTransform}, also
 * used by the front end); {@link dev.halogen.passes.lower.CheckSchedulePass} ({@code
 * check-schedule}), which refuses schedules that race; {@link
 * dev.halogen.passes.lower.ScheduleFunctionsPass} ({@code schedule-functions}), which inlines,
 * orders the realizations, builds each stage's loops from its schedule and sizes every realization
 * by bounds inference; {@link dev.halogen.passes.lower.AddImageChecksPass} ({@code
 * add-image-checks}), which asserts at the top of each entry point that every buffer holds what is
 * accessed; {@link dev.halogen.passes.lower.SimplifyPass} ({@code simplify}); {@link
 * dev.halogen.passes.lower.StorageFlatteningPass} ({@code storage-flattening}), which turns
 * multi-dimensional storage into flat buffers; {@link dev.halogen.passes.lower.UnrollLoopsPass}
 * ({@code unroll-loops}), which replaces unrolled loops by copies of their bodies; {@link
 * dev.halogen.passes.lower.VectorizeLoopsPass} ({@code vectorize-loops}), which turns vectorized
 * loops on flattened storage into vector code; {@link dev.halogen.passes.lower.PartitionLoopsPass}
 * ({@code partition-loops}), which gives loops with boundary conditions a steady state without
 * them; and {@link dev.halogen.passes.lower.CsePass} ({@code cse}). A schedule or an access a pass
 * cannot lower fails with a {@link dev.halogen.passes.lower.ScheduleException} naming the Func or
 * buffer and the feature; {@link dev.halogen.passes.lower.LoopNames} names the Func and stage of a
 * loop for such messages.
 */
@NullMarked
package dev.halogen.passes.lower;

import org.jspecify.annotations.NullMarked;
