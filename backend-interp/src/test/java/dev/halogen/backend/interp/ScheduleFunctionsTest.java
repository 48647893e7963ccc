package dev.halogen.backend.interp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.halogen.ir.Buffer;
import dev.halogen.ir.LoweredModule;
import dev.halogen.ir.Type;
import dev.halogen.ir.text.IrParser;
import dev.halogen.ir.text.IrPrinter;
import dev.halogen.passes.HalogenRuntimeException;
import dev.halogen.passes.Instrumentation;
import dev.halogen.passes.PassFailedException;
import dev.halogen.passes.PassManager;
import dev.halogen.passes.VerifyGraphPass;
import dev.halogen.passes.lower.ScheduleException;
import dev.halogen.passes.lower.ScheduleFunctionsPass;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code schedule-functions} end to end: lower text pipelines, run them on interp, compare with Java loops. */
class ScheduleFunctionsTest {
  /** The loop nests of {@code text} as schedule-functions builds them (the later passes of the pipeline are tested on their own). */
  static LoweredModule lower(String text) {
    return PassManager.builder().add(new VerifyGraphPass()).add(new ScheduleFunctionsPass())
        .instrumentation(Instrumentation.forTests()).build().run(IrParser.parsePipeline(text)).result().asLoops("test").module();
  }

  /** The loop nests of {@code text} as schedule-functions builds them, before storage flattening. */
  static LoweredModule loops(String text) {
    return ScheduleFunctionsPass.lower(IrParser.parsePipeline(text));
  }

  /** Lowers {@code text}, runs its entry point with {@code args} and returns nothing: outputs are in the buffers. */
  static void run(String text, Map<String, Object> args) {
    Interp.run(lower(text), args);
  }

  /** The int32 output {@code out} of {@code n} points that pipeline {@code text} computes from the 1-D int32 image {@code in}. */
  static int[] outputOf(String text, int[] in, int n) {
    Buffer out = Buffer.allocate(Type.I32, n);
    run(text, Map.of("in", Buffer.of(in, in.length), "out", out));
    return Interp.ints(out);
  }

  static int[] ramp(int n, int scale, int offset) {
    int[] out = new int[n];
    for (int i = 0; i < n; i++) out[i] = (i * scale + offset) % 23;
    return out;
  }

