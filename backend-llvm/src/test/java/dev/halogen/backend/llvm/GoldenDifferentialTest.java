package dev.halogen.backend.llvm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.halogen.backend.llvm.Differential.Fill;
import dev.halogen.ir.Expr.CallKind;
import dev.halogen.ir.IrQueries;
import dev.halogen.ir.IrVerifier;
import dev.halogen.ir.LoweredModule;
import dev.halogen.ir.LoweredModule.Argument;
import dev.halogen.ir.Type;
import dev.halogen.ir.text.IrParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The golden files of the lowering passes (module {@code passes}) that are flattened modules, the
 * form backends compile (inputs and expected outputs of storage-flattening, unroll-loops,
 * vectorize-loops, ...), run on both backends (their first entry point) with the same random
 * arguments, at many sizes: where the interpreter runs them, llvm must give the same outputs bit for
 * bit. (backend-interp's GoldenEquivalenceTest runs them on the interpreter alone, against their
 * inputs.) The goldens have no image checks, so a run that reads outside a buffer is not given to
 * llvm, which does not check.
 */
class GoldenDifferentialTest {
  private static final Path GOLDEN = Path.of("..", "passes", "src", "test", "resources", "golden");
  private static final int TRIALS = 30;

  @TestFactory
  Stream<DynamicTest> flattenedGoldenModulesRunAlikeOnBothBackends() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    try (Stream<Path> files = Files.walk(GOLDEN)) {
      for (Path p : files.filter(f -> f.toString().endsWith(".hir")).sorted().toList()) {
        String text = Files.readString(p);
        if (!text.startsWith("module")) continue; // a pipeline: the input of schedule-functions
        LoweredModule m = IrParser.parseModule(text);
        if (!IrVerifier.problems(m, true).isEmpty()) continue; // not flattened
        // Extern functions of the goldens (ext) exist in neither the interpreter nor the process.
        if (m.entryPoints().stream().anyMatch(ep -> !IrQueries.calls(ep.body(), CallKind.EXTERN).isEmpty())) continue;
        tests.add(DynamicTest.dynamicTest(GOLDEN.relativize(p).toString(), () -> check(m, p.toString())));
      }
    }
    assertTrue(tests.size() >= 25, "only " + tests.size() + " flattened golden modules");
    return tests.stream();
  }

  private static void check(LoweredModule m, String name) {
    Random random = new Random(name.hashCode());
    int ran = 0;
    for (int trial = 0; trial < TRIALS; trial++) {
      Differential d = Differential.of(m);
      // Inputs mostly large enough (a uint8 index reaches 255), from -2; outputs of any small size and min.
      int outputExtent = random.nextInt(41), outputMin = random.nextInt(-3, 4);
      for (Argument a : m.entryPoints().getFirst().arguments()) {
        switch (a.kind()) {
          case SCALAR -> {
            if (a.type().equals(Type.I32)) d.scalar(a.name(), random.nextInt(-2, 13));
          }
          case INPUT_BUFFER -> d.buffer(a.name(), a.type().equals(Type.U8) ? Fill.ANY : Fill.SMALL, filled(a, -2),
              filled(a, random.nextInt(10) == 0 ? random.nextInt(8) : a.dimensions() == 1 ? 300 : 64));
          case OUTPUT_BUFFER -> d.buffer(a.name(), Fill.ANY, filled(a, outputMin), filled(a, outputExtent));
        }
      }
      if (d.checkWhereTheInterpreterSucceeds(trial) != null) ran++;
    }
    System.out.println("GoldenDifferentialTest " + name + ": " + ran + " of " + TRIALS + " runs on both backends");
    assertTrue(ran > 0, name + ": the interpreter never ran it");
  }

  private static int[] filled(Argument a, int v) {
    int[] out = new int[a.dimensions()];
    Arrays.fill(out, v);
    return out;
  }
}
