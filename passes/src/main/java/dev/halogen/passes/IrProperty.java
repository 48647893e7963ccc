package dev.halogen.passes;

import org.jspecify.annotations.Nullable;

/**
 * Facts about an {@link IrUnit} that passes require, establish and invalidate; the {@link
 * PassManager} checks a pass list against them before running anything.
 *
 * <p>Two properties name the <em>form</em> of the unit, and exactly one of them holds at every
 * point of a pass list: {@link #FUNCTION_GRAPH} for an {@link IrUnit.Graph} and {@link
 * #LOOPS_BUILT} for an {@link IrUnit.Loops}. The manager checks that after every pass the unit has
 * the form its properties say, so a pass that lowers the graph establishes {@code LOOPS_BUILT} and
 * invalidates {@code FUNCTION_GRAPH}. The other properties describe stages of lowering, in the
 * order of DESIGN.md section 3 (see {@link LoweringPipeline}); a pass that changes the IR in a way
 * that can undo one of them (any rewrite can leave something to simplify) lists it in {@link
 * Pass#invalidates()}.
 */
public enum IrProperty {
  /** The unit is the function graph ({@link IrUnit.Graph}): Funcs, definitions and schedules. */
  FUNCTION_GRAPH("the function graph"),
  /** The function graph passes {@link dev.halogen.ir.IrVerifier#verify(dev.halogen.ir.Pipeline)}. */
  GRAPH_VERIFIED(null),
  /**
   * The unit is loop nests ({@link IrUnit.Loops}): the schedule has been turned into loops in
   * realization order (inlining, compute/store levels, splits, fuses, reorders, updates and
   * reduction domains with their predicates), with multi-dimensional {@code Provide}/{@code
   * Realize} storage.
   */
  LOOPS_BUILT("loop nests"),
  /** Every loop and every realization has concrete bounds, from interval analysis over the function graph. */
  BOUNDS_INFERRED(null),
  /** Values computed by an earlier iteration of a serial loop are reused instead of recomputed. */
  SLIDING_WINDOW_APPLIED(null),
  /** Realizations only as large as the window the consumers of one iteration need (folded storage). */
  STORAGE_FOLDED(null),
  /** The simplifier ran after the last pass that could leave something to simplify. */
  SIMPLIFIED(null),
  /**
   * Storage is flat: {@code Allocate}, {@code Store} and {@code Load} of one-dimensional buffers;
   * no {@code Provide}, {@code Realize} or Func/image call remains.
   */
  STORAGE_FLATTENED(null),
  /** No loop of kind {@code unrolled} remains: each has been replaced by copies of its body. */
  UNROLLED(null),
  /** No loop of kind {@code vectorized} remains: each has become vector code ({@code Ramp}, {@code Broadcast}). */
  VECTORIZED(null),
  /** Loops are split into a steady state without boundary conditions and prologue/epilogue tails. */
  LOOPS_PARTITIONED(null),
  /** Loops of GPU block/thread kinds have been gathered into kernels with their device API. */
  GPU_KERNELS_EXTRACTED(null),
  /** Entry points assert that their input and output buffers cover the region the pipeline accesses. */
  INPUTS_CHECKED(null),
  /** Common subexpressions have been bound to lets. */
  CSE_APPLIED(null);

  /** For a form property, words for the form in messages; null for the others. */
  private final @Nullable String formWords;

  IrProperty(@Nullable String formWords) {
    this.formWords = formWords;
  }

  /** Whether this property names the form of the unit ({@link #FUNCTION_GRAPH} or {@link #LOOPS_BUILT}). */
  public boolean isForm() {
    return formWords != null;
  }

  /** This property in words: the form ("the function graph (FUNCTION_GRAPH)") or its name. */
  public String describe() {
    return formWords == null ? name() : formWords + " (" + name() + ")";
  }
}
