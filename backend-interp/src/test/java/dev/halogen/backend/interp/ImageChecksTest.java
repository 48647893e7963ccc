package dev.halogen.backend.interp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.halogen.ir.Buffer;
import dev.halogen.ir.Type;
import dev.halogen.passes.HalogenRuntimeException;
import dev.halogen.passes.PassFailedException;
import dev.halogen.passes.lower.ScheduleException;
import java.lang.foreign.Arena;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code add-image-checks} end to end, through the default lowering pipeline: a buffer too small
 * for what the pipeline accesses fails the run with a message naming it, the dimension, the region
 * accessed and the region held, before anything is written to any output.
 */
class ImageChecksTest {
  private static final int UNTOUCHED = -7;

  /** An int32 buffer over {@code [min, min + extent)} in each dimension holding {@link #UNTOUCHED}. */
  static Buffer untouched(int[] mins, int[] extents) {
    Buffer b = Buffer.allocate(Arena.ofAuto(), Type.I32, mins, extents);
    b.forEachCoordinate(c -> b.setInt(UNTOUCHED, c));
    return b;
  }

  static Buffer untouched(int extent) {
    return untouched(new int[] {0}, new int[] {extent});
  }

  static int[] filled(int n, int v) {
    int[] out = new int[n];
    Arrays.fill(out, v);
    return out;
  }

  static final String POINTWISE = """
      pipeline outputs(out)
      image in: int32 [1]

      func out(x): int32 {
        out(x) = in(x) + 1
      }
      """;

  @Test
  void anInputTooSmallFailsBeforeAnyOutputIsWritten() {
    Buffer out = untouched(8);
    String message = Interp.failure(Interp.lower(POINTWISE), Map.of("in", Buffer.of(new int[] {1, 2, 3, 4, 5, 6}, 6), "out", out));
    assertEquals("Input buffer in is accessed at dimension 0 over [0, 7], but the buffer holds [0, 5]", message);
    assertArrayEquals(filled(8, UNTOUCHED), Interp.ints(out));
    // Without the checks the loops write the first six points before the read of in(6) fails.
    Buffer unchecked = untouched(8);
    assertThrows(HalogenRuntimeException.class,
        () -> Interp.run(ScheduleFunctionsTest.lower(POINTWISE), Map.of("in", Buffer.of(new int[] {1, 2, 3, 4, 5, 6}, 6), "out", unchecked)));
    assertEquals(2, unchecked.getInt(0));
  }

  @Test
  void theMessageNamesTheDimensionWithItsOwnMins() {
    String text = """
        pipeline outputs(out)
        image in: int32 [2]

        func out(x, y): int32 {
          out(x, y) = in(x, y - 1) + in(x, y + 1)
        }
        """;
    int[] mins = {-2, 3}, extents = {4, 5};
    Buffer out = untouched(mins, extents);
    // y is read over [3 - 1, 7 + 1]; the input has the output's shape.
    String message = Interp.failure(Interp.lower(text), Map.of("in", untouched(mins, extents), "out", out));
    assertEquals("Input buffer in is accessed at dimension 1 over [2, 8], but the buffer holds [3, 7]", message);
    assertArrayEquals(filled(20, UNTOUCHED), Interp.ints(out));
    // With rows 2 .. 8 it runs.
    Buffer in = untouched(new int[] {-2, 2}, new int[] {4, 7});
    Interp.run(Interp.lower(text), Map.of("in", in, "out", out));
    assertEquals(2 * UNTOUCHED, out.getInt(-2, 3));
  }

  @Test
  void anOutputTooSmallForAScatteringUpdateFails() {
    String text = """
        pipeline outputs(out)
        image in: int32 [1]

        func out(x): int32 {
          out(x) = 0
          over r(r.x [0, 10]) {
            out(r.x) = out(r.x) + in(r.x)
          }
        }
        """;
    Buffer out = untouched(5);
    String message = Interp.failure(Interp.lower(text), Map.of("in", untouched(10), "out", out));
    assertEquals("Output buffer out is accessed at dimension 0 over [0, 9], but the buffer holds [0, 4]", message);
    assertArrayEquals(filled(5, UNTOUCHED), Interp.ints(out));
  }

  @Test
  void aConstantBufferTooSmallFails() {
    // lut holds 1, 2, 3, 4 at 0 .. 3.
    String text = """
        pipeline outputs(out)
        constant lut: int32 [0, 4] = "AQAAAAIAAAADAAAABAAAAA=="

        func out(x): int32 {
          out(x) = lut(x) * 2
        }
        """;
    Buffer out = untouched(6);
    assertEquals("Constant buffer lut is accessed at dimension 0 over [0, 5], but the buffer holds [0, 3]",
        Interp.failure(Interp.lower(text), Map.of("out", out)));
    assertArrayEquals(filled(6, UNTOUCHED), Interp.ints(out));
    Buffer fits = untouched(4);
    Interp.run(Interp.lower(text), Map.of("out", fits));
    assertArrayEquals(new int[] {2, 4, 6, 8}, Interp.ints(fits));
  }

  @Test
  void eachBufferOfATupleOutputIsChecked() {
    String text = """
        pipeline outputs(pair)
        image in: int32 [1]

        func pair(x): (int32, int32) {
          pair(x) = {in(x), in(x) * 2}
        }
        """;
    Map<String, Object> args = new HashMap<>();
    Buffer first = untouched(6), second = untouched(4);
    args.put("in", untouched(6));
    args.put("pair.0", first);
    args.put("pair.1", second);
    assertEquals("Output buffer pair.1 is accessed at dimension 0 over [0, 5], but the buffer holds [0, 3]",
        Interp.failure(Interp.lower(text), args));
    assertArrayEquals(filled(6, UNTOUCHED), Interp.ints(first));
  }

  @Test
  void anEmptyOutputAccessesNothing() {
    String text = """
        pipeline outputs(out)
        image in: int32 [1]

        func out(x): int32 {
          out(x) = in(x + 1) * 2
        }
        """;
    // The region accessed, [min + 1, min + extent], is empty for extent 0: an empty input will do.
    Interp.run(Interp.lower(text), Map.of("in", untouched(0), "out", untouched(0)));
  }

  @Test
  void anUnboundedImageAccessFailsTheLoweringNamingTheBufferAndDimension() {
    String text = """
        pipeline outputs(out)
        image in: int32 [1]

        func out(x): int32 {
          out(x) = in(in(x))
        }
        """;
    PassFailedException e = assertThrows(PassFailedException.class, () -> Interp.lower(text));
    assertEquals("add-image-checks", e.passName());
    ScheduleException cause = assertInstanceOf(ScheduleException.class, e.getCause());
    assertEquals("Input buffer in is accessed at dimension 0 over an unbounded range ([-inf, +inf]); clamp the coordinates"
        + " or use a boundary condition", cause.getMessage());
  }
}
