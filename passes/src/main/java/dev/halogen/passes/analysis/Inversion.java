package dev.halogen.passes.analysis;

import dev.halogen.ir.Expr;
import java.util.Optional;

/**
 * The answer of {@link Solver#invert}: the points {@code x} that an index expression {@code arg(x)}
 * maps to a given value {@code u} (scatter to gather), or why they cannot be listed.
 */
public sealed interface Inversion {
  /**
   * {@code arg(x) == u} holds exactly for the {@code x} in {@code [min, min + extent - 1]}, when
   * {@code predicate} holds, and for no {@code x} otherwise. {@code min} and {@code predicate} are
   * expressions over {@code u} and the other free variables of {@code arg} (never {@code x});
   * {@code extent} is a constant: 1 for an exact inverse ({@code x == min}), {@code k} for a
   * division by {@code k}. {@code predicate} is {@code true} when every {@code u} has preimages.
   */
  record Inverse(Expr min, int extent, Expr predicate) implements Inversion {
    public Inverse {
      if (min == null || predicate == null) throw new IllegalArgumentException("inverse min and predicate must not be null");
      if (extent < 1) throw new IllegalArgumentException("inverse extent must be positive, got " + extent);
      if (!predicate.type().isBool()) throw new IllegalArgumentException("inverse predicate must be bool, got " + predicate.type());
    }

    /** Whether each {@code u} has one preimage, {@code min}. */
    public boolean isExact() {
      return extent == 1;
    }
  }

  /** No inverse of constant extent exists (or none was found); {@code reason} says why, naming the culprit. */
  record NotInvertible(String reason) implements Inversion {
    public NotInvertible {
      if (reason == null || reason.isEmpty()) throw new IllegalArgumentException("a non-invertible answer needs a reason");
    }
  }

  /** The inverse, or empty when there is none. */
  default Optional<Inverse> inverse() {
    return this instanceof Inverse i ? Optional.of(i) : Optional.empty();
  }
}
