package dev.halogen.ad;

import dev.halogen.ir.Definition;
import dev.halogen.ir.Expr;
import dev.halogen.ir.Expr.*;
import dev.halogen.ir.FuncSchedule;
import dev.halogen.ir.Function;
import dev.halogen.ir.IrQueries;
import dev.halogen.ir.Parameter;
import dev.halogen.ir.Pipeline;
import dev.halogen.ir.Range;
import dev.halogen.ir.ReductionDomain;
import dev.halogen.ir.ReductionDomain.ReductionVariable;
import dev.halogen.ir.StageSchedule;
import dev.halogen.ir.Substitution;
import dev.halogen.ir.Type;
import dev.halogen.ir.text.IrPrinter;
import dev.halogen.passes.analysis.Bounds;
import dev.halogen.passes.analysis.Box;
import dev.halogen.passes.analysis.FuncValueBounds;
import dev.halogen.passes.analysis.Interval;
import dev.halogen.passes.analysis.IntervalScope;
import dev.halogen.passes.analysis.Inversion;
import dev.halogen.passes.analysis.Simplifier;
import dev.halogen.passes.analysis.Solver;
import java.util.*;
import java.util.function.UnaryOperator;

import static dev.halogen.ad.Partials.castTo;

/**
 * Reverse-mode automatic differentiation on the function graph (autodiff.md section 2).
 *
 * <p>Funcs are visited consumers first and each Func's stages last update first. The adjoint of
 * stage {@code s} of {@code f} (the adjoint of {@code f}'s values after that stage) is a Func of
 * its own; an update {@code f(L) = V} passes the adjoint of what it wrote to what {@code V} reads
 * and to the adjoint of the stage before it, where the points it overwrote get zero (the mask). An
 * accumulating update {@code f(L) = f(L) + h} leaves the adjoint of {@code f} as it is, so both
 * stages share one adjoint Func. Each read {@code g(C)} of a stage becomes an update of {@code g}'s
 * adjoint; it is turned from a scatter into a gather by solving {@code u == C_i} for the pure
 * variables of the stage one dimension at a time ({@link Solver#invert}); what cannot be solved is
 * iterated by a reduction domain over the region of {@code f} the forward pipeline computes.
 *
 * <p>Such a leftover scatter is an update {@code d_g(L) = d_g(L) + a} over that reduction domain,
 * which the race check of check-schedule keeps serial. It is not pre-marked atomic: atomic
 * read-modify-writes cost time in the serial loop a Func gets by default, and the update is in the
 * form {@code atomic()} proves associative, so a schedule (or the autoscheduler) that parallelizes
 * or vectorizes it adds {@code atomic()} itself, as for a forward histogram.
 *
 * <p>Updates that read values written by an earlier iteration of the same update (scans) and
 * updates that write the same points at every iteration (folds: maximum, product, repeated
 * nonlinear updates) are differentiated as the sequential program by {@link ScanAdjoints}, which
 * also makes every adjoint read the forward values the update read rather than values a later
 * write replaced. Still refused, with an {@link AdException} naming the Func and the update: a
 * reduction domain that writes a moving point more than once without accumulating into it, and a
 * scan whose reads cannot be traced to the iteration that wrote them.
 */
public final class ReverseAd {
  /**
   * The adjoint Funcs: for every Func of the pipeline the output depends on, one per stage (index 0
   * is the pure definition; equal entries are one shared Func), and for every float image and float
   * scalar parameter one; {@code functions} is all of them, each once.
   */
  public record Gradient(Map<String, List<Function>> stages, Map<String, Function> inputs, List<Function> functions) {}

  private final Pipeline pipeline;
  private final UnaryOperator<String> namer;
  private final Set<String> floatParams = new LinkedHashSet<>();
  private final Map<String, Parameter> images = new LinkedHashMap<>();
  private final Map<String, List<Builder>> stageAdjoints = new LinkedHashMap<>();
  private final Map<String, Builder> inputAdjoints = new LinkedHashMap<>();
  private final Map<String, Box> boxes = new HashMap<>();
  private final FuncValueBounds values;
  private final CustomRules custom;
  private final Partials partials;
  /** Adjoint Funcs that belong to no stage or input: the adjoints custom Func rules read. */
  private final List<Builder> ruleAdjoints = new ArrayList<>();
  private final ScanAdjoints scans;

  private ReverseAd(Pipeline pipeline, UnaryOperator<String> namer, CustomRules custom) {
    this.pipeline = pipeline;
    this.namer = namer;
    this.values = Bounds.valueBounds(pipeline);
    this.custom = custom;
    this.partials = new Partials(custom.externs());
    this.scans = new ScanAdjoints(this, namer);
  }

