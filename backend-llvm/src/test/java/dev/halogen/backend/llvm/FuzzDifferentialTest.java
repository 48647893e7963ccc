package dev.halogen.backend.llvm;

import static org.junit.jupiter.api.Assertions.fail;

import dev.halogen.backend.llvm.RandomPipelines.Case;
import dev.halogen.backend.llvm.RandomPipelines.Shape;
import dev.halogen.ir.Buffer;
import dev.halogen.ir.LoweredModule;
import dev.halogen.ir.Pipeline;
import dev.halogen.ir.Type;
import dev.halogen.ir.text.IrParser;
import dev.halogen.passes.Backends;
import dev.halogen.passes.CompiledModule;
import dev.halogen.passes.HalogenRuntimeException;
import dev.halogen.passes.Instrumentation;
import dev.halogen.passes.LoweringPipeline;
import dev.halogen.passes.PassFailedException;
import dev.halogen.passes.Target;
import dev.halogen.passes.lower.ScheduleException;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The fuzz test of issue #5: random pipelines with random legal schedules ({@link RandomPipelines}),
 * lowered by the default lowering pipeline and run on the interpreter and on llvm with the same
 * random inputs. Both must end the same way: the same outputs, or the same failure message. The
 * interpreter's result must also equal that of the same algorithm with the plain schedule (every
 * Func at the root), which catches lowering passes that change what a schedule computes.
 *
 * <p>Comparison: integers bit for bit; floats bit for bit (any NaN equals any NaN), except where
 * the schedule changes the order in which a float reduction combines values (then within {@value
 * #RELATIVE} relative to the larger magnitude, at least 1) and where an output calls the C math
 * library (then within {@value #ULPS} ulps between the backends).
 *
 * <p>The interpreter runs with int32 overflow checking: the generator promises values that fit,
 * and a schedule must not make an int32 computation overflow that the plain one does not.
 *
 * <p>{@code -Dseed=N} runs the cases of seed N (else a seed from the clock, printed first; under
 * continuous integration, with the environment variable {@code CI} set, the fixed {@value
 * #CI_SEED}, so that a change lands or not on its own merits and a red run is reproducible), {@code
 * -Dfuzz.count=K} runs K cases (500 by default), {@code -Dfuzz.case=C} runs the one case whose seed
 * C a failure prints; with it, {@code -Dfuzz.text=FILE} runs the pipeline text in FILE in place of
 * the case's own (with the case's inputs and plain schedule), to cut a failing case down by hand. A
 * schedule the lowering rejects fails the test (the generator makes legal schedules only), except
 * for regions whose bounds grow too large for the bounds analysis ({@link #TOO_LARGE_BOUNDS}), which
 * are counted.
 */
class FuzzDifferentialTest {
  private static final int ULPS = 2;
  private static final long CI_SEED = 20261121L;
  private static final Target INTERP = Target.of("interp", "check_int32_overflow");
  private static final Target LLVM = Target.of("llvm");

  /**
   * The message of a rejection that is not the generator's fault: {@link
   * dev.halogen.passes.analysis.Bounds} drops a symbolic bound of more than 400 nodes (its
   * MAX_END_SIZE) to the type's bound, so a region whose bounds grow that large through several
   * split, fused and guarded loops reads as unbounded. (The generator clamps every data-dependent
   * coordinate, so no region it makes is really unbounded.)
   */
  private static final Pattern TOO_LARGE_BOUNDS = Pattern.compile(
      "cannot infer the region of Func \\S+ to compute: dimension \\d+ \\(\\S+\\) is read or written over the unbounded interval .*"
          + "|(Input|Output|Constant) buffer \\S+ is accessed at dimension \\d+ over an unbounded range .*");

  /** How one case ended: the last two are problems. */
  private enum Outcome {
    AGREED, FAILED_ALIKE, BOUNDS_TOO_LARGE, NOT_LOWERED, DIFFERS;

    boolean problem() {
      return this == NOT_LOWERED || this == DIFFERS;
    }
  }

  /** One case's outcome, with the problem or the rejection's message. */
  private record Result(Outcome outcome, String detail) {}

  @Test
  void randomPipelinesAgreeBetweenTheInterpreterAndLlvm() throws Exception {
    Long only = Long.getLong("fuzz.case");
    long seed = Long.getLong("seed", System.getenv("CI") != null ? CI_SEED : System.nanoTime());
    int count = only != null ? 1 : Integer.getInteger("fuzz.count", 500);
    int threads = Integer.getInteger("fuzz.threads", 2);
    System.out.println("FuzzDifferentialTest: seed " + seed + " (rerun with -Dseed=" + seed + "), " + count + " cases on " + threads
        + " threads");
    SplittableRandom seeds = new SplittableRandom(seed);
    long[] caseSeeds = new long[count];
    for (int i = 0; i < count; i++) caseSeeds[i] = only != null ? only : seeds.nextLong();
    long start = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<Result>> results = new ArrayList<>();
    try {
      for (long caseSeed : caseSeeds) results.add(pool.submit(() -> runCase(caseSeed)));
      Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
      Map<String, Integer> features = new TreeMap<>();
      List<String> problems = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        Result r = results.get(i).get();
        counts.merge(r.outcome(), 1, Integer::sum);
        if (r.outcome().problem()) {
          problems.add("case " + i + " (seed " + caseSeeds[i] + ", rerun alone with -Dfuzz.case=" + caseSeeds[i] + "): " + r.detail());
        }
        for (String f : RandomPipelines.generate(caseSeeds[i]).features()) features.merge(f, 1, Integer::sum);
      }
      int agreed = counts.getOrDefault(Outcome.AGREED, 0) + counts.getOrDefault(Outcome.FAILED_ALIKE, 0);
      System.out.printf("FuzzDifferentialTest: seed %d: %d generated, %d lowered (%d rejected for bounds too large, %d failed),"
          + " %d agreed (%d of them failing alike at run time), %d differ, %.1f s%n", seed, count,
          agreed + counts.getOrDefault(Outcome.DIFFERS, 0), counts.getOrDefault(Outcome.BOUNDS_TOO_LARGE, 0),
          counts.getOrDefault(Outcome.NOT_LOWERED, 0), agreed, counts.getOrDefault(Outcome.FAILED_ALIKE, 0),
          counts.getOrDefault(Outcome.DIFFERS, 0), (System.nanoTime() - start) / 1e9);
      System.out.println("FuzzDifferentialTest: schedule features (cases using each): " + features);
      if (!problems.isEmpty()) {
        fail(problems.size() + " problem(s), seed " + seed + ":\n\n" + String.join("\n\n", problems.subList(0, Math.min(5, problems.size()))));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Generates, lowers, runs and compares one case. */
  private static Result runCase(long caseSeed) {
    Case c = RandomPipelines.generate(caseSeed);
    String text = c.text();
    String replacement = System.getProperty("fuzz.text");
    if (replacement != null) {
      try {
        text = java.nio.file.Files.readString(java.nio.file.Path.of(replacement));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    LoweredModule scheduled, baseline;
    try {
      // The plain schedule's lowering is not verified after every pass: it is the reference, and
      // the well-trodden path; the random schedule's is.
      baseline = lower(c.baseline(), Instrumentation.defaults());
      scheduled = lower(text, Instrumentation.forTests());
    } catch (PassFailedException e) {
      if (e.getCause() instanceof ScheduleException s) {
        if (TOO_LARGE_BOUNDS.matcher(s.getMessage()).matches()) return new Result(Outcome.BOUNDS_TOO_LARGE, s.getMessage());
        return problem(Outcome.NOT_LOWERED, "the lowering rejects the schedule: " + s.getMessage(), text, c);
      }
      return problem(Outcome.NOT_LOWERED, "the lowering fails in pass " + e.passName() + ": " + e.getCause(), text, c);
    } catch (RuntimeException e) {
      return problem(Outcome.NOT_LOWERED, "the lowering fails: " + e, text, c);
    }
    Map<String, Object> args = arguments(c, new SplittableRandom(caseSeed));
    Run plain = run(Backends.compile(baseline, INTERP), args);
    Run interp = run(Backends.compile(scheduled, INTERP), args);
    Run llvm;
    try {
      llvm = run(Backends.compile(scheduled, LLVM), args);
    } catch (RuntimeException e) {
      return problem(Outcome.DIFFERS, "llvm cannot compile the lowered module: " + e, text, c);
    }
    String problem = compare(interp, llvm, c.libm() ? ULPS : 0, "interp", "llvm");
    // With an input too small on purpose, the schedules may fail differently or one of them not at
    // all (they read different regions of it); otherwise the plain schedule must run, and the
    // schedule must agree with it.
    if (problem == null && !(c.smallInput() && (plain.failure() != null || interp.failure() != null))) {
      problem = plain.failure() != null ? "the plain schedule fails at run time: " + plain.failure()
          : compare(plain, interp, 0, "plain schedule (interp)", "schedule (interp)");
    }
    if (problem != null) return problem(Outcome.DIFFERS, problem, text, c);
    return new Result(interp.failure() != null ? Outcome.FAILED_ALIKE : Outcome.AGREED, "");
  }

  private static Result problem(Outcome outcome, String what, String text, Case c) {
    return new Result(outcome, what + "\n" + text + (c.scalars().isEmpty() ? "" : "scalars " + c.scalars() + "\n"));
  }

  private static LoweredModule lower(String text, Instrumentation instrumentation) {
    Pipeline p = IrParser.parsePipeline(text);
    return LoweringPipeline.manager(instrumentation).run(p).result().asLoops("the fuzz test").module();
  }

  /** The outputs after a run (by name), or its failure's message. */
  private record Run(Map<String, Buffer> outputs, String failure) {}

  private static Run run(CompiledModule m, Map<String, Object> args) {
    Map<String, Object> copy = new LinkedHashMap<>();
    Map<String, Buffer> outputs = new LinkedHashMap<>();
    for (LoweredModule.Argument a : m.module().entryPoints().getFirst().arguments()) {
      Object v = args.get(a.name());
      if (v instanceof Buffer b) {
        Buffer mine = b.copy();
        copy.put(a.name(), mine);
        if (a.kind() == LoweredModule.ArgumentKind.OUTPUT_BUFFER) outputs.put(a.name(), mine);
      } else {
        copy.put(a.name(), v);
      }
    }
    try {
      m.run(m.module().entryPoints().getFirst().name(), copy);
      return new Run(outputs, null);
    } catch (HalogenRuntimeException e) {
      return new Run(outputs, e.getMessage());
    }
  }

  /** The inputs (values in the generator's ranges), the outputs (random bits, so unwritten elements show), the scalars. */
  private static Map<String, Object> arguments(Case c, SplittableRandom random) {
    Map<String, Object> args = new LinkedHashMap<>(c.scalars());
    for (Shape s : c.inputs()) {
      Buffer b = Buffer.allocate(Arena.ofAuto(), s.type(), s.mins(), s.extents());
      RandomPipelines.Interval r = RandomPipelines.inputRange(s.type());
      b.forEachCoordinate(at -> {
        if (s.type().isFloat()) {
          // Multiples of 1/64: sums of a few are exact in float32, whatever their order.
          b.setFromDouble(random.nextInt((int) r.lo() * 64, (int) r.hi() * 64 + 1) / 64.0, at);
        } else {
          b.setFromDouble(random.nextLong(r.lo(), r.hi() + 1), at);
        }
      });
      args.put(s.name(), b);
    }
    for (Shape s : c.outputs()) {
      Buffer b = Buffer.allocate(Arena.ofAuto(), s.type(), s.mins(), s.extents());
      Differential.fill(b, Differential.Fill.ANY, random);
      args.put(s.name(), b);
    }
    return args;
  }

  /** Why {@code b} differs from {@code a} under the rules, or null when they agree. */
  private static String compare(Run a, Run b, int ulps, String aName, String bName) {
    if (a.failure() != null || b.failure() != null) {
      if (a.failure() != null && a.failure().equals(b.failure())) return null;
      return aName + (a.failure() == null ? " succeeds" : " fails: " + a.failure()) + "; " + bName
          + (b.failure() == null ? " succeeds" : " fails: " + b.failure());
    }
    for (String name : a.outputs().keySet()) {
      Buffer x = a.outputs().get(name), y = b.outputs().get(name);
      List<String> diffs = new ArrayList<>();
      x.forEachCoordinate(at -> {
        if (diffs.size() >= 4) return;
        String d = differs(x.type(), x, y, at, ulps);
        if (d != null) diffs.add(Arrays.toString(at) + ": " + aName + " " + d.replace("|", ", " + bName + " "));
      });
      if (!diffs.isEmpty()) return "output " + name + " (" + x.type() + ") differs: " + String.join("; ", diffs);
    }
    return null;
  }

  private static String differs(Type t, Buffer x, Buffer y, int[] at, int ulps) {
    if (!t.isFloat()) {
      long u = x.getAsLong(at), v = y.getAsLong(at);
      return u == v ? null : u + "|" + v;
    }
    float u = x.getFloat(at), v = y.getFloat(at);
    if (Float.isNaN(u) || Float.isNaN(v)) return Float.isNaN(u) && Float.isNaN(v) ? null : u + "|" + v;
    if (Float.floatToRawIntBits(u) == Float.floatToRawIntBits(v)) return null;
    if (Float.isInfinite(u) || Float.isInfinite(v)) return u + "|" + v;
    double diff = Math.abs((double) u - v);
    if (ulps > 0 && diff <= ulps * Math.ulp(Math.max(Math.abs(u), Math.abs(v)))) return null;
    return u + "|" + v;
  }
}
