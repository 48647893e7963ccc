package dev.halogen.passes;

import static dev.halogen.passes.TestPasses.pass;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PassInsertionTest {
  private static Pass named(String name) {
    return pass(name, Set.of(), Set.of(), Set.of(), in -> in);
  }

  @Test
  void insertBeforeAndAfterANamedPass() {
    PassManager pm = PassManager.of(List.of(named("a"), named("b"), named("c")));
    assertEquals(List.of("a", "x", "b", "c"), pm.insertBefore("b", named("x")).passNames());
    assertEquals(List.of("a", "b", "x", "c"), pm.insertAfter("b", named("x")).passNames());
    assertEquals(List.of("a", "b", "c", "x"), pm.insertAfter("c", named("x")).passNames());
    assertEquals(List.of("x", "a", "b", "c"), pm.insertBefore("a", named("x")).passNames());
    // The manager itself is unchanged.
    assertEquals(List.of("a", "b", "c"), pm.passNames());
  }

  @Test
  void theFirstPassOfARepeatedNameIsTheAnchor() {
    PassManager pm = PassManager.builder()
        .addAll(List.of(named("simplify"), named("flatten"), named("simplify")))
        .insertAfter("simplify", named("x"))
        .insertBefore("simplify", named("y"))
        .build();
    assertEquals(List.of("y", "simplify", "x", "flatten", "simplify"), pm.passNames());
  }

  @Test
  void anUnknownAnchorIsAnErrorListingThePasses() {
    PassManager pm = PassManager.of(List.of(new VerifyGraphPass(), TestPasses.strip()));
    UnknownPassException e = assertThrows(UnknownPassException.class, () -> pm.insertAfter("simplify", named("x")));
    assertEquals("no pass named 'simplify' to insert 'x' after; the passes are: verify-graph, strip-add-zero",
        e.getMessage());
    assertEquals("simplify", e.name());
    assertEquals(List.of("verify-graph", "strip-add-zero"), e.known());
    e = assertThrows(UnknownPassException.class, () -> PassManager.builder().insertBefore("a", named("x")));
    assertEquals("no pass named 'a' to insert 'x' before; there are no passes", e.getMessage());
  }

  @Test
  void anInsertionThatBreaksTheOrderIsRejected() {
    PassManager pm = PassManager.of(List.of(new VerifyGraphPass(), TestPasses.strip()));
    PassOrderException e = assertThrows(PassOrderException.class,
        () -> pm.insertBefore("strip-add-zero", TestPasses.rename("g", "h", true)));
    assertEquals(List.of("pass 3 'strip-add-zero' requires GRAPH_VERIFIED, which pass 2 'rename-func' invalidates"
        + " after pass 1 'verify-graph' established it; to restore it, run pass 1 'verify-graph' again after"
        + " pass 2 'rename-func'"), e.problems());
  }

  @Test
  void providersOnTheClassPathAreDiscoveredWithServiceLoader() {
    // TestPassProvider is listed in src/test/resources/META-INF/services.
    PassManager pm = PassManager.builder().add(new VerifyGraphPass()).discover().build();
    assertEquals(List.of("do-nothing", "verify-graph", "strip-add-zero"), pm.passNames());
    assertEquals(IrUnit.of(TestPasses.pipeline(TestPasses.STRIPPED)),
        pm.run(TestPasses.pipeline(TestPasses.PIPELINE)).result());
  }

  /** Inserts a-pass after verify-graph. */
  static final class AProvider implements PassProvider {
    @Override
    public List<Insertion> insertions() {
      return List.of(Insertion.after(VerifyGraphPass.NAME, named("a-pass")));
    }
  }

  /** Inserts b-pass after verify-graph, and c-pass before a-pass (which AProvider inserted). */
  static final class BProvider implements PassProvider {
    @Override
    public List<Insertion> insertions() {
      return List.of(Insertion.after(VerifyGraphPass.NAME, named("b-pass")), Insertion.before("a-pass", named("c-pass")));
    }
  }

  @Test
  void providersApplyInClassNameOrderWhateverOrderTheyAreFoundIn() {
    List<String> expected = List.of("verify-graph", "b-pass", "c-pass", "a-pass");
    assertEquals(expected, PassManager.builder().add(new VerifyGraphPass())
        .discover(List.of(new BProvider(), new AProvider())).build().passNames());
    assertEquals(expected, PassManager.builder().add(new VerifyGraphPass())
        .discover(List.of(new AProvider(), new BProvider())).build().passNames());
  }

  @Test
  void aProviderWithAnUnknownAnchorIsNamedInTheError() {
    UnknownPassException e = assertThrows(UnknownPassException.class,
        () -> PassManager.builder().add(new VerifyGraphPass()).discover(List.of(new BProvider())));
    assertEquals("pass provider " + BProvider.class.getName() + ": no pass named 'a-pass' to insert 'c-pass' before;"
        + " the passes are: verify-graph, b-pass", e.getMessage());
  }
}
