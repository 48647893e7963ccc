package dev.halogen;

import dev.halogen.ir.Expr.CallKind;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code f.at(args)}: a call to a Func, usable as an expression ({@link #ir()}; {@link #get} for one
 * value of a Tuple-valued Func), and the left-hand side of a definition ({@link #set} and the
 * compound assignments such as {@link #plusAssign}).
 *
 * <p>{@code set} makes the pure definition when the Func has none yet (its arguments must then be
 * distinct pure {@link Var}s), else an update (Halide's rule). The compound assignments first give
 * an undefined Func the pure definition {@code 0} (for {@code +=}, {@code -=}) or {@code 1} (for
 * {@code *=}, {@code /=}) of the value's type, as Halide does.
 */
public final class FuncRef implements ExprLike {
  private final Func func;
  private final List<ExprLike> args;

  FuncRef(Func func, List<ExprLike> args) {
    this.func = func;
    this.args = List.copyOf(args);
  }

  public Func func() {
    return func;
  }

  /** The arguments as given (the placeholder not yet expanded). */
  public List<ExprLike> args() {
    return args;
  }

  /** How many values the Func has (1 unless it is Tuple-valued). */
  public int size() {
    return func.outputTypes().size();
  }

  /** The call as one value; an error for a Tuple-valued Func. */
  Expr call() {
    requireDefined();
    if (func.outputTypes().size() != 1) {
      throw new HalogenException.DefinitionException("Func " + func.name() + " returns a Tuple of " + func.outputTypes().size()
          + " values; use get(i) to read one of them");
    }
    return get(0);
  }

  @Override
  public dev.halogen.ir.Expr ir() {
    return call().ir();
  }

  @Override
  public dev.halogen.ir.Type type() {
    return ir().type();
  }

  /** Value {@code i} of the Func at these arguments. */
  public Expr get(int i) {
    requireDefined();
    int n = func.outputTypes().size();
    if (i < 0 || i >= n) {
      throw new IndexOutOfBoundsException("Func " + func.name() + " has " + n + " value" + (n == 1 ? "" : "s")
          + "; there is no value " + i);
    }
    String callee = "Func " + func.name();
    return CallArgs.call(func, callee, func.outputTypes().get(i), func.name(), CallKind.FUNC, i,
        CallArgs.expand(callee, func.dimensions(), args));
  }

  /** Same as {@link #get}. */
  public Expr value(int i) {
    return get(i);
  }

  /** Every value, in order. */
  public Tuple tuple() {
    List<ExprLike> values = new ArrayList<>();
    for (int i = 0; i < size(); i++) values.add(get(i));
    return Tuple.of(values);
  }

  private void requireDefined() {
    if (!func.defined()) {
      throw new HalogenException.DefinitionException("Func " + func.name() + " is called before it has a definition");
    }
  }

  // ------------------------------------------------------------------ definitions

  /** {@code f(args) = value}; a call to a Tuple-valued Func defines all its values. */
  public Stage set(ExprLike value) {
    return Definitions.assign(this, Definitions.values(value));
  }

  public Stage set(int value) {
    return set(Expr.of(value));
  }

  public Stage set(float value) {
    return set(Expr.of(value));
  }

  public Stage set(double value) {
    return set(Expr.of(value));
  }

  /** {@code f(args) = Tuple(values)}. */
  public Stage set(Tuple values) {
    return Definitions.assign(this, values.elements());
  }

  /** {@code f(args) = Tuple(values)}. */
  public Stage set(ExprLike... values) {
    return set(Tuple.of(values));
  }

  /** {@code f(args) += value}. */
  public Stage plusAssign(ExprLike value) {
    return Definitions.compound(this, Ops.Binary.ADD, Definitions.values(value));
  }

  public Stage plusAssign(int value) {
    return plusAssign(Expr.of(value));
  }

  public Stage plusAssign(float value) {
    return plusAssign(Expr.of(value));
  }

  public Stage plusAssign(double value) {
    return plusAssign(Expr.of(value));
  }

  public Stage plusAssign(Tuple values) {
    return Definitions.compound(this, Ops.Binary.ADD, values.elements());
  }

  /** {@code f(args) -= value}. */
  public Stage minusAssign(ExprLike value) {
    return Definitions.compound(this, Ops.Binary.SUB, Definitions.values(value));
  }

  public Stage minusAssign(int value) {
    return minusAssign(Expr.of(value));
  }

  public Stage minusAssign(float value) {
    return minusAssign(Expr.of(value));
  }

  public Stage minusAssign(double value) {
    return minusAssign(Expr.of(value));
  }

  public Stage minusAssign(Tuple values) {
    return Definitions.compound(this, Ops.Binary.SUB, values.elements());
  }

  /** {@code f(args) *= value}. */
  public Stage timesAssign(ExprLike value) {
    return Definitions.compound(this, Ops.Binary.MUL, Definitions.values(value));
  }

  public Stage timesAssign(int value) {
    return timesAssign(Expr.of(value));
  }

  public Stage timesAssign(float value) {
    return timesAssign(Expr.of(value));
  }

  public Stage timesAssign(double value) {
    return timesAssign(Expr.of(value));
  }

  public Stage timesAssign(Tuple values) {
    return Definitions.compound(this, Ops.Binary.MUL, values.elements());
  }

  /** {@code f(args) /= value}. */
  public Stage divAssign(ExprLike value) {
    return Definitions.compound(this, Ops.Binary.DIV, Definitions.values(value));
  }

  public Stage divAssign(int value) {
    return divAssign(Expr.of(value));
  }

  public Stage divAssign(float value) {
    return divAssign(Expr.of(value));
  }

  public Stage divAssign(double value) {
    return divAssign(Expr.of(value));
  }

  public Stage divAssign(Tuple values) {
    return Definitions.compound(this, Ops.Binary.DIV, values.elements());
  }

  @Override
  public String toString() {
    return func.name() + args;
  }
}
