package dev.halogen.backend.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.halogen.ir.Buffer;
import dev.halogen.ir.Expr;
import dev.halogen.ir.ForKind;
import dev.halogen.ir.IrVerifier;
import dev.halogen.ir.IrWalker;
import dev.halogen.ir.LoweredModule;
import dev.halogen.ir.LoweredModule.Argument;
import dev.halogen.ir.LoweredModule.ArgumentKind;
import dev.halogen.ir.Pipeline;
import dev.halogen.ir.Stmt;
import dev.halogen.ir.text.IrParser;
import dev.halogen.ir.text.IrPrinter;
import dev.halogen.passes.Instrumentation;
import dev.halogen.passes.LoweringPipeline;
import dev.halogen.passes.PassFailedException;
import dev.halogen.passes.lower.ScheduleException;
import dev.halogen.passes.lower.ScheduleFunctionsPass;
import dev.halogen.passes.lower.StorageFlatteningPass;
import dev.halogen.passes.lower.UnrollLoopsPass;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Translation validation of {@code storage-flattening} and {@code unroll-loops}: each pipeline is
 * lowered to loop nests by {@code schedule-functions}, then flattened, then unrolled, and every
 * form (and the output of the default {@link LoweringPipeline}) runs on the interpreter with the
 * same random inputs, whose mins are not 0. Every output must be bit for bit the same.
 */
class StorageFlatteningAndUnrollTest {
  /** A buffer's region: its min and extent in each dimension. */
  record Region(int[] mins, int[] extents) {}

  /** A pipeline with the region of each of its buffers (inputs and outputs) and its scalar arguments. */
  record Case(String name, String pipeline, Map<String, Region> buffers, Map<String, Object> scalars) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Region region(int... minsThenExtents) {
    int n = minsThenExtents.length / 2;
    int[] mins = new int[n], extents = new int[n];
    for (int d = 0; d < n; d++) {
      mins[d] = minsThenExtents[2 * d];
      extents[d] = minsThenExtents[2 * d + 1];
    }
    return new Region(mins, extents);
  }

  static Case of(String name, String pipeline, Object... buffersThenScalars) {
    Map<String, Region> buffers = new LinkedHashMap<>();
    Map<String, Object> scalars = new LinkedHashMap<>();
    for (int i = 0; i < buffersThenScalars.length; i += 2) {
      String key = (String) buffersThenScalars[i];
      if (buffersThenScalars[i + 1] instanceof Region r) buffers.put(key, r);
      else scalars.put(key, buffersThenScalars[i + 1]);
    }
    return new Case(name, pipeline, buffers, scalars);
  }

  static String tiledBlur(String producerLevels, String outerSchedule) {
    return """
        pipeline outputs(out)
        image in: int32 [2]

        func f(x, y): int32 {
          f(x, y) = in(x, y) + in(x + 1, y) * 3 + in(x + 2, y)
          %s
        }

        func out(x, y): int32 {
          out(x, y) = f(x, y) + 2 * f(x, y + 1) - f(x, y + 2)
          schedule {
            %s
          }
        }
        """.formatted(producerLevels, outerSchedule);
  }

  static final String TILES = "split(x, xo, xi, 4, guard_with_if) split(y, yo, yi, 3, guard_with_if) loops(xi, yi, xo, yo)";
  static final String UNROLLED_TILES =
      "split(x, xo, xi, 3, guard_with_if) split(y, yo, yi, 2, guard_with_if) loops(xi unrolled, yi unrolled, xo, yo)";

