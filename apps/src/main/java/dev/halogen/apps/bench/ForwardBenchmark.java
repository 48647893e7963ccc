package dev.halogen.apps.bench;

import dev.halogen.CompiledPipeline;
import dev.halogen.apps.bench.ForwardPipelines.Built;
import dev.halogen.apps.bench.ForwardPipelines.Case;
import dev.halogen.ir.Buffer;
import dev.halogen.ir.Type;
import dev.halogen.passes.Target;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * {@code halogen bench forward}: the four pipelines of {@link ForwardPipelines}, compiled by
 * Halogen's {@code llvm} backend and by Halide 14 ({@link HalideProgram}) with the same algorithms
 * and schedules, run side by side on the same inputs. Both sides realize into a preallocated output
 * buffer from preallocated inputs, a few warm-up runs and then timed repetitions, one run of each
 * compiler in turn; the table shows
 * the medians and their ratio, the compile times, and whether the two outputs agree (bit for bit for
 * integer outputs, within {@link Case#tolerance()} for float ones), so neither side can skip work.
 */
public final class ForwardBenchmark {
  private ForwardBenchmark() {}

  /** What to run: the output sizes are the times {@code scale}. */
  public record Options(double scale, int warmups, int repetitions, boolean halide, List<String> cases) {
    public Options {
      if (!(scale > 0 && scale <= 1)) throw new IllegalArgumentException("--scale must be in (0, 1], got " + scale);
      if (warmups < 0) throw new IllegalArgumentException("--warmups must be at least 0, got " + warmups);
      if (repetitions < 1) throw new IllegalArgumentException("--reps must be at least 1, got " + repetitions);
      List<String> known = ForwardPipelines.all().stream().map(Case::name).toList();
      for (String c : cases) {
        if (!known.contains(c)) throw new IllegalArgumentException("unknown benchmark '" + c + "'; the benchmarks are " + String.join(", ", known));
      }
      cases = List.copyOf(cases);
    }

    public static Options defaults() {
      return new Options(1.0, 10, 21, true, List.of());
    }
  }

  /** One benchmark's results (of this class or {@link GradientBenchmark}); the Halide fields are null when Halide did not run. */
  record Row(String name, String size, Harness.Measurement halogen, double halogenCompileFirst, double halogenCompileAgain,
      HalideProgram.@Nullable Compiled halide, double @Nullable [] halideMillis, String check) {}

  /**
   * Halogen's target: llvm with fused multiply-adds ({@code LlvmBackend.FMA}), which Halide's JIT
   * uses by default; without it Halogen rounds every float operation separately (its exact default).
   */
  private static final Target LLVM = Target.of("llvm", "fma");

  /** Runs the benchmarks and prints the table; returns false when an output disagreed between the two compilers. */
  public static boolean run(Options options, PrintStream out) {
    HalideProgram.Availability halide = options.halide() ? HalideProgram.locate(HalideProgram.FORWARD) : new HalideProgram.Missing("--halogen-only was given");
    HalideProgram program = halide instanceof HalideProgram.Available(HalideProgram p) ? p : null;
    if (halide instanceof HalideProgram.Missing(String reason)) out.println("Halide 14 does not run, only Halogen: " + reason);
    else if (program != null && program.buildMillis() > 0) out.printf(Locale.ROOT, "built the Halide program with g++ in %.1f s%n", program.buildMillis() / 1e3);

    List<Row> rows = new ArrayList<>();
    boolean agree = true;
    for (Case c : ForwardPipelines.all()) {
      if (!options.cases().isEmpty() && !options.cases().contains(c.name())) continue;
      int width = scaled(c.width(), options.scale(), 256);
      int height = scaled(c.height(), options.scale(), 64);
      out.println("-- " + c.describe(width, height));
      Row row = runCase(c, width, height, options, program);
      out.println("   " + row.check());
      agree &= !row.check().startsWith("DIFFERENT");
      rows.add(row);
    }
    out.println();
    out.print(table(rows, options.repetitions(), options.warmups(), options.scale()));
    out.println(machine(rows));
    return agree;
  }

  /** {@code n * scale} rounded, at least {@code least} (the tile and block sizes need that much). */
  static int scaled(int n, double scale, int least) {
    return Math.max(least, (int) Math.round(n * scale));
  }

  private static Row runCase(Case c, int width, int height, Options options, @Nullable HalideProgram program) {
    List<Buffer> inputs = c.inputs(width, height, 42);
    Path dir = null;
    HalideProgram.Session halide = null;
    try {
      if (program != null) {
        dir = Files.createTempDirectory("halogen-bench-" + c.name());
        for (int i = 0; i < inputs.size(); i++) write(dir.resolve("input" + i + ".raw"), inputs.get(i).segment());
        halide = program.start(c.name(), dir, width, height);
      }

      long t0 = System.nanoTime();
      Built first = c.build();
      first.pipeline().compile(LLVM);
      double compileFirst = (System.nanoTime() - t0) / 1e6;
      t0 = System.nanoTime();
      Built built = c.build();
      CompiledPipeline compiled = built.pipeline().compile(LLVM);
      double compileAgain = (System.nanoTime() - t0) / 1e6;
      for (int i = 0; i < inputs.size(); i++) built.inputs().get(i).set(inputs.get(i));
      Buffer output = c.output(width, height);

      Timings times = interleave(options.warmups(), options.repetitions(), halide, () -> compiled.realize(output));

      String check = "outputs: not compared (no Halide)";
      if (halide != null) {
        halide.writeOutput();
        double diff = maxDifference(map(dir.resolve("halide_out0.raw"), c.output(width, height)), output);
        check = (diff <= c.tolerance() ? "outputs agree" : "DIFFERENT outputs")
            + (c.tolerance() == 0 ? " bit for bit" : String.format(Locale.ROOT, ": largest difference %.3g (allowed %.0g)", diff, c.tolerance()));
      }
      return new Row(c.name(), width + "x" + height, new Harness.Measurement(c.name(), times.halogen()), compileFirst, compileAgain,
          halide == null ? null : halide.compiled(), halide == null ? null : times.halide(), check);
    } catch (IOException e) {
      throw new UncheckedIOException("the forward benchmark " + c.name() + " could not exchange data with the Halide program", e);
    } finally {
      try {
        if (halide != null) halide.close();
      } catch (IOException e) {
        // The program is ending anyway; its results are in hand.
      }
      if (dir != null) deleteTree(dir);
    }
  }

  /** The milliseconds of each timed run of both sides (Halide's are zeros when it did not run). */
  record Timings(double[] halogen, double[] halide) {}

  /**
   * Warm-up runs, then timed runs, one run of Halide (when {@code halide} is not null) and one of
   * Halogen in turn, so that on a shared machine both see the same load.
   */
  static Timings interleave(int warmups, int repetitions, HalideProgram.@Nullable Session halide, Runnable halogen) throws IOException {
    double[] halogenMillis = new double[repetitions];
    double[] halideMillis = new double[repetitions];
    for (int i = -warmups; i < repetitions; i++) {
      if (halide != null) {
        double ms = halide.run();
        if (i >= 0) halideMillis[i] = ms;
      }
      long t0 = System.nanoTime();
      halogen.run();
      if (i >= 0) halogenMillis[i] = (System.nanoTime() - t0) / 1e6;
    }
    return new Timings(halogenMillis, halideMillis);
  }

  /** The largest difference between two buffers of one type and shape (infinite where only one is NaN). */
  public static double maxDifference(Buffer a, Buffer b) {
    if (!a.type().equals(b.type()) || a.dimensions() != b.dimensions()) {
      throw new IllegalArgumentException("cannot compare a " + a.type() + " " + a.boundsText() + " buffer with a " + b.type() + " " + b.boundsText() + " one");
    }
    for (int d = 0; d < a.dimensions(); d++) {
      if (a.min(d) != b.min(d) || a.extent(d) != b.extent(d)) {
        throw new IllegalArgumentException("the buffers cover " + a.boundsText() + " and " + b.boundsText());
      }
    }
    double worst = 0;
    long n = a.elementCount();
    for (long k = 0; k < n; k++) {
      double x = element(a, k);
      double y = element(b, k);
      double diff = Double.isNaN(x) || Double.isNaN(y) ? (Double.isNaN(x) && Double.isNaN(y) ? 0 : Double.POSITIVE_INFINITY) : Math.abs(x - y);
      worst = Math.max(worst, diff);
    }
    return worst;
  }

  /** Element {@code k} in memory order of a dense buffer. */
  private static double element(Buffer b, long k) {
    MemorySegment s = b.segment();
    Type t = b.type();
    return switch (t.code()) {
      case FLOAT -> t.bits() == 32 ? s.getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, k) : s.getAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED, k);
      case UINT -> switch (t.bits()) {
        case 8 -> Byte.toUnsignedInt(s.getAtIndex(ValueLayout.JAVA_BYTE, k));
        case 16 -> Short.toUnsignedInt(s.getAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, k));
        default -> Integer.toUnsignedLong(s.getAtIndex(ValueLayout.JAVA_INT_UNALIGNED, k));
      };
      case INT -> s.getAtIndex(ValueLayout.JAVA_INT_UNALIGNED, k);
      case BOOL, HANDLE -> throw new IllegalArgumentException("the benchmarks have no " + t + " outputs");
    };
  }

  static void write(Path file, MemorySegment data) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      var bytes = data.asByteBuffer();
      while (bytes.hasRemaining()) ch.write(bytes);
    }
  }

  /** The raw file the Halide program wrote, as a buffer of {@code shape}'s type and bounds. */
  static Buffer map(Path file, Buffer shape) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long bytes = shape.elementCount() * shape.type().bytes();
      if (ch.size() != bytes) throw new IOException(file + " has " + ch.size() + " bytes, expected " + bytes);
      MemorySegment seg = Arena.ofAuto().allocate(Math.max(bytes, 1), 64).asSlice(0, bytes);
      seg.copyFrom(ch.map(FileChannel.MapMode.READ_ONLY, 0, bytes, Arena.ofAuto()));
      long[] strides = new long[shape.dimensions()];
      for (int d = 0; d < strides.length; d++) strides[d] = shape.stride(d);
      return Buffer.wrap(shape.type(), seg, shape.mins(), shape.extents(), strides);
    }
  }

  static void deleteTree(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    } catch (IOException e) {
      // A temporary folder left behind is harmless; the results are already in hand.
    }
  }

  /** The table of results: medians, ratios, compile times, and the geometric mean of the ratios. */
  static String table(List<Row> rows, int repetitions, int warmups, double scale) {
    List<String> header = List.of("benchmark", "size", "Halogen ms", "Halide ms", "Halogen/Halide", "Halogen compile ms (first, again)",
        "Halide compile ms (first, again)");
    List<List<String>> cells = new ArrayList<>();
    double logSum = 0;
    int compared = 0;
    for (Row r : rows) {
      double[] halideMillis = r.halideMillis();
      String halideMedian = halideMillis == null ? "-" : Harness.format(median(halideMillis));
      String ratio = "-";
      if (halideMillis != null) {
        double q = r.halogen().median() / median(halideMillis);
        ratio = String.format(Locale.ROOT, "%.2fx", q);
        logSum += Math.log(q);
        compared++;
      }
      cells.add(List.of(r.name(), r.size(), Harness.format(r.halogen().median()), halideMedian, ratio,
          String.format(Locale.ROOT, "%.0f, %.0f", r.halogenCompileFirst(), r.halogenCompileAgain()),
          r.halide() == null ? "-" : String.format(Locale.ROOT, "%.0f, %.0f", r.halide().compileFirstMillis(), r.halide().compileAgainMillis())));
    }
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "medians of %d runs after %d warm-up runs, scale %s%n", repetitions, warmups, scale));
    sb.append(Harness.textTable(header, cells));
    if (compared > 0) sb.append(String.format(Locale.ROOT, "geometric mean of Halogen/Halide: %.2fx%n", Math.exp(logSum / compared)));
    return sb.toString();
  }

  static double median(double[] millis) {
    return new Harness.Measurement("", millis).median();
  }

  /** One line: the CPU, the cores, the JVM and Halide's target. */
  static String machine(List<Row> rows) {
    String cpu = "unknown CPU";
    try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
      cpu = lines.filter(l -> l.startsWith("model name")).findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(cpu);
    } catch (IOException | UncheckedIOException e) {
      // Not Linux: the core count and the JVM still say something.
    }
    String target = rows.stream().filter(r -> r.halide() != null).map(r -> r.halide().target()).findFirst().orElse("-");
    return "machine: " + cpu + ", " + Runtime.getRuntime().availableProcessors() + " cores; Java " + Runtime.version()
        + "; Halide target " + target;
  }
}
