package dev.halogen.passes.lower;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.halogen.ir.LoweredModule;
import dev.halogen.ir.Pipeline;
import dev.halogen.ir.Stmt;
import dev.halogen.ir.text.IrParser;
import dev.halogen.passes.IrProperty;
import dev.halogen.passes.IrUnit;
import dev.halogen.passes.analysis.FuncValueBounds;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class AddImageChecksPassTest {
  private final AddImageChecksPass pass = new AddImageChecksPass();

  @TestFactory
  Stream<DynamicTest> golden() {
    return GoldenCases.tests(AddImageChecksPass.NAME, m -> AddImageChecksPass.addChecks(m, FuncValueBounds.empty()));
  }

  @Test
  void contract() {
    PassUnits.assertContract(pass, "add-image-checks",
        Set.of(IrProperty.LOOPS_BUILT, IrProperty.BOUNDS_INFERRED),
        Set.of(IrProperty.INPUTS_CHECKED),
        Set.of(IrProperty.SIMPLIFIED, IrProperty.CSE_APPLIED));
  }

  @Test
  void anUnboundedCoordinateFailsNamingTheBufferAndDimension() {
    LoweredModule m = IrParser.parseModule("""
        module out

        entry out(in in: int32 [2], out out: int32 [1]) {
          produce out {
            for (out.s0.x, out.min.0, out.extent.0) {
              out(out.s0.x) = in(out.s0.x, in(out.s0.x, 0))
            }
          }
        }
        """);
    ScheduleException e = assertThrows(ScheduleException.class, () -> AddImageChecksPass.addChecks(m, FuncValueBounds.empty()));
    assertEquals("Input buffer in is accessed at dimension 1 over an unbounded range ([-inf, +inf]); clamp the coordinates"
        + " or use a boundary condition", e.getMessage());
  }

  static final String LOOKUP = """
      pipeline outputs(out)
      image in: int32 [1]
      image lut: float32 [1]

      func g(x): int32 {
        g(x) = in(x) % 10
        compute_root store_root
      }

      func out(x): float32 {
        out(x) = lut(g(x))
      }
      """;

  @Test
  void theSourcePipelineBoundsDataDependentCoordinates() {
    Pipeline p = IrParser.parsePipeline(LOOKUP);
    LoweredModule loops = ScheduleFunctionsPass.lower(p);
    // g is in [0, 9] (a remainder by 10), so lut is read over [0, 9] ...
    IrUnit.Loops out = (IrUnit.Loops) pass.run(new IrUnit.Loops(loops, p));
    Stmt.Block body = assertInstanceOf(Stmt.Block.class, out.module().entryPoints().getFirst().body());
    List<String> messages = body.stmts().stream().filter(s -> s instanceof Stmt.AssertStmt)
        .map(s -> ((Stmt.AssertStmt) s).message()).toList();
    assertEquals(List.of("Input buffer in is accessed at dimension 0 over [{}, {}], but the buffer holds [{}, {}]",
        "Input buffer lut is accessed at dimension 0 over [{}, {}], but the buffer holds [{}, {}]",
        "Output buffer out is accessed at dimension 0 over [{}, {}], but the buffer holds [{}, {}]"), messages);
    Stmt.AssertStmt lut = (Stmt.AssertStmt) body.stmts().get(1);
    assertEquals(List.of("0", "9"), lut.args().subList(0, 2).stream().map(dev.halogen.ir.text.IrPrinter::print).toList());
    // ... while without the values of g nothing bounds the coordinate.
    ScheduleException e = assertThrows(ScheduleException.class, () -> AddImageChecksPass.addChecks(loops, FuncValueBounds.empty()));
    assertEquals("Input buffer lut is accessed at dimension 0 over an unbounded range ([-inf, +inf]); clamp the coordinates"
        + " or use a boundary condition", e.getMessage());
  }

  @Test
  void aRealizationOfAnOutputsNameHidesTheOutputBuffer() {
    LoweredModule m = IrParser.parseModule("""
        module out

        entry out(in in: int32 [1], out out: int32 [1]) {
          realize out: int32 [100, 4] {
            produce out {
              for (x, 100, 4) {
                out(x) = in(x - 100)
              }
            }
          }
          produce out {
            for (out.s0.x, out.min.0, out.extent.0) {
              out(out.s0.x) = 1
            }
          }
        }
        """);
    Stmt.Block body = (Stmt.Block) AddImageChecksPass.addChecks(m, FuncValueBounds.empty()).entryPoints().getFirst().body();
    Stmt.AssertStmt output = (Stmt.AssertStmt) body.stmts().get(1);
    assertTrue(output.message().startsWith("Output buffer out "), output.message());
    // Only the production outside the realization, not [100, 103], which goes to the realization.
    assertEquals(List.of("out.min.0", "out.extent.0 + out.min.0 - 1"),
        output.args().subList(0, 2).stream().map(dev.halogen.ir.text.IrPrinter::print).toList());
  }

  @Test
  void aFlattenedModuleIsRejected() {
    LoweredModule m = IrParser.parseModule("""
        module out

        entry out(in in: int32 [1], out out: int32 [1]) {
          for (x, 0, out.extent.0) {
            out[x] = in[x]
          }
        }
        """);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AddImageChecksPass.addChecks(m, FuncValueBounds.empty()));
    assertEquals("pass add-image-checks needs loop nests before storage flattening, but entry point out stores to out: run it"
        + " right after schedule-functions", e.getMessage());
  }
}
