package dev.halogen.passes;

import java.util.List;

/**
 * A pass list whose order breaks the passes' contracts: a pass requires a property that no earlier
 * pass establishes (or that one invalidates in between), or a pass leaves the unit in no form or
 * in two. Thrown before anything runs; the message has one line per problem.
 */
public final class PassOrderException extends IllegalArgumentException {
  private final List<String> problems;

  PassOrderException(List<String> problems) {
    super("the pass order is invalid (" + problems.size() + (problems.size() == 1 ? " problem" : " problems") + "):\n  "
        + String.join("\n  ", problems));
    this.problems = List.copyOf(problems);
  }

  /** One sentence per problem, in pass order. */
  public List<String> problems() {
    return problems;
  }
}
