package dev.halogen.ir;

/** Where a Func is computed or stored: inlined into its consumers, at the root, or inside a loop of another stage. */
public sealed interface LoopLevel {
  /**
   * Computed wherever it is used, by substitution (the default). For a Func that cannot be
   * substituted (it has update definitions) this means, as in Halide, computed at the innermost
   * loop where it is used; an output is always computed at the root.
   */
  record Inlined() implements LoopLevel {}

  /** Computed once for the whole region its consumers need, outside every loop. */
  record Root() implements LoopLevel {}

  /**
   * Inside the loop over {@code var} of stage {@code stage} of Func {@code func} (stage 0 is the pure
   * definition, stage {@code i} update {@code i - 1}).
   */
  record At(String func, int stage, String var) implements LoopLevel {
    public At {
      Check.name(func, "LoopLevel function");
      Check.name(var, "LoopLevel variable");
      if (stage < 0) throw new IllegalArgumentException("LoopLevel stage must be >= 0, got " + stage);
    }
  }

  LoopLevel INLINED = new Inlined();
  LoopLevel ROOT = new Root();
}