  /**
   * Differentiates {@code output} of {@code pipeline}: its adjoint is {@code adjoint} (a Func with
   * the output's dimensions and value count, not part of the pipeline; it may call the pipeline's
   * Funcs and inputs) inside {@code bounds} ({@code {min, extent}} per dimension: exactly {@code
   * [min, min + extent - 1]}) and zero outside. {@code namer} turns a base name into a name of a
   * new Func or reduction domain no other Func has.
   */
  public static Gradient propagate(Pipeline pipeline, String output, Function adjoint, List<Range> bounds, UnaryOperator<String> namer) {
    return propagate(pipeline, output, adjoint, bounds, namer, CustomRules.NONE);
  }

  /**
   * As {@link #propagate(Pipeline, String, Function, List, UnaryOperator)}, using the registered
   * rules {@code custom} for extern functions and, instead of their definitions, for Funcs.
   */
  public static Gradient propagate(Pipeline pipeline, String output, Function adjoint, List<Range> bounds, UnaryOperator<String> namer,
      CustomRules custom) {
    Function out = pipeline.function(output);
    if (adjoint.dimensions() != out.dimensions()) {
      throw new AdException("output dimensions and adjoint dimensions must match: " + output + " has " + out.dimensions()
          + ", the adjoint " + adjoint.name() + " has " + adjoint.dimensions());
    }
    if (bounds.size() != out.dimensions()) {
      throw new AdException("output_bounds and adjoint dimensions must match: " + output + " has " + out.dimensions()
          + " dimensions, the bounds have " + bounds.size());
    }
    if (adjoint.outputTypes().size() != out.outputTypes().size()) {
      throw new AdException("the adjoint " + adjoint.name() + " has " + adjoint.outputTypes().size() + " values, the output "
          + output + " has " + out.outputTypes().size());
    }
    return new ReverseAd(pipeline, namer, custom).run(out, adjoint, bounds);
  }

  private Gradient run(Function out, Function adjoint, List<Range> bounds) {
    List<String> order = realizationOrder(out.name());
    for (Parameter p : pipeline.parameters()) {
      switch (p) {
        case Parameter.Scalar s -> { if (s.type().isFloat()) floatParams.add(s.name()); }
        case Parameter.Image i -> images.put(i.name(), i);
        case Parameter.Constant c -> images.put(c.name(), c);
      }
    }
    List<Interval> outBox = new ArrayList<>();
    for (Range r : bounds) outBox.add(Interval.of(r.min(), Simplifier.simplify(new Sub(new Add(r.min(), r.extent()), one()))));
    boxes.put(out.name(), new Box(outBox));
    for (int i = order.size() - 1; i >= 0; i--) inferBounds(pipeline.function(order.get(i)));
    for (String name : order) createStageAdjoints(pipeline.function(name));

    // The seed: the adjoint Func inside the bounds, zero outside.
    Builder last = stageAdjoints.get(out.name()).getLast();
    Expr inside = truth();
    for (int d = 0; d < out.dimensions(); d++) {
      Var v = Var.of(last.args.get(d));
      Interval b = boxes.get(out.name()).get(d);
      inside = and(inside, new And(new GE(v, b.min()), new LE(v, b.max())));
    }
    for (int i = 0; i < last.pure.size(); i++) {
      Call seed = new Call(adjoint.outputTypes().get(i), adjoint.name(), vars(last.args), CallKind.FUNC, i);
      Expr z = zero(last.types.get(i));
      last.pure.set(i, Simplifier.simplify(new Select(inside, castTo(seed, last.types.get(i)), z)));
    }

    for (int i = order.size() - 1; i >= 0; i--) {
      Function f = pipeline.function(order.get(i));
      CustomRules.FuncAdjoint rule = custom.funcs().get(f.name());
      if (rule != null) {
        customRule(f, rule);
        continue;
      }
      for (int s = f.stageCount() - 1; s >= 0; s--) stage(f, s);
    }

    Map<String, List<Function>> stages = new LinkedHashMap<>();
    Map<Builder, Function> built = new IdentityHashMap<>();
    List<Function> all = new ArrayList<>();
    for (var e : stageAdjoints.entrySet()) {
      List<Function> fs = new ArrayList<>();
      for (Builder b : e.getValue()) fs.add(built.computeIfAbsent(b, x -> add(all, x.build())));
      stages.put(e.getKey(), List.copyOf(fs));
    }
    Map<String, Function> inputs = new LinkedHashMap<>();
    for (var e : inputAdjoints.entrySet()) inputs.put(e.getKey(), add(all, e.getValue().build()));
    for (Builder b : ruleAdjoints) add(all, b.build());
    all.addAll(scans.functions());
    return new Gradient(Collections.unmodifiableMap(stages), Collections.unmodifiableMap(inputs), List.copyOf(all));
  }

  private static Function add(List<Function> all, Function f) {
    all.add(f);
    return f;
  }

  // ------------------------------------------------------------------ graph order and bounds

  /** Funcs the output depends on, producers first. */
  private List<String> realizationOrder(String output) {
    List<String> order = new ArrayList<>();
    Set<String> visiting = new HashSet<>();
    visit(output, order, visiting);
    return order;
  }

