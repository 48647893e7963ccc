package dev.halogen.passes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.halogen.ir.LoweredModule;
import dev.halogen.ir.Pipeline;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class IrUnitTest {
  private static final Pipeline PIPELINE = TestPasses.pipeline(TestPasses.PIPELINE);
  private static final LoweredModule MODULE = TestPasses.module(TestPasses.MODULE);

  @Test
  void theTextIsThePrinterTextOfTheCurrentForm() {
    assertEquals(TestPasses.PIPELINE, IrUnit.of(PIPELINE).text());
    // The source pipeline is context, not part of the loop form's text.
    assertEquals(TestPasses.MODULE, new IrUnit.Loops(MODULE, PIPELINE).text());
  }

  @Test
  void formsAndTheirProperties() {
    assertEquals(IrProperty.FUNCTION_GRAPH, IrUnit.of(PIPELINE).form());
    assertEquals(IrProperty.LOOPS_BUILT, new IrUnit.Loops(MODULE, PIPELINE).form());
    assertEquals(List.of(IrProperty.FUNCTION_GRAPH, IrProperty.LOOPS_BUILT),
        Arrays.stream(IrProperty.values()).filter(IrProperty::isForm).toList());
    assertEquals("loop nests (LOOPS_BUILT)", IrProperty.LOOPS_BUILT.describe());
    assertEquals("SIMPLIFIED", IrProperty.SIMPLIFIED.describe());
  }

  @Test
  void withKeepsTheInstanceWhenNothingChanged() {
    IrUnit.Graph g = IrUnit.of(PIPELINE);
    assertSame(g, g.withPipeline(PIPELINE));
    Pipeline other = TestPasses.pipeline(TestPasses.STRIPPED);
    assertEquals(other, g.withPipeline(other).pipeline());
    IrUnit.Loops l = new IrUnit.Loops(MODULE, PIPELINE);
    assertSame(l, l.withModule(MODULE));
    // An equal module that is another instance makes another unit: identity is the contract.
    IrUnit.Loops copy = l.withModule(TestPasses.module(TestPasses.MODULE));
    assertNotSame(l, copy);
    assertEquals(l, copy);
    assertSame(PIPELINE, copy.source());
  }

  @Test
  void asGraphAndAsLoopsReturnTheUnitOfTheRightForm() {
    IrUnit g = IrUnit.of(PIPELINE);
    IrUnit l = new IrUnit.Loops(MODULE, PIPELINE);
    assertSame(g, g.asGraph("p"));
    assertSame(l, l.asLoops("p"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> l.asGraph("p")).getMessage().contains("got loop nests"));
    assertFalse(assertThrows(IllegalArgumentException.class, () -> g.asLoops("p")).getMessage().isEmpty());
  }

  @Test
  void nullsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> IrUnit.of(null));
    assertThrows(IllegalArgumentException.class, () -> new IrUnit.Loops(MODULE, null));
    assertThrows(IllegalArgumentException.class, () -> new IrUnit.Loops(null, PIPELINE));
  }
}
