package dev.halogen.apps.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * A small benchmark harness: runs a piece of work a few times to warm the JIT, then a number of
 * timed repetitions, and reports the median (and the fastest) wall time. Results of the work are
 * kept in a field so the JIT cannot drop the work as dead code.
 */
public final class Harness {
  /** Where the last result is parked, so that the measured work is never dead code. */
  @SuppressWarnings("unused")
  private static volatile Object sink;

  private Harness() {}

  /** The timings of one benchmark, in milliseconds, in the order measured. */
  public record Measurement(String name, double[] millis) {
    public double median() {
      double[] sorted = millis.clone();
      Arrays.sort(sorted);
      int n = sorted.length;
      return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    public double fastest() {
      return Arrays.stream(millis).min().orElseThrow();
    }
  }

  public static Measurement measure(String name, int warmups, int repetitions, Supplier<?> work) {
    if (repetitions < 1) throw new IllegalArgumentException("at least one repetition is needed, got " + repetitions);
    for (int i = 0; i < warmups; i++) sink = work.get();
    double[] millis = new double[repetitions];
    for (int i = 0; i < repetitions; i++) {
      long t0 = System.nanoTime();
      sink = work.get();
      millis[i] = (System.nanoTime() - t0) / 1e6;
    }
    return new Measurement(name, millis);
  }

  /** A plain-text table: one row per measurement with its median, fastest and repetition count, plus extra columns. */
  public static String table(List<Measurement> rows, List<String> extraHeaders, List<List<String>> extraCells) {
    List<String> header = new ArrayList<>(List.of("benchmark", "median ms", "fastest ms", "reps"));
    header.addAll(extraHeaders);
    List<List<String>> cells = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      Measurement m = rows.get(i);
      List<String> row = new ArrayList<>(List.of(m.name(), format(m.median()), format(m.fastest()),
          Integer.toString(m.millis().length)));
      if (i < extraCells.size()) row.addAll(extraCells.get(i));
      cells.add(row);
    }
    return textTable(header, cells);
  }

  /** A plain-text table: the first column left-aligned, the others right-aligned, two spaces apart. */
  public static String textTable(List<String> header, List<List<String>> cells) {
    int[] width = new int[header.size()];
    for (int c = 0; c < header.size(); c++) {
      width[c] = header.get(c).length();
      for (List<String> row : cells) if (c < row.size()) width[c] = Math.max(width[c], row.get(c).length());
    }
    StringBuilder sb = new StringBuilder();
    appendRow(sb, header, width);
    for (List<String> row : cells) appendRow(sb, row, width);
    return sb.toString();
  }

  public static String format(double millis) {
    return String.format(Locale.ROOT, millis < 10 ? "%.3f" : "%.1f", millis);
  }

  private static void appendRow(StringBuilder sb, List<String> row, int[] width) {
    for (int c = 0; c < row.size(); c++) {
      String cell = row.get(c);
      if (c == 0) sb.append(cell).append(" ".repeat(width[c] - cell.length()));
      else sb.append("  ").append(" ".repeat(width[c] - cell.length())).append(cell);
    }
    sb.append('\n');
  }
}