  private void visit(String name, List<String> order, Set<String> visiting) {
    if (order.contains(name) || !visiting.add(name)) return;
    Function f = pipeline.function(name);
    for (String callee : new TreeSet<>(IrQueries.calls(f, CallKind.FUNC))) {
      if (!callee.equals(name)) visit(callee, order, visiting);
    }
    order.add(name);
  }

  /** Halide's inference_bounds: the region of each callee that {@code f}'s region reads. */
  private void inferBounds(Function f) {
    Box box = boxes.get(f.name());
    if (box == null) return;
    // The points f's own updates read are computed too, and their adjoints read forward values
    // there: a scan's first iterations read values of the pure definition that no consumer reads.
    // (A data-dependent read, as a histogram's, adds nothing: its point is one the update writes.)
    for (int s = 1; s < f.stageCount(); s++) {
      Definition def = f.stage(s);
      IntervalScope sc = scopeOf(f, box);
      Box self = Bounds.boxesRequired(new ArrayList<>(IrQueries.exprs(def)), def.domain() == null ? sc : sc.withDomain(def.domain()),
          values).get(f.name());
      if (self != null && self.isBounded()) box = box.union(self);
    }
    boxes.put(f.name(), box);
    IntervalScope scope = scopeOf(f, box);
    for (int s = 0; s < f.stageCount(); s++) {
      Definition def = f.stage(s);
      IntervalScope sc = def.domain() == null ? scope : scope.withDomain(def.domain());
      List<Expr> es = new ArrayList<>(IrQueries.exprs(def));
      Map<String, Box> req = Bounds.boxesRequired(es, sc, values);
      for (var e : req.entrySet()) {
        if (e.getKey().equals(f.name())) continue;
        boxes.merge(e.getKey(), e.getValue(), Box::union);
      }
    }
  }

  /** {@code f}'s pure variables over {@code box}. */
  private static IntervalScope scopeOf(Function f, Box box) {
    IntervalScope scope = IntervalScope.empty();
    for (int d = 0; d < f.dimensions(); d++) scope = scope.with(f.args().get(d), box.get(d));
    return scope;
  }

  /** The interval of dimension {@code d} of {@code f} the forward pipeline computes; it must be bounded. */
  private Interval bound(String f, int d) {
    Box b = boxes.get(f);
    Interval i = b == null ? Interval.everything() : b.get(d).simplified();
    if (!i.isBounded()) {
      throw new AdException("Access to function or buffer " + f + " at dimension " + d
          + " is not bounded. We can only differentiate bounded accesses.");
    }
    return i;
  }

  // ------------------------------------------------------------------ adjoint Funcs

  /** An adjoint Func being built: a pure definition that sums contributions, then updates. */
  static final class Builder {
    final String name;
    final List<String> args;
    final List<Type> types;
    final List<Expr> pure = new ArrayList<>();
    final List<Definition> updates = new ArrayList<>();

    Builder(String name, List<String> args, List<Type> types) {
      this.name = name;
      this.args = args;
      this.types = types;
      for (Type t : types) pure.add(zero(t));
    }

    /** Adds {@code a} to pure value {@code i}; the first contribution replaces the initial zero, so printed adjoints read as plain sums. */
    void addToPure(int i, Expr a) {
      Expr old = pure.get(i);
      boolean initialZero = old instanceof FloatImm(var _, double v) && Double.doubleToRawLongBits(v) == 0 && old.type().equals(a.type());
      pure.set(i, initialZero ? a : new Add(old, a));
    }

    Call call(List<Expr> at, int i) {
      return new Call(types.get(i), name, at, CallKind.FUNC, i);
    }

    Function build() {
      List<Expr> lhs = vars(args);
      List<Expr> vs = new ArrayList<>();
      for (Expr e : pure) vs.add(Simplifier.simplify(e));
      Definition def = new Definition(lhs, vs, null, StageSchedule.defaultFor(args, lhs, null));
      return new Function(name, args, types, def, updates, FuncSchedule.INLINE);
    }
  }

  private void createStageAdjoints(Function f) {
    List<Builder> bs = new ArrayList<>();
    String base = baseName(f.name());
    for (int s = 0; s < f.stageCount(); s++) {
      bs.add(new Builder(namer.apply(base + "_" + s + "_d"), f.args(), adjointTypes(f.outputTypes())));
    }
    stageAdjoints.put(f.name(), bs);
  }

  /** The types of the derivatives (adjoints, tangents) of values of types {@code ts}: float types stay, others become float32 (zero). */
  public static List<Type> adjointTypes(List<Type> ts) {
    List<Type> out = new ArrayList<>();
    for (Type t : ts) out.add(t.isFloat() ? t : Type.F32);
    return out;
  }

