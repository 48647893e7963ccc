package dev.halogen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.halogen.ir.Buffer;
import dev.halogen.ir.Type;
import dev.halogen.ir.text.IrPrinter;
import dev.halogen.passes.Target;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The front end's bitwise operations: their IR, their operand rules, and their values on both backends against Java. */
class BitwiseExprsTest {
  private final Var x = new Var("x"), y = new Var("y");
  private final Param u = new Param("u", Type.U8), s = new Param("s", Type.I16), w = new Param("w", Type.U32), f = new Param("f", Type.F32);

  private static String text(ExprLike e) {
    return IrPrinter.print(e.ir());
  }

  @Test
  void buildTheIntrinsics() {
    assertEquals("bitwise_and(x, 255)", text(Exprs.bitwiseAnd(x, 255)));
    assertEquals("bitwise_or(x, y)", text(x.bitwiseOr(y)));
    assertEquals("bitwise_xor(x, bitwise_not(y))", text(x.bitwiseXor(y.bitwiseNot())));
    assertEquals("shift_left(x, 3)", text(x.shiftLeft(3)));
    assertEquals("shift_right(x, y)", text(Exprs.shiftRight(x, y)));
  }

  @Test
  void literalsAdaptAndNarrowerTypesWiden() {
    assertEquals("var u: uint8\nbitwise_and(u, 15u8)", text(u.bitwiseAnd(15)));
    assertEquals("var u: uint8\nbitwise_and(15u8, u)", text(Exprs.bitwiseAnd(Expr.of(15), u)));
    // the narrower operand takes the wider's type; of equal widths the first operand's type wins
    assertEquals("var s: int16\nvar u: uint8\nbitwise_or(s, cast<int16>(u))", text(s.bitwiseOr(u)));
    assertEquals("var s: int16\nvar u: uint8\nbitwise_xor(cast<int16>(u), s)", text(u.bitwiseXor(s)));
    assertEquals("var w: uint32\nbitwise_and(w, cast<uint32>(x))", text(w.bitwiseAnd(x)));
    // a shift amount keeps its signedness and takes the value's width; a negative literal is signed
    assertEquals("var u: uint8\nshift_right(u, 2u8)", text(u.shiftRight(2)));
    assertEquals("var u: uint8\nshift_left(u, -1i8)", text(u.shiftLeft(-1)));
    assertEquals("var u: uint8\nshift_left(u, cast<int8>(x))", text(u.shiftLeft(x)));
    assertEquals("var w: uint32\nshift_right(x, w)", text(x.shiftRight(w)));
    assertEquals("var u: uint8\nshift_left(1u8, u)", text(Exprs.shiftLeft(Expr.of(1), u)));
    // bools: bitwise on one bit
    assertEquals("bitwise_and(x < 1, y < 2)", text(Exprs.bitwiseAnd(x.lt(1), y.lt(2))));
    assertEquals(Type.BOOL, Exprs.bitwiseNot(x.lt(1)).type());
  }

  private static String typeError(org.junit.jupiter.api.function.Executable e) {
    return assertThrows(HalogenException.TypeException.class, e).getMessage();
  }

  @Test
  void floatsAndMismatchesAreErrorsNamingTheOperation() {
    assertEquals("bitwiseAnd(float32, int32): needs integer operands, or two bools", typeError(() -> f.bitwiseAnd(1)));
    assertEquals("bitwiseOr(int32, float32): needs integer operands, or two bools", typeError(() -> x.bitwiseOr(f)));
    assertEquals("shiftLeft(float32, int32): needs integer operands", typeError(() -> f.shiftLeft(1)));
    assertEquals("shiftRight(int32, bool): needs integer operands", typeError(() -> x.shiftRight(y.lt(1))));
    assertEquals("bitwiseXor(bool, int32): needs integer operands, or two bools", typeError(() -> x.lt(1).bitwiseXor(x)));
    assertEquals("bitwiseNot(float32): needs an integer or a bool", typeError(() -> f.bitwiseNot()));
    assertEquals("bitwiseAnd(uint8, int32): the integer literal 256 does not fit in uint8, the type of the other operand; cast explicitly",
        typeError(() -> u.bitwiseAnd(256)));
    assertEquals("shiftLeft(uint8, int32): the shift amount 300 does not fit in uint8 or int8; cast explicitly",
        typeError(() -> u.shiftLeft(300)));
  }

