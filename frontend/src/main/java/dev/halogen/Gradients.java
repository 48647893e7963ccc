package dev.halogen;

import dev.halogen.ad.AdException;
import dev.halogen.ad.CustomRules;
import dev.halogen.ad.ForwardAd;
import dev.halogen.ad.ReverseAd;
import dev.halogen.ir.Buffer;
import dev.halogen.ir.Definition;
import dev.halogen.ir.Expr.CallKind;
import dev.halogen.ir.Function;
import dev.halogen.ir.IrQueries;
import dev.halogen.ir.Parameter;
import dev.halogen.ir.Range;
import dev.halogen.ir.Type;
import java.util.*;

/**
 * Automatic differentiation of Funcs (DESIGN.md section 4): reverse mode ({@link
 * #propagateAdjoints}, gradients of a loss) and forward mode ({@link #propagateTangents},
 * directional derivatives). The algorithms work on the IR ({@link ReverseAd} and {@link ForwardAd}
 * in module ad-pass); this class collects the IR of the Funcs, calls them and wraps the Functions
 * they derive into Funcs that refer to the original Funcs, Params and images, so derivative
 * pipelines are ordinary pipelines (and can be differentiated again). {@link CustomAdjoints} gives
 * rules to use instead of differentiating through extern functions and Funcs.
 */
public final class Gradients {
  private Gradients() {}

  /** The gradients of a scalar (zero-dimensional) loss: its adjoint is 1. */
  public static Derivative propagateAdjoints(Func loss) {
    return propagateAdjoints(loss, new CustomAdjoints());
  }

  /** The gradients of a scalar loss, with the rules {@code custom}. */
  public static Derivative propagateAdjoints(Func loss, CustomAdjoints custom) {
    if (loss.dimensions() != 0) {
      throw new HalogenException("propagateAdjoints(" + loss.name() + ") needs a loss without dimensions; " + loss.name() + " has "
          + loss.dimensions() + "; give an adjoint and bounds");
    }
    if (loss.outputTypes().size() != 1) {
      throw new HalogenException("Can't differentiate Func " + loss.name() + " as a scalar loss, because it has "
          + loss.outputTypes().size() + " values");
    }
    Func seed = Func.generated("seed");
    Type t = loss.outputTypes().getFirst();
    seed.at().set(t.equals(Type.F64) ? Expr.of(1.0) : Expr.of(1f));
    return propagateAdjoints(loss, seed, new int[0][], custom);
  }

  /** {@code adjoint} is the adjoint of {@code output} inside {@code bounds} and 0 elsewhere. */
  public static Derivative propagateAdjoints(Func output, Buffer adjoint, int[][] bounds) {
    ConstantBuffer b = ConstantBuffer.generated("adjoint", adjoint);
    return propagateAdjoints(output, BoundaryConditions.constantExterior(b, Expr.of(0f)), bounds);
  }

  /** The adjoint over the buffer's own region ({@code min, extent} of each of its dimensions). */
  public static Derivative propagateAdjoints(Func output, Buffer adjoint) {
    int[][] bounds = new int[adjoint.dimensions()][];
    for (int d = 0; d < bounds.length; d++) bounds[d] = new int[] {adjoint.min(d), adjoint.extent(d)};
    return propagateAdjoints(output, adjoint, bounds);
  }

  /**
   * The adjoints of everything {@code output} depends on, when its adjoint is {@code adjoint} in
   * {@code bounds} ({@code {min, extent}} per dimension: exactly {@code [min, min + extent - 1]})
   * and zero outside.
   *
   * @throws HalogenException when the dimensions do not match, or when the pipeline cannot be
   *     differentiated (the message names the Func and why)
   */
  public static Derivative propagateAdjoints(Func output, Func adjoint, int[][] bounds) {
    return propagateAdjoints(output, adjoint, bounds, new CustomAdjoints());
  }

