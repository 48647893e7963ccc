package dev.halogen.passes.lower;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.halogen.ir.IrVerifier;
import dev.halogen.ir.LoweredModule;
import dev.halogen.ir.text.IrParser;
import dev.halogen.passes.IrProperty;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class UnrollLoopsPassTest {
  static List<String> cases() {
    return GoldenCases.names(UnrollLoopsPass.NAME);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void goldenCase(String name) {
    LoweredModule out = GoldenCases.check(UnrollLoopsPass.NAME, name, m -> UnrollLoopsPass.unroll(m, Set.of("out")));
    IrVerifier.verify(out, true);
  }

  @Test
  void theGoldenDirectoryHoldsTheCases() {
    assertEquals(List.of("allocation_inside", "empty_and_single", "min_reads_memory", "nested_with_lets", "split_inner"),
        cases());
  }

  @Test
  void contract() {
    UnrollLoopsPass pass = new UnrollLoopsPass();
    PassUnits.assertContract(pass, "unroll-loops",
        Set.of(IrProperty.STORAGE_FLATTENED),
        Set.of(IrProperty.UNROLLED),
        Set.of(IrProperty.SIMPLIFIED, IrProperty.CSE_APPLIED));
  }

  @Test
  void aModuleWithoutUnrolledLoopsIsReturnedAsIs() {
    LoweredModule m = module("for (out.s0.x, 0, 4)");
    assertSame(m, UnrollLoopsPass.unroll(m, Set.of("out")));
  }

  private static LoweredModule module(String loop) {
    return IrParser.parseModule("""
        module out

        entry out(n: int32, out out: int32 [1]) {
          %s {
            out[0] = 1
          }
        }
        """.formatted(loop));
  }

  @Test
  void aNonConstantExtentFailsNamingTheFuncStageLoopAndExtent() {
    ScheduleException e = assertThrows(ScheduleException.class,
        () -> UnrollLoopsPass.unroll(module("unrolled for (out.s0.x.xi, 0, n * 2)"), Set.of("out")));
    assertEquals("Func out stage 0: cannot unroll loop out.s0.x.xi: its extent n * 2 is not a constant; split it by a"
        + " constant factor first", e.getMessage());
  }

  @Test
  void aLoopNameOfNoStageIsNamedAlone() {
    ScheduleException e = assertThrows(ScheduleException.class,
        () -> UnrollLoopsPass.unroll(module("unrolled for (u, 0, n)"), Set.of("out")));
    assertEquals("cannot unroll loop u: its extent n is not a constant; split it by a constant factor first", e.getMessage());
  }
}
