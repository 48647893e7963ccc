package dev.halogen.ir;

/** One step of a stage's loop transformations, applied in order. */
public sealed interface Split {
  /** Replaces loop {@code old} by {@code outer} and {@code inner}: {@code old = outer * factor + inner}, {@code 0 <= inner < factor}. */
  record SplitVar(String old, String outer, String inner, Expr factor, TailStrategy tail) implements Split {
    public SplitVar {
      Check.name(old, "Split variable");
      Check.name(outer, "Split outer variable");
      Check.name(inner, "Split inner variable");
      Check.notNull(factor, "Split factor");
      Check.notNull(tail, "Split tail strategy");
      if (!factor.type().equals(Type.I32)) throw new IllegalArgumentException("Split factor must be int32, got " + factor.type());
    }
  }

  /** Replaces loops {@code inner} and {@code outer} (adjacent, {@code inner} innermost) by one loop {@code fused}. */
  record FuseVars(String inner, String outer, String fused) implements Split {
    public FuseVars {
      Check.name(inner, "Fuse inner variable");
      Check.name(outer, "Fuse outer variable");
      Check.name(fused, "Fuse variable");
    }
  }

  /** Renames loop {@code old} to {@code renamed}. */
  record RenameVar(String old, String renamed) implements Split {
    public RenameVar {
      Check.name(old, "Rename variable");
      Check.name(renamed, "Rename new variable");
    }
  }
}