  /**
   * As {@link #propagateAdjoints(Func, Func, int[][])}, with the rules {@code custom}: registered
   * extern functions and Funcs are not differentiated through; their rules give the adjoints.
   *
   * @throws HalogenException also when a rule does not fit (the message names the Func or extern
   *     function): adjoints for inputs the Func does not read, of other dimensions, or another number
   *     of them than an extern call has arguments
   */
  public static Derivative propagateAdjoints(Func output, Func adjoint, int[][] bounds, CustomAdjoints custom) {
    List<Range> ranges = new ArrayList<>();
    for (int[] b : bounds) {
      if (b.length != 2) throw new HalogenException("each bound of propagateAdjoints is {min, extent}; got " + Arrays.toString(b));
      ranges.add(new Range(Expr.of(b[0]).ir(), Expr.of(b[1]).ir()));
    }
    Map<String, Ref> byName = new HashMap<>();
    List<Function> functions = new ArrayList<>();
    List<Parameter> parameters = new ArrayList<>();
    collect(output, byName, functions, parameters);
    collect(adjoint, byName, new ArrayList<>(), parameters);
    functions.removeIf(f -> f.name().equals(adjoint.name()));
    // The backward rules of the Funcs the output depends on: each is given a Func standing for the
    // adjoint of its Func's values (defined once ReverseAd has made that adjoint).
    Map<String, Func> placeholders = new HashMap<>();
    Map<String, CustomRules.FuncAdjoint> funcRules = new HashMap<>();
    for (CustomAdjoints.Registered r : custom.funcs().values()) {
      if (byName.get(r.func().name()) != r.func()) continue;
      Func placeholder = Func.declared("d_" + r.func().name(), r.func().args(), ReverseAd.adjointTypes(r.func().outputTypes()));
      byName.put(placeholder.name(), placeholder);
      placeholders.put(placeholder.name(), placeholder);
      Map<String, Function> inputs = new LinkedHashMap<>();
      for (var e : r.rule().adjoints(placeholder).byName().entrySet()) {
        requireSame(byName, e.getKey(), e.getValue().input());
        collect(e.getValue().func(), byName, new ArrayList<>(), parameters);
        inputs.put(e.getKey(), e.getValue().func().function());
      }
      funcRules.put(r.func().name(), new CustomRules.FuncAdjoint(placeholder.name(), inputs));
    }
    dev.halogen.ir.Pipeline ir = dev.halogen.ir.Pipeline.of(List.of(output.name()), functions, parameters);
    List<Refs> ruleRefs = new ArrayList<>();
    ReverseAd.Gradient g;
    try {
      g = ReverseAd.propagate(ir, output.name(), adjoint.function(), ranges, Names::fresh,
          new CustomRules(custom.irExterns(ruleRefs), funcRules));
    } catch (AdException e) {
      throw new HalogenException(e.getMessage(), e);
    }
    register(ruleRefs, byName);
    Map<String, Func> made = wrap(g.functions(), byName, placeholders);
    Map<String, List<Func>> stages = new LinkedHashMap<>();
    for (var e : g.stages().entrySet()) {
      List<Func> fs = new ArrayList<>();
      for (Function f : e.getValue()) fs.add(made.get(f.name()));
      stages.put(e.getKey(), fs);
    }
    Map<String, Func> inputs = new LinkedHashMap<>();
    for (var e : g.inputs().entrySet()) inputs.put(e.getKey(), made.get(e.getValue().name()));
    return new Derivative(output.name(), stages, inputs);
  }

  /**
   * The directional derivative (Jacobian-vector product) of {@code output} when its inputs move
   * along {@code seeds}: a Func with {@code output}'s dimensions and one float value per value of
   * {@code output}. Seeds of inputs {@code output} does not read are ignored.
   *
   * @throws HalogenException when a seed does not fit its input (the message names it), or the
   *     pipeline calls a function without a derivative rule
   */
  public static Func propagateTangents(Func output, Tangents seeds) {
    return propagateTangents(output, seeds, new CustomAdjoints());
  }

  /**
   * As {@link #propagateTangents(Func, Tangents)}, with the extern rules of {@code custom} (which
   * must have no backward rules of Funcs: they do not give tangents).
   */
  public static Func propagateTangents(Func output, Tangents seeds, CustomAdjoints custom) {
    if (!custom.funcs().isEmpty()) {
      throw new HalogenException("Forward mode cannot use the backward rule registered for Func " + custom.funcs().keySet().iterator().next()
          + "; propagateTangents takes custom adjoints of extern functions only");
    }
    Map<String, Ref> byName = new HashMap<>();
    List<Function> functions = new ArrayList<>();
    List<Parameter> parameters = new ArrayList<>();
    collect(output, byName, functions, parameters);
    Map<String, Function> irSeeds = new LinkedHashMap<>();
    for (var e : seeds.seeds().entrySet()) {
      if (!byName.containsKey(e.getKey())) continue;
      requireSame(byName, e.getKey(), e.getValue().input());
      collect(e.getValue().func(), byName, new ArrayList<>(), parameters);
      irSeeds.put(e.getKey(), e.getValue().func().function());
    }
    dev.halogen.ir.Pipeline ir = dev.halogen.ir.Pipeline.of(List.of(output.name()), functions, parameters);
    List<Refs> ruleRefs = new ArrayList<>();
    ForwardAd.Result r;
    try {
      r = ForwardAd.propagate(ir, output.name(), irSeeds, Names::fresh, new CustomRules(custom.irExterns(ruleRefs), Map.of()));
    } catch (AdException e) {
      throw new HalogenException(e.getMessage(), e);
    }
    register(ruleRefs, byName);
    return wrap(r.functions(), byName, Map.of()).get(r.tangent().name());
  }

