package dev.halogen.backend.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.halogen.ir.Buffer;
import dev.halogen.ir.LoweredModule;
import dev.halogen.ir.LoweredModule.Argument;
import dev.halogen.ir.Type;
import dev.halogen.ir.text.IrParser;
import dev.halogen.passes.Backends;
import dev.halogen.passes.HalogenRuntimeException;
import dev.halogen.passes.Target;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
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
  private static final Path GOLDEN = Path.of("..", "passes", "src", "test", "resources", "golden");
  private static final int TRIALS = 60;

  @TestFactory
  Stream<DynamicTest> expectedModulesMeanWhatTheirInputsMean() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (String pass : List.of("simplify", "partition-loops", "cse", "add-image-checks")) {
      try (Stream<Path> files = Files.list(GOLDEN.resolve(pass))) {
        for (Path in : files.filter(p -> p.toString().endsWith(".hir") && !p.toString().endsWith(".expected.hir")).sorted().toList()) {
          String name = in.getFileName().toString().replace(".hir", "");
          Path expected = in.resolveSibling(name + ".expected.hir");
          tests.add(DynamicTest.dynamicTest(pass + "/" + name, () -> compare(pass, parse(in), parse(expected))));
        }
      }
    }
    return tests.stream();
  }

  private static LoweredModule parse(Path p) throws IOException {
    return IrParser.parseModule(Files.readString(p));
  }

  /** What one run gave: the output buffers, or the failure's message. */
  private record Outcome(Map<String, Buffer> outputs, @Nullable String failure) {}

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
      Outcome want = run(before, inputs, outputShapes, outputSeed);
      Outcome got = run(after, inputs, outputShapes, outputSeed);
      String where = pass + " " + before.name() + ", trial " + trial + " with " + inputs.keySet() + " " + scalars(inputs);
      if (checks) {
        if (got.failure() != null) {
          assertTrue(got.failure().matches("(Input|Output|Constant) buffer \\S+ is accessed at dimension \\d+ over .*"),
              where + ": " + got.failure());
          // Nothing written: the outputs hold their initial contents.
          assertEquals(run(before, inputs, outputShapes, outputSeed, true).outputs(), got.outputs(), where);
          continue;
        }
        if (want.failure() != null) fail(where + ": the checks let through a run that fails with " + want.failure());
      } else if ((want.failure() == null) != (got.failure() == null)) {
        fail(where + ": before " + want.failure() + ", after " + got.failure());
      }
      if (want.failure() == null) {
        succeeded++;
        assertEquals(want.outputs(), got.outputs(), where);
      }
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

  private static Outcome run(LoweredModule m, Map<String, Object> inputs, Map<String, int[]> shapes, long seed) {
    return run(m, inputs, shapes, seed, false);
  }

  /**
   * Runs {@code m} with output buffers of the given extent and min in every dimension, filled from
   * {@code seed}; with {@code dryRun} only makes the outputs.
   */
  private static Outcome run(LoweredModule m, Map<String, Object> inputs, Map<String, int[]> shapes, long seed, boolean dryRun) {
    Random random = new Random(seed);
    Map<String, Object> args = new LinkedHashMap<>(inputs);
    Map<String, Buffer> outputs = new LinkedHashMap<>();
    for (Argument a : m.entryPoints().getFirst().arguments()) {
      if (a.kind() != LoweredModule.ArgumentKind.OUTPUT_BUFFER) continue;
      int[] shape = shapes.get(a.name());
      int[] mins = new int[a.dimensions()], extents = new int[a.dimensions()];
      Arrays.fill(mins, shape[1]);
      Arrays.fill(extents, shape[0]);
      Buffer b = Buffer.allocate(Arena.ofAuto(), a.type(), mins, extents);
      fill(b, random);
      outputs.put(a.name(), b);
      args.put(a.name(), b);
    }
    if (dryRun) return new Outcome(outputs, null);
    try {
      Backends.find("interp").compile(m, Target.of("interp")).run(m.entryPoints().getFirst().name(), args);
      return new Outcome(outputs, null);
    } catch (HalogenRuntimeException e) {
      return new Outcome(outputs, e.getMessage());
    }
  }

  /** A buffer of {@code a}'s type with {@code extent} elements from -2 in each dimension, random contents. */
  private static Buffer buffer(Argument a, int extent, Random random) {
    int[] mins = new int[a.dimensions()], extents = new int[a.dimensions()];
    Arrays.fill(mins, -2);
    Arrays.fill(extents, extent);
    Buffer b = Buffer.allocate(Arena.ofAuto(), a.type(), mins, extents);
    fill(b, random);
    return b;
  }

  private static void fill(Buffer b, Random random) {
    b.forEachCoordinate(c -> b.setFromDouble(b.type().equals(Type.U8) ? random.nextInt(256) : random.nextInt(-20, 20), c));
  }
}
