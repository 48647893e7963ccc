package dev.halogen.ir;

import java.util.List;

/**
 * Where a Func is computed and stored, and facts about its region.
 *
 * @param computeLevel the loop level at which each region is computed
 * @param storeLevel the loop level at which its storage is allocated (at or outside the compute level)
 * @param bounds regions the Func must be computed over exactly
 * @param estimates region sizes for the automatic scheduler
 * @param memoryType where its storage lives
 */
public record FuncSchedule(LoopLevel computeLevel, LoopLevel storeLevel, List<Bound> bounds, List<Bound> estimates,
    MemoryType memoryType) {
  public static final FuncSchedule INLINE =
      new FuncSchedule(LoopLevel.INLINED, LoopLevel.INLINED, List.of(), List.of(), MemoryType.AUTO);

  public FuncSchedule {
    Check.notNull(computeLevel, "FuncSchedule compute level");
    Check.notNull(storeLevel, "FuncSchedule store level");
    bounds = Check.list(bounds, "FuncSchedule bound");
    estimates = Check.list(estimates, "FuncSchedule estimate");
    Check.notNull(memoryType, "FuncSchedule memory type");
  }

  public FuncSchedule withComputeLevel(LoopLevel level) {
    return new FuncSchedule(level, storeLevel, bounds, estimates, memoryType);
  }

  public FuncSchedule withStoreLevel(LoopLevel level) {
    return new FuncSchedule(computeLevel, level, bounds, estimates, memoryType);
  }

  public FuncSchedule withBounds(List<Bound> newBounds) {
    return new FuncSchedule(computeLevel, storeLevel, newBounds, estimates, memoryType);
  }

  public FuncSchedule withEstimates(List<Bound> newEstimates) {
    return new FuncSchedule(computeLevel, storeLevel, bounds, newEstimates, memoryType);
  }

  public FuncSchedule withMemoryType(MemoryType type) {
    return new FuncSchedule(computeLevel, storeLevel, bounds, estimates, type);
  }
}
