package dev.halogen.apps.cli;

import dev.halogen.ad.AdException;
import dev.halogen.ad.ReverseAd;
import dev.halogen.ir.Definition;
import dev.halogen.ir.Expr;
import dev.halogen.ir.Expr.CallKind;
import dev.halogen.ir.FuncSchedule;
import dev.halogen.ir.Function;
import dev.halogen.ir.IrQueries;
import dev.halogen.ir.IrVerifier;
import dev.halogen.ir.Parameter;
import dev.halogen.ir.Pipeline;
import dev.halogen.ir.Range;
import dev.halogen.ir.StageSchedule;
import dev.halogen.ir.Type;
import dev.halogen.ir.json.IrJson;
import dev.halogen.ir.text.IrPrinter;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code halogen grad}: the gradient pipeline of a pipeline file. */
@Command(name = "grad", description = {
    "Differentiate a pipeline's output by reverse-mode AD and write the gradient pipeline.",
    "Its outputs are the adjoints of the --wrt names, in that order (named NAME_d for an input, NAME_0_d for a Func). The output",
    "must be a single float Func; a zero-dimensional one is differentiated as it is (its adjoint is 1), one with",
    "dimensions through the sum of its values over --bounds."})
final class GradCommand implements Callable<Integer> {
  private final Cli.Io io;

  GradCommand(Cli.Io io) {
    this.io = io;
  }

  enum Format { JSON, TEXT }

  @Parameters(index = "0", paramLabel = "PIPELINE", description = "the pipeline: JSON or IR text")
  Path pipeline;

  @Option(names = "--wrt", required = true, arity = "1..*", paramLabel = "NAME",
      description = "differentiate with respect to NAME: a float input image, a float scalar parameter or a Func")
  List<String> wrt;

