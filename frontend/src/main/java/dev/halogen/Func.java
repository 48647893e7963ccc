package dev.halogen;

import dev.halogen.ir.Bound;
import dev.halogen.ir.Buffer;
import dev.halogen.ir.Definition;
import dev.halogen.ir.Dim;
import dev.halogen.ir.FuncSchedule;
import dev.halogen.ir.Function;
import dev.halogen.ir.LoopLevel;
import dev.halogen.ir.MemoryType;
import dev.halogen.ir.StageSchedule;
import dev.halogen.ir.Type;
import dev.halogen.passes.lower.RFactorTransform;
import dev.halogen.passes.Target;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A function over the infinite integer grid, defined by a pure definition and optional updates
 * ({@code f.at(x, y).set(...)}, see {@link FuncRef}), and scheduled by the directives here and on
 * its {@link Stage}s. {@link #function()} is its current IR.
 *
 * <p>Func-level directives ({@link #computeRoot}, {@link #computeAt}, {@link #storeAt}, {@link
 * #bound}, ...) go into the {@link FuncSchedule}; loop directives inherited from {@link
 * LoopScheduled} apply to the pure definition ({@link #update(int)} reaches the updates). Every
 * directive needs the Func to be defined, checks its arguments at once and returns this Func.
 */
public final class Func extends LoopScheduled<Func> implements FuncLike, Ref {
  private final String name;
  private @Nullable List<String> args;
  private List<Type> types = List.of();
  private final List<Definition> stages = new ArrayList<>();
  private final List<Refs> stageRefs = new ArrayList<>();
  private final List<@Nullable RDom> stageDomains = new ArrayList<>();
  private FuncSchedule schedule = FuncSchedule.INLINE;
  private boolean storeExplicit;
  /** The Funcs whose loops the compute and store levels name (null for root and inline). */
  private @Nullable Func computeConsumer;
  private @Nullable Func storeConsumer;
  private Refs scheduleRefs = Refs.EMPTY;
  private int rfactorCount;
  /** The pipeline of this Func alone, made by the first realize; it keeps the compiled code for later ones. */
  private @Nullable Pipeline pipeline;

  public Func(String name) {
    this.name = Names.checkUser(name, "Func");
  }

  /** A Func with a generated name. */
  public Func() {
    this.name = Names.fresh("f");
  }

  /**
   * With {@code generated}, a Func named {@code base$N}; without, one named exactly {@code name},
   * which the front end made from a checked name (an rfactor intermediate, {@code f_intm}).
   */
  private Func(String name, boolean generated) {
    this.name = generated ? Names.fresh(name) : name;
  }

  /** A Func the front end makes (inline reductions, boundary conditions), named {@code base$N}. */
  static Func generated(String base) {
    return new Func(base, true);
  }

  @Override
  public String name() {
    return name;
  }

  /** Whether the Func has its pure definition. */
  public boolean defined() {
    return args != null;
  }

  @Override
  public int dimensions() {
    return args().size();
  }

  /** The names of the pure arguments. */
  public List<String> args() {
    List<String> a = args;
    if (a == null) throw undefined("arguments");
    return a;
  }

  /** The types of the values (more than one for a Tuple-valued Func). */
  public List<Type> outputTypes() {
    if (args == null) throw undefined("types");
    return types;
  }

  public int updateCount() {
    return Math.max(0, stages.size() - 1);
  }

  /** The IR of this Func as it is now. */
  public Function function() {
    return new Function(name, args(), types, stages.get(0), stages.subList(1, stages.size()), schedule);
  }

  /** A call (or the left-hand side of a definition): {@link ExprLike}s and Java {@code int}s, and {@link Var#IMPLICIT}. */
  @Override
  public FuncRef at(Object... args) {
    return new FuncRef(this, CallArgs.of("Func " + name, args));
  }

  /** Update {@code i} (0 is the first update), to schedule it. */
  public Stage update(int i) {
    requireDefined("update(" + i + ")");
    if (i < 0 || i >= updateCount()) {
      int n = updateCount();
      throw new HalogenException.ScheduleException("Func " + name + " has " + n + " update definition" + (n == 1 ? "" : "s")
          + "; update(" + i + ") is out of range");
    }
    return new Stage(this, i + 1);
  }

  // ------------------------------------------------------------------ running

  /**
   * The pipeline whose only output is this Func; the same one each time, so it keeps what it
   * compiled and realize compiles again only after the definitions or schedules it depends on changed.
   */
  public Pipeline pipeline() {
    Pipeline p = pipeline;
    if (p == null) pipeline = p = new Pipeline(this);
    return p;
  }

  /** {@link #realize(int...)} of a Func without dimensions. */
  public Buffer realize() {
    requireSingleValued();
    return pipeline().realize().getFirst();
  }

  /** {@link #realize(int...)} of a Func without dimensions, for {@code target}. */
  public Buffer realize(Target target) {
    requireSingleValued();
    return pipeline().realize(target).getFirst();
  }

  /**
   * Computes this single-valued Func over {@code [0, extents[d])} in each dimension, with {@link
   * Pipeline#defaultTarget()}, and returns a new buffer of its type with mins 0. Params and
   * ImageParams are read as they are set now (see {@link CompiledPipeline}).
   *
   * @throws HalogenException when the Func has a Tuple of values ({@link #realizeTuple(int...)}),
   *     the number of extents is not its dimension count, or an input is not set
   * @throws HalogenException.ScheduleException when lowering cannot do the schedule
   * @throws dev.halogen.passes.HalogenRuntimeException when the run fails
   */
  public Buffer realize(int... extents) {
    requireSingleValued();
    return pipeline().realize(extents).getFirst();
  }

  /** {@link #realize(int...)} for {@code target}. */
  public Buffer realize(Target target, int... extents) {
    requireSingleValued();
    return pipeline().realize(target, extents).getFirst();
  }

  /** Like {@link #realize(int...)} for any Func: one new buffer per value, in Tuple order. */
  public List<Buffer> realizeTuple(int... extents) {
    return pipeline().realize(extents);
  }

  /** {@link #realizeTuple(int...)} for {@code target}. */
  public List<Buffer> realizeTuple(Target target, int... extents) {
    return pipeline().realize(target, extents);
  }

  /**
   * Computes this Func over the bounds of {@code outputs} (any mins) into them: one buffer per
   * value, in Tuple order, with the Func's element types and dimension count.
   */
  public void realize(Buffer... outputs) {
    pipeline().realize(outputs);
  }

  /** {@link #realize(Buffer...)} for {@code target}. */
  public void realize(Target target, Buffer... outputs) {
    pipeline().realize(target, outputs);
  }

  private void requireSingleValued() {
    if (outputTypes().size() != 1) {
      throw new HalogenException("Func " + name + " has a Tuple of " + types.size() + " values; realize it with realizeTuple");
    }
  }

  // ------------------------------------------------------------------ Func-level schedule

  /** Computes the whole region consumers need before any of them runs. */
  public Func computeRoot() {
    requireDefined("computeRoot()");
    return setCompute("computeRoot()", LoopLevel.ROOT, null);
  }

  /** Substitutes the Func into its consumers (the default). A Func with updates cannot be inlined. */
  public Func computeInline() {
    requireDefined("computeInline()");
    // A Func with updates cannot be substituted into its callers; "inline" then means computed at
    // the innermost loop enclosing all its uses, as in Halide (schedule-functions places it).
    return setCompute("computeInline()", LoopLevel.INLINED, null);
  }

  /** Computes the region needed by each iteration of loop {@code v} of {@code consumer}'s last definition. */
  public Func computeAt(Func consumer, VarOrRVar v) {
    String op = "computeAt(" + consumer.name + ", " + v.name() + ")";
    consumer.requireDefined(op + " on " + name);
    return setCompute(op, level(op, consumer, consumer.stages.size() - 1, v), consumer);
  }

  /** Computes the region needed by each iteration of loop {@code v} of that stage of its consumer. */
  public Func computeAt(Stage consumer, VarOrRVar v) {
    String op = "computeAt(" + consumer + ", " + v.name() + ")";
    return setCompute(op, level(op, consumer.func(), consumer.index(), v), consumer.func());
  }

  /** Allocates storage at loop {@code v} of {@code consumer}'s last definition (at or outside where it is computed). */
  public Func storeAt(Func consumer, VarOrRVar v) {
    String op = "storeAt(" + consumer.name + ", " + v.name() + ")";
    consumer.requireDefined(op + " on " + name);
    return setStore(op, level(op, consumer, consumer.stages.size() - 1, v), consumer);
  }

  public Func storeAt(Stage consumer, VarOrRVar v) {
    String op = "storeAt(" + consumer + ", " + v.name() + ")";
    return setStore(op, level(op, consumer.func(), consumer.index(), v), consumer.func());
  }

  public Func storeRoot() {
    requireDefined("storeRoot()");
    return setStore("storeRoot()", LoopLevel.ROOT, null);
  }

  /** Computes exactly {@code [min, min + extent)} of pure argument {@code v}. */
  public Func bound(Var v, int min, int extent) {
    return bound(v, Expr.of(min), Expr.of(extent));
  }

  public Func bound(Var v, ExprLike min, ExprLike extent) {
    String op = "bound(" + v.name() + ")";
    schedule = schedule.withBounds(withBound(op, schedule.bounds(), v, min, extent));
    return this;
  }

  /** Tells the automatic scheduler that pure argument {@code v} typically covers {@code [min, min + extent)}. */
  public Func estimate(Var v, int min, int extent) {
    return estimate(v, Expr.of(min), Expr.of(extent));
  }

  public Func estimate(Var v, ExprLike min, ExprLike extent) {
    String op = "estimate(" + v.name() + ")";
    schedule = schedule.withEstimates(withBound(op, schedule.estimates(), v, min, extent));
    return this;
  }

  /** Where the storage lives. */
  public Func storeIn(MemoryType type) {
    requireDefined("storeIn(" + type + ")");
    schedule = schedule.withMemoryType(type);
    return this;
  }

  private List<Bound> withBound(String op, List<Bound> old, Var v, ExprLike min, ExprLike extent) {
    requireDefined(op);
    if (!args().contains(v.name())) {
      throw scheduleError(op, v.name() + " is not a pure argument of " + name + " (" + String.join(", ", args()) + ")");
    }
    Refs refs = Refs.join(Ops.refs(min), Ops.refs(extent));
    for (Ref r : refs.leaves()) {
      switch (r) {
        case Var x -> throw scheduleError(op, "the bounds use the Var " + x.name() + "; they may use constants and Params only");
        case RDom d -> throw scheduleError(op, "the bounds use variables of RDom " + d.name() + "; they may use constants and Params only");
        case Func _, Param _, ImageParam _, ConstantBuffer _ -> {}
      }
    }
    Bound b = new Bound(v.name(), Coercion.int32(op + ": the min", min), Coercion.int32(op + ": the extent", extent));
    List<Bound> out = new ArrayList<>();
    for (Bound x : old) if (!x.var().equals(v.name())) out.add(x);
    out.add(b);
    scheduleRefs = Refs.join(scheduleRefs, refs);
    return out;
  }

  private LoopLevel.At level(String op, Func consumer, int stage, VarOrRVar v) {
    requireDefined(op);
    if (consumer == this) throw scheduleError(op, "a Func cannot be computed or stored inside its own loops");
    if (!consumer.uses(this)) {
      throw scheduleError(op, "Func " + consumer.name + " does not use " + name + " (directly or through other Funcs), so "
          + name + " cannot be placed in its loops");
    }
    boolean found = false;
    List<String> loops = new ArrayList<>();
    for (Dim d : consumer.stages.get(stage).schedule().dims()) {
      loops.add(d.var());
      found |= d.var().equals(v.name());
    }
    if (!found) {
      throw scheduleError(op, v.name() + " is not a loop of " + consumer.stageName(stage) + "; its loops are (innermost first) "
          + String.join(", ", loops));
    }
    return new LoopLevel.At(consumer.name, stage, v.name());
  }

  private Func setCompute(String op, LoopLevel level, @Nullable Func consumer) {
    if (storeExplicit) {
      checkStoreOutsideCompute(op, level, consumer, schedule.storeLevel(), storeConsumer);
    } else {
      schedule = schedule.withStoreLevel(level);
      storeConsumer = consumer;
    }
    schedule = schedule.withComputeLevel(level);
    computeConsumer = consumer;
    return this;
  }

  private Func setStore(String op, LoopLevel level, @Nullable Func consumer) {
    checkStoreOutsideCompute(op, schedule.computeLevel(), computeConsumer, level, consumer);
    schedule = schedule.withStoreLevel(level);
    storeConsumer = consumer;
    storeExplicit = true;
    return this;
  }

  /**
   * Storage must be allocated at or outside the loop where the Func is computed. Checked where the
   * two levels can be compared now: storage in a loop while computed at the root, or both in loops
   * of the same stage. (Directives may come in any order, so an inline Func with a store level is
   * left to lowering.)
   */
  private void checkStoreOutsideCompute(String op, LoopLevel compute, @Nullable Func computeIn, LoopLevel store,
      @Nullable Func storeIn) {
    boolean inside = switch (store) {
      case LoopLevel.At(var _, int ss, String sv) -> switch (compute) {
        case LoopLevel.Root _ -> true;
        case LoopLevel.Inlined _ -> false;
        case LoopLevel.At(var _, int cs, String cv) when computeIn == storeIn && storeIn != null && cs == ss -> {
          List<Dim> dims = storeIn.stages.get(ss).schedule().dims();
          yield position(dims, sv) < position(dims, cv);
        }
        case LoopLevel.At _ -> false;
      };
      case LoopLevel.Root _ -> false;
      case LoopLevel.Inlined _ -> false;
    };
    if (inside) {
      throw scheduleError(op, "Func " + name + " would be stored at " + text(store) + ", inside the loop where it is computed ("
          + text(compute) + "); storage must be at or outside the compute level");
    }
  }

  private static int position(List<Dim> dims, String var) {
    for (int i = 0; i < dims.size(); i++) if (dims.get(i).var().equals(var)) return i;
    return -1;
  }

  private static String text(LoopLevel l) {
    return switch (l) {
      case LoopLevel.Inlined _ -> "inline";
      case LoopLevel.Root _ -> "root";
      case LoopLevel.At(String f, int s, String v) -> (s == 0 ? f : f + ".update(" + (s - 1) + ")") + "." + v;
    };
  }

  private HalogenException.ScheduleException scheduleError(String op, String message) {
    return new HalogenException.ScheduleException("In the schedule of " + name + ", " + op + ": " + message);
  }

  // ------------------------------------------------------------------ package-private state

  void requireDefined(String op) {
    if (args == null) {
      throw new HalogenException.ScheduleException("Func " + name + " has no definition yet; define it before calling " + op);
    }
  }

  private HalogenException.DefinitionException undefined(String what) {
    return new HalogenException.DefinitionException("Func " + name + " has no definition yet, so it has no " + what);
  }

  /** {@code f} or {@code f.update(i)}. */
  String stageName(int stage) {
    return stage == 0 ? name : name + ".update(" + (stage - 1) + ")";
  }

  Definition stage(int i) {
    return stages.get(i);
  }

  @Nullable RDom stageDomain(int i) {
    return stageDomains.get(i);
  }

  void setStageSchedule(int i, StageSchedule s) {
    stages.set(i, stages.get(i).withSchedule(s));
  }

  void definePure(List<String> pureArgs, List<dev.halogen.ir.Expr> values, Refs refs) {
    List<dev.halogen.ir.Expr> lhs = new ArrayList<>();
    List<Type> ts = new ArrayList<>();
    for (String a : pureArgs) lhs.add(dev.halogen.ir.Expr.Var.of(a));
    for (dev.halogen.ir.Expr v : values) ts.add(v.type());
    stages.add(new Definition(lhs, values, null, StageSchedule.defaultFor(pureArgs, lhs, null)));
    stageRefs.add(refs);
    stageDomains.add(null);
    types = List.copyOf(ts);
    args = List.copyOf(pureArgs);
  }

  void addUpdate(Definition d, Refs refs, @Nullable RDom domain) {
    stages.add(d);
    stageRefs.add(refs);
    stageDomains.add(domain);
  }

  /**
   * A Func made by the front end from IR it derived ({@link Gradients}): {@code ir}'s name,
   * definitions and schedule, referring to {@code refs} (every Func, parameter and image its
   * definitions name). Its definitions are fixed; it can be scheduled and called like any other.
   */
  static Func fromIr(Function ir) {
    Func f = new Func(ir.name(), false);
    f.args = ir.args();
    f.types = ir.outputTypes();
    f.schedule = ir.schedule();
    for (int s = 0; s < ir.stageCount(); s++) {
      f.stages.add(ir.stage(s));
      f.stageRefs.add(Refs.EMPTY);
      f.stageDomains.add(ir.stage(s).domain() == null ? null : RDom.fromIr(ir.stage(s).domain()));
    }
    return f;
  }

  /** Sets what {@link #fromIr} Func's definitions refer to, once every Func they name exists. */
  void setDerivedRefs(Refs refs) {
    for (int s = 0; s < stageRefs.size(); s++) stageRefs.set(s, refs);
  }

  /** The name of the next rfactor intermediate of this Func: {@code f_intm}, then {@code f_intm1}, ... */
  String rfactorName() {
    return name + "_intm" + (rfactorCount == 0 ? "" : String.valueOf(rfactorCount));
  }

  /**
   * Takes stage {@code index} from {@code r} (the merge of the partial results) and returns the
   * intermediate as a Func. Its update refers to what the factored update referred to (this Func
   * aside: its reads of itself became reads of the intermediate) and iterates what is left of the
   * same RDom; the merge refers to the intermediate and the RDom.
   */
  Func applyRFactor(int index, RFactorTransform.Result r) {
    rfactorCount++;
    Function ir = r.intermediate();
    RDom domain = stageDomains.get(index);
    Func intm = new Func(ir.name(), false);
    intm.args = ir.args();
    intm.types = ir.outputTypes();
    intm.schedule = ir.schedule();
    intm.stages.add(ir.definition());
    intm.stageRefs.add(Refs.EMPTY);
    intm.stageDomains.add(null);
    intm.stages.add(ir.updates().getFirst());
    intm.stageRefs.add(stageRefs.get(index).without(this));
    intm.stageDomains.add(ir.updates().getFirst().domain() == null ? null : domain);
    stages.set(index, r.func().stage(index));
    Refs merged = Refs.of(intm);
    if (domain != null) merged = Refs.join(merged, Refs.of(domain));
    stageRefs.set(index, merged);
    return intm;
  }

  /** What this Func's definitions and schedule refer to, RDoms' bounds and predicates included. */
  List<Ref> refs() {
    List<Refs> all = new ArrayList<>(stageRefs);
    all.add(scheduleRefs);
    List<Ref> out = new ArrayList<>();
    Set<Ref> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Ref r : Refs.join(all).leaves()) {
      if (seen.add(r)) out.add(r);
      if (r instanceof RDom d) {
        for (Ref x : Refs.join(d.boundRefs(), d.predicateRefs()).leaves()) if (seen.add(x)) out.add(x);
      }
    }
    return out;
  }

  /** Whether this Func calls {@code producer}, directly or through other Funcs. */
  boolean uses(Func producer) {
    Set<Func> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    Deque<Func> work = new ArrayDeque<>(List.of(this));
    while (!work.isEmpty()) {
      Func f = work.pop();
      if (!seen.add(f)) continue;
      for (Ref r : f.refs()) {
        if (r instanceof Func g) {
          if (g == producer) return true;
          work.push(g);
        }
      }
    }
    return false;
  }

  @Override
  Func owner() {
    return this;
  }

  @Override
  int stageIndex() {
    return 0;
  }

  @Override
  Func self() {
    return this;
  }

  @Override
  public String toString() {
    return name;
  }
}
