package dev.halogen.backend.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.halogen.ir.Buffer;
import dev.halogen.ir.Expr;
import dev.halogen.ir.IrRewriter;
import dev.halogen.ir.LoweredModule;
import dev.halogen.ir.Type;
import dev.halogen.ir.text.IrParser;
import dev.halogen.passes.Instrumentation;
import dev.halogen.passes.IrUnit;
import dev.halogen.passes.LoopsPass;
import dev.halogen.passes.LoweringPipeline;
import dev.halogen.passes.Pass;
import dev.halogen.passes.PassFailedException;
import dev.halogen.passes.PassManager;
import dev.halogen.passes.IrProperty;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Every pass of the default lowering pipeline, checked by {@link TranslationValidation} on
 * pipelines that exercise the schedule features: the IR before and after each pass that changes it
 * runs on the interpreter with the same random inputs and must give identical outputs.
 */
class TranslationValidationTest {
  private static final long SEED = Long.getLong("seed", System.nanoTime());

  static {
    System.out.println("TranslationValidationTest seed " + SEED + " (-Dseed=" + SEED + " reproduces)");
  }

  /** A pipeline, its parameters and its buffers' sizes. */
  record Case(String name, String text, Map<String, Object> scalars, Map<String, Buffer> inputs, Map<String, int[]> outputs) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Buffer randomInts(Type t, int seedOffset, int lo, int hi, int... extents) {
    return Interp.random(t, extents, (type, r) -> lo + r.nextInt(hi - lo + 1), new Random(SEED + seedOffset));
  }

