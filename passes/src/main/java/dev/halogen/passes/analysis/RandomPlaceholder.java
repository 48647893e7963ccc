package dev.halogen.passes.analysis;

import java.util.Set;

/**
 * The intrinsics {@code random_float()}, {@code random_int()} and {@code random_uint()} (each with an
 * optional seed argument): placeholders that the front end builds and replaces, when it makes a Func
 * definition, by an explicit hash of the definition's free variables (Halide's {@code
 * lower_random}). One that reaches evaluation or a backend was never put into a definition.
 */
public final class RandomPlaceholder {
  public static final String FLOAT = "random_float";
  public static final String INT = "random_int";
  public static final String UINT = "random_uint";

  private static final Set<String> NAMES = Set.of(FLOAT, INT, UINT);

  private RandomPlaceholder() {}

  /** Whether an intrinsic named {@code name} is a random placeholder. */
  public static boolean is(String name) {
    return NAMES.contains(name);
  }

  /** The error for a placeholder {@code name} found where only lowered expressions may be. */
  public static String unlowered(String name) {
    return name + "() is a placeholder that the front end replaces by a hash of the definition's variables when it is put into"
        + " a Func definition; this one was used outside any Func definition (for example in an RDom predicate or a bound),"
        + " where it has no variables to hash";
  }
}
