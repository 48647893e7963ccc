package dev.halogen.passes.lower;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.halogen.ir.LoweredModule;
import dev.halogen.ir.Pipeline;
import dev.halogen.ir.text.IrParser;
import dev.halogen.passes.IrProperty;
import dev.halogen.passes.IrUnit;
import dev.halogen.passes.Pass;
import java.util.Set;

/** Helpers of the tests of single passes: their contract, and loop-nest units for passes that only look at the module. */
final class PassUnits {
  private PassUnits() {}

  /** A stand-in for the source pipeline, which these passes do not read. */
  static final Pipeline SOURCE = IrParser.parsePipeline("""
      pipeline outputs(out)

      func out(x): int32 {
        out(x) = x
      }
      """);

  static IrUnit.Loops loops(LoweredModule m) {
    return new IrUnit.Loops(m, SOURCE);
  }

  /** Checks that {@code pass} is named {@code name}, has a valid name and summary, and the given properties. */
  static void assertContract(Pass pass, String name, Set<IrProperty> requires, Set<IrProperty> establishes,
      Set<IrProperty> invalidates) {
    assertSame(pass, Pass.checked(pass));
    assertEquals(name, pass.name());
    assertEquals(requires, pass.requires(), name + " requires");
    assertEquals(establishes, pass.establishes(), name + " establishes");
    assertEquals(invalidates, pass.invalidates(), name + " invalidates");
  }
}
