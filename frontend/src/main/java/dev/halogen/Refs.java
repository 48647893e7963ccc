package dev.halogen;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The front-end objects an expression was built from: Funcs it calls, Params, ImageParams, constant
 * buffers, RDoms and Vars it uses.
 *
 * <p>The IR refers to all of these by name only, so the front end carries the objects alongside
 * each expression to find every reachable Func and parameter and to check definitions. A
 * {@code Refs} is an immutable binary tree (joining is O(1), so building a long expression stays
 * linear); it is a DAG when subexpressions are shared, and {@link #leaves()} visits each node once.
 */
final class Refs {
  static final Refs EMPTY = new Refs(null, null, null);

  private final @Nullable Ref leaf;
  private final @Nullable Refs left;
  private final @Nullable Refs right;

  private Refs(@Nullable Ref leaf, @Nullable Refs left, @Nullable Refs right) {
    this.leaf = leaf;
    this.left = left;
    this.right = right;
  }

  static Refs of(Ref leaf) {
    return new Refs(leaf, null, null);
  }

  static Refs join(Refs a, Refs b) {
    if (a == EMPTY || a == b) return b;
    if (b == EMPTY) return a;
    return new Refs(null, a, b);
  }

  static Refs join(List<Refs> all) {
    Refs r = EMPTY;
    for (Refs x : all) r = join(r, x);
    return r;
  }

  /** Every distinct object (by identity), in order of first appearance, left to right. */
  List<Ref> leaves() {
    List<Ref> out = new ArrayList<>();
    Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    Deque<Refs> stack = new ArrayDeque<>();
    stack.push(this);
    while (!stack.isEmpty()) {
      Refs r = stack.pop();
      if (!seen.add(r)) continue;
      if (r.leaf != null) {
        if (seen.add(r.leaf)) out.add(r.leaf);
      }
      if (r.right != null) stack.push(r.right);
      if (r.left != null) stack.push(r.left);
    }
    return out;
  }

  /** These objects but {@code r}. */
  Refs without(Ref r) {
    Refs out = EMPTY;
    for (Ref x : leaves()) if (x != r) out = join(out, of(x));
    return out;
  }

  /** The distinct objects of one class, in order of first appearance. */
  <T extends Ref> List<T> leaves(Class<T> type) {
    List<T> out = new ArrayList<>();
    for (Ref o : leaves()) if (type.isInstance(o)) out.add(type.cast(o));
    return out;
  }
}
