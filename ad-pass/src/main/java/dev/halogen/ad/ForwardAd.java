package dev.halogen.ad;

import dev.halogen.ir.Definition;
import dev.halogen.ir.Expr;
import dev.halogen.ir.Expr.*;
import dev.halogen.ir.FuncSchedule;
import dev.halogen.ir.Function;
import dev.halogen.ir.IrQueries;
import dev.halogen.ir.Parameter;
import dev.halogen.ir.Pipeline;
import dev.halogen.ir.ReductionDomain;
import dev.halogen.ir.StageSchedule;
import dev.halogen.ir.Substitution;
import dev.halogen.ir.Type;
import dev.halogen.passes.analysis.Simplifier;
import java.util.*;
import java.util.function.UnaryOperator;

import static dev.halogen.ad.Partials.castTo;

/**
 * Forward-mode automatic differentiation on the function graph: the directional derivative
 * (Jacobian-vector product) of a Func given the tangent of each input image and scalar parameter.
 *
 * <p>Each Func that depends on a seeded input gets a tangent Func with the same dimensions and the
 * same stages: every stage writes the same points (same left-hand side, same reduction domain and
 * predicate) with the tangent of its values, formed by the rules of {@link Partials} (shared with
 * reverse mode). A read {@code g(C)} contributes {@code g_t(C)}, a read of an image its seed at
 * {@code C}, a parameter its seed. So updates, reduction domains, scatters and scans need nothing
 * special: the tangent Func runs the same iterations in the same order.
 *
 * <p>Tangent values also read forward values. Reads of other Funcs see them complete; but an update
 * of {@code f} that reads {@code f} itself (a scan, {@code f(x) = f(x) * g(x)}) needs the value
 * {@code f} has at that stage, not its final one. Such a Func gets a dual tangent Func: a Tuple of
 * {@code f}'s values followed by their tangents, computed stage by stage together, so every read of
 * {@code f} in it is a read of its own first values.
 */
public final class ForwardAd {
  /**
   * The tangent of the output ({@code tangent}: the output's dimensions, one float value per output
   * value) and every Function made ({@code functions}, {@code tangent} among them).
   */
  public record Result(Function tangent, List<Function> functions) {}

  private final Pipeline pipeline;
  private final Map<String, Function> seeds;
  private final UnaryOperator<String> namer;
  private final Partials partials;
  /** The tangent Func of each active Func, and whether it is dual (values first, then tangents). */
  private final Map<String, String> tangentNames = new HashMap<>();
  private final Set<String> dual = new HashSet<>();

  private ForwardAd(Pipeline pipeline, Map<String, Function> seeds, UnaryOperator<String> namer, CustomRules custom) {
    this.pipeline = pipeline;
    this.seeds = seeds;
    this.namer = namer;
    this.partials = new Partials(custom.externs());
  }

  /**
   * The directional derivative of {@code output} of {@code pipeline} when each input named in
   * {@code seeds} moves along its seed: for an image, a Function with the image's dimensions (its
   * tangent at each point); for a float scalar parameter, a Function without dimensions. Inputs
   * without a seed are held fixed. Extern calls use the rules of {@code custom} ({@link
   * CustomRules#funcs() Func rules} are backward rules; forward mode does not use them). {@code
   * namer} turns a base name into a name no other Func has.
   *
   * @throws AdException when a seed names no input of the pipeline or has the wrong dimensions, or
   *     for a call without a derivative rule
   */
  public static Result propagate(Pipeline pipeline, String output, Map<String, Function> seeds, UnaryOperator<String> namer,
      CustomRules custom) {
    for (var e : seeds.entrySet()) checkSeed(pipeline, e.getKey(), e.getValue());
    return new ForwardAd(pipeline, seeds, namer, custom).run(pipeline.function(output));
  }

