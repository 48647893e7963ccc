package dev.halogen.passes.lower;

import dev.halogen.ir.Definition;
import dev.halogen.ir.Dim;
import dev.halogen.ir.Expr;
import dev.halogen.ir.Expr.Call;
import dev.halogen.ir.Expr.CallKind;
import dev.halogen.ir.Function;
import dev.halogen.ir.IrQueries;
import dev.halogen.ir.IrWalker;
import dev.halogen.ir.Pipeline;
import dev.halogen.ir.ReductionDomain;
import dev.halogen.ir.Split;
import dev.halogen.ir.StageSchedule;
import dev.halogen.passes.BasePass;
import dev.halogen.passes.IrProperty;
import dev.halogen.passes.IrUnit;
import dev.halogen.passes.analysis.Associativity;
import dev.halogen.passes.analysis.Associativity.Associative;
import dev.halogen.passes.analysis.Associativity.NotAssociative;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code check-schedule}: rejects schedules that would compute something other than the algorithm
 * says, before any loop is built. Never changes the unit.
 *
 * <ul>
 *   <li>An update marked {@code atomic()} must be associative and commutative (proven by {@link
 *       Associativity}), or overwrite with a value that does not depend on the reduction (Halide's
 *       rule), unless it overrides the associativity test.
 *   <li>A loop over a reduction variable that is parallel, vectorized or a GPU loop runs iterations
 *       at the same time or out of order; without {@code atomic()} that is only allowed when distinct
 *       iterations touch distinct elements ({@link #isRaceFree}), else two iterations may update one
 *       element at once.
 * </ul>
 *
 * Messages name the Func, the update and the loop: {@code "Func hist update 0: loop r.x is vectorized
 * but it is a reduction variable, and iterations may write the same element of hist: use atomic() or
 * rfactor"}. (Whether each Func is computed inside every loop that uses it is checked by {@code
 * schedule-functions}, which knows where Funcs scheduled inline end up.)
 */
public final class CheckSchedulePass extends BasePass {
  public static final String NAME = "check-schedule";

  public CheckSchedulePass() {
    super(NAME, "reject schedules that race: atomic updates that are not associative, unordered reduction loops without atomic()",
        Set.of(IrProperty.FUNCTION_GRAPH, IrProperty.GRAPH_VERIFIED), // requires
        Set.of(), // establishes
        Set.of()); // invalidates
  }

  @Override
  public IrUnit run(IrUnit in) {
    check(in.asGraph(NAME).pipeline());
    return in;
  }

  /**
   * Checks every update of {@code p}.
   *
   * @throws ScheduleException naming the first Func, update and loop that break a rule
   */
  public static void check(Pipeline p) {
    for (Function f : p.functions().values()) {
      for (int stage = 1; stage < f.stageCount(); stage++) checkUpdate(f, stage);
    }
  }

  private static void checkUpdate(Function f, int stage) {
    Definition d = f.stage(stage);
    StageSchedule s = d.schedule();
    if (s.atomic()) {
      if (!s.overrideAssociativityTest()) {
        Optional<String> refusal = atomicRefusal(f.name(), d);
        if (refusal.isPresent()) throw ScheduleException.inStage(f.name(), stage, "atomic() needs " + refusal.get());
      }
      return;
    }
    ReductionDomain domain = d.domain();
    if (domain == null) return;
    for (Dim dim : s.dims()) {
      if (!dim.isRVar() || !dim.kind().isUnordered()) continue;
      for (String rvar : reductionVariablesOf(s.splits(), domain, dim.var())) {
        if (isRaceFree(f.name(), d, rvar)) continue;
        String kind = dim.kind().name().toLowerCase(Locale.ROOT);
        String what = dim.var().equals(rvar) ? "it is a reduction variable" : "it iterates the reduction variable " + rvar;
        throw ScheduleException.inStage(f.name(), stage, "loop " + dim.var() + " is " + kind + " but " + what
            + ", and iterations may write the same element of " + f.name() + ": use atomic() or rfactor");
      }
    }
  }

  /**
   * Why update {@code d} of {@code func} cannot be done with atomic read-modify-writes, in words that
   * follow "atomic() needs", or empty when it can: it must be proven associative and commutative
   * (the order in which threads update an element is arbitrary), or overwrite with a value that reads
   * neither {@code func} nor a reduction variable (every order gives the same result).
   */
  public static Optional<String> atomicRefusal(String func, Definition d) {
    if (isConstantAssignment(func, d)) return Optional.empty();
    return switch (Associativity.prove(func, d)) {
      case NotAssociative(String reason) -> Optional.of("an associative update: " + reason);
      case Associative a when !a.commutative() -> Optional.of("a commutative update, but " + func + "'s update is an "
          + a.terms().stream().filter(t -> !t.commutative()).findFirst().orElseThrow().operator().name().toLowerCase(Locale.ROOT)
          + ", where which of equal keys wins depends on the order");
      case Associative _ -> Optional.empty();
    };
  }

  /** The update neither reads its Func nor uses a reduction variable in its values (Halide's "const assignment"). */
  private static boolean isConstantAssignment(String func, Definition d) {
    Set<String> rvars = new LinkedHashSet<>();
    if (d.domain() != null) for (ReductionDomain.ReductionVariable v : d.domain().variables()) rvars.add(v.name());
    for (Expr e : d.args()) if (IrQueries.calls(e, CallKind.FUNC).contains(func)) return false;
    for (Expr e : d.values()) {
      if (IrQueries.calls(e, CallKind.FUNC).contains(func)) return false;
      if (IrQueries.freeVars(e).stream().anyMatch(rvars::contains)) return false;
    }
    return true;
  }

  /**
   * The reduction variables of {@code domain} that loop {@code loop} iterates, after {@code splits}:
   * a split's loops iterate what the split loop did, a fused loop what both did.
   */
  public static Set<String> reductionVariablesOf(List<Split> splits, ReductionDomain domain, String loop) {
    Map<String, Set<String>> roots = new HashMap<>();
    for (Split s : splits) {
      switch (s) {
        case Split.SplitVar(String old, String outer, String inner, var _, var _) -> {
          Set<String> r = roots.getOrDefault(old, Set.of(old));
          roots.put(outer, r);
          roots.put(inner, r);
        }
        case Split.FuseVars(String inner, String outer, String fused) -> {
          Set<String> r = new LinkedHashSet<>(roots.getOrDefault(inner, Set.of(inner)));
          r.addAll(roots.getOrDefault(outer, Set.of(outer)));
          roots.put(fused, r);
        }
        case Split.RenameVar(String old, String renamed) -> roots.put(renamed, roots.getOrDefault(old, Set.of(old)));
      }
    }
    Set<String> of = roots.getOrDefault(loop, Set.of(loop));
    Set<String> out = new LinkedHashSet<>();
    for (ReductionDomain.ReductionVariable rv : domain.variables()) if (of.contains(rv.name())) out.add(rv.name());
    return out;
  }

  /**
   * Whether distinct values of reduction variable {@code rvar} make update {@code d} of {@code func}
   * touch distinct elements, so its loop may run unordered: {@code rvar} stands alone as an argument
   * of the left-hand side, and the update reads {@code func} only at the element it writes, in its
   * arguments, its values and its reduction domain's predicate (which Halide's {@code
   * can_parallelize_rvar} reads too). A sufficient test; atomic() covers the rest.
   */
  public static boolean isRaceFree(String func, Definition d, String rvar) {
    if (!d.args().contains(Expr.Var.of(rvar))) return false;
    boolean[] elsewhere = {false};
    IrWalker reads = new IrWalker() {
      @Override
      protected void visit(Expr e, IrWalker.Scope scope, IrWalker.Path path) {
        if (e instanceof Call c && c.kind() == CallKind.FUNC && c.name().equals(func) && !c.args().equals(d.args())) {
          elsewhere[0] = true;
        }
      }
    };
    for (Expr e : d.args()) reads.walk(e);
    for (Expr e : d.values()) reads.walk(e);
    if (d.domain() != null) reads.walk(d.domain().predicate());
    return !elsewhere[0];
  }
}
