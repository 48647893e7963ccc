package dev.halogen.passes.lower;

import dev.halogen.ir.Expr;
import dev.halogen.ir.Expr.Call;
import dev.halogen.ir.Expr.CallKind;
import dev.halogen.ir.IrRewriter;
import dev.halogen.ir.LoweredModule;
import dev.halogen.ir.Stmt;
import dev.halogen.ir.Stmt.*;
import dev.halogen.ir.Type;
import dev.halogen.passes.IrProperty;
import dev.halogen.passes.IrUnit;
import dev.halogen.passes.LoopsPass;
import dev.halogen.passes.analysis.Cse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * {@code cse}: common-subexpression elimination over the loop nests ({@link Cse}), establishing
 * {@link IrProperty#CSE_APPLIED}.
 *
 * <p>Scope of the sharing: nothing moves between statements, so no value is computed earlier or
 * more often than before, and no load moves across a store.
 *
 * <ul>
 *   <li>A {@code Provide} or {@code Store} is one unit: its values, coordinates or index and
 *       predicate are all evaluated before it writes, so a subexpression they share (a clamped
 *       coordinate read and written, a load feeding value and index) becomes a {@code let}
 *       statement just around it, {@code t0, t1, ...} with names none of its variables has.
 *   <li>Every other expression of a statement (loop bounds, conditions, let values, realization
 *       bounds, allocation extents, the condition and each argument of an assertion) is its own
 *       unit: shared parts become {@code let} expressions inside it. An assertion's arguments are
 *       evaluated only when it fails, so they are not merged with its condition.
 * </ul>
 *
 * <p>{@link Cse} inlines the lets of each unit first and is a fixed point, so running the pass twice
 * changes nothing the second time; an expression it gives back equal is kept as the same instance.
 */
public final class CsePass extends LoopsPass {
  public static final String NAME = "cse";

  /**
   * The name of the call that bundles the expressions of one statement for {@link Cse#cse}, which
   * takes one expression: a container that is taken apart again and never reaches the IR.
   */
  private static final String BUNDLE = "cse_bundle";

  public CsePass() {
    super(NAME, "bind expressions computed more than once within an expression or a store to lets",
        Set.of(IrProperty.LOOPS_BUILT), // requires
        Set.of(IrProperty.CSE_APPLIED), // establishes
        Set.of()); // invalidates
  }

  @Override
  protected LoweredModule transform(IrUnit.Loops loops) {
    return cse(loops.module());
  }

  /** {@code m} with common subexpressions of every entry point bound to lets; {@code m} itself when there are none. */
  public static LoweredModule cse(LoweredModule m) {
    return REWRITER.rewrite(m);
  }

  private static final IrRewriter REWRITER = new IrRewriter() {
    @Override
    public Expr rewrite(Expr e) {
      // Cse works on the whole tree: the children are not visited one by one.
      Expr out = Cse.cse(e);
      return out.equals(e) ? e : out;
    }

    @Override
    public Stmt rewrite(Stmt s) {
      return switch (s) {
        case Provide(String name, List<Expr> values, List<Expr> args) -> {
          List<Expr> all = new ArrayList<>(values);
          all.addAll(args);
          yield shared(s, all, parts -> new Provide(name, parts.subList(0, values.size()), parts.subList(values.size(), parts.size())));
        }
        case Store(String name, Expr value, Expr index, Expr predicate) ->
            shared(s, List.of(value, index, predicate), parts -> new Store(name, parts.get(0), parts.get(1), parts.get(2)));
        case LetStmt l -> rewriteChildren(s);
        case AssertStmt a -> rewriteChildren(s);
        case ProducerConsumer p -> rewriteChildren(s);
        case For f -> rewriteChildren(s);
        case Realize r -> rewriteChildren(s);
        case Allocate a -> rewriteChildren(s);
        case Free f -> s;
        case Block b -> rewriteChildren(s);
        case IfThenElse i -> rewriteChildren(s);
        case Evaluate e -> rewriteChildren(s);
        case Atomic a -> rewriteChildren(s);
      };
    }
  };

  /**
   * Statement {@code s}, whose expressions are {@code parts}, with the subexpressions they share
   * bound by let statements around it; {@code rebuild} makes the statement from new parts.
   */
  private static Stmt shared(Stmt s, List<Expr> parts, Function<List<Expr>, Stmt> rebuild) {
    Expr bundled = Cse.cse(new Call(Type.HANDLE, BUNDLE, parts, CallKind.INTRINSIC));
    List<Expr.Let> lets = new ArrayList<>();
    Expr body = bundled;
    while (body instanceof Expr.Let l) {
      lets.add(l);
      body = l.body();
    }
    List<Expr> newParts = ((Call) body).args();
    if (lets.isEmpty() && newParts.equals(parts)) return s;
    Stmt out = rebuild.apply(newParts);
    for (Expr.Let l : lets.reversed()) out = new LetStmt(l.name(), l.value(), out);
    return out;
  }
}
