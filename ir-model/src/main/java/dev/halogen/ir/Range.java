package dev.halogen.ir;

/** A half-open integer range {@code [min, min + extent)}, given by its min and extent. */
public record Range(Expr min, Expr extent) {
  public Range {
    Check.notNull(min, "Range min");
    Check.notNull(extent, "Range extent");
  }
}
