package dev.halogen.ir;

import dev.halogen.ir.Expr.*;
import dev.halogen.ir.IrVerifier.Problem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** The function-graph half of {@link IrVerifier}; see there for the rules. */
final class GraphVerifier {
  private final Pipeline p;
  /** A set, so one unbound variable used many times in a value is reported once. */
  private final Set<Problem> problems = new LinkedHashSet<>();
  private final Map<String, Parameter.Scalar> scalars = new HashMap<>();
  private final Map<String, Image> images = new HashMap<>();
  /** Each reduction variable name of the pipeline and the first stage owning it, for precise messages. */
  private final Map<String, String> rvarOwners = new HashMap<>();

  /** What an image call reads: an input image or a constant buffer. */
  private record Image(Type type, int dimensions) {}

  /**
   * Where an expression is checked: in a stage of {@code f} (with its pure and reduction variables)
   * or, with {@code paramsOnly}, in a place that may only read parameters and lets (reduction
   * domain bounds, split factors, Func bounds).
   */
  private record Context(Function f, int stage, Set<String> pure, Set<String> rvars, boolean paramsOnly) {}

  GraphVerifier(Pipeline p) {
    this.p = p;
  }

  List<Problem> run() {
    checkParameters();
    checkOutputs();
    for (Function f : p.functions().values()) {
      for (int i = 1; i < f.stageCount(); i++) {
        ReductionDomain d = f.stage(i).domain();
        if (d == null) continue;
        for (ReductionDomain.ReductionVariable v : d.variables()) rvarOwners.putIfAbsent(v.name(), stageName(f, i));
      }
    }
    for (Function f : p.functions().values()) checkFunction(f);
    return List.copyOf(problems);
  }

  private void problem(String location, String message) {
    problems.add(new Problem(location, message));
  }

  // ------------------------------------------------------------------ pipeline level

  private void checkParameters() {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (Parameter param : p.parameters()) {
      counts.merge(param.name(), 1, Integer::sum);
      switch (param) {
        case Parameter.Scalar s -> scalars.putIfAbsent(s.name(), s);
        case Parameter.Image i -> {
          images.putIfAbsent(i.name(), new Image(i.type(), i.dimensions()));
          // The image's run-time bounds read like int32 scalar parameters.
          for (int d = 0; d < i.dimensions(); d++) {
            for (Var bound : List.of(i.min(d), i.extent(d))) {
              scalars.putIfAbsent(bound.name(), new Parameter.Scalar(bound.name(), Type.I32, null));
            }
          }
        }
        case Parameter.Constant c -> images.putIfAbsent(c.name(), new Image(c.type(), c.buffer().dimensions()));
      }
    }
    counts.forEach((name, n) -> {
      if (n > 1) problem("parameter " + name, "the name is used by " + n + " parameters");
      if (p.functions().containsKey(name)) problem("parameter " + name, "has the name of a Func");
    });
  }

  private void checkOutputs() {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (String o : p.outputs()) counts.merge(o, 1, Integer::sum);
    counts.forEach((name, n) -> {
      if (n > 1) problem("outputs", "Func " + name + " is listed " + n + " times");
    });
  }

  // ------------------------------------------------------------------ Funcs

  private static String stageName(Function f, int stage) {
    return stageName(f.name(), stage);
  }

  private void checkFunction(Function f) {
    String loc = "Func " + f.name();
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (String a : f.args()) counts.merge(a, 1, Integer::sum);
    counts.forEach((name, n) -> {
      if (n > 1) problem(loc, "pure variable " + name + " is listed " + n + " times");
      if (scalars.containsKey(name)) problem(loc, "pure variable " + name + " has the name of a parameter");
    });
    checkPure(f);
    for (int i = 1; i < f.stageCount(); i++) checkUpdate(f, i);
    checkFuncSchedule(f);
  }

