package dev.halogen.ir;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

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

  /**
   * The schedule a stage has until the user changes it: serial host loops, innermost first, over
   * the reduction variables of {@code domain} in order, then each left-hand-side argument that is
   * one of the Func's pure variables (a plain int32 Var), in argument order.
   */
  public static StageSchedule defaultFor(List<String> funcArgs, List<Expr> lhs, @Nullable ReductionDomain domain) {
    List<Dim> dims = new ArrayList<>();
    if (domain != null) {
      for (ReductionDomain.ReductionVariable v : domain.variables()) {
        dims.add(new Dim(v.name(), ForKind.SERIAL, DeviceApi.HOST, true));
      }
    }
    List<String> seen = new ArrayList<>();
    for (Expr e : lhs) {
      if (e instanceof Expr.Var(Type t, String n) && t.equals(Type.I32) && funcArgs.contains(n) && !seen.contains(n)) {
        seen.add(n);
        dims.add(new Dim(n, ForKind.SERIAL, DeviceApi.HOST, false));
      }
    }
    return of(dims);
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
