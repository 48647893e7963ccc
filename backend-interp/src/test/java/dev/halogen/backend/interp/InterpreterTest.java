package dev.halogen.backend.interp;

import static dev.halogen.backend.interp.Interp.compile;
import static dev.halogen.backend.interp.Interp.run;
import static dev.halogen.backend.interp.Interp.view;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.halogen.ir.Buffer;
import dev.halogen.ir.Type;
import dev.halogen.passes.CompiledModule;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Programs in lowered text form whose results are checked against the same computation as plain Java loops. */
class InterpreterTest {
  @Test
  void aFlattened1DBlurOverAStridedInputWithANonZeroMin() {
    CompiledModule m = compile("""
        module blur
        entry blur(in in: float32 [1], out out: float32 [1]) {
          for (x, out.min.0, out.extent.0) {
            out[(x - out.min.0) * out.stride.0] = (in[(x - 1 - in.min.0) * in.stride.0] + in[(x - in.min.0) * in.stride.0]
                + in[(x + 1 - in.min.0) * in.stride.0]) / 3.0f
          }
        }
        """);
    // in covers x in [-1, 8] at every other float of data: in(x) = data[2 * (x + 1)].
    float[] data = new float[20];
    for (int i = 0; i < data.length; i++) data[i] = i * 0.7f - 3.1f;
    Buffer in = view(data, new int[] {-1}, new int[] {10}, new long[] {2});
    Buffer out = Buffer.allocate(Type.F32, 8);
    run(m, Map.of("in", in, "out", out));
    for (int x = 0; x < 8; x++) {
      float expected = (data[2 * x] + data[2 * (x + 1)] + data[2 * (x + 2)]) / 3f;
      assertEquals(expected, out.getFloat(x), "out(" + x + ")");
    }
  }

  @Test
  void a2DPipelineOfARealizedProducerAndAConsumerProvidingTheOutput() {
    CompiledModule m = compile("""
        module pipe
        entry pipe(in in: int32 [2], out out: int32 [2]) {
          realize prod: int32 [out.min.0 - 1, out.extent.0 + 2] [out.min.1, out.extent.1] {
            produce prod {
              for (y, out.min.1, out.extent.1) {
                for (x, out.min.0 - 1, out.extent.0 + 2) {
                  prod(x, y) = in(x, y) * 2 + y
                }
              }
            }
            consume prod {
              for (y, out.min.1, out.extent.1) {
                for (x, out.min.0, out.extent.0) {
                  out(x, y) = prod(x - 1, y) + prod(x + 1, y) - prod(x, y)
                }
              }
            }
          }
        }
        """);
    Buffer in = Buffer.allocate(Type.I32, 8, 4).withMins(1, 1); // x in [1, 8], y in [1, 4]
    in.forEachCoordinate(c -> in.setInt(c[0] * c[0] * 10 - c[1] * 100 + 7, c));
    Buffer out = Buffer.allocate(Type.I32, 6, 4).withMins(2, 1); // x in [2, 7]
    run(m, Map.of("in", in, "out", out));
    for (int y = 1; y <= 4; y++) {
      for (int x = 2; x <= 7; x++) {
        int left = in.getInt(x - 1, y) * 2 + y;
        int mid = in.getInt(x, y) * 2 + y;
        int right = in.getInt(x + 1, y) * 2 + y;
        assertEquals(left + right - mid, out.getInt(x, y), "out(" + x + ", " + y + ")");
      }
    }
  }

  @Test
  void aTupleOutputIsOneBufferPerElement() {
    CompiledModule m = compile("""
        module tup
        entry tup(out f.0: float32 [1], out f.1: int32 [1]) {
          func f: (float32, int32)
          for (x, f.0.min.0, f.0.extent.0) {
            f(x) = {cast<float32>(x) * 0.5f, x * x}
          }
          for (x, f.0.min.0 + 1, f.0.extent.0 - 1) {
            f(x) = {f(x)[0] + f(x - 1)[0], f(x)[1] - f(x - 1)[1]}
          }
        }
        """);
    Buffer f0 = Buffer.allocate(Type.F32, 5).withMins(3);
    Buffer f1 = Buffer.allocate(Type.I32, 5).withMins(3);
    run(m, Map.of("f.0", f0, "f.1", f1));
    float[] a = new float[5];
    int[] b = new int[5];
    for (int i = 0; i < 5; i++) {
      a[i] = (i + 3) * 0.5f;
      b[i] = (i + 3) * (i + 3);
    }
    for (int i = 1; i < 5; i++) {
      a[i] = a[i] + a[i - 1];
      b[i] = b[i] - b[i - 1];
    }
    assertArrayEquals(a, f0.toFloatArray());
    assertArrayEquals(b, f1.toIntArray());
  }

