package dev.halogen.apps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MainTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return Main.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void demoDeblursAtASmallSizeAndWritesItsPictures(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    assertEquals(0, run("demo", "--size", "48", "--iterations", "60", "--kernel-iterations", "40", "--output", dir.toString(), "--no-progress"));
    String text = out.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("Halogen demo: deblurring a 48x48 image"), text);
    assertTrue(text.contains("PSNR: blurred "), text);
    assertTrue(text.contains("kernel: largest weight error"), text);
    for (String f : List.of("sharp.png", "blurred.png", "restored.png", "loss.png")) assertTrue(java.nio.file.Files.isRegularFile(dir.resolve(f)), f);
  }

  @Test
  void demoRejectsASizeOutOfRange() {
    assertEquals(2, run("demo", "--size", "4"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("halogen demo: --size must be in [16, 4096], got 4"), err.toString());
  }

  @Test
  void anUnknownCommandIsAUsageError() {
    assertEquals(2, run("frobnicate"));
    String e = err.toString(StandardCharsets.UTF_8);
    assertTrue(e.contains("unknown command 'frobnicate'"), e);
    assertTrue(e.contains("usage: halogen"), e);
  }

  @Test
  void benchForwardRejectsBadOptionsWithAUsageError() {
    assertEquals(2, run("bench", "forward", "--scale", "0"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("halogen bench forward: --scale must be in (0, 1], got 0.0"), err.toString());
    assertEquals(2, run("bench", "forward", "--reps"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("halogen bench forward: Missing required parameter for option '--reps' (N)"), err.toString());
    assertEquals(2, run("bench", "forward", "sharpen"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown benchmark 'sharpen'; the benchmarks are blur, conv5x5, bilateral, histogram"),
        err.toString());
  }
}
