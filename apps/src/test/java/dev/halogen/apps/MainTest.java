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
}
