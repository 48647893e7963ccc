package dev.halogen.backend.interp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.halogen.ir.Buffer;
import dev.halogen.ir.LoweredModule;
import dev.halogen.ir.LoweredModule.ArgumentKind;
import dev.halogen.ir.Type;
import dev.halogen.ir.text.IrParser;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** The harness of the before-and-after tests ({@link Interp}) must catch what it is there to catch. */
class InterpTest {
  static final LoweredModule COPY = IrParser.parseModule("""
      module copy

      entry copy(in in: int32 [1], k: int32, out out: int32 [1]) {
        for (x, 0, out.extent.0) {
          out[x] = in[x] + k
        }
      }
      """);

  static Map<String, Buffer> one(String name, Buffer b) {
    return Map.of(name, b);
  }

  @Test
  void aDifferenceNamesTheOutputTheCoordinatesAndTheValues() {
    Buffer want = Buffer.of(new int[] {1, 2, 3, 4, 5, 6}, 3, 2);
    Buffer got = Buffer.of(new int[] {1, 2, 3, 4, 9, 6}, 3, 2);
    AssertionFailedError e = assertThrows(AssertionFailedError.class,
        () -> Interp.assertSameOutputs(one("out", want), one("out", got), () -> "after the pass"));
    assertEquals("output out differs at [1, 1]: 5 before, 9 after (1 of 6 elements differ)\nafter the pass", e.getMessage());
  }

  @Test
  void floatsCompareByTheirBits() {
    Buffer zero = Buffer.of(new float[] {0f, Float.NaN}, 2);
    Interp.assertSameOutputs(one("f", zero), one("f", Buffer.of(new float[] {0f, Float.NaN}, 2)), () -> "");
    AssertionFailedError e = assertThrows(AssertionFailedError.class,
        () -> Interp.assertSameOutputs(one("f", zero), one("f", Buffer.of(new float[] {-0f, Float.NaN}, 2)), () -> ""));
    assertEquals("output f differs at [0]: 0.0 before, -0.0 after (1 of 2 elements differ)", e.getMessage());
  }

  @Test
  void outputsMustHaveTheSameNamesAndBounds() {
    Buffer b = Buffer.of(new int[] {1, 2}, 2);
    assertThrows(AssertionFailedError.class, () -> Interp.assertSameOutputs(one("out", b), one("other", b), () -> ""));
    assertThrows(AssertionFailedError.class,
        () -> Interp.assertSameOutputs(one("out", b), one("out", b.withMins(1)), () -> ""));
    assertThrows(AssertionFailedError.class,
        () -> Interp.assertSameOutputs(one("out", b), one("out", Buffer.of(new int[] {1, 2, 3}, 3)), () -> ""));
  }

  @Test
  void outcomesAgreeWhenBothFailAndDisagreeWhenOneDoes() {
    Map<String, Object> inputs = Map.of("in", Buffer.of(new int[] {1, 2, 3}, 3), "k", 10);
    Interp.Outcome ok = Interp.outcome(COPY, inputs, Interp.buffers(COPY, ArgumentKind.OUTPUT_BUFFER, a -> Buffer.allocate(a.type(), 3)));
    assertNull(ok.failure());
    assertArrayEquals(new int[] {11, 12, 13}, Interp.ints(ok.outputs().get("out")));
    // The output is longer than the input: the load of in[3] fails.
    Interp.Outcome failed = Interp.outcome(COPY, inputs, Map.of("out", Buffer.allocate(Type.I32, 4)));
    assertTrue(failed.failure() != null && failed.failure().contains("in"), failed.failure());
    assertFalse(Interp.assertSameOutcome(failed, failed, () -> ""));
    assertTrue(Interp.assertSameOutcome(ok, ok, () -> ""));
    AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> Interp.assertSameOutcome(ok, failed, () -> "where"));
    assertEquals("before, the run succeeded; after, the run failed with: " + failed.failure() + "\nwhere", e.getMessage());
    assertThrows(AssertionFailedError.class, () -> failed.succeeded(() -> "where"));
  }

  @Test
  void randomBuffersAreReproducibleAndInTheirRange() {
    Interp.Values small = (t, r) -> r.nextInt(-3, 4);
    Buffer a = Interp.random(Type.I16, new int[] {-2, 5}, new int[] {4, 3}, small, new Random(7));
    Buffer b = Interp.random(Type.I16, new int[] {-2, 5}, new int[] {4, 3}, small, new Random(7));
    assertEquals(a, b);
    assertEquals("[-2, 1] x [5, 7]", a.boundsText());
    a.forEachCoordinate(c -> assertTrue(a.getAsLong(c) >= -3 && a.getAsLong(c) <= 3, a.getAsLong(c) + " out of range"));
    Buffer bits = Buffer.allocate(Type.BOOL, 16);
    Interp.fillBits(bits, new Random(3));
    bits.forEachCoordinate(c -> assertTrue(bits.getAsLong(c) == 0 || bits.getAsLong(c) == 1));
  }

  @Test
  void buffersFollowTheArgumentOrderOfTheKindAsked() {
    LoweredModule m = IrParser.parseModule("""
        module m

        entry m(in b: int32 [1], in a: int32 [2], n: int32, out z: uint8 [1], out y: float32 [1]) {
          z[0] = 1u8
        }
        """);
    Map<String, Buffer> outputs = Interp.buffers(m, ArgumentKind.OUTPUT_BUFFER, a -> Buffer.allocate(a.type(), 2));
    assertEquals(List.of("z", "y"), List.copyOf(outputs.keySet()));
    assertEquals(Type.F32, outputs.get("y").type());
    assertEquals(List.of("b", "a"), List.copyOf(Interp.buffers(m, ArgumentKind.INPUT_BUFFER, a -> Buffer.allocate(a.type(), 1)).keySet()));
  }
}
