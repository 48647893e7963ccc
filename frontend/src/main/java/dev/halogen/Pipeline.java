package dev.halogen;

import dev.halogen.ir.Dim;
import dev.halogen.ir.Function;
import dev.halogen.ir.IrVerifier;
import dev.halogen.ir.LoopLevel;
import dev.halogen.ir.Parameter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The output Funcs of a pipeline. {@link #toIr()} collects every Func they reach and every {@link
 * Param}, {@link ImageParam} and {@link ConstantBuffer} those read, and builds the IR {@link
 * dev.halogen.ir.Pipeline}.
 */
public final class Pipeline {
  private final List<Func> outputs;

  public Pipeline(Func... outputs) {
    this(List.of(outputs));
  }

  public Pipeline(List<Func> outputs) {
    if (outputs.isEmpty()) throw new IllegalArgumentException("A Pipeline needs at least one output Func");
    Set<Func> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Func f : outputs) {
      if (!seen.add(f)) throw new IllegalArgumentException("Func " + f.name() + " is listed twice as an output of the Pipeline");
    }
    this.outputs = List.copyOf(outputs);
  }

  public List<Func> outputs() {
    return outputs;
  }

  /**
   * The IR of the pipeline as it is now. Funcs are found from the outputs in a fixed order and
   * generated names ({@code sum$N}) are renumbered in that order, so building the same program
   * twice gives equal IR. Parameters are sorted by name.
   *
   * @throws HalogenException when an output has no definition, when two different Funcs or inputs
   *     have one name (or a Var has the name of an input, or an rfactor intermediate the name of
   *     another Func), or when a compute or store level names a Func outside the pipeline or a loop
   *     it no longer has
   */
  public dev.halogen.ir.Pipeline toIr() {
    List<Func> funcs = new ArrayList<>();
    List<Ref> inputs = new ArrayList<>();
    Map<String, Ref> byName = new LinkedHashMap<>();
    Set<String> vars = new LinkedHashSet<>();
    Set<Ref> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    Deque<Func> work = new ArrayDeque<>(outputs);
    while (!work.isEmpty()) {
      Func f = work.removeFirst();
      if (!seen.add(f)) continue;
      if (!f.defined()) throw new HalogenException.DefinitionException("Func " + f.name() + " is an output of the Pipeline but has no definition");
      claim(byName, f.name(), f);
      funcs.add(f);
      vars.addAll(f.args());
      for (Ref r : f.refs()) {
        switch (r) {
          case Func g -> work.addLast(g);
          case Param p -> input(seen, inputs, byName, p.name(), p);
          case ImageParam p -> input(seen, inputs, byName, p.name(), p);
          case ConstantBuffer b -> input(seen, inputs, byName, b.name(), b);
          case Var v -> vars.add(v.name());
          case RDom _ -> {}
        }
      }
    }
    for (String v : vars) {
      Ref clash = byName.get(v);
      if (clash != null && !(clash instanceof Func)) {
        throw new HalogenException.DefinitionException("Var " + v + " has the same name as " + describe(clash)
            + "; the IR refers to both by name and could not tell them apart");
      }
    }

    CanonicalNames names = new CanonicalNames();
    List<Function> functions = new ArrayList<>();
    for (Func f : funcs) functions.add(names.rewrite(f.function()));
    List<String> outputNames = new ArrayList<>();
    for (Func f : outputs) outputNames.add(names.name(f.name()));
    check(functions);

    List<Parameter> parameters = new ArrayList<>();
    for (Ref r : inputs) {
      parameters.add(switch (r) {
        case Param p -> p.toIr();
        case ImageParam p -> p.toIr();
        case ConstantBuffer b -> b.toIr();
        case Func _, Var _, RDom _ -> throw new IllegalStateException("only parameters, images and buffers are inputs");
      });
    }
    parameters.sort(Comparator.comparing(Parameter::name));
    dev.halogen.ir.Pipeline ir = dev.halogen.ir.Pipeline.of(outputNames, functions, parameters);
    // The front end reports user errors itself; a verifier problem here is a bug in the front end.
    IrVerifier.verify(ir);
    return ir;
  }

  private static void input(Set<Ref> seen, List<Ref> inputs, Map<String, Ref> byName, String name, Ref r) {
    if (!seen.add(r)) return;
    claim(byName, name, r);
    inputs.add(r);
  }

  private static void claim(Map<String, Ref> byName, String name, Ref r) {
    Ref old = byName.putIfAbsent(name, r);
    if (old != null && old != r) {
      String what = old.getClass() == r.getClass() ? "two different " + kind(r) + "s named " + name
          : "both " + describe(old) + " and " + describe(r);
      throw new HalogenException.DefinitionException("The Pipeline has " + what + "; names must be unique");
    }
  }

  private static String kind(Ref r) {
    return switch (r) {
      case Func _ -> "Func";
      case Param _ -> "Param";
      case ImageParam _ -> "ImageParam";
      case ConstantBuffer _ -> "ConstantBuffer";
      case Var _ -> "Var";
      case RDom _ -> "RDom";
    };
  }

  private static String describe(Ref r) {
    return kind(r) + " " + switch (r) {
      case Func f -> f.name();
      case Param p -> p.name();
      case ImageParam p -> p.name();
      case ConstantBuffer b -> b.name();
      case Var v -> v.name();
      case RDom d -> d.name();
    };
  }

  /** Compute and store levels name Funcs of this pipeline and loops they have. */
  private static void check(List<Function> functions) {
    Map<String, Function> byName = new HashMap<>();
    for (Function f : functions) byName.put(f.name(), f);
    for (Function f : functions) {
      checkLevel(byName, f, "computed", f.schedule().computeLevel());
      checkLevel(byName, f, "stored", f.schedule().storeLevel());
    }
  }

  private static void checkLevel(Map<String, Function> byName, Function f, String how, LoopLevel level) {
    if (!(level instanceof LoopLevel.At(String func, int stage, String var))) return;
    Function target = byName.get(func);
    String where = stage == 0 ? func : func + ".update(" + (stage - 1) + ")";
    if (target == null) {
      throw new HalogenException.ScheduleException("Func " + f.name() + " is " + how + " at " + where + "." + var + ", but " + func
          + " is not part of this Pipeline");
    }
    if (stage >= target.stageCount()) {
      throw new HalogenException.ScheduleException("Func " + f.name() + " is " + how + " at " + where + "." + var + ", but " + func
          + " has no such definition");
    }
    List<String> loops = new ArrayList<>();
    for (Dim d : target.stage(stage).schedule().dims()) loops.add(d.var());
    if (!loops.contains(var)) {
      throw new HalogenException.ScheduleException("Func " + f.name() + " is " + how + " at " + where + "." + var + ", but " + where
          + " has no loop " + var + " any more; its loops are (innermost first) " + String.join(", ", loops));
    }
  }
}
