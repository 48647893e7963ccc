package dev.halogen.ir;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One definition of a Func: {@code f(args) = values}. For the pure definition {@code args} are the
 * Func's variables; for an update they are arbitrary int32 expressions over pure variables and the
 * variables of {@code domain}, and {@code values} may call {@code f} itself.
 *
 * @param domain the reduction domain the update iterates, or null for none
 */
public record Definition(List<Expr> args, List<Expr> values, @Nullable ReductionDomain domain, StageSchedule schedule) {
  public Definition {
    args = Check.list(args, "Definition argument");
    values = Check.list(values, "Definition value");
    if (values.isEmpty()) throw new IllegalArgumentException("Definition has no values");
    Check.notNull(schedule, "Definition schedule");
  }

  public Definition withSchedule(StageSchedule newSchedule) {
    return new Definition(args, values, domain, newSchedule);
  }
}
