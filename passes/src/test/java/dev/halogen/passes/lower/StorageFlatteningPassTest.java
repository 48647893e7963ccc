package dev.halogen.passes.lower;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.halogen.ir.IrVerifier;
import dev.halogen.ir.LoweredModule;
import dev.halogen.ir.text.IrParser;
import dev.halogen.ir.text.IrPrinter;
import dev.halogen.passes.IrProperty;
import dev.halogen.passes.IrUnit;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class StorageFlatteningPassTest {
  static List<String> cases() {
    return GoldenCases.names(StorageFlatteningPass.NAME);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void goldenCase(String name) {
    LoweredModule out = GoldenCases.check(StorageFlatteningPass.NAME, name, StorageFlatteningPass::flatten);
    IrVerifier.verify(out, true);
  }

  @Test
  void theGoldenDirectoryHoldsTheCases() {
    assertEquals(List.of("compute_at_2d", "image_nonzero_min", "tuple", "update_reads_itself", "zero_dim_and_vector"), cases());
  }

  @Test
  void contract() {
    StorageFlatteningPass pass = new StorageFlatteningPass();
    PassUnits.assertContract(pass, "storage-flattening",
        Set.of(IrProperty.LOOPS_BUILT, IrProperty.BOUNDS_INFERRED),
        Set.of(IrProperty.STORAGE_FLATTENED),
        Set.of(IrProperty.SIMPLIFIED, IrProperty.CSE_APPLIED));
  }

  @Test
  void aModuleWithoutStorageToFlattenIsReturnedAsIs() {
    LoweredModule flat = IrParser.parseModule("""
        module out

        entry out(in in: int32 [1], out out: int32 [1]) {
          for (out.s0.x, out.min.0, out.extent.0) {
            out[out.s0.x - out.min.0] = in[out.s0.x - in.min.0] + 1
          }
        }
        """);
    assertSame(flat, StorageFlatteningPass.flatten(flat));
    IrUnit.Loops unit = new IrUnit.Loops(flat, IrParser.parsePipeline("""
        pipeline outputs(out)
        image in: int32 [1]

        func out(x): int32 {
          out(x) = in(x) + 1
        }
        """));
    assertSame(unit, new StorageFlatteningPass().run(unit));
  }

  @Test
  void theLetsOfATupleProvideAvoidNamesTheBodyUses() {
    // pair.0.value is already a variable of the body: the value's let takes the next fresh name.
    LoweredModule m = IrParser.parseModule("""
        module pair

        entry pair(pair.0.value: int32, out pair.0: int32 [0], out pair.1: int32 [0]) {
          func pair: (int32, int32)
          pair() = {pair()[1] + pair.0.value, pair()[0]}
        }
        """);
    String text = IrPrinter.print(StorageFlatteningPass.flatten(m));
    assertTrue(text.contains("""
          let pair.0.value$1 = pair.1[0] + pair.0.value
          let pair.1.value = pair.0[0]
          pair.0[0] = pair.0.value$1
          pair.1[0] = pair.1.value
        """), text);
  }

  @Test
  void anAccessToAFuncWithoutStorageFailsNamingIt() {
    LoweredModule m = IrParser.parseModule("""
        module out

        entry out(out out: int32 [1]) {
          func g: int32
          for (out.s0.x, out.min.0, out.extent.0) {
            out(out.s0.x) = g(out.s0.x)
          }
        }
        """);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StorageFlatteningPass.flatten(m));
    assertEquals("storage-flattening: call to Func g in entry point out, which is neither realized around it nor an"
        + " output buffer argument", e.getMessage());
  }
}
