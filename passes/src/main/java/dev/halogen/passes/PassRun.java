package dev.halogen.passes;

import java.util.Set;

/**
 * The outcome of running a pass list.
 *
 * @param result the unit after the last pass
 * @param properties what holds of {@code result}: the initial properties with each pass's
 *     invalidations removed and establishments added, in order
 * @param timings one row per pass
 */
public record PassRun(IrUnit result, Set<IrProperty> properties, PassTimings timings) {
  public PassRun {
    properties = PropertySets.copy(properties);
  }
}
