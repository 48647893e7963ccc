package dev.halogen.passes.analysis;

import dev.halogen.ir.Type;

/**
 * What is known about the remainder of an integer value: it is {@code remainder} modulo {@code
 * modulus}. A modulus of 0 means the value is exactly {@code remainder}; a modulus of 1 means nothing
 * is known. Otherwise {@code 0 <= remainder < modulus}. Facts are about mathematical values; for a
 * wrapping type only power-of-two moduli up to the width survive the wrap (see {@link #wrapped}).
 */
record Alignment(long modulus, long remainder) {
  static final Alignment UNKNOWN = new Alignment(1, 0);

  static Alignment constant(long v) {
    return new Alignment(0, v);
  }

  /** {@code v = remainder (mod modulus)}, normalized; a non-positive or huge modulus gives what it can. */
  static Alignment of(long modulus, long remainder) {
    if (modulus == 0) return constant(remainder);
    if (modulus == Long.MIN_VALUE) return UNKNOWN;
    long m = Math.abs(modulus);
    return new Alignment(m, Math.floorMod(remainder, m));
  }

  boolean isConstant() {
    return modulus == 0;
  }

  static long gcd(long a, long b) {
    a = Math.abs(a);
    b = Math.abs(b);
    while (b != 0) {
      long t = a % b;
      a = b;
      b = t;
    }
    return a;
  }

  Alignment add(Alignment o) {
    if (isConstant() && o.isConstant()) {
      try {
        return constant(Math.addExact(remainder, o.remainder));
      } catch (ArithmeticException e) {
        return UNKNOWN;
      }
    }
    long m = gcd(modulus, o.modulus);
    return of(m, Math.floorMod(remainder, m) + Math.floorMod(o.remainder, m));
  }

  Alignment negate() {
    if (isConstant()) return remainder == Long.MIN_VALUE ? UNKNOWN : constant(-remainder);
    return of(modulus, -remainder);
  }

  Alignment sub(Alignment o) {
    return add(o.negate());
  }

  Alignment mul(Alignment o) {
    try {
      if (isConstant() && o.isConstant()) return constant(Math.multiplyExact(remainder, o.remainder));
      if (o.isConstant()) return scale(o.remainder);
      if (isConstant()) return o.scale(remainder);
      // (m1 k + r1)(m2 j + r2) = m1 m2 kj + m1 k r2 + m2 j r1 + r1 r2
      long m = gcd(gcd(Math.multiplyExact(modulus, o.modulus), Math.multiplyExact(modulus, o.remainder)),
          Math.multiplyExact(o.modulus, remainder));
      if (m == 0) return constant(Math.multiplyExact(remainder, o.remainder));
      return of(m, Math.floorMod(Math.multiplyExact(remainder, o.remainder), m));
    } catch (ArithmeticException e) {
      return UNKNOWN;
    }
  }

  private Alignment scale(long c) {
    if (c == 0) return constant(0);
    return of(Math.multiplyExact(modulus, c), Math.multiplyExact(remainder, c));
  }

  /** What is known of either value (for min, max and select). */
  Alignment union(Alignment o) {
    try {
      long m = gcd(gcd(modulus, o.modulus), Math.subtractExact(remainder, o.remainder));
      return m == 0 ? this : of(m, remainder);
    } catch (ArithmeticException e) {
      return UNKNOWN;
    }
  }

  /** The alignment of {@code floor(v / c)} for a constant {@code c > 0} that divides the modulus. */
  Alignment divide(long c) {
    if (c <= 0) return UNKNOWN;
    if (isConstant()) return constant(Math.floorDiv(remainder, c));
    if (modulus % c != 0) return UNKNOWN;
    return of(modulus / c, Math.floorDiv(remainder, c));
  }

  /** The alignment of the Euclidean {@code v mod c} for a constant {@code c != 0}. */
  Alignment mod(long c) {
    if (c == Long.MIN_VALUE) return UNKNOWN;
    long m = Math.abs(c);
    if (isConstant()) return constant(Math.floorMod(remainder, m));
    long g = gcd(modulus, m);
    return g == m ? constant(Math.floorMod(remainder, m)) : of(g, remainder);
  }

  /**
   * What stays true of the value once wrapped to the width of {@code t}: wrapping changes the value by
   * a multiple of 2^bits, so only the power-of-two part of the modulus (up to 2^bits) survives, and an
   * exact value becomes its wrapped value.
   */
  Alignment wrapped(Type t) {
    if (isConstant()) {
      long w = Consts.wrap(t, remainder);
      // a uint64 of 2^63 or more has no long value to be exact about
      return t.isUInt() && t.bits() == 64 && w < 0 ? UNKNOWN : constant(w);
    }
    long p = Long.lowestOneBit(modulus);
    if (t.bits() < 63) p = Math.min(p, 1L << t.bits());
    return of(p, remainder);
  }

  @Override
  public String toString() {
    return isConstant() ? "= " + remainder : remainder + " mod " + modulus;
  }
}
