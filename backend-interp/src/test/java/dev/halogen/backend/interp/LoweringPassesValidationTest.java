package dev.halogen.backend.interp;

import static org.junit.jupiter.api.Assertions.assertNotSame;

import dev.halogen.ir.Buffer;
import dev.halogen.ir.LoweredModule;
import dev.halogen.ir.LoweredModule.Argument;
import dev.halogen.ir.LoweredModule.ArgumentKind;
import dev.halogen.ir.Pipeline;
import dev.halogen.ir.Type;
import dev.halogen.ir.text.IrParser;
import dev.halogen.ir.text.IrPrinter;
import dev.halogen.passes.Instrumentation;
import dev.halogen.passes.IrProperty;
import dev.halogen.passes.IrUnit;
import dev.halogen.passes.Pass;
import dev.halogen.passes.PassManager;
import dev.halogen.passes.PassRun;
import dev.halogen.passes.VerifyGraphPass;
import dev.halogen.passes.lower.AddImageChecksPass;
import dev.halogen.passes.lower.CsePass;
import dev.halogen.passes.lower.PartitionLoopsPass;
import dev.halogen.passes.lower.ScheduleFunctionsPass;
import dev.halogen.passes.lower.SimplifyPass;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Translation validation of the passes after {@code schedule-functions}: each pipeline is lowered,
 * then transformed pass by pass (the default pipeline's {@code add-image-checks, simplify,
 * partition-loops, simplify, cse}, and {@code partition-loops, cse} straight on the unsimplified
 * loops), and every module on the way is run on the interpreter with the same random inputs and
 * the same random initial outputs; every output buffer must come out bit for bit as the loops
 * schedule-functions built produce it. Passes run under a pass manager with {@link
 * Instrumentation#forTests()}, which verifies the IR after each and checks the same-instance
 * contract. Sizes include split tails, sizes smaller than a split factor, non-zero mins and, where
 * the pipeline allows it, empty outputs.
 */
class LoweringPassesValidationTest {
  /**
   * A pipeline and the sizes to run it at.
   *
   * @param margin how far each image extends beyond the output's region on both sides, per dimension
   * @param partitioned whether partition-loops must change the loops (a split tail or a guard to remove)
   */
  record Case(String name, String pipeline, List<Shape> outputs, int margin, Map<String, Integer> scalars, boolean partitioned) {}

  /** Mins and extents of every output buffer (images get the same, widened by the margin, in their own dimension count). */
  record Shape(int[] mins, int[] extents) {
    static Shape of(int... minsThenExtents) {
      int n = minsThenExtents.length / 2;
      int[] mins = new int[n], extents = new int[n];
      for (int d = 0; d < n; d++) {
        mins[d] = minsThenExtents[d];
        extents[d] = minsThenExtents[n + d];
      }
      return new Shape(mins, extents);
    }

    @Override
    public String toString() {
      return Arrays.toString(mins) + " + " + Arrays.toString(extents);
    }
  }

  static final List<Shape> ONE_D = List.of(Shape.of(0, 10), Shape.of(-3, 8), Shape.of(5, 3), Shape.of(0, 1), Shape.of(2, 0));
  static final List<Shape> TWO_D = List.of(Shape.of(0, 0, 10, 7), Shape.of(-2, 3, 8, 6), Shape.of(1, -1, 3, 2), Shape.of(0, 0, 1, 1));

  static List<Case> cases() {
    List<Case> out = new ArrayList<>();
    out.add(new Case("guarded split, parallel", ScheduleFunctionsTest.split(", guard_with_if"), ONE_D, 0, Map.of(), true));
    out.add(new Case("shifted split", ScheduleFunctionsTest.split(", shift_inwards"),
        List.of(Shape.of(0, 10), Shape.of(-3, 4), Shape.of(7, 9)), 0, Map.of(), false));
    for (String levels : new String[] {"compute_at(out, 0, xo) store_at(out, 0, xo)", "compute_at(out, 0, yi) store_at(out, 0, yi)",
        "compute_at(out, 0, yi) store_at(out, 0, xo)", "compute_at(out, 0, xo) store_root", "compute_root store_root", ""}) {
      out.add(new Case("tiled blur " + levels, ScheduleFunctionsTest.tiledBlur(levels), TWO_D, 2, Map.of(), true));
    }
    out.add(new Case("blur at root", ScheduleFunctionsTest.blur("compute_root store_root"), ONE_D, 2, Map.of(), false));
    out.add(new Case("fused, split and vectorized", ScheduleFunctionsTest.FUSED, TWO_D, 0, Map.of(), true));
    out.add(new Case("update with a where predicate", """
        pipeline outputs(out)
        image in: int32 [1]

        func out(x): int32 {
          out(x) = 100
          over r(r.x [0, 10]) where r.x % 3 != 0 {
            out(x) = out(x) + in(r.x + x) * (r.x + 1)
          }
        }
        """, List.of(Shape.of(0, 6), Shape.of(-4, 5)), 10, Map.of(), false));
    // The predicate is an interval of r.x: the reduction loop gets a prologue, a steady state and an
    // epilogue, whose order matters (the update is not commutative).
    out.add(new Case("update with a window predicate", """
        pipeline outputs(out)
        image in: int32 [1]
        param k: int32

        func out(x): int32 {
          out(x) = 1
          over r(r.x [0, 10]) where 2 < r.x && r.x < k {
            out(x) = out(x) * 3 - in(x + r.x)
          }
        }
        """, List.of(Shape.of(0, 6), Shape.of(-4, 5), Shape.of(1, 0)), 10, Map.of("k", 8), true));
    out.add(new Case("histogram of an intermediate", """
        pipeline outputs(out)
        image in: uint8 [1]

        func hist(i): int32 {
          hist(i) = 0
          over r(r.x [in.min.0, in.extent.0]) {
            hist(cast<int32>(in(r.x)) % 16) = hist(cast<int32>(in(r.x)) % 16) + 1
          }
          compute_root store_root
        }

        func out(i): int32 {
          out(i) = hist(i) * 10 + i
          schedule {
            split(i, io, ii, 4, guard_with_if)
            loops(ii, io)
          }
        }
        """, List.of(Shape.of(0, 16), Shape.of(3, 10), Shape.of(0, 3)), 5, Map.of(), true));
    out.add(new Case("tuple output with a parameter", """
        pipeline outputs(pair)
        image in: int32 [1]
        param k: int32

        func pair(x): (int32, int32) {
          pair(x) = {in(x) + k, in(x) * x}
          schedule {
            split(x, xo, xi, 3, guard_with_if)
            loops(xi, xo parallel)
          }
        }
        """, ONE_D, 0, Map.of("k", 7), true));
    out.add(new Case("clamped reads of a guarded split", """
        pipeline outputs(out)
        image in: int32 [2]

        func out(x, y): int32 {
          out(x, y) = in(max(min(x - 1, in.min.0 + in.extent.0 - 1), in.min.0), y) * 2 + in(max(min(x + 1, in.min.0 + in.extent.0 - 1), in.min.0), y)
          schedule {
            split(x, xo, xi, 4, guard_with_if)
            loops(xi, xo, y)
          }
        }
        """, TWO_D, 0, Map.of(), true));
    out.add(new Case("two outputs sharing producers", """
        pipeline outputs(out, side)
        image in: int32 [1]
        param k: int32

        func a(x): int32 {
          a(x) = in(x) + k
          compute_root store_root
        }

        func b(x): int32 {
          b(x) = a(x) * 2
          schedule {
            split(x, xo, xi, 3, guard_with_if)
            loops(xi, xo)
          }
          compute_root store_root
        }

        func out(x): int32 {
          out(x) = a(x + 1) - 1 + b(x)
        }

        func side(x): int32 {
          side(x) = a(x) + 5
        }
        """, List.of(Shape.of(0, 10), Shape.of(-3, 7), Shape.of(0, 2)), 1, Map.of("k", -4), true));
    return out;
  }

  /** The pass lists applied to the loops of schedule-functions, each module after each pass checked. */
  static final List<List<Pass>> SEQUENCES = List.of(
      List.of(new AddImageChecksPass(), new SimplifyPass(), new PartitionLoopsPass(), new SimplifyPass(), new CsePass()),
      List.of(new PartitionLoopsPass(), new CsePass()));

  /** One module to run: its name says which passes made it. */
  record Stage(String name, LoweredModule module) {}

  @TestFactory
  Stream<DynamicTest> everyPassPreservesEveryOutput() {
    return cases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> validate(c)));
  }

  private static void validate(Case c) {
    Pipeline p = IrParser.parsePipeline(c.pipeline());
    PassRun built = PassManager.builder().add(new VerifyGraphPass()).add(new ScheduleFunctionsPass())
        .instrumentation(Instrumentation.forTests()).build().run(p);
    List<Stage> stages = new ArrayList<>();
    Stage reference = new Stage(ScheduleFunctionsPass.NAME, built.result().asLoops("test").module());
    for (List<Pass> sequence : SEQUENCES) {
      IrUnit unit = built.result();
      Set<IrProperty> properties = built.properties();
      String name = ScheduleFunctionsPass.NAME;
      for (Pass pass : sequence) {
        PassRun r = PassManager.builder().add(pass).initialProperties(properties).instrumentation(Instrumentation.forTests())
            .build().run(unit);
        if (pass instanceof PartitionLoopsPass && c.partitioned()) {
          assertNotSame(unit, r.result(), c.name() + ": partition-loops left the loops as they were:\n" + unit.text());
        }
        unit = r.result();
        properties = r.properties();
        name += " -> " + pass.name();
        stages.add(new Stage(name, unit.asLoops("test").module()));
      }
    }
    Random random = new Random(c.name().hashCode());
    for (Shape shape : c.outputs()) {
      Map<String, Object> inputs = new LinkedHashMap<>(c.scalars());
      inputs.putAll(Interp.buffers(reference.module(), ArgumentKind.INPUT_BUFFER, a -> input(a, c, shape, random)));
      Map<String, Buffer> expected = run(reference, inputs, shape, random.nextLong());
      long outputSeed = random.nextLong();
      for (Stage s : stages) {
        Interp.assertSameOutputs(expected, run(s, inputs, shape, outputSeed),
            () -> c.name() + " at " + shape + " after " + s.name() + "\n" + IrPrinter.print(s.module()));
      }
    }
  }

  /** Integers: uint8 anywhere in its range, others in [-100, 100). */
  private static final Interp.Values VALUES = (t, r) -> t.equals(Type.U8) ? r.nextInt(256) : r.nextInt(-100, 100);

  /** A random image over the output's region widened by the margin (extent 1 in dimensions the output does not have). */
  private static Buffer input(Argument a, Case c, Shape shape, Random random) {
    int[] mins = new int[a.dimensions()], extents = new int[a.dimensions()];
    for (int d = 0; d < a.dimensions(); d++) {
      boolean fromOutput = d < shape.mins().length;
      mins[d] = (fromOutput ? shape.mins()[d] : 0) - c.margin();
      extents[d] = (fromOutput ? shape.extents()[d] : 1) + 2 * c.margin();
    }
    return Interp.random(a.type(), mins, extents, VALUES, random);
  }

  /**
   * Runs stage {@code s} with {@code inputs} and output buffers of {@code shape} filled from {@code
   * outputSeed} (the same initial contents for every stage, so an element a stage fails to write
   * shows), returning the outputs.
   */
  private static Map<String, Buffer> run(Stage s, Map<String, Object> inputs, Shape shape, long outputSeed) {
    Random random = new Random(outputSeed);
    Map<String, Buffer> outputs = Interp.buffers(s.module(), ArgumentKind.OUTPUT_BUFFER,
        a -> Interp.random(a.type(), shape.mins(), shape.extents(), VALUES, random));
    return Interp.outcome(s.module(), inputs, outputs).succeeded(() -> s.name() + " at " + shape);
  }
}
