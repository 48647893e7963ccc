package dev.halogen.ad;

import static dev.halogen.ad.Partials.castTo;
import static dev.halogen.ad.ReverseAd.and;
import static dev.halogen.ad.ReverseAd.one;
import static dev.halogen.ad.ReverseAd.truth;

import dev.halogen.ad.ReverseAd.Builder;
import dev.halogen.ir.Definition;
import dev.halogen.ir.Expr;
import dev.halogen.ir.Expr.*;
import dev.halogen.ir.FuncSchedule;
import dev.halogen.ir.Function;
import dev.halogen.ir.IrQueries;
import dev.halogen.ir.LoopLevel;
import dev.halogen.ir.ReductionDomain;
import dev.halogen.ir.ReductionDomain.ReductionVariable;
import dev.halogen.ir.StageSchedule;
import dev.halogen.ir.Substitution;
import dev.halogen.ir.Type;
import dev.halogen.passes.analysis.Inversion;
import dev.halogen.passes.analysis.Simplifier;
import dev.halogen.passes.analysis.Solver;
import java.util.*;
import java.util.function.UnaryOperator;

/**
 * The adjoints of updates whose iterations depend on one another, differentiated as the
 * sequential program they are (autodiff.md section 0: Q6 and nonlinear updates that overwrite
 * values), and the forward values every update's adjoint reads.
 *
 * <p><b>Forward values.</b> An update {@code f(L) = V} reads {@code f} as it was before the update
 * (before the iteration, for a reduction domain). The adjoint must read the same values, not the
 * final {@code f}, whenever a later write may have changed them: it then reads a snapshot, a copy
 * of {@code f} truncated after the stage that produced the value.
 *
 * <p><b>Scans</b> (each iteration writes its own point, {@code L(r)} injective, and reads points
 * earlier iterations wrote) run backwards: the adjoint of the value iteration {@code k} wrote is
 * {@code G(L(k)) = cur(L(k)) + sum over the iterations j > k that read L(k) of G(L(j)) * dV/df}.
 * Solving "which iteration reads this point" ({@link Solver#invert}) makes that sum a gather, so
 * {@code G} is one update over the reduction domain in reverse order, one point per iteration. A
 * read that sees a value from before the update passes its adjoint to the stage before, as usual.
 *
 * <p><b>Folds</b> (every iteration writes the same points, {@code L} free of reduction variables,
 * reading {@code f} only there: {@code maximum}, {@code argmax}, {@code product}, {@code f = f * f}
 * repeated)
 * overwrite the values the gradient needs, so they are stored: a forward Func {@code H(x, k)}
 * holds {@code f(L)} before iteration {@code k} (an extra dimension over the iterations, for the
 * written points only), and the adjoint {@code B(x, k)} of {@code f(L)} before iteration {@code k}
 * is one update running the iterations backwards.
 *
 * <p>Both handle tuples value by value: a value's adjoint gathers the terms of every value that
 * reads it, and values of other types than float (an argmax's coordinates, a counter) pass none.
 */
final class ScanAdjoints {
  private final ReverseAd ad;
  private final UnaryOperator<String> namer;
  private final Map<String, Function> snapshots = new LinkedHashMap<>();
  private final List<Function> forward = new ArrayList<>();
  private final List<Builder> adjoints = new ArrayList<>();

  ScanAdjoints(ReverseAd ad, UnaryOperator<String> namer) {
    this.ad = ad;
    this.namer = namer;
  }

  /** The adjoint Funcs this made besides the stage adjoints (they are 0 outside the region their consumers read). */
  List<Builder> adjointBuilders() {
    return adjoints;
  }

  /**
   * The Funcs this made: the adjoint scans and the forward snapshots and histories. Those with
   * updates are computed at the root: each is a whole sequential loop that a consumer's loop must
   * not repeat; a snapshot of a pure definition is inlined.
   */
  List<Function> functions() {
    List<Function> out = new ArrayList<>();
    for (Builder b : adjoints) out.add(b.build());
    out.addAll(forward);
    FuncSchedule root = FuncSchedule.INLINE.withComputeLevel(LoopLevel.ROOT).withStoreLevel(LoopLevel.ROOT);
    out.replaceAll(f -> f.updates().isEmpty() ? f : f.withSchedule(root));
    return out;
  }

