package dev.halogen.passes.lower;

import dev.halogen.ir.Expr;
import dev.halogen.ir.ForKind;
import dev.halogen.ir.IrQueries;
import dev.halogen.ir.IrRewriter;
import dev.halogen.ir.IrWalker;
import dev.halogen.ir.LoweredModule;
import dev.halogen.ir.Stmt;
import dev.halogen.ir.Type;
import dev.halogen.ir.text.IrPrinter;
import dev.halogen.passes.IrProperty;
import dev.halogen.passes.IrUnit;
import dev.halogen.passes.LoopsPass;
import dev.halogen.passes.analysis.Simplifier;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * {@code unroll-loops}: replaces each loop of kind {@code unrolled} by copies of its body (Halide's
 * {@code unroll_loops}).
 *
 * <p>A loop {@code for (x, min, n)} whose extent simplifies to the constant {@code n} becomes a
 * block of {@code n} copies of its body, copy {@code i} inside {@code let x = min + i}; an extent of
 * 0 or less becomes the no-op. Binding the loop variable by a let rather than substituting it keeps
 * every name of the body bound as before, so nothing is captured and the copies need no renaming:
 * a variable is bound at most once on any path from the root, as before; only sibling copies repeat
 * the names of the body (its lets, inner loops and the bounds lets of allocations, which keep the
 * {@code s.min.d} names of storage flattening). Nested unrolled loops are unrolled inside out. When
 * {@code min} reads memory (a {@code Load}), which an earlier copy could change, it is bound once to
 * {@code x.loop_min} before the copies, as the loop evaluated it once.
 *
 * <p>An unrolled loop with a non-constant extent fails with a {@link ScheduleException} naming the
 * Func and stage ({@link LoopNames}), the loop and its extent.
 */
public final class UnrollLoopsPass extends LoopsPass {
  public static final String NAME = "unroll-loops";

  public UnrollLoopsPass() {
    super(NAME, "replace each unrolled loop of constant extent by copies of its body, the loop variable bound by a let in each",
        Set.of(IrProperty.STORAGE_FLATTENED), // requires
        Set.of(IrProperty.UNROLLED), // establishes
        Set.of(IrProperty.SIMPLIFIED, IrProperty.CSE_APPLIED)); // invalidates
  }

  @Override
  protected LoweredModule transform(IrUnit.Loops loops) {
    return unroll(loops.module(), loops.source().functions().keySet());
  }

  /**
   * {@code m} with every unrolled loop replaced by copies of its body; {@code m} itself when it has
   * none. {@code funcs} (the Funcs of the source pipeline) only help name a loop in an error.
   *
   * @throws ScheduleException for an unrolled loop whose extent is not a constant
   */
  public static LoweredModule unroll(LoweredModule m, Set<String> funcs) {
    return new Unroller(funcs).rewrite(m);
  }

  private static final class Unroller extends IrRewriter {
    private final Set<String> funcs;

    Unroller(Set<String> funcs) {
      this.funcs = funcs;
    }

    @Override
    public Stmt rewrite(Stmt s) {
      // Only unrolled loops change; the rewriter's exhaustive switch handles every other node.
      Stmt inner = rewriteChildren(s);
      return inner instanceof Stmt.For f && f.kind() == ForKind.UNROLLED ? copies(f) : inner;
    }

    /** The copies of the body of {@code f}, whose inner loops are unrolled already. */
    private Stmt copies(Stmt.For f) {
      OptionalLong extent = IrQueries.asConstInt(Simplifier.simplify(f.extent()));
      if (extent.isEmpty()) {
        String where = LoopNames.parse(f.name(), funcs).map(n -> n.stageDescription() + ": ").orElse("");
        throw new ScheduleException(where + "cannot unroll loop " + f.name() + ": its extent " + IrPrinter.print(f.extent())
            + " is not a constant; split it by a constant factor first");
      }
      long n = extent.getAsLong();
      if (n <= 0) return Stmt.NO_OP;
      Expr min = f.min();
      @Nullable String minName = null;
      if (readsMemory(min)) {
        String base = f.name() + ".loop_min";
        Set<String> taken = IrQueries.allVarNames(f);
        minName = taken.contains(base) ? IrQueries.freshName(base, taken) : base;
        min = Expr.Var.of(minName);
      }
      List<Stmt> copies = new ArrayList<>();
      for (long i = 0; i < n; i++) copies.add(new Stmt.LetStmt(f.name(), plus(min, i), f.body()));
      Stmt out = copies.size() == 1 ? copies.getFirst() : new Stmt.Block(copies);
      return minName == null ? out : new Stmt.LetStmt(minName, f.min(), out);
    }
  }

  /** {@code min + i}, folded when {@code min} is a constant. */
  private static Expr plus(Expr min, long i) {
    if (i == 0) return min;
    if (min instanceof Expr.IntImm(Type t, long v) && t.canRepresent(v + i)) return new Expr.IntImm(t, v + i);
    return new Expr.Add(min, new Expr.IntImm(Type.I32, Math.toIntExact(i)));
  }

  private static boolean readsMemory(Expr e) {
    boolean[] found = {false};
    new IrWalker() {
      @Override
      protected void visit(Expr x, IrWalker.Scope scope, IrWalker.Path path) {
        if (x instanceof Expr.Load) found[0] = true;
      }
    }.walk(e);
    return found[0];
  }
}
