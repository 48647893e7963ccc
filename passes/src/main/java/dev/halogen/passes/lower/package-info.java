/**
 * Lowering passes from the function graph to loop nests: {@link
 * dev.halogen.passes.lower.ScheduleFunctionsPass} ({@code schedule-functions}), which inlines,
 * orders the realizations, builds each stage's loops from its schedule and sizes every realization
 * by bounds inference. A schedule it cannot lower fails with a {@link
 * dev.halogen.passes.lower.ScheduleException} naming the Func and the feature.
 */
@NullMarked
package dev.halogen.passes.lower;

import org.jspecify.annotations.NullMarked;