  @Test
  void vectorLoadsAndStoresRunLaneByLaneAndSkipFalseLanes() {
    // Three vectors of 4 lanes over 10 elements: lanes 10 and 11 of the last are off, so they are not
    // read from in (which has 10 elements) nor written to out (a view of the first 10 of 12 floats).
    CompiledModule m = compile("""
        module vec
        entry vec(in in: float32 [1], out out: float32 [1]) {
          for (xo, 0, 3) {
            let i = ramp(xo * 4, 1, 4)
            let p = i < broadcast(out.extent.0, 4)
            out[i if p] = in[i if p] * broadcast(2.0f, 4) + cast<float32x4>(i)
          }
        }
        """);
    float[] inData = new float[10];
    for (int i = 0; i < 10; i++) inData[i] = 1.25f * i - 4;
    float[] outData = new float[12];
    java.util.Arrays.fill(outData, -99f);
    run(m, Map.of("in", view(inData, new int[] {0}, new int[] {10}, new long[] {1}),
        "out", view(outData, new int[] {0}, new int[] {10}, new long[] {1})));
    float[] expected = new float[12];
    for (int i = 0; i < 10; i++) expected[i] = inData[i] * 2f + i;
    expected[10] = -99f;
    expected[11] = -99f;
    assertArrayEquals(expected, outData);
  }

  @Test
  void anAllocationLivesUntilItsFree() {
    CompiledModule m = compile("""
        module sq
        entry sq(in in: int32 [1], out out: int32 [1]) {
          allocate tmp: int32 [out.extent.0, 1] {
            for (x, 0, out.extent.0) {
              tmp[x] = in[x] * in[x]
            }
            for (x, 0, out.extent.0) {
              out[x] = tmp[x] + tmp[out.extent.0 - 1 - x]
            }
            free tmp
          }
        }
        """);
    int[] in = {3, -1, 4, 1, -5, 9};
    Buffer out = Buffer.allocate(Type.I32, 6);
    run(m, Map.of("in", Buffer.of(in, 6), "out", out));
    int[] expected = new int[6];
    for (int x = 0; x < 6; x++) expected[x] = in[x] * in[x] + in[5 - x] * in[5 - x];
    assertArrayEquals(expected, out.toIntArray());
  }

  @Test
  void loopsOfEveryKindRunSeriallyInOrder() {
    CompiledModule m = compile("""
        module order
        entry order(out out: int64 [1]) {
          out[0] = 0i64
          parallel for (a, 0, 3) {
            vectorized for (b, 0, 2) {
              unrolled for (c, 0, 2) {
                gpu_block for (d, 0, 1) on cuda {
                  gpu_thread for (e, 0, 1) on cuda {
                    gpu_lane for (g, 0, 1) on cuda {
                      atomic out {
                        out[0] = out[0] * 16i64 + cast<int64>(a * 4 + b * 2 + c + d + e + g)
                      }
                    }
                  }
                }
              }
            }
          }
        }
        """);
    Buffer out = Buffer.allocate(Type.I64, 1);
    run(m, Map.of("out", out));
    long expected = 0;
    for (int a = 0; a < 3; a++) for (int b = 0; b < 2; b++) for (int c = 0; c < 2; c++) expected = expected * 16 + a * 4 + b * 2 + c;
    assertEquals(0x0123456789abL, expected);
    assertEquals(expected, out.getLong(0));
  }

  @Test
  void letsConditionalsAndScalarArguments() {
    CompiledModule m = compile("""
        module li
        entry li(in in: int32 [1], out out: int32 [1], t: int32) {
          for (x, 0, out.extent.0) {
            let v = in[x] * 3
            let w = v - t
            if (v > t) {
              out[x] = w
            } else if (v == t) {
              out[x] = 100
            } else {
              out[x] = select(v < 0, -1, 1)
            }
          }
        }
        """);
    int[] in = {5, 2, 0, -4, 1, 3};
    Buffer out = Buffer.allocate(Type.I32, 6);
    run(m, Map.of("in", Buffer.of(in, 6), "out", out, "t", 6));
    int[] expected = new int[6];
    for (int x = 0; x < 6; x++) {
      int v = in[x] * 3;
      expected[x] = v > 6 ? v - 6 : v == 6 ? 100 : v < 0 ? -1 : 1;
    }
    assertArrayEquals(expected, out.toIntArray());
  }

