package dev.halogen.ir;

/** What a split does when the factor does not divide the extent. */
public enum TailStrategy {
  /** Round up for pure definitions of outputs that allow it, guard otherwise (Halide's rule). */
  AUTO,
  /** Guard the inner loop with an {@code if}: the last outer iteration does a partial inner loop. */
  GUARD_WITH_IF,
  /** Shift the last inner loop inwards so it ends at the extent (recomputes some points). */
  SHIFT_INWARDS,
  /** Compute past the extent up to a multiple of the factor (the region grows). */
  ROUND_UP
}