  private void checkPure(Function f) {
    String loc = stageName(f, 0);
    Definition d = f.definition();
    if (d.domain() != null) problem(loc, "has a reduction domain (only updates have one)");
    if (d.args().size() != f.args().size()) {
      problem(loc, "has " + d.args().size() + " argument(s) but Func " + f.name() + " has " + f.args().size()
          + " pure variable(s)");
    }
    for (int i = 0; i < Math.min(d.args().size(), f.args().size()); i++) {
      if (!d.args().get(i).equals(Var.of(f.args().get(i)))) {
        problem(loc + ", argument " + i, "must be the int32 pure variable " + f.args().get(i));
      }
    }
    Context cx = new Context(f, 0, new LinkedHashSet<>(f.args()), Set.of(), false);
    checkValues(cx, d);
    checkStageSchedule(cx, d);
  }

  private void checkUpdate(Function f, int stage) {
    String loc = stageName(f, stage);
    Definition d = f.stage(stage);
    if (d.args().size() != f.args().size()) {
      problem(loc, "has " + d.args().size() + " argument(s) but Func " + f.name() + " has " + f.args().size()
          + " dimension(s)");
    }
    // The update's own pure variables: those at their own position, unadorned.
    Set<String> pure = new LinkedHashSet<>();
    for (int i = 0; i < Math.min(d.args().size(), f.args().size()); i++) {
      if (d.args().get(i) instanceof Var v && v.name().equals(f.args().get(i))) pure.add(v.name());
    }
    Set<String> rvars = new LinkedHashSet<>();
    if (d.domain() != null) rvars = checkDomain(f, loc, d.domain());
    Context cx = new Context(f, stage, pure, rvars, false);
    for (int i = 0; i < d.args().size(); i++) {
      Expr a = d.args().get(i);
      if (!a.type().equals(Type.I32)) problem(loc + ", argument " + i, "has type " + a.type() + ", expected int32");
      checkExpr(cx, a, loc + ", argument " + i);
    }
    checkValues(cx, d);
    if (d.domain() != null) {
      Expr pred = d.domain().predicate();
      String ploc = loc + ", reduction domain " + d.domain().name() + ", predicate";
      if (pred.type().isVector()) problem(ploc, "must be scalar, got " + pred.type());
      checkExpr(cx, pred, ploc);
    }
    checkStageSchedule(cx, d);
  }

  /** Checks the domain's variables and bounds; returns its variable names. */
  private Set<String> checkDomain(Function f, String stageLoc, ReductionDomain r) {
    String loc = stageLoc + ", reduction domain " + r.name();
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (ReductionDomain.ReductionVariable v : r.variables()) {
      counts.merge(v.name(), 1, Integer::sum);
      checkParamsOnly(f, v.min(), loc + ", variable " + v.name() + " min");
      checkParamsOnly(f, v.extent(), loc + ", variable " + v.name() + " extent");
    }
    counts.forEach((name, n) -> {
      if (n > 1) problem(loc, "reduction variable " + name + " is listed " + n + " times");
      if (f.args().contains(name)) problem(loc, "reduction variable " + name + " has the name of a pure variable of Func " + f.name());
      if (scalars.containsKey(name)) problem(loc, "reduction variable " + name + " has the name of a parameter");
    });
    return counts.keySet();
  }

  private void checkValues(Context cx, Definition d) {
    Function f = cx.f();
    String loc = stageName(f, cx.stage());
    if (d.values().size() != f.outputTypes().size()) {
      problem(loc, "has " + d.values().size() + " value(s) but Func " + f.name() + " has " + f.outputTypes().size()
          + " output type(s)");
    }
    for (int i = 0; i < d.values().size(); i++) {
      Expr v = d.values().get(i);
      String vloc = loc + ", value " + i;
      if (i < f.outputTypes().size() && !v.type().equals(f.outputTypes().get(i))) {
        problem(vloc, "has type " + v.type() + " but output " + i + " of Func " + f.name() + " has type "
            + f.outputTypes().get(i));
      }
      checkExpr(cx, v, vloc);
    }
  }

  /** An int32 expression that may only read parameters and lets. */
  private void checkParamsOnly(Function f, Expr e, String loc) {
    if (!e.type().equals(Type.I32)) problem(loc, "has type " + e.type() + ", expected int32");
    checkExpr(new Context(f, 0, Set.of(), Set.of(), true), e, loc);
  }

  // ------------------------------------------------------------------ expressions

