package dev.halogen;

/** A loop variable of a schedule: a pure {@link Var} or a reduction variable {@link RVar}. */
public sealed interface VarOrRVar permits Var, RVar {
  String name();
}
