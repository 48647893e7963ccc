package dev.halogen.backend.llvm;

import dev.halogen.backend.llvm.Differential.Fill;
import dev.halogen.backend.llvm.ExprDifferentialTest.Access;
import dev.halogen.backend.llvm.ExprDifferentialTest.Output;
import dev.halogen.ir.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bitwise intrinsics against the interpreter, bit for bit, for every integer type, scalar and
 * vector: random bits (shift amounts mostly past the width or negative), small amounts on both
 * sides of zero and of the width, constant amounts (which LLVM folds: a shift by the width or more
 * must not become poison there either) and amounts of the other signedness.
 */
class BitwiseDifferentialTest {
  static final List<Type> INTEGERS = List.of(Type.I8, Type.I16, Type.I32, Type.I64, Type.U8, Type.U16, Type.U32, Type.U64);

  static Stream<Arguments> integersByAccess() {
    List<Arguments> all = new ArrayList<>();
    for (Access access : Access.values()) for (Type t : INTEGERS) all.add(Arguments.of(t, access));
    return all.stream();
  }

  /** The constant {@code v} of integer type {@code t} in the IR text. */
  private static String literal(Type t, long v) {
    String suffix = t.equals(Type.I32) ? "" : (t.isInt() ? "i" : "u") + t.bits();
    return (t.isUInt() ? Long.toUnsignedString(v) : Long.toString(v)) + suffix;
  }

  private static List<Output> outputs(Type t, Access access) {
    Type other = t.isInt() ? Type.uintOf(t.bits()) : Type.intOf(t.bits());
    List<Output> outputs = new ArrayList<>(List.of(
        new Output("o_and", t, "bitwise_and(a[i], b[i])"),
        new Output("o_or", t, "bitwise_or(a[i], b[i])"),
        new Output("o_xor", t, "bitwise_xor(a[i], b[i])"),
        new Output("o_not", t, "bitwise_not(a[i])"),
        new Output("o_shl", t, "shift_left(a[i], b[i])"),
        new Output("o_shr", t, "shift_right(a[i], b[i])"),
        new Output("o_shl_other", t, "shift_left(a[i], " + access.cast(other, "b[i]") + ")"),
        new Output("o_shr_other", t, "shift_right(a[i], " + access.cast(other, "b[i]") + ")")));
    long[] amounts = t.isInt() ? new long[] {0, 1, t.bits() - 1, t.bits(), t.bits() + 3, -1, -(t.bits() - 1), -t.bits(), t.minInt()}
        : new long[] {0, 1, t.bits() - 1, t.bits(), t.bits() + 3, t.maxInt()};
    for (int k = 0; k < amounts.length; k++) {
      String amount = access.lanes == 1 ? literal(t, amounts[k]) : "broadcast(" + literal(t, amounts[k]) + ", " + access.lanes + ")";
      outputs.add(new Output("o_shl_" + k, t, "shift_left(a[i], " + amount + ")"));
      outputs.add(new Output("o_shr_" + k, t, "shift_right(a[i], " + amount + ")"));
    }
    return outputs;
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("integersByAccess")
  void agreeWithTheInterpreterBitForBit(Type t, Access access) {
    String module = ExprDifferentialTest.module(t, access, outputs(t, access));
    Differential.of(module).checkSeeds(3);
    Differential.of(module).buffer("b", Fill.SMALL, 64).checkSeeds(3);
  }

  @Test
  void boolOperandsAreLogical() {
    for (Access access : Access.values()) {
      Differential.of(ExprDifferentialTest.module(Type.BOOL, access,
          new Output("o_and", Type.BOOL, "bitwise_and(a[i], b[i])"),
          new Output("o_or", Type.BOOL, "bitwise_or(a[i], b[i])"),
          new Output("o_xor", Type.BOOL, "bitwise_xor(a[i], b[i])"),
          new Output("o_not", Type.BOOL, "bitwise_not(a[i])"))).checkSeeds(3);
    }
  }
}
