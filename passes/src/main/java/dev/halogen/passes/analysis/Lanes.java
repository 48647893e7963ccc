package dev.halogen.passes.analysis;

import dev.halogen.ir.Type;

/**
 * Builds a value lane by lane from a lane function: a scalar record for one lane, else a vector. Every
 * lane-wise operation of the evaluator is written once, as its lane function.
 */
final class Lanes {
  private Lanes() {}

  @FunctionalInterface
  interface LongLane {
    long at(int lane);
  }

  @FunctionalInterface
  interface DoubleLane {
    double at(int lane);
  }

  @FunctionalInterface
  interface BoolLane {
    boolean at(int lane);
  }

  /** Integer or bool lanes of type {@code t}; the function returns normalized bits. */
  static Value ints(Type t, LongLane f) {
    int n = t.lanes();
    if (n == 1) return new Value.IntScalar(t, f.at(0));
    long[] r = new long[n];
    for (int i = 0; i < n; i++) r[i] = f.at(i);
    return new Value.IntVector(t, r);
  }

  /** Float lanes of type {@code t}; the function returns values of the type's precision. */
  static Value floats(Type t, DoubleLane f) {
    int n = t.lanes();
    if (n == 1) return new Value.FloatScalar(t, f.at(0));
    double[] r = new double[n];
    for (int i = 0; i < n; i++) r[i] = f.at(i);
    return new Value.FloatVector(t, r);
  }

  /** Bool lanes, {@code lanes} of them. */
  static Value bools(int lanes, BoolLane f) {
    return ints(Type.BOOL.withLanes(lanes), i -> f.at(i) ? 1 : 0);
  }
}
