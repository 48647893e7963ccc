package dev.halogen.apps;

import dev.halogen.BoundaryConditions;
import dev.halogen.Func;
import dev.halogen.ImageParam;
import dev.halogen.Param;
import dev.halogen.Pipeline;
import dev.halogen.Var;
import dev.halogen.apps.cli.Cli;
import dev.halogen.ir.IrVerifier;
import dev.halogen.ir.Type;
import dev.halogen.ir.json.IrJson;
import dev.halogen.ir.text.IrParser;
import dev.halogen.ir.text.IrPrinter;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * The {@code halogen} command-line tool; its commands are in {@link Cli}. Until the optimisation demo lands, {@code demo} builds a
 * real pipeline through the Java API (a separable 3x3 blur of an edge-repeated image, scaled by a
 * parameter, tiled, vectorized and parallel), verifies its function graph, prints its IR text and
 * JSON, and checks that both read back to the same graph.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(List.of(args), System.out, System.err));
  }

  /**
   * Runs one command line; returns the process exit code (0 success, 1 failure, 2 usage error). No
   * arguments print the usage.
   */
  public static int run(List<String> args, PrintStream out, PrintStream err) {
    return Cli.run(args.isEmpty() ? List.of("--help") : args, out, err, Map.of("demo", new Demo(out)));
  }

  /** {@code halogen demo}. */
  @Command(name = "demo", description = "Build a blur pipeline through the Java API and print its IR text and JSON.")
  static final class Demo implements Callable<Integer> {
    private final PrintStream out;

    Demo(PrintStream out) {
      this.out = out;
    }

    @Override
    public Integer call() {
      return demo(out);
    }
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
