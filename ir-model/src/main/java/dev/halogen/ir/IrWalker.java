package dev.halogen.ir;

import java.util.ArrayDeque;
import java.util.Deque;
import org.jspecify.annotations.Nullable;

/**
 * A read-only pre-order walk over an {@link Expr} or {@link Stmt} tree that knows, at every node,
 * which variables are bound around it (by {@link Expr.Let}, {@link Stmt.LetStmt} and {@link
 * Stmt.For}) and the path from the root. Queries override the hooks; the traversal itself is {@link
 * IrNodes#forEachChild}.
 */
public abstract class IrWalker {
  /**
   * The variables in scope at a node, innermost first: an immutable linked list, so entering a
   * binder costs one small object and leaving it costs nothing.
   */
  public static final class Scope {
    public static final Scope EMPTY = new Scope(null, Type.I32, null);

    private final @Nullable String name;
    private final Type type;
    private final @Nullable Scope outer;

    private Scope(@Nullable String name, Type type, @Nullable Scope outer) {
      this.name = name;
      this.type = type;
      this.outer = outer;
    }

    /** This scope with {@code name} bound to a value of {@code type}, shadowing an outer {@code name}. */
    public Scope bind(String name, Type type) {
      return new Scope(name, type, this);
    }

    /** The type of the innermost binding of {@code name}, or null when it is not bound. */
    public @Nullable Type typeOf(String name) {
      for (Scope s = this; s != null; s = s.outer) {
        if (name.equals(s.name)) return s.type;
      }
      return null;
    }

    public boolean contains(String name) {
      return typeOf(name) != null;
    }
  }

  /**
   * Where a node is: the fields from the root down to it, printed like {@code
   * body.stmts[2].body.value.a}. Immutable and built lazily, so walking costs no string work.
   */
  public static final class Path {
    private final @Nullable Path parent;
    private final String field;
    private final int index;

    private Path(@Nullable Path parent, String field, int index) {
      this.parent = parent;
      this.field = field;
      this.index = index;
    }

    /** A root path, printed as {@code name}. */
    public static Path root(String name) {
      return new Path(null, name, -1);
    }

    /** The path of a child in {@code field} (at {@code index} when the field is a list, else -1). */
    public Path child(String field, int index) {
      return new Path(this, field, index);
    }

    @Override
    public String toString() {
      Deque<Path> steps = new ArrayDeque<>();
      for (Path p = this; p != null; p = p.parent) steps.push(p);
      StringBuilder sb = new StringBuilder();
      for (Path p : steps) {
        if (!sb.isEmpty()) sb.append('.');
        sb.append(p.field);
        if (p.index >= 0) sb.append('[').append(p.index).append(']');
      }
      return sb.toString();
    }
  }

  /** Called for every expression node before its children. */
  protected void visit(Expr e, Scope scope, Path path) {}

  /** Called for every statement node before its children. */
  protected void enter(Stmt s, Scope scope, Path path) {}

  /** Called for every statement node after its children. */
  protected void leave(Stmt s) {}

  public final void walk(Expr e) {
    walk(e, Scope.EMPTY, Path.root("expr"));
  }

  public final void walk(Stmt s) {
    walk(s, Scope.EMPTY, Path.root("stmt"));
  }

  public final void walk(Expr e, Scope scope, Path path) {
    visit(e, scope, path);
    IrNodes.forEachChild(e, new Children(scope, path));
  }

  public final void walk(Stmt s, Scope scope, Path path) {
    enter(s, scope, path);
    IrNodes.forEachChild(s, new Children(scope, path));
    leave(s);
  }

  /** Walks each child with the scope extended by what the parent binds around it. */
  private final class Children implements IrNodes.ChildVisitor {
    private final Scope scope;
    private final Path path;

    Children(Scope scope, Path path) {
      this.scope = scope;
      this.path = path;
    }

    private Scope inner(IrNodes.@Nullable Binding b) {
      return b == null ? scope : scope.bind(b.name(), b.type());
    }

    @Override
    public void expr(String field, int index, Expr child, IrNodes.@Nullable Binding binding) {
      walk(child, inner(binding), path.child(field, index));
    }

    @Override
    public void stmt(String field, int index, Stmt child, IrNodes.@Nullable Binding binding) {
      walk(child, inner(binding), path.child(field, index));
    }
  }
}
