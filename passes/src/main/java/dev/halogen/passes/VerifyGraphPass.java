package dev.halogen.passes;

import dev.halogen.ir.IrVerifier;
import java.util.Set;

/**
 * {@code verify-graph}: checks the function graph with {@link IrVerifier#verify(dev.halogen.ir.Pipeline)}
 * and establishes {@link IrProperty#GRAPH_VERIFIED}. Never changes the unit; an invalid graph
 * fails the pass with the verifier's {@link dev.halogen.ir.IrVerificationException}, which lists
 * every problem.
 */
public final class VerifyGraphPass implements Pass {
  public static final String NAME = "verify-graph";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String summary() {
    return "check the invariants of the function graph (every variable bound, calls match their Funcs, schedules name real loops)";
  }

  @Override
  public Set<IrProperty> requires() {
    return Set.of(IrProperty.FUNCTION_GRAPH);
  }

  @Override
  public Set<IrProperty> establishes() {
    return Set.of(IrProperty.GRAPH_VERIFIED);
  }

  @Override
  public Set<IrProperty> invalidates() {
    return Set.of();
  }

  @Override
  public IrUnit run(IrUnit in) {
    IrVerifier.verify(in.asGraph(NAME).pipeline());
    return in;
  }
}
