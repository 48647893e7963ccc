package dev.halogen.passes;

import static dev.halogen.passes.IrProperty.BOUNDS_INFERRED;
import static dev.halogen.passes.IrProperty.FUNCTION_GRAPH;
import static dev.halogen.passes.IrProperty.GRAPH_VERIFIED;
import static dev.halogen.passes.IrProperty.LOOPS_BUILT;
import static dev.halogen.passes.TestPasses.pass;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PassOrderTest {
  @Test
  void aValidOrderBuildsAndRunsTrackingProperties() {
    PassManager pm = PassManager.of(List.of(new VerifyGraphPass(), TestPasses.strip(), TestPasses.rename("g", "h", true)));
    assertEquals(List.of("verify-graph", "strip-add-zero", "rename-func"), pm.passNames());
    PassRun run = pm.run(TestPasses.pipeline(TestPasses.PIPELINE));
    assertEquals(IrUnit.of(TestPasses.pipeline(TestPasses.RENAMED)), run.result());
    // rename-func invalidates GRAPH_VERIFIED, which verify-graph established.
    assertEquals(Set.of(FUNCTION_GRAPH), run.properties());
  }

  @Test
  void aRequirementThatOnlyALaterPassEstablishesIsRejectedBeforeAnythingRuns() {
    AtomicInteger runs = new AtomicInteger();
    Pass counting = pass("count-runs", Set.of(), Set.of(), Set.of(), in -> {
      runs.incrementAndGet();
      return in;
    });
    PassOrderException e = assertThrows(PassOrderException.class,
        () -> PassManager.of(List.of(counting, TestPasses.strip(), new VerifyGraphPass())));
    assertEquals(List.of("pass 2 'strip-add-zero' requires GRAPH_VERIFIED, which no earlier pass establishes;"
        + " pass 3 'verify-graph' establishes it, so it must run earlier"), e.problems());
    assertEquals("the pass order is invalid (1 problem):\n  " + e.problems().getFirst(), e.getMessage());
    assertEquals(0, runs.get());
  }

  @Test
  void aRequirementNoPassEstablishesSaysSo() {
    Pass needsBounds = pass("needs-bounds", Set.of(BOUNDS_INFERRED), Set.of(), Set.of(), in -> in);
    PassOrderException e = assertThrows(PassOrderException.class, () -> PassManager.of(List.of(needsBounds)));
    assertEquals(List.of("pass 1 'needs-bounds' requires BOUNDS_INFERRED, which no earlier pass establishes;"
        + " no pass in the list establishes it"), e.problems());
  }

  @Test
  void anInvalidatedRequirementNamesTheInvalidatingAndEstablishingPasses() {
    PassOrderException e = assertThrows(PassOrderException.class, () -> PassManager.of(
        List.of(new VerifyGraphPass(), TestPasses.rename("g", "h", true), TestPasses.strip())));
    assertEquals(List.of("pass 3 'strip-add-zero' requires GRAPH_VERIFIED, which pass 2 'rename-func' invalidates"
        + " after pass 1 'verify-graph' established it; to restore it, run pass 1 'verify-graph' again after"
        + " pass 2 'rename-func'"), e.problems());
    // Doing what the message says fixes the order.
    PassManager fixed = PassManager.of(List.of(new VerifyGraphPass(), TestPasses.rename("g", "h", true),
        new VerifyGraphPass(), TestPasses.strip()));
    assertEquals(IrUnit.of(TestPasses.pipeline(TestPasses.RENAMED)),
        fixed.run(TestPasses.pipeline(TestPasses.PIPELINE)).result());
  }

  @Test
  void anInitialPropertyCanBeInvalidatedToo() {
    PassOrderException e = assertThrows(PassOrderException.class, () -> PassManager.builder()
        .initialProperties(Set.of(FUNCTION_GRAPH, GRAPH_VERIFIED))
        .add(TestPasses.strip())
        .add(TestPasses.rename("g", "h", true))
        .add(TestPasses.strip())
        .build());
    assertEquals(List.of("pass 3 'strip-add-zero' requires GRAPH_VERIFIED, which pass 2 'rename-func' invalidates"
        + " after the initial properties had it; no pass in the list establishes it"), e.problems());
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    Pass needsBounds = pass("needs-bounds", Set.of(BOUNDS_INFERRED), Set.of(), Set.of(), in -> in);
    PassOrderException e = assertThrows(PassOrderException.class,
        () -> PassManager.of(List.of(TestPasses.strip(), needsBounds)));
    assertEquals(2, e.problems().size());
    assertTrue(e.getMessage().startsWith("the pass order is invalid (2 problems):\n  pass 1 'strip-add-zero'"),
        e.getMessage());
    assertTrue(e.problems().get(1).startsWith("pass 2 'needs-bounds' requires BOUNDS_INFERRED"), e.problems().get(1));
  }

  @Test
  void aGraphPassAfterLoweringIsRejected() {
    PassOrderException e = assertThrows(PassOrderException.class,
        () -> PassManager.of(List.of(TestPasses.toLoops(), new VerifyGraphPass())));
    assertEquals(List.of("pass 2 'verify-graph' requires FUNCTION_GRAPH, which pass 1 'to-loops' invalidates after"
        + " the initial properties had it; no pass in the list establishes it"), e.problems());
  }

  @Test
  void aPassMustLeaveExactlyOneForm() {
    Pass twoForms = pass("half-lower", Set.of(FUNCTION_GRAPH), Set.of(LOOPS_BUILT), Set.of(), in -> in);
    PassOrderException e = assertThrows(PassOrderException.class, () -> PassManager.of(List.of(twoForms)));
    assertEquals(List.of("pass 1 'half-lower' leaves the unit with the form properties [FUNCTION_GRAPH, LOOPS_BUILT];"
        + " a pass that changes the form establishes the new form property and invalidates the old one"), e.problems());

    Pass noForm = pass("drop-form", Set.of(), Set.of(), Set.of(FUNCTION_GRAPH), in -> in);
    e = assertThrows(PassOrderException.class, () -> PassManager.of(List.of(noForm)));
    assertTrue(e.problems().getFirst().startsWith("pass 1 'drop-form' leaves the unit with no form property"),
        e.getMessage());
  }

  @Test
  void theInitialPropertiesNeedExactlyOneForm() {
    PassOrderException e = assertThrows(PassOrderException.class,
        () -> PassManager.builder().initialProperties(Set.of(GRAPH_VERIFIED)).build());
    assertEquals(List.of("the initial properties [GRAPH_VERIFIED] must hold exactly one form property"
        + " (FUNCTION_GRAPH or LOOPS_BUILT)"), e.problems());
  }

  @Test
  void passNamesMustBeKebabCaseAndSummariesOneLine() {
    for (String bad : List.of("RenameFunc", "rename_func", "rename--func", "-rename", "rename-", "9lives", "")) {
      Pass p = pass(bad, Set.of(), Set.of(), Set.of(), in -> in);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PassManager.of(List.of(p)));
      assertTrue(e.getMessage().contains("has name '" + bad + "', which is not kebab-case"), e.getMessage());
    }
    for (String good : List.of("verify-graph", "cse", "pass2", "x86-64-lowering")) {
      assertEquals(List.of(good), PassManager.of(List.of(pass(good, Set.of(), Set.of(), Set.of(), in -> in))).passNames());
    }
    Pass twoLines = new TestPasses.FnPass("two-lines", "first\nsecond", Set.of(), Set.of(), Set.of(), in -> in);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PassManager.of(List.of(twoLines)));
    assertTrue(e.getMessage().contains("'two-lines' needs a one-line summary"), e.getMessage());
  }
}
