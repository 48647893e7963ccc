package dev.halogen.backend.interp;

import static dev.halogen.backend.interp.Interp.compile;
import static dev.halogen.backend.interp.Interp.failure;
import static dev.halogen.backend.interp.Interp.view;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.halogen.ir.Buffer;
import dev.halogen.ir.Type;
import dev.halogen.passes.CompiledModule;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every run-time failure is a HalogenRuntimeException whose message names what failed. */
class InterpreterErrorTest {
  static final Buffer OUT4 = Buffer.allocate(Type.I32, 4);

  @Test
  void aFailedAssertionGivesItsMessageWithTheArgumentsFilledIn() {
    CompiledModule m = compile("""
        module a
        entry a(out out: int32 [1], n: int32, k: float32) {
          assert(n < 10, "n = {} is not below {} (k = {})", n, 10, k)
          out[0] = n
        }
        """);
    assertEquals("n = 12 is not below 10 (k = 0.25)", failure(m, Map.of("out", OUT4.withMins(0), "n", 12, "k", 0.25f)));
    Buffer out = Buffer.allocate(Type.I32, 1);
    Interp.run(m, Map.of("out", out, "n", 9, "k", 0f));
    assertEquals(9, out.getInt(0));
  }

  @Test
  void aProvideOutsideItsRealization() {
    CompiledModule m = compile("""
        module p
        entry p(out out: int32 [1]) {
          realize f: int32 [0, 4] [0, 3] {
            for (y, 0, 3) {
              for (x, 0, 4) {
                f(x, y + 1) = x
              }
            }
          }
        }
        """);
    assertEquals("Provide to f at (0, 3) is outside the bounds of the realization of f: [0, 3] x [0, 2]",
        failure(m, Map.of("out", OUT4)));
  }

  @Test
  void aProvideOutsideTheOutputBuffer() {
    CompiledModule m = compile("""
        module p
        entry p(out out: int32 [1]) {
          for (x, -1, 4) {
            out(x) = x
          }
        }
        """);
    assertEquals("Provide to out at (-1) is outside the bounds of output buffer out: [0, 3]", failure(m, Map.of("out", OUT4)));
  }

  @Test
  void callsOutsideTheirFuncOrImage() {
    CompiledModule func = compile("""
        module c
        entry c(out out: int32 [1]) {
          realize f: int32 [0, 4] {
            for (x, 0, 4) {
              f(x) = x
            }
            for (x, 0, 4) {
              out(x) = f(x + 1)
            }
          }
        }
        """);
    assertEquals("Call to f at (4) is outside the bounds of the realization of f: [0, 3]", failure(func, Map.of("out", OUT4)));
    CompiledModule image = compile("""
        module c
        entry c(in in: int32 [2], out out: int32 [1]) {
          for (x, 0, 4) {
            out(x) = in(x * 3 + 3, 1)
          }
        }
        """);
    assertEquals("Call to image in at (12, 1) is outside the bounds of input buffer in: [2, 11] x [0, 1]",
        failure(image, Map.of("in", Buffer.allocate(Type.I32, 10, 2).withMins(2, 0), "out", OUT4)));
  }

  @Test
  void loadsOutsideTheirBuffer() {
    CompiledModule m = compile("""
        module l
        entry l(in in: float32 [1], out out: float32 [1], i: int32) {
          out[0] = in[i]
        }
        """);
    Buffer out = Buffer.allocate(Type.F32, 1);
    Buffer dense = Buffer.allocate(Type.F32, 10);
    assertEquals("Load from in at flat index 10 is outside input buffer in, which holds 10 element(s) (flat indices 0 .. 9)",
        failure(m, Map.of("in", dense, "out", out, "i", 10)));
    assertEquals("Load from in at flat index -1 is outside input buffer in, which holds 10 element(s) (flat indices 0 .. 9)",
        failure(m, Map.of("in", dense, "out", out, "i", -1)));
    // Every other float of an array: index 3 lies between two elements, in memory that is not in's.
    Buffer strided = view(new float[10], new int[] {-2}, new int[] {5}, new long[] {2});
    assertEquals("Load from in at flat index 3 is outside input buffer in, which holds 5 element(s) "
        + "(bounds [-2, 2], strides [2]: flat indices from 0 to 8 that the strides reach)",
        failure(m, Map.of("in", strided, "out", out, "i", 3)));
    Interp.run(m, Map.of("in", strided, "out", out, "i", 8));
    Buffer empty = Buffer.allocate(Type.F32, 0);
    assertEquals("Load from in at flat index 0 is outside input buffer in, which holds 0 element(s)",
        failure(m, Map.of("in", empty, "out", out, "i", 0)));
  }

  @Test
  void aTwoDimensionalLayoutIsCheckedExactly() {
    CompiledModule m = compile("""
        module l
        entry l(in in: int32 [2], out out: int32 [1], i: int32) {
          out[0] = in[i]
        }
        """);
    // A 3 x 2 window of a 5-wide image: rows start at 0 and 5, so 3 and 4 are outside the window.
    Buffer window = Buffer.wrap(Type.I32, java.lang.foreign.MemorySegment.ofArray(new int[10]), new int[] {0, 0}, new int[] {3, 2},
        new long[] {1, 5});
    Buffer out = Buffer.allocate(Type.I32, 1);
    for (int i : new int[] {0, 1, 2, 5, 6, 7}) Interp.run(m, Map.of("in", window, "out", out, "i", i));
    assertEquals("Load from in at flat index 4 is outside input buffer in, which holds 6 element(s) "
        + "(bounds [0, 2] x [0, 1], strides [1, 5]: flat indices from 0 to 7 that the strides reach)",
        failure(m, Map.of("in", window, "out", out, "i", 4)));
  }

