package dev.halogen.passes.lower;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.halogen.ir.IrVerifier;
import dev.halogen.ir.Pipeline;
import dev.halogen.ir.RFactor;
import dev.halogen.ir.text.IrParser;
import dev.halogen.ir.text.IrPrinter;
import dev.halogen.passes.IrProperty;
import dev.halogen.passes.IrUnit;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** rfactor on the function graph: the shape of the intermediate and the merge, and the requests it refuses. */
class RFactorTransformTest {
  /** Every request of {@code text} applied; the result must pass the graph verifier. */
  static String factor(String text) {
    Pipeline q = ApplyRFactorPass.applyAll(IrParser.parsePipeline(text));
    IrVerifier.verify(q);
    return IrPrinter.print(q);
  }

  static String refusal(String text) {
    return assertThrows(ScheduleException.class, () -> ApplyRFactorPass.applyAll(IrParser.parsePipeline(text))).getMessage();
  }

  static final String HISTOGRAM = """
      pipeline outputs(hist)
      image in: uint8 [2]

      func hist(i): int32 {
        hist(i) = 0
        over r(r.x [0, in.extent.0], r.y [0, in.extent.1]) {
          hist(cast<int32>(in(r.x, r.y))) = hist(cast<int32>(in(r.x, r.y))) + 1
          schedule {
            rfactor(hist_intm, r.y -> u)
          }
        }
      }
      """;

  @Test
  void histogramRowsBecomePartialHistogramsMergedBinByBin() {
    // The intermediate counts each row u into its own histogram; the merge adds the rows of each bin.
    assertEquals("""
        pipeline outputs(hist)
        image in: uint8 [2]

        func hist(i): int32 {
          hist(i) = 0
          over r(r.y [0, in.extent.1]) {
            hist(i) = hist(i) + hist_intm(i, r.y)
          }
        }

        func hist_intm(i, u): int32 {
          hist_intm(i, u) = 0
          over r(r.x [0, in.extent.0]) {
            hist_intm(cast<int32>(in(r.x, u)), u) = hist_intm(cast<int32>(in(r.x, u)), u) + 1
          }
          compute_root store_root
        }
        """, factor(HISTOGRAM));
  }

  @Test
  void aSplitReductionVariableIsFactoredByItsOuterLoop() {
    // r.x in [0, 100) split by 8: rxi in [0, 8), rxo in [0, 13), r.x = min(rxo * 8 + rxi, 99) under
    // the predicate rxo * 8 + rxi < 100. Factoring rxo gives 13 partial sums of 8 (the last of 4).
    // A float sum starts from -0.0, the identity that leaves every value (-0.0 too) unchanged.
    assertEquals("""
        pipeline outputs(sq)
        image in: float32 [1]

        func sq(): float32 {
          sq() = 0.0f
          over r(rxo [0, 13]) {
            sq() = sq() + sq_intm(rxo)
          }
        }

        func sq_intm(u): float32 {
          sq_intm(u) = -0.0f
          over r(rxi [0, 8]) where u * 8 + rxi < 100 {
            sq_intm(u) = sq_intm(u) + in(min(rxi + u * 8, 99)) * in(min(rxi + u * 8, 99))
          }
          compute_root store_root
        }
        """, factor("""
        pipeline outputs(sq)
        image in: float32 [1]

        func sq(): float32 {
          sq() = 0.0f
          over r(r.x [0, 100]) {
            sq() = sq() + in(r.x) * in(r.x)
            schedule {
              split(r.x, rxo, rxi, 8)
              loops(rxi rvar, rxo rvar)
              rfactor(sq_intm, rxo -> u)
            }
          }
        }
        """));
  }

  static final String ARGMIN = """
      pipeline outputs(am)
      image in: float32 [1]

      func am(): (int32, float32) {
        am() = {0, inf_f32}
        over r(r.x [0, 100]) {
          am() = {select(in(r.x) < am()[1], r.x, am()[0]), min(am()[1], in(r.x))}
          schedule {
            split(r.x, rxo, rxi, 10)
            loops(rxi rvar, rxo rvar)
            rfactor(am_intm, %s)
          }
        }
      }
      """;

