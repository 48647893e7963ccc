package dev.halogen.backend.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.halogen.ir.Buffer;
import dev.halogen.ir.LoweredModule;
import dev.halogen.ir.LoweredModule.Argument;
import dev.halogen.ir.LoweredModule.ArgumentKind;
import dev.halogen.ir.Type;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The golden files of the passes in module {@code passes} are claims that the expected module means
 * what the input means: each pair runs on the interpreter with the same random scalars, inputs and
 * initial outputs, many times, at sizes that leave loops empty, shorter than a split factor and
 * with tails. For {@code simplify}, {@code partition-loops} and {@code cse} the outputs must agree
 * bit for bit, and a run that fails must fail in both. For {@code add-image-checks} the checked
 * module must fail with its assertion, before writing anything, whenever the unchecked one would
 * access a buffer out of bounds, and otherwise give the same outputs.
 */
class GoldenEquivalenceTest {
  private static final int TRIALS = 60;

  @TestFactory
  Stream<DynamicTest> expectedModulesMeanWhatTheirInputsMean() {
    List<DynamicTest> tests = new ArrayList<>();
    for (String pass : List.of("simplify", "partition-loops", "cse", "add-image-checks")) {
      for (Path in : Interp.goldenInputs(pass)) {
        tests.add(DynamicTest.dynamicTest(pass + "/" + Interp.goldenName(in),
            () -> compare(pass, Interp.parseModule(in), Interp.goldenExpected(in))));
      }
    }
    return tests.stream();
  }

  /** Integers: uint8 anywhere in its range, others in [-20, 20). */
  private static final Interp.Values VALUES = (t, r) -> t.equals(Type.U8) ? r.nextInt(256) : r.nextInt(-20, 20);

  private static void compare(String pass, LoweredModule before, LoweredModule after) {
    Random random = new Random(pass.hashCode() * 31L + before.name().hashCode());
    boolean checks = pass.equals("add-image-checks");
    int succeeded = 0;
    for (int trial = 0; trial < TRIALS; trial++) {
      Map<String, Object> inputs = new LinkedHashMap<>();
      Map<String, int[]> outputShapes = new LinkedHashMap<>();
      for (Argument a : before.entryPoints().getFirst().arguments()) {
        switch (a.kind()) {
          case SCALAR -> {
            assertEquals(Type.I32, a.type(), "scalar " + a.name());
            inputs.put(a.name(), random.nextInt(-2, 13));
          }
          // Inputs are mostly large enough (a uint8 index reaches 255); outputs are of any small size.
          case INPUT_BUFFER -> inputs.put(a.name(), buffer(a, random.nextInt(10) == 0 ? random.nextInt(8) : a.dimensions() == 1 ? 300 : 64, random));
          case OUTPUT_BUFFER -> outputShapes.put(a.name(), new int[] {random.nextInt(41), random.nextInt(-3, 4)});
        }
      }
      long outputSeed = random.nextLong();
      Interp.Outcome want = Interp.outcome(before, inputs, outputs(before, outputShapes, outputSeed));
      Interp.Outcome got = Interp.outcome(after, inputs, outputs(after, outputShapes, outputSeed));
      int t = trial;
      Supplier<String> where = () -> pass + " " + before.name() + ", trial " + t + " with " + inputs.keySet() + " " + scalars(inputs);
      if (checks && got.failure() != null) {
        assertTrue(got.failure().matches("(Input|Output|Constant) buffer \\S+ is accessed at dimension \\d+ over .*"),
            where.get() + ": " + got.failure());
        // Nothing written: the outputs hold their initial contents.
        Interp.assertSameOutputs(outputs(before, outputShapes, outputSeed), got.outputs(), where);
        continue;
      }
      if (checks && want.failure() != null) fail(where.get() + ": the checks let through a run that fails with " + want.failure());
      if (Interp.assertSameOutcome(want, got, where)) succeeded++;
    }
    System.out.println(pass + "/" + before.name() + ": " + succeeded + " of " + TRIALS + " runs succeeded");
    assertTrue(succeeded >= TRIALS / 5, pass + " " + before.name() + ": only " + succeeded + " runs succeeded");
  }

  private static String scalars(Map<String, Object> inputs) {
    StringBuilder sb = new StringBuilder();
    inputs.forEach((k, v) -> {
      if (v instanceof Integer) sb.append(k).append('=').append(v).append(' ');
    });
    return sb.toString().trim();
  }

  /**
   * The output buffers of {@code m}, each with the extent and min of its shape in every dimension,
   * filled from {@code seed}.
   */
  private static Map<String, Buffer> outputs(LoweredModule m, Map<String, int[]> shapes, long seed) {
    Random random = new Random(seed);
    return Interp.buffers(m, ArgumentKind.OUTPUT_BUFFER, a -> {
      int[] shape = shapes.get(a.name());
      return Interp.random(a.type(), same(a.dimensions(), shape[1]), same(a.dimensions(), shape[0]), VALUES, random);
    });
  }

  /** A buffer of {@code a}'s type with {@code extent} elements from -2 in each dimension, random contents. */
  private static Buffer buffer(Argument a, int extent, Random random) {
    return Interp.random(a.type(), same(a.dimensions(), -2), same(a.dimensions(), extent), VALUES, random);
  }

  private static int[] same(int n, int v) {
    int[] out = new int[n];
    Arrays.fill(out, v);
    return out;
  }
}
