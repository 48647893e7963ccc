package dev.halogen;

/**
 * A variable of a reduction domain: dimension {@link #index()} of {@link #rdom()}, named {@code
 * r.x}, {@code r.y}, {@code r.z}, {@code r.w}, then {@code r.4}, {@code r.5}, ...
 */
public final class RVar implements ExprLike, VarOrRVar {
  private final RDom rdom;
  private final int index;
  private final String name;

  RVar(RDom rdom, int index, String name) {
    this.rdom = rdom;
    this.index = index;
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  public RDom rdom() {
    return rdom;
  }

  public int index() {
    return index;
  }

  /** The first value this variable takes. */
  public Expr min() {
    return new Expr(rdom.range(index).min(), rdom.boundRefs());
  }

  /** How many values this variable takes. */
  public Expr extent() {
    return new Expr(rdom.range(index).extent(), rdom.boundRefs());
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
  public String toString() {
    return name;
  }
}
