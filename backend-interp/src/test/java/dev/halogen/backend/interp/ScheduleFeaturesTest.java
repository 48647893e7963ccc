package dev.halogen.backend.interp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.halogen.ir.Buffer;
import dev.halogen.ir.Definition;
import dev.halogen.ir.DeviceApi;
import dev.halogen.ir.Dim;
import dev.halogen.ir.ForKind;
import dev.halogen.ir.Function;
import dev.halogen.ir.Pipeline;
import dev.halogen.ir.Type;
import dev.halogen.ir.text.IrParser;
import dev.halogen.passes.HalogenRuntimeException;
import dev.halogen.passes.lower.ApplyRFactorPass;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * rfactor, atomic updates, ROUND_UP, explicit bounds and inline Funcs with updates, end to end:
 * lowered by the default pipeline, run on interp, compared with Java loops.
 */
class ScheduleFeaturesTest {
  static void run(Pipeline p, Map<String, Object> args) {
    Interp.run(Interp.lower(p), args);
  }

  static void run(String text, Map<String, Object> args) {
    run(IrParser.parsePipeline(text), args);
  }

  /** {@code text} with its rfactor requests applied and loop {@code var} of stage {@code stage} of {@code func} made {@code kind}. */
  static Pipeline factoredWith(String text, String func, int stage, String var, ForKind kind) {
    Pipeline q = ApplyRFactorPass.applyAll(IrParser.parsePipeline(text));
    Function f = q.function(func);
    Definition d = f.stage(stage);
    List<Dim> dims = d.schedule().dims().stream().map(x -> x.var().equals(var) ? x.withKind(kind, DeviceApi.HOST) : x).toList();
    return q.withFunction(f.withStage(stage, d.withSchedule(d.schedule().withDims(dims))));
  }

  static byte[] pixels(int n, int seed) {
    byte[] out = new byte[n];
    for (int i = 0; i < n; i++) out[i] = (byte) ((i * 37 + seed * 11 + (i * i) % 13) % 256);
    return out;
  }

  static final String HISTOGRAM = """
      pipeline outputs(hist)
      image in: uint8 [2]

      func hist(i): int32 {
        hist(i) = 0
        over r(r.x [in.min.0, in.extent.0], r.y [in.min.1, in.extent.1]) {
          hist(cast<int32>(in(r.x, r.y))) = hist(cast<int32>(in(r.x, r.y))) + 1
          schedule {
            %s
          }
        }
      }
      """;

  static int[] serialHistogram(byte[] data) {
    int[] expected = new int[256];
    for (byte b : data) expected[b & 0xff]++;
    return expected;
  }

  static int[] histogram(Pipeline p, byte[] data, int w, int h) {
    Buffer out = Buffer.allocate(Type.I32, 256);
    run(p, Map.of("in", Buffer.of(Type.U8, data, w, h), "hist", out));
    return Interp.ints(out);
  }

  @Test
  void histogramFactoredByRowsAndParallelOverThemEqualsTheSerialHistogram() {
    int w = 23, h = 9;
    byte[] data = pixels(w * h, 3);
    // Each row u counts into its own histogram, in parallel over u; the merge adds them up.
    Pipeline p = factoredWith(HISTOGRAM.formatted("rfactor(hist_intm, r.y -> u)"), "hist_intm", 1, "u", ForKind.PARALLEL);
    assertArrayEquals(serialHistogram(data), histogram(p, data, w, h));
  }

  @Test
  void atomicHistogramParallelOverRowsEqualsTheSerialHistogram() {
    int w = 17, h = 6;
    byte[] data = pixels(w * h, 5);
    String text = HISTOGRAM.formatted("loops(r.x rvar, r.y rvar parallel)\n          atomic");
    assertArrayEquals(serialHistogram(data), histogram(IrParser.parsePipeline(text), data, w, h));
  }

