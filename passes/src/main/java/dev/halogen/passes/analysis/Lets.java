package dev.halogen.passes.analysis;

import dev.halogen.ir.IrNodes;
import dev.halogen.ir.Expr;
import dev.halogen.ir.Expr.*;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Let substitution. Both walks are DAG-aware: a node shared within one let scope is rewritten once and
 * its result shared, so inlining never copies a value (the result is a DAG, linear in the input).
 */
public final class Lets {
  private Lets() {}

  /**
   * {@code e} with every let inlined: each variable bound by a let is replaced by the (inlined) value,
   * respecting shadowing. The result has no {@link Let}; repeated uses of a let share one value object.
   */
  public static Expr substituteAll(Expr e) {
    return new InlineAll().go(e);
  }

  /**
   * {@code e} with the lets whose value is an immediate or a variable inlined, and the lets whose
   * variable is not used dropped (unless the value prints). An inner let that would capture a variable substituted into its body
   * is renamed to a fresh name.
   */
  public static Expr substituteTrivial(Expr e) {
    return new InlineTrivial(e).go(e);
  }

  /** Whether {@code e} is an immediate or a variable. */
  static boolean isTrivial(Expr e) {
    return e instanceof IntImm || e instanceof UIntImm || e instanceof FloatImm || e instanceof StringImm || e instanceof Var;
  }

  /** Every variable name and let name in {@code e}. */
  static Set<String> names(Expr e) {
    Set<String> out = new HashSet<>();
    Map<Expr, Boolean> seen = new IdentityHashMap<>();
    // A work list rather than recursion: let chains can be far deeper than the stack.
    ArrayDeque<Expr> todo = new ArrayDeque<>();
    todo.push(e);
    while (!todo.isEmpty()) {
      Expr x = todo.pop();
      if (seen.put(x, Boolean.TRUE) != null) continue;
      if (x instanceof Var v) out.add(v.name());
      if (x instanceof Let l) out.add(l.name());
      for (Expr c : IrNodes.children(x)) todo.push(c);
    }
    return out;
  }

  /** {@code base}, or {@code base_1}, {@code base_2}, ...: the first that is not in {@code taken}, which it joins. */
  static String freshName(String base, Set<String> taken) {
    String name = base;
    for (int k = 1; taken.contains(name); k++) name = base + "_" + k;
    taken.add(name);
    return name;
  }

  /**
   * A rewrite of the operands of every node, memoized per let scope: the same node object means
   * different things under different bindings of its variables. A walker is used once, so a failure
   * midway leaves no state behind that anyone could see. Chains of lets are walked in a loop, since
   * CSE output nests thousands of them.
   */
  private abstract static class ScopedWalk {
    /** One memo per let scope in the chain of scopes; created on first use, as most scopes are tiny. */
    private final List<Map<Expr, Expr>> memos = new ArrayList<>(List.of(new IdentityHashMap<>()));

    abstract Expr visit(Expr e);

    final Expr go(Expr e) {
      int top = memos.size() - 1;
      Map<Expr, Expr> memo = memos.get(top);
      Expr done = memo == null ? null : memo.get(e);
      if (done != null) return done;
      Expr r = visit(e);
      if (memo == null) memos.set(top, memo = new IdentityHashMap<>());
      memo.put(e, r);
      return r;
    }

    final Expr operands(Expr e) {
      List<Expr> kids = IrNodes.children(e);
      List<Expr> out = new ArrayList<>(kids.size());
      for (Expr k : kids) out.add(go(k));
      return IrNodes.withChildren(e, out);
    }

    final void enterScope() {
      memos.add(null);
    }

    final void exitScope() {
      memos.removeLast();
    }
  }

  private static final class InlineAll extends ScopedWalk {
    private final Map<String, Expr> bound = new HashMap<>();