  @Test
  void argminMergesWithTheUpdatesOwnComparison() {
    // Strict <: the first of equal minimums wins, in the partial results and in the merge (which
    // sees the partial results of the earlier rxo first). 10 divides 100: no predicate, no clamp.
    assertEquals("""
        pipeline outputs(am)
        image in: float32 [1]

        func am(): (int32, float32) {
          am() = {0, inf_f32}
          over r(rxo [0, 10]) {
            am() = {select(am_intm(rxo)[1] < am()[1], am_intm(rxo)[0], am()[0]), min(am()[1], am_intm(rxo)[1])}
          }
        }

        func am_intm(u): (int32, float32) {
          am_intm(u) = {0, inf_f32}
          over r(rxi [0, 10]) {
            am_intm(u) = {select(in(rxi + u * 10) < am_intm(u)[1], rxi + u * 10, am_intm(u)[0]), min(am_intm(u)[1], in(rxi + u * 10))}
          }
          compute_root store_root
        }
        """, factor(ARGMIN.formatted("rxo -> u")));
  }

  @Test
  void argminCannotFactorAnInnerLoopAlone() {
    assertEquals("Func am update 0: cannot rfactor: the update is not commutative (an argmin or argmax: which of equal keys"
        + " wins depends on the order), so the reduction loops outside rxi (rxo) must be factored too",
        refusal(ARGMIN.formatted("rxi -> u")));
  }

  @Test
  void pureSplitsAndLoopKindsGoToBothUpdates() {
    // x keeps its split and its parallel outer loop in the intermediate and in the merge; r.y's loop
    // becomes the intermediate's loop over v, in r.y's place.
    assertEquals("""
        pipeline outputs(f)
        image in: int32 [2]

        func f(x): int32 {
          f(x) = 0
          over r(r.y [0, 4]) {
            f(x) = f(x) + f_intm(x, r.y)
            schedule {
              split(x, xo, xi, 4)
              loops(xi, r.y rvar, xo parallel)
            }
          }
        }

        func f_intm(x, v): int32 {
          f_intm(x, v) = 0
          over r(r.x [0, 10]) {
            f_intm(x, v) = f_intm(x, v) + in(x, r.x + v * 10)
            schedule {
              split(x, xo, xi, 4)
              loops(r.x rvar, xi, v, xo parallel)
            }
          }
          compute_root store_root
        }
        """, factor("""
        pipeline outputs(f)
        image in: int32 [2]

        func f(x): int32 {
          f(x) = 0
          over r(r.x [0, 10], r.y [0, 4]) {
            f(x) = f(x) + in(x, r.x + r.y * 10)
            schedule {
              split(x, xo, xi, 4)
              loops(r.x rvar, xi, r.y rvar, xo parallel)
              rfactor(f_intm, r.y -> v)
            }
          }
        }
        """));
  }

  @Test
  void aFactoredLoopAskedToBeParallelIsParallelInTheIntermediateAndSerialInTheMerge() {
    // Found by the fuzz test: the merge kept r.y parallel, a race that check-schedule refused.
    String factored = factor("""
        pipeline outputs(f)
        image in: int32 [2]

        func f(): int32 {
          f() = 0
          over r(r.x [0, 10], r.y [0, 4]) {
            f() = f() + in(r.x, r.y)
            schedule {
              loops(r.x rvar, r.y rvar parallel)
              rfactor(f_intm, r.y -> v)
            }
          }
        }
        """);
    assertEquals("""
        pipeline outputs(f)
        image in: int32 [2]

        func f(): int32 {
          f() = 0
          over r(r.y [0, 4]) {
            f() = f() + f_intm(r.y)
          }
        }

        func f_intm(v): int32 {
          f_intm(v) = 0
          over r(r.x [0, 10]) {
            f_intm(v) = f_intm(v) + in(r.x, v)
            schedule {
              loops(r.x rvar, v parallel)
            }
          }
          compute_root store_root
        }
        """, factored);
    CheckSchedulePass.check(IrParser.parsePipeline(factored));
  }

