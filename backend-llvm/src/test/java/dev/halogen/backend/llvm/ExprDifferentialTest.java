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
    SCALAR("x", 64, 1),
    DENSE("ramp(x * 8, 1, 8)", 8, 8),
    STRIDED("ramp(x, 16, 4)", 16, 4);

    final String index;
    final int iterations;
    final int lanes;

    Access(String index, int iterations, int lanes) {
      this.index = index;
      this.iterations = iterations;
      this.lanes = lanes;
    }

    /** {@code value} cast to {@code to} with this access's lanes. */
    String cast(Type to, String value) {
      return "cast<" + to.withLanes(lanes) + ">(" + value + ")";
    }
  }

  static Stream<Arguments> numbersByAccess() {
    List<Arguments> all = new ArrayList<>();
    for (Access access : Access.values()) for (Type t : NUMBERS) all.add(Arguments.of(t, access));
    return all.stream();
  }

  /** One output of {@link #module}: buffer {@code name} of {@code type}, whose element {@code i} is {@code value}. */
  record Output(String name, Type type, String value) {}

  /** A module whose loop of {@code access} computes each output from inputs {@code a} and {@code b} of {@code in}. */
  static String module(Type in, Access access, List<Output> outputs) {
    StringBuilder args = new StringBuilder("in a: " + in + " [1], in b: " + in + " [1]");
    StringBuilder body = new StringBuilder();
    for (Output o : outputs) {
      args.append(", out ").append(o.name()).append(": ").append(o.type()).append(" [1]");
      body.append("    ").append(o.name()).append("[i] = ").append(o.value()).append('\n');
    }
    return "module m\nentry m(" + args + ") {\n  for (x, 0, " + access.iterations + ") {\n    let i = " + access.index + "\n"
        + body + "  }\n}\n";
  }

  static String module(Type in, Access access, Output... outputs) {
    return module(in, access, List.of(outputs));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("numbersByAccess")
  void arithmeticAndComparisons(Type t, Access access) {
    Type bool = Type.BOOL;
    Differential.of(module(t, access,
        new Output("o_add", t, "a[i] + b[i]"),
        new Output("o_sub", t, "a[i] - b[i]"),
        new Output("o_mul", t, "a[i] * b[i]"),
        new Output("o_div", t, "a[i] / b[i]"),
        new Output("o_mod", t, "a[i] % b[i]"),
        new Output("o_min", t, "min(a[i], b[i])"),
        new Output("o_max", t, "max(a[i], b[i])"),
        new Output("o_eq", bool, "a[i] == b[i]"),
        new Output("o_ne", bool, "a[i] != b[i]"),
        new Output("o_lt", bool, "a[i] < b[i]"),
        new Output("o_le", bool, "a[i] <= b[i]"),
        new Output("o_gt", bool, "a[i] > b[i]"),
        new Output("o_ge", bool, "a[i] >= b[i]"),
        new Output("o_sel", t, "select(a[i] < b[i], a[i] * b[i], b[i] - a[i])"))).checkSeeds(4);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("numbersByAccess")
  void castsToEveryType(Type from, Access access) {
    List<Output> outputs = new ArrayList<>();
    for (Type to : NUMBERS) outputs.add(new Output("to_" + to, to, access.cast(to, "a[i]")));
    outputs.add(new Output("to_bool", Type.BOOL, access.cast(Type.BOOL, "a[i]")));
    Differential.of(module(from, access, outputs)).checkSeeds(4);
  }

  @Test
  void boolLogicComparisonsAndCasts() {
    Type bool = Type.BOOL;
    for (Access access : Access.values()) {
      Differential.of(module(bool, access,
          new Output("o_and", bool, "a[i] && b[i]"),
          new Output("o_or", bool, "a[i] || b[i]"),
          new Output("o_not", bool, "!a[i]"),
          new Output("o_min", bool, "min(a[i], b[i])"),
          new Output("o_max", bool, "max(a[i], b[i])"),
          new Output("o_eq", bool, "a[i] == b[i]"),
          new Output("o_ne", bool, "a[i] != b[i]"),
          new Output("o_lt", bool, "a[i] < b[i]"),
          new Output("o_ge", bool, "a[i] >= b[i]"),
          new Output("o_sel", bool, "select(a[i], !b[i], b[i] && a[i])"),
          new Output("o_u8", Type.U8, access.cast(Type.U8, "a[i]")),
          new Output("o_f32", Type.F32, access.cast(Type.F32, "a[i]")),
          new Output("o_i64", Type.I64, access.cast(Type.I64, "b[i]")))).checkSeeds(3);
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
