package dev.halogen.passes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.halogen.ir.IrVerificationException;
import dev.halogen.ir.Pipeline;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoweringPipelineTest {
  @Test
  void theDefaultListVerifiesTheGraphBuildsLoopsAndLowersThem() {
    assertEquals(List.of("verify-graph", "apply-rfactor", "check-schedule", "schedule-functions", "add-image-checks",
        "simplify", "storage-flattening", "unroll-loops", "vectorize-loops", "simplify", "partition-loops", "simplify",
        "cse"), LoweringPipeline.passes().stream().map(Pass::name).toList());
    // Every pass has a valid name and summary, and the order is valid.
    PassRegistry.of(LoweringPipeline.passes());
    PassManager pm = LoweringPipeline.manager(Instrumentation.forTests());
    IrUnit.Graph in = IrUnit.of(TestPasses.pipeline(TestPasses.PIPELINE));
    PassRun r = pm.run(in);
    IrUnit.Loops loops = assertInstanceOf(IrUnit.Loops.class, r.result());
    assertSame(in.pipeline(), loops.source());
    assertEquals(Set.of(IrProperty.LOOPS_BUILT, IrProperty.BOUNDS_INFERRED, IrProperty.GRAPH_VERIFIED,
        IrProperty.INPUTS_CHECKED, IrProperty.STORAGE_FLATTENED, IrProperty.UNROLLED, IrProperty.VECTORIZED,
        IrProperty.SIMPLIFIED, IrProperty.LOOPS_PARTITIONED, IrProperty.CSE_APPLIED), r.properties());
  }

  @Test
  void verifyGraphRejectsAnInvalidGraphListingItsProblems(@TempDir Path replays) {
    Pipeline broken = TestPasses.rename(TestPasses.pipeline(TestPasses.PIPELINE), "g", "h", false);
    PassManager pm = LoweringPipeline.manager(Instrumentation.defaults().toBuilder().replayDirectory(replays).build());
    PassFailedException e = assertThrows(PassFailedException.class, () -> pm.run(broken));
    assertEquals("verify-graph", e.passName());
    IrVerificationException cause = assertInstanceOf(IrVerificationException.class, e.getCause());
    assertEquals("Func out, pure definition, value 0: calls g, which is not a Func of the pipeline",
        cause.problems().getFirst().toString());
  }
}
