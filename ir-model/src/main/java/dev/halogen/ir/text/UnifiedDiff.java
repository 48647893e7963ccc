package dev.halogen.ir.text;

import java.util.ArrayList;
import java.util.List;

/**
 * Line diffs in the unified format of {@code diff -u}: a {@code ---}/{@code +++} header, then
 * hunks {@code @@ -l,n +l,n @@} of lines prefixed with ' ' (context), '-' (only in the first text)
 * or '+' (only in the second). A last line without a newline is followed by {@code \ No newline at
 * end of file}, as GNU diff writes it. The edit script is a shortest one, found with Myers'
 * O((N+M)D) algorithm after stripping the common prefix and suffix.
 */
public final class UnifiedDiff {
  private UnifiedDiff() {}

  /** A line and whether a newline ends it (only the last line of a text may lack one). */
  private record Line(String text, boolean newline) {}

  private enum Op {
    EQUAL,
    DELETE,
    INSERT
  }

  /** One step of the edit script, with the positions in both texts before it. */
  private record Edit(Op op, int a, int b) {}

  /**
   * The unified diff turning {@code a} into {@code b}, with {@code context} unchanged lines around
   * each change; the empty string when the texts are equal.
   */
  public static String diff(String aName, String bName, String a, String b, int context) {
    if (context < 0) throw new IllegalArgumentException("diff context must be >= 0, got " + context);
    if (a.equals(b)) return "";
    List<Line> la = lines(a);
    List<Line> lb = lines(b);
    List<Edit> edits = editScript(la, lb);
    StringBuilder out = new StringBuilder();
    out.append("--- ").append(aName).append('\n');
    out.append("+++ ").append(bName).append('\n');
    int i = 0;
    while (i < edits.size()) {
      if (edits.get(i).op() == Op.EQUAL) {
        i++;
        continue;
      }
      // A hunk: from `context` lines before this change to `context` lines after the last change
      // that is at most 2 * context unchanged lines away from the previous one.
      int start = Math.max(0, i - context);
      int lastChange = i;
      int j = i + 1;
      while (j < edits.size()) {
        if (edits.get(j).op() != Op.EQUAL) {
          if (j - lastChange - 1 > 2 * context) break;
          lastChange = j;
        }
        j++;
      }
      int end = Math.min(edits.size(), lastChange + 1 + context);
      hunk(out, edits.subList(start, end), la, lb);
      i = end;
    }
    return out.toString();
  }

  private static void hunk(StringBuilder out, List<Edit> edits, List<Line> la, List<Line> lb) {
    int aCount = 0;
    int bCount = 0;
    for (Edit e : edits) {
      if (e.op() != Op.INSERT) aCount++;
      if (e.op() != Op.DELETE) bCount++;
    }
    out.append("@@ -").append(range(edits.getFirst().a(), aCount)).append(" +")
        .append(range(edits.getFirst().b(), bCount)).append(" @@\n");
    for (Edit e : edits) {
      Line line = switch (e.op()) {
        case EQUAL, DELETE -> la.get(e.a());
        case INSERT -> lb.get(e.b());
      };
      out.append(switch (e.op()) {
        case EQUAL -> ' ';
        case DELETE -> '-';
        case INSERT -> '+';
      }).append(line.text()).append('\n');
      if (!line.newline()) out.append("\\ No newline at end of file\n");
    }
  }

  /**
   * {@code start,count} with a 1-based start; GNU diff leaves out a count of 1, and gives an empty
   * range the number of the line before it.
   */
  private static String range(int zeroBasedStart, int count) {
    if (count == 0) return zeroBasedStart + ",0";
    if (count == 1) return String.valueOf(zeroBasedStart + 1);
    return (zeroBasedStart + 1) + "," + count;
  }

  private static List<Line> lines(String s) {
    List<Line> lines = new ArrayList<>();
    int start = 0;
    while (start < s.length()) {
      int nl = s.indexOf('\n', start);
      if (nl < 0) {
        lines.add(new Line(s.substring(start), false));
        break;
      }
      lines.add(new Line(s.substring(start, nl), true));
      start = nl + 1;
    }
    return lines;
  }

  /** A shortest edit script from {@code a} to {@code b}, in order. */
  private static List<Edit> editScript(List<Line> a, List<Line> b) {
    int prefix = 0;
    while (prefix < a.size() && prefix < b.size() && a.get(prefix).equals(b.get(prefix))) prefix++;
    int suffix = 0;
    while (suffix < a.size() - prefix && suffix < b.size() - prefix
        && a.get(a.size() - 1 - suffix).equals(b.get(b.size() - 1 - suffix))) {
      suffix++;
    }
    List<Edit> edits = new ArrayList<>();
    for (int i = 0; i < prefix; i++) edits.add(new Edit(Op.EQUAL, i, i));
    edits.addAll(myers(a.subList(prefix, a.size() - suffix), b.subList(prefix, b.size() - suffix), prefix, prefix));
    for (int i = suffix; i > 0; i--) edits.add(new Edit(Op.EQUAL, a.size() - i, b.size() - i));
    return edits;
  }

  /**
   * Myers' greedy algorithm: for d = 0, 1, ... it extends, on each diagonal k = x - y, the
   * furthest-reaching path with d non-diagonal steps; the first path reaching the end is a
   * shortest script. The frontier of each round is kept (only diagonals -d-1..d+1 are live) so
   * the path can be traced back.
   */
  private static List<Edit> myers(List<Line> a, List<Line> b, int aOffset, int bOffset) {
    int n = a.size();
    int m = b.size();
    int max = n + m;
    int[] v = new int[2 * max + 3];
    int off = max + 1;
    List<int[]> trace = new ArrayList<>();
    int found = -1;
    for (int d = 0; d <= max && found < 0; d++) {
      trace.add(java.util.Arrays.copyOfRange(v, off - d - 1, off + d + 2));
      for (int k = -d; k <= d; k += 2) {
        int x = (k == -d || (k != d && v[off + k - 1] < v[off + k + 1])) ? v[off + k + 1] : v[off + k - 1] + 1;
        int y = x - k;
        while (x < n && y < m && a.get(x).equals(b.get(y))) {
          x++;
          y++;
        }
        v[off + k] = x;
        if (x >= n && y >= m) {
          found = d;
          break;
        }
      }
    }
    List<Edit> reversed = new ArrayList<>();
    int x = n;
    int y = m;
    for (int d = found; d >= 0; d--) {
      int[] frontier = trace.get(d); // frontier[i] is v[i - d - 1] before round d
      int k = x - y;
      int prevK = (k == -d || (k != d && frontier[k - 1 + d + 1] < frontier[k + 1 + d + 1])) ? k + 1 : k - 1;
      int prevX = d == 0 ? 0 : frontier[prevK + d + 1];
      int prevY = d == 0 ? 0 : prevX - prevK;
      int snakeStartX = d == 0 ? 0 : (prevK == k + 1 ? prevX : prevX + 1);
      while (x > snakeStartX) {
        x--;
        y--;
        reversed.add(new Edit(Op.EQUAL, aOffset + x, bOffset + y));
      }
      if (d > 0) {
        if (prevK == k + 1) {
          reversed.add(new Edit(Op.INSERT, aOffset + prevX, bOffset + prevY));
        } else {
          reversed.add(new Edit(Op.DELETE, aOffset + prevX, bOffset + prevY));
        }
        x = prevX;
        y = prevY;
      }
    }
    return reversed.reversed();
  }
}
