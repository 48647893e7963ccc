package dev.halogen.backend.llvm;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The C compiler that ahead-of-time compilation builds objects and shared libraries with: the
 * command in the {@code CC} environment variable (split at spaces, as make does), else the first of
 * {@code cc}, {@code gcc} and {@code clang} on the {@code PATH}. It compiles the C runtime and links.
 *
 * @param command the compiler's command line before the arguments of a call
 */
record CCompiler(List<String> command) {
  /** How long one compiler run may take. */
  private static final long TIMEOUT_MINUTES = 10;

  CCompiler {
    command = List.copyOf(command);
  }

  /** The compiler of this process's environment, if there is one. */
  static Optional<CCompiler> find() {
    String cc = System.getenv("CC");
    if (cc != null && !cc.isBlank()) return Optional.of(new CCompiler(List.of(cc.trim().split("\\s+"))));
    String path = System.getenv("PATH");
    if (path == null) return Optional.empty();
    for (String name : List.of("cc", "gcc", "clang")) {
      for (String dir : path.split(File.pathSeparator)) {
        if (dir.isEmpty()) continue;
        Path p = Path.of(dir, name);
        if (Files.isRegularFile(p) && Files.isExecutable(p)) return Optional.of(new CCompiler(List.of(p.toString())));
      }
    }
    return Optional.empty();
  }

  /**
   * The compiler of this process's environment.
   *
   * @throws IllegalStateException when there is none, saying what {@code what} needs it for
   */
  static CCompiler require(String what) {
    return find().orElseThrow(() -> new IllegalStateException(what + " needs a C compiler: set CC, or put cc, gcc or clang on the PATH"
        + " (on Debian: apt-get install gcc)"));
  }

  /**
   * Runs the compiler with {@code arguments} in directory {@code dir}.
   *
   * @throws IllegalStateException when it fails, with its command line and output
   */
  void run(Path dir, List<String> arguments) {
    List<String> line = new ArrayList<>(command);
    line.addAll(arguments);
    String shown = String.join(" ", line);
    @Nullable Path log = null;
    @Nullable Process p = null;
    try {
      log = Files.createTempFile(dir, "cc", ".log"); // a file, not a pipe: a compiler that hangs cannot block the reading
      p = new ProcessBuilder(line).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      p.getOutputStream().close();
      if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IllegalStateException("the C compiler took more than " + TIMEOUT_MINUTES + " minutes: " + shown);
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException("the C compiler failed (exit code " + p.exitValue() + "): " + shown + "\n"
            + Files.readString(log, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new IllegalStateException("could not run the C compiler: " + shown + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      if (p != null) p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the C compiler ran: " + shown, e);
    } finally {
      if (log != null) {
        try {
          Files.deleteIfExists(log);
        } catch (IOException e) {
          // the log is in the caller's directory, which it removes or keeps as it likes
        }
      }
    }
  }
}
