package dev.halogen.apps;

import dev.halogen.BoundaryConditions;
import dev.halogen.Func;
import dev.halogen.ImageParam;
import dev.halogen.Param;
import dev.halogen.Pipeline;
import dev.halogen.Var;
import dev.halogen.apps.bench.ForwardBenchmark;
import dev.halogen.apps.bench.SimplifyBenchmark;
import dev.halogen.ir.IrVerifier;
import dev.halogen.ir.Type;
import dev.halogen.ir.json.IrJson;
import dev.halogen.ir.text.IrParser;
import dev.halogen.ir.text.IrPrinter;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code halogen} command-line tool. Until the optimisation demo lands, {@code demo} builds a
 * real pipeline through the Java API (a separable 3x3 blur of an edge-repeated image, scaled by a
 * parameter, tiled, vectorized and parallel), verifies its function graph, prints its IR text and
 * JSON, and checks that both read back to the same graph.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(List.of(args), System.out, System.err));
  }

  /** Runs one command; returns the process exit code (0 success, 2 usage error, 1 failure). */
  static int run(List<String> args, PrintStream out, PrintStream err) {
    String command = args.isEmpty() ? "--help" : args.getFirst();
    return switch (command) {
      case "demo" -> demo(out);
      case "bench" -> bench(args.subList(1, args.size()), out, err);
      case "--help", "-h", "help" -> {
        out.print(usage());
        yield 0;
      }
      default -> {
        err.println("halogen: unknown command '" + command + "'");
        err.print(usage());
        yield 2;
      }
    };
  }

  static String usage() {
    return """
        usage: halogen <command>
          demo     build a blur pipeline through the Java API and print its IR text and JSON
          bench simplify
                   time the simplifier on 1k/10k/100k-node DAGs and let chains (medians, growth)
          bench forward [--scale S] [--warmups N] [--reps N] [--halogen-only] [NAME...]
                   run blur, conv5x5, bilateral and histogram compiled by Halogen (llvm) and by
                   Halide 14 side by side; print medians, ratios, compile times, output checks
          test     (launcher only) build everything and run every test suite
          --help   this text
        """;
  }

  static int bench(List<String> args, PrintStream out, PrintStream err) {
    if (args.equals(List.of("simplify"))) {
      SimplifyBenchmark.run(out, 3, 7);
      return 0;
    }
    if (!args.isEmpty() && args.getFirst().equals("forward")) {
      ForwardBenchmark.Options options;
      try {
        options = forwardOptions(args.subList(1, args.size()));
      } catch (IllegalArgumentException e) {
        err.println("halogen bench forward: " + e.getMessage());
        return 2;
      }
      return ForwardBenchmark.run(options, out) ? 0 : 1;
    }
    err.println("halogen bench: expected a benchmark name: simplify or forward");
    return 2;
  }

  /** The options of {@code bench forward}; throws IllegalArgumentException naming what is wrong. */
  static ForwardBenchmark.Options forwardOptions(List<String> args) {
    ForwardBenchmark.Options d = ForwardBenchmark.Options.defaults();
    double scale = d.scale();
    int warmups = d.warmups();
    int reps = d.repetitions();
    boolean halide = d.halide();
    List<String> cases = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      switch (a) {
        case "--scale" -> scale = number(args, ++i, a);
        case "--warmups" -> warmups = (int) integer(args, ++i, a);
        case "--reps" -> reps = (int) integer(args, ++i, a);
        case "--halogen-only" -> halide = false;
        default -> {
          if (a.startsWith("-")) throw new IllegalArgumentException("unknown option " + a);
          cases.add(a);
        }
      }
    }
    return new ForwardBenchmark.Options(scale, warmups, reps, halide, cases);
  }

  private static double number(List<String> args, int i, String option) {
    if (i >= args.size()) throw new IllegalArgumentException(option + " needs a value");
    try {
      return Double.parseDouble(args.get(i));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " needs a number, got '" + args.get(i) + "'");
    }
  }

  private static long integer(List<String> args, int i, String option) {
    double v = number(args, i, option);
    if (v != Math.rint(v)) throw new IllegalArgumentException(option + " needs a whole number, got '" + args.get(i) + "'");
    return (long) v;
  }

  /** The demo pipeline: {@code out = gain * blur_y(blur_x(repeat_edge(in)))}, with a CPU schedule. */
  static Pipeline blurPipeline() {
    Var x = new Var("x");
    Var y = new Var("y");
    ImageParam in = new ImageParam("in", Type.F32, 2);
    Param gain = new Param("gain", Type.F32, 1.0);
    Func clamped = BoundaryConditions.repeatEdge(in);
    Func blurX = new Func("blur_x");
    blurX.at(x, y).set(clamped.at(x.minus(1), y).plus(clamped.at(x, y)).plus(clamped.at(x.plus(1), y)).div(3f));
    Func blurY = new Func("blur_y");
    blurY.at(x, y).set(blurX.at(x, y.minus(1)).plus(blurX.at(x, y)).plus(blurX.at(x, y.plus(1))).div(3f).times(gain));
    Var xo = new Var("xo");
    Var yo = new Var("yo");
    Var xi = new Var("xi");
    Var yi = new Var("yi");
    blurY.tile(x, y, xo, yo, xi, yi, 256, 32).parallel(yo).vectorize(xi, 8);
    blurX.computeAt(blurY, xo).vectorize(x, 8);
    return new Pipeline(blurY);
  }

  static int demo(PrintStream out) {
    dev.halogen.ir.Pipeline ir = blurPipeline().toIr();
    IrVerifier.verify(ir);
    String text = IrPrinter.print(ir);
    String json = IrJson.toJson(ir);
    boolean textRoundTrip = IrParser.parsePipeline(text).equals(ir);
    boolean jsonRoundTrip = IrJson.pipelineFromJson(json).equals(ir);
    out.println("== Halogen demo: a separable 3x3 blur built through the Java API");
    out.println();
    out.println("-- function graph (IR text)");
    out.print(text);
    out.println();
    out.println("-- function graph (JSON, " + json.length() + " characters)");
    out.println(json);
    out.println();
    out.println("verifier: " + ir.functions().size() + " Funcs, no problems");
    out.println("text round trip: " + (textRoundTrip ? "identical graph" : "DIFFERENT graph"));
    out.println("JSON round trip: " + (jsonRoundTrip ? "identical graph" : "DIFFERENT graph"));
    return textRoundTrip && jsonRoundTrip ? 0 : 1;
  }
}
