package dev.halogen.backend.interp;

import dev.halogen.ir.Buffer;
import dev.halogen.ir.Definition;
import dev.halogen.ir.FuncSchedule;
import dev.halogen.ir.Function;
import dev.halogen.ir.LoopLevel;
import dev.halogen.ir.LoweredModule;
import dev.halogen.ir.LoweredModule.Argument;
import dev.halogen.ir.Pipeline;
import dev.halogen.ir.StageSchedule;
import dev.halogen.ir.Type;
import dev.halogen.passes.Backends;
import dev.halogen.passes.HalogenRuntimeException;
import dev.halogen.passes.Instrumentation;
import dev.halogen.passes.IrUnit;
import dev.halogen.passes.Pass;
import dev.halogen.passes.Target;
import dev.halogen.passes.lower.ScheduleFunctionsPass;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    Outcome expected = run(before);
    Outcome actual = run(after);
    checked.add(pass.name());
    if (expected.failure() != null || actual.failure() != null) {
      if (expected.failure() == null || actual.failure() == null) {
        throw new AssertionError("before the pass the run " + describe(expected) + ", after it the run " + describe(actual));
      }
      return;
    }
    for (String name : expected.outputs().keySet()) {
      Buffer want = expected.outputs().get(name);
      Buffer got = actual.outputs().get(name);
      if (!java.util.Arrays.equals(want.toLittleEndianBytes(), got.toLittleEndianBytes())) {
        // Report the first differing element by its coordinates (floats by bits: NaN payloads and -0 count).
        List<String> diffs = new ArrayList<>();
        want.forEachCoordinate(c -> {
          if (diffs.isEmpty() && !bits(want, c).equals(bits(got, c))) {
            diffs.add("output " + name + " differs at " + java.util.Arrays.toString(c) + ": " + want.getAsDouble(c)
                + " before the pass, " + got.getAsDouble(c) + " after it");
          }
        });
        throw new AssertionError(diffs.isEmpty() ? "output " + name + " differs" : diffs.getFirst());
      }
    }
  }

  private static String describe(Outcome o) {
    return o.failure() == null ? "succeeded" : "failed with: " + o.failure();
  }

  /** The raw bits of element {@code i}: floats compare by bits so that NaN equals the same NaN and -0 differs from 0. */
  private static Long bits(Buffer b, int[] c) {
    Type t = b.type();
    if (t.isFloat() && t.bits() == 64) return Double.doubleToRawLongBits(b.getDouble(c));
    if (t.isFloat() && t.bits() == 32) return (long) Float.floatToRawIntBits(b.getFloat(c));
    if (t.isFloat()) return Double.doubleToRawLongBits(b.getAsDouble(c));
    return b.getAsLong(c);
  }

  /** The outputs of one run, or its failure message. */
  private record Outcome(Map<String, Buffer> outputs, String failure) {}

  private Outcome run(IrUnit unit) {
    LoweredModule m = switch (unit) {
      case IrUnit.Graph g -> ScheduleFunctionsPass.lower(referenceSchedule(g.pipeline()));
      case IrUnit.Loops l -> l.module();
    };
    Map<String, Object> args = new LinkedHashMap<>(scalars);
    args.putAll(inputs);
    Map<String, Buffer> outputs = new TreeMap<>();
    for (Argument a : m.entryPoints().getFirst().arguments()) {
      if (a.kind() != LoweredModule.ArgumentKind.OUTPUT_BUFFER) continue;
      int[] extents = outputExtents.get(a.name());
      if (extents == null) throw new IllegalArgumentException("no extents given for output " + a.name());
      Buffer b = Buffer.allocate(a.type(), extents);
      fillRandom(b, seed);
      outputs.put(a.name(), b);
      args.put(a.name(), b);
    }
    try {
      Backends.find("interp").compile(m, Target.of("interp")).run(m.entryPoints().getFirst().name(), args);
    } catch (HalogenRuntimeException e) {
      return new Outcome(Map.of(), e.getMessage());
    }
    return new Outcome(outputs, null);
  }

  /** Fills {@code b} with pseudo-random bits from {@code seed} (0 or 1 for booleans). */
  static void fillRandom(Buffer b, long seed) {
    java.util.Random r = new java.util.Random(seed);
    if (b.type().isBool()) {
      b.forEachCoordinate(c -> b.setBool(r.nextBoolean(), c));
      return;
    }
    byte[] bytes = new byte[Math.toIntExact(b.segment().byteSize())];
    r.nextBytes(bytes);
    b.segment().copyFrom(java.lang.foreign.MemorySegment.ofArray(bytes));
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
