package dev.halogen.ir.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.halogen.ir.Expr;
import dev.halogen.ir.Expr.FloatImm;
import dev.halogen.ir.Expr.IntImm;
import dev.halogen.ir.Expr.UIntImm;
import dev.halogen.ir.Type;
import java.util.SplittableRandom;
import kotlinx.serialization.json.JsonPrimitive;
import org.junit.jupiter.api.Test;

/** Integers and floats survive JSON exactly, to the bit. */
class IrJsonNumbersTest {
  /** The literal text of the immediate's value in its JSON document. */
  static String valueText(Expr e) {
    return ((JsonPrimitive) JsonEdit.get(IrJson.toJson(e), "expr", "value")).getContent();
  }

  static Expr roundTrip(Expr e) {
    return IrJson.exprFromJson(IrJson.toJson(e));
  }

  static double roundTripValue(FloatImm f) {
    return ((FloatImm) roundTrip(f)).value();
  }

  @Test
  void int64Extremes() {
    assertEquals("-9223372036854775808", valueText(new IntImm(Type.I64, Long.MIN_VALUE)));
    assertEquals("9223372036854775807", valueText(new IntImm(Type.I64, Long.MAX_VALUE)));
    assertEquals(new IntImm(Type.I64, Long.MIN_VALUE), roundTrip(new IntImm(Type.I64, Long.MIN_VALUE)));
    assertEquals(new IntImm(Type.I64, Long.MAX_VALUE), roundTrip(new IntImm(Type.I64, Long.MAX_VALUE)));
    // Both neighbours of 2^53, where doubles stop being exact.
    assertEquals(new IntImm(Type.I64, (1L << 53) + 1), roundTrip(new IntImm(Type.I64, (1L << 53) + 1)));
  }

  @Test
  void uint64IsWrittenUnsigned() {
    assertEquals("18446744073709551615", valueText(new UIntImm(Type.U64, -1L)));
    assertEquals("9223372036854775808", valueText(new UIntImm(Type.U64, Long.MIN_VALUE)));
    assertEquals(new UIntImm(Type.U64, -1L), roundTrip(new UIntImm(Type.U64, -1L)));
    assertEquals(new UIntImm(Type.U64, Long.MIN_VALUE), roundTrip(new UIntImm(Type.U64, Long.MIN_VALUE)));
    assertEquals(new UIntImm(Type.U64, -2L), IrJson.exprFromJson(
        "{\"format\":1,\"kind\":\"expr\",\"expr\":{\"node\":\"UIntImm\",\"type\":\"uint64\",\"value\":18446744073709551614}}"));
  }

  @Test
  void randomIntegersAreExact() {
    SplittableRandom r = new SplittableRandom(7);
    for (int i = 0; i < 2000; i++) {
      long v = r.nextLong();
      assertEquals(new IntImm(Type.I64, v), roundTrip(new IntImm(Type.I64, v)));
      assertEquals(new UIntImm(Type.U64, v), roundTrip(new UIntImm(Type.U64, v)));
      int w = (int) v;
      assertEquals(new IntImm(Type.I32, w), roundTrip(new IntImm(Type.I32, w)));
      assertEquals(new UIntImm(Type.U32, Integer.toUnsignedLong(w)), roundTrip(new UIntImm(Type.U32, Integer.toUnsignedLong(w))));
    }
  }

  @Test
  void randomDoublesAreBitExact() {
    SplittableRandom r = new SplittableRandom(11);
    int nans = 0;
    for (int i = 0; i < 20000; i++) {
      // Random bit patterns cover every exponent, subnormals and NaNs with payloads; random
      // values in [0, 1) cover ordinary decimals.
      double v = i % 2 == 0 ? Double.longBitsToDouble(r.nextLong()) : r.nextDouble();
      if (Double.isNaN(v)) nans++;
      FloatImm f = new FloatImm(Type.F64, v);
      assertEquals(Double.doubleToRawLongBits(f.value()), Double.doubleToRawLongBits(roundTripValue(f)), "bits of " + v);
    }
    assertTrue(nans > 0, "the random patterns include NaNs");
  }

