package dev.halogen.passes.lower;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.halogen.passes.IrProperty;
import dev.halogen.passes.IrUnit;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class PartitionLoopsPassTest {
  private final PartitionLoopsPass pass = new PartitionLoopsPass();

  @TestFactory
  Stream<DynamicTest> golden() {
    return GoldenCases.tests(PartitionLoopsPass.NAME, PartitionLoopsPass::partition);
  }

  @Test
  void contract() {
    PassUnits.assertContract(pass, "partition-loops",
        Set.of(IrProperty.LOOPS_BUILT),
        Set.of(IrProperty.LOOPS_PARTITIONED),
        Set.of(IrProperty.SIMPLIFIED, IrProperty.CSE_APPLIED));
  }

  @Test
  void aModuleWithNothingToPartitionIsTheSameUnit() {
    IrUnit.Loops in = PassUnits.loops(GoldenCases.input(PartitionLoopsPass.NAME, "left-alone"));
    assertSame(in, pass.run(in));
  }

  @Test
  void aLoopWhoseConditionsAllWentIsNotPartitionedAgain() {
    IrUnit.Loops in = PassUnits.loops(GoldenCases.input(PartitionLoopsPass.NAME, "whole-range"));
    IrUnit once = pass.run(in);
    assertNotSame(in, once);
    assertSame(once, pass.run(once));
  }
}
