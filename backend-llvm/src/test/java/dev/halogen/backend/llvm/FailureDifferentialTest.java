package dev.halogen.backend.llvm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.halogen.backend.llvm.Differential.Fill;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Run-time failures: the llvm backend fails where the interpreter does, with the same message
 * (checked against the interpreter by the harness, and against the expected text here), both with
 * the JIT and compiled ahead of time (the message of the C runtime).
 */
class FailureDifferentialTest {
  @TempDir Path dir;

  /** The failure's message, the same with the JIT and in a C program that calls the module compiled ahead of time. */
  private String failure(String text, Object... scalars) {
    Differential d = Differential.of(text).allBuffers(Fill.SMALL, 64);
    for (int i = 0; i < scalars.length; i += 2) d.scalar((String) scalars[i], scalars[i + 1]);
    String jit = d.check(1).failure();
    if (AotProgram.canBuild()) assertEquals(jit, d.checkAot(1, dir, "failure").failure(), "the C program's message");
    return jit;
  }

  @Test
  void anAssertionFillsItsMessageWithItsArgumentsOfEveryType() {
    String message = failure("""
        module m
        entry m(out o: int32 [1], n: int32, b: uint64, h: float16, d: float64) {
          for (x, 0, 64) {
            o[x] = x
            assert(x < n, "x = {} (int8 {}, uint64 {}, bool {}, float16 {}, float32 {}, float64 {}, {}, lanes {} {})", x,
                cast<int8>(x * 100), b, x > 3, h, 0.1f, d, "text", ramp(x, -3, 4), broadcast(cast<float32>(x) * 0.5f, 2))
          }
        }
        """, "n", 5, "b", new java.math.BigInteger("18446744073709551615"), "h", 0.1f, "d", -1.5e300);
    assertEquals("x = 5 (int8 -12, uint64 18446744073709551615, bool true, float16 0.099975586, float32 0.1, float64 -1.5E300, text,"
        + " lanes [5, 2, -1, -4] [2.5, 2.5])", message);
  }

  @Test
  void placeholdersBeyondTheArgumentsStayAndArgumentsBeyondThePlaceholdersAreAppended() {
    assertEquals("a 3 b {}", failure("""
        module m
        entry m(out o: int32 [1]) {
          assert(o.extent.0 < 0, "a {} b {}", 3)
        }
        """));
    assertEquals("only 3 (4, 5)", failure("""
        module m
        entry m(out o: int32 [1]) {
          assert(false, "only {}", 3, 4, 5)
        }
        """));
  }

  @Test
  void messageTextWithQuotesBackslashesQuestionMarksControlsAndNonAsciiCharacters() {
    // The C runtime has the text as C string literals: each of these needs escaping there ("??=" is a trigraph).
    assertEquals("say \"{}\" \\ ??= ?\n\ttab \u00e9t\u00e9 \u4e2d 7 and \"quoted\"", failure("""
        module m
        entry m(out o: int32 [1]) {
          assert(false, "say \\"{}\\" \\\\ ??= ?\\n\\ttab \\u00e9t\\u00e9 \\u4e2d {} and {}", "{}", 7, "\\"quoted\\"")
        }
        """));
  }

  @Test
  void aLoopWhoseVariableWouldLeaveTheInt32Range() {
    assertEquals("loop x from 2147483600 with extent 100 goes beyond the int32 range", failure("""
        module m
        entry m(out o: int32 [1], start: int32) {
          for (x, start, 100) {
            o[0] = x
          }
        }
        """, "start", 2147483600));
  }

  @Test
  void allocationsWithANegativeExtentOrTooManyElements() {
    String text = """
        module m
        entry m(out o: int8 [1], n: int32, k: int32) {
          allocate t: int8 [k, n, n] {
            t[0] = 1i8
            o[0] = t[0]
          }
        }
        """;
    assertEquals("Allocate of t: extent -3 of dimension 1 is negative", failure(text, "n", -3, "k", 2));
    assertEquals("Allocate of t: the extents [2, 65536, 65536] give more than 2147483647 elements, more than int32 flat indices address",
        failure(text, "n", 65536, "k", 2));
  }

  @Test
  void aFailureInsideAllocationsAndLocksReleasesThemAndTheNextRunWorks() {
    // The failing run frees the heap allocation and releases the lock it holds; if it did not, the
    // second run would wait for the lock forever.
    Differential d = Differential.of("""
        module m
        entry m(in a: int32 [1], out o: int32 [1], stop: int32) {
          allocate t: int32 [a.extent.0] in heap {
            for (x, 0, 64) {
              atomic o mutex o.lock {
                t[x] = a[x] * 2
                assert(x != stop, "stopped at {}", x)
                o[x] = t[x]
              }
            }
          }
        }
        """).allBuffers(Fill.SMALL, 64);
    assertEquals("stopped at 9", d.scalar("stop", 9).check(1).failure());
    assertEquals(null, d.scalar("stop", -1).check(1).failure());
  }
}
