package dev.halogen.ir;

import dev.halogen.ir.Expr.*;
import dev.halogen.ir.IrVerifier.Problem;
import dev.halogen.ir.Stmt.*;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** The lowered-IR half of {@link IrVerifier}; see there for the rules. */
final class LoweredVerifier extends IrWalker {
  /** A buffer in scope: its element types (one for flat buffers, one per tuple element for a Realize). */
  private record Decl(String name, List<Type> types, boolean allocated) {}

  private final String prefix;
  private final boolean flattened;
  private final Map<String, Type> outer;
  /** Enclosing Allocate and Realize nodes, innermost on top. */
  private final Deque<Decl> decls = new ArrayDeque<>();
  private final Set<Problem> problems;

  private LoweredVerifier(String prefix, boolean flattened, Map<String, Type> outer, Set<Problem> problems) {
    this.prefix = prefix;
    this.flattened = flattened;
    this.outer = outer;
    this.problems = problems;
  }

  static List<Problem> module(LoweredModule m, boolean flattened) {
    Set<Problem> problems = new LinkedHashSet<>();
    Map<String, Type> constants = new LinkedHashMap<>();
    for (Parameter.Constant c : m.constants()) {
      if (constants.put(c.name(), c.type()) != null) {
        problems.add(new Problem("module " + m.name(), "constant " + c.name() + " is declared twice"));
      }
    }
    Set<String> entryNames = new LinkedHashSet<>();
    for (LoweredModule.EntryPoint ep : m.entryPoints()) {
      if (!entryNames.add(ep.name())) problems.add(new Problem("module " + m.name(), "entry point " + ep.name() + " is declared twice"));
    }
    // The bounds variables of constants (b.min.d, b.extent.d, b.stride.d) are bound in every entry point.
    Scope constantScope = Scope.EMPTY;
    for (Parameter.Constant c : m.constants()) constantScope = bindBufferVars(constantScope, c.name(), c.buffer().dimensions());
    for (LoweredModule.EntryPoint ep : m.entryPoints()) {
      String loc = "entry point " + ep.name();
      Map<String, Type> buffers = new LinkedHashMap<>(constants);
      Scope scope = constantScope;
      Set<String> seen = new LinkedHashSet<>();
      for (LoweredModule.Argument a : ep.arguments()) {
        if (!seen.add(a.name())) problems.add(new Problem(loc, "argument " + a.name() + " is declared twice"));
        if (constants.containsKey(a.name())) problems.add(new Problem(loc, "argument " + a.name() + " has the name of a constant"));
        switch (a.kind()) {
          case SCALAR -> scope = scope.bind(a.name(), a.type());
          case INPUT_BUFFER, OUTPUT_BUFFER -> {
            buffers.put(a.name(), a.type());
            scope = bindBufferVars(scope, a.name(), a.dimensions());
          }
        }
      }
      new LoweredVerifier(loc + ", ", flattened, buffers, problems).walk(ep.body(), scope, Path.root("body"));
    }
    return List.copyOf(problems);
  }

  /** {@code scope} with the int32 bounds variables of buffer {@code name} bound (LoweredModule.Argument's convention). */
  private static Scope bindBufferVars(Scope scope, String name, int dimensions) {
    for (Expr.Var v : LoweredModule.bufferVars(name, dimensions)) scope = scope.bind(v.name(), v.type());
    return scope;
  }

  static List<Problem> stmt(Stmt s, Map<String, Type> scalars, Map<String, Type> buffers, boolean flattened) {
    Set<Problem> problems = new LinkedHashSet<>();
    Scope scope = Scope.EMPTY;
    for (Map.Entry<String, Type> e : scalars.entrySet()) scope = scope.bind(e.getKey(), e.getValue());
    new LoweredVerifier("", flattened, Map.copyOf(buffers), problems).walk(s, scope, Path.root("stmt"));
    return List.copyOf(problems);
  }

  private void problem(Path path, String message) {
    problems.add(new Problem(prefix + path, message));
  }

  // ------------------------------------------------------------------ statements

