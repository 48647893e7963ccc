package dev.halogen.passes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.halogen.ir.Buffer;
import dev.halogen.ir.LoweredModule.Argument;
import dev.halogen.ir.LoweredModule.ArgumentKind;
import dev.halogen.ir.LoweredModule.EntryPoint;
import dev.halogen.ir.Stmt;
import dev.halogen.ir.Type;
import dev.halogen.passes.analysis.Value;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArgumentsTest {
  static final EntryPoint EP = new EntryPoint("blur", List.of(
      new Argument("in", ArgumentKind.INPUT_BUFFER, Type.U8, 2),
      new Argument("k", ArgumentKind.SCALAR, Type.F32, 0),
      new Argument("n", ArgumentKind.SCALAR, Type.I16, 0),
      new Argument("out", ArgumentKind.OUTPUT_BUFFER, Type.F32, 1)), Stmt.NO_OP);

  static final Buffer IN = Buffer.allocate(Type.U8, 4, 3);
  static final Buffer OUT = Buffer.allocate(Type.F32, 4);

  static Map<String, Object> valid() {
    Map<String, Object> m = new HashMap<>();
    m.put("in", IN);
    m.put("k", 0.5f);
    m.put("n", 7);
    m.put("out", OUT);
    return m;
  }

  static String error(Map<String, Object> values) {
    return assertThrows(IllegalArgumentException.class, () -> Arguments.of(EP, values)).getMessage();
  }

  static String error(String name, Object value) {
    Map<String, Object> m = valid();
    m.put(name, value);
    return error(m);
  }

  @Test
  void validArgumentsKeepTheirBuffersAndConvertTheirScalars() {
    Arguments a = Arguments.of(EP, valid());
    assertSame(EP, a.entryPoint());
    assertSame(IN, a.buffer("in"));
    assertSame(OUT, a.buffer("out"));
    assertEquals(new Value.FloatScalar(Type.F32, 0.5), a.scalar("k"));
    assertEquals(new Value.IntScalar(Type.I16, 7), a.scalar("n"));
    assertEquals(List.of("in", "out"), List.copyOf(a.buffers().keySet()));
    assertEquals(List.of("k", "n"), List.copyOf(a.scalars().keySet()));
  }

  @Test
  void theBuilderGivesTheSameArguments() {
    Arguments a = Arguments.builder(EP).buffer("out", OUT).scalar("n", (short) 7).scalar("k", 0.5).buffer("in", IN).build();
    assertEquals(Arguments.of(EP, valid()).scalars(), a.scalars());
    assertEquals(Arguments.of(EP, valid()).buffers(), a.buffers());
  }

  @Test
  void missingArgumentsAreAllNamed() {
    Map<String, Object> m = valid();
    m.remove("k");
    m.remove("out");
    assertEquals("entry point blur is missing arguments k (float32 scalar), out (output buffer of float32, 1-D)", error(m));
    assertEquals("entry point blur is missing argument in (input buffer of uint8, 2-D)",
        assertThrows(IllegalArgumentException.class,
            () -> Arguments.builder(EP).scalar("k", 1f).scalar("n", 1).buffer("out", OUT).build()).getMessage());
  }

  @Test
  void anUnknownArgumentListsTheKnownOnes() {
    assertEquals("entry point blur has no argument 'gain'; its arguments are in (input buffer of uint8, 2-D), k (float32 scalar), "
        + "n (int16 scalar), out (output buffer of float32, 1-D)", error("gain", 1f));
    EntryPoint none = new EntryPoint("nothing", List.of(), Stmt.NO_OP);
    assertEquals("entry point nothing has no argument 'x'; it takes none",
        assertThrows(IllegalArgumentException.class, () -> Arguments.of(none, Map.of("x", 1))).getMessage());
  }

  @Test
  void anArgumentSetTwice() {
    assertEquals("argument n (int16 scalar) of entry point blur is set twice",
        assertThrows(IllegalArgumentException.class, () -> Arguments.builder(EP).scalar("n", 1).scalar("n", 2)).getMessage());
  }

  @Test
  void wrongBuffers() {
    assertEquals("argument in (input buffer of uint8, 2-D) of entry point blur needs uint8 elements, got a buffer of float32",
        error("in", Buffer.allocate(Type.F32, 4, 3)));
    assertEquals("argument in (input buffer of uint8, 2-D) of entry point blur needs 2 dimension(s), got a buffer with 1",
        error("in", Buffer.allocate(Type.U8, 12)));
    assertEquals("argument out (output buffer of float32, 1-D) of entry point blur needs a Buffer, got Float (1.0)", error("out", 1f));
    assertEquals("argument out (output buffer of float32, 1-D) of entry point blur needs a Buffer, got null", error("out", null));
  }

  @Test
  void wrongScalars() {
    assertEquals("argument k (float32 scalar) of entry point blur needs a number, got Buffer (Buffer(float32, [0, 3]))", error("k", OUT));
    assertEquals("argument k (float32 scalar) of entry point blur needs a number, got String (0.5)", error("k", "0.5"));
    assertEquals("argument n (int16 scalar) of entry point blur needs an integer (Byte, Short, Integer, Long, BigInteger), got Float (1.5)",
        error("n", 1.5f));
    assertEquals("argument n (int16 scalar) of entry point blur needs a value of type int16, and 40000 is out of its range", error("n", 40000));
    assertEquals("argument n (int16 scalar) of entry point blur needs a value of type int16, got int32 7",
        error("n", new Value.IntScalar(Type.I32, 7)));
  }

  @Test
  void integersForFloatsRoundOnceLikeACast() {
    Map<String, Object> m = valid();
    m.put("k", 16777217); // 2^24 + 1 is a tie between two float32 values; round to even gives 2^24
    assertEquals(new Value.FloatScalar(Type.F32, 16777216.0), Arguments.of(EP, m).scalar("k"));
    m.put("k", 0.1); // a double rounds to the nearest float32
    assertEquals(new Value.FloatScalar(Type.F32, (double) 0.1f), Arguments.of(EP, m).scalar("k"));
  }

  @Test
  void theWholeRangeOfUnsignedAndBoolTypes() {
    EntryPoint ep = new EntryPoint("e", List.of(new Argument("u", ArgumentKind.SCALAR, Type.U64, 0),
        new Argument("b", ArgumentKind.SCALAR, Type.BOOL, 0)), Stmt.NO_OP);
    BigInteger max = BigInteger.TWO.pow(64).subtract(BigInteger.ONE);
    Arguments a = Arguments.of(ep, Map.of("u", max, "b", true));
    assertEquals(new Value.IntScalar(Type.U64, -1), a.scalar("u"));
    assertEquals(new Value.IntScalar(Type.BOOL, 1), a.scalar("b"));
    assertEquals("argument u (uint64 scalar) of entry point e needs a value of type uint64, and -1 is out of its range",
        assertThrows(IllegalArgumentException.class, () -> Arguments.of(ep, Map.of("u", -1L, "b", true))).getMessage());
    assertEquals("argument b (bool scalar) of entry point e needs a Boolean, got Integer (1)",
        assertThrows(IllegalArgumentException.class, () -> Arguments.of(ep, Map.of("u", 1, "b", 1))).getMessage());
  }
}