  private void checkExpr(Context cx, Expr e, String loc) {
    new IrWalker() {
      @Override
      protected void visit(Expr node, Scope scope, Path path) {
        if (node instanceof Var v) checkVar(cx, v, scope, loc);
        if (node instanceof Call c) checkCall(cx, c, loc);
      }
    }.walk(e);
  }

  private void checkVar(Context cx, Var v, IrWalker.Scope scope, String loc) {
    String name = v.name();
    Type let = scope.typeOf(name);
    if (let != null) {
      if (!let.equals(v.type())) problem(loc, "variable " + name + " has type " + v.type() + " but its let binds a " + let + " value");
    } else if (cx.pure().contains(name) || cx.rvars().contains(name)) {
      if (!v.type().equals(Type.I32)) {
        String kind = cx.pure().contains(name) ? "pure variable " : "reduction variable ";
        problem(loc, kind + name + " has type " + v.type() + ", expected int32");
      }
    } else if (scalars.containsKey(name)) {
      Type t = scalars.get(name).type();
      if (!t.equals(v.type())) problem(loc, "variable " + name + " has type " + v.type() + " but parameter " + name + " has type " + t);
    } else if (cx.f().args().contains(name)) {
      problem(loc, cx.paramsOnly()
          ? "variable " + name + " is a pure variable of Func " + cx.f().name() + "; only parameters and lets may appear here"
          : "variable " + name + " is a pure variable of Func " + cx.f().name()
              + " but not an unadorned argument at its own position in this update");
    } else if (rvarOwners.containsKey(name)) {
      problem(loc, "variable " + name + " is a reduction variable of " + rvarOwners.get(name)
          + (cx.paramsOnly() ? "; only parameters and lets may appear here" : ", not of this definition"));
    } else {
      problem(loc, "variable " + name + " is not bound ("
          + (cx.paramsOnly() ? "not a parameter or let)" : "not a pure variable, reduction variable, parameter or let)"));
    }
  }

  private void checkCall(Context cx, Call c, String loc) {
    switch (c.kind()) {
      case FUNC -> {
        Function g = p.functions().get(c.name());
        if (g == null) {
          problem(loc, "calls " + c.name() + ", which is not a Func of the pipeline");
          return;
        }
        if (g == cx.f() && cx.stage() == 0 && !cx.paramsOnly()) {
          problem(loc, "the pure definition calls Func " + g.name() + " itself");
        }
        checkCallArgs(c, g.dimensions(), "Func " + g.name(), loc);
        if (c.valueIndex() >= g.outputTypes().size()) {
          problem(loc, "call to " + c.name() + " reads value " + c.valueIndex() + " but Func " + g.name() + " has "
              + g.outputTypes().size() + " value(s)");
        } else if (!c.type().equals(g.outputTypes().get(c.valueIndex()))) {
          problem(loc, "call to " + c.name() + " has type " + c.type() + " but value " + c.valueIndex() + " of Func "
              + g.name() + " has type " + g.outputTypes().get(c.valueIndex()));
        }
      }
      case IMAGE -> {
        Image img = images.get(c.name());
        if (img == null) {
          problem(loc, "image call to " + c.name() + ", which is not an image or constant parameter");
          return;
        }
        checkCallArgs(c, img.dimensions(), "image " + c.name(), loc);
        if (!c.type().equals(img.type())) {
          problem(loc, "call to " + c.name() + " has type " + c.type() + " but image " + c.name() + " holds " + img.type());
        }
      }
      case MATH, INTRINSIC, EXTERN -> {}
    }
  }

  private void checkCallArgs(Call c, int dimensions, String callee, String loc) {
    if (c.args().size() != dimensions) {
      problem(loc, "call to " + c.name() + " has " + c.args().size() + " argument(s) but " + callee + " has "
          + dimensions + " dimension(s)");
    }
    for (int i = 0; i < c.args().size(); i++) {
      Type t = c.args().get(i).type();
      if (!t.equals(Type.I32)) problem(loc, "call to " + c.name() + ", argument " + i + " has type " + t + ", expected int32");
    }
  }

  // ------------------------------------------------------------------ schedules