  @Test
  void pointwise2d() {
    String text = """
        pipeline outputs(out)
        image in: int32 [2]
        param k: int32

        func out(x, y): int32 {
          out(x, y) = in(x, y) * 2 + k + y
        }
        """;
    int w = 5, h = 3;
    int[] data = ramp(w * h, 7, 1);
    Buffer out = Buffer.allocate(Type.I32, w, h);
    run(text, Map.of("in", Buffer.of(data, w, h), "k", 10, "out", out));
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) assertEquals(data[x + w * y] * 2 + 10 + y, out.getInt(x, y), "at " + x + ", " + y);
    }
  }

  static String blur(String producerSchedule) {
    return """
        pipeline outputs(blur)
        image in: int32 [1]

        func f(x): int32 {
          f(x) = in(x) * 3
          %s
        }

        func blur(x): int32 {
          blur(x) = f(x) + f(x + 1) + f(x + 2)
        }
        """.formatted(producerSchedule);
  }

  @Test
  void blurWithTheProducerAtRootAndInlineGivesTheSameResults() {
    int n = 8;
    int[] data = ramp(n + 2, 5, 2);
    int[] expected = new int[n];
    for (int x = 0; x < n; x++) expected[x] = 3 * (data[x] + data[x + 1] + data[x + 2]);
    for (String schedule : new String[] {"compute_root store_root", ""}) {
      Buffer out = Buffer.allocate(Type.I32, n);
      run(blur(schedule), Map.of("in", Buffer.of(data, n + 2), "blur", out));
      assertArrayEquals(expected, Interp.ints(out), schedule);
    }
  }

  @Test
  void blurLoopNestIsPinned() {
    assertEquals("""
        module blur

        entry blur(in in: int32 [1], out blur: int32 [1]) {
          realize f: int32 [blur.min.0, blur.extent.0 + 2] {
            produce f {
              for (f.s0.x, blur.min.0, blur.extent.0 + 2) {
                f(f.s0.x) = in(f.s0.x) * 3
              }
            }
            consume f {
              produce blur {
                for (blur.s0.x, blur.min.0, blur.extent.0) {
                  blur(blur.s0.x) = f(blur.s0.x) + f(blur.s0.x + 1) + f(blur.s0.x + 2)
                }
              }
            }
          }
        }
        """, IrPrinter.print(loops(blur("compute_root store_root"))));
  }

  @Test
  void histogramOfAnIntermediateCoversEveryBinTheUpdateWrites() {
    String text = """
        pipeline outputs(out)
        image in: uint8 [2]

        func hist(i): int32 {
          hist(i) = 0
          over r(r.x [in.min.0, in.extent.0], r.y [in.min.1, in.extent.1]) {
            hist(cast<int32>(in(r.x, r.y))) = hist(cast<int32>(in(r.x, r.y))) + 1
          }
          compute_root store_root
        }

        func out(i): int32 {
          out(i) = hist(i) * 10 + i
        }
        """;
    int w = 7, h = 5;
    byte[] data = new byte[w * h];
    for (int i = 0; i < data.length; i++) data[i] = (byte) ((i * 37 + 200) % 256);
    int[] expected = new int[256];
    for (byte b : data) expected[b & 0xff]++;
    for (int i = 0; i < 256; i++) expected[i] = expected[i] * 10 + i;
    // Only bins 0..15 are output, but the update writes anywhere in 0..255: hist must cover both.
    Buffer out = Buffer.allocate(Type.I32, 16);
    run(text, Map.of("in", Buffer.of(Type.U8, data, w, h), "out", out));
    int[] first = new int[16];
    System.arraycopy(expected, 0, first, 0, 16);
    assertArrayEquals(first, Interp.ints(out));
  }

  @Test
  void reductionWithWherePredicateSkipsExcludedPoints() {
    String text = """
        pipeline outputs(out)
        image in: int32 [1]

        func out(x): int32 {
          out(x) = 100
          over r(r.x [0, 10]) where r.x % 3 != 0 {
            out(x) = out(x) + in(r.x + x) * (r.x + 1)
          }
        }
        """;
    int n = 6;
    int[] data = ramp(n + 10, 3, 4);
    int[] expected = new int[n];
    for (int x = 0; x < n; x++) {
      expected[x] = 100;
      for (int r = 0; r < 10; r++) if (r % 3 != 0) expected[x] += data[r + x] * (r + 1);
    }
    assertArrayEquals(expected, outputOf(text, data, n));
  }

  static String split(String tail) {
    return """
        pipeline outputs(out)
        image in: int32 [1]

        func out(x): int32 {
          out(x) = in(x) * 2 + x
          schedule {
            split(x, xo, xi, 4%s)
            loops(xi, xo parallel)
          }
        }
        """.formatted(tail);
  }

  /** Checks that pipeline {@code text}, {@code out(x) = in(x) * 2 + x} under some schedule, computes that over 10 points. */
  static void assertComputesTwiceInPlusX(String text) {
    int n = 10;
    int[] data = ramp(n, 11, 3);
    int[] expected = new int[n];
    for (int x = 0; x < n; x++) expected[x] = data[x] * 2 + x;
    assertArrayEquals(expected, outputOf(text, data, n));
  }

  @Test
  void splitByANonDividingFactorIsGuarded() {
    // The output buffer is exactly 10 long: an unguarded 3 x 4 loop would write out of bounds.
    assertComputesTwiceInPlusX(split(", guard_with_if"));
    String printed = IrPrinter.print(loops(split(", guard_with_if")));
    assertEquals(true, printed.contains("parallel for (out.s0.xo, 0, (out.extent.0 + 3) / 4)")
        || printed.contains("for (out.s0.xo, 0, (out.extent.0 + 3) / 4, parallel)"), printed);
  }

  @Test
  void splitWhoseOuterLoopKeepsTheNameIsGuardedByTheNewLoops() {
    // vectorize(x, 8) and unroll(x, 4) split x into x and x.v / x.u: the guard must read the new
    // outer loop x, not be rewritten as if it read the old one.
    String text = """
        pipeline outputs(out)
        image in: int32 [1]

        func out(x): int32 {
          out(x) = in(x) * 2 + x
          schedule {
            split(x, x, xi, 4, guard_with_if)
            loops(xi, x)
          }
        }
        """;
    assertComputesTwiceInPlusX(text);
  }

  @Test
  void roundingUpPastTheEndOfAnOutputFailsNamingTheFunc() {
    PassFailedException e = assertThrows(PassFailedException.class, () -> lower(split(", round_up")));
    ScheduleException cause = assertInstanceOf(ScheduleException.class, e.getCause());
    assertEquals("Func out stage 0: split of x by 4 with tail strategy ROUND_UP would write past the end of output out;"
        + " use GUARD_WITH_IF or bound the output to a multiple of 4", cause.getMessage());
  }

  static String tiledBlur(String producerLevels) {
    return """
        pipeline outputs(out)
        image in: int32 [2]

        func f(x, y): int32 {
          f(x, y) = in(x, y) + in(x + 1, y) + in(x + 2, y)
          %s
        }

        func out(x, y): int32 {
          out(x, y) = f(x, y) + 2 * f(x, y + 1) + f(x, y + 2)
          schedule {
            split(x, xo, xi, 4, guard_with_if)
            split(y, yo, yi, 3, guard_with_if)
            loops(xi, yi, xo, yo)
          }
        }
        """.formatted(producerLevels);
  }

  @Test
  void computeAtATileLoopMatchesRootAndInline() {
    int w = 10, h = 7;
    int[] data = ramp((w + 2) * (h + 2), 13, 5);
    int[] expected = new int[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int[] f = new int[3];
        for (int j = 0; j < 3; j++) {
          int row = (y + j) * (w + 2);
          f[j] = data[row + x] + data[row + x + 1] + data[row + x + 2];
        }
        expected[x + w * y] = f[0] + 2 * f[1] + f[2];
      }
    }
    for (String levels : new String[] {"compute_at(out, 0, xo) store_at(out, 0, xo)",
        "compute_at(out, 0, yi) store_at(out, 0, yi)", "compute_at(out, 0, yi) store_at(out, 0, xo)",
        "compute_at(out, 0, xo) store_root", "compute_root store_root", ""}) {
      Buffer out = Buffer.allocate(Type.I32, w, h);
      run(tiledBlur(levels), Map.of("in", Buffer.of(data, w + 2, h + 2), "out", out));
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) assertEquals(expected[x + w * y], out.getInt(x, y), levels + " at " + x + ", " + y);
      }
    }
  }

  @Test
  void computeAtPutsTheRealizeInsideTheLoop() {
    String printed = IrPrinter.print(loops(tiledBlur("compute_at(out, 0, xo) store_at(out, 0, xo)")));
    int loop = printed.indexOf("for (out.s0.xo,");
    int realize = printed.indexOf("realize f:");
    assertEquals(true, loop >= 0 && realize > loop, printed);
  }

  @Test
  void storageInsideTheComputeLevelFailsNamingTheFunc() {
    ScheduleException e = assertThrows(ScheduleException.class, () -> ScheduleFunctionsPass.lower(
        IrParser.parsePipeline(tiledBlur("compute_at(out, 0, xo) store_at(out, 0, yi)"))));
    assertEquals("Func f is stored at(out, 0, yi) but computed at(out, 0, xo), which is not inside its storage level",
        e.getMessage());
  }

  @Test
  void storeRootComputeAtPutsTheRealizeOutsideTheLoops() {
    String printed = IrPrinter.print(loops(tiledBlur("compute_at(out, 0, yi) store_root")));
    int realize = printed.indexOf("realize f:");
    int produce = printed.indexOf("produce f {");
    assertEquals(true, realize >= 0 && realize < printed.indexOf("for (out.s0.yo,")
        && produce > printed.indexOf("for (out.s0.yi,"), printed);
  }

  @Test
  void computeAtALoopThatDoesNotExistFailsNamingTheFunc() {
    // The graph verifier rejects this first; the pass checks it too, as it is public on its own.
    ScheduleException e = assertThrows(ScheduleException.class, () -> ScheduleFunctionsPass.lower(
        IrParser.parsePipeline(tiledBlur("compute_at(out, 0, x) store_at(out, 0, x)"))));
    assertEquals("Func f is scheduled compute_at(out, 0, x), but stage 0 of out has no loop x", e.getMessage());
  }

  @Test
  void tupleValuedFuncWritesOneBufferPerElement() {
    String text = """
        pipeline outputs(pair)
        image in: int32 [1]

        func pair(x): (int32, int32) {
          pair(x) = {in(x) + 1, in(x) * x}
        }
        """;
    int n = 6;
    int[] data = ramp(n, 4, 9);
    Buffer a = Buffer.allocate(Type.I32, n), b = Buffer.allocate(Type.I32, n);
    Map<String, Object> args = new HashMap<>();
    args.put("in", Buffer.of(data, n));
    args.put("pair.0", a);
    args.put("pair.1", b);
    run(text, args);
    for (int x = 0; x < n; x++) {
      assertEquals(data[x] + 1, a.getInt(x));
      assertEquals(data[x] * x, b.getInt(x));
    }
  }

  static final String FUSED = """
      pipeline outputs(out)
      image in: int32 [2]

      func out(x, y): int32 {
        out(x, y) = in(x, y) * 3 - x * y
        schedule {
          rename(x, xx)
          fuse(xx, y, t)
          split(t, to, ti, 4, guard_with_if)
          loops(ti vectorized, to parallel)
        }
      }
      """;

  @Test
  void renameFuseAndSplitOfTheFusedLoopCoverEveryPointOnce() {
    int w = 5, h = 3;
    int[] data = ramp(w * h, 7, 2);
    Buffer out = Buffer.allocate(Type.I32, w, h);
    run(FUSED, Map.of("in", Buffer.of(data, w, h), "out", out));
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) assertEquals(data[x + w * y] * 3 - x * y, out.getInt(x, y), "at " + x + ", " + y);
    }
  }

  @Test
  void fusedLoopNestWithKindsIsPinned() {
    // t = to * 4 + ti runs over the w * h points; x = t % w, y = t / w; the guard stops at w * h. x and y
    // are clamped to their ranges (which they never leave) so that bounds inference sees those ranges.
    assertEquals("""
        module out

        entry out(in in: int32 [2], out out: int32 [2]) {
          produce out {
            parallel for (out.s0.to, 0, (out.extent.0 * out.extent.1 + 3) / 4) {
              vectorized for (out.s0.ti, 0, 4) {
                if (out.s0.ti + out.s0.to * 4 < out.extent.0 * out.extent.1) {
                  out(max(out.min.0, min(out.min.0 + min(out.s0.ti + out.s0.to * 4, out.extent.0 * out.extent.1 - 1) % out.extent.0, out.extent.0 + out.min.0 - 1)), max(out.min.1, min(out.min.1 + min(out.s0.ti + out.s0.to * 4, out.extent.0 * out.extent.1 - 1) / out.extent.0, out.extent.1 + out.min.1 - 1))) = in(max(out.min.0, min(out.min.0 + min(out.s0.ti + out.s0.to * 4, out.extent.0 * out.extent.1 - 1) % out.extent.0, out.extent.0 + out.min.0 - 1)), max(out.min.1, min(out.min.1 + min(out.s0.ti + out.s0.to * 4, out.extent.0 * out.extent.1 - 1) / out.extent.0, out.extent.1 + out.min.1 - 1))) * 3 - max(out.min.0, min(out.min.0 + min(out.s0.ti + out.s0.to * 4, out.extent.0 * out.extent.1 - 1) % out.extent.0, out.extent.0 + out.min.0 - 1)) * max(out.min.1, min(out.min.1 + min(out.s0.ti + out.s0.to * 4, out.extent.0 * out.extent.1 - 1) / out.extent.0, out.extent.1 + out.min.1 - 1))
                }
              }
            }
          }
        }
        """, IrPrinter.print(loops(FUSED)));
  }

  static final String UPDATE_WITH_PURE_LOOPS = """
      pipeline outputs(out)
      image in: int32 [1]

      func f(x): int32 {
        f(x) = in(x) + 1
        compute_root store_root
      }

      func out(x): int32 {
        out(x) = f(x)
        out(x) = out(x) * 2 + f(x + 1)
        schedule {
          split(x, xo, xi, 3)
          loops(xi unrolled, xo)
        }
      }
      """;

  @Test
  void updateWithPureLoopsAndASplitReadsTheRootProducer() {
    int n = 7;
    int[] data = ramp(n + 1, 9, 1);
    int[] expected = new int[n];
    for (int x = 0; x < n; x++) expected[x] = (data[x] + 1) * 2 + data[x + 1] + 1;
    assertArrayEquals(expected, outputOf(UPDATE_WITH_PURE_LOOPS, data, n));
  }

  @Test
  void aDataDependentReadWithoutClampFailsNamingTheFuncAndDimension() {
    String text = """
        pipeline outputs(out)
        image in: int32 [1]

        func f(x): int32 {
          f(x) = x * 2
          compute_root store_root
        }

        func out(x): int32 {
          out(x) = f(in(x))
        }
        """;
    PassFailedException e = assertThrows(PassFailedException.class, () -> lower(text));
    assertEquals("cannot infer the region of Func f to compute: dimension 0 (x) is read or written over the unbounded"
        + " interval [-inf, +inf]; clamp the coordinates", e.getCause().getMessage());
  }

  @Test
  void tupleValuedIntermediateAtRootFeedsItsConsumer() {
    String text = """
        pipeline outputs(out)
        image in: int32 [1]

        func mm(x): (int32, int32) {
          mm(x) = {min(in(x), in(x + 1)), max(in(x), in(x + 1))}
          compute_root store_root
        }

        func out(x): int32 {
          out(x) = mm(x)[1] * 100 + mm(x + 1)[0]
        }
        """;
    int n = 6;
    int[] data = ramp(n + 2, 17, 3);
    int[] expected = new int[n];
    for (int x = 0; x < n; x++) expected[x] = Math.max(data[x], data[x + 1]) * 100 + Math.min(data[x + 1], data[x + 2]);
    assertArrayEquals(expected, outputOf(text, data, n));
  }

  @Test
  void shiftInwardsRecomputesTheLastTileInsideTheExtent() {
    assertComputesTwiceInPlusX(split(", shift_inwards"));
    // Fewer points than the factor: no tile fits, and the check says so before anything is written.
    Buffer small = Buffer.allocate(Type.I32, 3);
    HalogenRuntimeException e = assertThrows(HalogenRuntimeException.class,
        () -> run(split(", shift_inwards"), Map.of("in", Buffer.of(ramp(10, 11, 3), 10), "out", small)));
    assertEquals("Func out stage 0: split of x with tail strategy SHIFT_INWARDS needs an extent of at least the factor 4,"
        + " but the extent is 3", e.getMessage());
  }

  @Test
  void aFuncComputedInsideALoopWhoseGuardsAllFailInAnIterationGetsAnEmptyRealization() {
    // Found by the fuzz test. xi (0 .. 2) is split by 4: xii runs to 3, outermost, and in its last
    // iteration the guard xii < 3 fails for every xo. f, computed at xo, is needed over nothing there:
    // its region's max is below its min, and its realization had a negative extent, which failed the run.
    String text = """
        pipeline outputs(out)
        image in: int32 [1]

        func f(x): int32 {
          f(x) = in(x) * 2
          compute_at(out, 0, xo) store_at(out, 0, xo)
        }

        func out(x): int32 {
          out(x) = f(x - 1)
          schedule {
            split(x, xo, xi, 3, guard_with_if)
            split(xi, xio, xii, 4, guard_with_if)
            loops(xio, xo, xii)
          }
        }
        """;
    int n = 10;
    int[] data = ramp(n + 1, 7, 2);
    int[] expected = new int[n];
    for (int x = 0; x < n; x++) expected[x] = data[x] * 2;
    Buffer in = Buffer.of(data, n + 1).withMins(-1);
    Buffer out = Buffer.allocate(Type.I32, n);
    run(text, Map.of("in", in, "out", out));
    assertArrayEquals(expected, Interp.ints(out));
    // And after the whole default lowering.
    Buffer lowered = Buffer.allocate(Type.I32, n);
    Interp.run(Interp.lower(text), Map.of("in", in, "out", lowered));
    assertArrayEquals(expected, Interp.ints(lowered));
  }

  @Test
  void aFuncReadOnlyUnderAPredicateThatNeverHoldsGetsAnEmptyRealization() {
    // Found by the fuzz test: bounds inference narrows r.x in [0, 2] by the predicate to [11, 2],
    // nothing, so f's region [out.min + 11, out.max + 2] is empty, and its realization had a
    // negative extent (out.extent - 9).
    String text = """
        pipeline outputs(out)
        image in: int32 [1]

        func f(x): int32 {
          f(x) = in(x) * 2
          compute_root store_root
        }

        func out(x): int32 {
          out(x) = x
          over r(r.x [0, 3]) where r.x > 10 {
            out(x) = out(x) + f(x + r.x)
          }
        }
        """;
    int n = 6;
    Buffer out = Buffer.allocate(Type.I32, n);
    run(text, Map.of("in", Buffer.of(new int[n + 2], n + 2), "out", out));
    assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5}, Interp.ints(out));
  }

  @Test
  void shiftInwardsOnAnUpdateFailsNamingTheFunc() {
    String text = """
        pipeline outputs(out)
        image in: int32 [1]

        func out(x): int32 {
          out(x) = in(x)
          out(x) = out(x) + 1
          schedule {
            split(x, xo, xi, 4, shift_inwards)
            loops(xi, xo)
          }
        }
        """;
    PassFailedException e = assertThrows(PassFailedException.class, () -> lower(text));
    assertEquals("Func out stage 1: split of x by 4 uses tail strategy SHIFT_INWARDS, which would apply the update twice"
        + " to some points (use GUARD_WITH_IF)", e.getCause().getMessage());
  }
}