  private Builder inputAdjoint(String name) {
    return inputAdjoints.computeIfAbsent(name, n -> {
      Parameter p = images.get(n);
      List<String> args = new ArrayList<>();
      int dims = p == null ? 0 : p instanceof Parameter.Image i ? i.dimensions() : ((Parameter.Constant) p).buffer().dimensions();
      for (int d = 0; d < dims; d++) args.add("i" + d);
      Type t = p == null ? scalarType(n) : p.type();
      return new Builder(namer.apply(baseName(n) + "_d"), args, List.of(t));
    });
  }

  private Type scalarType(String name) {
    for (Parameter p : pipeline.parameters()) if (p.name().equals(name)) return p.type();
    throw new IllegalStateException("no parameter " + name);
  }

  // ------------------------------------------------------------------ one stage

  private void stage(Function f, int s) {
    Definition def = f.stage(s);
    List<Builder> adj = stageAdjoints.get(f.name());
    Builder cur = adj.get(s);
    List<Expr> lhs = def.args();
    String where = s == 0 ? "Func " + f.name() : "update " + (s - 1) + " of Func " + f.name();
    List<Expr> seeds = new ArrayList<>();
    for (int i = 0; i < f.outputTypes().size(); i++) seeds.add(castTo(cur.call(lhs, i), f.outputTypes().get(i)));
    if (s == 0) {
      for (int i = 0; i < def.values().size(); i++) contributions(f, def, def.values().get(i), seeds.get(i));
      return;
    }
    Builder prev = adj.get(s - 1);
    List<Expr> rest = accumulated(f, def);
    if (rest != null) {
      // f(L) = f(L) + h: the adjoint passes through unchanged, so the stage before shares it.
      adj.set(s - 1, cur);
      for (int i = 0; i < rest.size(); i++) contributions(f, def, rest.get(i), seeds.get(i));
      return;
    }
    if (scans.differentiate(f, s, cur, prev)) return;
    checkOverwrite(f, def, where);
    // prev(x) = cur(x); prev(L) = 0; then what the values read of f flows into prev.
    List<Expr> zeros = new ArrayList<>();
    for (Type t : prev.types) zeros.add(zero(t));
    mask(cur, prev, lhs, zeros, def.domain());
    UnaryOperator<Expr> before = scans.beforeStage(f, s);
    for (int i = 0; i < def.values().size(); i++) {
      for (ExprAdjoints.Contribution c : ExprAdjoints.of(def.values().get(i), seeds.get(i), floatParams, partials)) {
        route(f, def, new ExprAdjoints.Contribution(c.target(), before.apply(c.adjoint())));
      }
    }
  }

  /** {@code prev(x) = cur(x); prev(lhs) = values} (over {@code rd}): the adjoint of what an update overwrote. */
  void mask(Builder cur, Builder prev, List<Expr> lhs, List<Expr> values, ReductionDomain rd) {
    for (int i = 0; i < prev.pure.size(); i++) prev.pure.set(i, cur.call(vars(prev.args), i));
    prev.updates.add(new Definition(lhs, values, rd, StageSchedule.defaultFor(prev.args, lhs, rd)));
  }

  /** The float scalar parameters, which receive gradients. */
  Set<String> floatParams() {
    return floatParams;
  }

  /** The derivative rules, with the custom rules of extern functions. */
  Partials partials() {
    return partials;
  }

  /** For {@code f(L) = f(L) + h} (every value), the {@code h}s; null for any other update. */
  private static List<Expr> accumulated(Function f, Definition def) {
    List<Expr> rest = new ArrayList<>();
    for (int i = 0; i < def.values().size(); i++) {
      Expr v = def.values().get(i);
      Expr self = new Call(f.outputTypes().get(i), f.name(), def.args(), CallKind.FUNC, i);
      Expr h = switch (v) {
        case Add(Expr a, Expr b) when a.equals(self) -> b;
        case Add(Expr a, Expr b) when b.equals(self) -> a;
        case Sub(Expr a, Expr b) when a.equals(self) -> new Sub(zero(b.type()), b);
        default -> null;
      };
      if (h == null || IrQueries.calls(h, CallKind.FUNC).contains(f.name())) return null;
      rest.add(h);
    }
    if (def.domain() != null && IrQueries.calls(def.domain().predicate(), CallKind.FUNC).contains(f.name())) return null;
    return rest;
  }

