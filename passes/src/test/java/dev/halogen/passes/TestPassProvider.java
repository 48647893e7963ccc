package dev.halogen.passes;

import java.util.List;

/**
 * Registered in {@code META-INF/services/dev.halogen.passes.PassProvider} of the test resources,
 * as an out-of-tree provider would be: strips {@code + 0} right after verification, and puts a
 * pass that changes nothing before it.
 */
public final class TestPassProvider implements PassProvider {
  @Override
  public List<Insertion> insertions() {
    return List.of(
        Insertion.after(VerifyGraphPass.NAME, TestPasses.strip()),
        Insertion.before(VerifyGraphPass.NAME, TestPasses.doNothing()));
  }
}