  private static void checkSeed(Pipeline pipeline, String input, Function seed) {
    for (Parameter p : pipeline.parameters()) {
      if (!p.name().equals(input)) continue;
      int dims = switch (p) {
        case Parameter.Scalar _ -> 0;
        case Parameter.Image i -> i.dimensions();
        case Parameter.Constant c -> c.buffer().dimensions();
      };
      if (!p.type().isFloat()) {
        throw new AdException("The tangent seed of " + input + " is for an input of type " + p.type() + "; only float inputs have tangents");
      }
      if (seed.dimensions() != dims || seed.outputTypes().size() != 1) {
        throw new AdException("The tangent seed of " + input + " is Func " + seed.name() + " with " + seed.dimensions()
            + " dimension(s) and " + seed.outputTypes().size() + " value(s); " + input + " has " + dims + " dimension(s) and 1 value");
      }
      return;
    }
    throw new AdException("The tangent seed names " + input + ", which is not an input image or scalar parameter of the pipeline");
  }

  private Result run(Function out) {
    List<Function> made = new ArrayList<>();
    for (String name : realizationOrder(out.name())) {
      Function f = pipeline.function(name);
      if (!active(f)) continue;
      tangentNames.put(name, namer.apply(ReverseAd.baseName(name) + "_t"));
      made.add(tangentFunc(f));
    }
    Function result;
    if (!tangentNames.containsKey(out.name())) {
      // The output does not depend on any seeded input: its tangent is zero.
      List<Expr> zeros = new ArrayList<>();
      for (Type t : ReverseAd.adjointTypes(out.outputTypes())) zeros.add(ReverseAd.zero(t));
      result = pureFunc(namer.apply(ReverseAd.baseName(out.name()) + "_t"), out.args(), zeros);
      made.add(result);
    } else if (dual.contains(out.name())) {
      // The tangent values of the dual Func, as a Func of their own.
      List<Expr> ts = new ArrayList<>();
      int n = out.outputTypes().size();
      List<Type> types = ReverseAd.adjointTypes(out.outputTypes());
      for (int i = 0; i < n; i++) ts.add(new Call(types.get(i), tangentNames.get(out.name()), vars(out.args()), CallKind.FUNC, n + i));
      result = pureFunc(namer.apply(ReverseAd.baseName(out.name()) + "_tangent"), out.args(), ts);
      made.add(result);
    } else {
      result = made.getLast();
    }
    return new Result(result, List.copyOf(made));
  }

  private static Function pureFunc(String name, List<String> args, List<Expr> values) {
    List<Expr> lhs = vars(args);
    return new Function(name, args, typesOf(values), new Definition(lhs, values, null, StageSchedule.defaultFor(args, lhs, null)), List.of(),
        FuncSchedule.INLINE);
  }

  /** Funcs the output depends on, producers first. */
  private List<String> realizationOrder(String output) {
    List<String> order = new ArrayList<>();
    Deque<String> path = new ArrayDeque<>();
    visit(output, order, path);
    return order;
  }

  private void visit(String name, List<String> order, Deque<String> path) {
    if (order.contains(name) || path.contains(name)) return;
    path.push(name);
    for (String callee : new TreeSet<>(IrQueries.calls(pipeline.function(name), CallKind.FUNC))) visit(callee, order, path);
    path.pop();
    order.add(name);
  }

  /** Whether {@code f} reads a seeded input or a Func that does (its callees are decided first). */
  private boolean active(Function f) {
    for (String g : IrQueries.calls(f, CallKind.FUNC)) if (tangentNames.containsKey(g)) return true;
    for (String i : IrQueries.calls(f, CallKind.IMAGE)) if (seeds.containsKey(i)) return true;
    for (int s = 0; s < f.stageCount(); s++) {
      for (Expr e : IrQueries.exprs(f.stage(s))) for (String v : IrQueries.freeVars(e)) if (seeds.containsKey(v)) return true;
    }
    return false;
  }

