package dev.halogen;

import dev.halogen.ir.Definition;
import dev.halogen.ir.RFactor;
import dev.halogen.ir.StageSchedule;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
   * Asks the rfactor pass to factor this update: reduction variable {@code rvar} becomes the pure
   * variable {@code var} of a new intermediate Func. Returns the name of that intermediate Func.
   */
  public String rfactor(VarOrRVar rvar, Var var) {
    return rfactor(List.of(Map.entry(rvar, var)));
  }

  /** {@link #rfactor(VarOrRVar, Var)} for several reduction variables at once. */
  public String rfactor(List<? extends Map.Entry<? extends VarOrRVar, Var>> pairs) {
    List<String> text = new ArrayList<>();
    for (Map.Entry<? extends VarOrRVar, Var> p : pairs) text.add(p.getKey().name() + " -> " + p.getValue().name());
    String op = "rfactor(" + String.join(", ", text) + ")";
    func.requireDefined(op);
    LoopEditor e = new LoopEditor(func, index, op);
    RDom domain = func.stageDomain(index);
    if (domain == null) throw e.error(func.stageName(index) + " is not an update with a reduction domain");
    if (pairs.isEmpty()) throw e.error("no reduction variables given");
    Set<String> used = new LinkedHashSet<>(func.args());
    for (var d : schedule().dims()) used.add(d.var());
    Set<String> newVars = new LinkedHashSet<>();
    List<RFactor.Pair> irPairs = new ArrayList<>();
    for (Map.Entry<? extends VarOrRVar, Var> p : pairs) {
      VarOrRVar r = p.getKey();
      if (r instanceof RVar rv && rv.rdom() != domain) {
        throw e.error("the RVar " + rv.name() + " is not in the reduction domain " + domain.name() + " of " + func.stageName(index));
      }
      int i = e.find(r.name());
      if (!schedule().dims().get(i).isRVar()) throw e.error(r.name() + " is a pure loop of " + func.stageName(index) + ", not a reduction variable");
      String v = p.getValue().name();
      if (used.contains(v)) {
        throw e.error("the Var " + v + " is already used by " + func.name() + " (its pure Vars and the loops of " + func.stageName(index)
            + " are " + String.join(", ", used) + ")");
      }
      if (!newVars.add(v)) throw e.error("the Var " + v + " is given twice");
      irPairs.add(new RFactor.Pair(r.name(), v));
    }
    String intermediate = func.nextRFactorName();
    List<RFactor> rfactors = new ArrayList<>(schedule().rfactors());
    rfactors.add(new RFactor(intermediate, irPairs));
    func.setStageSchedule(index, schedule().withRFactors(rfactors));
    return intermediate;
  }

  /** Performs this update with atomic read-modify-writes, which lets its reduction loops run in parallel. */
  public Stage atomic() {
    return atomic(false);
  }

  /** {@link #atomic()}; {@code overrideAssociativityTest} skips the proof that the update is associative. */
  public Stage atomic(boolean overrideAssociativityTest) {
    String op = "atomic(" + overrideAssociativityTest + ")";
    func.requireDefined(op);
    if (index == 0) {
      throw new LoopEditor(func, index, op).error("atomic() applies to update definitions; the pure definition of "
          + func.name() + " has no read-modify-write");
    }
    func.setStageSchedule(index, schedule().withAtomic(true, overrideAssociativityTest));
    return this;
  }

  @Override
  public String toString() {
    return func.stageName(index);
  }
}
