package dev.halogen.passes.lower;

/** A schedule that lowering cannot turn into loops; the message names the Func and the feature. */
public final class ScheduleException extends RuntimeException {
  private final String reason;

  public ScheduleException(String message) {
    super(message);
    this.reason = message;
  }

  /**
   * The message {@code "where: reason"}, e.g. {@code "Func f update 0: cannot rfactor: ..."}. A caller
   * that names the place its own way (the front end names the directive) reads {@link #reason()}.
   */
  public ScheduleException(String where, String reason) {
    super(where + ": " + reason);
    this.reason = reason;
  }

  /**
   * A failure of stage {@code stage} of Func {@code func}, placed as {@code "Func f update 0"} (or
   * {@code "Func f pure definition"}).
   */
  public static ScheduleException inStage(String func, int stage, String reason) {
    return new ScheduleException(stageName(func, stage), reason);
  }

  /** {@code "Func f update 0"}, or {@code "Func f pure definition"} for stage 0. */
  public static String stageName(String func, int stage) {
    return "Func " + func + " " + (stage == 0 ? "pure definition" : "update " + (stage - 1));
  }

  /** The message without the place it names, when it was built from one ({@link #ScheduleException(String, String)}). */
  public String reason() {
    return reason;
  }
}