  static Buffer randomFloats(int seedOffset, int... extents) {
    return Interp.random(Type.F32, extents, (type, r) -> r.nextFloat() * 2 - 1, new Random(SEED + seedOffset));
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case("tiled blur, producer per tile, vectorized and parallel", """
            pipeline outputs(blur_y)
            image in: int32 [2]

            func blur_x(x, y): int32 {
              blur_x(x, y) = clamped(x - 1, y) + clamped(x, y) + clamped(x + 1, y)
              schedule {
                split(x, x, x.v, 4)
                loops(x.v vectorized, x, y)
              }
              compute_at(blur_y, 0, xo) store_at(blur_y, 0, xo)
            }

            func blur_y(x, y): int32 {
              blur_y(x, y) = (blur_x(x, y - 1) + blur_x(x, y) + blur_x(x, y + 1)) / 9
              schedule {
                split(x, xo, xi, 8, guard_with_if)
                split(y, yo, yi, 5, guard_with_if)
                split(xi, xi, xi.v, 4)
                loops(xi.v vectorized, xi, yi, xo, yo parallel)
              }
            }

            func clamped(x, y): int32 {
              clamped(x, y) = in(max(min(x, in.extent.0 - 1), 0), max(min(y, in.extent.1 - 1), 0))
            }
            """, Map.of(), Map.of("in", randomInts(Type.I32, 1, -1000, 1000, 21, 13)), Map.of("blur_y", new int[] {21, 13})),
        new Case("split tails: shift inwards, guard with if, unroll", """
            pipeline outputs(out)
            image in: int32 [1]
            param k: int32

            func f(x): int32 {
              f(x) = in(x) * k + 1
              schedule {
                split(x, xo, xi, 3, shift_inwards)
                loops(xi unrolled, xo)
              }
              compute_root store_root
            }

            func out(x): int32 {
              out(x) = f(x) + f(x + 2)
              schedule {
                split(x, xo, xi, 4, guard_with_if)
                loops(xi unrolled, xo parallel)
              }
            }
            """, Map.of("k", 7), Map.of("in", randomInts(Type.I32, 2, -50, 50, 19)), Map.of("out", new int[] {17})),
        new Case("histogram with an atomic parallel reduction", """
            pipeline outputs(hist)
            image in: uint8 [2]

            func hist(i): int32 {
              hist(i) = 0
              over r(r.x [in.min.0, in.extent.0], r.y [in.min.1, in.extent.1]) {
                hist(cast<int32>(in(r.x, r.y)) % 16) = hist(cast<int32>(in(r.x, r.y)) % 16) + 1
                schedule {
                  loops(r.x rvar, r.y rvar parallel)
                  atomic
                }
              }
            }
            """, Map.of(), Map.of("in", randomInts(Type.U8, 3, 0, 255, 9, 7)), Map.of("hist", new int[] {16})),
        new Case("recursive filter (a scan) over a float image", """
            pipeline outputs(scan)
            image in: float32 [2]

            func scan(x, y): float32 {
              scan(x, y) = in(x, y)
              over r(r.x [1, in.extent.0 - 1]) {
                scan(r.x, y) = scan(r.x, y) * 0.75f + scan(r.x - 1, y) * 0.25f
                schedule {
                  loops(r.x rvar, y parallel)
                }
              }
            }
            """, Map.of(), Map.of("in", randomFloats(4, 11, 6)), Map.of("scan", new int[] {11, 6})),
        new Case("tuple argmin over a root Func", """
            pipeline outputs(best)

            func argmin_bowl(): (int32, int32, float32) {
              argmin_bowl() = {0, 0, inf_f32}
              over r(r.x [0, 10], r.y [0, 10]) {
                argmin_bowl() = {select(bowl(r.x, r.y) < argmin_bowl()[2], r.x, argmin_bowl()[0]), select(bowl(r.x, r.y) < argmin_bowl()[2], r.y, argmin_bowl()[1]), select(bowl(r.x, r.y) < argmin_bowl()[2], bowl(r.x, r.y), argmin_bowl()[2])}
              }
              compute_root store_root
            }

            func best(): (int32, int32, float32) {
              best() = {argmin_bowl()[0], argmin_bowl()[1], argmin_bowl()[2]}
            }

            func bowl(x, y): float32 {
              bowl(x, y) = cast<float32>((x - 3) * (x - 3) + (y - 5) * (y - 5))
              compute_root store_root
            }
            """, Map.of(), Map.of(), Map.of("best.0", new int[] {}, "best.1", new int[] {}, "best.2", new int[] {})),
        new Case("disk sum with a where predicate, computed per row, stored at the root", """
            pipeline outputs(disk_mean)
            image in: int32 [2]

            func disk_mean(x, y): int32 {
              disk_mean(x, y) = disk_sum(x, y) / 29
              schedule {
                split(x, xo, xi, 5, guard_with_if)
                loops(xi, xo, y)
              }
            }

            func disk_sum(x, y): int32 {
              disk_sum(x, y) = 0
              over r(r.x [-3, 7], r.y [-3, 7]) where r.x * r.x + r.y * r.y <= 9 {
                disk_sum(x, y) = disk_sum(x, y) + in(max(min(x + r.x, 12), 0), max(min(y + r.y, 9), 0))
              }
              compute_at(disk_mean, 0, y) store_root
            }
            """, Map.of(), Map.of("in", randomInts(Type.I32, 5, -100, 100, 13, 10)), Map.of("disk_mean", new int[] {13, 10})),
        new Case("a producer read by two consumers, fused and reordered loops", """
            pipeline outputs(out)
            image in: int16 [2]

            func a(x, y): int32 {
              a(x, y) = cast<int32>(in(x, y)) * 3
              compute_root store_root
            }

            func b(x, y): int32 {
              b(x, y) = a(x, y) - a(y % 4, x % 4)
              schedule {
                fuse(x, y, xy)
                loops(xy)
              }
              compute_root store_root
            }

            func out(x, y): int32 {
              out(x, y) = b(x, y) + a(x + 1, y)
              schedule {
                loops(y, x)
              }
            }
            """, Map.of(), Map.of("in", randomInts(Type.I16, 6, -300, 300, 10, 8)), Map.of("out", new int[] {9, 8})));
  }

  static PassManager validatingPipeline(Case c, TranslationValidation check) {
    return LoweringPipeline.manager(Instrumentation.forTests().toBuilder().afterPassCheck(check).build());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void everyPassPreservesTheOutputs(Case c) {
    TranslationValidation check = new TranslationValidation(c.scalars(), c.inputs(), c.outputs(), SEED);
    validatingPipeline(c, check).run(IrParser.parsePipeline(c.text()));
    // schedule-functions always changes the unit (graph to loops), so at least it was checked.
    assertTrue(check.checked.contains("schedule-functions"), "checked " + check.checked);
  }

  private static boolean readsData(Expr e) {
    return e instanceof Expr.Call || e instanceof Expr.Load;
  }

  /** A pass that swaps + for - somewhere must be caught: the check is not vacuous. */
  @Test
  void aMiscompilingPassIsCaught() {
    Case c = cases().filter(k -> k.name().startsWith("split tails")).findFirst().orElseThrow();
    Pass miscompile = new LoopsPass("miscompile", "turns the first addition of two loads or calls into a subtraction",
        Set.of(IrProperty.LOOPS_BUILT), Set.of(), Set.of()) {
      @Override
      protected LoweredModule transform(IrUnit.Loops loops) {
        boolean[] done = {false};
        return new IrRewriter() {
          @Override
          public Expr rewrite(Expr e) {
            if (!done[0] && e instanceof Expr.Add(var a, var b) && readsData(a) && readsData(b)) {
              done[0] = true;
              return new Expr.Sub(a, b);
            }
            return super.rewrite(e);
          }
        }.rewrite(loops.module());
      }
    };
    TranslationValidation check = new TranslationValidation(c.scalars(), c.inputs(), c.outputs(), SEED);
    PassManager pm = PassManager.builder().addAll(LoweringPipeline.passes()).add(miscompile)
        .instrumentation(Instrumentation.forTests().toBuilder().afterPassCheck(check).replayDirectory(null).build())
        .build();
    PassFailedException e = assertThrows(PassFailedException.class, () -> pm.run(IrParser.parsePipeline(c.text())));
    assertEquals("miscompile", e.passName());
    assertTrue(e.getMessage().contains("failed an after-pass check: output out differs at ["), e.getMessage());
    assertFalse(check.checked.isEmpty());
  }
}
