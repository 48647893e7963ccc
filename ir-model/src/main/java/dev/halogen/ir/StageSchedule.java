package dev.halogen.ir;

import java.util.List;

/**
 * How one stage (pure definition or update) of a Func is iterated.
 *
 * @param splits loop transformations in the order they were applied
 * @param dims the resulting loops, innermost first, with their kinds
 * @param rfactors factorizations to apply (normally at most one)
 * @param atomic whether the update is done with atomic read-modify-writes, which allows its
 *     reduction loops to be parallel or vectorized
 * @param overrideAssociativityTest with {@code atomic}: skip the proof that the update is associative
 */
public record StageSchedule(List<Split> splits, List<Dim> dims, List<RFactor> rfactors, boolean atomic,
    boolean overrideAssociativityTest) {
  public StageSchedule {
    splits = Check.list(splits, "StageSchedule split");
    dims = Check.list(dims, "StageSchedule dim");
    rfactors = Check.list(rfactors, "StageSchedule rfactor");
  }

  /** The default schedule of a stage: serial loops over {@code dims}, no splits. */
  public static StageSchedule of(List<Dim> dims) {
    return new StageSchedule(List.of(), dims, List.of(), false, false);
  }

  public StageSchedule withSplits(List<Split> newSplits) {
    return new StageSchedule(newSplits, dims, rfactors, atomic, overrideAssociativityTest);
  }

  public StageSchedule withDims(List<Dim> newDims) {
    return new StageSchedule(splits, newDims, rfactors, atomic, overrideAssociativityTest);
  }

  public StageSchedule withRFactors(List<RFactor> newRFactors) {
    return new StageSchedule(splits, dims, newRFactors, atomic, overrideAssociativityTest);
  }

  public StageSchedule withAtomic(boolean newAtomic, boolean newOverride) {
    return new StageSchedule(splits, dims, rfactors, newAtomic, newOverride);
  }
}
