package dev.halogen.passes.lower;

/** A schedule that lowering cannot turn into loops; the message names the Func and the feature. */
public final class ScheduleException extends RuntimeException {
  public ScheduleException(String message) {
    super(message);
  }
}
