package dev.halogen.apps.cli;

import dev.halogen.apps.bench.ForwardBenchmark;
import dev.halogen.apps.bench.GradientBenchmark;
import dev.halogen.apps.bench.SimplifyBenchmark;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code halogen bench}: the benchmarks, one subcommand each. */
@Command(name = "bench", description = "Run a benchmark: simplify, forward or grad.")
final class BenchCommand implements Runnable {
  BenchCommand(Cli.Io io) {
    this.simplify = new Simplify(io);
    this.forward = new Forward(io);
    this.grad = new Grad(io);
  }

  final Simplify simplify;
  final Forward forward;
  final Grad grad;

  /** {@code halogen bench} alone names no benchmark: a usage error. */
  @Override
  public void run() {
    throw CliException.usage("expected a benchmark name: simplify, forward or grad");
  }

  @Command(name = "simplify", description = "Time the simplifier on 1k/10k/100k-node DAGs and let chains (medians, growth).")
  static final class Simplify implements Callable<Integer> {
    private final Cli.Io io;

    Simplify(Cli.Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      SimplifyBenchmark.run(io.out(), 3, 7);
      return 0;
    }
  }

  /** The options of the side-by-side benchmarks (Halogen and Halide 14), the same for each. */
  static final class SideBySideOptions {
    @Option(names = "--scale", paramLabel = "S", description = "the sizes times S, in (0, 1] (default: ${DEFAULT-VALUE})")
    double scale;

    @Option(names = "--warmups", paramLabel = "N", description = "untimed runs before timing (default: ${DEFAULT-VALUE})")
    int warmups;

    @Option(names = "--reps", paramLabel = "N", description = "timed runs; the median is reported (default: ${DEFAULT-VALUE})")
    int reps;

    @Option(names = "--halogen-only", description = "do not build and run the Halide program")
    boolean halogenOnly;

    @Parameters(paramLabel = "NAME", arity = "0..*", description = "the benchmarks to run (default: all)")
    List<String> cases = new ArrayList<>();

    SideBySideOptions(double scale, int warmups, int reps) {
      this.scale = scale;
      this.warmups = warmups;
      this.reps = reps;
    }

    /** A benchmark's options record, made from these: {@code (scale, warmups, reps, halide, cases)}. */
    @FunctionalInterface
    interface Maker<T> {
      T make(double scale, int warmups, int reps, boolean halide, List<String> cases);
    }

    /** The benchmark's options from the parsed command line; a bad value is a usage error. */
    <T> T options(Maker<T> maker, boolean halide) {
      try {
        return maker.make(scale, warmups, reps, halide && !halogenOnly, cases);
      } catch (IllegalArgumentException e) {
        throw CliException.usage(e.getMessage());
      }
    }
  }

  @Command(name = "forward", description = {
      "Run blur, conv5x5, bilateral and histogram compiled by Halogen (llvm) and by Halide 14 side by side;",
      "print medians, ratios, compile times and output checks."})
  static final class Forward implements Callable<Integer> {
    private static final ForwardBenchmark.Options DEFAULTS = ForwardBenchmark.Options.defaults();
    private final Cli.Io io;

    @Mixin
    final SideBySideOptions run = new SideBySideOptions(DEFAULTS.scale(), DEFAULTS.warmups(), DEFAULTS.repetitions());

    Forward(Cli.Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      return ForwardBenchmark.run(options(), io.out()) ? 0 : 1;
    }

    ForwardBenchmark.Options options() {
      return run.options(ForwardBenchmark.Options::new, DEFAULTS.halide());
    }
  }

  @Command(name = "grad", description = {
      "Run the gradients of conv1d and convlayer (propagateAdjoints) compiled by Halogen (llvm) and by Halide 14",
      "(propagate_adjoints) side by side; print medians, ratios, compile times and gradient checks."})
  static final class Grad implements Callable<Integer> {
    private static final GradientBenchmark.Options DEFAULTS = GradientBenchmark.Options.defaults();
    private final Cli.Io io;

    @Mixin
    final SideBySideOptions run = new SideBySideOptions(DEFAULTS.scale(), DEFAULTS.warmups(), DEFAULTS.repetitions());

    Grad(Cli.Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      return GradientBenchmark.run(options(), io.out()) ? 0 : 1;
    }

    GradientBenchmark.Options options() {
      return run.options(GradientBenchmark.Options::new, DEFAULTS.halide());
    }
  }
}
