package dev.halogen.ir;

import java.util.List;
import java.util.Map;

/**
 * Checks the invariants of both IR levels that the record constructors cannot check alone (they
 * already reject ill-typed operands, mismatched lanes and malformed names): that every variable is
 * bound, calls match what they call, schedules name real loops, buffers are declared, and so on.
 *
 * <p>The {@code problems} methods return every problem found (empty when the IR is valid); the
 * {@code verify} methods throw {@link IrVerificationException} listing them. Each problem says
 * where it is: a Func, stage and argument/value index for the function graph; an entry point and
 * the field path to the statement or expression for lowered IR.
 *
 * <p>Function graph rules: a variable in a definition is a pure variable of the Func, a variable
 * of the definition's own reduction domain, a scalar parameter of the same name and type, or let
 * bound. In an update, only the pure variables that appear unadorned at their own position in the
 * update's arguments are pure variables of the update (and its loops). Reduction domain bounds,
 * split factors and Func bounds may only use parameters and lets. A stage's loop variables start as
 * its pure variables and reduction variables; each split, fuse and rename consumes live variables
 * and creates new names; the dims must list every resulting variable exactly once.
 *
 * <p>Lowered rules: variables are bound by lets, loops or scalar arguments of the entry point, or
 * are the bounds variables {@code b.min.d}, {@code b.extent.d}, {@code b.stride.d} of a buffer
 * argument or constant {@code b} (see {@link LoweredModule.Argument}); loads, stores, provides and
 * frees name a declared buffer (an argument, a constant, an enclosing allocation or realization) of
 * the right element type, a Provide outside a realization of {@code f} writing the output buffer
 * {@code f} or, for a tuple, {@code f.0}, {@code f.1}, ...; vectorized and unrolled loops have
 * constant extents; with {@code flattened}, no {@code Provide}, {@code Realize} or Func/image call
 * remains.
 */
public final class IrVerifier {
  private IrVerifier() {}

  /** One broken invariant: where it is, and what is wrong. */
  public record Problem(String location, String message) {
    @Override
    public String toString() {
      return location + ": " + message;
    }
  }

  /** The problems of a function-graph pipeline; empty when it is valid. */
  public static List<Problem> problems(Pipeline p) {
    return new GraphVerifier(p).run();
  }

  /** @throws IrVerificationException listing every problem of {@code p} */
  public static void verify(Pipeline p) {
    throwIfAny(problems(p));
  }

  /** The problems of a lowered module; with {@code flattened}, multi-dimensional storage is an error. */
  public static List<Problem> problems(LoweredModule m, boolean flattened) {
    return LoweredVerifier.module(m, flattened);
  }

  /** @throws IrVerificationException listing every problem of {@code m} */
  public static void verify(LoweredModule m, boolean flattened) {
    throwIfAny(problems(m, flattened));
  }

  /**
   * The problems of a lowered statement in which the scalar variables {@code scalars} and the
   * buffers {@code buffers} (name to element type) are declared from outside.
   */
  public static List<Problem> problems(Stmt s, Map<String, Type> scalars, Map<String, Type> buffers, boolean flattened) {
    return LoweredVerifier.stmt(s, scalars, buffers, flattened);
  }

  /** @throws IrVerificationException listing every problem of {@code s} */
  public static void verify(Stmt s, Map<String, Type> scalars, Map<String, Type> buffers, boolean flattened) {
    throwIfAny(problems(s, scalars, buffers, flattened));
  }

  private static void throwIfAny(List<Problem> problems) {
    if (!problems.isEmpty()) throw new IrVerificationException(problems);
  }
}