  @Test
  void aMergeLoopsOverThePureVariablesTheUpdateDidNotAndKeepsThePredicatesOfTheFactoredVariables() {
    // f(x, 0) += ...: the merge writes every (x, y) (adding the identity where the update did not
    // write), so y gets a loop, outermost. The conjunct r.y != 2 reads only the factored r.y and
    // stays in the merge; r.x < r.y + 5 reads r.x, left to the intermediate, and stays there only.
    // The intermediate loops over u where the update looped over r.y.
    assertEquals("""
        pipeline outputs(f)
        image in: int32 [2]

        func f(x, y): int32 {
          f(x, y) = 1
          over r(r.y [0, 4]) where r.y != 2 {
            f(x, y) = f(x, y) * f_intm(x, y, r.y)
          }
        }

        func f_intm(x, y, u): int32 {
          f_intm(x, y, u) = 1
          over r(r.x [0, 10]) where r.x < u + 5 && u != 2 {
            f_intm(x, 0, u) = f_intm(x, 0, u) * in(r.x, u)
            schedule {
              loops(r.x rvar, u, x)
            }
          }
          compute_root store_root
        }
        """, factor("""
        pipeline outputs(f)
        image in: int32 [2]

        func f(x, y): int32 {
          f(x, y) = 1
          over r(r.x [0, 10], r.y [0, 4]) where r.x < r.y + 5 && r.y != 2 {
            f(x, 0) = f(x, 0) * in(r.x, r.y)
            schedule {
              rfactor(f_intm, r.y -> u)
            }
          }
        }
        """));
  }

  @Test
  void requestsOnOneUpdateApplyInOrderAndThePassKeepsAnUnchangedGraph() {
    String twice = HISTOGRAM.replace("rfactor(hist_intm, r.y -> u)", "rfactor(hist_intm, r.y -> u)\n      rfactor(hist_intm1, r.y -> w)");
    // The second request factors the merge the first one left: hist_intm1(i, w) adds hist_intm's
    // row w (every variable factored and no predicate: an update without domain, looping over w as
    // the merge looped over r.y).
    assertEquals("""
        pipeline outputs(hist)
        image in: uint8 [2]

        func hist(i): int32 {
          hist(i) = 0
          over r(r.y [0, in.extent.1]) {
            hist(i) = hist(i) + hist_intm1(i, r.y)
          }
        }

        func hist_intm(i, u): int32 {
          hist_intm(i, u) = 0
          over r(r.x [0, in.extent.0]) {
            hist_intm(cast<int32>(in(r.x, u)), u) = hist_intm(cast<int32>(in(r.x, u)), u) + 1
          }
          compute_root store_root
        }

        func hist_intm1(i, w): int32 {
          hist_intm1(i, w) = 0
          hist_intm1(i, w) = hist_intm1(i, w) + hist_intm(i, w)
          schedule {
            loops(w, i)
          }
          compute_root store_root
        }
        """, factor(twice));

    ApplyRFactorPass pass = new ApplyRFactorPass();
    PassUnits.assertContract(pass, "apply-rfactor",
        Set.of(IrProperty.FUNCTION_GRAPH, IrProperty.GRAPH_VERIFIED),
        Set.of(),
        Set.of());
    IrUnit plain = IrUnit.of(IrParser.parsePipeline(HISTOGRAM.replaceAll("(?s)schedule \\{.*?}", "")));
    assertSame(plain, pass.run(plain));
  }

  static String sum(String body, String schedule) {
    return """
        pipeline outputs(f)
        image in: int32 [2]

        func f(x): int32 {
          f(x) = 0
          over r(r.x [0, 10], r.y [0, 4]) {
            f(x) = %s
            schedule {
              %s
            }
          }
        }

        func g(x): int32 {
          g(x) = x
        }
        """.formatted(body, schedule);
  }

