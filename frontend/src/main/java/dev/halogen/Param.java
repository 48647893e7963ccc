package dev.halogen;

import dev.halogen.ir.Parameter;
import dev.halogen.ir.Type;
import org.jspecify.annotations.Nullable;

/**
 * A scalar parameter of a pipeline, read as a variable of its name and type ({@code gain}). It may
 * have a default value; {@link #set} gives it the value a later run uses.
 */
public final class Param implements ExprLike, Ref {
  private final String name;
  private final Type type;
  private final dev.halogen.ir.@Nullable Expr defaultValue;
  private dev.halogen.ir.@Nullable Expr value;

  public Param(String name, Type type) {
    this.name = Names.checkUser(name, "Param");
    this.type = checkType(name, type);
    this.defaultValue = null;
  }

  /** A parameter with a default value (a whole number that fits when {@code type} is an integer type). */
  public Param(String name, Type type, double defaultValue) {
    this.name = Names.checkUser(name, "Param");
    this.type = checkType(name, type);
    this.defaultValue = constant(defaultValue);
  }

  public Param(String name, Type type, long defaultValue) {
    this.name = Names.checkUser(name, "Param");
    this.type = checkType(name, type);
    this.defaultValue = constant(defaultValue);
  }

  public Param(String name, Type type, boolean defaultValue) {
    this.name = Names.checkUser(name, "Param");
    this.type = checkType(name, type);
    this.defaultValue = constant(defaultValue);
  }

  private static Type checkType(String name, Type type) {
    if (type.isVector()) throw new IllegalArgumentException("Param " + name + " must have a scalar type, got " + type);
    return type;
  }

  private dev.halogen.ir.Expr constant(double v) {
    try {
      return Coercion.constant(type, v);
    } catch (HalogenException e) {
      throw new HalogenException.TypeException("Param " + name + ": " + e.getMessage());
    }
  }

  private dev.halogen.ir.Expr constant(long v) {
    if (type.isBool() || type.isHandle() || (type.isIntOrUInt() && !type.canRepresent(v))) {
      throw new HalogenException.TypeException("Param " + name + ": the value " + v + " is not a value of type " + type);
    }
    return Coercion.constant(type, v);
  }

  private dev.halogen.ir.Expr constant(boolean v) {
    if (!type.isBool()) throw new HalogenException.TypeException("Param " + name + " of type " + type + " cannot hold a bool");
    return Coercion.constant(type, v ? 1 : 0);
  }

  public String name() {
    return name;
  }

  @Override
  public Type type() {
    return type;
  }

  public dev.halogen.ir.@Nullable Expr defaultValue() {
    return defaultValue;
  }

  /** The value a run uses: the one {@link #set} gave, else the default (null when there is neither). */
  public dev.halogen.ir.@Nullable Expr value() {
    return value != null ? value : defaultValue;
  }

  public Param set(double v) {
    value = constant(v);
    return this;
  }

  public Param set(long v) {
    value = constant(v);
    return this;
  }

  public Param set(boolean v) {
    value = constant(v);
    return this;
  }

  @Override
  public dev.halogen.ir.Expr ir() {
    return new dev.halogen.ir.Expr.Var(type, name);
  }

  Parameter.Scalar toIr() {
    return new Parameter.Scalar(name, type, defaultValue);
  }

  @Override
  public String toString() {
    return name;
  }
}
