package dev.halogen.ir;

import java.util.List;

/** Thrown when IR breaks an invariant of its level; the message lists every problem with where it is. */
public final class IrVerificationException extends RuntimeException {
  private final List<IrVerifier.Problem> problems;

  public IrVerificationException(List<IrVerifier.Problem> problems) {
    super(message(problems));
    if (problems.isEmpty()) throw new IllegalArgumentException("IrVerificationException needs at least one problem");
    this.problems = List.copyOf(problems);
  }

  /** The problems, in the order the verifier found them. */
  public List<IrVerifier.Problem> problems() {
    return problems;
  }

  private static String message(List<IrVerifier.Problem> problems) {
    StringBuilder sb = new StringBuilder("the IR has ").append(problems.size())
        .append(problems.size() == 1 ? " problem:" : " problems:");
    for (IrVerifier.Problem p : problems) sb.append("\n  ").append(p);
    return sb.toString();
  }
}