  static Stream<Case> cases() {
    // Output 10 x 7 at (-3, 5); the blur reads up to 2 past it in each dimension.
    Region out2 = region(-3, 10, 5, 7);
    Region in2 = region(-4, 13, 4, 10);
    return Stream.of(
        of("blur at root", """
            pipeline outputs(blur)
            image in: int32 [1]

            func f(x): int32 {
              f(x) = in(x) * 3 - 1
              compute_root store_root
            }

            func blur(x): int32 {
              blur(x) = f(x) + f(x + 1) + f(x + 2)
            }
            """, "in", region(-7, 16), "blur", region(-5, 11)),
        of("compute_at the outer tile loop", tiledBlur("compute_at(out, 0, xo) store_at(out, 0, xo)", TILES),
            "in", in2, "out", out2),
        of("compute_at inner, store_at outer", tiledBlur("compute_at(out, 0, yi) store_at(out, 0, xo)", TILES),
            "in", in2, "out", out2),
        of("compute_at, store_root", tiledBlur("compute_at(out, 0, xo) store_root", TILES), "in", in2, "out", out2),
        of("compute_root, tiles", tiledBlur("compute_root store_root", TILES), "in", in2, "out", out2),
        of("unrolled tiles with tails", tiledBlur("compute_root store_root", UNROLLED_TILES), "in", in2, "out", out2),
        of("compute_at an unrolled loop", tiledBlur("compute_at(out, 0, xi) store_at(out, 0, xi)", UNROLLED_TILES),
            "in", in2, "out", out2),
        of("compute_at an unrolled loop around an unrolled loop",
            tiledBlur("compute_at(out, 0, yi) store_at(out, 0, yi)", UNROLLED_TILES), "in", in2, "out", out2),
        of("tuples, unrolled", """
            pipeline outputs(out)
            image in: float32 [1]

            func mm(x): (int32, float32) {
              mm(x) = {cast<int32>(in(x)) * 2, in(x) + in(x + 1)}
              compute_root store_root
            }

            func out(x): (float32, int32) {
              out(x) = {mm(x)[1] * 2.0f, mm(x + 1)[0] - mm(x)[0]}
              schedule {
                split(x, xo, xi, 2)
                loops(xi unrolled, xo)
              }
            }
            """, "in", region(-9, 15), "out.0", region(-8, 12), "out.1", region(-8, 12)),
        of("histogram update reading itself", """
            pipeline outputs(out)
            image in: uint8 [2]

            func hist(i): int32 {
              hist(i) = 0
              over r(r.x [in.min.0, in.extent.0], r.y [in.min.1, in.extent.1]) {
                hist(cast<int32>(in(r.x, r.y)) % 16) = hist(cast<int32>(in(r.x, r.y)) % 16) + 1
              }
              compute_root store_root
            }

            func out(i): int32 {
              out(i) = hist(i) * 10 + i
            }
            """, "in", region(3, 9, -2, 6), "out", region(0, 16)),
        of("argmin tuple update", """
            pipeline outputs(best)
            image in: float32 [1]

            func best(): (int32, float32) {
              best() = {0, in(0)}
              over r(r.x [1, 11]) {
                best() = {select(in(r.x) < best()[1], r.x, best()[0]), min(in(r.x), best()[1])}
              }
            }
            """, "in", region(-2, 15), "best.0", region(), "best.1", region()),
        of("tuple update writing where it reads", """
            pipeline outputs(out)
            image in: int32 [1]

            func pair(x): (int32, int32) {
              pair(x) = {x, in(x)}
              over r(r.x [0, 6]) {
                pair(pair(r.x)[0] % 6) = {(pair(r.x)[0] + pair(r.x)[1]) % 5, pair(r.x)[1] + pair(r.x)[0]}
              }
              compute_root store_root
            }

            func out(x): int32 {
              out(x) = pair(x)[0] * 100 + pair(x)[1]
            }
            """, "in", region(0, 6), "out", region(0, 6)),
        of("reduction with a predicate, split and unrolled", """
            pipeline outputs(out)
            image in: int32 [1]
            param k: int32

            func out(x): int32 {
              out(x) = k
              over r(r.x [0, 10]) where r.x % 3 != 0 {
                out(x) = out(x) + in(r.x + x) * (r.x + 1)
                schedule {
                  split(r.x, rxo, rxi, 4, guard_with_if)
                  loops(rxi rvar unrolled, rxo rvar, x)
                }
              }
            }
            """, "in", region(-4, 17), "out", region(-4, 7), "k", 100),
        of("split with a guarded tail", ScheduleFunctionsTest.split(", guard_with_if"), "in", region(-6, 10), "out", region(-6, 10)),
        of("split with a shifted tail, unrolled", """
            pipeline outputs(out)
            image in: int32 [1]

            func out(x): int32 {
              out(x) = in(x) * 2 + x
              schedule {
                split(x, xo, xi, 4, shift_inwards)
                loops(xi unrolled, xo)
              }
            }
            """, "in", region(-6, 10), "out", region(-6, 10)),
        of("update with pure loops, split and unrolled", ScheduleFunctionsTest.UPDATE_WITH_PURE_LOOPS, "in", region(5, 8), "out", region(5, 7)),
        of("fused and vectorized", ScheduleFunctionsTest.FUSED, "in", region(-1, 5, 2, 3), "out", region(-1, 5, 2, 3)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void everyFormComputesTheSameOutputs(Case c) {
    Pipeline p = IrParser.parsePipeline(c.pipeline());
    LoweredModule loops = ScheduleFunctionsPass.lower(p);
    LoweredModule flat = StorageFlatteningPass.flatten(loops);
    assertNotSame(loops, flat, "nothing was flattened");
    IrVerifier.verify(flat, true);
    LoweredModule unrolled = UnrollLoopsPass.unroll(flat, p.functions().keySet());
    IrVerifier.verify(unrolled, true);
    assertEquals(0, unrolledLoops(unrolled), "unrolled loops remain");
    // Copies repeat the names of the body side by side, but no binder is inside one of its own name.
    assertEquals(List.of(), shadowingBinders(unrolled));
    // The cases named so have unrolled loops, and only those change.
    assertEquals(c.name().contains("unroll"), unrolledLoops(flat) > 0, "unrolled loops");
    assertEquals(unrolledLoops(flat) > 0, unrolled != flat, "the module changes exactly when it has unrolled loops");
    LoweredModule full = Interp.lower(p);

    Random random = new Random(c.name().hashCode());
    Map<String, Buffer> inputs = Interp.buffers(loops, ArgumentKind.INPUT_BUFFER,
        a -> Interp.random(a.type(), region(a, c).mins(), region(a, c).extents(), VALUES, random));
    Map<String, Buffer> expected = run(loops, c, inputs);
    assertTrue(expected.values().stream().anyMatch(StorageFlatteningAndUnrollTest::nonZero), "every output is 0");
    for (LoweredModule m : List.of(flat, unrolled, full)) {
      Interp.assertSameOutputs(expected, run(m, c, inputs), () -> c.name() + "\n" + IrPrinter.print(m));
    }
  }

  @Test
  void aFuncComputedAtAnUnrolledLoopIsAllocatedInEachCopy() {
    Case c = cases().filter(k -> k.name().equals("compute_at an unrolled loop")).findFirst().orElseThrow();
    Pipeline p = IrParser.parsePipeline(c.pipeline());
    LoweredModule flat = StorageFlatteningPass.flatten(ScheduleFunctionsPass.lower(p));
    assertEquals(2, unrolledLoops(flat));
    String text = IrPrinter.print(UnrollLoopsPass.unroll(flat, p.functions().keySet()));
    assertEquals(6, text.split("allocate f: int32", -1).length - 1, text); // 3 x 2 copies of f's allocation
  }

  private static boolean nonZero(Buffer b) {
    for (byte x : b.toLittleEndianBytes()) if (x != 0) return true;
    return false;
  }

  /** The names of the lets and loops of {@code m} bound inside a binder of the same name. */
  static List<String> shadowingBinders(LoweredModule m) {
    List<String> out = new ArrayList<>();
    IrWalker w = new IrWalker() {
      @Override
      protected void enter(Stmt s, IrWalker.Scope scope, IrWalker.Path path) {
        if (s instanceof Stmt.LetStmt l && scope.contains(l.name())) out.add(l.name());
        if (s instanceof Stmt.For f && scope.contains(f.name())) out.add(f.name());
      }

      @Override
      protected void visit(Expr e, IrWalker.Scope scope, IrWalker.Path path) {
        if (e instanceof Expr.Let l && scope.contains(l.name())) out.add(l.name());
      }
    };
    for (LoweredModule.EntryPoint ep : m.entryPoints()) w.walk(ep.body());
    return out;
  }

  /** The number of loops of kind unrolled in {@code m}. */
  static int unrolledLoops(LoweredModule m) {
    int[] count = {0};
    IrWalker w = new IrWalker() {
      @Override
      protected void enter(Stmt s, IrWalker.Scope scope, IrWalker.Path path) {
        if (s instanceof Stmt.For f && f.kind() == ForKind.UNROLLED) count[0]++;
      }
    };
    for (LoweredModule.EntryPoint ep : m.entryPoints()) w.walk(ep.body());
    return count[0];
  }

  /** Floats in [-8, 8) in steps of 1/8, unsigned integers in [0, 256), signed ones in [-50, 50). */
  private static final Interp.Values VALUES = (t, random) -> {
    if (t.isFloat()) return random.nextInt(-64, 64) / 8.0;
    if (t.isUInt()) return random.nextInt(0, 256);
    return random.nextInt(-50, 50);
  };

  private static Region region(Argument a, Case c) {
    Region r = c.buffers().get(a.name());
    if (r == null) throw new IllegalArgumentException("case " + c.name() + " gives no region for buffer " + a.name());
    return r;
  }

  /** Runs {@code m} on {@code inputs} and new zero-filled output buffers, and returns those. */
  static Map<String, Buffer> run(LoweredModule m, Case c, Map<String, Buffer> inputs) {
    Map<String, Object> args = new LinkedHashMap<>(inputs);
    args.putAll(c.scalars());
    Map<String, Buffer> outputs = Interp.buffers(m, ArgumentKind.OUTPUT_BUFFER,
        a -> Buffer.allocate(Arena.ofAuto(), a.type(), region(a, c).mins(), region(a, c).extents()));
    return Interp.outcome(m, args, outputs).succeeded(() -> c.name() + "\n" + IrPrinter.print(m));
  }

  static final String UNROLLED_BY_EXTENT = """
      pipeline outputs(out)
      image in: int32 [1]

      func out(x): int32 {
        out(x) = in(x) + 1
        schedule {
          loops(x unrolled)
        }
      }
      """;

  @Test
  void unrollingALoopOfNonConstantExtentFailsNamingTheFuncStageAndLoop() {
    Pipeline p = IrParser.parsePipeline(UNROLLED_BY_EXTENT);
    LoweredModule flat = StorageFlatteningPass.flatten(ScheduleFunctionsPass.lower(p));
    String expected = "Func out stage 0: cannot unroll loop out.s0.x: its extent out.extent.0 is not a constant; split it"
        + " by a constant factor first";
    ScheduleException e = assertThrows(ScheduleException.class, () -> UnrollLoopsPass.unroll(flat, p.functions().keySet()));
    assertEquals(expected, e.getMessage());
    // The same through the default pipeline (without verification after each pass, which would
    // reject the loop as soon as it is built).
    PassFailedException f = assertThrows(PassFailedException.class,
        () -> LoweringPipeline.manager(Instrumentation.defaults()).run(p));
    assertEquals("unroll-loops", f.passName());
    assertEquals(expected, assertInstanceOf(ScheduleException.class, f.getCause()).getMessage());
    assertTrue(f.getMessage().contains("unroll-loops"), f.getMessage());
  }
}
