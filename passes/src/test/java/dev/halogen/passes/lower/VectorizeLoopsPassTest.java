package dev.halogen.passes.lower;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.halogen.ir.ForKind;
import dev.halogen.ir.IrQueries;
import dev.halogen.ir.IrWalker;
import dev.halogen.ir.LoweredModule;
import dev.halogen.ir.Stmt;
import dev.halogen.ir.Stmt.For;
import dev.halogen.ir.text.IrParser;
import dev.halogen.ir.text.IrPrinter;
import dev.halogen.passes.IrProperty;
import dev.halogen.passes.IrUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class VectorizeLoopsPassTest {
  /** {@code body} as the body of an entry point with an int32 input {@code in}, scalars {@code k}, {@code m}, {@code n} and an int32 output {@code out}. */
  static LoweredModule module(String body) {
    return IrParser.parseModule("""
        module t

        entry t(in in: int32 [1], k: int32, m: int32, n: int32, out out: int32 [1]) {
        %s}
        """.formatted(body.indent(2)));
  }

  static String vectorized(String body) {
    return IrPrinter.print(VectorizeLoopsPass.vectorize(module(body)));
  }

  @Test
  void contract() {
    VectorizeLoopsPass pass = new VectorizeLoopsPass();
    PassUnits.assertContract(pass, "vectorize-loops",
        Set.of(IrProperty.LOOPS_BUILT, IrProperty.STORAGE_FLATTENED),
        Set.of(IrProperty.VECTORIZED),
        Set.of(IrProperty.SIMPLIFIED, IrProperty.CSE_APPLIED));
  }

  @Test
  void runsOnLoopNestsAndReturnsTheSameUnitWhenThereIsNoVectorizedLoop() {
    LoweredModule plain = module("""
        for (out.s0.x, 0, 4) {
          out[out.s0.x] = in[out.s0.x]
        }
        """);
    IrUnit.Loops unit = new IrUnit.Loops(plain, IrParser.parsePipeline("""
        pipeline outputs(out)
        image in: int32 [1]

        func out(x): int32 {
          out(x) = in(x)
        }
        """));
    assertSame(unit, new VectorizeLoopsPass().run(unit));
    LoweredModule vector = module("""
        vectorized for (out.s0.x, 0, 4) {
          out[out.s0.x] = in[out.s0.x]
        }
        """);
    IrUnit.Loops out = (IrUnit.Loops) new VectorizeLoopsPass().run(new IrUnit.Loops(vector, unit.source()));
    assertEquals(module("out[ramp(0, 1, 4)] = in[ramp(0, 1, 4)]\n"), out.module());
    assertSame(unit.source(), out.source());
  }

  @Test
  void aNonConstantExtentIsAScheduleErrorNamingTheFuncStageAndLoop() {
    LoweredModule m = module("""
        vectorized for (f.s0.x, 0, out.extent.0) {
          out[f.s0.x] = 1
        }
        """);
    ScheduleException e = assertThrows(ScheduleException.class, () -> VectorizeLoopsPass.vectorize(m));
    assertEquals("Func f stage 0: cannot vectorize loop f.s0.x: its extent out.extent.0 is not a constant; split it by a"
        + " constant factor first", e.getMessage());
  }

  @Test
  void loopNamesGiveTheFuncAndStage() {
    assertEquals("Func f stage 0", LoopNames.describe("f.s0.x"));
    assertEquals("Func blur_y stage 12", LoopNames.describe("blur_y.s12.r.x.xi"));
    assertEquals("Func sum$3 stage 1", LoopNames.describe("sum$3.s1.x.s2"));
    assertEquals("loop x", LoopNames.describe("x"));
    assertEquals("loop f.s.x", LoopNames.describe("f.s.x"));
  }

  @Test
  void anExtentThatSimplifiesToAConstantIsVectorized() {
    assertEquals(module("out[ramp(k, 1, 4)] = broadcast(1, 4)\n"), VectorizeLoopsPass.vectorize(module("""
        vectorized for (f.s0.x, k, 2 + 2) {
          out[f.s0.x] = 1
        }
        """)));
  }

  @Test
  void anEmptyLoopBecomesSerial() {
    assertEquals(module("""
        for (f.s0.x, k, 0) {
          out[f.s0.x] = 1
        }
        """), VectorizeLoopsPass.vectorize(module("""
        vectorized for (f.s0.x, k, 0) {
          out[f.s0.x] = 1
        }
        """)));
  }

  @Test
  void aBinderThatWouldCaptureTheMinIsRenamed() {
    // The loop variable becomes ramp(m, 1, 4); inside the let of m, that m would be the let's.
    assertEquals(IrPrinter.print(module("""
        let m$1 = 5
        out[ramp(m + m$1, 1, 4)] = in[ramp(m, 1, 4)] * broadcast(m$1, 4)
        """)), vectorized("""
        vectorized for (f.s0.x, m, 4) {
          let m = 5
          out[f.s0.x + m] = in[f.s0.x] * m
        }
        """));
  }

  @Test
  void aBinderThatWouldCaptureAVariableOfThePredicateOrAFactIsRenamed() {
    // The branches' stores are predicated by x < n (and the dense one knows it): the n of the let is another.
    assertEquals(IrPrinter.print(module("""
        if (3 < n) {
          let n$1 = 0
          out[ramp(0, 1, 4)] = broadcast(n$1, 4)
        } else {
          let n$2 = 0
          out[ramp(0, 1, 4) if ramp(0, 1, 4) < broadcast(n, 4)] = broadcast(n$2, 4)
        }
        """)), vectorized("""
        vectorized for (f.s0.x, 0, 4) {
          if (f.s0.x < n) {
            let n = 0
            out[f.s0.x] = n
          }
        }
        """));
    // Knowing x < k (the outer k) proves nothing about min(x, k - 1) of the inner k: the store is a scatter.
    assertEquals("two lanes may store to the same element of out (a scatter)", reason("""
        vectorized for (f.s0.x, 0, 8) {
          if (f.s0.x < k) {
            let k = 2
            out[min(f.s0.x, k - 1)] = 1
          }
        }
        """));
  }

  @Test
  void aLetOfTheLoopVariableShadowsIt() {
    assertEquals(IrPrinter.print(module("""
        out[ramp(0, 1, 4)] = broadcast(2, 4)
        let f.s0.x = 7
        out[f.s0.x] = 3
        """)), vectorized("""
        vectorized for (f.s0.x, 0, 4) {
          out[f.s0.x] = 2
          let f.s0.x = 7
          out[f.s0.x] = 3
        }
        """));
  }

  @Test
  void allLanesTestsTheLaneWhereTheConditionFailsFirst() {
    // x < n fails first in the last lane, and so does 3 - x >= n (3 - x decreases); with a stride of
    // unknown sign, n < x * k is tested at both ends.
    assertEquals(IrPrinter.print(module("""
        if (3 < n) {
          out[ramp(0, 1, 4)] = broadcast(1, 4)
        } else {
          out[ramp(0, 1, 4) if ramp(0, 1, 4) < broadcast(n, 4)] = broadcast(1, 4)
        }
        if (0 >= n) {
          out[ramp(0, 1, 4)] = broadcast(2, 4)
        } else {
          out[ramp(0, 1, 4) if ramp(3, -1, 4) >= broadcast(n, 4)] = broadcast(2, 4)
        }
        if (n < 0 && n < k * 3) {
          out[ramp(0, 1, 4)] = broadcast(3, 4)
        } else {
          out[ramp(0, 1, 4) if broadcast(n, 4) < ramp(0, k, 4)] = broadcast(3, 4)
        }
        """)), vectorized("""
        vectorized for (f.s0.x, 0, 4) {
          if (f.s0.x < n) {
            out[f.s0.x] = 1
          }
          if (3 - f.s0.x >= n) {
            out[f.s0.x] = 2
          }
          if (n < f.s0.x * k) {
            out[f.s0.x] = 3
          }
        }
        """));
  }

  @Test
  void aLikelyConditionKeepsTheHintAndIsKnownInsideItsBranches() {
    assertEquals(IrPrinter.print(module("""
        if (likely(3 < n)) {
          out[ramp(0, 1, 4)] = broadcast(1, 4)
        } else {
          out[ramp(0, 1, 4) if likely(ramp(0, 1, 4) < broadcast(n, 4))] = broadcast(1, 4)
        }
        """)), vectorized("""
        vectorized for (f.s0.x, 0, 4) {
          if (likely(f.s0.x < n)) {
            out[min(f.s0.x, n - 1)] = 1
          }
        }
        """));
  }

  @Test
  void aLaneIndependentIfKeepsItsConditionAndVectorizesItsBranches() {
    assertEquals(IrPrinter.print(module("""
        if (k < 3) {
          out[ramp(0, 1, 4)] = broadcast(1, 4)
        } else {
          out[ramp(4, 1, 4)] = in[ramp(0, 1, 4)]
        }
        """)), vectorized("""
        vectorized for (f.s0.x, 0, 4) {
          if (k < 3) {
            out[f.s0.x] = 1
          } else {
            out[f.s0.x + 4] = in[f.s0.x]
          }
        }
        """));
  }

  @Test
  void aClampTheConditionDoesNotMakeRedundantStaysAndMakesTheStoreAScatter() {
    // Without the guard, min(x, 2) is 2 in two lanes.
    assertEquals("two lanes may store to the same element of out (a scatter)", reason("""
        vectorized for (f.s0.x, 0, 4) {
          out[min(f.s0.x, 2)] = 1
        }
        """));
    // With it, the clamp only changes lanes that do not run.
    assertNull(reason("""
        vectorized for (f.s0.x, 0, 4) {
          if (f.s0.x < 3) {
            out[min(f.s0.x, 2)] = 1
          }
        }
        """));
  }

  @Test
  void eachFallbackOfTheGoldenCasesHasItsReason() {
    LoweredModule m = GoldenCases.input(VectorizeLoopsPass.NAME, "fallback");
    Map<String, String> reasons = new LinkedHashMap<>();
    for (LoweredModule.EntryPoint ep : m.entryPoints()) {
      For f = outermostVectorized(ep.body());
      reasons.put(ep.name(), VectorizeLoopsPass.whyNotVectorized(f, (int) IrQueries.asConstInt(f.extent()).orElseThrow()));
    }
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("allocate_inside", "allocation tmp inside the loop would need one copy per lane");
    expected.put("scatter", "two lanes may store to the same element of hist (a scatter)");
    expected.put("same_element", "every lane stores to the same element of out");
    expected.put("lane_bounds", "the bounds of the inner loop out.s1.r depend on the lane");
    expected.put("atomic_update", "atomic update of out needs one read-modify-write per lane");
    expected.put("lane_assert", "an assertion depends on the lane (it must fail at the first failing iteration)");
    expected.put("extern_lane", "extern function ext takes scalars and is called with an argument that depends on the lane");
    expected.put("extern_effect", "an extern call evaluated for its effect must run once per iteration");
    expected.put("nested_vectorized", "the body is vector code already (a vectorized loop inside)");
    assertEquals(expected, reasons);
  }

  @Test
  void freeAndUnflattenedStorageFallBack() {
    assertEquals("Free of tmp would run once instead of once per iteration", reason("""
        allocate tmp: int32 [4] {
          vectorized for (f.s0.x, 0, 4) {
            free tmp
          }
        }
        """));
    assertEquals("Provide to out: storage is not flattened", reason("""
        vectorized for (f.s0.x, 0, 4) {
          out(f.s0.x) = 1
        }
        """));
  }

  /** Why the outermost vectorized loop of {@code body} stays serial; null when it is vectorized. */
  static @Nullable String reason(String body) {
    For f = outermostVectorized(module(body).entryPoints().getFirst().body());
    return VectorizeLoopsPass.whyNotVectorized(f, (int) IrQueries.asConstInt(f.extent()).orElseThrow());
  }

  static For outermostVectorized(Stmt s) {
    For[] found = {null};
    new IrWalker() {
      @Override
      protected void enter(Stmt t, Scope scope, Path path) {
        if (found[0] == null && t instanceof For f && f.kind() == ForKind.VECTORIZED) found[0] = f;
      }
    }.walk(s);
    return found[0];
  }
}
