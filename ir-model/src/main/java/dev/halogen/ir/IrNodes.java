package dev.halogen.ir;

import dev.halogen.ir.Expr.*;
import dev.halogen.ir.Stmt.*;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Read-only enumeration of the children of IR nodes, for queries and walkers. This is the one place
 * that knows, for every node type, which expressions and statements it holds, under which field
 * name, and which variable it binds around which child; each method is an exhaustive {@code switch}
 * over the node records so that a new node type fails compilation here.
 */
public final class IrNodes {
  private IrNodes() {}

  /** A variable bound by a node ({@link Let}, {@link LetStmt}, {@link For}) around one of its children. */
  public record Binding(String name, Type type) {}

  /**
   * Receives the children of a node in order. {@code field} is the record component holding the
   * child and {@code index} its position when the component is a list ({@code -1} otherwise);
   * {@code binding} is the variable the node binds around this child, or null.
   */
  public interface ChildVisitor {
    void expr(String field, int index, Expr child, @Nullable Binding binding);

    void stmt(String field, int index, Stmt child, @Nullable Binding binding);
  }

  /** Calls {@code v.expr} for each sub-expression of {@code e}, in order. */
  public static void forEachChild(Expr e, ChildVisitor v) {
    switch (e) {
      case IntImm n -> {}
      case UIntImm n -> {}
      case FloatImm n -> {}
      case StringImm n -> {}
      case Var n -> {}
      case Cast(Type t, Expr value) -> v.expr("value", -1, value, null);
      case Add(Expr a, Expr b) -> pair(a, b, v);
      case Sub(Expr a, Expr b) -> pair(a, b, v);
      case Mul(Expr a, Expr b) -> pair(a, b, v);
      case Div(Expr a, Expr b) -> pair(a, b, v);
      case Mod(Expr a, Expr b) -> pair(a, b, v);
      case Min(Expr a, Expr b) -> pair(a, b, v);
      case Max(Expr a, Expr b) -> pair(a, b, v);
      case EQ(Expr a, Expr b) -> pair(a, b, v);
      case NE(Expr a, Expr b) -> pair(a, b, v);
      case LT(Expr a, Expr b) -> pair(a, b, v);
      case LE(Expr a, Expr b) -> pair(a, b, v);
      case GT(Expr a, Expr b) -> pair(a, b, v);
      case GE(Expr a, Expr b) -> pair(a, b, v);
      case And(Expr a, Expr b) -> pair(a, b, v);
      case Or(Expr a, Expr b) -> pair(a, b, v);
      case Not(Expr a) -> v.expr("a", -1, a, null);
      case Select(Expr c, Expr t, Expr f) -> {
        v.expr("condition", -1, c, null);
        v.expr("trueValue", -1, t, null);
        v.expr("falseValue", -1, f, null);
      }
      case Let(String name, Expr value, Expr body) -> {
        v.expr("value", -1, value, null);
        v.expr("body", -1, body, new Binding(name, value.type()));
      }
      case Call c -> exprs("args", c.args(), v);
      case Load(Type t, String name, Expr index, Expr predicate) -> {
        v.expr("index", -1, index, null);
        v.expr("predicate", -1, predicate, null);
      }
      case Ramp(Expr base, Expr stride, int lanes) -> {
        v.expr("base", -1, base, null);
        v.expr("stride", -1, stride, null);
      }
      case Broadcast(Expr value, int lanes) -> v.expr("value", -1, value, null);
      case VectorReduce(VectorReduce.Op op, Expr value, int lanes) -> v.expr("value", -1, value, null);
    }
  }

