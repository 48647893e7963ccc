package dev.halogen.passes.analysis;

import dev.halogen.ir.Type;

/**
 * Constant bounds {@code [lo, hi]} (inclusive) on the mathematical integer value of an expression;
 * either side may be missing. Arithmetic is exact: a bound that does not fit in a long is dropped, so
 * the bounds are always sound.
 */
record ConstBounds(long lo, long hi, boolean hasLo, boolean hasHi) {
  static final ConstBounds UNBOUNDED = new ConstBounds(0, 0, false, false);

  static ConstBounds of(long lo, long hi) {
    return new ConstBounds(lo, hi, true, true);
  }

  static ConstBounds point(long v) {
    return of(v, v);
  }

  static ConstBounds atLeast(long lo) {
    return new ConstBounds(lo, 0, true, false);
  }

  static ConstBounds atMost(long hi) {
    return new ConstBounds(0, hi, false, true);
  }

  /** Every value of integer or bool type {@code t} (uint64 has no upper bound a long can hold). */
  static ConstBounds ofType(Type t) {
    if (t.isUInt() && t.bits() == 64) return atLeast(0);
    return of(t.minInt(), t.maxInt());
  }

  boolean isPoint() {
    return hasLo && hasHi && lo == hi;
  }

  boolean isBounded() {
    return hasLo && hasHi;
  }

  /** Whether every value of this range lies in {@code o}. */
  boolean within(ConstBounds o) {
    return (!o.hasLo || (hasLo && lo >= o.lo)) && (!o.hasHi || (hasHi && hi <= o.hi));
  }

  /** Whether every value lies in the range of type {@code t} (an unbounded side never does: uint64 has no long maximum). */
  boolean fitsIn(Type t) {
    return isBounded() && within(ofType(t));
  }

  /** The smallest range holding both. */
  ConstBounds hull(ConstBounds o) {
    return new ConstBounds(Math.min(lo, o.lo), Math.max(hi, o.hi), hasLo && o.hasLo, hasHi && o.hasHi);
  }

  /** The values in both; when they share none (dead code) this range is kept, which stays sound. */
  ConstBounds intersect(ConstBounds o) {
    boolean l = hasLo || o.hasLo;
    boolean h = hasHi || o.hasHi;
    long nlo = !hasLo ? o.lo : !o.hasLo ? lo : Math.max(lo, o.lo);
    long nhi = !hasHi ? o.hi : !o.hasHi ? hi : Math.min(hi, o.hi);
    if (l && h && nlo > nhi) return this;
    return new ConstBounds(nlo, nhi, l, h);
  }

  ConstBounds add(ConstBounds o) {
    long l = 0, h = 0;
    boolean hl = hasLo && o.hasLo, hh = hasHi && o.hasHi;
    if (hl) {
      try {
        l = Math.addExact(lo, o.lo);
      } catch (ArithmeticException e) {
        hl = false;
      }
    }
    if (hh) {
      try {
        h = Math.addExact(hi, o.hi);
      } catch (ArithmeticException e) {
        hh = false;
      }
    }
    return new ConstBounds(l, h, hl, hh);
  }

  ConstBounds negate() {
    boolean hl = hasHi && hi != Long.MIN_VALUE;
    boolean hh = hasLo && lo != Long.MIN_VALUE;
    return new ConstBounds(hl ? -hi : 0, hh ? -lo : 0, hl, hh);
  }

  ConstBounds sub(ConstBounds o) {
    return add(o.negate());
  }

  /** The range of {@code c * v} for v in this range. */
  ConstBounds scale(long c) {
    if (c == 0) return point(0);
    ConstBounds s = c > 0 ? this : negate();
    long m = Math.abs(c);
    if (c == Long.MIN_VALUE) return UNBOUNDED;
    long l = 0, h = 0;
    boolean hl = s.hasLo, hh = s.hasHi;
    if (hl) {
      try {
        l = Math.multiplyExact(s.lo, m);
      } catch (ArithmeticException e) {
        hl = false;
      }
    }
    if (hh) {
      try {
        h = Math.multiplyExact(s.hi, m);
      } catch (ArithmeticException e) {
        hh = false;
      }
    }
    return new ConstBounds(l, h, hl, hh);
  }

  ConstBounds mul(ConstBounds o) {
    if (o.isPoint()) return scale(o.lo);
    if (isPoint()) return o.scale(lo);
    if (!isBounded() || !o.isBounded()) return UNBOUNDED;
    try {
      long a = Math.multiplyExact(lo, o.lo), b = Math.multiplyExact(lo, o.hi);
      long c = Math.multiplyExact(hi, o.lo), d = Math.multiplyExact(hi, o.hi);
      return of(Math.min(Math.min(a, b), Math.min(c, d)), Math.max(Math.max(a, b), Math.max(c, d)));
    } catch (ArithmeticException e) {
      return UNBOUNDED;
    }
  }

  /** The range of {@code min(a, b)}: below each operand's upper bound, and below both lower bounds' max. */
  ConstBounds min(ConstBounds o) {
    boolean hl = hasLo && o.hasLo;
    boolean hh = hasHi || o.hasHi;
    long h = hasHi && o.hasHi ? Math.min(hi, o.hi) : hasHi ? hi : o.hi;
    return new ConstBounds(hl ? Math.min(lo, o.lo) : 0, hh ? h : 0, hl, hh);
  }

  ConstBounds max(ConstBounds o) {
    boolean hl = hasLo || o.hasLo;
    boolean hh = hasHi && o.hasHi;
    long l = hasLo && o.hasLo ? Math.max(lo, o.lo) : hasLo ? lo : o.lo;
    return new ConstBounds(hl ? l : 0, hh ? Math.max(hi, o.hi) : 0, hl, hh);
  }

  /** The largest absolute value, or -1 when unbounded. */
  long maxAbs() {
    if (!isBounded() || lo == Long.MIN_VALUE) return -1;
    return Math.max(Math.abs(lo), Math.abs(hi));
  }

  @Override
  public String toString() {
    return "[" + (hasLo ? Long.toString(lo) : "-inf") + ", " + (hasHi ? Long.toString(hi) : "+inf") + "]";
  }
}
