package dev.halogen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.halogen.ir.Buffer;
import dev.halogen.ir.Type;
import dev.halogen.ir.text.IrPrinter;
import dev.halogen.passes.Target;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** randomFloat/randomInt/randomUint: lowered to a hash of the coordinate when the definition is made. */
class RandomTest {
  private static final Target INTERP = Target.of("interp"), LLVM = Target.of("llvm");
  private final Var x = new Var("x"), y = new Var("y");

  // ---- an independent implementation of the documented hash

  private static int fnv1a(String s) {
    int h = 0x811c9dc5;
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) h = (h ^ (b & 0xff)) * 0x01000193;
    return h;
  }

  private static int lowbias32(int v) {
    v ^= v >>> 16;
    v *= 0x7feb352d;
    v ^= v >>> 15;
    v *= 0x846ca68b;
    return v ^ (v >>> 16);
  }

  private static int hash(String tag, int... inputs) {
    int h = fnv1a(tag);
    if (inputs.length == 0) return lowbias32(h);
    for (int k : inputs) h = lowbias32(h ^ k);
    return h;
  }

  private static long[] longs(Buffer b) {
    long[] out = new long[(int) b.extent(0)];
    for (int i = 0; i < out.length; i++) out[i] = b.getAsLong(i);
    return out;
  }

  @Test
  void valuesAreTheDocumentedHashOnBothBackends() {
    Func f = new Func("f");
    f.at(x, y).set(Exprs.randomUint());
    Func g = new Func("g");
    g.at(x).set(Exprs.randomFloat());
    g.at(x).plusAssign(Exprs.randomFloat());
    Func h = new Func("h");
    h.at().set(Exprs.randomInt());
    for (Target t : new Target[] {INTERP, LLVM}) {
      Buffer fb = f.realize(t, 5, 3);
      for (int j = 0; j < 3; j++) {
        for (int i = 0; i < 5; i++) assertEquals(Integer.toUnsignedLong(hash("f/0/0", i, j)), fb.getAsLong(i, j), "f(" + i + ", " + j + ")");
      }
      Buffer gb = g.realize(t, 4);
      for (int i = 0; i < 4; i++) {
        float pure = (hash("g/0/0", i) >>> 8) * 0x1p-24f;
        float update = (hash("g/1/0", i) >>> 8) * 0x1p-24f;
        assertEquals(pure + update, gb.getAsDouble(i), 0, "g(" + i + ")");
      }
      assertEquals(hash("h/0/0"), h.realize(t).getInt());
    }
  }

  @Test
  void uniformDeterministicAndEqualOnBothBackends() {
    Func f = new Func("noise");
    f.at(x, y).set(Exprs.randomFloat());
    f.vectorize(x, 8);
    Buffer a = f.realize(INTERP, 256, 256);
    Buffer b = f.realize(LLVM, 256, 256);
    Buffer c = f.realize(LLVM, 256, 256);
    double sum = 0;
    Set<Double> distinct = new HashSet<>();
    for (int j = 0; j < 256; j++) {
      for (int i = 0; i < 256; i++) {
        double v = a.getAsDouble(i, j);
        assertTrue(v >= 0 && v < 1, "in [0, 1) at " + i + "," + j + ": " + v);
        assertEquals(v, b.getAsDouble(i, j), 0, "llvm at " + i + "," + j);
        assertEquals(v, c.getAsDouble(i, j), 0, "a second realization at " + i + "," + j);
        sum += v;
        distinct.add(v);
      }
    }
    assertEquals(0.5, sum / 65536, 0.01, "mean");
    // 2^16 draws from 2^24 values collide about 128 times
    assertTrue(distinct.size() > 65000, "distinct coordinates give different values: " + distinct.size());
  }

  @Test
  void callsFuncsAndSeedsGiveDifferentNumbers() {
    Func twoCalls = new Func("two");
    twoCalls.at(x).set(Exprs.select(Exprs.randomUint().eq(Exprs.randomUint()), Expr.of(1), Expr.of(0)));
    Func f1 = new Func("f1");
    f1.at(x).set(Exprs.randomUint());
    Func f2 = new Func("f2");
    f2.at(x).set(Exprs.randomUint());
    Param seed = new Param("seed", Type.I32);
    Func seeded = new Func("seeded");
    seeded.at(x).set(Exprs.randomUint(seed));
    int n = 1000;
    Buffer same = twoCalls.realize(LLVM, n);
    for (int i = 0; i < n; i++) assertEquals(0, same.getInt(i), "two calls agree at " + i);
    long[] a = longs(f1.realize(INTERP, n)), b = longs(f2.realize(INTERP, n));
    int equal = 0;
    for (int i = 0; i < n; i++) if (a[i] == b[i]) equal++;
    assertEquals(0, equal, "identical definitions of two Funcs");
    seed.set(1);
    long[] s1 = longs(seeded.realize(INTERP, n));
    assertEquals(Integer.toUnsignedLong(hash("seeded/0/0", 7, 1)), s1[7]);
    assertArrayEqualsLong(s1, longs(seeded.realize(LLVM, n)));
    seed.set(2);
    long[] s2 = longs(seeded.realize(LLVM, n));
    assertFalse(java.util.Arrays.equals(s1, s2), "another seed gives other numbers");
  }

  private static void assertArrayEqualsLong(long[] expected, long[] actual) {
    org.junit.jupiter.api.Assertions.assertArrayEquals(expected, actual);
  }

  @Test
  void intAndUintCoverTheirWholeRanges() {
    Func i = new Func("ints");
    i.at(x).set(Exprs.randomInt());
    Func u = new Func("uints");
    u.at(x).set(Exprs.randomUint());
    long[] is = longs(i.realize(LLVM, 4096)), us = longs(u.realize(LLVM, 4096));
    long minI = Long.MAX_VALUE, maxI = Long.MIN_VALUE, maxU = 0;
    for (long v : is) {
      minI = Math.min(minI, v);
      maxI = Math.max(maxI, v);
    }
    for (long v : us) maxU = Math.max(maxU, v);
    assertTrue(minI < -(1L << 30) && maxI > (1L << 30), "int32 range covered: " + minI + " .. " + maxI);
    assertTrue(maxU > (3L << 30), "uint32 values past 2^31 + 2^30: " + maxU);
  }

  @Test
  void printedPipelinesAreDeterministic() {
    String[] texts = new String[2];
    for (int k = 0; k < 2; k++) {
      Var v = new Var("x");
      RDom r = new RDom(0, 4);
      Func f = new Func("f");
      f.at(v).set(Exprs.sum(Exprs.randomFloat().plus(r.x())));
      texts[k] = IrPrinter.print(new Pipeline(f).toIr());
    }
    assertEquals(texts[0], texts[1]);
    assertFalse(texts[0].contains("random_float"), texts[0]);
    assertTrue(texts[0].contains("let random."), texts[0]);
  }

  @Test
  void aPlaceholderOutsideADefinitionIsAClearError() {
    RDom r = new RDom(0, 4).where(Exprs.randomFloat().lt(0.5f));
    Func f = new Func("f");
    f.at(x).set(0f);
    f.at(r.x()).plusAssign(1f);
    for (Target t : new Target[] {INTERP, LLVM}) {
      Exception e = assertThrows(RuntimeException.class, () -> f.realize(t, 4));
      assertTrue(e.getMessage().contains("random_float() is a placeholder that the front end replaces"), e.getMessage());
    }
    assertNotEquals(null, Exprs.randomFloat().ir());
  }

  @Test
  void theSeedMustBeAnInteger() {
    assertEquals("random_float(float32): the seed must be an integer (use Exprs.cast to convert)",
        assertThrows(HalogenException.TypeException.class, () -> Exprs.randomFloat(Expr.of(1.5f))).getMessage());
  }
}
