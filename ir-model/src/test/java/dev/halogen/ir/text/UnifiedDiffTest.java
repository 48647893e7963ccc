package dev.halogen.ir.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Expected outputs below are those of GNU {@code diff -u} (or {@code -U0}) on the same texts. */
class UnifiedDiffTest {
  private static String diff(String a, String b, int context) {
    return UnifiedDiff.diff("a", "b", a, b, context);
  }

  @Test
  void equalTextsGiveNothing() {
    assertEquals("", diff("x\ny\n", "x\ny\n", 3));
    assertEquals("", diff("", "", 3));
  }

  @Test
  void oneChangedLineWithContext() {
    assertEquals("""
        --- a
        +++ b
        @@ -1,7 +1,7 @@
         a
         b
         c
        -d
        +D
         e
         f
         g
        """, diff("a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n", "a\nb\nc\nD\ne\nf\ng\nh\ni\nj\n", 3));
  }

  @Test
  void insertionIntoEmptyText() {
    assertEquals("--- a\n+++ b\n@@ -0,0 +1 @@\n+x\n", diff("", "x\n", 3));
  }

  @Test
  void deletionWithoutContext() {
    assertEquals("--- a\n+++ b\n@@ -2 +1,0 @@\n-b\n", diff("a\nb\nc\n", "a\nc\n", 0));
  }

  @Test
  void distantChangesMakeTwoHunks() {
    String a = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n";
    String b = "1\nTWO\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\nFOURTEEN\n15\n";
    assertEquals("""
        --- a
        +++ b
        @@ -1,5 +1,5 @@
         1
        -2
        +TWO
         3
         4
         5
        @@ -11,5 +11,5 @@
         11
         12
         13
        -14
        +FOURTEEN
         15
        """, diff(a, b, 3));
  }

  @Test
  void changesSevenLinesApartAreSeparateButThreeApartMerge() {
    assertEquals("""
        --- a
        +++ b
        @@ -1,5 +1,5 @@
         1
        -2
        +TWO
         3
         4
         5
        @@ -7,4 +7,4 @@
         7
         8
         9
        -10
        +X
        """, diff("1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", "1\nTWO\n3\n4\n5\n6\n7\n8\n9\nX\n", 3));
    assertEquals("""
        --- a
        +++ b
        @@ -1,8 +1,8 @@
         1
         2
         3
        -4
        +four
         5
         6
         7
        -8
        +EIGHT
        """, diff("1\n2\n3\n4\n5\n6\n7\n8\n", "1\n2\n3\nfour\n5\n6\n7\nEIGHT\n", 3));
  }

  @Test
  void missingFinalNewlineIsMarked() {
    assertEquals("""
        --- a
        +++ b
        @@ -1,2 +1,2 @@
         a
        -b
        \\ No newline at end of file
        +b
        """, diff("a\nb", "a\nb\n", 3));
  }

  @Test
  void completeReplacementDeletesFirst() {
    assertEquals("--- a\n+++ b\n@@ -1,3 +1,2 @@\n-x\n-y\n-z\n+p\n+q\n", diff("x\ny\nz\n", "p\nq\n", 3));
  }

  @Test
  void negativeContextIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> diff("a", "b", -1));
  }

  /**
   * On random texts the diff is a correct patch (applying it to the first text gives the second)
   * and a shortest one (it changes exactly n + m - 2 * LCS lines).
   */
  @Test
  void randomDiffsApplyAndAreMinimal() {
    Random rnd = new Random(42);
    for (int round = 0; round < 300; round++) {
      List<String> a = randomLines(rnd);
      List<String> b = randomLines(rnd);
      String ta = String.join("\n", a) + (a.isEmpty() ? "" : "\n");
      String tb = String.join("\n", b) + (b.isEmpty() ? "" : "\n");
      int context = rnd.nextInt(4);
      String d = diff(ta, tb, context);
      assertEquals(b, apply(a, d), () -> "diff does not turn a into b:\n" + d);
      int changed = 0;
      for (String line : d.split("\n")) {
        if ((line.startsWith("-") && !line.startsWith("---")) || (line.startsWith("+") && !line.startsWith("+++"))) changed++;
      }
      assertEquals(a.size() + b.size() - 2 * lcs(a, b), changed, () -> "diff is not minimal:\n" + d);
    }
  }

  private static List<String> randomLines(Random rnd) {
    List<String> lines = new ArrayList<>();
    int n = rnd.nextInt(25);
    for (int i = 0; i < n; i++) lines.add(String.valueOf((char) ('a' + rnd.nextInt(4))));
    return lines;
  }

  /** Applies a unified diff, checking every context and deleted line against {@code a}. */
  private static List<String> apply(List<String> a, String diff) {
    List<String> out = new ArrayList<>();
    if (diff.isEmpty()) return a;
    String[] lines = diff.split("\n");
    int ai = 0;
    int i = 2;
    while (i < lines.length) {
      String header = lines[i++];
      String aRange = header.substring(4, header.indexOf(' ', 4));
      int start = Integer.parseInt(aRange.split(",")[0]);
      int count = aRange.contains(",") ? Integer.parseInt(aRange.split(",")[1]) : 1;
      int hunkStart = count == 0 ? start : start - 1;
      while (ai < hunkStart) out.add(a.get(ai++));
      while (i < lines.length && !lines[i].startsWith("@@")) {
        String l = lines[i++];
        switch (l.charAt(0)) {
          case ' ' -> {
            assertEquals(a.get(ai++), l.substring(1));
            out.add(l.substring(1));
          }
          case '-' -> assertEquals(a.get(ai++), l.substring(1));
          case '+' -> out.add(l.substring(1));
          default -> throw new AssertionError("bad diff line " + l);
        }
      }
    }
    while (ai < a.size()) out.add(a.get(ai++));
    return out;
  }

  private static int lcs(List<String> a, List<String> b) {
    int[][] t = new int[a.size() + 1][b.size() + 1];
    for (int i = a.size() - 1; i >= 0; i--) {
      for (int j = b.size() - 1; j >= 0; j--) {
        t[i][j] = a.get(i).equals(b.get(j)) ? 1 + t[i + 1][j + 1] : Math.max(t[i + 1][j], t[i][j + 1]);
      }
    }
    return t[0][0];
  }
}
