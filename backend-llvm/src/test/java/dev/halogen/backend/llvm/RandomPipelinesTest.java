package dev.halogen.backend.llvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.halogen.backend.llvm.RandomPipelines.Case;
import dev.halogen.ir.Pipeline;
import dev.halogen.ir.text.IrParser;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The generator of the fuzz test: reproducible from its seed, parseable, and exercising every schedule feature it claims. */
class RandomPipelinesTest {
  @Test
  void theSameSeedGivesTheSameCase() {
    Case a = RandomPipelines.generate(20261121L), b = RandomPipelines.generate(20261121L);
    assertEquals(a.text(), b.text());
    assertEquals(a.baseline(), b.baseline());
    assertEquals(a.scalars(), b.scalars());
    assertEquals(a.inputs().size(), b.inputs().size());
    for (int i = 0; i < a.inputs().size(); i++) {
      assertEquals(a.inputs().get(i).name(), b.inputs().get(i).name());
      assertEquals(Arrays.toString(a.inputs().get(i).extents()), Arrays.toString(b.inputs().get(i).extents()));
    }
  }

  @Test
  void casesParseAndTheirPlainScheduleIsTheSameAlgorithmAtTheRoot() {
    Set<String> features = new TreeSet<>();
    for (long seed = 1; seed <= 400; seed++) {
      Case c = RandomPipelines.generate(seed);
      Pipeline scheduled = IrParser.parsePipeline(c.text());
      Pipeline plain = IrParser.parsePipeline(c.baseline());
      assertEquals(scheduled.outputs(), plain.outputs(), "seed " + seed);
      // The plain schedule has the same Funcs (rfactor adds its intermediates only when lowered), each with the same definitions.
      assertEquals(scheduled.functions().keySet(), plain.functions().keySet(), "seed " + seed);
      for (String f : plain.functions().keySet()) {
        assertEquals(scheduled.function(f).stageCount(), plain.function(f).stageCount(), "seed " + seed + ", Func " + f);
        for (int s = 0; s < plain.function(f).stageCount(); s++) {
          assertEquals(scheduled.function(f).stage(s).values(), plain.function(f).stage(s).values(), "seed " + seed + ", Func " + f);
        }
      }
      features.addAll(c.features());
    }
    Set<String> expected = new LinkedHashSet<>(Set.of("compute_at", "store_at outside compute_at", "inline with updates",
        "split auto", "split guard_with_if", "split round_up", "split shift_inwards", "fuse", "reorder", "vectorized",
        "vectorized rvar", "unrolled", "unrolled rvar", "parallel", "parallel rvar", "atomic", "rfactor", "parallel rfactor",
        "where", "rdom extent from a param", "bound", "store_in heap", "store_in stack", "input too small", "libm"));
    expected.removeAll(features);
    assertTrue(expected.isEmpty(), "400 cases never use " + expected);
  }
}
