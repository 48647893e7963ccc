package dev.halogen.apps.cli;

/**
 * A failure of a command that is the user's to fix, with its exit code: {@link #USAGE} for a
 * command line that is wrong (an option value that makes no sense), {@link #FAILURE} for inputs
 * that are (a missing or malformed file, an input of the wrong shape). The message is printed
 * after {@code halogen COMMAND: }.
 */
public final class CliException extends RuntimeException {
  static final int FAILURE = 1;
  static final int USAGE = 2;

  private final int exitCode;

  CliException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  CliException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  static CliException failure(String message) {
    return new CliException(FAILURE, message);
  }

  public static CliException usage(String message) {
    return new CliException(USAGE, message);
  }

  int exitCode() {
    return exitCode;
  }
}
