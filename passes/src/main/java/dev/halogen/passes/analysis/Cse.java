package dev.halogen.passes.analysis;

import dev.halogen.ir.IrNodes;
import dev.halogen.ir.Expr;
import dev.halogen.ir.Expr.*;
import dev.halogen.ir.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Common-subexpression elimination. Every let of the input is inlined first ({@link
 * Lets#substituteAll}); then global value numbering gives each structurally distinct subexpression
 * one entry, and each non-trivial entry used more than once becomes a let {@code t0, t1, ...} (names
 * that no variable of the expression has) wrapped around the result, dependencies outermost.
 *
 * <p>Trivial expressions (immediates, variables and broadcasts of them) are never lifted. A use is an
 * occurrence as an operand of a distinct entry, so in {@code (x+y)*z + (x+y)*z} only {@code (x+y)*z} is
 * lifted: {@code x+y} occurs once inside it. The result is a fixed point: CSE of it gives it back.
 *
 * <p>Prints ({@link Prints}) are never merged: two equal prints stay two, each printing; a print
 * shared as one object (the value of a let used twice) stays one, bound to a let.
 *
 * <p>Time and memory are linear in the size of the input as a DAG: nodes are numbered once by object
 * identity, and entries are found by a shallow key (the node over numbered placeholder operands), so no
 * hash or equality ever descends into a deep subexpression.
 */
public final class Cse {
  private Cse() {}

  public static Expr cse(Expr e) {
    Expr flat = Lets.substituteAll(e);
    Numbering n = new Numbering();
    int root = n.number(flat);
    n.countUses(root);

    Set<String> taken = n.variableNames; // the let-free expression has no other names
    int size = n.nodes.size();
    String[] names = new String[size];
    List<Integer> lifted = new ArrayList<>();
    int next = 0;
    for (int id = 0; id < size; id++) {
      if (n.uses[id] > 1) {
        while (!taken.add("t" + next)) next++;
        names[id] = "t" + next++;
        lifted.add(id);
      }
    }
    Rebuild r = new Rebuild(n, names);
    Expr body = r.use(root);
    // Ids are in post order, so a lifted entry only refers to lifted entries with smaller ids: wrapping
    // from the last inwards leaves every let's dependencies outside it.
    for (int i = lifted.size() - 1; i >= 0; i--) {
      int id = lifted.get(i);
      body = new Let(names[id], r.build(id), body);
    }
    return body;
  }

  /** Whether CSE never lifts {@code e}: an immediate, a variable or a broadcast of one. */
  static boolean isTrivial(Expr e) {
    return Lets.isTrivial(e) || (e instanceof Broadcast b && isTrivial(b.value()));
  }

  /**
   * Global value numbering: one entry per structurally distinct subexpression, numbered in post order.
   * An entry is represented by the first object found for it; the types of entries are taken from the
   * shallow keys, because {@link Expr#type()} of an arithmetic node walks down its first operands.
   */
  private static final class Numbering {
    final List<Expr> nodes = new ArrayList<>();
    final List<int[]> operands = new ArrayList<>();
    final List<Var> placeholders = new ArrayList<>();
    final Map<Object, Integer> table = new HashMap<>();
    final Map<Expr, Integer> seen = new IdentityHashMap<>();
    final Set<String> variableNames = new HashSet<>();
    int[] uses;

    int number(Expr e) {
      Integer known = seen.get(e);
      if (known != null) return known;
      List<Expr> kids = IrNodes.children(e);
      int[] ids = new int[kids.size()];
      List<Expr> keyKids = new ArrayList<>(kids.size());
      for (int i = 0; i < ids.length; i++) {
        ids[i] = number(kids.get(i));
        keyKids.add(placeholders.get(ids[i]));
      }
      Expr shallow = kids.isEmpty() ? e : IrNodes.withChildren(e, keyKids);
      Object key = switch (e) {
        case FloatImm(Type t, double v) -> new FloatBits(t, Double.doubleToRawLongBits(v));
        // Each print is its own evaluation: only the same node object (one value used twice, as a
        // let's inlined uses are) is one entry.
        case Call c when Prints.isPrint(c) -> Prints.occurrence(c);
        default -> shallow;
      };
      Integer id = table.get(key);
      if (id == null) {
        if (e instanceof Var v) variableNames.add(v.name());
        id = nodes.size();
        nodes.add(e);
        operands.add(ids);
        // A placeholder names the entry inside the keys of its users; its name never meets a real
        // variable because only leaves are keyed as themselves.
        placeholders.add(new Var(shallow.type(), "_" + id));
        table.put(key, id);
      }
      seen.put(e, id);
      return id;
    }

    Type type(int id) {
      return placeholders.get(id).type();
    }

    /** Float immediates compare by bits (record equality would merge every NaN and nothing else). */
    private record FloatBits(Type type, long bits) {}

    void countUses(int root) {
      uses = new int[nodes.size()];
      include(root);
    }

    private void include(int id) {
      if (isTrivial(nodes.get(id))) return;
      if (++uses[id] > 1) return;
      for (int k : operands.get(id)) include(k);
    }
  }

  /** Builds the output from the entries: a lifted entry is its variable, others are rebuilt in place. */
  private static final class Rebuild {
    private final Numbering n;
    private final String[] names;
    private final Expr[] done;

    Rebuild(Numbering n, String[] names) {
      this.n = n;
      this.names = names;
      this.done = new Expr[n.nodes.size()];
    }

    /** The expression standing for entry {@code id} where it is used. */
    Expr use(int id) {
      if (done[id] == null) {
        done[id] = names[id] != null ? new Var(n.type(id), names[id]) : build(id);
      }
      return done[id];
    }

    /** Entry {@code id} itself over the expressions of its operands. */
    Expr build(int id) {
      int[] ops = n.operands.get(id);
      List<Expr> kids = new ArrayList<>(ops.length);
      for (int k : ops) kids.add(use(k));
      return IrNodes.withChildren(n.nodes.get(id), kids);
    }
  }
}