  @Test
  void aVectorStoreWithALaneOutsideWritesNothing() {
    CompiledModule m = compile("""
        module s
        entry s(out out: int32 [1], base: int32) {
          out[ramp(base, 1, 4)] = ramp(100, 1, 4)
        }
        """);
    int[] data = {-1, -1, -1, -1, -1, -1};
    Buffer out = view(data, 0, 5);
    assertEquals("Store to out at flat index 5 is outside output buffer out, which holds 5 element(s) (flat indices 0 .. 4)",
        failure(m, Map.of("out", out, "base", 2)));
    assertArrayEquals(new int[] {-1, -1, -1, -1, -1, -1}, data);
    Interp.run(m, Map.of("out", out, "base", 1));
    assertArrayEquals(new int[] {-1, 100, 101, 102, 103, -1}, data);
  }

  @Test
  void aStoreOutsideAnAllocation() {
    CompiledModule m = compile("""
        module s
        entry s(out out: int32 [1]) {
          allocate tmp: int32 [2, 2] {
            for (x, 0, 5) {
              tmp[x] = x
            }
          }
        }
        """);
    assertEquals("Store to tmp at flat index 4 is outside allocation tmp, which holds 4 element(s) (flat indices 0 .. 3)",
        failure(m, Map.of("out", OUT4)));
  }

  @Test
  void inputsAndConstantsAreReadOnly() {
    CompiledModule input = compile("""
        module r
        entry r(in in: int32 [1], out out: int32 [1]) {
          in[0] = 1
        }
        """);
    assertEquals("Store to in: input buffer in is read-only", failure(input, Map.of("in", OUT4, "out", OUT4)));
    String lut = Base64.getEncoder().encodeToString(Buffer.of(new int[] {1, 2}, 2).toLittleEndianBytes());
    CompiledModule constant = compile("""
        module r
        constant lut: int32 [0, 2] = "%s"
        entry r(out out: int32 [1]) {
          lut[1] = 5
        }
        """.formatted(lut));
    assertEquals("Store to lut: constant lut is read-only", failure(constant, Map.of("out", OUT4)));
  }

  @Test
  void allocationsOfNegativeOrOversizedExtents() {
    CompiledModule m = compile("""
        module a
        entry a(out out: int32 [1], n: int32, m: int32) {
          allocate tmp: uint8 [n, m] {
            tmp[0] = 1u8
          }
        }
        """);
    assertEquals("Allocate of tmp: extent -3 of dimension 1 is negative", failure(m, Map.of("out", OUT4, "n", 2, "m", -3)));
    assertEquals("Allocate of tmp: the extents [65536, 65536] give more than 2147483647 elements, more than int32 flat indices address",
        failure(m, Map.of("out", OUT4, "n", 65536, "m", 65536)));
    CompiledModule r = compile("""
        module r
        entry r(out out: int32 [1], n: int32) {
          realize f: int32 [0, 2] [0, n] {
            f(0, 0) = 1
          }
        }
        """);
    assertEquals("Realize of f: extent -1 of dimension 1 is negative", failure(r, Map.of("out", OUT4, "n", -1)));
    CompiledModule far = compile("""
        module r
        entry r(out out: int32 [1]) {
          realize f: int32 [2147483647, 2] {
            f(0) = 1
          }
        }
        """);
    assertEquals("Realize of f: dimension 0 from 2147483647 with extent 2 goes beyond the int32 range", failure(far, Map.of("out", OUT4)));
  }

  @Test
  void storageIsGoneAfterItsFreeOrWhenItsConditionIsFalse() {
    CompiledModule m = compile("""
        module f
        entry f(out out: int32 [1], twice: bool) {
          allocate tmp: int32 [4] {
            tmp[0] = 3
            free tmp
            if (twice) {
              free tmp
            }
            out[0] = tmp[0]
          }
        }
        """);
    assertEquals("Load from tmp: tmp has no storage (it was freed)", failure(m, Map.of("out", OUT4, "twice", false)));
    assertEquals("Free of tmp: it was freed already", failure(m, Map.of("out", OUT4, "twice", true)));
    CompiledModule cond = compile("""
        module c
        entry c(out out: int32 [1]) {
          realize f: int32 [0, 4] if false {
            f(0) = 1
          }
        }
        """);
    assertEquals("Provide to f: f has no storage (its condition was false)", failure(cond, Map.of("out", OUT4)));
  }

  @Test
  void aLoopThatWouldLeaveTheInt32Range() {
    CompiledModule m = compile("""
        module l
        entry l(out out: int32 [1]) {
          for (x, 2147483646, 3) {
            out[0] = x
          }
        }
        """);
    assertEquals("loop x from 2147483646 with extent 3 goes beyond the int32 range", failure(m, Map.of("out", OUT4)));
  }
}
