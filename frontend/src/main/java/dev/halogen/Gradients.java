package dev.halogen;

import dev.halogen.ad.AdException;
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
 * Reverse-mode automatic differentiation of Funcs (DESIGN.md section 4). The algorithm works on
 * the IR ({@link ReverseAd} in module ad-pass); this class collects the IR of the Funcs, calls it
 * and wraps the adjoint Functions it derives into Funcs that refer to the original Funcs, Params
 * and images, so gradient pipelines are ordinary pipelines.
 */
public final class Gradients {
  private Gradients() {}

  /** The gradients of a scalar (zero-dimensional) loss: its adjoint is 1. */
  public static Derivative propagateAdjoints(Func loss) {
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
    return propagateAdjoints(loss, seed, new int[0][]);
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
    dev.halogen.ir.Pipeline ir = dev.halogen.ir.Pipeline.of(List.of(output.name()), functions, parameters);
    ReverseAd.Gradient g;
    try {
      g = ReverseAd.propagate(ir, output.name(), adjoint.function(), ranges, Names::fresh);
    } catch (AdException e) {
      throw new HalogenException(e.getMessage(), e);
    }
    Map<String, Func> made = new HashMap<>();
    for (Function f : g.functions()) {
      Func x = Func.fromIr(f);
      made.put(f.name(), x);
      byName.put(f.name(), x);
    }
    for (Function f : g.functions()) made.get(f.name()).setDerivedRefs(refsOf(f, byName));
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
