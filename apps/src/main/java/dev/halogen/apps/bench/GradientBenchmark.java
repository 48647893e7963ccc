package dev.halogen.apps.bench;

import dev.halogen.CompiledPipeline;
import dev.halogen.apps.bench.ForwardBenchmark.Row;
import dev.halogen.apps.bench.GradientPipelines.Built;
import dev.halogen.apps.bench.GradientPipelines.Case;
import dev.halogen.ir.Buffer;
import dev.halogen.passes.Target;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * {@code halogen bench grad}: the gradients of the two losses of {@link GradientPipelines},
 * compiled by Halogen's {@code llvm} backend and by Halide 14 ({@link HalideProgram#GRADIENT}, with
 * {@code propagate_adjoints}) with the same algorithms and schedules, run side by side on the same
 * inputs as {@link ForwardBenchmark} runs its pipelines (preallocated buffers, warm-ups, one run of
 * each compiler in turn, medians). Each side realizes both gradients with one pipeline; they must
 * agree within {@link GradientPipelines#RELATIVE_TOLERANCE} of their largest magnitude.
 */
public final class GradientBenchmark {
  private GradientBenchmark() {}

  /** What to run: the sizes are the times {@code scale} (N for conv1d, W = H for the layer). */
  public record Options(double scale, int warmups, int repetitions, boolean halide, List<String> cases) {
    public Options {
      if (!(scale > 0 && scale <= 1)) throw new IllegalArgumentException("--scale must be in (0, 1], got " + scale);
      if (warmups < 0) throw new IllegalArgumentException("--warmups must be at least 0, got " + warmups);
      if (repetitions < 1) throw new IllegalArgumentException("--reps must be at least 1, got " + repetitions);
      List<String> known = GradientPipelines.all().stream().map(Case::name).toList();
      for (String c : cases) {
        if (!known.contains(c)) throw new IllegalArgumentException("unknown benchmark '" + c + "'; the benchmarks are " + String.join(", ", known));
      }
      cases = List.copyOf(cases);
    }

    public static Options defaults() {
      return new Options(1.0, 10, 21, true, List.of());
    }
  }

  private static final Target LLVM = Target.of("llvm");

  /** Runs the benchmarks and prints the table; returns false when a gradient disagreed between the two compilers. */
  public static boolean run(Options options, PrintStream out) {
    HalideProgram.Availability halide = options.halide() ? HalideProgram.locate(HalideProgram.GRADIENT) : new HalideProgram.Missing("--halogen-only was given");
    HalideProgram program = halide instanceof HalideProgram.Available(HalideProgram p) ? p : null;
    if (halide instanceof HalideProgram.Missing(String reason)) out.println("Halide 14 does not run, only Halogen: " + reason);
    else if (program != null && program.buildMillis() > 0) out.printf(Locale.ROOT, "built the Halide program with g++ in %.1f s%n", program.buildMillis() / 1e3);

    List<Row> rows = new ArrayList<>();
    boolean agree = true;
    for (Case c : GradientPipelines.all()) {
      if (!options.cases().isEmpty() && !options.cases().contains(c.name())) continue;
      int size = ForwardBenchmark.scaled(c.size(), options.scale(), c.leastSize());
      out.println("-- " + c.describe(size));
      Row row = runCase(c, size, options, program);
      out.println("   " + row.check());
      agree &= !row.check().startsWith("DIFFERENT");
      rows.add(row);
    }
    out.println();
    out.print(ForwardBenchmark.table(rows, options.repetitions(), options.warmups(), options.scale()));
    out.println(ForwardBenchmark.machine(rows));
    return agree;
  }

  private static Row runCase(Case c, int size, Options options, @Nullable HalideProgram program) {
    List<Buffer> inputs = c.inputs(size, 42);
    Path dir = null;
    HalideProgram.Session halide = null;
    try {
      if (program != null) {
        dir = Files.createTempDirectory("halogen-bench-" + c.name());
        for (int i = 0; i < inputs.size(); i++) ForwardBenchmark.write(dir.resolve("input" + i + ".raw"), inputs.get(i).segment());
        halide = program.start(c.name(), dir, size);
      }

      long t0 = System.nanoTime();
      c.build(size).pipeline().compile(LLVM);
      double compileFirst = (System.nanoTime() - t0) / 1e6;
      t0 = System.nanoTime();
      Built built = c.build(size);
      CompiledPipeline compiled = built.pipeline().compile(LLVM);
      double compileAgain = (System.nanoTime() - t0) / 1e6;
      for (int i = 0; i < inputs.size(); i++) built.inputs().get(i).set(inputs.get(i));
      Buffer[] outputs = c.outputs(size).toArray(Buffer[]::new);

      ForwardBenchmark.Timings times = ForwardBenchmark.interleave(options.warmups(), options.repetitions(), halide, () -> compiled.realize(outputs));

      String check = "gradients: not compared (no Halide)";
      if (halide != null) {
        halide.writeOutput();
        List<Buffer> shapes = c.outputs(size);
        List<String> parts = new ArrayList<>();
        boolean same = true;
        for (int k = 0; k < outputs.length; k++) {
          double relative = relativeDifference(ForwardBenchmark.map(dir.resolve("halide_out" + k + ".raw"), shapes.get(k)), outputs[k]);
          same &= relative <= GradientPipelines.RELATIVE_TOLERANCE;
          parts.add(String.format(Locale.ROOT, "%s %.2g", k == 0 ? "d_input" : "d_weights", relative));
        }
        check = (same ? "gradients agree" : "DIFFERENT gradients") + ": largest difference relative to the largest magnitude "
            + String.join(", ", parts) + String.format(Locale.ROOT, " (allowed %.0g)", GradientPipelines.RELATIVE_TOLERANCE);
      }
      return new Row(c.name(), sizeText(c, size), new Harness.Measurement(c.name(), times.halogen()), compileFirst, compileAgain,
          halide == null ? null : halide.compiled(), halide == null ? null : times.halide(), check);
    } catch (IOException e) {
      throw new UncheckedIOException("the gradient benchmark " + c.name() + " could not exchange data with the Halide program", e);
    } finally {
      try {
        if (halide != null) halide.close();
      } catch (IOException e) {
        // The program is ending anyway; its results are in hand.
      }
      if (dir != null) ForwardBenchmark.deleteTree(dir);
    }
  }

  private static String sizeText(Case c, int size) {
    return switch (c) {
      case GradientPipelines.Conv1d _ -> "N=" + size;
      case GradientPipelines.ConvLayer _ -> size + "x" + size + "x" + GradientPipelines.CHANNELS + "x" + GradientPipelines.BATCH;
    };
  }

  /** The largest difference between two float buffers over the largest magnitude in {@code a} (the absolute difference when that is 0). */
  public static double relativeDifference(Buffer a, Buffer b) {
    double diff = ForwardBenchmark.maxDifference(a, b);
    double magnitude = 0;
    long n = a.elementCount();
    for (long k = 0; k < n; k++) magnitude = Math.max(magnitude, Math.abs(a.segment().getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, k)));
    return magnitude == 0 ? diff : diff / magnitude;
  }
}
