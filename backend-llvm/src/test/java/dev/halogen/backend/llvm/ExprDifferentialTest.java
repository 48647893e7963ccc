package dev.halogen.backend.llvm;

import dev.halogen.backend.llvm.Differential.Fill;
import dev.halogen.ir.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every arithmetic, comparison, logic, select and cast of every type, as scalars and as vectors
 * (dense loads and stores, and gathers and scatters), against the interpreter on random inputs
 * that include each type's edge values (MIN, MAX, 0, -1; NaN, infinities, -0, subnormals).
 */
class ExprDifferentialTest {
  static final List<Type> NUMBERS = List.of(Type.I8, Type.I16, Type.I32, Type.I64, Type.U8, Type.U16, Type.U32, Type.U64,
      Type.F16, Type.F32, Type.F64);

  /**
   * How a loop over 64 elements addresses them: one lane at a time, dense vectors of 8, or
   * vectors of 4 lanes 16 elements apart (gathers and scatters).
   */
  enum Access {
    SCALAR("x", 64),
    DENSE("ramp(x * 8, 1, 8)", 8),
    STRIDED("ramp(x, 16, 4)", 16);

    final String index;
    final int iterations;

    Access(String index, int iterations) {
      this.index = index;
      this.iterations = iterations;
    }
  }

  static Stream<Arguments> numbersByAccess() {
    List<Arguments> all = new ArrayList<>();
    for (Access access : Access.values()) for (Type t : NUMBERS) all.add(Arguments.of(t, access));
    return all.stream();
  }

  /** A module whose loop of {@code access} computes each {@code outputs[i] = values[i]} from inputs {@code a} and {@code b} of {@code in}. */
  static String module(Type in, Access access, List<String> outputs, List<Type> outTypes, List<String> values) {
    StringBuilder args = new StringBuilder("in a: " + in + " [1], in b: " + in + " [1]");
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < outputs.size(); i++) {
      args.append(", out ").append(outputs.get(i)).append(": ").append(outTypes.get(i)).append(" [1]");
      body.append("    ").append(outputs.get(i)).append("[i] = ").append(values.get(i)).append('\n');
    }
    return "module m\nentry m(" + args + ") {\n  for (x, 0, " + access.iterations + ") {\n    let i = " + access.index + "\n"
        + body + "  }\n}\n";
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("numbersByAccess")
  void arithmeticAndComparisons(Type t, Access access) {
    List<String> outputs = List.of("o_add", "o_sub", "o_mul", "o_div", "o_mod", "o_min", "o_max", "o_eq", "o_ne", "o_lt", "o_le",
        "o_gt", "o_ge", "o_sel");
    Type bool = Type.BOOL;
    List<Type> types = List.of(t, t, t, t, t, t, t, bool, bool, bool, bool, bool, bool, t);
    String a = "a[i]";
    String b = "b[i]";
    List<String> values = List.of(a + " + " + b, a + " - " + b, a + " * " + b, a + " / " + b, a + " % " + b, "min(" + a + ", " + b + ")",
        "max(" + a + ", " + b + ")", a + " == " + b, a + " != " + b, a + " < " + b, a + " <= " + b, a + " > " + b, a + " >= " + b,
        "select(" + a + " < " + b + ", " + a + " * " + b + ", " + b + " - " + a + ")");
    Differential.of(module(t, access, outputs, types, values)).checkSeeds(4);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("numbersByAccess")
  void castsToEveryType(Type from, Access access) {
    List<String> outputs = new ArrayList<>();
    List<Type> types = new ArrayList<>();
    List<String> values = new ArrayList<>();
    for (Type to : NUMBERS) {
      outputs.add("to_" + to);
      types.add(to);
      values.add("cast<" + to.withLanes(access == Access.SCALAR ? 1 : access == Access.DENSE ? 8 : 4) + ">(a[i])");
    }
    outputs.add("to_bool");
    types.add(Type.BOOL);
    values.add("cast<" + Type.BOOL.withLanes(access == Access.SCALAR ? 1 : access == Access.DENSE ? 8 : 4) + ">(a[i])");
    Differential.of(module(from, access, outputs, types, values)).checkSeeds(4);
  }

  @Test
  void boolLogicComparisonsAndCasts() {
    for (Access access : Access.values()) {
      int lanes = access == Access.SCALAR ? 1 : access == Access.DENSE ? 8 : 4;
      List<String> outputs = List.of("o_and", "o_or", "o_not", "o_min", "o_max", "o_eq", "o_ne", "o_lt", "o_ge", "o_sel", "o_u8", "o_f32",
          "o_i64");
      Type bool = Type.BOOL;
      List<Type> types = List.of(bool, bool, bool, bool, bool, bool, bool, bool, bool, bool, Type.U8, Type.F32, Type.I64);
      List<String> values = List.of("a[i] && b[i]", "a[i] || b[i]", "!a[i]", "min(a[i], b[i])", "max(a[i], b[i])", "a[i] == b[i]",
          "a[i] != b[i]", "a[i] < b[i]", "a[i] >= b[i]", "select(a[i], !b[i], b[i] && a[i])", "cast<" + Type.U8.withLanes(lanes) + ">(a[i])",
          "cast<" + Type.F32.withLanes(lanes) + ">(a[i])", "cast<" + Type.I64.withLanes(lanes) + ">(b[i])");
      Differential.of(module(bool, access, outputs, types, values)).checkSeeds(3);
    }
  }

  @Test
  void constantsOfEveryTypeAndLetExpressions() {
    Differential.of("""
        module m
        entry m(in a: int32 [1], out o: int64 [1], out f: float16 [1], out g: float64 [1], out u: uint64 [1], out h: uint8 [1]) {
          for (x, 0, 64) {
            o[x] = cast<int64>(a[x]) * -9223372036854775807i64 + (let t = cast<int64>(a[x]) in t * t - 3i64)
            f[x] = cast<float16>(a[x]) * 0.333h + 65504.0h - inf_f16
            g[x] = (let s = cast<float64>(a[x]) * 0.1 in (let s = s + s in s * s)) - 1e300
            u[x] = cast<uint64>(a[x]) + 18446744073709551615u64
            h[x] = cast<uint8>(a[x]) * 255u8 + 200u8
          }
        }
        """).allBuffers(Fill.ANY, 64).checkSeeds(3);
  }

  @Test
  void selectWithAScalarConditionOnVectorsAndWithALaneCondition() {
    Differential.of("""
        module m
        entry m(in a: float32 [1], in c: bool [1], out o: float32 [1], out p: float32 [1]) {
          for (x, 0, 8) {
            let i = ramp(x * 8, 1, 8)
            o[i] = select(c[x], a[i], a[i] * broadcast(2.0f, 8))
            p[i] = select(c[i], a[i], broadcast(-1.5f, 8))
          }
        }
        """).allBuffers(Fill.ANY, 64).checkSeeds(4);
  }
}
