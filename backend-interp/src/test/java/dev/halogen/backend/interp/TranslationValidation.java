package dev.halogen.backend.interp;

import dev.halogen.ir.Buffer;
import dev.halogen.ir.Definition;
import dev.halogen.ir.FuncSchedule;
import dev.halogen.ir.Function;
import dev.halogen.ir.LoopLevel;
import dev.halogen.ir.LoweredModule;
import dev.halogen.ir.Pipeline;
import dev.halogen.ir.StageSchedule;
import dev.halogen.passes.Instrumentation;
import dev.halogen.passes.IrUnit;
import dev.halogen.passes.Pass;
import dev.halogen.passes.lower.ScheduleFunctionsPass;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Translation validation: an after-pass check that runs the IR before and after a pass on the
 * interpreter with the same arguments and demands bit-identical outputs (or a failure on both
 * sides).
 *
 * <p>Loop nests run as they are. A function graph has no loops to run, so its meaning is the loop
 * nest of its <em>reference schedule</em>: every Func without updates inline, every other Func
 * computed and stored at the root, every stage in its default loop order with no splits, rfactors,
 * bounds or atomics. That schedule is independent of the one the user wrote, so comparing it with
 * the output of {@code schedule-functions} checks the schedule's lowering itself.
 */
final class TranslationValidation implements Instrumentation.AfterPassCheck {
  private final Map<String, Object> scalars;
  private final Map<String, Buffer> inputs;
  private final Map<String, int[]> outputExtents;
  private final long seed;
  /** The names of the passes checked, in order. */
  final List<String> checked = new ArrayList<>();

  /**
   * @param scalars the value of each scalar parameter
   * @param inputs the buffer of each input image
   * @param outputExtents the extents of each output buffer (mins 0), by output argument name
   * @param seed what the output buffers are filled with before each run (so that an element one
   *     side writes and the other does not shows up)
   */
  TranslationValidation(Map<String, Object> scalars, Map<String, Buffer> inputs, Map<String, int[]> outputExtents, long seed) {
    this.scalars = scalars;
    this.inputs = inputs;
    this.outputExtents = outputExtents;
    this.seed = seed;
  }

  @Override
  public void check(Pass pass, IrUnit before, IrUnit after) {
    Interp.Outcome expected = run(before);
    Interp.Outcome actual = run(after);
    checked.add(pass.name());
    Interp.assertSameOutcome(expected, actual, () -> "");
  }

  private Interp.Outcome run(IrUnit unit) {
    LoweredModule m = switch (unit) {
      case IrUnit.Graph g -> ScheduleFunctionsPass.lower(referenceSchedule(g.pipeline()));
      case IrUnit.Loops l -> l.module();
    };
    Map<String, Object> args = new LinkedHashMap<>(scalars);
    args.putAll(inputs);
    Map<String, Buffer> outputs = Interp.buffers(m, LoweredModule.ArgumentKind.OUTPUT_BUFFER, a -> {
      int[] extents = outputExtents.get(a.name());
      if (extents == null) throw new IllegalArgumentException("no extents given for output " + a.name());
      Buffer b = Buffer.allocate(a.type(), extents);
      Interp.fillBits(b, new Random(seed));
      return b;
    });
    return Interp.outcome(m, args, outputs);
  }

  /** {@code p} with the reference schedule (see the class comment). */
  static Pipeline referenceSchedule(Pipeline p) {
    TreeMap<String, Function> funcs = new TreeMap<>();
    for (Function f : p.functions().values()) {
      boolean materialized = p.outputs().contains(f.name()) || !f.updates().isEmpty();
      FuncSchedule s = materialized
          ? FuncSchedule.INLINE.withComputeLevel(LoopLevel.ROOT).withStoreLevel(LoopLevel.ROOT)
          : FuncSchedule.INLINE;
      Function g = f.withSchedule(s);
      for (int i = 0; i < g.stageCount(); i++) {
        Definition d = g.stage(i);
        g = g.withStage(i, d.withSchedule(StageSchedule.defaultFor(g.args(), d.args(), d.domain())));
      }
      funcs.put(f.name(), g);
    }
    return new Pipeline(p.outputs(), funcs, p.parameters());
  }
}
