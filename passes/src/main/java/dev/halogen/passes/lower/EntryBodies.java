package dev.halogen.passes.lower;

import dev.halogen.ir.LoweredModule;
import dev.halogen.ir.LoweredModule.EntryPoint;
import dev.halogen.ir.Stmt;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Rewriting the bodies of a module's entry points, keeping the module's identity when no body changes. */
final class EntryBodies {
  private EntryBodies() {}

  /**
   * {@code m} with each entry point's body replaced by {@code f} of the entry point; {@code m} itself
   * when {@code f} returns every body unchanged (the same instance), as the pass contract asks.
   */
  static LoweredModule map(LoweredModule m, Function<EntryPoint, Stmt> f) {
    List<EntryPoint> out = new ArrayList<>(m.entryPoints().size());
    boolean changed = false;
    for (EntryPoint ep : m.entryPoints()) {
      Stmt body = f.apply(ep);
      changed |= body != ep.body();
      out.add(body == ep.body() ? ep : new EntryPoint(ep.name(), ep.arguments(), body));
    }
    return changed ? new LoweredModule(m.name(), out, m.constants()) : m;
  }
}
