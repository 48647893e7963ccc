package dev.halogen;

/**
 * A pure variable: an argument of a Func, and a loop of its schedule. Two Vars with the same name
 * are the same variable. Its IR form is an {@code int32} {@link dev.halogen.ir.Expr.Var}.
 */
public final class Var implements ExprLike, VarOrRVar, Ref {
  /**
   * Halide's placeholder {@code _}: in a call {@code f.at(x, Var.IMPLICIT)} it stands for as many
   * implicit variables {@code _0, _1, ...} as the Func has dimensions left; on the left of a pure
   * definition it receives the implicit variables the right side uses.
   */
  public static final Var IMPLICIT = new Var("_", true);

  private final String name;

  public Var(String name) {
    this.name = Names.checkUser(name, "Var");
  }

  /** A Var with a generated name. */
  public Var() {
    this.name = Names.fresh("v");
  }

  /** For names the front end makes ({@code _}, {@code _0}); the flag only tells it apart from {@link #Var(String)}. */
  private Var(String name, boolean trusted) {
    this.name = name;
  }

  /** The implicit variable {@code _i} that placeholders expand to. */
  public static Var implicit(int i) {
    if (i < 0) throw new IllegalArgumentException("implicit variable index must be >= 0, got " + i);
    return new Var("_" + i, true);
  }

  @Override
  public String name() {
    return name;
  }

  /** Whether this is the placeholder {@link #IMPLICIT}. */
  public boolean isPlaceholder() {
    return this == IMPLICIT;
  }

  /** Whether this is an implicit variable {@code _0, _1, ...}. */
  public boolean isImplicit() {
    return Names.isImplicit(name);
  }

  @Override
  public dev.halogen.ir.Expr ir() {
    return dev.halogen.ir.Expr.Var.of(name);
  }

  @Override
  public dev.halogen.ir.Type type() {
    return ir().type();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Var v && v.name.equals(name);
  }

  @Override
  public int hashCode() {
    return name.hashCode();
  }

  @Override
  public String toString() {
    return name;
  }
}
