package dev.halogen.ir;

import dev.halogen.ir.Expr.*;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;

/** Small, general questions about IR trees, answered with {@link IrWalker}. */
public final class IrQueries {
  private IrQueries() {}

  // ------------------------------------------------------------------ variables

  /**
   * The names of the variables of {@code e} that are not bound inside it (by a {@link Let}), in
   * order of first occurrence.
   */
  public static Set<String> freeVars(Expr e) {
    FreeVars w = new FreeVars();
    w.walk(e);
    return w.names;
  }

  /** The names of the variables of {@code s} not bound inside it by a let or a loop, in order of first occurrence. */
  public static Set<String> freeVars(Stmt s) {
    FreeVars w = new FreeVars();
    w.walk(s);
    return w.names;
  }

  private static final class FreeVars extends IrWalker {
    final Set<String> names = new LinkedHashSet<>();

    @Override
    protected void visit(Expr e, Scope scope, Path path) {
      if (e instanceof Var v && !scope.contains(v.name())) names.add(v.name());
    }
  }

  /**
   * Every variable name occurring in {@code e}, free or bound, and every name bound by a let in it;
   * a fresh name must avoid all of them.
   */
  public static Set<String> allVarNames(Expr e) {
    AllNames w = new AllNames();
    w.walk(e);
    return w.names;
  }

  /** As {@link #allVarNames(Expr)}, including let and loop names bound in {@code s}. */
  public static Set<String> allVarNames(Stmt s) {
    AllNames w = new AllNames();
    w.walk(s);
    return w.names;
  }

  private static final class AllNames extends IrWalker {
    final Set<String> names = new LinkedHashSet<>();

    @Override
    protected void visit(Expr e, Scope scope, Path path) {
      if (e instanceof Var v) names.add(v.name());
      if (e instanceof Let l) names.add(l.name());
    }

    @Override
    protected void enter(Stmt s, Scope scope, Path path) {
      if (s instanceof Stmt.LetStmt l) names.add(l.name());
      if (s instanceof Stmt.For f) names.add(f.name());
    }
  }

  /** A new name derived from {@code base}: the first of {@code base$1}, {@code base$2}, ... not in {@code taken}. */
  public static String freshName(String base, Set<String> taken) {
    for (int k = 1; ; k++) {
      String n = base + "$" + k;
      if (!taken.contains(n)) return n;
    }
  }

  // ------------------------------------------------------------------ calls

  /** The names called by the {@code kind} calls of {@code e} (Funcs for FUNC, images for IMAGE), in order of first call. */
  public static Set<String> calls(Expr e, CallKind kind) {
    Calls w = new Calls(kind);
    w.walk(e);
    return w.names;
  }

  /** As {@link #calls(Expr, CallKind)} for every expression of {@code s}. */
  public static Set<String> calls(Stmt s, CallKind kind) {
    Calls w = new Calls(kind);
    w.walk(s);
    return w.names;
  }

  /** As {@link #calls(Expr, CallKind)} for every expression of every definition of {@code f} (its own name included when an update reads it). */
  public static Set<String> calls(Function f, CallKind kind) {
    Calls w = new Calls(kind);
    for (int i = 0; i < f.stageCount(); i++) {
      for (Expr e : exprs(f.stage(i))) w.walk(e);
    }
    return w.names;
  }

  private static final class Calls extends IrWalker {
    final Set<String> names = new LinkedHashSet<>();
    final CallKind kind;

    Calls(CallKind kind) {
      this.kind = kind;
    }

    @Override
    protected void visit(Expr e, Scope scope, Path path) {
      if (e instanceof Call c && c.kind() == kind) names.add(c.name());
    }
  }

  /**
   * Every expression a definition holds at its top level: the arguments, the values, then each
   * reduction variable's min and extent and the predicate.
   */
  public static List<Expr> exprs(Definition d) {
    List<Expr> out = new ArrayList<>(d.args());
    out.addAll(d.values());
    if (d.domain() != null) {
      for (ReductionDomain.ReductionVariable v : d.domain().variables()) {
        out.add(v.min());
        out.add(v.extent());
      }
      out.add(d.domain().predicate());
    }
    return out;
  }

  // ------------------------------------------------------------------ constants
  // These look at one or two node kinds only, so they test with instanceof rather than a switch
  // that would need a default branch.

  /**
   * Whether {@code e} is a numeric or bool constant: an {@link IntImm}, {@link UIntImm} or {@link
   * FloatImm}, or a {@link Broadcast} of one (a string is not a constant in this sense).
   */
  public static boolean isConst(Expr e) {
    if (e instanceof Broadcast b) return isConst(b.value());
    return e instanceof IntImm || e instanceof UIntImm || e instanceof FloatImm;
  }

  /** Whether {@code e} is a constant (as in {@link #isConst(Expr)}) whose value equals {@code value}. */
  public static boolean isConst(Expr e, long value) {
    if (e instanceof Broadcast b) return isConst(b.value(), value);
    if (e instanceof FloatImm f) return f.value() == (double) value;
    if (e instanceof UIntImm u && u.type().isBool()) return u.value() == value;
    OptionalLong v = asConstInt(e);
    return v.isPresent() && v.getAsLong() == value;
  }

  /**
   * The value of an integer constant: an {@link IntImm}, a non-bool {@link UIntImm} whose value
   * fits in a signed long (uint64 values of 2^63 and more do not), or a {@link Broadcast} of one,
   * as Halide's {@code as_const_int}.
   */
  public static OptionalLong asConstInt(Expr e) {
    if (e instanceof Broadcast b) return asConstInt(b.value());
    if (e instanceof IntImm i) return OptionalLong.of(i.value());
    if (e instanceof UIntImm u && !u.type().isBool() && u.value() >= 0) return OptionalLong.of(u.value());
    return OptionalLong.empty();
  }

  /** The value of a {@link FloatImm} or a {@link Broadcast} of one. */
  public static OptionalDouble asConstFloat(Expr e) {
    if (e instanceof Broadcast b) return asConstFloat(b.value());
    if (e instanceof FloatImm f) return OptionalDouble.of(f.value());
    return OptionalDouble.empty();
  }
}
