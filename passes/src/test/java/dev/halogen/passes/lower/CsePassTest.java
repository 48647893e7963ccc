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

class CsePassTest {
  private final CsePass pass = new CsePass();

  @TestFactory
  Stream<DynamicTest> golden() {
    return GoldenCases.tests(CsePass.NAME, CsePass::cse);
  }

  @Test
  void contract() {
    PassUnits.assertContract(pass, "cse", Set.of(IrProperty.LOOPS_BUILT), Set.of(IrProperty.CSE_APPLIED), Set.of());
  }

  @Test
  void aModuleWithoutRepeatsIsTheSameUnit() {
    IrUnit.Loops in = PassUnits.loops(GoldenCases.input(CsePass.NAME, "no-repeats"));
    assertSame(in, pass.run(in));
  }

  @Test
  void theResultIsAFixedPoint() {
    for (String name : new String[] {"provide-shares-coordinates", "expression-level", "stores-and-loads"}) {
      IrUnit.Loops in = PassUnits.loops(GoldenCases.input(CsePass.NAME, name));
      IrUnit once = pass.run(in);
      assertNotSame(in, once, name);
      assertSame(once, pass.run(once), name);
    }
  }
}