  // ------------------------------------------------------------------ forward values

  /** Rewrites reads of {@code f} in an adjoint of stage {@code s} into reads of {@code f} as it was before that stage. */
  UnaryOperator<Expr> beforeStage(Function f, int s) {
    return e -> replaceSelfCalls(e, f.name(), c -> valueAfter(f, s - 1, c.args(), c.valueIndex()));
  }

  /**
   * {@code f(at)} after stage {@code t}: {@code f} itself when no later stage can write {@code at},
   * else a snapshot of {@code f} truncated after stage {@code t}.
   */
  private Expr valueAfter(Function f, int t, List<Expr> at, int index) {
    boolean rewritten = false;
    for (int u = t + 1; u < f.stageCount(); u++) if (!disjoint(at, f.stage(u).args())) rewritten = true;
    if (!rewritten) return new Call(f.outputTypes().get(index), f.name(), at, CallKind.FUNC, index);
    Function snap = snapshots.computeIfAbsent(f.name() + "#" + t, k -> {
      String name = namer.apply(base(f) + "_fwd" + t);
      List<Definition> stages = new ArrayList<>();
      for (int u = 0; u <= t; u++) {
        Definition d = f.stage(u);
        List<Expr> values = new ArrayList<>();
        for (Expr v : d.values()) values.add(renameCalls(v, f.name(), name));
        ReductionDomain rd = d.domain() == null ? null : d.domain().withPredicate(renameCalls(d.domain().predicate(), f.name(), name));
        stages.add(new Definition(d.args(), values, rd, StageSchedule.defaultFor(f.args(), d.args(), rd)));
      }
      Function s = new Function(name, f.args(), f.outputTypes(), stages.getFirst(), stages.subList(1, stages.size()), FuncSchedule.INLINE);
      forward.add(s);
      return s;
    });
    return new Call(f.outputTypes().get(index), snap.name(), at, CallKind.FUNC, index);
  }

  /** Whether {@code a} and {@code b} differ in some dimension where both are constants: no point is both. */
  static boolean disjoint(List<Expr> a, List<Expr> b) {
    for (int d = 0; d < a.size(); d++) {
      Expr x = a.get(d), y = b.get(d);
      if (IrQueries.freeVars(x).isEmpty() && IrQueries.freeVars(y).isEmpty() && Simplifier.canProve(new NE(x, y))) return true;
    }
    return false;
  }

  // ------------------------------------------------------------------ which rule

  /**
   * Differentiates update stage {@code s} of {@code f} when it is a scan or a fold and returns
   * true; false when {@link ReverseAd}'s rule for updates applies (or refuses it).
   */
  boolean differentiate(Function f, int s, Builder cur, Builder prev) {
    Definition def = f.stage(s);
    ReductionDomain rd = def.domain();
    if (rd == null) return false;
    if (IrQueries.calls(rd.predicate(), CallKind.FUNC).contains(f.name())) return false;
    List<Expr> lhs = def.args();
    List<Call> reads = new ArrayList<>();
    for (Expr v : def.values()) reads.addAll(selfCalls(v, f.name()));
    Set<String> rvars = new HashSet<>();
    for (ReductionVariable r : rd.variables()) rvars.add(r.name());
    boolean writesMove = false;
    for (Expr a : lhs) for (String v : IrQueries.freeVars(a)) if (rvars.contains(v)) writesMove = true;
    if (!writesMove) {
      for (Call c : reads) if (!c.args().equals(lhs) && !disjoint(c.args(), lhs)) return false;
      fold(f, s, cur, prev);
      return true;
    }
    for (ReductionVariable r : rd.variables()) if (!ReverseAd.injectiveIn(lhs, r.name(), rd)) return false;
    boolean ordinary = true;
    for (Call c : reads) if (!c.args().equals(lhs) && !disjoint(c.args(), lhs)) ordinary = false;
    return !ordinary && scan(f, s, cur, prev, reads);
  }

