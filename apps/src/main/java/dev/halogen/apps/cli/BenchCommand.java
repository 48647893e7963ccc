package dev.halogen.apps.cli;

import dev.halogen.apps.bench.ForwardBenchmark;
import dev.halogen.apps.bench.GradientBenchmark;
import dev.halogen.apps.bench.SimplifyBenchmark;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
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

  @Command(name = "forward", description = {
      "Run blur, conv5x5, bilateral and histogram compiled by Halogen (llvm) and by Halide 14 side by side;",
      "print medians, ratios, compile times and output checks."})
  static final class Forward implements Callable<Integer> {
    private final Cli.Io io;
    private final ForwardBenchmark.Options d = ForwardBenchmark.Options.defaults();

    Forward(Cli.Io io) {
      this.io = io;
      scale = d.scale();
      warmups = d.warmups();
      reps = d.repetitions();
    }

    @Option(names = "--scale", paramLabel = "S", description = "the output sizes times S, in (0, 1] (default: 1)")
    double scale;

    @Option(names = "--warmups", paramLabel = "N", description = "untimed runs before timing (default: ${DEFAULT-VALUE})")
    int warmups;

    @Option(names = "--reps", paramLabel = "N", description = "timed runs; the median is reported (default: ${DEFAULT-VALUE})")
    int reps;

    @Option(names = "--halogen-only", description = "do not build and run the Halide programs")
    boolean halogenOnly;

    @Parameters(paramLabel = "NAME", arity = "0..*", description = "the benchmarks to run (default: all)")
    List<String> cases = new ArrayList<>();

    @Override
    public Integer call() {
      return ForwardBenchmark.run(options(), io.out()) ? 0 : 1;
    }

    /** The benchmark's options from the parsed command line; a bad value is a usage error. */
    ForwardBenchmark.Options options() {
      try {
        return new ForwardBenchmark.Options(scale, warmups, reps, d.halide() && !halogenOnly, cases);
      } catch (IllegalArgumentException e) {
        throw CliException.usage(e.getMessage());
      }
    }
  }

  @Command(name = "grad", description = {
      "Run the gradients of conv1d and convlayer (propagateAdjoints) compiled by Halogen (llvm) and by Halide 14",
      "(propagate_adjoints) side by side; print medians, ratios, compile times and gradient checks."})
  static final class Grad implements Callable<Integer> {
    private final Cli.Io io;
    private final GradientBenchmark.Options d = GradientBenchmark.Options.defaults();

    Grad(Cli.Io io) {
      this.io = io;
      scale = d.scale();
      warmups = d.warmups();
      reps = d.repetitions();
    }

    @Option(names = "--scale", paramLabel = "S", description = "the sizes (N, W = H) times S, in (0, 1] (default: 1)")
    double scale;

    @Option(names = "--warmups", paramLabel = "N", description = "untimed runs before timing (default: ${DEFAULT-VALUE})")
    int warmups;

    @Option(names = "--reps", paramLabel = "N", description = "timed runs; the median is reported (default: ${DEFAULT-VALUE})")
    int reps;

    @Option(names = "--halogen-only", description = "do not build and run the Halide program")
    boolean halogenOnly;

    @Parameters(paramLabel = "NAME", arity = "0..*", description = "the benchmarks to run: conv1d, convlayer (default: both)")
    List<String> cases = new ArrayList<>();

    @Override
    public Integer call() {
      return GradientBenchmark.run(options(), io.out()) ? 0 : 1;
    }

    /** The benchmark's options from the parsed command line; a bad value is a usage error. */
    GradientBenchmark.Options options() {
      try {
        return new GradientBenchmark.Options(scale, warmups, reps, d.halide() && !halogenOnly, cases);
      } catch (IllegalArgumentException e) {
        throw CliException.usage(e.getMessage());
      }
    }
  }
}
