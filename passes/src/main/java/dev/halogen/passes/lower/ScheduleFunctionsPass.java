package dev.halogen.passes.lower;

import dev.halogen.ir.Bound;
import dev.halogen.ir.Definition;
import dev.halogen.ir.Expr;
import dev.halogen.ir.Expr.CallKind;
import dev.halogen.ir.Function;
import dev.halogen.ir.IrQueries;
import dev.halogen.ir.IrRewriter;
import dev.halogen.ir.IrWalker;
import dev.halogen.ir.LoopLevel;
import dev.halogen.ir.LoweredModule;
import dev.halogen.ir.LoweredModule.Argument;
import dev.halogen.ir.LoweredModule.ArgumentKind;
import dev.halogen.ir.Parameter;
import dev.halogen.ir.Pipeline;
import dev.halogen.ir.Range;
import dev.halogen.ir.ReductionDomain;
import dev.halogen.ir.Stmt;
import dev.halogen.ir.Substitution;
import dev.halogen.ir.Type;
import dev.halogen.passes.IrProperty;
import dev.halogen.passes.IrUnit;
import dev.halogen.passes.Pass;
import dev.halogen.passes.analysis.Bounds;
import dev.halogen.passes.analysis.Box;
import dev.halogen.passes.analysis.FuncValueBounds;
import dev.halogen.passes.analysis.Interval;
import dev.halogen.passes.analysis.IntervalScope;
import dev.halogen.passes.analysis.Scope;
import dev.halogen.passes.analysis.Simplifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * {@code schedule-functions}: turns the function graph into one entry point of loop nests (Halide's
 * {@code schedule_functions} with bounds inference for root-level Funcs).
 *
 * <ol>
 *   <li>Funcs scheduled inline (and not outputs) are substituted into their callers; a Func with
 *       updates cannot be, and is computed at the innermost loop that encloses all its uses ({@link
 *       ComputeLevels#placeInlineUpdates}).
 *   <li>The other Funcs are put in realization order: producers before consumers, a depth-first
 *       post-order of the call graph from the outputs.
 *   <li>Working from the last consumer outwards, each Func gets {@code produce} loops (one nest per
 *       stage, see {@link StageLoops}) and, unless it is an output, a {@code Realize} around itself
 *       and its consumers. Its region is what the statements of its consumers read ({@link
 *       Bounds#boxesRequired}), widened by where its updates write and read it; an output's region is
 *       its output buffer's, {@code [f.min.d, f.min.d + f.extent.d)}.
 * </ol>
 *
 * <p>A Func scheduled compute_at a loop of a consumer's stage is realized the same way inside that
 * loop, around the loop's inner loops; its region is what those inner loops read, an expression of
 * the enclosing loops' variables. Bounds are inferred here, while building, because the statement
 * a Func's region depends on is at hand then. A Func stored further out than it is computed
 * (store_root or store_at an outer loop) gets its {@code Realize} at the storage level, over
 * everything read or written of it inside, and its productions inside that.
 *
 * <p>Explicit bounds ({@code bound(x, min, extent)}) fix a Func's region in that dimension: an
 * internal Func is computed over exactly the bound, after an assertion that the region its
 * consumers need (and its updates touch) lies inside it; an output is computed over the bound,
 * after an assertion that its output buffer covers exactly that. A Func with a ROUND_UP split is
 * realized over what its loops write, the region rounded up to whole tiles ({@link StageLoops}), and
 * the stages before an update that rounds up cover the points it reads.
 * Every use of a Func must be inside the loop it is computed at (Halide's rule), else a {@link
 * ScheduleException} names the Func, its level and the Func that uses it outside. A Func with
 * updates must not be stored outside a parallel or vectorized loop that it is computed inside: the
 * loop's iterations would share its storage. Schedules this pass
 * cannot do (an rfactor request not yet applied by {@code apply-rfactor}, splits it cannot honour)
 * fail with a {@link ScheduleException} naming the Func and the feature.
 */
public final class ScheduleFunctionsPass implements Pass {
  public static final String NAME = "schedule-functions";
  private static final Expr TRUE = new Expr.UIntImm(Type.BOOL, 1);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String summary() {
    return "turn the function graph into loop nests: inline, realization order, root regions by bounds inference, splits and loop kinds";
  }

  @Override
  public Set<IrProperty> requires() {
    return Set.of(IrProperty.FUNCTION_GRAPH, IrProperty.GRAPH_VERIFIED);
  }

  @Override
  public Set<IrProperty> establishes() {
    return Set.of(IrProperty.LOOPS_BUILT, IrProperty.BOUNDS_INFERRED);
  }

  @Override
  public Set<IrProperty> invalidates() {
    return Set.of(IrProperty.FUNCTION_GRAPH);
  }

  @Override
  public IrUnit run(IrUnit in) {
    Pipeline p = in.asGraph(NAME).pipeline();
    return new IrUnit.Loops(lower(p), p);
  }

  /** The loop nests of {@code p}: one entry point named after its first output. */
  public static LoweredModule lower(Pipeline p) {
    Pipeline q = ComputeLevels.placeInlineUpdates(inlineAll(p));
    for (Function f : q.functions().values()) checkNoRFactor(f);
    Builder b = new Builder(q);
    // The root level always holds the outputs, so it produces a statement.
    Stmt built = b.storeAt(LoopLevel.ROOT, Objects.requireNonNull(b.realizeAll(b.funcsAt(LoopLevel.ROOT), null)));
    b.checkEveryLevelPlaced();
    checkUsesInsideComputeLevels(built, q);
    // The outputs' buffers are checked against their explicit bounds before any work.
    List<Stmt> all = new ArrayList<>(b.outputChecks);
    all.add(built);
    Stmt body = Simplifier.simplify(block(all));
    String name = p.outputs().getFirst();
    return new LoweredModule(name, List.of(new LoweredModule.EntryPoint(name, arguments(p), body)), constants(p));
  }

  /** Builds the loop nests of one pipeline, placing each Func at its compute level. */
  private static final class Builder {
    private final Pipeline q;
    private final List<String> order;
    private final FuncValueBounds values;
    /** What the calling convention says of the buffer arguments: their extents are at least 0. */
    private final Scope facts;
    /** The levels at which some Func is computed, each with those Funcs in realization order. */
    private final Map<LoopLevel, List<String>> levels = new LinkedHashMap<>();
    /** Levels at which some Func is stored outside its compute level, with those Funcs in realization order. */
    private final Map<LoopLevel, List<String>> storeLevels = new LinkedHashMap<>();
    private final Set<LoopLevel> placed = new HashSet<>();
    /** Assertions that the output buffers cover exactly the outputs' explicit bounds. */
    final List<Stmt> outputChecks = new ArrayList<>();

    Builder(Pipeline q) {
      this.q = q;
      this.order = realizationOrder(q);
      this.values = Bounds.valueBounds(q);
      Scope known = Scope.empty();
      for (Argument a : arguments(q)) {
        for (int d = 0; d < a.dimensions(); d++) known = known.withMin(LoweredModule.extentVar(a.name(), d).name(), 0);
      }
      this.facts = known;
      for (String name : order) {
        // Outputs are computed at the root whatever their schedule says: their buffers are the pipeline's.
        LoopLevel level = q.outputs().contains(name) ? LoopLevel.ROOT : q.function(name).schedule().computeLevel();
        levels.computeIfAbsent(level, k -> new ArrayList<>()).add(name);
        if (storedApart(name)) storeLevels.computeIfAbsent(storeLevel(name), k -> new ArrayList<>()).add(name);
      }
      placed.add(LoopLevel.ROOT);
    }

    /** Where {@code name} is stored; a Func stored "inline" is stored where it is computed. */
    private LoopLevel storeLevel(String name) {
      var s = q.function(name).schedule();
      return s.storeLevel() instanceof LoopLevel.Inlined ? s.computeLevel() : s.storeLevel();
    }

    /** Whether {@code name} is stored at a level other than its compute level (outside it). */
    private boolean storedApart(String name) {
      return !q.outputs().contains(name) && !storeLevel(name).equals(q.function(name).schedule().computeLevel());
    }

    /**
     * {@code s}, the statement at {@code level}, inside the {@code Realize} of every Func stored at
     * that level but computed further in: its region is everything {@code s} reads of it, so each
     * computation inside lands in it.
     */
    Stmt storeAt(LoopLevel level, Stmt s) {
      List<String> funcs = storeLevels.getOrDefault(level, List.of());
      Stmt out = s;
      for (int i = funcs.size() - 1; i >= 0; i--) {
        Function f = q.function(funcs.get(i));
        if (!produces(s, f.name())) {
          throw new ScheduleException("Func " + f.name() + " is stored " + describe(storeLevel(f.name()))
              + " but computed " + describe(f.schedule().computeLevel()) + ", which is not inside its storage level");
        }
        checkNotSharedByUnorderedIterations(f, s);
        List<Range> region = storage(inferRegion(f, s, values));
        out = new Stmt.Realize(f.name(), f.outputTypes(), f.schedule().memoryType(), region, TRUE, out);
      }
      return out;
    }

    /**
     * Refuses storage shared by the iterations of a parallel or vectorized loop between {@code f}'s
     * storage level and its computation ({@code s} is what is inside the storage level), when {@code
     * f} has updates. Each iteration computes its region of {@code f} in the shared storage, and
     * the regions of neighbouring iterations overlap: run serially each computes and consumes its
     * own, but run at once (or lane by lane, vectorized) one iteration's pure definition overwrites
     * points another has updated, or an update runs twice on a point. (Without updates the
     * iterations write the same values, which is harmless.) Found by the fuzz test: vectorized, it
     * silently gave other results.
     */
    private void checkNotSharedByUnorderedIterations(Function f, Stmt s) {
      if (f.updates().isEmpty()) return;
      new IrWalker() {
        private final List<Stmt.For> loops = new ArrayList<>();

        @Override
        protected void enter(Stmt st, IrWalker.Scope scope, IrWalker.Path path) {
          if (st instanceof Stmt.For loop) loops.add(loop);
          if (st instanceof Stmt.ProducerConsumer pc && pc.isProducer() && pc.name().equals(f.name())) {
            for (Stmt.For loop : loops) {
              if (!loop.kind().isUnordered()) continue;
              String kind = loop.kind().name().toLowerCase(java.util.Locale.ROOT);
              throw new ScheduleException("Func " + f.name() + " is stored " + describe(storeLevel(f.name())) + " but computed "
                  + describe(f.schedule().computeLevel()) + ", inside loop " + loop.name() + ", which is " + kind
                  + ": its iterations would share " + f.name() + "'s storage, and run " + f.name()
                  + "'s updates on points the others compute; store " + f.name() + " at that loop or inside it");
            }
          }
        }

        @Override
        protected void leave(Stmt st) {
          if (st instanceof Stmt.For) loops.removeLast();
        }
      }.walk(s);
    }

    private static boolean produces(Stmt s, String func) {
      boolean[] found = {false};
      new IrWalker() {
        @Override
        protected void enter(Stmt st, IrWalker.Scope scope, IrWalker.Path path) {
          if (st instanceof Stmt.ProducerConsumer(String name, boolean isProducer, Stmt body) && isProducer
              && name.equals(func)) {
            found[0] = true;
          }
        }
      }.walk(s);
      return found[0];
    }

    List<String> funcsAt(LoopLevel level) {
      return levels.getOrDefault(level, List.of());
    }

    /**
     * {@code funcs} (in realization order) realized around {@code consumers}: each Func produced,
     * then the later ones and {@code consumers} consuming it, inside its {@code Realize} unless it is
     * an output. Works from the last consumer outwards, since a Func's region is what the statement
     * after its production reads.
     */
    @Nullable Stmt realizeAll(List<String> funcs, @Nullable Stmt consumers) {
      @Nullable Stmt rest = consumers;
      for (int i = funcs.size() - 1; i >= 0; i--) {
        Function f = q.function(funcs.get(i));
        boolean output = q.outputs().contains(f.name());
        List<Stmt> checks = new ArrayList<>();
        List<Range> region = output ? outputRegion(f, outputChecks) : boundedRegion(f, inferRegion(f, rest, values), checks);
        List<Stmt> stages = stages(f, region, output);
        boolean roundsUp = false;
        for (int s = 0; s < f.stageCount(); s++) roundsUp |= StageLoops.roundsUp(f.stage(s));
        Stmt produce = new Stmt.ProducerConsumer(f.name(), true, block(stages));
        Stmt stmt = rest == null ? produce : block(List.of(produce, new Stmt.ProducerConsumer(f.name(), false, rest)));
        if (!output && !storedApart(f.name())) {
          // Loops that round up write past the region: the storage covers what they write too.
          List<Range> stored = roundsUp ? toRegion(f, inferBox(f, produce, values).union(toBox(region))) : region;
          stmt = new Stmt.Realize(f.name(), f.outputTypes(), f.schedule().memoryType(), storage(stored), TRUE, stmt);
        }
        checks.add(stmt);
        rest = block(checks);
      }
      return rest;
    }

    /**
     * The loop nests of the stages of {@code f} over {@code region}. An update that rounds up reads
     * and writes points past the region: each stage before it is computed over the region widened
     * by what the later stages touch (Halide's bounds of each stage), so that no stage reads a point
     * nothing wrote. Built from the last stage back, each once (building one places the Funcs
     * computed at its loops).
     */
    private List<Stmt> stages(Function f, List<Range> region, boolean output) {
      Stmt[] stages = new Stmt[f.stageCount()];
      @Nullable Box later = null;
      for (int s = f.stageCount() - 1; s >= 0; s--) {
        int stage = s;
        List<Range> r = later == null ? region : toRegion(f, later.union(toBox(region)));
        stages[s] = StageLoops.build(f.name(), f.args(), s, f.stage(s), r, output,
            (var, inner) -> atLoop(new LoopLevel.At(f.name(), stage, var), inner));
        if (later != null || (s > 0 && StageLoops.roundsUp(f.stage(s)))) {
          Box touched = inferBox(f, stages[s], values);
          later = later == null ? touched : later.union(touched);
        }
      }
      return List.of(stages);
    }

    /**
     * The bounds of a realization of {@code region}. The region may be empty, its max below its min:
     * inside a loop in the iterations whose inner loops need nothing of the Func (the guards of their
     * splits all fail), or anywhere when its only reads are under a condition that never holds (a
     * reduction domain's predicate). The storage then has extent 0, not a negative one (the loops
     * over the region do not run). Where the simplifier proves the extent non-negative, it stays as it is.
     */
    private List<Range> storage(List<Range> region) {
      return region.stream().map(r -> new Range(r.min(), Simplifier.simplify(new Expr.Max(r.extent(), new Expr.IntImm(Type.I32, 0)), facts)))
          .toList();
    }

    private Stmt atLoop(LoopLevel.At level, Stmt inner) {
      List<String> funcs = levels.get(level);
      Stmt s = inner;
      if (funcs != null) {
        placed.add(level);
        s = Objects.requireNonNull(realizeAll(funcs, inner));
      }
      if (storeLevels.containsKey(level)) {
        placed.add(level);
        s = storeAt(level, s);
      }
      return s;
    }

    /** Every compute_at level names a loop that exists: else its Funcs would silently not be computed. */
    void checkEveryLevelPlaced() {
      List<Map.Entry<LoopLevel, List<String>>> all = new ArrayList<>(levels.entrySet());
      all.addAll(storeLevels.entrySet());
      for (Map.Entry<LoopLevel, List<String>> e : all) {
        if (placed.contains(e.getKey()) || !(e.getKey() instanceof LoopLevel.At at)) continue;
        String why = !order.contains(at.func()) || !q.functions().containsKey(at.func())
            ? at.func() + " is inlined or not computed"
            : "stage " + at.stage() + " of " + at.func() + " has no loop " + at.var();
        String func = e.getValue().getFirst();
        String what = levels.get(e.getKey()) != null && levels.get(e.getKey()).contains(func) ? "compute_at" : "store_at";
        throw new ScheduleException("Func " + func + " is scheduled " + what + "(" + at.func() + ", " + at.stage() + ", "
            + at.var() + "), but " + why);
      }
    }
  }

  private static Stmt block(List<Stmt> stmts) {
    return stmts.size() == 1 ? stmts.getFirst() : new Stmt.Block(stmts);
  }

  /**
   * Every Func scheduled inline that is not an output and has no updates, substituted into its
   * callers and removed. (A Func with updates has no single expression to substitute; {@link
   * ComputeLevels#placeInlineUpdates} places it.)
   */
  private static Pipeline inlineAll(Pipeline p) {
    Pipeline q = p;
    for (Function f : p.functions().values()) {
      if (!(f.schedule().computeLevel() instanceof LoopLevel.Inlined) || p.outputs().contains(f.name())
          || !f.updates().isEmpty()) {
        continue;
      }
      // The Func as it is now: earlier inlining may have expanded calls inside it.
      Function current = q.function(f.name());
      q = Substitution.inliner(current).rewrite(q);
      TreeMap<String, Function> rest = new TreeMap<>(q.functions());
      rest.remove(f.name());
      q = new Pipeline(q.outputs(), rest, q.parameters());
    }
    return q;
  }

  /** rfactor changes the function graph: {@code apply-rfactor} must have applied every request. */
  private static void checkNoRFactor(Function f) {
    for (int i = 1; i < f.stageCount(); i++) {
      if (!f.stage(i).schedule().rfactors().isEmpty()) {
        throw ScheduleException.inStage(f.name(), i, "has an rfactor request, which apply-rfactor must apply before"
            + " schedule-functions (rfactor is a transformation of the function graph)");
      }
    }
  }

  /**
   * Every call to a Func is inside its production (an update reading it) or inside the statement
   * that consumes it, which is the body of the loop it is computed at: a use outside that loop
   * would read values computed for another iteration, or none.
   */
  private static void checkUsesInsideComputeLevels(Stmt body, Pipeline q) {
    new IrWalker() {
      /** The Funcs whose produce or consume statement encloses the current point, innermost last. */
      private final List<Stmt.ProducerConsumer> open = new ArrayList<>();

      @Override
      protected void enter(Stmt s, IrWalker.Scope scope, IrWalker.Path path) {
        if (s instanceof Stmt.ProducerConsumer pc) open.add(pc);
      }

      @Override
      protected void leave(Stmt s) {
        if (s instanceof Stmt.ProducerConsumer) open.removeLast();
      }

      @Override
      protected void visit(Expr e, IrWalker.Scope scope, IrWalker.Path path) {
        if (!(e instanceof Expr.Call c) || c.kind() != CallKind.FUNC) return;
        if (open.stream().anyMatch(pc -> pc.name().equals(c.name()))) return;
        String caller = open.reversed().stream().filter(Stmt.ProducerConsumer::isProducer).map(Stmt.ProducerConsumer::name)
            .findFirst().orElseThrow();
        throw new ScheduleException("Func " + c.name() + " is computed " + describe(q.function(c.name()).schedule().computeLevel())
            + " but " + caller + " also calls it, outside that loop");
      }
    }.walk(body);
  }

  static String describe(LoopLevel level) {
    return switch (level) {
      case LoopLevel.Inlined i -> "inline";
      case LoopLevel.Root r -> "at the root";
      case LoopLevel.At(String func, int stage, String var) -> "at(" + func + ", " + stage + ", " + var + ")";
    };
  }

  /** The Funcs reachable from the outputs, each after every Func it calls. */
  static List<String> realizationOrder(Pipeline p) {
    LinkedHashSet<String> done = new LinkedHashSet<>();
    for (String o : p.outputs()) visit(p, o, new LinkedHashSet<>(), done);
    return List.copyOf(done);
  }

  private static void visit(Pipeline p, String name, LinkedHashSet<String> path, LinkedHashSet<String> done) {
    if (done.contains(name)) return;
    if (!path.add(name)) {
      throw new ScheduleException("Funcs call each other in a cycle: " + String.join(" -> ", path) + " -> " + name);
    }
    Function f = p.function(name);
    for (String callee : new TreeSet<>(IrQueries.calls(f, CallKind.FUNC))) {
      if (!callee.equals(name)) visit(p, callee, path, done);
    }
    path.remove(name);
    done.add(name);
  }

  /**
   * The region of output {@code f}: its output buffer's, or where {@code f} has explicit bounds,
   * those, with an assertion (added to {@code checks}) that the buffer covers exactly them.
   */
  private static List<Range> outputRegion(Function f, List<Stmt> checks) {
    String buffer = f.outputTypes().size() == 1 ? f.name() : f.name() + ".0";
    List<Range> region = new ArrayList<>();
    for (int d = 0; d < f.dimensions(); d++) {
      Expr min = LoweredModule.minVar(buffer, d);
      Expr extent = LoweredModule.extentVar(buffer, d);
      Bound b = boundOf(f, d);
      if (b == null) {
        region.add(new Range(min, extent));
        continue;
      }
      region.add(new Range(b.min(), b.extent()));
      check(checks, new Expr.And(new Expr.EQ(min, b.min()), new Expr.EQ(extent, b.extent())),
          "Output Func " + f.name() + " is bounded to [{}, {}] in dimension " + f.args().get(d) + " (" + d
              + "), but its buffer covers [{}, {}]", List.of(b.min(), last(b.min(), b.extent()), min, last(min, extent)));
    }
    return region;
  }

  /**
   * {@code required} (the region {@code f}'s consumers need and its updates touch) with the
   * dimensions that {@code f} has explicit bounds for replaced by the bounds, each with an assertion
   * (added to {@code checks}) that what is required lies inside.
   */
  private static List<Range> boundedRegion(Function f, List<Range> required, List<Stmt> checks) {
    List<Range> region = new ArrayList<>(required);
    for (int d = 0; d < f.dimensions(); d++) {
      Bound b = boundOf(f, d);
      if (b == null) continue;
      Range r = required.get(d);
      Expr bMax = last(b.min(), b.extent());
      Expr rMax = last(r.min(), r.extent());
      region.set(d, new Range(b.min(), b.extent()));
      check(checks, new Expr.And(new Expr.LE(b.min(), r.min()), new Expr.LE(rMax, bMax)),
          "Func " + f.name() + " is bounded to [{}, {}] in dimension " + f.args().get(d) + " (" + d
              + "), but [{}, {}] of it is required", List.of(b.min(), bMax, r.min(), rMax));
    }
    return region;
  }

  private static @Nullable Bound boundOf(Function f, int d) {
    for (Bound b : f.schedule().bounds()) if (b.var().equals(f.args().get(d))) return b;
    return null;
  }

  /** Adds {@code assert(condition, message, args)} to {@code checks} unless it simplifies to true. */
  private static void check(List<Stmt> checks, Expr condition, String message, List<Expr> args) {
    Expr c = Simplifier.simplify(condition);
    if (IrQueries.isConst(c, 1)) return;
    checks.add(new Stmt.AssertStmt(c, message, args.stream().map(Simplifier::simplify).toList()));
  }

  /** {@code min + extent - 1}, simplified. */
  private static Expr last(Expr min, Expr extent) {
    return Simplifier.simplify(new Expr.Sub(new Expr.Add(min, extent), new Expr.IntImm(Type.I32, 1)));
  }

  /**
   * The region of {@code f} to compute: what {@code consumers} read or write of it, united with
   * where its updates write and read it (an update may scatter outside what is read, as a histogram
   * does).
   */
  private static List<Range> inferRegion(Function f, @Nullable Stmt consumers, FuncValueBounds values) {
    if (consumers == null) throw new ScheduleException("Func " + f.name() + " is computed but nothing reads it");
    return toRegion(f, inferBox(f, consumers, values));
  }

  /** {@link #inferRegion} as intervals, which may be unbounded. */
  private static Box inferBox(Function f, Stmt consumers, FuncValueBounds values) {
    Box box = Bounds.boxesRequired(writesAsReads(f.name(), consumers), IntervalScope.empty(), values).get(f.name());
    if (box == null) throw new ScheduleException("Func " + f.name() + " is computed but nothing reads it");
    for (Definition u : f.updates()) {
      IntervalScope scope = IntervalScope.empty();
      for (int d = 0; d < f.dimensions(); d++) scope = scope.with(f.args().get(d), box.get(d));
      ReductionDomain rdom = u.domain();
      if (rdom != null) scope = scope.withDomain(rdom);
      List<Interval> written = new ArrayList<>();
      for (Expr a : u.args()) written.add(Bounds.boundsOf(a, scope, values));
      box = box.union(new Box(written));
      Box read = Bounds.boxesRequired(u.values(), scope, values).get(f.name());
      if (read != null) box = box.union(read);
    }
    return box;
  }

  /**
   * {@code s} with each {@code Provide} to {@code func} followed by a read of the point it writes,
   * so that the boxes a statement requires count the points it writes (its loops may write past
   * what is read, when they round up).
   */
  private static Stmt writesAsReads(String func, Stmt s) {
    return new IrRewriter() {
      @Override
      public Stmt rewrite(Stmt st) {
        Stmt r = rewriteChildren(st);
        if (r instanceof Stmt.Provide p && p.name().equals(func)) {
          Expr write = new Expr.Call(p.values().getFirst().type(), func, p.args(), CallKind.FUNC, 0);
          return new Stmt.Block(List.of(p, new Stmt.Evaluate(write)));
        }
        return r;
      }
    }.rewrite(s);
  }

  private static Box toBox(List<Range> region) {
    return new Box(region.stream().map(r -> Interval.of(r.min(), last(r.min(), r.extent()))).toList());
  }

  /** The box as a region of {@code f}; a dimension without bounds is an error naming {@code f} and the dimension. */
  private static List<Range> toRegion(Function f, Box box) {
    List<Range> region = new ArrayList<>();
    for (int d = 0; d < f.dimensions(); d++) {
      Interval i = box.get(d);
      if (!i.isBounded()) {
        throw new ScheduleException("cannot infer the region of Func " + f.name() + " to compute: dimension " + d + " ("
            + f.args().get(d) + ") is read or written over the unbounded interval " + i + "; clamp the coordinates");
      }
      Expr min = Simplifier.simplify(i.min());
      Expr extent = Simplifier.simplify(new Expr.Add(new Expr.Sub(i.max(), i.min()), new Expr.IntImm(Type.I32, 1)));
      region.add(new Range(min, extent));
    }
    return region;
  }

  /** Images, then scalar parameters, then the outputs' buffers (one per tuple element). */
  private static List<Argument> arguments(Pipeline p) {
    List<Argument> args = new ArrayList<>();
    for (Parameter param : p.parameters()) {
      if (param instanceof Parameter.Image(String n, Type t, int dims)) args.add(new Argument(n, ArgumentKind.INPUT_BUFFER, t, dims));
    }
    for (Parameter param : p.parameters()) {
      if (param instanceof Parameter.Scalar(String n, Type t, var unused)) args.add(new Argument(n, ArgumentKind.SCALAR, t, 0));
    }
    for (String o : p.outputs()) {
      Function f = p.function(o);
      List<Type> types = f.outputTypes();
      for (int i = 0; i < types.size(); i++) {
        String n = types.size() == 1 ? o : o + "." + i;
        args.add(new Argument(n, ArgumentKind.OUTPUT_BUFFER, types.get(i), f.dimensions()));
      }
    }
    return args;
  }

  private static List<Parameter.Constant> constants(Pipeline p) {
    List<Parameter.Constant> out = new ArrayList<>();
    for (Parameter param : p.parameters()) if (param instanceof Parameter.Constant c) out.add(c);
    return out;
  }
}
