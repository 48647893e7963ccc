/**
 * Lowering passes from the function graph to loop nests: {@link
 * dev.halogen.passes.lower.ApplyRFactorPass} ({@code apply-rfactor}), which applies the rfactor
 * requests of the schedule to the graph ({@link dev.halogen.passes.lower.RFactorTransform}, also
 * used by the front end); {@link dev.halogen.passes.lower.CheckSchedulePass} ({@code
 * check-schedule}), which refuses schedules that race; and {@link
 * dev.halogen.passes.lower.ScheduleFunctionsPass} ({@code schedule-functions}), which inlines,
 * orders the realizations, builds each stage's loops from its schedule and sizes every realization
 * by bounds inference. A schedule they cannot honour fails with a {@link
 * dev.halogen.passes.lower.ScheduleException} naming the Func and the feature.
 */
@NullMarked
package dev.halogen.passes.lower;

import org.jspecify.annotations.NullMarked;
