package dev.halogen.passes;

import dev.halogen.ir.LoweredModule;
import java.util.Set;

/**
 * A pass on loop nests that rewrites the module and passes the source pipeline on: {@link #run}
 * takes the unit as loop nests (failing with a message naming the pass for the function graph) and
 * returns the same unit when {@link #transform} returns the same module.
 */
public abstract class LoopsPass extends BasePass {
  /** See {@link BasePass#BasePass}. */
  protected LoopsPass(String name, String summary, Set<IrProperty> requires, Set<IrProperty> establishes,
      Set<IrProperty> invalidates) {
    super(name, summary, requires, establishes, invalidates);
  }

  /**
   * The new module of {@code loops}; {@code loops.module()} itself when nothing changes (the pass
   * contract). {@code loops.source()} is the pipeline the loops were built from.
   */
  protected abstract LoweredModule transform(IrUnit.Loops loops);

  @Override
  public final IrUnit run(IrUnit in) {
    IrUnit.Loops loops = in.asLoops(name());
    return loops.withModule(transform(loops));
  }
}
