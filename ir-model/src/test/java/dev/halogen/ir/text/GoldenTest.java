package dev.halogen.ir.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GoldenTest {
  @TempDir Path dir;

  @Test
  void blessWritesTheFileCreatingDirectories() throws IOException {
    Path file = dir.resolve("a/b/c.hir");
    Golden.assertMatches(file, "x + 1\n", true);
    assertEquals("x + 1\n", Files.readString(file));
    Golden.assertMatches(file, "x + 2\n", true);
    assertEquals("x + 2\n", Files.readString(file));
  }

  @Test
  void matchingFilePasses() throws IOException {
    Path file = dir.resolve("ok.hir");
    Files.writeString(file, "let t = 1\nevaluate t\n");
    Golden.assertMatches(file, "let t = 1\nevaluate t\n", false);
  }

  @Test
  void crlfCheckoutStillMatches() throws IOException {
    Path file = dir.resolve("crlf.hir");
    Files.writeString(file, "a\r\nb\r\n");
    Golden.assertMatches(file, "a\nb\n", false);
  }

  @Test
  void missingFileTellsHowToCreateIt() {
    AssertionError e = assertThrows(AssertionError.class,
        () -> Golden.assertMatches(dir.resolve("missing.hir"), "x\n", false));
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    assertTrue(e.getMessage().contains("-Dgolden.bless=true"), e.getMessage());
  }

  @Test
  void mismatchShowsAUnifiedDiffFromExpectedToActual() throws IOException {
    Path file = dir.resolve("m.hir");
    Files.writeString(file, "a\nold line\nc\n");
    AssertionError e = assertThrows(AssertionError.class, () -> Golden.assertMatches(file, "a\nnew line\nc\n", false));
    String m = e.getMessage();
    assertTrue(m.contains("-Dgolden.bless=true"), m);
    assertTrue(m.contains("\n@@ -1,3 +1,3 @@\n a\n-old line\n+new line\n c\n"), m);
    // The file is not touched when comparing.
    assertEquals("a\nold line\nc\n", Files.readString(file));
  }

  @Test
  void systemPropertySelectsBlessing() throws IOException {
    Path file = dir.resolve("prop.hir");
    String saved = System.getProperty(Golden.BLESS_PROPERTY);
    try {
      System.setProperty(Golden.BLESS_PROPERTY, "true");
      Golden.assertMatches(file, "blessed\n");
      assertEquals("blessed\n", Files.readString(file));
      System.setProperty(Golden.BLESS_PROPERTY, "false");
      assertThrows(AssertionError.class, () -> Golden.assertMatches(file, "other\n"));
      Golden.assertMatches(file, "blessed\n");
    } finally {
      if (saved == null) System.clearProperty(Golden.BLESS_PROPERTY);
      else System.setProperty(Golden.BLESS_PROPERTY, saved);
    }
  }
}
