package dev.halogen.passes;

import static dev.halogen.passes.TestPasses.pass;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PassRegistryTest {
  @Test
  void passesAreFoundByName() {
    Pass verify = new VerifyGraphPass();
    Pass strip = TestPasses.strip();
    Pass rename = TestPasses.rename("g", "h", true);
    PassRegistry r = PassRegistry.of(List.of(verify, strip, rename));
    assertEquals(List.of("rename-func", "strip-add-zero", "verify-graph"), r.names());
    assertSame(strip, r.get("strip-add-zero"));
    assertEquals(List.of(verify, rename, verify), r.get(List.of("verify-graph", "rename-func", "verify-graph")));
    assertTrue(r.contains("rename-func"));
  }

  @Test
  void anUnknownNameIsAnErrorListingTheKnownOnes() {
    PassRegistry r = PassRegistry.of(List.of(new VerifyGraphPass(), TestPasses.strip()));
    UnknownPassException e = assertThrows(UnknownPassException.class, () -> r.get("simplfy"));
    assertEquals("unknown pass 'simplfy'; the passes are: strip-add-zero, verify-graph", e.getMessage());
    assertThrows(UnknownPassException.class, () -> r.get(List.of("verify-graph", "nope")));
  }

  @Test
  void oneNameIsOneTransformation() {
    Pass first = TestPasses.strip();
    PassRegistry r = PassRegistry.of(List.of(first, TestPasses.strip()));
    assertSame(first, r.get("strip-add-zero"));
    Pass impostor = new BasePass("strip-add-zero", "something else under the same name", Set.of(), Set.of(), Set.of()) {
      @Override
      public IrUnit run(IrUnit in) {
        return in;
      }
    };
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.with(impostor));
    assertEquals("two passes are named 'strip-add-zero': " + TestPasses.FnPass.class.getName() + " and "
        + impostor.getClass().getName(), e.getMessage());
    assertEquals(List.of("do-nothing", "strip-add-zero"), r.with(TestPasses.doNothing()).names());
    assertEquals(List.of("strip-add-zero"), r.names());
  }

  @Test
  void invalidNamesAreRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PassRegistry.of(List.of(pass("Bad Name", Set.of(), Set.of(), Set.of(), in -> in))));
    assertTrue(e.getMessage().contains("'Bad Name', which is not kebab-case"), e.getMessage());
  }

  @Test
  void theStandardRegistryHasTheLoweringPassesAndDiscoveredOnes() {
    // The passes of LoweringPipeline, and do-nothing and strip-add-zero from TestPassProvider, by name.
    java.util.TreeSet<String> expected = new java.util.TreeSet<>(List.of("do-nothing", "strip-add-zero"));
    LoweringPipeline.passes().forEach(p -> expected.add(p.name()));
    assertEquals(List.copyOf(expected), PassRegistry.standard().names());
    assertTrue(expected.contains("schedule-functions"));
  }
}
