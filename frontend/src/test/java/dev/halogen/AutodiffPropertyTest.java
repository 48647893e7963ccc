package dev.halogen;

import static org.junit.jupiter.api.Assertions.fail;

import dev.halogen.ir.Parameter;
import dev.halogen.ir.text.IrPrinter;
import dev.halogen.passes.Target;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The gradients of random pipelines ({@link RandomAdPipelines}) are their true derivatives: for
 * each case, the gradient with respect to every float input image and float Param the loss reads is
 * compared with central differences of the loss evaluated in float64 ({@link
 * GradientCheck#checkFloat64}).
 *
 * <p>The gradient is computed in float32, so it may differ from the true derivative by float32
 * rounding: {@value #TOLERANCE} relative to {@code max(1, |gradient|)}. Coordinates within {@code h}
 * of a kink of the loss are skipped; more than {@value #MAX_SKIPPED_FRACTION} of them fails the test.
 *
 * <p>{@code -Dseed=N} runs the cases of seed N (else a seed from the clock, printed first), {@code
 * -Dcase=K} only case K of that seed (a failure prints both), {@code -Dad.count=C} runs C cases (300
 * by default), {@code -Dad.target=T} runs them on backend T (interp by default, which needs no
 * compilation per pipeline).
 */
class AutodiffPropertyTest {
  private static final double TOLERANCE = 1e-4;
  private static final double H = 1e-6;
  private static final double MAX_SKIPPED_FRACTION = 0.01;

  @Test
  void randomPipelinesHaveTheirTrueGradients() {
    long seed = Long.getLong("seed", System.nanoTime());
    Integer only = Integer.getInteger("case");
    int count = Integer.getInteger("ad.count", 300);
    Target target = Target.of(System.getProperty("ad.target", "interp"));
    System.out.println("AutodiffPropertyTest: seed " + seed + " (rerun with -Dseed=" + seed + "), " + count + " cases on " + target);
    SplittableRandom seeds = new SplittableRandom(seed);
    long start = System.nanoTime();
    List<String> problems = new ArrayList<>();
    Map<String, Integer> features = new TreeMap<>();
    int compared = 0, skipped = 0, inputs = 0, cases = 0;
    for (int k = 0; k < count; k++) {
      long caseSeed = seeds.nextLong();
      if (only != null && only != k) continue;
      cases++;
      RandomAdPipelines.Case c = RandomAdPipelines.generate(caseSeed);
      for (String f : c.features()) features.merge(f, 1, Integer::sum);
      String where = "case " + k + " (rerun alone with -Dseed=" + seed + " -Dcase=" + k + ")";
      try {
        Derivative d = Gradients.propagateAdjoints(c.loss());
        Set<String> read = new HashSet<>();
        for (Parameter p : c.loss().pipeline().toIr().parameters()) read.add(p.name());
        List<ImageParam> images = c.images().stream().filter(p -> read.contains(p.name())).toList();
        List<Param> params = c.params().stream().filter(p -> read.contains(p.name())).toList();
        List<String> bad = new ArrayList<>();
        for (GradientCheck.Result r : GradientCheck.checkFloat64(c.loss(), d, target, H, images, params)) {
          inputs++;
          compared += r.checked();
          skipped += r.skipped();
          if (!(r.maxRelativeError() <= TOLERANCE)) bad.add(r.toString());
        }
        if (!bad.isEmpty()) problems.add(where + ": " + String.join("; ", bad) + "\n" + text(c));
      } catch (RuntimeException e) {
        problems.add(where + ": " + e + "\n" + text(c));
      }
    }
    System.out.printf("AutodiffPropertyTest: seed %d: %d cases, %d inputs, %d coordinates compared, %d skipped at kinks, %d wrong, %.1f s%n",
        seed, cases, inputs, compared, skipped, problems.size(), (System.nanoTime() - start) / 1e9);
    System.out.println("AutodiffPropertyTest: features (cases using each): " + features);
    if (!problems.isEmpty()) {
      fail(problems.size() + " of " + cases + " cases (seed " + seed + ") have wrong gradients or failed:\n\n" + String.join("\n\n", problems));
    }
    if (skipped > MAX_SKIPPED_FRACTION * (compared + skipped)) {
      fail(skipped + " of " + (compared + skipped) + " coordinates were skipped at kinks (seed " + seed + "): the generator puts too many"
          + " inputs next to kinks for the check to mean much");
    }
  }

  private static String text(RandomAdPipelines.Case c) {
    try {
      return IrPrinter.print(c.loss().pipeline().toIr());
    } catch (RuntimeException e) {
      return "(no IR: " + e + ")";
    }
  }
}
