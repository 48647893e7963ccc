package dev.halogen;

/**
 * A misuse of the front end: an ill-typed expression, a malformed definition or an impossible
 * schedule. The message names the Func, the variable or argument, and what is wrong. Thrown at the
 * call that makes the mistake, never later.
 */
public class HalogenException extends IllegalArgumentException {
  public HalogenException(String message) {
    super(message);
  }

  /** Operands whose types cannot be combined (bool arithmetic, handles, a literal that does not fit). */
  public static final class TypeError extends HalogenException {
    public TypeError(String message) {
      super(message);
    }
  }

  /** A definition that breaks the rules of pure and update definitions, or a bad call to a Func. */
  public static final class DefinitionError extends HalogenException {
    public DefinitionError(String message) {
      super(message);
    }
  }

  /** A scheduling directive that names an unknown loop, reuses a name or cannot be honoured. */
  public static final class ScheduleError extends HalogenException {
    public ScheduleError(String message) {
      super(message);
    }
  }
}
