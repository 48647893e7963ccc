package dev.halogen.passes.lower;

import dev.halogen.ir.Definition;
import dev.halogen.ir.Dim;
import dev.halogen.ir.DeviceApi;
import dev.halogen.ir.Expr;
import dev.halogen.ir.Expr.Call;
import dev.halogen.ir.Expr.CallKind;
import dev.halogen.ir.Expr.Var;
import dev.halogen.ir.ForKind;
import dev.halogen.ir.FuncSchedule;
import dev.halogen.ir.Function;
import dev.halogen.ir.IrQueries;
import dev.halogen.ir.LoopLevel;
import dev.halogen.ir.MemoryType;
import dev.halogen.ir.Pipeline;
import dev.halogen.ir.RFactor;
import dev.halogen.ir.ReductionDomain;
import dev.halogen.ir.ReductionDomain.ReductionVariable;
import dev.halogen.ir.Split;
import dev.halogen.ir.StageSchedule;
import dev.halogen.ir.Substitution;
import dev.halogen.ir.TailStrategy;
import dev.halogen.ir.Type;
import dev.halogen.passes.analysis.Associativity;
import dev.halogen.passes.analysis.Associativity.Associative;
import dev.halogen.passes.analysis.Associativity.NotAssociative;
import dev.halogen.passes.analysis.Simplifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * rfactor as a transformation of the function graph (Halide's {@code Stage::rfactor}): an
 * associative update {@code f(args) = op(f(args), g(r))} is split into a Func of partial results
 * and a merge.
 *
 * <p>For {@code rfactor(f, update i, r.y -> u)}, with {@code r = (r.x, r.y)}:
 *
 * <pre>
 *   f_intm(x..., u) = identity of op
 *   f_intm(args[r.y := u]..., u) = op(f_intm(args[r.y := u]..., u), g(r.x, u))   over r.x only
 *   f(x...) = op(f(x...), f_intm(x..., r.y))                                      over r.y only
 * </pre>
 *
 * The factored reduction variables become pure variables of the intermediate (appended to {@code
 * f}'s, in the order of the reduction domain), so its partial results can be computed in parallel
 * over them; the others stay its reduction domain. {@code f}'s update becomes a reduction over the
 * factored variables' ranges that merges the partial results with the same operator (for argmin
 * and argmax, with the update's own comparison, so equal keys resolve as before). Points that the
 * original update never wrote get {@code op(f, identity) = f}: exact, which is why float sums start
 * from {@code -0.0}. The intermediate's region in {@code u} is what the merge reads, the factored
 * variable's range, found by bounds inference.
 *
 * <p>The update's splits, fuses and renames of reduction variables are applied to the reduction
 * domain first, as in Halide: {@code split(r.x, rxo, rxi, 8)} makes reduction variables {@code rxi}
 * in [0, 8) and {@code rxo} in [0, ceil(n / 8)), with {@code r.x = min(r.x.min + rxo * 8 + rxi,
 * r.x.max)} and, when 8 may not divide n, the predicate {@code rxo * 8 + rxi < n} (the clamp keeps
 * bounds inference within the range; under the predicate it changes nothing). So {@code rxo} or
 * {@code rxi} can be factored. The loop order and kinds of the update go to both the intermediate's
 * update (a factored variable's loop becomes the loop over its pure variable) and the merge (less the
 * variables left to the intermediate, plus {@code f}'s pure variables it did not loop over, outermost;
 * a factored loop asked to be parallel or vectorized is serial there, since the merge combines the
 * partial results into one point); splits of pure variables stay with both. The predicate goes to the intermediate (factored variables
 * replaced) and, for the conjuncts that read no variable left to the intermediate, to the merge.
 *
 * <p>The intermediate is computed and stored at the root (schedule it like any Func). Refused with
 * a {@link ScheduleException} "Func f update i: cannot rfactor: ...": a pure definition, an update
 * without a reduction domain or not proven associative (the reason from {@link Associativity}),
 * unknown or repeated variables, names already used, a non-commutative update (argmin/argmax) whose
 * factored variables are not the outermost reduction loops (the merge would see partial results out
 * of order), a split of a reduction variable that rounds up or shifts (it would change how often the
 * update runs), a predicate that reads {@code f}, and factoring every reduction variable of a domain
 * with a predicate (the intermediate's update would have no domain to keep it in).
 */
public final class RFactorTransform {
  private static final Expr TRUE = new Expr.UIntImm(Type.BOOL, 1);

  private RFactorTransform() {}

  /** The factored Func and its new intermediate. */
  public record Result(Function func, Function intermediate) {}

  /**
   * {@code p} with {@code request} applied to stage {@code stage} of Func {@code func}: {@code func}
   * replaced by its factored form and the intermediate added.
   */
  public static Pipeline apply(Pipeline p, String func, int stage, RFactor request) {
    if (p.functions().containsKey(request.intermediate())) {
      throw ScheduleException.inStage(func, stage, "cannot rfactor: the intermediate's name " + request.intermediate()
          + " is the name of an existing Func");
    }
    Result r = apply(p.function(func), stage, request);
    return p.withFunction(r.func()).withFunction(r.intermediate());
  }

  /**
   * {@code request} applied to stage {@code stage} of {@code f}. The result's {@code func} keeps the
   * stage's other rfactor requests; its intermediate is computed at the root.
   *
   * @throws ScheduleException "Func f update i: cannot rfactor: ..." naming why
   */
  public static Result apply(Function f, int stage, RFactor request) {
    return new Factoring(f, stage, request).run();
  }

  /** The reduction domain with the update's splits of reduction variables applied, and the update rewritten over it. */
  private record Flat(List<ReductionVariable> rvars, Expr predicate, List<Expr> args, List<Expr> values, List<Split> pureSplits) {}

  private static final class Factoring {
    private final Function f;
    private final int stage;
    private final RFactor request;
    private final Definition d;

    Factoring(Function f, int stage, RFactor request) {
      this.f = f;
      this.stage = stage;
      this.request = request;
      this.d = f.stage(stage);
    }

    private ScheduleException fail(String reason) {
      return ScheduleException.inStage(f.name(), stage, "cannot rfactor: " + reason);
    }

    Result run() {
      ReductionDomain domain = d.domain();
      if (stage == 0) throw fail("it is the pure definition; only updates can be factored");
      if (domain == null) throw fail("the update has no reduction domain");
      if (request.pairs().isEmpty()) throw fail("no reduction variables given");
      Associative proof = switch (Associativity.prove(f.name(), d)) {
        case Associative a -> a;
        case NotAssociative(String why) -> throw fail("the update is not associative (" + why + ")");
      };
      if (IrQueries.calls(domain.predicate(), CallKind.FUNC).contains(f.name())) {
        throw fail("the predicate of reduction domain " + domain.name() + " reads " + f.name());
      }
      Flat flat = flatten(domain);
      List<RFactor.Pair> pairs = checkedPairs(flat);
      if (!proof.commutative()) checkOutermost(pairs);

      // The factored variables become pure variables of the intermediate, in the domain's order.
      Map<String, Expr> toPure = new LinkedHashMap<>();
      List<String> newVars = new ArrayList<>();
      List<ReductionVariable> kept = new ArrayList<>();
      List<ReductionVariable> lifted = new ArrayList<>();
      for (ReductionVariable rv : flat.rvars()) {
        RFactor.Pair pair = pairs.stream().filter(p -> p.rvar().equals(rv.name())).findFirst().orElse(null);
        if (pair == null) {
          lifted.add(rv);
        } else {
          kept.add(rv);
          newVars.add(pair.var());
          toPure.put(rv.name(), Var.of(pair.var()));
        }
      }
      Function intermediate = intermediate(domain, flat, proof, toPure, newVars, lifted);
      return new Result(merged(domain, flat, kept, lifted), intermediate);
    }

    /** Applies the splits, fuses and renames of reduction variables to the domain, in order. */
    private Flat flatten(ReductionDomain domain) {
      List<ReductionVariable> rvars = new ArrayList<>(domain.variables());
      Expr predicate = domain.predicate();
      List<Expr> args = d.args();
      List<Expr> values = d.values();
      List<Split> pureSplits = new ArrayList<>();
      for (Split split : d.schedule().splits()) {
        Map<String, Expr> replace = new LinkedHashMap<>();
        switch (split) {
          case Split.SplitVar(String old, String outer, String inner, Expr factor, TailStrategy tail) -> {
            int i = indexOf(rvars, old);
            if (i < 0) {
              pureSplits.add(split);
              continue;
            }
            if (tail == TailStrategy.ROUND_UP || tail == TailStrategy.SHIFT_INWARDS) {
              throw fail("the reduction variable " + old + " is split with tail strategy " + tail
                  + ", which would change how often the update runs (use GUARD_WITH_IF)");
            }
            ReductionVariable rv = rvars.get(i);
            Expr offset = new Expr.Add(new Expr.Mul(Var.of(outer), factor), Var.of(inner));
            Expr value = new Expr.Add(rv.min(), offset);
            if (!StageLoops.divides(factor, rv.extent())) {
              predicate = and(predicate, new Expr.LT(offset, rv.extent()));
              value = new Expr.Min(value, new Expr.Sub(new Expr.Add(rv.min(), rv.extent()), one()));
            }
            rvars.set(i, new ReductionVariable(inner, zero(), factor));
            rvars.add(i + 1, new ReductionVariable(outer, zero(), StageLoops.outerExtent(rv.extent(), factor)));
            replace.put(old, Simplifier.simplify(value));
          }
          case Split.FuseVars(String inner, String outer, String fused) -> {
            int i = indexOf(rvars, inner);
            int o = indexOf(rvars, outer);
            if (i < 0 || o < 0) {
              // Pure and reduction variables are never fused together (the graph verifier's rule).
              pureSplits.add(split);
              continue;
            }
            ReductionVariable ri = rvars.get(i);
            ReductionVariable ro = rvars.get(o);
            rvars.set(o, new ReductionVariable(fused, zero(), Simplifier.simplify(new Expr.Mul(ri.extent(), ro.extent()))));
            rvars.remove(i);
            replace.put(inner, Simplifier.simplify(new Expr.Add(ri.min(), new Expr.Mod(Var.of(fused), ri.extent()))));
            replace.put(outer, Simplifier.simplify(new Expr.Add(ro.min(), new Expr.Div(Var.of(fused), ri.extent()))));
          }
          case Split.RenameVar(String old, String renamed) -> {
            int i = indexOf(rvars, old);
            if (i < 0) {
              pureSplits.add(split);
              continue;
            }
            ReductionVariable rv = rvars.get(i);
            rvars.set(i, new ReductionVariable(renamed, rv.min(), rv.extent()));
            replace.put(old, Var.of(renamed));
          }
        }
        predicate = Substitution.substitute(predicate, replace);
        args = substituteAll(args, replace);
        values = substituteAll(values, replace);
      }
      return new Flat(rvars, predicate, args, values, pureSplits);
    }

    /** The pairs, checked and sorted in the order of the flattened domain. */
    private List<RFactor.Pair> checkedPairs(Flat flat) {
      List<String> rvarNames = flat.rvars().stream().map(ReductionVariable::name).toList();
      Set<String> taken = new LinkedHashSet<>(f.args());
      for (Dim dim : d.schedule().dims()) taken.add(dim.var());
      taken.addAll(rvarNames);
      Set<String> factored = new LinkedHashSet<>();
      Set<String> vars = new LinkedHashSet<>();
      for (RFactor.Pair pair : request.pairs()) {
        String rvar = pair.rvar();
        if (!rvarNames.contains(rvar)) {
          throw fail(taken.contains(rvar) ? rvar + " is a pure loop, not a reduction variable"
              : "the update has no reduction loop " + rvar + "; its reduction loops are " + String.join(", ", rvarNames));
        }
        if (!factored.add(rvar)) throw fail("the reduction variable " + rvar + " is given twice");
        if (taken.contains(pair.var())) {
          throw fail("the Var " + pair.var() + " is already used (the pure Vars of " + f.name() + " and the loops of the update are "
              + String.join(", ", taken) + ")");
        }
        if (!vars.add(pair.var())) throw fail("the Var " + pair.var() + " is given twice");
      }
      List<RFactor.Pair> sorted = new ArrayList<>(request.pairs());
      sorted.sort((a, b) -> Integer.compare(rvarNames.indexOf(a.rvar()), rvarNames.indexOf(b.rvar())));
      return sorted;
    }

    /**
     * A non-commutative update (argmin, argmax) must see its points in loop order: the merge runs
     * over the factored loops and each partial result over the others, which is that order only
     * when the factored loops are the outermost reduction loops.
     */
    private void checkOutermost(List<RFactor.Pair> pairs) {
      Set<String> factored = new LinkedHashSet<>();
      for (RFactor.Pair p : pairs) factored.add(p.rvar());
      List<String> outside = new ArrayList<>();
      List<Dim> dims = d.schedule().dims();
      for (int i = dims.size() - 1; i >= 0; i--) {
        Dim dim = dims.get(i);
        if (!dim.isRVar()) continue;
        if (!factored.contains(dim.var())) {
          outside.add(dim.var());
        } else if (!outside.isEmpty()) {
          throw fail("the update is not commutative (an argmin or argmax: which of equal keys wins depends on the order),"
              + " so the reduction loops outside " + dim.var() + " (" + String.join(", ", outside) + ") must be factored too");
        }
      }
    }

    private Function intermediate(ReductionDomain domain, Flat flat, Associative proof, Map<String, Expr> toPure,
        List<String> newVars, List<ReductionVariable> lifted) {
      String name = request.intermediate();
      List<String> args = new ArrayList<>(f.args());
      args.addAll(newVars);
      List<Expr> pureLhs = vars(args);
      Definition pure = new Definition(pureLhs, proof.identities(), null, StageSchedule.defaultFor(args, pureLhs, null));

      List<Expr> lhs = new ArrayList<>(substituteAll(flat.args(), toPure));
      lhs.addAll(vars(newVars));
      // Reads of f at the update's own site become reads of the intermediate at its own site.
      List<Expr> extra = vars(newVars);
      var selfToIntermediate = Substitution.callReplacer(c -> {
        if (c.kind() != CallKind.FUNC || !c.name().equals(f.name())) return null;
        List<Expr> callArgs = new ArrayList<>(c.args());
        callArgs.addAll(extra);
        return new Call(c.type(), name, callArgs, CallKind.FUNC, c.valueIndex());
      });
      List<Expr> values = substituteAll(flat.values(), toPure).stream().map(selfToIntermediate::rewrite).toList();
      Expr predicate = Substitution.substitute(flat.predicate(), toPure);
      @Nullable ReductionDomain intmDomain = null;
      if (!lifted.isEmpty()) {
        intmDomain = new ReductionDomain(domain.name(), lifted, predicate);
      } else if (!IrQueries.isConst(predicate, 1)) {
        throw fail("every reduction variable would become a pure variable of the intermediate, whose update could then not"
            + " keep the predicate of reduction domain " + domain.name() + "; leave a reduction variable to it");
      }
      List<Dim> dims = new ArrayList<>();
      for (Dim dim : d.schedule().dims()) {
        Expr v = toPure.get(dim.var());
        dims.add(v instanceof Var(var unused, String pureName) ? new Dim(pureName, dim.kind(), dim.deviceApi(), false) : dim);
      }
      // Atomic updates stay atomic where reduction loops remain; with none, there is nothing to race.
      boolean atomic = d.schedule().atomic() && !lifted.isEmpty();
      StageSchedule schedule = new StageSchedule(flat.pureSplits(), dims, List.of(), atomic,
          atomic && d.schedule().overrideAssociativityTest());
      Definition update = new Definition(lhs, values, intmDomain, schedule);
      FuncSchedule root = new FuncSchedule(LoopLevel.ROOT, LoopLevel.ROOT, List.of(), List.of(), MemoryType.AUTO);
      return new Function(name, args, f.outputTypes(), pure, List.of(update), root);
    }

    /** {@code f} with the update replaced by the merge of the intermediate's partial results. */
    private Function merged(ReductionDomain domain, Flat flat, List<ReductionVariable> kept, List<ReductionVariable> lifted) {
      List<Expr> lhs = vars(f.args());
      List<Expr> partialArgs = new ArrayList<>(lhs);
      for (ReductionVariable rv : kept) partialArgs.add(rv.var());
      List<Expr> previous = new ArrayList<>();
      List<Expr> partial = new ArrayList<>();
      for (int i = 0; i < f.outputTypes().size(); i++) {
        Type t = f.outputTypes().get(i);
        previous.add(new Call(t, f.name(), lhs, CallKind.FUNC, i));
        partial.add(new Call(t, request.intermediate(), partialArgs, CallKind.FUNC, i));
      }
      List<Expr> values = Associativity.merge(f.name(), d.args(), d.values(), previous, partial);

      Set<String> liftedNames = new LinkedHashSet<>();
      for (ReductionVariable rv : lifted) liftedNames.add(rv.name());
      Expr predicate = TRUE;
      for (Expr c : conjuncts(flat.predicate())) {
        if (IrQueries.freeVars(c).stream().noneMatch(liftedNames::contains)) predicate = and(predicate, c);
      }
      ReductionDomain mergeDomain = new ReductionDomain(domain.name(), kept, predicate);

      List<Dim> dims = new ArrayList<>();
      for (Dim dim : d.schedule().dims()) {
        if (liftedNames.contains(dim.var())) continue;
        // A factored loop asked to run unordered (parallel, say) does so in the intermediate, over
        // independent partial results; in the merge, which combines them into one point, it runs in order.
        boolean race = dim.isRVar() && dim.kind().isUnordered() && !d.schedule().atomic();
        dims.add(race ? dim.withKind(ForKind.SERIAL, DeviceApi.HOST) : dim);
      }
      // The merge writes every point of f: the pure variables the update did not loop over get loops, outermost.
      for (int i = 0; i < f.args().size(); i++) {
        String a = f.args().get(i);
        if (!d.args().get(i).equals(Var.of(a))) dims.add(new Dim(a, ForKind.SERIAL, DeviceApi.HOST, false));
      }
      List<RFactor> rest = new ArrayList<>(d.schedule().rfactors());
      rest.remove(request);
      StageSchedule schedule = new StageSchedule(flat.pureSplits(), dims, rest, d.schedule().atomic(),
          d.schedule().overrideAssociativityTest());
      return f.withStage(stage, new Definition(lhs, values, mergeDomain, schedule));
    }
  }

  private static int indexOf(List<ReductionVariable> rvars, String name) {
    for (int i = 0; i < rvars.size(); i++) if (rvars.get(i).name().equals(name)) return i;
    return -1;
  }

  private static List<Expr> substituteAll(List<Expr> es, Map<String, Expr> replace) {
    return es.stream().map(e -> Substitution.substitute(e, replace)).toList();
  }

  private static List<Expr> vars(List<String> names) {
    return names.stream().map(n -> (Expr) Var.of(n)).toList();
  }

  /** {@code a && b}, leaving out a constant-true {@code a}. */
  private static Expr and(Expr a, Expr b) {
    return IrQueries.isConst(a, 1) ? b : new Expr.And(a, b);
  }

  /** The operands of a chain of {@code &&}, in order; a constant true has none. */
  private static List<Expr> conjuncts(Expr e) {
    List<Expr> out = new ArrayList<>();
    if (e instanceof Expr.And(Expr a, Expr b)) {
      out.addAll(conjuncts(a));
      out.addAll(conjuncts(b));
    } else if (!IrQueries.isConst(e, 1)) {
      out.add(e);
    }
    return out;
  }

  private static Expr zero() {
    return new Expr.IntImm(Type.I32, 0);
  }

  private static Expr one() {
    return new Expr.IntImm(Type.I32, 1);
  }

}