  /** The tangent Func of {@code f}: its stages with tangent values, dual when an update reads {@code f}'s own values. */
  private Function tangentFunc(Function f) {
    String name = tangentNames.get(f.name());
    List<Type> types = ReverseAd.adjointTypes(f.outputTypes());
    List<List<Expr>> tangents = new ArrayList<>();
    boolean readsSelf = false;
    for (int s = 0; s < f.stageCount(); s++) {
      Definition def = f.stage(s);
      List<Expr> ts = new ArrayList<>();
      for (int i = 0; i < def.values().size(); i++) {
        Expr t = tangent(def.values().get(i));
        ts.add(t == null ? ReverseAd.zero(types.get(i)) : castTo(t, types.get(i)));
      }
      tangents.add(ts);
      if (s > 0) {
        List<Expr> reads = new ArrayList<>(ts);
        reads.addAll(def.args());
        if (def.domain() != null) reads.add(def.domain().predicate());
        for (Expr e : reads) readsSelf |= IrQueries.calls(e, CallKind.FUNC).contains(f.name());
      }
    }
    if (readsSelf) dual.add(f.name());
    int n = f.outputTypes().size();
    // In a dual Func, f's values are its first values, the tangents the ones after them.
    Substitution.CallReplacement toDual = c -> {
      if (c.kind() != CallKind.FUNC) return null;
      if (c.name().equals(name)) return new Call(c.type(), name, c.args(), CallKind.FUNC, n + c.valueIndex());
      if (c.name().equals(f.name())) return new Call(c.type(), name, c.args(), CallKind.FUNC, c.valueIndex());
      return null;
    };
    List<Definition> stages = new ArrayList<>();
    for (int s = 0; s < f.stageCount(); s++) {
      Definition def = f.stage(s);
      List<Expr> values = new ArrayList<>();
      List<Expr> lhs = def.args();
      ReductionDomain rd = def.domain();
      if (readsSelf) {
        values.addAll(def.values());
        values.addAll(tangents.get(s));
        values.replaceAll(v -> Substitution.callReplacer(toDual).rewrite(v));
        lhs = new ArrayList<>(lhs);
        lhs.replaceAll(a -> Substitution.callReplacer(toDual).rewrite(a));
        if (rd != null) rd = new ReductionDomain(rd.name(), rd.variables(), Substitution.callReplacer(toDual).rewrite(rd.predicate()));
      } else {
        values.addAll(tangents.get(s));
      }
      values.replaceAll(Simplifier::simplify);
      stages.add(new Definition(lhs, values, rd, StageSchedule.defaultFor(f.args(), lhs, rd)));
    }
    List<Type> all = new ArrayList<>();
    if (readsSelf) all.addAll(f.outputTypes());
    all.addAll(types);
    return new Function(name, f.args(), all, stages.getFirst(), stages.subList(1, stages.size()), FuncSchedule.INLINE);
  }

  /**
   * The tangent of {@code e}, a value of a stage, or null where it is zero (it reads no seeded
   * input). A Func's reads of itself give reads of its tangent Func (made dual afterwards where needed).
   */
  private Expr tangent(Expr e) {
    if (!e.type().isFloat()) return null;
    if (e instanceof Var v) {
      Function seed = seeds.get(v.name());
      return seed == null ? null : castTo(new Call(seed.outputTypes().getFirst(), seed.name(), List.of(), CallKind.FUNC, 0), e.type());
    }
    if (e instanceof Call c && c.kind() == CallKind.IMAGE) {
      Function seed = seeds.get(c.name());
      return seed == null ? null : castTo(new Call(seed.outputTypes().getFirst(), seed.name(), c.args(), CallKind.FUNC, 0), e.type());
    }
    if (e instanceof Call c && c.kind() == CallKind.FUNC) {
      String t = tangentNames.get(c.name());
      if (t == null) return null;
      // A dual callee (already made, as callees come first) keeps its tangents after its values.
      int shift = dual.contains(c.name()) ? pipeline.function(c.name()).outputTypes().size() : 0;
      return new Call(e.type(), t, c.args(), CallKind.FUNC, shift + c.valueIndex());
    }
    Expr sum = null;
    for (Partials.Partial p : partials.of(e)) {
      Expr t = tangent(p.operand());
      if (t == null) continue;
      Expr term = p.chain().apply(castTo(t, e.type()));
      sum = sum == null ? term : new Add(sum, term);
    }
    return sum;
  }

  private static List<Expr> vars(List<String> names) {
    List<Expr> out = new ArrayList<>();
    for (String n : names) out.add(Var.of(n));
    return out;
  }

  private static List<Type> typesOf(List<Expr> values) {
    List<Type> out = new ArrayList<>();
    for (Expr v : values) out.add(v.type());
    return out;
  }
}
