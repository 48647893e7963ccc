package dev.halogen.passes;

import dev.halogen.ir.IrVerifier;
import java.util.Set;

/**
 * {@code verify-graph}: checks the function graph with {@link IrVerifier#verify(dev.halogen.ir.Pipeline)}
 * and establishes {@link IrProperty#GRAPH_VERIFIED}. Never changes the unit; an invalid graph
 * fails the pass with the verifier's {@link dev.halogen.ir.IrVerificationException}, which lists
 * every problem.
 */
public final class VerifyGraphPass extends BasePass {
  public static final String NAME = "verify-graph";

  public VerifyGraphPass() {
    super(NAME, "check the invariants of the function graph (every variable bound, calls match their Funcs, schedules name real loops)",
        Set.of(IrProperty.FUNCTION_GRAPH), // requires
        Set.of(IrProperty.GRAPH_VERIFIED), // establishes
        Set.of()); // invalidates
  }

  @Override
  public IrUnit run(IrUnit in) {
    IrVerifier.verify(in.asGraph(NAME).pipeline());
    return in;
  }
}
