package dev.halogen;

/**
 * A misuse of the front end: an ill-typed expression, a malformed definition or an impossible
 * schedule. The message names the Func, the variable or argument, and what is wrong. Thrown by the
 * call that makes the mistake; only the checks that need the whole graph (two things with one name,
 * a compute level whose loop was split away afterwards) wait for {@link Pipeline#toIr()}, and those
 * of a run (a Param without a value, an ImageParam without a buffer, output buffers that do not fit,
 * a schedule lowering cannot do) for {@link Pipeline#compile} and realize.
 */
public class HalogenException extends IllegalArgumentException {
  public HalogenException(String message) {
    super(message);
  }

  public HalogenException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Operands whose types cannot be combined (bool arithmetic, handles, a literal that does not fit). */
  public static final class TypeException extends HalogenException {
    public TypeException(String message) {
      super(message);
    }
  }

  /** A definition that breaks the rules of pure and update definitions, or a bad call to a Func. */
  public static final class DefinitionException extends HalogenException {
    public DefinitionException(String message) {
      super(message);
    }
  }

  /** A scheduling directive that names an unknown loop, reuses a name or cannot be honoured. */
  public static final class ScheduleException extends HalogenException {
    public ScheduleException(String message) {
      super(message);
    }

    public ScheduleException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