  /**
   * An update that is not an accumulation is differentiated as "read everything, then write": it
   * must write each point at most once (so a reduction domain must map one-to-one onto the points
   * written), and each read of {@code f} must be of the point the iteration writes or of a point the
   * update never writes.
   */
  private void checkOverwrite(Function f, Definition def, String where) {
    ReductionDomain rd = def.domain();
    if (rd != null) {
      for (ReductionVariable r : rd.variables()) {
        if (!injectiveIn(def.args(), r.name(), rd)) {
          throw new AdException("Can't take the gradients of " + f.name() + ": " + where + " may write one point for several values of "
              + r.name() + " without accumulating into it, which overwrites values the gradient needs; write it as a scan"
              + " that keeps each intermediate value at its own point");
        }
      }
    }
    List<Call> selfReads = new ArrayList<>();
    for (Expr v : def.values()) collectCalls(v, f.name(), selfReads);
    for (Call c : selfReads) {
      if (c.args().equals(def.args())) continue;
      if (!ScanAdjoints.disjoint(c.args(), def.args())) {
        throw new AdException("Can't take the gradients of " + f.name() + ": " + where + " reads " + text(c)
            + " while writing " + text(new Call(c.type(), f.name(), def.args(), CallKind.FUNC, c.valueIndex()))
            + ", a value that an earlier iteration of the same update may have written, and which iteration wrote it cannot be"
            + " solved for; differentiating it would need each intermediate value");
      }
    }
  }

  /** The printed form of {@code e} for a message: its last line, after the declarations of the names it uses. */
  private static String text(Expr e) {
    String printed = IrPrinter.print(e);
    return printed.substring(printed.lastIndexOf('\n') + 1);
  }

  /** Exactly one argument uses {@code r}, and moving {@code r} by one moves it by a nonzero constant. */
  static boolean injectiveIn(List<Expr> args, String r, ReductionDomain rd) {
    int uses = 0;
    boolean stepped = false;
    for (Expr a : args) {
      Set<String> fv = IrQueries.freeVars(a);
      if (!fv.contains(r)) continue;
      uses++;
      for (ReductionVariable o : rd.variables()) if (!o.name().equals(r) && fv.contains(o.name())) return false;
      Expr step = Simplifier.simplify(new Sub(Substitution.substitute(a, r, new Add(Var.of(r), one())), a));
      stepped = IrQueries.asConstInt(step).isPresent() && IrQueries.asConstInt(step).getAsLong() != 0;
    }
    return uses == 1 && stepped;
  }

  private static void collectCalls(Expr e, String name, List<Call> out) {
    new dev.halogen.ir.IrRewriter() {
      @Override
      public Expr rewrite(Expr x) {
        if (x instanceof Call c && c.kind() == CallKind.FUNC && c.name().equals(name)) out.add(c);
        return rewriteChildren(x);
      }
    }.rewrite(e);
  }

  // ------------------------------------------------------------------ scatter to gather

  private void contributions(Function f, Definition def, Expr value, Expr seed) {
    for (ExprAdjoints.Contribution c : ExprAdjoints.of(value, seed, floatParams, partials)) route(f, def, c);
  }

  /** Adds one contribution of stage {@code def} of {@code f} to the adjoint of what it reads. */
  void route(Function f, Definition def, ExprAdjoints.Contribution c) {
    switch (c.target()) {
      case Call call when call.kind() == CallKind.FUNC && call.name().equals(f.name()) -> {
        int s = stageOf(f, def);
        Builder prev = stageAdjoints.get(f.name()).get(s - 1);
        scatter(f, def, prev, call.valueIndex(), call.args(), c.adjoint());
      }
      case Call call when call.kind() == CallKind.FUNC -> {
        if (call.type().isFloat()) scatter(f, def, stageAdjoints.get(call.name()).getLast(), call.valueIndex(), call.args(), c.adjoint());
      }
      case Call call when call.kind() == CallKind.IMAGE -> {
        if (call.type().isFloat()) scatter(f, def, inputAdjoint(call.name()), 0, call.args(), c.adjoint());
      }
      case Var v -> scatter(f, def, inputAdjoint(v.name()), 0, List.of(), c.adjoint());
      default -> throw new IllegalStateException("unexpected gradient target " + c.target());
    }
  }

  private static int stageOf(Function f, Definition def) {
    for (int s = 0; s < f.stageCount(); s++) if (f.stage(s) == def) return s;
    throw new IllegalStateException("definition not in " + f.name());
  }

