package dev.halogen.passes.analysis;

import dev.halogen.ir.Expr;
import dev.halogen.ir.Stmt;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The simplifier: rewrites expressions and statements into a simpler, canonical form with the same
 * value under the exact semantics (SEMANTICS.md), and proves conditions.
 *
 * <p>What it does: constant folding for every type (in the type's own precision); canonical operand
 * order (constants right, variables by name, other terms by their spelling); linear normalization of
 * integer sums ({@code x*2 + x} is {@code x*3}); division and remainder by constants using bounds and
 * alignment; min/max, select, comparison and boolean rules; cast folding; ramp and broadcast
 * arithmetic; let substitution of trivial values and removal of dead lets; and for statements,
 * removal of dead branches, empty blocks and loops, loops of one iteration, and asserts that hold.
 *
 * <p>What it assumes: that {@code int32} arithmetic does not overflow (Halide's rule: overflow there
 * is an error to rely on). Every other integer type wraps and is only rewritten with identities of
 * arithmetic modulo 2^bits. Sums of int32 may be reassociated; the result is the same modulo 2^32,
 * so backends must compile int32 {@code + - *} as wrapping operations (no {@code nsw}).
 *
 * <p>Cost: linear in the size of the expression DAG. Each node is simplified once per set of facts
 * about its free variables (memoized by identity), and sums of more than {@link
 * LinearForm#MAX_TERMS} terms are left as they are. A result equal to the input is the input
 * instance. Deep expressions are handled on a thread with a large stack.
 */
public final class Simplifier {
  private Simplifier() {}

  /** {@code e} simplified, knowing nothing about its free variables. */
  public static Expr simplify(Expr e) {
    return simplify(e, Scope.empty());
  }

  /** {@code e} simplified, using the facts of {@code scope} about its free variables. */
  public static Expr simplify(Expr e, Scope scope) {
    if (e == null) throw new IllegalArgumentException("expression to simplify is null");
    return withStack(() -> new SimplifyRun(scope).simplifyTop(e));
  }

  /** {@code s} simplified, knowing nothing about its free variables. */
  public static Stmt simplify(Stmt s) {
    return simplify(s, Scope.empty());
  }

  /** {@code s} simplified, using the facts of {@code scope} about its free variables. */
  public static Stmt simplify(Stmt s, Scope scope) {
    if (s == null) throw new IllegalArgumentException("statement to simplify is null");
    return withStack(() -> new SimplifyRun(scope).simplifyTop(s));
  }

  /**
   * Whether {@code cond} (a bool, scalar or vector) is true for every value of its free variables:
   * true only when it simplifies to {@code true}, so a false answer means "not proven".
   */
  public static boolean canProve(Expr cond) {
    return canProve(cond, Scope.empty());
  }

  /** Whether {@code cond} is true whenever the facts of {@code scope} hold. */
  public static boolean canProve(Expr cond, Scope scope) {
    if (!cond.type().isBool()) {
      throw new IllegalArgumentException("canProve needs a bool condition, got " + cond.type());
    }
    return Consts.isTrue(simplify(cond, scope));
  }

  /** Stack for expressions too deep for the caller's thread (recursion is one frame group per level). */
  private static final long DEEP_STACK_BYTES = 1L << 30;

  /**
   * Runs {@code work} here, and again on a thread with a big stack if it runs out of stack. Each run
   * has its own state, so a run abandoned half-way leaves nothing behind.
   */
  private static <T> T withStack(Supplier<T> work) {
    try {
      return work.get();
    } catch (StackOverflowError e) {
      AtomicReference<T> result = new AtomicReference<>();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      Thread t = new Thread(null, () -> {
        try {
          result.set(work.get());
        } catch (Throwable x) {
          failure.set(x);
        }
      }, "halogen-simplify-deep", DEEP_STACK_BYTES);
      t.start();
      try {
        t.join();
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while simplifying a deep expression", ie);
      }
      Throwable x = failure.get();
      if (x instanceof RuntimeException re) throw re;
      if (x instanceof Error err) throw err;
      if (x != null) throw new IllegalStateException(x);
      return result.get();
    }
  }
}
