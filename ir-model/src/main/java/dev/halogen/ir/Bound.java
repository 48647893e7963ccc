package dev.halogen.ir;

/** A user-given region {@code [min, min + extent)} for pure variable {@code var} of a Func (a bound or an estimate). */
public record Bound(String var, Expr min, Expr extent) {
  public Bound {
    Check.name(var, "Bound variable");
    Check.notNull(min, "Bound min");
    Check.notNull(extent, "Bound extent");
  }
}