  /**
   * {@code g(callArgs)[index] += adjoint} for every iteration of stage {@code def} of {@code f},
   * as a gather where the arguments can be solved for {@code f}'s pure variables.
   */
  private void scatter(Function f, Definition def, Builder g, int index, List<Expr> callArgs, Expr adjoint) {
    Set<String> pure = new LinkedHashSet<>(f.args());
    Set<String> taken = new HashSet<>(pure);
    if (def.domain() != null) for (ReductionVariable r : def.domain().variables()) taken.add(r.name());
    for (Expr a : callArgs) taken.addAll(IrQueries.allVarNames(a));
    taken.addAll(IrQueries.allVarNames(adjoint));
    // The gradient Func's own variables, renamed where they clash with the stage's.
    List<String> us = new ArrayList<>();
    for (String a : g.args) us.add(taken.contains(a) ? IrQueries.freshName(a, taken) : a);
    taken.addAll(us);

    List<Expr> lhs = new ArrayList<>(callArgs);
    Map<String, Expr> solved = new LinkedHashMap<>();
    List<ReductionVariable> newVars = new ArrayList<>();
    List<Expr> predicates = new ArrayList<>();
    boolean[] done = new boolean[lhs.size()];
    String rdName = namer.apply("r_d");
    boolean progress = true;
    while (progress) {
      progress = false;
      for (int i = 0; i < lhs.size(); i++) {
        if (done[i]) continue;
        Set<String> fv = new LinkedHashSet<>(IrQueries.freeVars(lhs.get(i)));
        fv.retainAll(pure);
        fv.removeAll(solved.keySet());
        if (fv.size() != 1) continue;
        String v = fv.iterator().next();
        if (!(Solver.invert(lhs.get(i), v, us.get(i)) instanceof Inversion.Inverse inv)) continue;
        Expr sol = inv.min();
        if (!inv.isExact()) {
          String rv = rdName + ".p" + newVars.size();
          // The preimage variable runs over [0, extent); the points are min + r.
          newVars.add(new ReductionVariable(rv, new IntImm(Type.I32, 0), new IntImm(Type.I32, inv.extent())));
          sol = new Add(inv.min(), Var.of(rv));
        }
        if (!IrQueries.isConst(inv.predicate(), 1)) predicates.add(inv.predicate());
        solved.put(v, Simplifier.simplify(sol));
        for (int j = 0; j < lhs.size(); j++) lhs.set(j, Simplifier.simplify(Substitution.substitute(lhs.get(j), v, solved.get(v))));
        for (int k = 0; k < predicates.size(); k++) predicates.set(k, Substitution.substitute(predicates.get(k), v, solved.get(v)));
        done[i] = true;
        lhs.set(i, Var.of(us.get(i)));
        progress = true;
      }
    }
    // Dimensions left: a point (a constant, or a solved variable again as in in(x, x)) becomes a
    // guard on the gather; anything still over f's variables is iterated (scatter).
    Expr guard = truth();
    Set<String> free = new LinkedHashSet<>();
    for (int i = 0; i < lhs.size(); i++) {
      if (done[i]) continue;
      Set<String> fv = new LinkedHashSet<>(IrQueries.freeVars(lhs.get(i)));
      fv.retainAll(pure);
      Set<String> all = IrQueries.freeVars(lhs.get(i));
      boolean usesRVar = def.domain() != null && def.domain().variables().stream().anyMatch(r -> all.contains(r.name()));
      if (fv.isEmpty() && !usesRVar) {
        guard = and(guard, new EQ(Var.of(us.get(i)), lhs.get(i)));
        lhs.set(i, Var.of(us.get(i)));
      } else {
        free.addAll(fv);
      }
    }
    Expr a = clampForwardReads(f, adjoint, solved.keySet());
    a = Substitution.substitute(a, solved);
    Expr pred = def.domain() == null ? truth() : Substitution.substitute(def.domain().predicate(), solved);
    guard = Substitution.substitute(guard, solved);
    // Every variable of f not solved for is summed over f's region.
    Set<String> rest = new LinkedHashSet<>(IrQueries.freeVars(a));
    rest.addAll(free);
    rest.addAll(IrQueries.freeVars(pred));
    for (Expr l : lhs) rest.addAll(IrQueries.freeVars(l));
    rest.retainAll(pure);
    rest.removeAll(solved.keySet());
    Map<String, Expr> iterated = new LinkedHashMap<>();
    for (String v : rest) {
      int d = f.args().indexOf(v);
      Interval b = bound(f.name(), d);
      String rv = rdName + "." + v;
      newVars.add(new ReductionVariable(rv, b.min(), Simplifier.simplify(new Add(new Sub(b.max(), b.min()), one()))));
      iterated.put(v, Var.of(rv));
    }
    a = Substitution.substitute(a, iterated);
    pred = Substitution.substitute(pred, iterated);
    guard = Substitution.substitute(guard, iterated);
    for (int i = 0; i < lhs.size(); i++) lhs.set(i, Simplifier.simplify(Substitution.substitute(lhs.get(i), iterated)));
    for (Expr p : predicates) pred = and(pred, Substitution.substitute(p, iterated));
    if (!IrQueries.isConst(guard, 1)) a = new Select(guard, a, zero(a.type()));
    a = castTo(a, g.types.get(index));
    // Rename the gradient Func's variables where they were renamed to avoid a clash.
    Map<String, Expr> toArgs = new HashMap<>();
    for (int i = 0; i < us.size(); i++) if (!us.get(i).equals(g.args.get(i))) toArgs.put(us.get(i), Var.of(g.args.get(i)));
    a = Simplifier.simplify(Substitution.substitute(a, toArgs));
    pred = Simplifier.simplify(Substitution.substitute(pred, toArgs));
    for (int i = 0; i < lhs.size(); i++) lhs.set(i, Substitution.substitute(lhs.get(i), toArgs));

    List<ReductionVariable> all = new ArrayList<>();
    if (def.domain() != null) all.addAll(def.domain().variables());
    all.addAll(newVars);
    Gather gather = gatherReductionArgs(g.args, lhs, a, pred, all);
    a = gather.adjoint();
    pred = gather.predicate();
    if (all.isEmpty() && !IrQueries.isConst(pred, 1)) {
      // Without a reduction domain to carry it, a predicate (of an inversion such as u == 2 * x,
      // which has a preimage only for even u) guards the value instead.
      a = Simplifier.simplify(new Select(pred, a, zero(a.type())));
      pred = truth();
    }
    // Reduction variables of the stage that the contribution does not mention still count iterations.
    accumulate(g, index, lhs, all.isEmpty() ? null : new ReductionDomain(rdName, all, pred), a);
  }