  // ------------------------------------------------------------------ scans

  private boolean scan(Function f, int s, Builder cur, Builder prev, List<Call> reads) {
    Definition def = f.stage(s);
    ReductionDomain rd = def.domain();
    List<Expr> lhs = def.args();
    // Solve first, change nothing until every read is understood.
    Map<List<Expr>, Expr> writtenEarlier = new HashMap<>();
    for (Call c : reads) {
      Solution w = solve(lhs, rd, c.args());
      if (w == null) return false;
      writtenEarlier.put(c.args(), Simplifier.simplify(and(w.exists, lexLess(w.values, rd))));
    }
    // The reversed iteration k(rg) of the adjoint scan: rg runs forward, k backwards.
    String gName = namer.apply(base(f) + "_" + s + "_scan_d");
    Reversed rg = reversed(rd, namer.apply("r_scan"));
    Map<String, Expr> k = rg.iteration();
    List<Expr> lhsK = substitute(lhs, k);
    Map<List<Expr>, Solution> readers = new HashMap<>();
    for (Call c : reads) {
      Solution j = solve(c.args(), rd, lhsK);
      if (j == null) return false;
      readers.put(c.args(), j);
    }

    Builder g = new Builder(gName, cur.args, cur.types);
    adjoints.add(g);
    List<Type> types = f.outputTypes();
    int n = types.size();
    // f read at iteration r: the value an earlier iteration wrote, or the value before the update.
    UnaryOperator<Expr> values = e -> replaceSelfCalls(e, f.name(), c -> {
      Expr before = valueAfter(f, s - 1, c.args(), c.valueIndex());
      Expr earlier = writtenEarlier.get(c.args());
      if (earlier == null || IrQueries.isConst(earlier, 0)) return before;
      return new Select(earlier, valueAfter(f, s, c.args(), c.valueIndex()), before);
    });
    List<Expr> zeros = new ArrayList<>();
    List<Expr> gathered = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      g.pure.set(i, cur.call(vars(cur.args), i));
      zeros.add(ReverseAd.zero(prev.types.get(i)));
      gathered.add(g.call(lhsK, i));
    }
    ad.mask(cur, prev, lhs, zeros, rd);
    for (int i = 0; i < n; i++) {
      // Values of other types than float carry no gradient (a tuple's int counters, say).
      if (!types.get(i).isFloat()) continue;
      Expr seed = castTo(g.call(lhs, i), types.get(i));
      for (ExprAdjoints.Contribution c : ExprAdjoints.of(def.values().get(i), seed, ad.floatParams(), ad.partials())) {
        Expr a = values.apply(c.adjoint());
        if (!(c.target() instanceof Call call && call.kind() == CallKind.FUNC && call.name().equals(f.name()))) {
          ad.route(f, def, new ExprAdjoints.Contribution(c.target(), a));
          continue;
        }
        // Reads of values written earlier in the scan feed G; the others the stage before.
        Expr earlier = writtenEarlier.get(call.args());
        if (!IrQueries.isConst(earlier, 1)) {
          Expr a0 = IrQueries.isConst(earlier, 0) ? a : new Select(earlier, ReverseAd.zero(a.type()), a);
          ad.route(f, def, new ExprAdjoints.Contribution(c.target(), a0));
        }
        if (IrQueries.isConst(earlier, 0)) continue;
        Solution j = readers.get(call.args());
        Expr valid = Simplifier.simplify(and(j.exists, lexLess(k, j.values, rd)));
        // Where no iteration reads the point, J lies outside the domain: clamped, it reads only what the forward pass computed.
        Map<String, Expr> inside = new HashMap<>();
        for (ReductionVariable r : rd.variables()) {
          Expr max = Simplifier.simplify(new Sub(new Add(r.min(), r.extent()), one()));
          inside.put(r.name(), new Max(new Min(j.values.get(r.name()), max), r.min()));
        }
        int target = call.valueIndex();
        Expr term = castTo(Substitution.substitute(a, inside), g.types.get(target));
        gathered.set(target, new Add(gathered.get(target), new Select(valid, term, ReverseAd.zero(term.type()))));
      }
    }
    ReductionDomain rdg = new ReductionDomain(rg.name(), rg.variables(), Simplifier.simplify(Substitution.substitute(rd.predicate(), k)));
    List<Expr> updateValues = new ArrayList<>();
    for (Expr v : gathered) updateValues.add(Simplifier.simplify(ad.clampForwardReads(f, v, new HashSet<>(f.args()))));
    g.updates.add(new Definition(lhsK, updateValues, rdg, StageSchedule.defaultFor(g.args, lhsK, rdg)));
    return true;
  }

  // ------------------------------------------------------------------ folds

  private void fold(Function f, int s, Builder cur, Builder prev) {
    Definition def = f.stage(s);
    ReductionDomain rd = def.domain();
    List<Expr> lhs = def.args();
    List<Type> types = f.outputTypes();
    int n = types.size();
    Set<String> taken = new HashSet<>(f.args());
    String kName = taken.contains("k") ? IrQueries.freshName("k", taken) : "k";
    List<String> hArgs = new ArrayList<>(f.args());
    hArgs.add(kName);
    // The iteration number of r (the first variable fastest) and the iteration count.
    Expr lin = new IntImm(Type.I32, 0), stride = new IntImm(Type.I32, 1);
    for (ReductionVariable r : rd.variables()) {
      lin = new Add(lin, new Mul(new Sub(r.var(), r.min()), stride));
      stride = new Mul(stride, r.extent());
    }
    lin = Simplifier.simplify(lin);

    // H(x, k): f(x) before iteration k (every value of a tuple), for the points the update writes.
    String hName = namer.apply(base(f) + "_" + s + "_hist");
    List<Expr> at = new ArrayList<>(lhs);
    at.add(lin);
    UnaryOperator<Expr> values = e -> replaceSelfCalls(e, f.name(),
        c -> c.args().equals(lhs) ? new Call(c.type(), hName, at, CallKind.FUNC, c.valueIndex()) : valueAfter(f, s - 1, c.args(), c.valueIndex()));
    List<Expr> next = new ArrayList<>(lhs);
    next.add(Simplifier.simplify(new Add(lin, one())));
    List<Expr> hInitial = new ArrayList<>(), hValues = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      hInitial.add(valueAfter(f, s - 1, vars(f.args()), i));
      Expr beforeIter = new Call(types.get(i), hName, at, CallKind.FUNC, i);
      hValues.add(Simplifier.simplify(new Select(rd.predicate(), values.apply(def.values().get(i)), beforeIter)));
    }
    Definition hPure = new Definition(vars(hArgs), hInitial, null, StageSchedule.defaultFor(hArgs, vars(hArgs), null));
    ReductionDomain all = new ReductionDomain(namer.apply("r_hist"), rd.variables(), truth());
    Definition hUpdate = new Definition(next, hValues, all, StageSchedule.defaultFor(hArgs, next, all));
    forward.add(new Function(hName, hArgs, types, hPure, List.of(hUpdate), FuncSchedule.INLINE));

    // B(x, k): the adjoint of f(x) before iteration k (per value); B(x, N) = cur(x).
    Builder b = new Builder(namer.apply(base(f) + "_" + s + "_hist_d"), hArgs, cur.types);
    adjoints.add(b);
    for (int i = 0; i < n; i++) b.pure.set(i, cur.call(vars(f.args()), i));
    // The stage before sees f(L) as B(L, 0) and everything else unchanged (the reads of points the
    // fold never writes add to it after this).
    List<Expr> first = new ArrayList<>(lhs);
    first.add(new IntImm(Type.I32, 0));
    List<Expr> masked = new ArrayList<>();
    for (int i = 0; i < n; i++) masked.add(b.call(first, i));
    ad.mask(cur, prev, lhs, masked, null);
    // chains.get(j): the adjoint of f(L)[j] before an iteration, from the reads of it in every value.
    List<Expr> chains = new ArrayList<>(Collections.nCopies(n, null));
    for (int i = 0; i < n; i++) {
      // Values of other types than float carry no gradient (an argmax's coordinates).
      if (!types.get(i).isFloat()) continue;
      Expr seed = castTo(b.call(next, i), types.get(i));
      for (ExprAdjoints.Contribution c : ExprAdjoints.of(def.values().get(i), seed, ad.floatParams(), ad.partials())) {
        Expr a = values.apply(c.adjoint());
        if (c.target() instanceof Call call && call.kind() == CallKind.FUNC && call.name().equals(f.name()) && call.args().equals(lhs)) {
          int j = call.valueIndex();
          Expr term = castTo(a, b.types.get(j));
          chains.set(j, chains.get(j) == null ? term : new Add(chains.get(j), term));
        } else {
          ad.route(f, def, new ExprAdjoints.Contribution(c.target(), a));
        }
      }
    }
    Reversed rb = reversed(rd, namer.apply("r_hist_d"));
    Map<String, Expr> k = rb.iteration();
    ReductionDomain rdb = new ReductionDomain(rb.name(), rb.variables(), truth());
    List<Expr> bLhs = substitute(at, k);
    Expr predicate = Substitution.substitute(rd.predicate(), k);
    List<Expr> bValues = new ArrayList<>();
    for (int j = 0; j < n; j++) {
      // Without a read of f(L)[j], an iteration's adjoint does not reach the value before it.
      Expr chain = chains.get(j) == null ? ReverseAd.zero(b.types.get(j)) : chains.get(j);
      Expr bValue = new Select(predicate, Substitution.substitute(chain, k), b.call(substitute(next, k), j));
      bValues.add(Simplifier.simplify(ad.clampForwardReads(f, bValue, new HashSet<>(f.args()))));
    }
    b.updates.add(new Definition(bLhs, bValues, rdb, StageSchedule.defaultFor(hArgs, bLhs, rdb)));
  }

  // ------------------------------------------------------------------ solving for iterations

  /**
   * The iteration {@code values} (reduction variable name to expression over the variables of
   * {@code target}) at which {@code pattern}, an expression of {@code rd}'s variables, equals
   * {@code target}, and {@code exists}, the condition that it is one of {@code rd}'s iterations.
   */
  private record Solution(Map<String, Expr> values, Expr exists) {}

  private static Solution solve(List<Expr> pattern, ReductionDomain rd, List<Expr> target) {
    Set<String> taken = new HashSet<>();
    for (Expr e : pattern) taken.addAll(IrQueries.allVarNames(e));
    for (Expr e : target) taken.addAll(IrQueries.allVarNames(e));
    // The unknowns get names of their own: target may use the reduction variables (the current iteration).
    Map<String, Expr> unknown = new LinkedHashMap<>();
    Map<String, String> back = new HashMap<>();
    for (ReductionVariable r : rd.variables()) {
      String n = IrQueries.freshName(r.name(), taken);
      taken.add(n);
      unknown.put(r.name(), Var.of(n));
      back.put(n, r.name());
    }
    List<Expr> p = substitute(pattern, unknown);
    String u = IrQueries.freshName("u", taken);
    Map<String, Expr> solved = new LinkedHashMap<>();
    boolean progress = true;
    while (progress && solved.size() < back.size()) {
      progress = false;
      for (int d = 0; d < p.size(); d++) {
        Set<String> fv = new LinkedHashSet<>(IrQueries.freeVars(p.get(d)));
        fv.retainAll(back.keySet());
        fv.removeAll(solved.keySet());
        if (fv.size() != 1) continue;
        String v = fv.iterator().next();
        Expr arg = Simplifier.simplify(Substitution.substitute(p.get(d), solved));
        if (!(Solver.invert(arg, v, u) instanceof Inversion.Inverse inv) || !inv.isExact()) continue;
        solved.put(v, Simplifier.simplify(Substitution.substitute(inv.min(), u, target.get(d))));
        progress = true;
      }
    }
    if (solved.size() < back.size()) return null;
    Map<String, Expr> values = new LinkedHashMap<>();
    for (var e : solved.entrySet()) values.put(back.get(e.getKey()), e.getValue());
    Expr exists = Substitution.substitute(rd.predicate(), values);
    for (ReductionVariable r : rd.variables()) {
      Expr v = values.get(r.name());
      exists = and(exists, and(new GE(v, r.min()), new LT(v, new Add(r.min(), r.extent()))));
    }
    for (int d = 0; d < pattern.size(); d++) {
      exists = and(exists, new EQ(Substitution.substitute(pattern.get(d), values), target.get(d)));
    }
    return new Solution(values, Simplifier.simplify(exists));
  }

  /** Iteration {@code a} comes before the current iteration (the reduction variables themselves). */
  private static Expr lexLess(Map<String, Expr> a, ReductionDomain rd) {
    return lexLess(a, rvarList(rd), rd);
  }

  /** Iteration {@code a} comes before iteration {@code b} (the first variable is the fastest). */
  private static Expr lexLess(Map<String, Expr> a, Map<String, Expr> b, ReductionDomain rd) {
    Expr less = new UIntImm(Type.BOOL, 0);
    for (ReductionVariable r : rd.variables()) {
      Expr x = a.get(r.name()), y = b.get(r.name());
      less = new Or(new LT(x, y), new And(new EQ(x, y), less));
    }
    return less;
  }

  private static Map<String, Expr> rvarList(ReductionDomain rd) {
    Map<String, Expr> m = new LinkedHashMap<>();
    for (ReductionVariable r : rd.variables()) m.put(r.name(), r.var());
    return m;
  }

  /**
   * A reduction domain {@code name} with {@code rd}'s ranges, and {@code iteration}: each of {@code
   * rd}'s variables as an expression of the new ones that runs backwards while they run forwards.
   */
  private record Reversed(String name, List<ReductionVariable> variables, Map<String, Expr> iteration) {}

  private static Reversed reversed(ReductionDomain rd, String name) {
    List<ReductionVariable> vars = new ArrayList<>();
    Map<String, Expr> iteration = new LinkedHashMap<>();
    for (int i = 0; i < rd.variables().size(); i++) {
      ReductionVariable r = rd.variables().get(i);
      String n = name + "." + i;
      vars.add(new ReductionVariable(n, r.min(), r.extent()));
      iteration.put(r.name(), reversed(r, Var.of(n)));
    }
    return new Reversed(name, vars, iteration);
  }

  /** {@code r} running backwards as {@code v} runs forwards: {@code min + max - v}. */
  private static Expr reversed(ReductionVariable r, Expr v) {
    return Simplifier.simplify(new Sub(new Add(new Add(r.min(), r.min()), new Sub(r.extent(), one())), v));
  }

  // ------------------------------------------------------------------ small helpers

  private static List<Call> selfCalls(Expr e, String name) {
    List<Call> out = new ArrayList<>();
    replaceSelfCalls(e, name, c -> {
      out.add(c);
      return null;
    });
    return out;
  }

  private static Expr replaceSelfCalls(Expr e, String name, java.util.function.Function<Call, Expr> by) {
    return Substitution.callReplacer(c -> c.kind() == CallKind.FUNC && c.name().equals(name) ? by.apply(c) : null).rewrite(e);
  }

  private static Expr renameCalls(Expr e, String from, String to) {
    return replaceSelfCalls(e, from, c -> new Call(c.type(), to, c.args(), c.kind(), c.valueIndex()));
  }

  private static List<Expr> substitute(List<Expr> es, Map<String, Expr> m) {
    List<Expr> out = new ArrayList<>();
    for (Expr e : es) out.add(Simplifier.simplify(Substitution.substitute(e, m)));
    return out;
  }

  private static String base(Function f) {
    return ReverseAd.baseName(f.name());
  }

  private static List<Expr> vars(List<String> names) {
    List<Expr> out = new ArrayList<>();
    for (String n : names) out.add(Var.of(n));
    return out;
  }

}
