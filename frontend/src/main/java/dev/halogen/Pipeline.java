package dev.halogen;

import dev.halogen.ir.Buffer;
import dev.halogen.ir.Dim;
import dev.halogen.ir.Function;
import dev.halogen.ir.IrVerifier;
import dev.halogen.ir.LoopLevel;
import dev.halogen.ir.LoweredModule;
import dev.halogen.ir.Parameter;
import dev.halogen.passes.Backend;
import dev.halogen.passes.Backends;
import dev.halogen.passes.CompiledModule;
import dev.halogen.passes.Instrumentation;
import dev.halogen.passes.LoweringPipeline;
import dev.halogen.passes.PassFailedException;
import dev.halogen.passes.Target;
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
 *
 * <p>{@link #realize(int...)} and {@link #realize(Buffer...)} run it: {@link #compile(Target)}
 * lowers the IR with the {@link LoweringPipeline} and compiles it with the {@link Backend} the
 * target names, then the run binds the current values of the Params and the buffers of the
 * ImageParams (see {@link CompiledPipeline}). Without a target, {@link #defaultTarget()} is used.
 * A Pipeline keeps what it compiled for each target together with the IR it was compiled from, and
 * compiles again only when the IR is no longer equal: a changed definition or schedule.
 */
public final class Pipeline {
  /** The backends {@link #defaultTarget()} looks for, best first. */
  private static final List<String> DEFAULT_BACKENDS = List.of("llvm", "interp");

  private final List<Func> outputs;
  /** By target, the IR last compiled for it and the result (guarded by itself). */
  private final Map<Target, Compiled> compiled = new HashMap<>();
  private int compilations;

  private record Compiled(dev.halogen.ir.Pipeline ir, CompiledModule module) {}

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

  // ------------------------------------------------------------------ running

  /**
   * The target used when none is given: the first of the backends {@code llvm} and {@code interp}
   * that {@link Backends} finds on the class path, with no features. A program that runs pipelines
   * brings a backend as a dependency ({@code backend-interp} is the reference interpreter).
   *
   * @throws HalogenException when neither backend is on the class path
   */
  public static Target defaultTarget() {
    List<String> found = Backends.names();
    for (String b : DEFAULT_BACKENDS) if (found.contains(b)) return Target.of(b);
    throw new HalogenException("No backend to run pipelines with: none of " + String.join(", ", DEFAULT_BACKENDS)
        + " is on the class path (found " + (found.isEmpty() ? "no backend" : String.join(", ", found))
        + "); add the module backend-interp as a dependency, or pass a Target");
  }

  /** {@link #compile(Target)} for the {@link #defaultTarget()}. */
  public CompiledPipeline compile() {
    return compile(defaultTarget());
  }

  /**
   * The pipeline as it is now, lowered and compiled for {@code target}: reused from an earlier call
   * when the IR is unchanged, so calling this (or realize) again costs one {@link #toIr()} and a
   * comparison.
   *
   * @throws HalogenException for a graph {@link #toIr()} rejects
   * @throws HalogenException.ScheduleException when lowering cannot do the schedule; the message
   *     names the Func and why
   * @throws dev.halogen.passes.UnknownBackendException when no backend has the target's name
   * @throws IllegalArgumentException when the backend does not know a feature of the target
   */
  public CompiledPipeline compile(Target target) {
    Built built = build();
    CompiledModule module;
    synchronized (compiled) {
      Compiled c = compiled.get(target);
      if (c == null || !c.ir().equals(built.ir())) {
        c = new Compiled(built.ir(), Backends.find(target.backend()).compile(lower(built.ir()), target));
        compiled.put(target, c);
        compilations++;
      }
      module = c.module();
    }
    return new CompiledPipeline(outputs, built, module);
  }

  /** How many times {@link #compile(Target)} lowered and compiled rather than reusing an earlier result (for tests). */
  int compilations() {
    synchronized (compiled) {
      return compilations;
    }
  }

  static LoweredModule lower(dev.halogen.ir.Pipeline ir) {
    try {
      return LoweringPipeline.manager(Instrumentation.defaults()).run(ir).result().asLoops("realize").module();
    } catch (PassFailedException e) {
      // A schedule lowering cannot do is the user's to fix; anything else is a bug in a pass and
      // keeps the pass manager's report (with its replay file).
      if (e.getCause() instanceof dev.halogen.passes.lower.ScheduleException s) {
        throw new HalogenException.ScheduleException("The schedule cannot be lowered: " + s.getMessage(), s);
      }
      throw e;
    }
  }

  /** {@link #realize(int...)} of outputs without dimensions. */
  public List<Buffer> realize() {
    return compile().realize();
  }

  /** {@link #realize(int...)} of outputs without dimensions, for {@code target}. */
  public List<Buffer> realize(Target target) {
    return compile(target).realize();
  }

  /**
   * Computes every output over {@code [0, extents[d])} in each dimension with the {@link
   * #defaultTarget()}, into new buffers with mins 0: one per output value (a Tuple-valued output
   * has one per element), in output order. See {@link CompiledPipeline#realize(int...)}.
   */
  public List<Buffer> realize(int... extents) {
    return compile().realize(extents);
  }

  /** {@link #realize(int...)} for {@code target}. */
  public List<Buffer> realize(Target target, int... extents) {
    return compile(target).realize(extents);
  }

  /**
   * Computes the outputs into {@code buffers} (one per output value, in output order; any mins)
   * with the {@link #defaultTarget()}. See {@link CompiledPipeline#realize(Buffer...)}.
   */
  public void realize(Buffer... buffers) {
    compile().realize(buffers);
  }

  /** {@link #realize(Buffer...)} for {@code target}. */
  public void realize(Target target, Buffer... buffers) {
    compile(target).realize(buffers);
  }

  // ------------------------------------------------------------------ the IR

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
    return build().ir();
  }

  /** The IR and the scalar and image parameters it reads, by name: what a run binds as arguments. */
  record Built(dev.halogen.ir.Pipeline ir, Map<String, Param> params, Map<String, ImageParam> images) {}

  /** {@link #toIr()} with the parameter objects it found. */
  Built build() {
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
    Map<String, Param> params = new LinkedHashMap<>();
    Map<String, ImageParam> images = new LinkedHashMap<>();
    for (Ref r : inputs) {
      parameters.add(switch (r) {
        case Param p -> {
          params.put(p.name(), p);
          yield p.toIr();
        }
        case ImageParam p -> {
          images.put(p.name(), p);
          yield p.toIr();
        }
        case ConstantBuffer b -> b.toIr();
        case Func _, Var _, RDom _ -> throw new IllegalStateException("only parameters, images and buffers are inputs");
      });
    }
    parameters.sort(Comparator.comparing(Parameter::name));
    dev.halogen.ir.Pipeline ir = dev.halogen.ir.Pipeline.of(outputNames, functions, parameters);
    // The front end reports user errors itself; a verifier problem here is a bug in the front end.
    IrVerifier.verify(ir);
    return new Built(ir, params, images);
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