  @Test
  void narrowUnsignedStoresWrapAsTheirArithmeticDoes() {
    CompiledModule m = compile("""
        module u8
        entry u8(in a: uint8 [1], out o: uint8 [1], out w: uint16 [1]) {
          for (x, 0, 4) {
            o[x] = a[x] + 200u8
            w[x] = cast<uint16>(a[x]) * 300u16
          }
        }
        """);
    byte[] a = {(byte) 10, (byte) 55, (byte) 56, (byte) 255};
    Buffer o = Buffer.allocate(Type.U8, 4);
    Buffer w = Buffer.allocate(Type.U16, 4);
    run(m, Map.of("a", Buffer.of(a, 4), "o", o, "w", w));
    for (int x = 0; x < 4; x++) {
      int ax = a[x] & 0xff;
      assertEquals((ax + 200) & 0xff, o.getAsLong(x), "o(" + x + ")");
      assertEquals((ax * 300) & 0xffff, w.getAsLong(x), "w(" + x + ")");
    }
  }

  @Test
  void everyElementTypeRoundTripsThroughStorage() {
    // For each type: a value at the edge of its range goes through an Allocate, a Realize and the output.
    // {type, literal, the element read back (as unsigned, or as a double)}
    String[][] cases = {
        {"int8", "-128i8", "-128"}, {"int16", "-32768i16", "-32768"}, {"int32", "-2147483648", "-2147483648"},
        {"int64", "-9223372036854775808i64", "-9223372036854775808"}, {"uint8", "255u8", "255"}, {"uint16", "65535u16", "65535"},
        {"uint32", "4294967295u32", "4294967295"}, {"uint64", "18446744073709551615u64", "18446744073709551615"},
        {"float16", "-65504.0h", "-65504.0"}, {"float32", "3.4028235e38f", "3.4028234663852886E38"},
        {"float64", "-4.9e-324", "-4.9E-324"}, {"bool", "true", "true"}};
    for (String[] c : cases) {
      CompiledModule m = compile("""
          module types
          entry types(out out: %1$s [1]) {
            allocate t: %1$s [1] {
              t[0] = %2$s
              realize r: %1$s [5, 1] {
                r(5) = t[0]
                out[0] = r(5)
              }
            }
          }
          """.formatted(c[0], c[1]));
      Type type = Type.parse(c[0]);
      Buffer out = Buffer.allocate(type, 1);
      run(m, Map.of("out", out));
      String got = type.isFloat() ? Double.toString(out.getAsDouble(0))
          : type.isBool() ? Boolean.toString(out.getBool(0))
          : type.isUInt() ? Long.toUnsignedString(out.getAsLong(0)) : Long.toString(out.getAsLong(0));
      assertEquals(c[2], got, c[0]);
    }
  }

  @Test
  void constantsAreInputBuffersWithBoundsVariables() {
    Buffer lut = Buffer.of(new int[] {7, -2, 30}, 3).withMins(-1);
    String data = Base64.getEncoder().encodeToString(lut.toLittleEndianBytes());
    CompiledModule m = compile("""
        module c
        constant lut: int32 [-1, 3] = "%s"
        entry c(out a: int32 [1], out b: int32 [1]) {
          for (x, lut.min.0, lut.extent.0) {
            a(x - lut.min.0) = lut(x) * 2
            b[x - lut.min.0] = lut[(x - lut.min.0) * lut.stride.0] + lut.extent.0
          }
        }
        """.formatted(data));
    Buffer a = Buffer.allocate(Type.I32, 3);
    Buffer b = Buffer.allocate(Type.I32, 3);
    run(m, Map.of("a", a, "b", b));
    assertArrayEquals(new int[] {14, -4, 60}, a.toIntArray());
    assertArrayEquals(new int[] {10, 1, 33}, b.toIntArray());
  }

  @Test
  void aRealizationOrAllocationWhoseConditionIsFalseIsNotMade() {
    CompiledModule m = compile("""
        module cond
        entry cond(out out: int32 [1], n: int32) {
          realize f: int32 [0, 4] if n > 0 {
            allocate t: int32 [4] if n > 1 {
              if (n > 1) {
                t[0] = 40
              }
              if (n > 0) {
                f(0) = 2
              }
              out[0] = select(n > 0, 1, 0)
              free t
            }
          }
        }
        """);
    Buffer out = Buffer.allocate(Type.I32, 1);
    run(m, Map.of("out", out, "n", 0));
    assertEquals(0, out.getInt(0));
    run(m, Map.of("out", out, "n", 1));
    assertEquals(1, out.getInt(0));
  }
}