  /** Calls {@code v.expr} and {@code v.stmt} for each child of {@code s}, in order. */
  public static void forEachChild(Stmt s, ChildVisitor v) {
    switch (s) {
      case LetStmt(String name, Expr value, Stmt body) -> {
        v.expr("value", -1, value, null);
        v.stmt("body", -1, body, new Binding(name, value.type()));
      }
      case AssertStmt(Expr condition, String message, List<Expr> args) -> {
        v.expr("condition", -1, condition, null);
        exprs("args", args, v);
      }
      case ProducerConsumer(String name, boolean isProducer, Stmt body) -> v.stmt("body", -1, body, null);
      case For(String name, Expr min, Expr extent, ForKind kind, DeviceApi api, Stmt body) -> {
        v.expr("min", -1, min, null);
        v.expr("extent", -1, extent, null);
        v.stmt("body", -1, body, new Binding(name, Type.I32));
      }
      case Provide(String name, List<Expr> values, List<Expr> args) -> {
        exprs("values", values, v);
        exprs("args", args, v);
      }
      case Realize r -> {
        for (int i = 0; i < r.bounds().size(); i++) {
          // A Range is not a node; its fields are named through it.
          v.expr("bounds[" + i + "].min", -1, r.bounds().get(i).min(), null);
          v.expr("bounds[" + i + "].extent", -1, r.bounds().get(i).extent(), null);
        }
        v.expr("condition", -1, r.condition(), null);
        v.stmt("body", -1, r.body(), null);
      }
      case Store(String name, Expr value, Expr index, Expr predicate) -> {
        v.expr("value", -1, value, null);
        v.expr("index", -1, index, null);
        v.expr("predicate", -1, predicate, null);
      }
      case Allocate a -> {
        exprs("extents", a.extents(), v);
        v.expr("condition", -1, a.condition(), null);
        v.stmt("body", -1, a.body(), null);
      }
      case Free f -> {}
      case Block(List<Stmt> stmts) -> {
        for (int i = 0; i < stmts.size(); i++) v.stmt("stmts", i, stmts.get(i), null);
      }
      case IfThenElse(Expr condition, Stmt thenCase, Stmt elseCase) -> {
        v.expr("condition", -1, condition, null);
        v.stmt("thenCase", -1, thenCase, null);
        v.stmt("elseCase", -1, elseCase, null);
      }
      case Evaluate(Expr value) -> v.expr("value", -1, value, null);
      case Atomic(String producer, String mutex, Stmt body) -> v.stmt("body", -1, body, null);
    }
  }

  /**
   * The concrete node classes under a sealed IR interface (for example {@code Expr.class}),
   * descending into sealed sub-interfaces such as {@link Expr.Binary}: what coverage tests and
   * generators enumerate so that a new node cannot be missed.
   */
  public static List<Class<?>> nodeClasses(Class<?> sealedRoot) {
    if (!sealedRoot.isSealed()) throw new IllegalArgumentException(sealedRoot.getName() + " is not sealed");
    List<Class<?>> out = new ArrayList<>();
    for (Class<?> c : sealedRoot.getPermittedSubclasses()) {
      if (c.isSealed()) out.addAll(nodeClasses(c));
      else out.add(c);
    }
    return out;
  }

  /** The sub-expressions of {@code e}, in order. */
  public static List<Expr> children(Expr e) {
    List<Expr> out = new ArrayList<>(3);
    forEachChild(e, collector(out, null));
    return out;
  }

  /**
   * {@code e} with its sub-expressions replaced, in the order of {@link #children(Expr)}; {@code e}
   * itself when every replacement is the same object as the child it replaces.
   */
  public static Expr withChildren(Expr e, List<Expr> replacements) {
    int count = children(e).size();
    if (count != replacements.size()) {
      throw new IllegalArgumentException(e.getClass().getSimpleName() + " has " + count + " sub-expressions, got "
          + replacements.size() + " replacements");
    }
    // The rewriter visits children in the same order as forEachChild.
    IrRewriter byPosition = new IrRewriter() {
      private int next = 0;

      @Override
      public Expr rewrite(Expr child) {
        return replacements.get(next++);
      }
    };
    return byPosition.rewriteChildren(e);
  }

  /** The expressions held directly by {@code s} (not those inside its child statements), in order. */
  public static List<Expr> exprChildren(Stmt s) {
    List<Expr> out = new ArrayList<>(3);
    forEachChild(s, collector(out, null));
    return out;
  }

  /** The statements held directly by {@code s}, in order. */
  public static List<Stmt> stmtChildren(Stmt s) {
    List<Stmt> out = new ArrayList<>(2);
    forEachChild(s, collector(null, out));
    return out;
  }

  private static ChildVisitor collector(@Nullable List<Expr> exprs, @Nullable List<Stmt> stmts) {
    return new ChildVisitor() {
      @Override
      public void expr(String field, int index, Expr child, @Nullable Binding binding) {
        if (exprs != null) exprs.add(child);
      }

      @Override
      public void stmt(String field, int index, Stmt child, @Nullable Binding binding) {
        if (stmts != null) stmts.add(child);
      }
    };
  }

  private static void pair(Expr a, Expr b, ChildVisitor v) {
    v.expr("a", -1, a, null);
    v.expr("b", -1, b, null);
  }

  private static void exprs(String field, List<Expr> list, ChildVisitor v) {
    for (int i = 0; i < list.size(); i++) v.expr(field, i, list.get(i), null);
  }
}
