package dev.halogen.passes.lower;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
    return GoldenModules.tests(PartitionLoopsPass.NAME, PartitionLoopsPass::partition);
  }

  @Test
  void contract() {
    assertEquals("partition-loops", pass.name());
    assertEquals(Set.of(IrProperty.LOOPS_BUILT), pass.requires());
    assertEquals(Set.of(IrProperty.LOOPS_PARTITIONED), pass.establishes());
    assertEquals(Set.of(IrProperty.SIMPLIFIED, IrProperty.CSE_APPLIED), pass.invalidates());
  }

  @Test
  void aModuleWithNothingToPartitionIsTheSameUnit() {
    IrUnit.Loops in = PassUnits.loops(GoldenModules.golden(PartitionLoopsPass.NAME, "left-alone"));
    assertSame(in, pass.run(in));
  }

  @Test
  void aLoopWhoseConditionsAllWentIsNotPartitionedAgain() {
    IrUnit.Loops in = PassUnits.loops(GoldenModules.golden(PartitionLoopsPass.NAME, "whole-range"));
    IrUnit once = pass.run(in);
    assertNotSame(in, once);
    assertSame(once, pass.run(once));
  }
}
