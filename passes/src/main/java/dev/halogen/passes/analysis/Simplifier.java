package dev.halogen.passes.analysis;

import dev.halogen.ir.Expr;
import dev.halogen.ir.Stmt;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.ToIntFunction;

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
    return run(scope, r -> r.prepare(e), r -> r.simplify(e));
  }

  /** {@code s} simplified, knowing nothing about its free variables. */
  public static Stmt simplify(Stmt s) {
    return simplify(s, Scope.empty());
  }

  /** {@code s} simplified, using the facts of {@code scope} about its free variables. */
  public static Stmt simplify(Stmt s, Scope scope) {
    if (s == null) throw new IllegalArgumentException("statement to simplify is null");
    return run(scope, r -> r.prepare(s), r -> r.simplify(s));
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

  /** Expressions up to this height are simplified on the caller's thread. */
  private static final int SHALLOW = 1_000;

  /** Stack of the thread that simplifies deeper ones (recursion is a few frames per level). */
  private static final long DEEP_STACK_BYTES = 1L << 30;

  /**
   * Prepares a run and simplifies with it: on this thread when the input is shallow, else (or if the
   * stack runs out anyway) with a fresh run on a thread with a big stack. A run abandoned half-way
   * leaves nothing behind: all its state is its own.
   */
  private static <T> T run(Scope scope, ToIntFunction<SimplifyRun> prepare, Function<SimplifyRun, T> body) {
    SimplifyRun r = new SimplifyRun(scope);
    if (prepare.applyAsInt(r) <= SHALLOW) {
      try {
        return body.apply(r);
      } catch (StackOverflowError e) {
        // fall through to the big stack
      }
    }
    AtomicReference<T> result = new AtomicReference<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Runnable work = () -> {
      try {
        SimplifyRun fresh = new SimplifyRun(scope);
        prepare.applyAsInt(fresh);
        result.set(body.apply(fresh));
      } catch (Throwable x) {
        failure.set(x);
      }
    };
    Thread t = new Thread(null, work, "halogen-simplify-deep", DEEP_STACK_BYTES);
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
