package dev.halogen.ir;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Guards the round-trip tests: every node of every sealed IR hierarchy must have a sample. */
class IrSamplesTest {
  @Test
  void everySealedIrNodeHasASample() {
    Set<Class<?>> used = IrSamples.classesUsed();
    List<String> missing = new ArrayList<>();
    for (Class<?> root : List.of(Expr.class, Stmt.class, LoopLevel.class, Split.class, Parameter.class)) {
      for (Class<?> leaf : IrNodes.nodeClasses(root)) if (!used.contains(leaf)) missing.add(leaf.getName());
    }
    for (Class<?> record : List.of(Function.class, Definition.class, ReductionDomain.class,
        ReductionDomain.ReductionVariable.class, FuncSchedule.class, StageSchedule.class, Dim.class, Bound.class,
        RFactor.class, RFactor.Pair.class, Range.class, LoweredModule.class, LoweredModule.EntryPoint.class,
        LoweredModule.Argument.class, Buffer.class)) {
      if (!used.contains(record)) missing.add(record.getName());
    }
    assertTrue(missing.isEmpty(), "IR classes without a sample in IrSamples: " + missing);
  }
}