  private void checkStageSchedule(Context cx, Definition d) {
    String loc = stageName(cx.f(), cx.stage()) + ", schedule";
    StageSchedule s = d.schedule();
    // Live loop variables, each with whether it iterates a reduction variable.
    Map<String, Boolean> live = new LinkedHashMap<>();
    cx.pure().forEach(v -> live.put(v, false));
    cx.rvars().forEach(v -> live.put(v, true));
    Set<String> used = new HashSet<>(live.keySet());
    for (int i = 0; i < s.splits().size(); i++) {
      String sl = loc + ", split " + i;
      switch (s.splits().get(i)) {
        case Split.SplitVar sv -> {
          boolean r = consume(live, sv.old(), sl, "splits");
          used.remove(sv.old()); // split(x, x, xi) keeps the name x for the outer loop, as in Halide
          if (sv.outer().equals(sv.inner())) problem(sl, "outer and inner variables are both named " + sv.outer());
          create(live, used, sv.outer(), r, sl);
          create(live, used, sv.inner(), r, sl);
          checkParamsOnly(cx.f(), sv.factor(), sl + " factor");
          IrQueries.asConstInt(sv.factor()).ifPresent(k -> {
            if (k <= 0) problem(sl, "factor must be positive, got " + k);
          });
        }
        case Split.FuseVars fv -> {
          if (fv.inner().equals(fv.outer())) {
            problem(sl, "fuses " + fv.inner() + " with itself");
            create(live, used, fv.fused(), consume(live, fv.inner(), sl, "fuses"), sl);
          } else {
            boolean ri = consume(live, fv.inner(), sl, "fuses");
            boolean ro = consume(live, fv.outer(), sl, "fuses");
            if (ri != ro) {
              problem(sl, "fuses " + (ri ? "reduction" : "pure") + " variable " + fv.inner() + " with "
                  + (ro ? "reduction" : "pure") + " variable " + fv.outer());
            }
            create(live, used, fv.fused(), ri && ro, sl);
          }
        }
        case Split.RenameVar rv -> create(live, used, rv.renamed(), consume(live, rv.old(), sl, "renames"), sl);
      }
    }
    checkDims(loc, s.dims(), live);
    checkRFactors(cx, loc, s.rfactors(), live, used);
    if (cx.stage() == 0 && s.atomic()) problem(loc, "the pure definition cannot be atomic");
    if (s.overrideAssociativityTest() && !s.atomic()) problem(loc, "overrides the associativity test but is not atomic");
  }

  /** Removes a live variable; reports it when it is not live. Returns whether it was a reduction variable. */
  private boolean consume(Map<String, Boolean> live, String var, String loc, String verb) {
    Boolean r = live.remove(var);
    if (r == null) {
      problem(loc, verb + " " + var + ", which is not a loop variable here (loop variables: " + String.join(", ", live.keySet()) + ")");
      return false;
    }
    return r;
  }

  /** Adds a new live variable; its name must not have been a loop variable of this stage before. */
  private void create(Map<String, Boolean> live, Set<String> used, String var, boolean isRVar, String loc) {
    if (!used.add(var)) problem(loc, "creates " + var + ", which is already a loop variable name of this stage");
    live.put(var, isRVar);
  }