  /** A seed or rule is for the object the pipeline reads under that name, not another of the same name. */
  private static void requireSame(Map<String, Ref> byName, String name, Ref input) {
    Ref known = byName.get(name);
    if (known != null && known != input) {
      throw new HalogenException("A tangent or custom adjoint is given for " + name + ", but the pipeline reads a different object of that name");
    }
  }

  /** Makes the objects the expressions of extern rules refer to known by name. */
  private static void register(List<Refs> refs, Map<String, Ref> byName) {
    for (Refs rs : refs) {
      for (Ref r : rs.leaves()) {
        switch (r) {
          case Func f -> collect(f, byName, new ArrayList<>(), new ArrayList<>());
          case Param p -> byName.putIfAbsent(p.name(), p);
          case ImageParam p -> byName.putIfAbsent(p.name(), p);
          case ConstantBuffer b -> byName.putIfAbsent(b.name(), b);
          case Var _, RDom _ -> {}
        }
      }
    }
  }

  /**
   * Funcs for the derived Functions, by name, each referring to the objects its definitions name;
   * a Function named like a placeholder defines that placeholder (a Func user rules already call).
   */
  private static Map<String, Func> wrap(List<Function> derived, Map<String, Ref> byName, Map<String, Func> placeholders) {
    Map<String, Func> made = new HashMap<>();
    for (Function f : derived) {
      Func x = placeholders.containsKey(f.name()) ? placeholders.get(f.name()) : Func.fromIr(f);
      made.put(f.name(), x);
      byName.put(f.name(), x);
    }
    for (Function f : derived) {
      Func x = made.get(f.name());
      if (placeholders.containsKey(f.name())) {
        x.definePure(f.args(), f.definition().values(), refsOf(f, byName));
      } else {
        x.setDerivedRefs(refsOf(f, byName));
      }
    }
    return made;
  }

  /** Every Func, parameter and image reachable from {@code root}, by name, with their IR. */
  private static void collect(Func root, Map<String, Ref> byName, List<Function> functions, List<Parameter> parameters) {
    Deque<Func> work = new ArrayDeque<>(List.of(root));
    Set<String> params = new HashSet<>();
    for (Parameter p : parameters) params.add(p.name());
    while (!work.isEmpty()) {
      Func f = work.pop();
      if (byName.get(f.name()) instanceof Func) continue;
      byName.put(f.name(), f);
      functions.add(f.function());
      for (Ref r : f.refs()) {
        switch (r) {
          case Func g -> work.push(g);
          case Param p -> { if (byName.putIfAbsent(p.name(), p) == null && params.add(p.name())) parameters.add(p.toIr()); }
          case ImageParam p -> { if (byName.putIfAbsent(p.name(), p) == null && params.add(p.name())) parameters.add(p.toIr()); }
          case ConstantBuffer b -> { if (byName.putIfAbsent(b.name(), b) == null && params.add(b.name())) parameters.add(b.toIr()); }
          case Var _, RDom _ -> {}
        }
      }
    }
  }

  /** The objects a derived Function names: the Funcs and images it calls and the parameters it reads. */
  private static Refs refsOf(Function f, Map<String, Ref> byName) {
    Set<String> names = new LinkedHashSet<>();
    names.addAll(IrQueries.calls(f, CallKind.FUNC));
    names.addAll(IrQueries.calls(f, CallKind.IMAGE));
    for (int s = 0; s < f.stageCount(); s++) {
      Definition d = f.stage(s);
      for (dev.halogen.ir.Expr e : IrQueries.exprs(d)) {
        for (String v : IrQueries.allVarNames(e)) {
          names.add(v);
          int dot = v.indexOf('.');
          if (dot > 0) names.add(v.substring(0, dot));
        }
      }
    }
    Refs refs = Refs.EMPTY;
    for (String n : names) {
      Ref r = byName.get(n);
      if (r != null && !(r instanceof Var) && !(r instanceof RDom)) refs = Refs.join(refs, Refs.of(r));
    }
    return refs;
  }
}