  @Override
  protected void enter(Stmt s, Scope scope, Path path) {
    switch (s) {
      case LetStmt l -> {}
      case AssertStmt a -> {}
      case ProducerConsumer pc -> {}
      // A vectorized or unrolled loop of non-constant extent is valid: vectorize-loops and unroll-loops
      // report it, naming the Func and what to do.
      case For f -> {}
      case Provide pr -> {
        if (flattened) problem(path, "Provide to " + pr.name() + " after storage flattening");
        checkProvide(pr, path);
      }
      case Realize r -> {
        if (flattened) problem(path, "Realize of " + r.name() + " after storage flattening");
        for (int i = 0; i < r.bounds().size(); i++) {
          requireI32(r.bounds().get(i).min(), path, "Realize of " + r.name() + ", bound " + i + " min");
          requireI32(r.bounds().get(i).extent(), path, "Realize of " + r.name() + ", bound " + i + " extent");
        }
        decls.push(new Decl(r.name(), r.types(), false));
      }
      case Store st -> {
        checkAccess("Store to", st.name(), st.value().type(), path);
        requireIndex(st.index(), path, "Store to " + st.name());
      }
      case Allocate a -> {
        for (int i = 0; i < a.extents().size(); i++) {
          requireI32(a.extents().get(i), path, "Allocate of " + a.name() + ", extent " + i);
        }
        decls.push(new Decl(a.name(), List.of(a.type()), true));
      }
      case Free f -> {
        if (decls.stream().noneMatch(d -> d.allocated() && d.name().equals(f.name()))) {
          problem(path, "Free of " + f.name() + ", which is not allocated here");
        }
      }
      case Block b -> {}
      case IfThenElse i -> {}
      case Evaluate e -> {}
      case Atomic a -> {}
    }
  }

  @Override
  protected void leave(Stmt s) {
    if (s instanceof Realize || s instanceof Allocate) decls.pop();
  }

  private void checkProvide(Provide pr, Path path) {
    Decl d = find(pr.name());
    if (d == null) d = outputDecl(pr.name());
    if (d == null) {
      problem(path, "Provide to " + pr.name() + ", which is not realized here or a buffer argument");
      return;
    }
    if (pr.values().size() != d.types().size()) {
      problem(path, "Provide to " + pr.name() + " has " + pr.values().size() + " value(s) but " + pr.name() + " holds "
          + d.types().size());
    }
    for (int i = 0; i < Math.min(pr.values().size(), d.types().size()); i++) {
      Type t = pr.values().get(i).type();
      if (!t.equals(d.types().get(i))) {
        problem(path, "Provide to " + pr.name() + ", value " + i + " has type " + t + " but " + pr.name() + " holds "
            + d.types().get(i));
      }
    }
    for (int i = 0; i < pr.args().size(); i++) requireI32(pr.args().get(i), path, "Provide to " + pr.name() + ", argument " + i);
  }

  // ------------------------------------------------------------------ expressions

  @Override
  protected void visit(Expr e, Scope scope, Path path) {
    if (e instanceof Var v) {
      Type t = scope.typeOf(v.name());
      if (t == null) {
        problem(path, "variable " + v.name() + " is not bound (not a let, loop variable or scalar argument)");
      } else if (!t.equals(v.type())) {
        problem(path, "variable " + v.name() + " has type " + v.type() + " but is bound to a " + t + " value");
      }
    }
    if (e instanceof Load l) {
      checkAccess("Load from", l.name(), l.type(), path);
      requireIndex(l.index(), path, "Load from " + l.name());
    }
    if (e instanceof Call c && flattened && (c.kind() == CallKind.FUNC || c.kind() == CallKind.IMAGE)) {
      problem(path, "call to " + (c.kind() == CallKind.FUNC ? "Func " : "image ") + c.name() + " after storage flattening");
    }
  }

  /** A Load or Store names a declared buffer whose element type is the accessed one. */
  private void checkAccess(String what, String name, Type accessed, Path path) {
    Decl d = find(name);
    Type held;
    if (d != null) {
      // A Realize of a tuple has no single element type; its storage is accessed per element after flattening.
      if (d.types().size() != 1) return;
      held = d.types().getFirst();
    } else {
      held = outer.get(name);
      if (held == null) {
        problem(path, what + " " + name + ", which is not declared (not a buffer argument, constant, allocation or realization)");
        return;
      }
    }
    if (!accessed.element().equals(held)) {
      problem(path, what + " " + name + " accesses " + accessed.element() + " elements but " + name + " holds " + held);
    }
  }

  /**
   * The storage of Func {@code name} outside any Realize: the buffer {@code name}, or the buffers {@code
   * name.0}, {@code name.1}, ... of a tuple-valued output; null when there is none.
   */
  private @Nullable Decl outputDecl(String name) {
    Type single = outer.get(name);
    if (single != null) return new Decl(name, List.of(single), false);
    List<Type> elements = new ArrayList<>();
    for (Type t; (t = outer.get(name + "." + elements.size())) != null; ) elements.add(t);
    return elements.isEmpty() ? null : new Decl(name, elements, false);
  }

  private @Nullable Decl find(String name) {
    for (Decl d : decls) if (d.name().equals(name)) return d;
    return null;
  }

  private void requireI32(Expr e, Path path, String what) {
    if (!e.type().equals(Type.I32)) problem(path, what + " has type " + e.type() + ", expected int32");
  }

  private void requireIndex(Expr index, Path path, String what) {
    if (!index.type().element().equals(Type.I32)) problem(path, what + " has an index of type " + index.type() + ", expected int32 lanes");
  }
}