    @Override
    Expr visit(Expr e) {
      if (e instanceof Var v) {
        Expr value = bound.get(v.name());
        return value == null ? v : value;
      }
      if (!(e instanceof Let)) return operands(e);
      List<String> names = new ArrayList<>();
      List<Expr> saved = new ArrayList<>();
      Expr body = e;
      while (body instanceof Let(String name, Expr value, Expr inner)) {
        Expr v = go(value);
        names.add(name);
        saved.add(bound.put(name, v));
        enterScope();
        body = inner;
      }
      Expr result = go(body);
      for (int i = names.size() - 1; i >= 0; i--) {
        exitScope();
        restore(bound, names.get(i), saved.get(i));
      }
      return result;
    }
  }

  private static <T> void restore(Map<String, T> map, String name, T saved) {
    if (saved == null) map.remove(name);
    else map.put(name, saved);
  }

  private static final class InlineTrivial extends ScopedWalk {
    /** A let in scope: what its variable becomes ({@code null}: itself) and whether the result uses it. */
    private static final class Binding {
      final Expr replacement;
      boolean used;

      Binding(Expr replacement) {
        this.replacement = replacement;
      }
    }

    /** A let of the chain being walked: inlined, or kept under {@code name}. */
    private record Frame(Let let, boolean inlined, String name, Binding binding, Binding saved, String substituted, Expr walkedValue) {}

    private final Expr root;
    private Set<String> taken; // every name of the root, collected at the first renaming
    private final Map<String, Binding> bound = new HashMap<>();
    /** How many substituted variables in scope have each name: a kept let of such a name would capture them. */
    private final Map<String, Integer> substitutedNames = new HashMap<>();

    InlineTrivial(Expr root) {
      this.root = root;
    }

    private String fresh(String name) {
      if (taken == null) taken = names(root);
      return freshName(name, taken);
    }

    @Override
    Expr visit(Expr e) {
      if (e instanceof Var v) {
        Binding b = bound.get(v.name());
        if (b == null) return v;
        b.used = true;
        return b.replacement == null ? v : b.replacement;
      }
      if (!(e instanceof Let)) return operands(e);
      List<Frame> frames = new ArrayList<>();
      Expr body = e;
      while (body instanceof Let let) {
        String name = let.name();
        Frame f;
        // A value that is itself a let may only become trivial once walked, so it is walked first
        // (other kept values are walked after the body, see below).
        Expr early = isTrivial(let.value()) || let.value() instanceof Let ? go(let.value()) : null;
        if (early != null && isTrivial(early)) {
          String substituted = early instanceof Var w ? w.name() : null;
          if (substituted != null) substitutedNames.merge(substituted, 1, Integer::sum);
          Binding b = new Binding(early);
          f = new Frame(let, true, name, b, bound.put(name, b), substituted, early);
        } else {
          String newName = substitutedNames.getOrDefault(name, 0) > 0 ? fresh(name) : name;
          Binding b = new Binding(newName.equals(name) ? null : new Var(let.value().type(), newName));
          f = new Frame(let, false, newName, b, bound.put(name, b), null, early);
        }
        frames.add(f);
        enterScope();
        body = let.body();
      }
      Expr result = go(body);
      for (int i = frames.size() - 1; i >= 0; i--) {
        Frame f = frames.get(i);
        exitScope();
        restore(bound, f.let().name(), f.saved());
        if (f.substituted() != null) substitutedNames.merge(f.substituted(), -1, Integer::sum);
        // A kept let's value is walked only now, after its body, and only if the body uses it: the
        // value of a dead let then marks nothing used, so lets only it used die too. A let whose
        // value prints is never dead.
        if (!f.inlined() && (f.binding().used || Prints.hasPrint(f.let().value()))) {
          Let let = f.let();
          Expr value = f.walkedValue() != null ? f.walkedValue() : go(let.value());
          boolean same = value == let.value() && result == let.body() && f.name().equals(let.name());
          result = same ? let : new Let(f.name(), value, result);
        }
      }
      return result;
    }
  }
}
