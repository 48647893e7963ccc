package dev.halogen.passes;

import dev.halogen.passes.lower.AddImageChecksPass;
import dev.halogen.passes.lower.CsePass;
import dev.halogen.passes.lower.PartitionLoopsPass;
import dev.halogen.passes.lower.ApplyRFactorPass;
import dev.halogen.passes.lower.CheckSchedulePass;
import dev.halogen.passes.lower.ScheduleFunctionsPass;
import dev.halogen.passes.lower.StorageFlatteningPass;
import dev.halogen.passes.lower.UnrollLoopsPass;
import dev.halogen.passes.lower.VectorizeLoopsPass;
import dev.halogen.passes.lower.SimplifyPass;
import java.util.List;

/**
 * The default lowering pipeline: the one flat, ordered list of passes that turns a function graph
 * into a lowered module, in the spirit of Halide's {@code Lower.cpp}. Each line of {@link
 * #passes()} is one pass with a comment on why it is there; the {@link PassManager} checks the
 * order against the passes' {@link Pass#requires() requires}/{@link Pass#establishes()
 * establishes}/{@link Pass#invalidates() invalidates} before running anything, and out-of-tree
 * passes are inserted around these by name ({@link PassProvider}).
 *
 * <p>The order of lowering (DESIGN.md section 3), with the property each stage establishes; a
 * stage joins the list when its pass exists:
 *
 * <ol>
 *   <li>verify the function graph: {@code verify-graph}, {@link IrProperty#GRAPH_VERIFIED};
 *   <li>transformations of the function graph the schedule asks for: rfactor ({@code
 *       apply-rfactor}); then the checks of the schedule that need no loops ({@code check-schedule});
 *   <li>realization order and schedule to loop nests: the Funcs in an order where producers come
 *       before consumers, then inlining, compute_root, compute_at/store_at, split/tile/reorder/fuse,
 *       updates and reduction domains with their predicates, as loops; turns the unit from {@link
 *       IrProperty#FUNCTION_GRAPH} into {@link IrProperty#LOOPS_BUILT} ({@link IrUnit.Loops} keeps
 *       the source pipeline alongside);
 *   <li>bounds inference: interval analysis over the function graph, value bounds for
 *       data-dependent indices, a clear error on an unbounded access; {@link
 *       IrProperty#BOUNDS_INFERRED} (for now {@code schedule-functions} sizes each realization as it
 *       builds it, so it establishes this too);
 *   <li>input bounds checks: {@code add-image-checks}, {@link IrProperty#INPUTS_CHECKED} (while
 *       storage is multi-dimensional, so each access's region is visible per dimension);
 *   <li>sliding window and storage folding: {@link IrProperty#SLIDING_WINDOW_APPLIED}, {@link
 *       IrProperty#STORAGE_FOLDED};
 *   <li>simplify: {@code simplify}, {@link IrProperty#SIMPLIFIED};
 *   <li>storage flattening: {@code storage-flattening}, {@link IrProperty#STORAGE_FLATTENED} (from
 *       here on the verifier checks lowered IR as flattened);
 *   <li>unroll: {@code unroll-loops}, {@link IrProperty#UNROLLED};
 *   <li>vectorize: {@code vectorize-loops}, {@link IrProperty#VECTORIZED};
 *   <li>simplify again: {@code simplify}, {@link IrProperty#SIMPLIFIED};
 *   <li>loop partitioning and tail handling: {@code partition-loops}, {@link
 *       IrProperty#LOOPS_PARTITIONED}, then {@code simplify} again;
 *   <li>GPU kernel extraction: {@link IrProperty#GPU_KERNELS_EXTRACTED};
 *   <li>common subexpression elimination: {@code cse}, {@link IrProperty#CSE_APPLIED}.
 * </ol>
 */
public final class LoweringPipeline {
  private LoweringPipeline() {}

  /** The passes, in order (unmodifiable; extend it with {@link PassManager.Builder}). */
  public static List<Pass> passes() {
    return List.of(
        // Reject a malformed graph up front, with every problem and where it is, rather than
        // failing somewhere inside lowering.
        new VerifyGraphPass(),
        // rfactor is a change of the algorithm's graph (an intermediate Func and a merge), so it
        // happens before anything looks at loops; the intermediates are scheduled like any Func.
        new ApplyRFactorPass(),
        // Refuse schedules that would race (unordered reduction loops without atomic(), atomic
        // updates that are not associative) with a message naming the Func and the loop.
        new CheckSchedulePass(),
        // Inline, order the realizations, build each stage's loops (splits, fuses, renames, loop
        // kinds, update and reduction loops with predicates) and size every root realization by
        // bounds inference over its consumers.
        new ScheduleFunctionsPass(),
        // Assert at the top of each entry point that every buffer holds what the loops access, while
        // storage is still multi-dimensional and the region of each access is visible per dimension.
        new AddImageChecksPass(),
        // Fold what building the loops and the checks left (constant bounds, provable checks).
        new SimplifyPass(),
        // Multi-dimensional Realize/Provide/call storage becomes flat Allocate/Store/Load indexed
        // by element, with the buffer arguments' addressing: what every later pass and backend reads.
        new StorageFlatteningPass(),
        // Unrolled loops become copies of their bodies; after flattening, so each copy's accesses
        // are plain index arithmetic that the simplifier can fold with the copy's constant.
        new UnrollLoopsPass(),
        // Vectorized loops of constant extent become Ramp/Broadcast vector code; a lane-dependent
        // if (a GUARD_WITH_IF tail) becomes a dense copy when all lanes pass and a predicated copy
        // otherwise; what cannot be vectorized exactly (a scatter, an allocation inside) runs serially.
        new VectorizeLoopsPass(),
        // Fold the copies' constants and the vector code's index arithmetic.
        new SimplifyPass(),
        // Give the loops with boundary conditions (split tails, clamps) a steady state without them.
        new PartitionLoopsPass(),
        // Fold the steady states' bounds and what the replaced conditions leave.
        new SimplifyPass(),
        // Last: compute repeated subexpressions once, once nothing rewrites expressions any more.
        new CsePass());
  }

  /** A pass manager of {@link #passes()} with {@code instrumentation}, starting from the function graph. */
  public static PassManager manager(Instrumentation instrumentation) {
    return PassManager.builder().addAll(passes()).instrumentation(instrumentation).build();
  }
}