  private void checkDims(String loc, List<Dim> dims, Map<String, Boolean> live) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (int j = 0; j < dims.size(); j++) {
      Dim dim = dims.get(j);
      counts.merge(dim.var(), 1, Integer::sum);
      Boolean r = live.get(dim.var());
      if (r == null) {
        problem(loc + ", dim " + j, dim.var() + " is not a loop variable after the splits (loop variables: "
            + String.join(", ", live.keySet()) + ")");
      } else if (r != dim.isRVar()) {
        problem(loc + ", dim " + j, dim.var() + " is marked as a " + (dim.isRVar() ? "reduction" : "pure")
            + " variable but is a " + (r ? "reduction" : "pure") + " variable");
      }
    }
    counts.forEach((name, n) -> {
      if (n > 1 && live.containsKey(name)) problem(loc, "loop variable " + name + " appears " + n + " times in dims");
    });
    for (String v : live.keySet()) {
      if (!counts.containsKey(v)) problem(loc, "loop variable " + v + " is missing from dims");
    }
  }

  private void checkRFactors(Context cx, String loc, List<RFactor> rfactors, Map<String, Boolean> live, Set<String> used) {
    if (cx.stage() == 0 && !rfactors.isEmpty()) {
      problem(loc, "the pure definition cannot be rfactored");
      return;
    }
    for (RFactor rf : rfactors) {
      if (p.functions().containsKey(rf.intermediate())) {
        problem(loc, "rfactor intermediate " + rf.intermediate() + " is the name of an existing Func");
      }
      for (RFactor.Pair pair : rf.pairs()) {
        if (!Boolean.TRUE.equals(live.get(pair.rvar()))) {
          problem(loc, "rfactor of " + pair.rvar() + ", which is not a reduction loop variable of this stage");
        }
        if (used.contains(pair.var())) {
          problem(loc, "rfactor variable " + pair.var() + " is already a loop variable name of this stage");
        }
      }
    }
  }

  private void checkFuncSchedule(Function f) {
    String loc = "Func " + f.name() + ", schedule";
    FuncSchedule s = f.schedule();
    boolean computeInline = s.computeLevel() instanceof LoopLevel.Inlined;
    boolean storeInline = s.storeLevel() instanceof LoopLevel.Inlined;
    if (computeInline != storeInline) {
      problem(loc, computeInline ? "is computed inline but stored at " + describe(s.storeLevel())
          : "is stored inline but computed at " + describe(s.computeLevel()));
    }
    Integer compute = checkLevel(f, s.computeLevel(), loc, "compute level");
    Integer store = checkLevel(f, s.storeLevel(), loc, "store level");
    if (compute != null && store != null && s.computeLevel() instanceof LoopLevel.At c
        && s.storeLevel() instanceof LoopLevel.At st && c.func().equals(st.func()) && c.stage() == st.stage()
        && store < compute) {
      // Dims are listed innermost first: a smaller index is a deeper loop.
      problem(loc, "store level " + describe(st) + " is inside compute level " + describe(c));
    }
    checkBounds(f, s.bounds(), loc, "bound");
    checkBounds(f, s.estimates(), loc, "estimate");
  }

  /** Checks an At level; returns the index of its variable in the named stage's dims, or null. */
  private @Nullable Integer checkLevel(Function f, LoopLevel level, String loc, String what) {
    if (!(level instanceof LoopLevel.At at)) return null;
    Function g = p.functions().get(at.func());
    if (g == null) {
      problem(loc, what + " names Func " + at.func() + ", which is not a Func of the pipeline");
      return null;
    }
    if (g == f) {
      problem(loc, what + " is inside Func " + f.name() + " itself");
      return null;
    }
    if (at.stage() >= g.stageCount()) {
      problem(loc, what + " names stage " + at.stage() + " of Func " + g.name() + ", which has " + g.stageCount() + " stage(s)");
      return null;
    }
    List<String> dims = g.stage(at.stage()).schedule().dims().stream().map(Dim::var).toList();
    int index = dims.indexOf(at.var());
    if (index < 0) {
      problem(loc, what + " names loop " + at.var() + ", which is not a dim of " + stageName(g, at.stage())
          + " (dims: " + String.join(", ", dims) + ")");
      return null;
    }
    return index;
  }

  private static String describe(LoopLevel level) {
    return switch (level) {
      case LoopLevel.Inlined i -> "inline";
      case LoopLevel.Root r -> "root";
      case LoopLevel.At at -> "loop " + at.var() + " of " + stageName(at.func(), at.stage());
    };
  }

  private static String stageName(String func, int stage) {
    return "Func " + func + ", " + (stage == 0 ? "pure definition" : "update " + (stage - 1));
  }

  private void checkBounds(Function f, List<Bound> bounds, String loc, String what) {
    for (Bound b : bounds) {
      String bl = loc + ", " + what + " on " + b.var();
      if (!f.args().contains(b.var())) problem(bl, b.var() + " is not a pure variable of Func " + f.name());
      checkParamsOnly(f, b.min(), bl + " min");
      checkParamsOnly(f, b.extent(), bl + " extent");
    }
  }
}