  /** {@code g(lhs)[index] += a} over {@code rd}: merged into the pure definition while it is a gather without updates before it. */
  private static void accumulate(Builder g, int index, List<Expr> lhs, ReductionDomain rd, Expr a) {
    if (rd == null && lhs.equals(vars(g.args)) && g.updates.isEmpty()) {
      g.addToPure(index, a);
      return;
    }
    List<Expr> vs = new ArrayList<>();
    for (int i = 0; i < g.types.size(); i++) {
      Expr old = g.call(lhs, i);
      vs.add(i == index ? new Add(old, a) : old);
    }
    g.updates.add(new Definition(lhs, vs, rd, StageSchedule.defaultFor(g.args, lhs, rd)));
  }

  // ------------------------------------------------------------------ custom Func rules

  /**
   * Applies the registered backward rule of {@code f} instead of differentiating its definitions:
   * the adjoint of {@code f}'s values (one Func for all its stages) is defined under the name the
   * rule's Functions call it by, and each input's adjoint gets the rule's Function for it.
   */
  private void customRule(Function f, CustomRules.FuncAdjoint rule) {
    List<Builder> adj = stageAdjoints.get(f.name());
    Builder cur = adj.getLast();
    Collections.fill(adj, cur);
    Builder named = new Builder(rule.adjoint(), f.args(), cur.types);
    for (int i = 0; i < cur.types.size(); i++) named.pure.set(i, cur.call(vars(cur.args), i));
    ruleAdjoints.add(named);
    Set<String> funcs = IrQueries.calls(f, CallKind.FUNC);
    Set<String> imageReads = IrQueries.calls(f, CallKind.IMAGE);
    Set<String> varReads = new HashSet<>();
    for (int s = 0; s < f.stageCount(); s++) for (Expr e : IrQueries.exprs(f.stage(s))) varReads.addAll(IrQueries.freeVars(e));
    for (var e : new TreeMap<>(rule.inputs()).entrySet()) {
      String input = e.getKey();
      Function given = e.getValue();
      Builder target;
      if (funcs.contains(input) && !input.equals(f.name())) {
        target = stageAdjoints.get(input).getLast();
      } else if ((imageReads.contains(input) && images.containsKey(input)) || (varReads.contains(input) && floatParams.contains(input))) {
        target = inputAdjoint(input);
      } else {
        throw new AdException("The custom adjoint of Func " + f.name() + " gives an adjoint for " + input + ", which " + f.name()
            + " does not read (an input of the rule is a Func it calls, an image it reads or a float scalar parameter it uses)");
      }
      if (given.dimensions() != target.args.size() || given.outputTypes().size() != target.types.size()) {
        throw new AdException("The custom adjoint of Func " + f.name() + " gives the adjoint of " + input + " as Func " + given.name()
            + " with " + given.dimensions() + " dimension(s) and " + given.outputTypes().size() + " value(s); " + input + " has "
            + target.args.size() + " dimension(s) and " + target.types.size() + " value(s)");
      }
      for (int i = 0; i < target.types.size(); i++) {
        Expr a = castTo(new Call(given.outputTypes().get(i), given.name(), vars(target.args), CallKind.FUNC, i), target.types.get(i));
        accumulate(target, i, vars(target.args), null, a);
      }
    }
  }

  /** What {@link #gatherReductionArgs} leaves of an update's adjoint and predicate. */
  private record Gather(Expr adjoint, Expr predicate) {}

