package dev.halogen.passes;

import java.nio.file.Path;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A pass threw, returned something that breaks its contract, or (with {@link
 * Instrumentation#verifyEach()}) produced IR the verifier rejects. Names the pass and its position,
 * and the replay file written for it (see {@link ReplayFile}) if one was; the cause is the original
 * exception.
 */
public final class PassFailedException extends RuntimeException {
  private final String passName;
  private final int passIndex;
  private final @Nullable Path replayFile;

  PassFailedException(String passName, int passIndex, int passCount, String what, @Nullable Path replayFile,
      @Nullable String replayProblem, Throwable cause) {
    super(headline(passName, passIndex, passCount, what, cause)
        + (replayFile != null
            ? "\nreplay file: " + replayFile + " (PassManager.replay runs the remaining passes from it)"
            : replayProblem != null ? "\nno replay file: " + replayProblem : ""),
        cause);
    this.passName = passName;
    this.passIndex = passIndex;
    this.replayFile = replayFile;
  }

  /**
   * What the message starts with: {@code pass 'NAME' (I of N) WHAT: CAUSE-MESSAGE}, or {@code
   * (no message)} for a cause without one.
   */
  static String headline(String passName, int passIndex, int passCount, String what, Throwable cause) {
    String message = cause.getMessage() != null ? cause.getMessage() : "(no message)";
    return "pass '" + passName + "' (" + passIndex + " of " + passCount + ") " + what + ": " + message;
  }

  /** The name of the pass that failed. */
  public String passName() {
    return passName;
  }

  /** Its 1-based position in the pass list that ran. */
  public int passIndex() {
    return passIndex;
  }

  /** The replay file written for this failure; empty when replay files are turned off or it could not be written. */
  public Optional<Path> replayFile() {
    return Optional.ofNullable(replayFile);
  }
}
