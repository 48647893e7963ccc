package dev.halogen;

import static org.junit.jupiter.api.Assertions.fail;

import dev.halogen.ir.Parameter;
import dev.halogen.ir.text.IrPrinter;
import dev.halogen.passes.Target;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
 * <p>{@code -Dseed=N} runs the cases of seed N (else a seed from the clock, printed first; under
 * continuous integration, with the environment variable {@code CI} set, the fixed {@value #CI_SEED},
 * as the fuzz test of the backends does, so that a red run is reproducible), {@code
 * -Dcase=K} only case K of that seed (a failure prints both), {@code -Dad.count=C} runs C cases (300
 * by default), {@code -Dad.target=T} runs them on backend T (interp by default, which needs no
 * compilation per pipeline), {@code -Dad.threads=N} on N threads (2 by default).
 */
class AutodiffPropertyTest {
  private static final long CI_SEED = 20261121L;
  private static final double TOLERANCE = 1e-4;
  private static final double H = 1e-6;
  private static final double MAX_SKIPPED_FRACTION = 0.01;
  /** One case in this many keeps the default schedule (adjoints inline); the others compute every Func at the root. */
  private static final int ROOT_EVERY = 5;
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  /** What one case found: a problem (null when its gradients are right) and its counts. */
  private record Outcome(String problem, int inputs, int compared, int skipped, long cpuNanos) {}

  @Test
  void randomPipelinesHaveTheirTrueGradients() throws Exception {
    long seed = Long.getLong("seed", System.getenv("CI") != null ? CI_SEED : System.nanoTime());
    Integer only = Integer.getInteger("case");
    int count = Integer.getInteger("ad.count", 300);
    int threads = Integer.getInteger("ad.threads", 2);
    Target target = Target.of(System.getProperty("ad.target", "interp"));
    System.out.println("AutodiffPropertyTest: seed " + seed + " (rerun with -Dseed=" + seed + "), " + count + " cases on " + target + ", "
        + threads + " threads");
    SplittableRandom seeds = new SplittableRandom(seed);
    long start = System.nanoTime();
    Map<String, Integer> features = new TreeMap<>();
    List<Integer> ks = new ArrayList<>();
    List<Future<Outcome>> outcomes = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int k = 0; k < count; k++) {
        long caseSeed = seeds.nextLong();
        if (only != null && only != k) continue;
        int caseIndex = k;
        ks.add(k);
        for (String f : RandomAdPipelines.generate(caseSeed).features()) features.merge(f, 1, Integer::sum);
        outcomes.add(pool.submit(() -> runCase(seed, caseIndex, caseSeed, target)));
      }
      List<String> problems = new ArrayList<>();
      int compared = 0, skipped = 0, inputs = 0;
      long cpu = 0;
      for (Future<Outcome> f : outcomes) {
        Outcome o = f.get();
        if (o.problem() != null) problems.add(o.problem());
        inputs += o.inputs();
        compared += o.compared();
        skipped += o.skipped();
        cpu += o.cpuNanos();
      }
      System.out.printf("AutodiffPropertyTest: seed %d: %d cases, %d inputs, %d coordinates compared, %d skipped at kinks, %d wrong,"
          + " %.1f s (%.1f s of CPU)%n", seed, ks.size(), inputs, compared, skipped, problems.size(), (System.nanoTime() - start) / 1e9,
          cpu / 1e9);
      System.out.println("AutodiffPropertyTest: features (cases using each): " + features);
      if (!problems.isEmpty()) {
        fail(problems.size() + " of " + ks.size() + " cases (seed " + seed + ") have wrong gradients or failed:\n\n"
            + String.join("\n\n", problems));
      }
      if (skipped > MAX_SKIPPED_FRACTION * (compared + skipped)) {
        fail(skipped + " of " + (compared + skipped) + " coordinates were skipped at kinks (seed " + seed + "): the generator puts too"
            + " many inputs next to kinks for the check to mean much");
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Case {@code k} of {@code seed}: its gradients against float64 central differences. */
  private static Outcome runCase(long seed, int k, long caseSeed, Target target) {
    long cpu = THREADS.getCurrentThreadCpuTime();
    RandomAdPipelines.Case c = RandomAdPipelines.generate(caseSeed);
    boolean root = k % ROOT_EVERY != 0;
    String where = "case " + k + " (" + (root ? "every Func at the root" : "default schedule") + "; rerun alone with -Dseed=" + seed
        + " -Dcase=" + k + ")";
    int inputs = 0, compared = 0, skipped = 0;
    String problem = null;
    try {
      Derivative d = Gradients.propagateAdjoints(c.loss());
      if (root) computeRootEverywhere(c, d);
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
      if (!bad.isEmpty()) problem = where + ": " + String.join("; ", bad) + "\n" + text(c);
    } catch (RuntimeException e) {
      problem = where + ": " + e + "\n" + text(c);
    }
    return new Outcome(problem, inputs, compared, skipped, THREADS.getCurrentThreadCpuTime() - cpu);
  }

  /**
   * Every Func of the loss and of its gradients computed at the root. The default schedule inlines
   * the adjoints and recomputes forward values inside them, which is correct but makes the
   * pipelines large to lower; the gradients' values do not depend on the schedule.
   */
  private static void computeRootEverywhere(RandomAdPipelines.Case c, Derivative d) {
    Deque<Func> work = new ArrayDeque<>(List.of(c.loss()));
    for (ImageParam p : c.images()) d.find(p).ifPresent(work::add);
    for (Param p : c.params()) d.find(p).ifPresent(work::add);
    Set<Func> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    while (!work.isEmpty()) {
      Func f = work.pop();
      if (!seen.add(f)) continue;
      f.computeRoot();
      for (Ref r : f.refs()) if (r instanceof Func g) work.push(g);
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