  /**
   * Halide's step 6 of the scatter-to-gather conversion: a left-hand-side argument that is a bare
   * reduction variable {@code r} (as in {@code loss() += f(r)^2}, which gives {@code d_f(r) += ...})
   * writes each point of {@code r}'s range once, so it becomes the gradient Func's own variable
   * {@code u}, with the adjoint {@code select(u in r's range and the predicate, adjoint[r := u], 0)}:
   * a gather, which parallelizes and vectorizes like any pure loop. Elsewhere in the adjoint {@code
   * r} becomes {@code u} clamped to the range, so forward values are never read outside the region
   * the forward pass computed. A variable that also occurs in another argument stays, and so does
   * one the predicate relates to a variable that stays. {@code lhs} and {@code vars} are updated in
   * place.
   */
  private static Gather gatherReductionArgs(List<String> gArgs, List<Expr> lhs, Expr adjoint, Expr pred, List<ReductionVariable> vars) {
    Map<Integer, ReductionVariable> bare = new LinkedHashMap<>();
    for (int i = 0; i < lhs.size(); i++) {
      if (!(lhs.get(i) instanceof Var(var _, String name))) continue;
      boolean elsewhere = false;
      for (int j = 0; j < lhs.size(); j++) if (j != i && IrQueries.freeVars(lhs.get(j)).contains(name)) elsewhere = true;
      if (elsewhere) continue;
      for (ReductionVariable r : vars) if (r.name().equals(name)) bare.put(i, r);
    }
    Set<String> bareNames = new HashSet<>();
    for (ReductionVariable r : bare.values()) bareNames.add(r.name());
    Set<String> inPred = new HashSet<>(IrQueries.freeVars(pred));
    inPred.retainAll(vars.stream().map(ReductionVariable::name).toList());
    boolean predMoves = !inPred.isEmpty() && bareNames.containsAll(inPred);
    Map<String, Expr> clamped = new HashMap<>();
    Expr cond = truth();
    for (var e : bare.entrySet()) {
      ReductionVariable r = e.getValue();
      if (inPred.contains(r.name()) && !predMoves) continue;
      Var u = Var.of(gArgs.get(e.getKey()));
      Expr hi = Simplifier.simplify(new Sub(new Add(r.min(), r.extent()), one()));
      clamped.put(r.name(), new Max(new Min(u, hi), r.min()));
      cond = and(cond, new And(new GE(u, r.min()), new LE(u, hi)));
      lhs.set(e.getKey(), u);
      vars.remove(r);
    }
    if (clamped.isEmpty()) return new Gather(adjoint, pred);
    if (predMoves) {
      cond = and(cond, Substitution.substitute(pred, clamped));
      pred = truth();
    }
    return new Gather(Simplifier.simplify(new Select(cond, Substitution.substitute(adjoint, clamped), zero(adjoint.type()))), pred);
  }

  /**
   * In reads of forward Funcs and images, the solved variables of {@code f} are clamped to the
   * region of {@code f} the forward pipeline computes, so the gradient never reads outside what the
   * forward pass had (the adjoint there is zero anyway).
   */
  Expr clampForwardReads(Function f, Expr adjoint, Set<String> solved) {
    if (solved.isEmpty()) return adjoint;
    Map<String, Expr> clamped = new HashMap<>();
    for (String v : solved) {
      Interval b = bound(f.name(), f.args().indexOf(v));
      clamped.put(v, new Max(new Min(Var.of(v), b.max()), b.min()));
    }
    Set<String> adjointNames = new HashSet<>();
    for (List<Builder> bs : stageAdjoints.values()) for (Builder b : bs) adjointNames.add(b.name);
    for (Builder b : scans.adjointBuilders()) adjointNames.add(b.name);
    return new dev.halogen.ir.IrRewriter() {
      @Override
      public Expr rewrite(Expr x) {
        if (x instanceof Call c && (c.kind() == CallKind.FUNC || c.kind() == CallKind.IMAGE) && !adjointNames.contains(c.name())) {
          List<Expr> args = new ArrayList<>();
          for (Expr arg : c.args()) args.add(Substitution.substitute(rewrite(arg), clamped));
          return new Call(c.type(), c.name(), args, c.kind(), c.valueIndex());
        }
        return rewriteChildren(x);
      }
    }.rewrite(adjoint);
  }

  // ------------------------------------------------------------------ small helpers

  private static List<Expr> vars(List<String> names) {
    List<Expr> out = new ArrayList<>();
    for (String n : names) out.add(Var.of(n));
    return out;
  }

  /**
   * The base of the names of Funcs derived from {@code name}: without the suffix {@code $N} of a
   * generated name (whose number depends on how many names were made before, so a derived name
   * keeping it would make the printed IR depend on that too), with dots as underscores.
   */
  static String baseName(String name) {
    return name.replaceFirst("\\$[0-9]+$", "").replace('$', '_').replace('.', '_');
  }

  static Expr zero(Type t) {
    return t.isFloat() ? new FloatImm(t, 0) : t.isBool() ? new UIntImm(t, 0) : t.isUInt() ? new UIntImm(t, 0) : new IntImm(t, 0);
  }

  static Expr one() {
    return new IntImm(Type.I32, 1);
  }

  static Expr truth() {
    return new UIntImm(Type.BOOL, 1);
  }

  static Expr and(Expr a, Expr b) {
    if (IrQueries.isConst(a, 1)) return b;
    if (IrQueries.isConst(b, 1)) return a;
    return new And(a, b);
  }
}
