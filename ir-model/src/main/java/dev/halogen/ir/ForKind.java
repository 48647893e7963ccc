package dev.halogen.ir;

/** How a loop runs. */
public enum ForKind {
  SERIAL,
  PARALLEL,
  /** Lowered to vector operations; the extent must be a constant. */
  VECTORIZED,
  /** Replicated; the extent must be a constant. */
  UNROLLED,
  /** A GPU block dimension (the grid). */
  GPU_BLOCK,
  /** A GPU thread dimension (within a block). */
  GPU_THREAD,
  /** A GPU lane dimension (within a warp). */
  GPU_LANE;

  public boolean isGpu() {
    return this == GPU_BLOCK || this == GPU_THREAD || this == GPU_LANE;
  }

  /** Whether iterations of a loop of this kind may run at the same time or in any order. */
  public boolean isUnordered() {
    return this == PARALLEL || this == VECTORIZED || isGpu();
  }
}
