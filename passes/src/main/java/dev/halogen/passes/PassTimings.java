package dev.halogen.passes;

import java.util.List;
import java.util.Locale;

/** How long each pass of a run took and whether it changed the unit, in run order. */
public record PassTimings(List<Row> rows) {
  /**
   * One pass: its 1-based position, name, wall time of its {@link Pass#run} in milliseconds
   * (instrumentation around it not counted), and whether it returned a different unit.
   */
  public record Row(int index, String pass, double millis, boolean changed) {}

  public PassTimings {
    rows = List.copyOf(rows);
  }

  public double totalMillis() {
    double t = 0;
    for (Row r : rows) t += r.millis();
    return t;
  }

  /**
   * A table with a header, one line per pass and a total, columns aligned:
   *
   * <pre>
   *  #  pass          time (ms)  changed
   *  1  verify-graph      0.120  no
   *  2  rename-func       1.005  yes
   *     total             1.125
   * </pre>
   */
  public String table() {
    String[][] cells = new String[rows.size() + 2][];
    cells[0] = new String[] {"#", "pass", "time (ms)", "changed"};
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      cells[i + 1] = new String[] {String.valueOf(r.index()), r.pass(), millis(r.millis()), r.changed() ? "yes" : "no"};
    }
    cells[rows.size() + 1] = new String[] {"", "total", millis(totalMillis()), ""};
    int[] width = new int[4];
    for (String[] row : cells) for (int c = 0; c < 4; c++) width[c] = Math.max(width[c], row[c].length());
    StringBuilder sb = new StringBuilder();
    for (String[] row : cells) {
      // Numbers right-aligned, words left-aligned; no trailing spaces.
      String line = pad(row[0], width[0], true) + "  " + pad(row[1], width[1], false) + "  "
          + pad(row[2], width[2], true) + "  " + row[3];
      sb.append(line.stripTrailing()).append('\n');
    }
    return sb.toString();
  }

  private static String millis(double ms) {
    return String.format(Locale.ROOT, "%.3f", ms);
  }

  private static String pad(String s, int width, boolean right) {
    String fill = " ".repeat(width - s.length());
    return right ? fill + s : s + fill;
  }
}
