package dev.halogen.apps.demo;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress bar: {@code deconvolution [########......]  120/300  loss 1.234e+01  85.3 it/s}.
 * On a terminal it redraws in place; otherwise (a file, a test) it prints a line at each tenth.
 */
final class Progress {
  private static final int WIDTH = 30;

  private final PrintStream out;
  private final String label;
  private final int total;
  private final boolean enabled;
  private final boolean inPlace;
  private final long start = System.nanoTime();
  private int lastTenth = -1;

  Progress(PrintStream out, String label, int total, boolean enabled) {
    this.out = out;
    this.label = label;
    this.total = total;
    this.enabled = enabled;
    this.inPlace = out == System.out && System.console() != null;
  }

  void update(int done, double loss) {
    if (!enabled) return;
    int tenth = done * 10 / Math.max(1, total);
    if (!inPlace && tenth == lastTenth && done != total) return;
    lastTenth = tenth;
    int filled = done * WIDTH / Math.max(1, total);
    double seconds = (System.nanoTime() - start) / 1e9;
    String line = String.format(Locale.ROOT, "%-13s [%s%s] %5d/%d  loss %.4e  %6.1f it/s", label, "#".repeat(filled), ".".repeat(WIDTH - filled),
        done, total, loss, done / Math.max(seconds, 1e-9));
    if (inPlace) out.print("\r" + line);
    else out.println(line);
    out.flush();
  }

  void finish() {
    if (enabled && inPlace) out.println();
  }
}