  @Test
  void floatSumOfSquaresFactoredByTilesIsTheSumWithinRounding() {
    String text = """
        pipeline outputs(sq)
        image in: float32 [1]

        func sq(): float32 {
          sq() = 0.0f
          over r(r.x [0, in.extent.0]) {
            sq() = sq() + in(r.x) * in(r.x)
            schedule {
              split(r.x, rxo, rxi, 8)
              loops(rxi rvar, rxo rvar)
              rfactor(sq_intm, rxo -> u)
            }
          }
        }
        """;
    int n = 1003; // 8 does not divide it: the last tile has 3 points, under the domain's predicate
    float[] data = new float[n];
    for (int i = 0; i < n; i++) data[i] = (float) Math.sin(i * 0.37) * 3.5f;
    double expected = 0;
    for (float v : data) expected += (double) v * v;
    Buffer out = Buffer.allocate(Type.F32);
    run(factoredWith(text, "sq_intm", 1, "u", ForKind.PARALLEL), Map.of("in", Buffer.of(data, n), "sq", out));
    double got = out.getFloat();
    assertEquals(expected, got, Math.abs(expected) * 1e-5, "sum of squares");
  }

  @Test
  void aSumOverAFusedAndSplitDomainFactoredByTheOuterTilesIsTheSum() {
    // r.x and r.y fused into t over 5 * 7 = 35 points, split into tiles of 4 (the last of 3): the
    // intermediate sums tile u, the merge adds the 9 tiles.
    String text = """
        pipeline outputs(total)
        image in: int32 [2]

        func total(): int32 {
          total() = 0
          over r(r.x [1, 5], r.y [2, 7]) {
            total() = total() + in(r.x, r.y) * (r.x + 10 * r.y)
            schedule {
              fuse(r.x, r.y, t)
              split(t, to, ti, 4)
              loops(ti rvar, to rvar)
              rfactor(total_intm, to -> u)
            }
          }
        }
        """;
    int w = 6, h = 9;
    int[] data = ScheduleFunctionsTest.ramp(w * h, 7, 3);
    int expected = 0;
    for (int y = 2; y < 9; y++) for (int x = 1; x < 6; x++) expected += data[x + w * y] * (x + 10 * y);
    Buffer out = Buffer.allocate(Type.I32);
    run(factoredWith(text, "total_intm", 1, "u", ForKind.PARALLEL), Map.of("in", Buffer.of(data, w, h), "total", out));
    assertEquals(expected, out.getInt());
  }

  @Test
  void argminFactoredByTilesFindsTheFirstMinimumLikeTheSerialLoop() {
    String text = """
        pipeline outputs(am)
        image in: int32 [1]

        func am(): (int32, int32) {
          am() = {0, 2147483647}
          over r(r.x [0, in.extent.0]) {
            am() = {select(in(r.x) < am()[1], r.x, am()[0]), min(am()[1], in(r.x))}
            schedule {
              split(r.x, rxo, rxi, 7)
              loops(rxi rvar, rxo rvar)
              rfactor(am_intm, rxo -> u)
            }
          }
        }
        """;
    int n = 60;
    int[] data = new int[n];
    for (int i = 0; i < n; i++) data[i] = 40 + (i * 17) % 29;
    // The minimum 3 appears in three tiles of 7; the serial loop keeps the first.
    data[9] = 3;
    data[23] = 3;
    data[24] = 3;
    data[58] = 3;
    int best = 0;
    for (int i = 1; i < n; i++) if (data[i] < data[best]) best = i;
    Buffer index = Buffer.allocate(Type.I32);
    Buffer value = Buffer.allocate(Type.I32);
    Map<String, Object> args = new HashMap<>();
    args.put("in", Buffer.of(data, n));
    args.put("am.0", index);
    args.put("am.1", value);
    run(factoredWith(text, "am_intm", 1, "u", ForKind.PARALLEL), args);
    assertEquals(9, best);
    assertEquals(best, index.getInt());
    assertEquals(3, value.getInt());
  }

  @Test
  void roundingUpAnInternalFuncComputesWholeTilesAndTheSameResults() {
    String text = """
        pipeline outputs(out)
        image in: int32 [1]

        func f(x): int32 {
          f(x) = in(x) * 3 + x
          schedule {
            split(x, xo, xi, 8, round_up)
            loops(xi, xo)
          }
          compute_root store_root
        }

        func out(x): int32 {
          out(x) = f(x) + f(x + 1)
        }
        """;
    int n = 10;
    // f is required over [0, 10], 11 points; rounded up to 16, which read in up to 15.
    int[] data = ScheduleFunctionsTest.ramp(16, 5, 2);
    Buffer out = Buffer.allocate(Type.I32, n);
    run(text, Map.of("in", Buffer.of(data, 16), "out", out));
    int[] expected = new int[n];
    for (int x = 0; x < n; x++) expected[x] = data[x] * 3 + x + data[x + 1] * 3 + x + 1;
    assertArrayEquals(expected, Interp.ints(out));
  }

