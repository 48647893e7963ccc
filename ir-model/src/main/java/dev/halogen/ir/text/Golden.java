package dev.halogen.ir.text;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden-file assertions for tests of any module (plain {@link AssertionError}s, no test-framework
 * dependency). A golden file holds the expected text of a test; running the tests with {@code
 * -Dgolden.bless=true} rewrites every golden file with the actual text instead of comparing.
 * Relative paths resolve against the working directory, which under Maven is the module directory.
 */
public final class Golden {
  /** The system property that turns comparing into rewriting when it is {@code "true"}. */
  public static final String BLESS_PROPERTY = "golden.bless";

  private Golden() {}

  /**
   * Checks that {@code actual} equals the contents of {@code goldenFile}, or writes it there when
   * the system property {@value #BLESS_PROPERTY} is {@code "true"}.
   *
   * @throws AssertionError when the file is missing, or differs (the message holds a unified diff
   *     from the expected to the actual text)
   */
  public static void assertMatches(Path goldenFile, String actual) {
    assertMatches(goldenFile, actual, "true".equals(System.getProperty(BLESS_PROPERTY)));
  }

  /** {@link #assertMatches(Path, String)} with the bless switch given explicitly. */
  public static void assertMatches(Path goldenFile, String actual, boolean bless) {
    try {
      if (bless) {
        Path parent = goldenFile.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        Files.writeString(goldenFile, actual, StandardCharsets.UTF_8);
        return;
      }
      if (!Files.exists(goldenFile)) {
        throw new AssertionError("golden file " + goldenFile + " does not exist; run the tests with -D"
            + BLESS_PROPERTY + "=true to create it");
      }
      // A checkout that turned newlines into CRLF still matches.
      String expected = Files.readString(goldenFile, StandardCharsets.UTF_8).replace("\r\n", "\n");
      if (!expected.equals(actual)) {
        throw new AssertionError("output differs from golden file " + goldenFile + " (run the tests with -D"
            + BLESS_PROPERTY + "=true to accept it):\n"
            + UnifiedDiff.diff("expected " + goldenFile, "actual", expected, actual, 3));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot access golden file " + goldenFile, e);
    }
  }
}
