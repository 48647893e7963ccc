package dev.halogen.passes.analysis;

import java.util.HashMap;
import java.util.Map;

/**
 * Facts about free variables that the simplifier may use: constant bounds ({@code x in [0, 15]}) and
 * alignment ({@code x = 1 (mod 4)}). Immutable; each {@code with...} returns a new scope. Facts are
 * about the variable's mathematical value (for a {@code uint64} variable only values up to {@code
 * Long.MAX_VALUE} can be stated); a fact that contradicts the variable's type is cut to it.
 */
public final class Scope {
  /** What is known of one variable: bounds (either side optional) and {@code value = remainder (mod modulus)}. */
  record Fact(ConstBounds bounds, Alignment alignment) {}

  private static final Scope EMPTY = new Scope(Map.of());

  private final Map<String, Fact> facts;

  private Scope(Map<String, Fact> facts) {
    this.facts = facts;
  }

  /** The scope that knows nothing. */
  public static Scope empty() {
    return EMPTY;
  }

  /** This scope, also knowing {@code min <= var <= max}. */
  public Scope withBounds(String var, long min, long max) {
    if (min > max) {
      throw new IllegalArgumentException("bounds of variable '" + var + "' are empty: [" + min + ", " + max + "]");
    }
    return with(var, ConstBounds.of(min, max), null);
  }

  /** This scope, also knowing {@code var >= min}. */
  public Scope withMin(String var, long min) {
    return with(var, ConstBounds.atLeast(min), null);
  }

  /** This scope, also knowing {@code var <= max}. */
  public Scope withMax(String var, long max) {
    return with(var, ConstBounds.atMost(max), null);
  }

  /** This scope, also knowing that {@code var} is {@code remainder} modulo {@code modulus} (> 0). */
  public Scope withAlignment(String var, long modulus, long remainder) {
    if (modulus <= 0) {
      throw new IllegalArgumentException("alignment modulus of variable '" + var + "' must be positive, got " + modulus);
    }
    return with(var, null, Alignment.of(modulus, remainder));
  }

  private Scope with(String var, ConstBounds bounds, Alignment alignment) {
    if (var == null || var.isEmpty()) throw new IllegalArgumentException("scope variable name is empty");
    Fact old = facts.getOrDefault(var, new Fact(ConstBounds.UNBOUNDED, Alignment.UNKNOWN));
    Fact fact =
        new Fact(
            bounds == null ? old.bounds() : old.bounds().intersect(bounds),
            alignment == null ? old.alignment() : alignment);
    Map<String, Fact> copy = new HashMap<>(facts);
    copy.put(var, fact);
    return new Scope(Map.copyOf(copy));
  }

  /** The fact about {@code var}, or null. */
  Fact fact(String var) {
    return facts.get(var);
  }

  @Override
  public String toString() {
    return "Scope" + facts;
  }
}
