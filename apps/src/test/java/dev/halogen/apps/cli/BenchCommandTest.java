package dev.halogen.apps.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.halogen.apps.bench.ForwardBenchmark;
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
}