  @Test
  void refusalsNameTheFuncTheUpdateAndWhy() {
    String add = "f(x) + in(x, r.x + r.y)";
    assertEquals("Func f update 0: cannot rfactor: the update is not associative (update of f, value 0: subtraction is not"
        + " associative (a sum of negated terms is written f + (0 - e)))", refusal(sum("f(x) - in(r.x, r.y)", "rfactor(f_intm, r.y -> u)")));
    assertEquals("Func f update 0: cannot rfactor: x is a pure loop, not a reduction variable",
        refusal(sum(add, "rfactor(f_intm, x -> u)")));
    assertEquals("Func f update 0: cannot rfactor: the update has no reduction loop r.z; its reduction loops are r.x, r.y",
        refusal(sum(add, "rfactor(f_intm, r.z -> u)")));
    assertEquals("Func f update 0: cannot rfactor: the Var x is already used (the pure Vars of f and the loops of the update"
        + " are x, r.x, r.y)", refusal(sum(add, "rfactor(f_intm, r.y -> x)")));
    assertEquals("Func f update 0: cannot rfactor: the reduction variable r.y is given twice",
        refusal(sum(add, "rfactor(f_intm, r.y -> u, r.y -> v)")));
    assertEquals("Func f update 0: cannot rfactor: the Var u is given twice",
        refusal(sum(add, "rfactor(f_intm, r.x -> u, r.y -> u)")));
    assertEquals("Func f update 0: cannot rfactor: the intermediate's name g is the name of an existing Func",
        refusal(sum(add, "rfactor(g, r.y -> u)")));
    assertEquals("Func f update 0: cannot rfactor: the reduction variable r.x is split with tail strategy ROUND_UP, which"
        + " would change how often the update runs (use GUARD_WITH_IF)",
        refusal(sum(add, "split(r.x, rxo, rxi, 3, round_up)\n      loops(x, rxi rvar, rxo rvar, r.y rvar)\n      rfactor(f_intm, r.y -> u)")));
  }

  @Test
  void factoringEveryVariableOfAPredicatedDomainIsRefused() {
    assertEquals("Func f update 0: cannot rfactor: every reduction variable would become a pure variable of the intermediate,"
        + " whose update could then not keep the predicate of reduction domain r; leave a reduction variable to it",
        refusal("""
            pipeline outputs(f)
            image in: int32 [1]

            func f(): int32 {
              f() = 0
              over r(r.x [0, 10]) where r.x % 2 == 0 {
                f() = f() + in(r.x)
                schedule {
                  rfactor(f_intm, r.x -> u)
                }
              }
            }
            """));
  }

  @Test
  void factoringEveryVariableWithoutAPredicateLeavesAnUpdateWithoutDomain() {
    assertEquals("""
        pipeline outputs(f)
        image in: int32 [1]

        func f(): int32 {
          f() = 0
          over r(r.x [0, 10]) {
            f() = f() + f_intm(r.x)
          }
        }

        func f_intm(u): int32 {
          f_intm(u) = 0
          f_intm(u) = f_intm(u) + in(u)
          compute_root store_root
        }
        """, factor("""
        pipeline outputs(f)
        image in: int32 [1]

        func f(): int32 {
          f() = 0
          over r(r.x [0, 10]) {
            f() = f() + in(r.x)
            schedule {
              rfactor(f_intm, r.x -> u)
            }
          }
        }
        """));
  }

  @Test
  void aPureDefinitionOrAnUpdateWithoutDomainCannotBeFactored() {
    Pipeline p = IrParser.parsePipeline("""
        pipeline outputs(f)
        image in: int32 [1]

        func f(x): int32 {
          f(x) = in(x)
          f(x) = f(x) + 1
        }
        """);
    RFactor request = new RFactor("f_intm", List.of(new RFactor.Pair("r.x", "u")));
    assertEquals("Func f pure definition: cannot rfactor: it is the pure definition; only updates can be factored",
        assertThrows(ScheduleException.class, () -> RFactorTransform.apply(p, "f", 0, request)).getMessage());
    ScheduleException e = assertThrows(ScheduleException.class, () -> RFactorTransform.apply(p, "f", 1, request));
    assertEquals("Func f update 0: cannot rfactor: the update has no reduction domain", e.getMessage());
    assertEquals("cannot rfactor: the update has no reduction domain", e.reason());
  }

  @Test
  void aRequestWithoutVariablesOrAPredicateThatReadsTheFuncIsRefused() {
    Pipeline p = IrParser.parsePipeline("""
        pipeline outputs(f)
        image in: int32 [1]

        func f(x): int32 {
          f(x) = in(x)
          over r(r.x [0, 10]) where f(r.x) > 0 {
            f(x) = f(x) + in(r.x)
          }
        }
        """);
    assertEquals("Func f update 0: cannot rfactor: no reduction variables given",
        assertThrows(ScheduleException.class, () -> RFactorTransform.apply(p, "f", 1, new RFactor("f_intm", List.of()))).getMessage());
    assertEquals("Func f update 0: cannot rfactor: the predicate of reduction domain r reads f", assertThrows(ScheduleException.class,
        () -> RFactorTransform.apply(p, "f", 1, new RFactor("f_intm", List.of(new RFactor.Pair("r.x", "u"))))).getMessage());
  }
}