  // ------------------------------------------------------------------ values, against Java

  /** Halide's shift of an int32 by a signed amount, written independently of the evaluator. */
  private static int shift(int a, int k, boolean left) {
    if (k < 0) return shift(a, -k, !left);
    if (left) return k >= 32 ? 0 : a << k;
    return k >= 32 ? (a < 0 ? -1 : 0) : a >> k;
  }

  private static int reference(int op, int a, int k) {
    return switch (op) {
      case 0 -> a & 0x0F0F;
      case 1 -> a | k;
      case 2 -> a ^ k;
      case 3 -> ~a;
      case 4 -> shift(a, k, true);
      default -> shift(a, k, false);
    };
  }

  @Test
  void int32ValuesMatchJavaOnBothBackendsScalarAndVectorized() {
    int n = 37;
    int[] as = new int[n], ks = new int[n];
    for (int i = 0; i < n; i++) {
      as[i] = (i % 2 == 0 ? -1 : 1) * (i * 0x01234567 + 5);
      ks[i] = i * 3 - 50; // -50 .. 58: negative, small, at and past the width
    }
    ImageParam a = new ImageParam("a", Type.I32, 1);
    ImageParam k = new ImageParam("k", Type.I32, 1);
    a.set(Buffer.of(as, n));
    k.set(Buffer.of(ks, n));
    for (boolean vectorized : new boolean[] {false, true}) {
      Func out = new Func("out");
      ExprLike av = a.at(x), kv = k.at(x);
      out.at(x, y).set(Exprs.select(y.eq(0), av.bitwiseAnd(0x0F0F), y.eq(1), av.bitwiseOr(kv), y.eq(2), av.bitwiseXor(kv),
          y.eq(3), av.bitwiseNot(), y.eq(4), av.shiftLeft(kv), av.shiftRight(kv)));
      if (vectorized) out.vectorize(x, 8);
      for (String backend : List.of("interp", "llvm")) {
        Buffer b = out.realize(Target.of(backend), n, 6);
        for (int op = 0; op < 6; op++) {
          for (int i = 0; i < n; i++) {
            assertEquals(reference(op, as[i], ks[i]), b.getInt(i, op), "op " + op + " at " + i + " on " + backend + (vectorized ? " vectorized" : ""));
          }
        }
      }
    }
  }

  @Test
  void uint8ValuesMatchJavaOnBothBackendsScalarAndVectorized() {
    int n = 40;
    byte[] as = new byte[n];
    for (int i = 0; i < n; i++) as[i] = (byte) (i * 37 + 11);
    ImageParam a = new ImageParam("a8", Type.U8, 1);
    a.set(Buffer.of(Type.U8, as, n));
    for (boolean vectorized : new boolean[] {false, true}) {
      Func out = new Func("out8");
      Expr av = a.at(x).bitwiseXor(0xA5);
      // the amount x % 10 - 1 is -1 .. 8 as an int8: a negative amount and one of the full width
      Expr amount = Exprs.cast(Type.I8, x.rem(10).minus(1));
      out.at(x, y).set(Exprs.select(y.eq(0), av.shiftRight(amount), y.eq(1), av.shiftLeft(amount), av.bitwiseNot().bitwiseAnd(0x3C)));
      if (vectorized) out.vectorize(x, 16);
      for (String backend : List.of("interp", "llvm")) {
        Buffer b = out.realize(Target.of(backend), n, 3);
        for (int i = 0; i < n; i++) {
          int v = (as[i] & 0xFF) ^ 0xA5;
          int kk = i % 10 - 1;
          int right = kk < 0 ? (v << 1) & 0xFF : kk >= 8 ? 0 : v >>> kk;
          int left = kk < 0 ? v >>> 1 : kk >= 8 ? 0 : (v << kk) & 0xFF;
          String at = " at " + i + " on " + backend + (vectorized ? " vectorized" : "");
          assertEquals(right, b.getAsLong(i, 0), "shift_right" + at);
          assertEquals(left, b.getAsLong(i, 1), "shift_left" + at);
          assertEquals(~v & 0x3C, b.getAsLong(i, 2), "not/and" + at);
        }
      }
    }
  }
}
