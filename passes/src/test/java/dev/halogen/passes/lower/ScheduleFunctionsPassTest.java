package dev.halogen.passes.lower;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.halogen.ir.LoweredModule;
import dev.halogen.ir.LoweredModule.Argument;
import dev.halogen.ir.LoweredModule.ArgumentKind;
import dev.halogen.ir.Type;
import dev.halogen.ir.text.IrParser;
import dev.halogen.ir.text.IrPrinter;
import dev.halogen.passes.IrProperty;
import dev.halogen.passes.IrUnit;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ScheduleFunctionsPassTest {
  /** A diamond: out reads b and c, both read a; a scalar parameter and a second output. */
  static final String DIAMOND = """
      pipeline outputs(out, side)
      image in: int32 [1]
      param k: int32

      func a(x): int32 {
        a(x) = in(x) + k
        compute_root store_root
      }

      func b(x): int32 {
        b(x) = a(x) * 2
        compute_root store_root
      }

      func c(x): int32 {
        c(x) = a(x + 1) - 1
        compute_root store_root
      }

      func out(x): int32 {
        out(x) = c(x) + b(x)
      }

      func side(x): int32 {
        side(x) = a(x) + 5
      }
      """;

  static List<String> goldenCases() {
    return GoldenCases.names(ScheduleFunctionsPass.NAME);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldenCases")
  void goldenCase(String name) {
    GoldenCases.checkPipeline(ScheduleFunctionsPass.NAME, name, ScheduleFunctionsPass::lower);
  }

  @Test
  void realizationOrderPutsProducersBeforeConsumers() {
    assertEquals(List.of("a", "b", "c", "out", "side"),
        ScheduleFunctionsPass.realizationOrder(IrParser.parsePipeline(DIAMOND)));
  }

  @Test
  void argumentsAreImagesThenScalarsThenOutputs() {
    LoweredModule m = ScheduleFunctionsPass.lower(IrParser.parsePipeline(DIAMOND));
    assertEquals(List.of(new Argument("in", ArgumentKind.INPUT_BUFFER, Type.I32, 1),
        new Argument("k", ArgumentKind.SCALAR, Type.I32, 0),
        new Argument("out", ArgumentKind.OUTPUT_BUFFER, Type.I32, 1),
        new Argument("side", ArgumentKind.OUTPUT_BUFFER, Type.I32, 1)), m.entryPoints().getFirst().arguments());
    // a covers what b and c read for out ([out.min, out.max + 1]) and what side reads.
    // b and c cover out's region; a covers [out.min, out.max + 1] (c reads x + 1) and side's region.
    // (Storage extents are at least 0; the simplifier does not see that this one is.)
    String text = IrPrinter.print(m);
    assertEquals(true, text.contains("realize a: int32 [min(out.min.0, side.min.0), max(max(out.extent.0 + out.min.0, "
        + "side.extent.0 + side.min.0 - 1) - min(out.min.0, side.min.0) + 1, 0)] {"), text);
    assertEquals(true, text.contains("realize b: int32 [out.min.0, out.extent.0] {"), text);
    assertEquals(true, text.contains("realize c: int32 [out.min.0, out.extent.0] {"), text);
  }

  @Test
  void contractTurnsTheGraphIntoLoops() {
    ScheduleFunctionsPass pass = new ScheduleFunctionsPass();
    PassUnits.assertContract(pass, "schedule-functions",
        Set.of(IrProperty.FUNCTION_GRAPH, IrProperty.GRAPH_VERIFIED),
        Set.of(IrProperty.LOOPS_BUILT, IrProperty.BOUNDS_INFERRED),
        Set.of(IrProperty.FUNCTION_GRAPH));
    IrUnit out = pass.run(IrUnit.of(IrParser.parsePipeline(DIAMOND)));
    assertEquals(IrProperty.LOOPS_BUILT, out.form());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pass.run(out));
    assertEquals("pass 'schedule-functions' works on the function graph (FUNCTION_GRAPH), but got loop nests (LOOPS_BUILT)",
        e.getMessage());
  }

  static String lowered(String text) {
    return IrPrinter.print(ScheduleFunctionsPass.lower(IrParser.parsePipeline(text)));
  }

  static String refusal(String text) {
    return assertThrows(ScheduleException.class, () -> ScheduleFunctionsPass.lower(IrParser.parsePipeline(text))).getMessage();
  }

  @Test
  void anAtomicUpdateHasItsProvideInsideAnAtomicNode() {
    assertEquals("""
        module hist

        entry hist(in in: uint8 [1], out hist: int32 [1]) {
          produce hist {
            for (hist.s0.i, hist.min.0, hist.extent.0) {
              hist(hist.s0.i) = 0
            }
            parallel for (hist.s1.r.x, 0, in.extent.0) {
              atomic hist {
                hist(cast<int32>(in(hist.s1.r.x))) = func<int32> hist(cast<int32>(in(hist.s1.r.x))) + 1
              }
            }
          }
        }
        """, lowered("""
        pipeline outputs(hist)
        image in: uint8 [1]

        func hist(i): int32 {
          hist(i) = 0
          over r(r.x [0, in.extent.0]) {
            hist(cast<int32>(in(r.x))) = hist(cast<int32>(in(r.x))) + 1
            schedule {
              loops(r.x rvar parallel)
              atomic
            }
          }
        }
        """));
  }

  /** out reads f at x and x + 1; f is computed at the root, with {@code %s} added to its schedule. */
  static final String ROOT_F_READ_TWICE = """
      pipeline outputs(out)
      image in: int32 [1]

      func f(x): int32 {
        f(x) = in(x) * 2
        %s
        compute_root store_root
      }

      func out(x): int32 {
        out(x) = f(x) + f(x + 1)
      }
      """;

  @Test
  void anInternalFuncWithABoundIsComputedOverItAfterCheckingWhatIsRequired() {
    // out reads f over [out.min, out.max + 1]; f is computed over [0, 99] once that is checked.
    assertEquals("""
        module out

        entry out(in in: int32 [1], out out: int32 [1]) {
          assert(-1 < out.min.0 && out.extent.0 + out.min.0 <= 99, "Func f is bounded to [{}, {}] in dimension x (0), but [{}, {}] of it is required", 0, 99, out.min.0, out.extent.0 + out.min.0)
          realize f: int32 [0, 100] {
            produce f {
              for (f.s0.x, 0, 100) {
                f(f.s0.x) = in(f.s0.x) * 2
              }
            }
            consume f {
              produce out {
                for (out.s0.x, out.min.0, out.extent.0) {
                  out(out.s0.x) = f(out.s0.x) + f(out.s0.x + 1)
                }
              }
            }
          }
        }
        """, lowered(ROOT_F_READ_TWICE.formatted("bound(x, 0, 100)")));
  }

  @Test
  void aBoundedOutputIsComputedOverItsBoundAfterCheckingItsBufferFirst() {
    assertEquals("""
        module out

        entry out(in in: int32 [1], out out: int32 [1]) {
          assert(out.extent.0 == 99 && out.min.0 == 0, "Output Func out is bounded to [{}, {}] in dimension x (0), but its buffer covers [{}, {}]", 0, 98, out.min.0, out.extent.0 + out.min.0 - 1)
          produce out {
            for (out.s0.x, 0, 99) {
              out(out.s0.x) = in(out.s0.x) * 2
            }
          }
        }
        """, lowered("""
        pipeline outputs(out)
        image in: int32 [1]

        func out(x): int32 {
          out(x) = in(x) * 2
          bound(x, 0, 99)
        }
        """));
  }

  @Test
  void roundingUpGrowsTheRealizationToWholeTiles() {
    // f is required over [out.min, out.min + out.extent] (out.extent + 1 points); 8-point tiles cover
    // (out.extent + 8) / 8 * 8 = out.extent / 8 * 8 + 8 of them, and f's storage holds them all.
    assertEquals("""
        module out

        entry out(in in: int32 [1], out out: int32 [1]) {
          realize f: int32 [out.min.0, out.extent.0 / 8 * 8 + 8] {
            produce f {
              for (f.s0.xo, 0, out.extent.0 / 8 + 1) {
                for (f.s0.xi, 0, 8) {
                  f(f.s0.xi + f.s0.xo * 8 + out.min.0) = in(f.s0.xi + f.s0.xo * 8 + out.min.0) * 2
                }
              }
            }
            consume f {
              produce out {
                for (out.s0.x, out.min.0, out.extent.0) {
                  out(out.s0.x) = f(out.s0.x) + f(out.s0.x + 1)
                }
              }
            }
          }
        }
        """, lowered(ROOT_F_READ_TWICE.formatted("""
        schedule {
            split(x, xo, xi, 8, round_up)
            loops(xi, xo)
          }""")));
  }

  @Test
  void theStagesBeforeAnUpdateThatRoundsUpComputeThePointsItReads() {
    // Found by the fuzz test: the update doubles f over whole tiles of 8, reading f there, and the
    // pure definition computed only the out.extent + 1 points required; the update read the rest
    // of the tiles uninitialized. Now the pure definition covers the tiles.
    assertEquals("""
        module out

        entry out(in in: int32 [1], out out: int32 [1]) {
          realize f: int32 [out.min.0, out.extent.0 / 8 * 8 + 8] {
            produce f {
              for (f.s0.x, out.min.0, out.extent.0 / 8 * 8 + 8) {
                f(f.s0.x) = in(f.s0.x)
              }
              for (f.s1.xo, 0, out.extent.0 / 8 + 1) {
                for (f.s1.xi, 0, 8) {
                  f(f.s1.xi + f.s1.xo * 8 + out.min.0) = f(f.s1.xi + f.s1.xo * 8 + out.min.0) * 2
                }
              }
            }
            consume f {
              produce out {
                for (out.s0.x, out.min.0, out.extent.0) {
                  out(out.s0.x) = f(out.s0.x) + f(out.s0.x + 1)
                }
              }
            }
          }
        }
        """, lowered("""
        pipeline outputs(out)
        image in: int32 [1]

        func f(x): int32 {
          f(x) = in(x)
          f(x) = f(x) * 2
          schedule {
            split(x, xo, xi, 8, round_up)
            loops(xi, xo)
          }
          compute_root store_root
        }

        func out(x): int32 {
          out(x) = f(x) + f(x + 1)
        }
        """));
  }

  static final String SHARED = """
      pipeline outputs(out)
      image in: float32 [1]

      func f(x): float32 {
        f(x) = in(x)
        over r(r.x [0, 5]) {
          f(x) = f(x) + in(x + 1)
        }
        compute_at(out, 0, xi) %s
      }

      func out(x): float32 {
        out(x) = f(x + 1) - f(x - 1)
        schedule {
          split(x, xo, xi, 4)
          loops(%s)
        }
      }
      """;

  @Test
  void aFuncWithUpdatesStoredOutsideAnUnorderedLoopItIsComputedInIsRefused() {
    // Found by the fuzz test: vectorized over xi, the lanes' windows of f overlap in the storage at
    // the root, and the lanes ran f's update on each other's points; the results changed silently.
    assertEquals("Func f is stored at the root but computed at(out, 0, xi), inside loop out.s0.xi, which is vectorized: its"
        + " iterations would share f's storage, and run f's updates on points the others compute; store f at that loop or"
        + " inside it", refusal(SHARED.formatted("store_root", "xi vectorized, xo")));
    assertEquals("Func f is stored at the root but computed at(out, 0, xi), inside loop out.s0.xo, which is parallel: its"
        + " iterations would share f's storage, and run f's updates on points the others compute; store f at that loop or"
        + " inside it", refusal(SHARED.formatted("store_root", "xi, xo parallel")));
    // Stored inside the parallel loop, each of its iterations has its own storage; the serial loop
    // over xi shares it, which is fine.
    lowered(SHARED.formatted("store_at(out, 0, xo)", "xi, xo parallel"));
    // Stored at the vectorized loop, each lane has its own: the loop stays serial (vectorize-loops
    // does not vectorize an allocation).
    lowered(SHARED.formatted("store_at(out, 0, xi)", "xi vectorized, xo"));
  }

  @Test
  void roundingUpWhereItChangesTheResultIsRefused() {
    String scan = """
        pipeline outputs(out)
        image in: int32 [1]

        func f(x): int32 {
          f(x) = in(x)
          %s
          compute_root store_root
        }

        func out(x): int32 {
          out(x) = f(x)
        }
        """;
    assertEquals("Func f stage 1: split of r.x by 4 with tail strategy ROUND_UP would run the update on points outside its"
        + " reduction domain (use GUARD_WITH_IF)", refusal(scan.formatted("""
        over r(r.x [0, 10]) {
            f(x) = f(x) + r.x
            schedule {
              split(r.x, rxo, rxi, 4, round_up)
              loops(rxi rvar, rxo rvar, x)
            }
          }""")));
    assertEquals("Func f stage 1: split of xi by 3 with tail strategy ROUND_UP would apply the update twice to some points,"
        + " since xi is inside an earlier split (use GUARD_WITH_IF)", refusal(scan.formatted("""
        f(x) = f(x) * 2
          schedule {
            split(x, xo, xi, 8)
            split(xi, xio, xii, 3, round_up)
            loops(xii, xio, xo)
          }""")));
    // Found by the fuzz test: past the fused extent, the clamped variables point at the last point again.
    String fused2d = """
        pipeline outputs(out)
        image in: int32 [1]

        func f(x, y): int32 {
          f(x, y) = in(x) + y
          f(x, y) = f(x, y) * 2
          schedule {
            fuse(x, y, xy)
            split(xy, xyo, xyi, 7, round_up)
            loops(xyi, xyo)
          }
          compute_root store_root
        }

        func out(x, y): int32 {
          out(x, y) = f(x, y)
        }
        """;
    assertEquals("Func f stage 1: split of xy by 7 with tail strategy ROUND_UP would apply the update twice to some points,"
        + " since xy is a fused loop (use GUARD_WITH_IF)", refusal(fused2d));
    assertEquals("Func out stage 0: split of x by 4 with tail strategy ROUND_UP would write past the end of output out; use"
        + " GUARD_WITH_IF or bound the output to a multiple of 4", refusal("""
        pipeline outputs(out)
        image in: int32 [1]

        func out(x): int32 {
          out(x) = in(x)
          schedule {
            split(x, xo, xi, 4, round_up)
            loops(xi, xo)
          }
          bound(x, 0, 10)
        }
        """));
  }

  static final String SUM_OF_THREE = """
      func s(x, y): int32 {
        s(x, y) = 0
        over r(r.x [0, 3]) {
          s(x, y) = s(x, y) + in(x + r.x, y)
        }
      }
      """;

  @Test
  void anInlineFuncWithUpdatesIsComputedAtTheInnermostLoopOfItsConsumer() {
    assertEquals("""
        module out

        entry out(in in: int32 [2], out out: int32 [2]) {
          produce out {
            for (out.s0.y, out.min.1, out.extent.1) {
              for (out.s0.x, out.min.0, out.extent.0) {
                realize s: int32 [out.s0.x, 1] [out.s0.y, 1] {
                  produce s {
                    s(out.s0.x, out.s0.y) = 0
                    for (s.s1.r.x, 0, 3) {
                      s(out.s0.x, out.s0.y) = in(out.s0.x + s.s1.r.x, out.s0.y) + s(out.s0.x, out.s0.y)
                    }
                  }
                  consume s {
                    out(out.s0.x, out.s0.y) = s(out.s0.x, out.s0.y) * 2
                  }
                }
              }
            }
          }
        }
        """, lowered("""
        pipeline outputs(out)
        image in: int32 [2]

        %s
        func out(x, y): int32 {
          out(x, y) = s(x, y) * 2
        }
        """.formatted(SUM_OF_THREE)));
  }

  @Test
  void anInlineFuncWithUpdatesUsedByTwoFuncsIsComputedAtTheInnermostLoopTheyShare() {
    // g is computed inside out's loop over y: that loop encloses both uses of s.
    String printed = lowered("""
        pipeline outputs(out)
        image in: int32 [2]

        %s
        func g(x, y): int32 {
          g(x, y) = s(x, y) + 1
          compute_at(out, 0, y) store_at(out, 0, y)
        }

        func out(x, y): int32 {
          out(x, y) = s(x, y) * 2 + g(x, y)
        }
        """.formatted(SUM_OF_THREE));
    assertEquals("""
        module out

        entry out(in in: int32 [2], out out: int32 [2]) {
          produce out {
            for (out.s0.y, out.min.1, out.extent.1) {
              realize s: int32 [out.min.0, out.extent.0] [out.s0.y, 1] {
                produce s {
                  for (s.s0.x, out.min.0, out.extent.0) {
                    s(s.s0.x, out.s0.y) = 0
                  }
                  for (s.s1.x, out.min.0, out.extent.0) {
                    for (s.s1.r.x, 0, 3) {
                      s(s.s1.x, out.s0.y) = in(s.s1.r.x + s.s1.x, out.s0.y) + s(s.s1.x, out.s0.y)
                    }
                  }
                }
                consume s {
                  realize g: int32 [out.min.0, out.extent.0] [out.s0.y, 1] {
                    produce g {
                      for (g.s0.x, out.min.0, out.extent.0) {
                        g(g.s0.x, out.s0.y) = s(g.s0.x, out.s0.y) + 1
                      }
                    }
                    consume g {
                      for (out.s0.x, out.min.0, out.extent.0) {
                        out(out.s0.x, out.s0.y) = g(out.s0.x, out.s0.y) + s(out.s0.x, out.s0.y) * 2
                      }
                    }
                  }
                }
              }
            }
          }
        }
        """, printed);
    // Used by two root Funcs: no loop encloses both, so s is computed at the root.
    String atRoot = lowered("""
        pipeline outputs(out)
        image in: int32 [2]

        %s
        func g(x, y): int32 {
          g(x, y) = s(x, y) + 1
          compute_root store_root
        }

        func out(x, y): int32 {
          out(x, y) = s(x, y) * 2 + g(x, y)
        }
        """.formatted(SUM_OF_THREE));
    assertEquals(true, atRoot.startsWith("""
        module out

        entry out(in in: int32 [2], out out: int32 [2]) {
          realize s: int32 [out.min.0, out.extent.0] [out.min.1, out.extent.1] {"""), atRoot);
  }

  static final String COMPUTED_AT_G = """
      pipeline outputs(out)
      image in: int32 [1]

      func f(x): int32 {
        f(x) = in(x) * 2
        compute_at(g, 0, x) store_at(g, 0, x)
      }

      func g(x): int32 {
        g(x) = f(x) + 1
        %s
        compute_root store_root
      }

      func out(x): int32 {
        out(x) = g(x) %s
      }
      """;

  @Test
  void aFuncUsedOutsideTheLoopItIsComputedAtIsRefused() {
    assertEquals("Func f is computed at(g, 0, x) but out also calls it, outside that loop",
        refusal(COMPUTED_AT_G.formatted("", "+ f(x)")));
    assertEquals("Func f is computed at(g, 0, x) but g also calls it, outside that loop",
        refusal(COMPUTED_AT_G.formatted("g(x) = g(x) + f(x + 1)", "")));
  }

  @Test
  void anRFactorRequestMustBeAppliedFirst() {
    assertEquals("Func f update 0: has an rfactor request, which apply-rfactor must apply before schedule-functions"
        + " (rfactor is a transformation of the function graph)", refusal("""
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
}