  static final String BOUNDED = """
      pipeline outputs(out)
      image in: int32 [1]

      func f(x): int32 {
        f(x) = in(x) * 2
        compute_root store_root bound(x, 0, 100)
      }

      func out(x): int32 {
        out(x) = f(x) + f(x + 1)
        %s
      }
      """;

  @Test
  void aBoundedFuncIsComputedOverItsBoundAndChecksWhatIsRequired() {
    int[] data = ScheduleFunctionsTest.ramp(100, 7, 1);
    Buffer out = Buffer.allocate(Type.I32, 50);
    run(BOUNDED.formatted(""), Map.of("in", Buffer.of(data, 100), "out", out));
    int[] expected = new int[50];
    for (int x = 0; x < 50; x++) expected[x] = data[x] * 2 + data[x + 1] * 2;
    assertArrayEquals(expected, Interp.ints(out));
    // 100 outputs read f(100), past the bound.
    HalogenRuntimeException e = assertThrows(HalogenRuntimeException.class,
        () -> run(BOUNDED.formatted(""), Map.of("in", Buffer.of(data, 100), "out", Buffer.allocate(Type.I32, 100))));
    assertEquals("Func f is bounded to [0, 99] in dimension x (0), but [0, 100] of it is required", e.getMessage());
  }

  @Test
  void aBoundedOutputNeedsABufferOfExactlyItsBound() {
    int[] data = ScheduleFunctionsTest.ramp(100, 7, 1);
    Buffer out = Buffer.allocate(Type.I32, 99);
    run(BOUNDED.formatted("bound(x, 0, 99)"), Map.of("in", Buffer.of(data, 100), "out", out));
    assertEquals(data[98] * 2 + data[99] * 2, out.getInt(98));
    HalogenRuntimeException e = assertThrows(HalogenRuntimeException.class,
        () -> run(BOUNDED.formatted("bound(x, 0, 99)"), Map.of("in", Buffer.of(data, 100), "out", Buffer.allocate(Type.I32, 50))));
    assertEquals("Output Func out is bounded to [0, 98] in dimension x (0), but its buffer covers [0, 49]", e.getMessage());
  }

  static final String SUM_OF_THREE = """
      pipeline outputs(out)
      image in: int32 [2]

      func s(x, y): int32 {
        s(x, y) = 0
        over r(r.x [0, 3]) {
          s(x, y) = s(x, y) + in(x + r.x, y) * (r.x + 1)
        }
      }

      %s
      """;

  static int sumOfThree(int[] data, int w, int x, int y) {
    int s = 0;
    for (int r = 0; r < 3; r++) s += data[x + r + w * y] * (r + 1);
    return s;
  }

  @Test
  void anInlineFuncWithUpdatesFeedsItsConsumers() {
    int w = 6, h = 4;
    int[] data = ScheduleFunctionsTest.ramp((w + 2) * h, 9, 4);
    // One consumer: s is computed at out's innermost loop.
    Buffer out = Buffer.allocate(Type.I32, w, h);
    run(SUM_OF_THREE.formatted("""
        func out(x, y): int32 {
          out(x, y) = s(x, y) * 2 - x
        }
        """), Map.of("in", Buffer.of(data, w + 2, h), "out", out));
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) assertEquals(sumOfThree(data, w + 2, x, y) * 2 - x, out.getInt(x, y), "at " + x + ", " + y);
    }
    // Two consumers, g computed in out's loop over y: s is computed there, for both.
    Buffer both = Buffer.allocate(Type.I32, w, h);
    run(SUM_OF_THREE.formatted("""
        func g(x, y): int32 {
          g(x, y) = s(x, y) + y
          compute_at(out, 0, y) store_at(out, 0, y)
        }

        func out(x, y): int32 {
          out(x, y) = s(x, y) * 2 + g(x, y)
        }
        """), Map.of("in", Buffer.of(data, w + 2, h), "out", both));
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) assertEquals(sumOfThree(data, w + 2, x, y) * 3 + y, both.getInt(x, y), "at " + x + ", " + y);
    }
  }
}
