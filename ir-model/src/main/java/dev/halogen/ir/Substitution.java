package dev.halogen.ir;

import dev.halogen.ir.Expr.*;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Capture-avoiding substitution of variables, and replacement of calls (the basis of inlining).
 *
 * <p>Scoping: a variable bound by {@link Let}, {@link Stmt.LetStmt} or {@link Stmt.For} shadows
 * a substituted variable of the same name inside the binder's body (the value of a let and the
 * bounds of a loop are outside that scope and are substituted). No capture: when a replacement
 * mentions a variable {@code t} and is put inside the body of a binder of {@code t}, the binder is
 * renamed to a fresh name ({@code t$1}, {@code t$2}, ... avoiding every name of the body and of the
 * replacements) together with its uses, so the replacement's {@code t} still means the outer
 * {@code t}. A binder is renamed only when such a capture would actually happen, so a substitution
 * that changes nothing returns the input instance.
 */
public final class Substitution {
  private Substitution() {}

  /** {@code e} with the free occurrences of each variable named in {@code replacements} replaced. */
  public static Expr substitute(Expr e, Map<String, ? extends Expr> replacements) {
    return substituter(replacements).rewrite(e);
  }

  /** {@code s} with the free occurrences of each variable named in {@code replacements} replaced. */
  public static Stmt substitute(Stmt s, Map<String, ? extends Expr> replacements) {
    return substituter(replacements).rewrite(s);
  }

  public static Expr substitute(Expr e, String name, Expr replacement) {
    return substitute(e, Map.of(name, replacement));
  }

  public static Stmt substitute(Stmt s, String name, Expr replacement) {
    return substitute(s, Map.of(name, replacement));
  }

  /**
   * A rewriter replacing the free occurrences of the named variables, simultaneously (so {@code
   * {x: y, y: x}} swaps). It applies to every level, e.g. a {@link Definition} or a {@link
   * Pipeline}. Each replacement must have the type of the variable it replaces; a mismatch throws
   * {@link IllegalArgumentException} naming the variable.
   */
  public static IrRewriter substituter(Map<String, ? extends Expr> replacements) {
    return replacements.isEmpty() ? IDENTITY : new Substituter(new LinkedHashMap<>(replacements));
  }

  /** A rewriter that changes nothing and does not traverse. */
  private static final IrRewriter IDENTITY = new IrRewriter() {
    @Override
    public Expr rewrite(Expr e) {
      return e;
    }

    @Override
    public Stmt rewrite(Stmt s) {
      return s;
    }
  };

  private static final class Substituter extends IrRewriter {
    private final Map<String, Expr> map;
    /** For each replaced name, the free variables of its replacement (what a binder could capture). */
    private final Map<String, Set<String>> replacementFree;

    Substituter(Map<String, Expr> map) {
      this.map = map;
      this.replacementFree = new HashMap<>();
      for (Map.Entry<String, Expr> e : map.entrySet()) replacementFree.put(e.getKey(), IrQueries.freeVars(e.getValue()));
    }

    private Substituter(Map<String, Expr> map, Map<String, Set<String>> replacementFree) {
      this.map = map;
      this.replacementFree = replacementFree;
    }

    @Override
    public Expr rewrite(Expr e) {
      if (e instanceof Var v) {
        Expr r = map.get(v.name());
        if (r == null) return v;
        if (!r.type().equals(v.type())) {
          throw new IllegalArgumentException("substituting variable " + v.name() + " of type " + v.type()
              + " by an expression of type " + r.type());
        }
        return r;
      }
      return rewriteChildren(e);
    }

    @Override
    protected Binder enterScope(String name, Type type, Expr body) {
      return enter(name, type, () -> IrQueries.freeVars(body), () -> IrQueries.allVarNames(body));
    }

    @Override
    protected Binder enterScope(String name, Type type, Stmt body) {
      return enter(name, type, () -> IrQueries.freeVars(body), () -> IrQueries.allVarNames(body));
    }

    /**
     * Inside a binder of {@code name}: drop {@code name} from the substitution (it is shadowed), and
     * rename the binder when a replacement that mentions {@code name} would land in the body.
     */
    private Binder enter(String name, Type type, Supplier<Set<String>> bodyFree, Supplier<Set<String>> bodyNames) {
      boolean shadows = map.containsKey(name);
      boolean mayCapture = false;
      for (Map.Entry<String, Set<String>> e : replacementFree.entrySet()) {
        if (!e.getKey().equals(name) && e.getValue().contains(name)) mayCapture = true;
      }
      if (!shadows && !mayCapture) return new Binder(name, this);
      Map<String, Expr> inner = new LinkedHashMap<>(map);
      inner.remove(name);
      Map<String, Set<String>> innerFree = new HashMap<>(replacementFree);
      innerFree.remove(name);
      String newName = name;
      if (mayCapture && captures(name, inner, innerFree, bodyFree.get())) {
        Set<String> taken = new HashSet<>(bodyNames.get());
        taken.addAll(inner.keySet());
        for (Set<String> s : innerFree.values()) taken.addAll(s);
        newName = IrQueries.freshName(name, taken);
        inner.put(name, new Var(type, newName));
        innerFree.put(name, Set.of(newName));
      }
      return new Binder(newName, inner.isEmpty() ? IDENTITY : new Substituter(inner, innerFree));
    }

