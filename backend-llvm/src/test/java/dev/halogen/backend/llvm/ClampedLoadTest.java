package dev.halogen.backend.llvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.halogen.backend.llvm.Differential.Fill;
import dev.halogen.ir.text.IrParser;
import org.junit.jupiter.api.Test;

/**
 * Loads at a ramp clamped to bounds (what boundary conditions and the clamped forward reads of
 * gradients make): a dense load where the ramp lies within the bounds, the gather elsewhere, with
 * the interpreter's values in both cases.
 */
class ClampedLoadTest {
  /**
   * Vectors of 8 over x in [0, 16): near both ends the ramps leave the bounds, in the middle they lie
   * inside. The bounds are constants or a scalar argument, on one side or both, in either order,
   * chained, and moved by an offset after the clamp.
   */
  private static final String CLAMPS = """
      module m
      entry m(in a: float32 [1], out o: float32 [1], out p: float32 [1], out q: float32 [1], out r: float32 [1], out s: float32 [1], k: int32) {
        for (x, 0, 16) {
          let i = ramp(x * 8, 1, 8)
          o[i] = a[max(min(ramp(x * 8 - 5, 1, 8), broadcast(90, 8)), broadcast(0, 8))]
          p[i] = a[min(max(ramp(x * 8 - 3, 1, 8), broadcast(2, 8)), broadcast(k, 8)) + broadcast(3, 8)]
          q[i] = a[min(ramp(x * 8, 1, 8), broadcast(k, 8)) - broadcast(1, 8) + broadcast(1, 8)]
          r[i] = a[max(max(min(min(ramp(x * 8 - 9, 1, 8), broadcast(119, 8)), broadcast(k + 4, 8)), broadcast(1, 8)), broadcast(-4, 8) + broadcast(6, 8))]
          s[i] = a[broadcast(5, 8) + max(ramp(x * 8 - 6, 1, 8), broadcast(0, 8))]
        }
      }
      """;

  @Test
  void clampedRampsReadWhatTheInterpreterReads() {
    for (int k : new int[] {100, 57, 3}) {
      Differential.of(CLAMPS).buffer("a", Fill.ANY, 140).allBuffers(Fill.ANY, 128).scalar("k", k).checkSeeds(3);
    }
  }

  @Test
  void aClampedRampIsADenseLoadInsideItsBounds() {
    String ir = LlvmBackend.llvmAssembly(IrParser.parseModule(CLAMPS), false);
    // One dense branch per load (LLVM numbers the repeated block names).
    assertEquals(5, java.util.regex.Pattern.compile("(?m)^clamped\\.then\\d*:").matcher(ir).results().count(), ir);
    // The edges keep the gather.
    assertTrue(ir.contains("llvm.masked.gather"), ir);
  }

  @Test
  void aRampClampedByVaryingBoundsStaysAGather() {
    String ir = LlvmBackend.llvmAssembly(IrParser.parseModule("""
        module m
        entry m(in a: float32 [1], in b: int32 [1], out o: float32 [1]) {
          for (x, 0, 4) {
            let i = ramp(x * 8, 1, 8)
            o[i] = a[min(ramp(x * 8, 1, 8), b[i])]
          }
        }
        """), false);
    assertFalse(ir.contains("clamped.then"), ir);
  }
}