  @Option(names = "--bounds", split = ",", paramLabel = "MIN:EXTENT",
      description = "for an output with dimensions, the region whose sum is differentiated, one MIN:EXTENT per dimension")
  @Nullable List<String> bounds;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "write the gradient pipeline to FILE (default: standard output)")
  @Nullable Path output;

  @Option(names = "--format", paramLabel = "FORMAT",
      description = "json or text (default: json when FILE ends in .json, else text)")
  @Nullable Format format;

  @Override
  public Integer call() {
    Pipeline p = IrFiles.readPipeline(pipeline);
    Pipeline g = gradient(p, wrt, bounds == null ? null : parseBounds(bounds));
    Format f = format != null ? format : output != null && IrFiles.jsonName(output) ? Format.JSON : Format.TEXT;
    IrFiles.writeText(output, f == Format.JSON ? IrJson.toJson(g) + "\n" : IrPrinter.print(g), io.out());
    if (output != null) {
      List<String> lines = new ArrayList<>();
      for (int i = 0; i < wrt.size(); i++) lines.add(g.outputs().get(i) + " = d " + p.outputs().getFirst() + " / d " + wrt.get(i));
      io.out().println("wrote " + output + ": " + String.join(", ", lines));
    }
    return 0;
  }

  /** {@code MIN:EXTENT} per dimension. */
  static List<int[]> parseBounds(List<String> texts) {
    List<int[]> out = new ArrayList<>();
    for (String t : texts) {
      String[] parts = t.split(":", -1);
      try {
        if (parts.length != 2) throw new NumberFormatException();
        int extent = Integer.parseInt(parts[1].strip());
        if (extent < 1) throw CliException.usage("--bounds " + t + ": the extent must be at least 1");
        out.add(new int[] {Integer.parseInt(parts[0].strip()), extent});
      } catch (NumberFormatException e) {
        throw CliException.usage("--bounds needs MIN:EXTENT (two integers) per dimension, got '" + t + "'");
      }
    }
    return out;
  }

  /**
   * The gradient pipeline of {@code p}'s single output with respect to {@code wrt}: its outputs are
   * the adjoints of the named inputs, parameters or Funcs, in order; its Funcs are those they need
   * (forward Funcs included), its parameters those of {@code p}.
   *
   * @param bounds {@code {min, extent}} per output dimension, or null for a zero-dimensional output
   * @throws CliException naming what cannot be differentiated
   */
  static Pipeline gradient(Pipeline p, List<String> wrt, @Nullable List<int[]> bounds) {
    if (p.outputs().size() != 1) {
      throw CliException.failure("grad differentiates a pipeline with one output; this one has " + p.outputs().size() + ": "
          + String.join(", ", p.outputs()));
    }
    String outName = p.outputs().getFirst();
    Function out = p.function(outName);
    if (out.outputTypes().size() != 1) {
      throw CliException.failure("the output " + outName + " has " + out.outputTypes().size() + " values (a Tuple); grad differentiates a single value");
    }
    Type t = out.outputTypes().getFirst();
    if (!t.isFloat()) throw CliException.failure("the output " + outName + " is " + t + "; only float outputs can be differentiated");
    int dims = out.dimensions();
    List<int[]> box = bounds == null ? List.of() : bounds;
    if (bounds == null && dims > 0) {
      throw CliException.usage("the output " + outName + " has " + dims + " dimension" + (dims == 1 ? "" : "s") + " (" + String.join(", ", out.args())
          + "); give the region whose sum is differentiated with --bounds MIN:EXTENT,... (one per dimension)");
    }
    if (box.size() != dims) {
      throw CliException.usage("--bounds gives " + box.size() + " dimension" + (box.size() == 1 ? "" : "s") + ", but the output " + outName
          + " has " + dims + " (" + String.join(", ", out.args()) + ")");
    }
    Set<String> taken = new HashSet<>(p.functions().keySet());
    for (Parameter q : p.parameters()) taken.add(q.name());
    java.util.function.UnaryOperator<String> namer = base -> {
      String n = taken.contains(base) ? IrQueries.freshName(base, taken) : base;
      taken.add(n);
      return n;
    };
    // The adjoint of the output: 1 at every point (inside the bounds; ReverseAd makes it 0 outside).
    List<Expr> lhs = new ArrayList<>();
    for (String a : out.args()) lhs.add(Expr.Var.of(a));
    Expr one = new Expr.FloatImm(t, 1.0);
    Function seed = new Function(namer.apply("seed"), out.args(), List.of(t),
        new Definition(lhs, List.of(one), null, StageSchedule.defaultFor(out.args(), lhs, null)), List.of(), FuncSchedule.INLINE);
    List<Range> ranges = new ArrayList<>();
    for (int[] b : box) ranges.add(new Range(new Expr.IntImm(Type.I32, b[0]), new Expr.IntImm(Type.I32, b[1])));

    ReverseAd.Gradient g;
    try {
      g = ReverseAd.propagate(p, outName, seed, ranges, namer);
    } catch (AdException e) {
      throw new CliException(CliException.FAILURE, "cannot differentiate " + outName + ": " + e.getMessage(), e);
    }
    List<String> outputs = new ArrayList<>();
    for (String name : wrt) {
      Function adjoint = g.inputs().get(name);
      if (adjoint == null && g.stages().containsKey(name)) adjoint = g.stages().get(name).getFirst();
      if (adjoint == null) throw CliException.failure("--wrt " + name + ": " + whyNoGradient(p, outName, name));
      if (outputs.contains(adjoint.name())) throw CliException.usage("--wrt " + name + " is given twice");
      outputs.add(adjoint.name());
    }
    Map<String, Function> all = new LinkedHashMap<>(p.functions());
    all.put(seed.name(), seed);
    for (Function f : g.functions()) all.put(f.name(), f);
    List<Function> needed = new ArrayList<>();
    for (String name : reachable(outputs, all)) needed.add(all.get(name));
    Pipeline result = Pipeline.of(outputs, needed, p.parameters());
    IrVerifier.verify(result);
    return result;
  }

  /** Why {@code name} has no adjoint: not a name of the pipeline, not float, or not something the output reads. */
  private static String whyNoGradient(Pipeline p, String outName, String name) {
    for (Parameter q : p.parameters()) {
      if (!q.name().equals(name)) continue;
      String kind = switch (q) {
        case Parameter.Scalar s -> "scalar parameter";
        case Parameter.Image i -> "input image";
        case Parameter.Constant c -> "constant buffer";
      };
      if (!q.type().isFloat()) return name + " is a " + q.type() + " " + kind + "; only float inputs have gradients";
      return "the output " + outName + " does not depend on the " + kind + " " + name;
    }
    if (p.functions().containsKey(name)) return "the output " + outName + " does not depend on the Func " + name;
    List<String> known = new ArrayList<>();
    for (Parameter q : p.parameters()) known.add(q.name());
    known.addAll(p.functions().keySet());
    return "the pipeline has no input, parameter or Func named " + name + "; it has " + String.join(", ", known);
  }

  /** The Funcs reachable from {@code roots} by calls, in the order found. */
  private static Set<String> reachable(List<String> roots, Map<String, Function> all) {
    Set<String> seen = new LinkedHashSet<>();
    Deque<String> work = new ArrayDeque<>(roots);
    while (!work.isEmpty()) {
      String n = work.removeFirst();
      if (!seen.add(n)) continue;
      for (String c : IrQueries.calls(all.get(n), CallKind.FUNC)) if (all.containsKey(c)) work.addLast(c);
    }
    return seen;
  }
}
