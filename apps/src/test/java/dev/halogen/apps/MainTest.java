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
  void demoPrintsTheGraphAndBothRoundTripsHold() {
    assertEquals(0, run("demo"));
    String text = out.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("pipeline outputs(blur_y)"), text);
    assertTrue(text.contains("param gain: float32 = 1.0f"), text);
    assertTrue(text.contains("blur_x(x, y) = (repeat_edge$0(x - 1, y) + repeat_edge$0(x, y) + repeat_edge$0(x + 1, y)) / 3.0f"), text);
    assertTrue(text.contains("\"format\": 1"), text);
    assertTrue(text.contains("text round trip: identical graph"), text);
    assertTrue(text.contains("JSON round trip: identical graph"), text);
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
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("--reps needs a value"), err.toString());
    assertEquals(2, run("bench", "forward", "sharpen"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown benchmark 'sharpen'; the benchmarks are blur, conv5x5, bilateral, histogram"),
        err.toString());
  }

  @Test
  void benchForwardOptionsDefaultToTheIssuesSizes() {
    var o = Main.forwardOptions(List.of("--scale", "0.5", "--reps", "3", "--halogen-only", "blur"));
    assertEquals(0.5, o.scale());
    assertEquals(3, o.repetitions());
    assertEquals(false, o.halide());
    assertEquals(List.of("blur"), o.cases());
    var d = Main.forwardOptions(List.of());
    assertEquals(1.0, d.scale());
    assertEquals(true, d.halide());
    assertEquals(List.of(), d.cases());
  }
}