    /** Whether some variable free in the body will be replaced by an expression mentioning {@code name}. */
    private static boolean captures(String name, Map<String, Expr> inner, Map<String, Set<String>> innerFree,
        Set<String> bodyFree) {
      for (String v : bodyFree) {
        if (inner.containsKey(v) && innerFree.get(v).contains(name)) return true;
      }
      return false;
    }
  }

  // ------------------------------------------------------------------ calls

  /** Decides what replaces a call; null keeps the call. */
  @FunctionalInterface
  public interface CallReplacement {
    @Nullable Expr replace(Call call);
  }

  /**
   * A rewriter that replaces calls: each call, after its arguments have been rewritten (so nested
   * calls are replaced inside out), is given to {@code replacement}, and a non-null result takes its
   * place. The result is inserted as is: its variables mean whatever binds them at the call site;
   * {@link #inliner} is the capture-avoiding form for inlining a Func.
   */
  public static IrRewriter callReplacer(CallReplacement replacement) {
    return new IrRewriter() {
      @Override
      public Expr rewrite(Expr e) {
        Expr r = rewriteChildren(e);
        if (r instanceof Call c) {
          Expr with = replacement.replace(c);
          if (with != null) return with;
        }
        return r;
      }
    };
  }

  /**
   * A rewriter that inlines Func {@code f}: each {@code FUNC} call {@code f(a0, a1, ...)} with value
   * index {@code i} becomes value {@code i} of {@code f}'s pure definition with {@code f}'s pure
   * variables replaced by the {@code a}s. Binders around a call that have the name of a variable
   * {@code f}'s definition reads (a parameter) are renamed first so the inlined body reads the
   * same parameter; binders inside {@code f}'s values are renamed by the substitution when they
   * would capture a variable of the arguments.
   *
   * @throws IllegalArgumentException when {@code f} has updates (its value is not one expression)
   */
  public static IrRewriter inliner(Function f) {
    if (!f.updates().isEmpty()) {
      throw new IllegalArgumentException("Func " + f.name() + " has " + f.updates().size()
          + " update definition(s) and cannot be inlined");
    }
    return new Inliner(f);
  }

  /** Shorthand for {@code inliner(f).rewrite(e)}. */
  public static Expr inline(Expr e, Function f) {
    return inliner(f).rewrite(e);
  }

  private static final class Inliner extends IrRewriter {
    private final Function f;
    /** The variables f's values read besides its pure variables: the names a binder must not capture. */
    private final Set<String> reads = new HashSet<>();

    Inliner(Function f) {
      this.f = f;
      for (Expr v : f.definition().values()) reads.addAll(IrQueries.freeVars(v));
      f.args().forEach(reads::remove);
    }

    @Override
    public Expr rewrite(Expr e) {
      Expr r = rewriteChildren(e);
      if (r instanceof Call c && c.kind() == CallKind.FUNC && c.name().equals(f.name())) return expand(c);
      return r;
    }

    private Expr expand(Call c) {
      if (c.args().size() != f.args().size()) {
        throw new IllegalArgumentException("call to " + f.name() + " has " + c.args().size()
            + " argument(s) but the Func has " + f.args().size() + " dimension(s)");
      }
      Expr value = f.definition().values().get(c.valueIndex());
      if (!value.type().equals(c.type())) {
        throw new IllegalArgumentException("call to " + f.name() + " has type " + c.type() + " but value "
            + c.valueIndex() + " of the Func has type " + value.type());
      }
      Map<String, Expr> bind = new HashMap<>();
      for (int i = 0; i < c.args().size(); i++) bind.put(f.args().get(i), c.args().get(i));
      return substitute(value, bind);
    }

    @Override
    protected Binder enterScope(String name, Type type, Expr body) {
      return enter(name, type, () -> IrQueries.calls(body, CallKind.FUNC), () -> IrQueries.allVarNames(body));
    }

    @Override
    protected Binder enterScope(String name, Type type, Stmt body) {
      return enter(name, type, () -> IrQueries.calls(body, CallKind.FUNC), () -> IrQueries.allVarNames(body));
    }

    /**
     * A binder of a name the inlined values read would capture it; when the body calls f, the
     * binder is renamed (in a first pass over the body) before inlining into it.
     */
    private Binder enter(String name, Type type, Supplier<Set<String>> bodyCalls, Supplier<Set<String>> bodyNames) {
      if (!reads.contains(name) || !bodyCalls.get().contains(f.name())) return new Binder(name, this);
      Set<String> taken = new HashSet<>(bodyNames.get());
      taken.addAll(reads);
      String fresh = IrQueries.freshName(name, taken);
      IrRewriter rename = substituter(Map.of(name, new Var(type, fresh)));
      Inliner inline = this;
      return new Binder(fresh, new IrRewriter() {
        @Override
        public Expr rewrite(Expr e) {
          return inline.rewrite(rename.rewrite(e));
        }

        @Override
        public Stmt rewrite(Stmt s) {
          return inline.rewrite(rename.rewrite(s));
        }
      });
    }
  }
}
