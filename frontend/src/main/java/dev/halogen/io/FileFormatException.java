package dev.halogen.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file that exists but cannot be read or written as the format asks: an unsupported dtype or bit
 * depth, a malformed header, a truncated body. The message starts with the file's path.
 */
public final class FileFormatException extends IOException {
  private final Path file;
  private final String problem;

  public FileFormatException(Path file, String problem) {
    super(file + ": " + problem);
    this.file = file;
    this.problem = problem;
  }

  public FileFormatException(Path file, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
    this.file = file;
    this.problem = problem;
  }

  /** The file the problem is in. */
  public Path file() {
    return file;
  }

  /** What is wrong, without the file name. */
  public String problem() {
    return problem;
  }
}
