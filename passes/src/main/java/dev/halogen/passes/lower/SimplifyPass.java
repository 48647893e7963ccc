package dev.halogen.passes.lower;

import dev.halogen.ir.LoweredModule;
import dev.halogen.ir.LoweredModule.Argument;
import dev.halogen.ir.LoweredModule.ArgumentKind;
import dev.halogen.ir.LoweredModule.EntryPoint;
import dev.halogen.ir.Parameter;
import dev.halogen.ir.Stmt;
import dev.halogen.passes.IrProperty;
import dev.halogen.passes.IrUnit;
import dev.halogen.passes.LoopsPass;
import dev.halogen.passes.analysis.Scope;
import dev.halogen.passes.analysis.Simplifier;
import java.util.Set;

/**
 * {@code simplify}: runs the {@link Simplifier} over the body of every entry point of a module of
 * loop nests, in either form (before or after storage flattening), and establishes {@link
 * IrProperty#SIMPLIFIED}.
 *
 * <p>The simplifier knows what the calling convention guarantees of every buffer argument and
 * constant: its extents are never negative ({@link dev.halogen.ir.Buffer} rejects negative extents),
 * so {@code max(b.extent.0, 0)} is {@code b.extent.0}. It knows nothing else about the arguments.
 *
 * <p>A body the simplifier leaves as it is keeps its instance, and a module none of whose bodies
 * changed is returned as it is (the pass contract).
 */
public final class SimplifyPass extends LoopsPass {
  public static final String NAME = "simplify";

  public SimplifyPass() {
    super(NAME, "simplify every expression and statement of the loop nests (constant folding, canonical forms, dead code)",
        Set.of(IrProperty.LOOPS_BUILT), // requires
        Set.of(IrProperty.SIMPLIFIED), // establishes
        Set.of(IrProperty.CSE_APPLIED)); // invalidates: rewritten expressions can have new repeated parts
  }

  @Override
  protected LoweredModule transform(IrUnit.Loops loops) {
    return simplify(loops.module());
  }

  /** {@code m} with every entry point's body simplified; {@code m} itself when nothing changed. */
  public static LoweredModule simplify(LoweredModule m) {
    return m.withBodies(ep -> simplifyBody(ep, facts(m, ep)));
  }

  private static Stmt simplifyBody(EntryPoint ep, Scope facts) {
    Stmt body = ep.body();
    Stmt out = Simplifier.simplify(body, facts);
    // The simplifier returns its input for a result equal to it; the check keeps the contract if it
    // ever builds an equal copy.
    return out == body || out.equals(body) ? body : out;
  }

  /** What the calling convention says of the buffers of {@code ep}: every extent is at least 0. */
  private static Scope facts(LoweredModule m, EntryPoint ep) {
    Scope s = Scope.empty();
    for (Argument a : ep.arguments()) {
      if (a.kind() != ArgumentKind.SCALAR) s = nonNegativeExtents(s, a.name(), a.dimensions());
    }
    for (Parameter.Constant c : m.constants()) s = nonNegativeExtents(s, c.name(), c.buffer().dimensions());
    return s;
  }

  private static Scope nonNegativeExtents(Scope s, String buffer, int dimensions) {
    Scope out = s;
    for (int d = 0; d < dimensions; d++) out = out.withMin(LoweredModule.extentVar(buffer, d).name(), 0);
    return out;
  }
}
