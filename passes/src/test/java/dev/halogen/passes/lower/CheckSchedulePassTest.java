package dev.halogen.passes.lower;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.halogen.ir.text.IrParser;
import dev.halogen.passes.IrProperty;
import dev.halogen.passes.IrUnit;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** check-schedule: races of unordered reduction loops and atomic updates that are not associative. */
class CheckSchedulePassTest {
  static String hist(String schedule) {
    return """
        pipeline outputs(hist)
        image in: uint8 [2]

        func hist(i): int32 {
          hist(i) = 0
          over r(r.x [0, 16], r.y [0, 8]) {
            hist(cast<int32>(in(r.x, r.y))) = hist(cast<int32>(in(r.x, r.y))) + 1
            schedule {
              %s
            }
          }
        }
        """.formatted(schedule);
  }

  static String refusal(String text) {
    return assertThrows(ScheduleException.class, () -> CheckSchedulePass.check(IrParser.parsePipeline(text))).getMessage();
  }

  static void accepted(String text) {
    assertDoesNotThrow(() -> CheckSchedulePass.check(IrParser.parsePipeline(text)));
  }

  @Test
  void anUnorderedReductionLoopOfAScatterRaces() {
    assertEquals("Func hist update 0: loop r.x is vectorized but it is a reduction variable, and iterations may write the"
        + " same element of hist: use atomic() or rfactor", refusal(hist("loops(r.x rvar vectorized, r.y rvar)")));
    assertEquals("Func hist update 0: loop ryo is parallel but it iterates the reduction variable r.y, and iterations may"
        + " write the same element of hist: use atomic() or rfactor",
        refusal(hist("split(r.y, ryo, ryi, 4)\n      loops(r.x rvar, ryi rvar, ryo rvar parallel)")));
    assertEquals("Func hist update 0: loop t is gpu_block but it iterates the reduction variable r.x, and iterations may"
        + " write the same element of hist: use atomic() or rfactor",
        refusal(hist("fuse(r.x, r.y, t)\n      loops(t rvar gpu_block on default_gpu)")));
  }

  @Test
  void atomicAllowsUnorderedReductionLoopsOfAnAssociativeUpdate() {
    accepted(hist("loops(r.x rvar vectorized, r.y rvar parallel)\n      atomic"));
  }

  @Test
  void iterationsThatWriteDistinctElementsDoNotRace() {
    // Each r.x writes and reads only f(r.x): parallel is safe without atomic().
    String text = """
        pipeline outputs(f)
        image in: int32 [1]

        func f(x): int32 {
          f(x) = 0
          over r(r.x [0, 10]) {
            f(r.x) = f(r.x) * 2 + in(r.x)
            schedule {
              loops(r.x rvar parallel)
            }
          }
        }
        """;
    accepted(text);
    // A scan reads f(r.x - 1), written by another iteration.
    assertEquals("Func f update 0: loop r.x is parallel but it is a reduction variable, and iterations may write the same"
        + " element of f: use atomic() or rfactor", refusal(text.replace("f(r.x) * 2 + in(r.x)", "f(r.x) + f(r.x - 1)")));
  }

  static String atomic(String value, String extra) {
    return """
        pipeline outputs(f)
        image in: int32 [1]

        func f(): (int32, int32) {
          f() = {0, 0}
          over r(r.x [0, 10]) {
            f() = %s
            schedule {
              loops(r.x rvar parallel)
              atomic%s
            }
          }
        }
        """.formatted(value, extra);
  }

  @Test
  void atomicNeedsAnAssociativeAndCommutativeUpdate() {
    assertEquals("Func f update 0: atomic() needs an associative update: update of f, value 0: subtraction is not"
        + " associative (a sum of negated terms is written f + (0 - e))", refusal(atomic("{f()[0] - in(r.x), f()[1]}", "")));
    assertEquals("Func f update 0: atomic() needs a commutative update, but f's update is an argmin, where which of equal"
        + " keys wins depends on the order",
        refusal(atomic("{select(in(r.x) < f()[1], r.x, f()[0]), min(f()[1], in(r.x))}", "")));
    accepted(atomic("{f()[0] - in(r.x), f()[1]}", "\n      override_associativity_test"));
    accepted(atomic("{f()[0] + in(r.x), max(f()[1], in(r.x))}", ""));
    // Overwriting with a value that reads neither f nor r: every order gives the same result.
    accepted(atomic("{7, in(3)}", ""));
  }

  @Test
  void contractNeverChangesTheGraph() {
    CheckSchedulePass pass = new CheckSchedulePass();
    PassUnits.assertContract(pass, "check-schedule",
        Set.of(IrProperty.FUNCTION_GRAPH, IrProperty.GRAPH_VERIFIED),
        Set.of(),
        Set.of());
    IrUnit in = IrUnit.of(IrParser.parsePipeline(hist("loops(r.x rvar, r.y rvar parallel)\n      atomic")));
    assertSame(in, pass.run(in));
  }
}
