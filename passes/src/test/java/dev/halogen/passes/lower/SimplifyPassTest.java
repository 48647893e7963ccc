package dev.halogen.passes.lower;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.halogen.passes.IrProperty;
import dev.halogen.passes.IrUnit;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class SimplifyPassTest {
  private final SimplifyPass pass = new SimplifyPass();

  @TestFactory
  Stream<DynamicTest> golden() {
    return GoldenCases.tests(SimplifyPass.NAME, SimplifyPass::simplify);
  }

  @Test
  void contract() {
    PassUnits.assertContract(pass, "simplify",
        Set.of(IrProperty.LOOPS_BUILT),
        Set.of(IrProperty.SIMPLIFIED),
        Set.of(IrProperty.CSE_APPLIED));
  }

  @Test
  void anUnchangedModuleIsTheSameUnit() {
    IrUnit.Loops in = PassUnits.loops(GoldenCases.input(SimplifyPass.NAME, "already-simple"));
    assertSame(in, pass.run(in));
  }

  @Test
  void aChangedModuleKeepsItsSourcePipeline() {
    IrUnit.Loops in = PassUnits.loops(GoldenCases.input(SimplifyPass.NAME, "fold-and-dead-code"));
    IrUnit.Loops out = (IrUnit.Loops) pass.run(in);
    assertNotSame(in.module(), out.module());
    assertSame(in.source(), out.source());
    // Simplifying again finds nothing more.
    assertSame(out, pass.run(out));
  }

  @Test
  void theFunctionGraphIsRejectedNamingThePass() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pass.run(IrUnit.of(PassUnits.SOURCE)));
    assertEquals("pass 'simplify' works on loop nests (LOOPS_BUILT), but got the function graph (FUNCTION_GRAPH)", e.getMessage());
  }
}
