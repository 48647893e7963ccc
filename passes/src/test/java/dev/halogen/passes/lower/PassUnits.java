package dev.halogen.passes.lower;

import dev.halogen.ir.LoweredModule;
import dev.halogen.ir.Pipeline;
import dev.halogen.ir.text.IrParser;
import dev.halogen.passes.IrUnit;

/** Loop-nest units for tests of passes that only look at the module, not at the source pipeline it came from. */
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
}
