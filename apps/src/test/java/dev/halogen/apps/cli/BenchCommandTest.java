package dev.halogen.apps.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.halogen.apps.bench.ForwardBenchmark;
import dev.halogen.apps.bench.GradientBenchmark;
import java.io.PrintStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchCommandTest {
  /** The options {@code halogen bench forward ARGS} would run with. */
  private static ForwardBenchmark.Options forwardOptions(String... args) {
    BenchCommand.Forward forward = new BenchCommand.Forward(new Cli.Io(new PrintStream(PrintStream.nullOutputStream()), System.err));
    new CommandLine(forward).parseArgs(args);
    return forward.options();
  }

  @Test
  void benchForwardOptionsDefaultToTheIssuesSizes() {
    var o = forwardOptions("--scale", "0.5", "--reps", "3", "--halogen-only", "blur");
    assertEquals(0.5, o.scale());
    assertEquals(3, o.repetitions());
    assertEquals(false, o.halide());
    assertEquals(List.of("blur"), o.cases());
    var d = forwardOptions();
    var defaults = ForwardBenchmark.Options.defaults();
    assertEquals(1.0, d.scale());
    assertEquals(defaults.warmups(), d.warmups());
    assertEquals(defaults.repetitions(), d.repetitions());
    assertEquals(defaults.halide(), d.halide());
    assertEquals(List.of(), d.cases());
  }

  /** The options {@code halogen bench grad ARGS} would run with. */
  private static GradientBenchmark.Options gradOptions(String... args) {
    BenchCommand.Grad grad = new BenchCommand.Grad(new Cli.Io(new PrintStream(PrintStream.nullOutputStream()), System.err));
    new CommandLine(grad).parseArgs(args);
    return grad.options();
  }

  @Test
  void benchGradOptionsDefaultToTheIssuesSizes() {
    var o = gradOptions("--scale", "0.25", "--warmups", "2", "--reps", "5", "--halogen-only", "conv1d", "convlayer");
    assertEquals(0.25, o.scale());
    assertEquals(2, o.warmups());
    assertEquals(5, o.repetitions());
    assertEquals(false, o.halide());
    assertEquals(List.of("conv1d", "convlayer"), o.cases());
    var d = gradOptions();
    assertEquals(1.0, d.scale());
    assertEquals(10, d.warmups());
    assertEquals(21, d.repetitions());
    assertEquals(true, d.halide());
    assertEquals(List.of(), d.cases());
  }

  @Test
  void benchGradRejectsAnUnknownBenchmarkAndABadScale() {
    CliException e = assertThrows(CliException.class, () -> gradOptions("conv2d"));
    assertEquals("unknown benchmark 'conv2d'; the benchmarks are conv1d, convlayer", e.getMessage());
    e = assertThrows(CliException.class, () -> gradOptions("--scale", "2"));
    assertEquals("--scale must be in (0, 1], got 2.0", e.getMessage());
  }
}