  @Test
  void randomFloatsAreBitExact() {
    SplittableRandom r = new SplittableRandom(13);
    for (int i = 0; i < 20000; i++) {
      float v = i % 2 == 0 ? Float.intBitsToFloat(r.nextInt()) : (float) r.nextDouble();
      FloatImm f = new FloatImm(Type.F32, v);
      assertEquals(Double.doubleToRawLongBits(f.value()), Double.doubleToRawLongBits(roundTripValue(f)), "bits of " + v);
    }
  }

  @Test
  void everyFloat16IsBitExact() {
    for (int bits = 0; bits < 1 << 16; bits++) {
      FloatImm f = new FloatImm(Type.F16, Float.float16ToFloat((short) bits));
      assertEquals(Double.doubleToRawLongBits(f.value()), Double.doubleToRawLongBits(roundTripValue(f)),
          "float16 bits " + Integer.toHexString(bits));
    }
  }

  @Test
  void floatEdgeValuesAndTheirText() {
    assertEquals("4.9E-324", valueText(new FloatImm(Type.F64, Double.MIN_VALUE)));
    assertEquals("1.7976931348623157E308", valueText(new FloatImm(Type.F64, Double.MAX_VALUE)));
    assertEquals("2.2250738585072014E-308", valueText(new FloatImm(Type.F64, Double.MIN_NORMAL)));
    assertEquals("1.4E-45", valueText(new FloatImm(Type.F32, Float.MIN_VALUE)));
    assertEquals("0.1", valueText(new FloatImm(Type.F64, 0.1)));
    assertEquals("-0.0", valueText(new FloatImm(Type.F64, -0.0)));
    assertEquals("0.0", valueText(new FloatImm(Type.F64, 0.0)));
    assertEquals("Infinity", valueText(new FloatImm(Type.F32, Double.POSITIVE_INFINITY)));
    assertEquals("NaN", valueText(new FloatImm(Type.F32, Double.NaN)));
    assertEquals("NaN", valueText(new FloatImm(Type.F16, Double.NaN)));
    // Smallest float16 subnormal, 2^-24.
    assertEquals("5.9604645E-8", valueText(new FloatImm(Type.F16, Math.scalb(1.0, -24))));
    // NaNs other than the canonical one keep their bits, in the type's width.
    assertEquals("NaN:0x7ff0000000000001", valueText(new FloatImm(Type.F64, Double.longBitsToDouble(0x7ff0000000000001L))));
    assertEquals("NaN:0xfff8000000000000", valueText(new FloatImm(Type.F64, Double.longBitsToDouble(0xfff8000000000000L))));
    assertEquals("NaN:0x7fc00123", valueText(new FloatImm(Type.F32, Float.intBitsToFloat(0x7fc00123))));
    assertEquals("NaN:0x7e01", valueText(new FloatImm(Type.F16, Float.float16ToFloat((short) 0x7e01))));
    assertEquals(-0.0, roundTripValue(new FloatImm(Type.F64, -0.0)));
    assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(roundTripValue(new FloatImm(Type.F32, -0.0))));
  }

  @Test
  void handWrittenDecimalsRoundToTheType() {
    assertEquals(new FloatImm(Type.F64, 250), IrJson.exprFromJson(doc("float64", "2.5E+2")));
    assertEquals(new FloatImm(Type.F64, 0.001), IrJson.exprFromJson(doc("float64", "1e-3")));
    assertEquals(new FloatImm(Type.F32, 0.1f), IrJson.exprFromJson(doc("float32", "0.1")));
    assertEquals(new FloatImm(Type.F64, 0.0), IrJson.exprFromJson(doc("float64", "1e-400")));
    assertEquals(new FloatImm(Type.F32, Float.MAX_VALUE), IrJson.exprFromJson(doc("float32", "3.4028235E38")));
    assertEquals(new FloatImm(Type.F16, 65504), IrJson.exprFromJson(doc("float16", "65504")));
    assertEquals(new FloatImm(Type.F64, Double.POSITIVE_INFINITY), IrJson.exprFromJson(doc("float64", "\"Infinity\"")));
  }

  static String doc(String type, String value) {
    return "{\"format\": 1, \"kind\": \"expr\", \"expr\": {\"node\": \"FloatImm\", \"type\": \"" + type + "\", \"value\": " + value + "}}";
  }
}
