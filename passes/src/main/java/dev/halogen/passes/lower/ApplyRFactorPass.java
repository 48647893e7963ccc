package dev.halogen.passes.lower;

import dev.halogen.ir.Function;
import dev.halogen.ir.Pipeline;
import dev.halogen.ir.RFactor;
import dev.halogen.passes.BasePass;
import dev.halogen.passes.IrProperty;
import dev.halogen.passes.IrUnit;
import java.util.List;
import java.util.Set;

/**
 * {@code apply-rfactor}: applies every rfactor request recorded in the stages' schedules ({@link
 * dev.halogen.ir.StageSchedule#rfactors()}) with {@link RFactorTransform}, so that lowering sees
 * ordinary Funcs: each factored update becomes a merge of partial results, and each intermediate a
 * new Func computed at the root with the default loops of its definitions. Several requests on one
 * update apply in order, each to the update the previous one left (its merge). Returns its input
 * when there is no request.
 */
public final class ApplyRFactorPass extends BasePass {
  public static final String NAME = "apply-rfactor";

  public ApplyRFactorPass() {
    super(NAME, "apply the rfactor requests of update schedules: intermediate Funcs of partial results and merging updates",
        Set.of(IrProperty.FUNCTION_GRAPH, IrProperty.GRAPH_VERIFIED), // requires
        Set.of(), // establishes
        Set.of()); // invalidates
  }

  @Override
  public IrUnit run(IrUnit in) {
    IrUnit.Graph g = in.asGraph(NAME);
    return g.withPipeline(applyAll(g.pipeline()));
  }

  /**
   * {@code p} with every rfactor request applied; {@code p} itself when there is none.
   *
   * @throws ScheduleException naming the Func and update whose request cannot be applied
   */
  public static Pipeline applyAll(Pipeline p) {
    Pipeline q = p;
    for (String name : List.copyOf(p.functions().keySet())) {
      for (int stage = 1; stage < p.function(name).stageCount(); stage++) {
        while (true) {
          Function f = q.function(name);
          List<RFactor> requests = f.stage(stage).schedule().rfactors();
          if (requests.isEmpty()) break;
          q = RFactorTransform.apply(q, name, stage, requests.getFirst());
        }
      }
    }
    return q;
  }
}
