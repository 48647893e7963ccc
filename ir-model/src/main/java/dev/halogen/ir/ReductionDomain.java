package dev.halogen.ir;

import java.util.List;

/**
 * A reduction domain: a box of integer points (one {@link ReductionVariable} per dimension, the
 * first innermost) restricted by {@code predicate}. An update iterates it in lexicographic order,
 * first variable fastest.
 */
public record ReductionDomain(String name, List<ReductionVariable> variables, Expr predicate) {
  /** One dimension of a reduction domain: {@code name} takes the values {@code min .. min + extent - 1}. */
  public record ReductionVariable(String name, Expr min, Expr extent) {
    public ReductionVariable {
      Check.name(name, "ReductionVariable");
      Check.notNull(min, "ReductionVariable min");
      Check.notNull(extent, "ReductionVariable extent");
    }

    public Expr.Var var() {
      return Expr.Var.of(name);
    }
  }

  public ReductionDomain {
    Check.name(name, "ReductionDomain");
    variables = Check.list(variables, "ReductionDomain variable");
    if (variables.isEmpty()) throw new IllegalArgumentException("ReductionDomain " + name + " has no variables");
    Check.notNull(predicate, "ReductionDomain predicate");
    Check.bool(predicate, "ReductionDomain predicate");
  }

  public ReductionDomain withPredicate(Expr newPredicate) {
    return new ReductionDomain(name, variables, newPredicate);
  }
}
