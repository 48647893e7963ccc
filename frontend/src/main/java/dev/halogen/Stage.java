package dev.halogen;

import dev.halogen.ir.Definition;
import dev.halogen.ir.RFactor;
import dev.halogen.ir.StageSchedule;
import dev.halogen.passes.lower.CheckSchedulePass;
import dev.halogen.passes.lower.RFactorTransform;
import dev.halogen.passes.lower.ScheduleException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One definition of a Func and its loop nest: index 0 is the pure definition, index {@code i + 1}
 * is update {@code i} ({@link Func#update(int)}). Besides the loop directives it has {@link
 * #rfactor} and {@link #atomic}, which apply to updates.
 */
public final class Stage extends LoopScheduled<Stage> {
  private final Func func;
  private final int index;

  Stage(Func func, int index) {
    this.func = func;
    this.index = index;
  }

  public Func func() {
    return func;
  }

  @Override
  Func owner() {
    return func;
  }

  @Override
  int stageIndex() {
    return index;
  }

  @Override
  Stage self() {
    return this;
  }

  /** 0 for the pure definition, {@code i + 1} for update {@code i}. */
  public int index() {
    return index;
  }

  /** The definition as it is now, with its schedule. */
  public Definition definition() {
    return func.stage(index);
  }

  public StageSchedule schedule() {
    return definition().schedule();
  }

  /**
   * The variables of the reduction domain this update iterates (none for an update without one),
   * to name its loops in directives: for updates of Funcs the front end derived, such as the
   * adjoints of {@link Gradients}, whose reduction domains the program never held as {@link RDom}s.
   */
  public List<RVar> rvars() {
    RDom domain = func.stageDomain(index);
    return domain == null ? List.of() : domain.vars();
  }

  /**
   * Factors this associative update (Halide's {@code rfactor}): reduction variable {@code rvar}
   * becomes the pure variable {@code var} of a new intermediate Func of partial results, which this
   * update then merges. Applied at once to this Func; returns the intermediate (named {@code
   * f_intm}, then {@code f_intm1}, ...), computed at the root until scheduled otherwise, so it can be
   * scheduled like any Func, e.g. {@code intm.update(0).parallel(var)}. See {@link
   * dev.halogen.passes.lower.RFactorTransform} for the rules.
   *
   * @throws HalogenException.ScheduleException when the update is not associative, {@code rvar} is
   *     not one of its reduction loops, {@code var} is taken, or the factoring is not possible
   */
  public Func rfactor(VarOrRVar rvar, Var var) {
    return rfactor(List.of(Map.entry(rvar, var)));
  }

  /** {@link #rfactor(VarOrRVar, Var)} for several reduction variables at once. */
  public Func rfactor(List<? extends Map.Entry<? extends VarOrRVar, Var>> pairs) {
    List<String> text = new ArrayList<>();
    for (Map.Entry<? extends VarOrRVar, Var> p : pairs) text.add(p.getKey().name() + " -> " + p.getValue().name());
    String op = "rfactor(" + String.join(", ", text) + ")";
    func.requireDefined(op);
    LoopEditor e = new LoopEditor(func, index, op);
    RDom domain = func.stageDomain(index);
    List<RFactor.Pair> irPairs = new ArrayList<>();
    for (Map.Entry<? extends VarOrRVar, Var> p : pairs) {
      // The IR knows variables by name only; an RVar of another RDom would name some other loop.
      if (p.getKey() instanceof RVar rv && domain != null && rv.rdom() != domain) {
        throw e.error("the RVar " + rv.name() + " is not in the reduction domain " + domain.name() + " of " + func.stageName(index));
      }
      irPairs.add(new RFactor.Pair(p.getKey().name(), p.getValue().name()));
    }
    RFactorTransform.Result r;
    try {
      r = RFactorTransform.apply(func.function(), index, new RFactor(func.rfactorName(), irPairs));
    } catch (ScheduleException x) {
      throw e.error(x.reason());
    }
    return func.applyRFactor(index, r);
  }

  /**
   * Performs this update with atomic read-modify-writes, which lets its reduction loops run in
   * parallel; the update must be associative and commutative.
   *
   * @throws HalogenException.ScheduleException when that is not proven ({@link #atomic(boolean)} can skip the proof)
   */
  public Stage atomic() {
    return atomic(false);
  }

  /** {@link #atomic()}; {@code overrideAssociativityTest} skips the proof that the update is associative. */
  public Stage atomic(boolean overrideAssociativityTest) {
    String op = "atomic(" + overrideAssociativityTest + ")";
    func.requireDefined(op);
    LoopEditor e = new LoopEditor(func, index, op);
    if (index == 0) {
      throw e.error("atomic() applies to update definitions; the pure definition of " + func.name() + " has no read-modify-write");
    }
    if (!overrideAssociativityTest) {
      Optional<String> refusal = CheckSchedulePass.atomicRefusal(func.name(), definition());
      if (refusal.isPresent()) throw e.error("atomic() needs " + refusal.get() + " (atomic(true) skips this proof)");
    }
    func.setStageSchedule(index, schedule().withAtomic(true, overrideAssociativityTest));
    return this;
  }

  @Override
  public String toString() {
    return func.stageName(index);
  }
}
