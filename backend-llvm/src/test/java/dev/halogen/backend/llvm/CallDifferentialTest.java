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
 * Math functions and intrinsics against the interpreter. The exact operations ({@code sqrt floor
 * ceil round trunc fract}, and {@code fast_inverse fast_inverse_sqrt}, float64 arithmetic rounded
 * once), {@code abs}, {@code lerp} and the float classifications must agree bit
 * for bit; the functions computed by the C math library (in float64, then rounded to the call's
 * type) may differ from Java's {@code Math} and the evaluator's own {@code asinh acosh atanh erf}
 * by an ulp or two of float64 (glibc's and Java's {@code sinh} do, for example), so they are checked
 * to within {@value #LIBM_ULPS} units in the last place of float64, and of one unit of float32 and
 * float16, which a float64 result off by that little can change only when it lies next to a
 * half-way point (it did not happen for these inputs).
 */
class CallDifferentialTest {
  static final int LIBM_ULPS = 2;

  static int tolerance(Type t) {
    return t.bits() == 64 ? LIBM_ULPS : 1;
  }

  static final List<String> EXACT = List.of("sqrt", "floor", "ceil", "round", "trunc", "fract", "fast_inverse", "fast_inverse_sqrt");
  static final List<String> LIBM1 = List.of("sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh",
      "exp", "log", "erf");
  static final List<String> LIBM2 = List.of("atan2", "pow", "hypot");

  static Stream<Arguments> floatsByAccess() {
    List<Arguments> all = new ArrayList<>();
    for (Access access : List.of(Access.SCALAR, Access.DENSE)) {
      for (Type t : List.of(Type.F16, Type.F32, Type.F64)) all.add(Arguments.of(t, access));
    }
    return all.stream();
  }

  private static String calls(Type t, Access access, List<String> functions, int arity) {
    return ExprDifferentialTest.module(t, access,
        functions.stream().map(f -> new Output("o_" + f, t, f + (arity == 1 ? "(a[i])" : "(a[i], b[i])"))).toList());
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("floatsByAccess")
  void exactMathFunctionsAgreeBitForBit(Type t, Access access) {
    Differential.of(calls(t, access, EXACT, 1)).allBuffers(Fill.ANY, 64).checkSeeds(4);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("floatsByAccess")
  void libraryMathFunctionsAgreeToTheLastBits(Type t, Access access) {
    Differential.of(calls(t, access, LIBM1, 1)).allBuffers(Fill.ANY, 64).ulps(tolerance(t)).checkSeeds(4);
    Differential.of(calls(t, access, LIBM2, 2)).allBuffers(Fill.ANY, 64).ulps(tolerance(t)).checkSeeds(4);
  }

  @Test
  void mathOfAnotherPrecisionIsComputedInFloat64AndRoundedOnce() {
    Differential.of("""
        module m
        entry m(in a: float64 [1], in h: float16 [1], out s: float32 [1], out r: float16 [1], out q: float16 [1], out f: float32 [1]) {
          for (x, 0, 64) {
            s[x] = math<float32> sqrt(a[x])
            r[x] = math<float16> round(a[x])
            q[x] = math<float16> fract(a[x] * 1000.0)
            f[x] = math<float32> pow(a[x], cast<float64>(h[x]))
          }
        }
        """).allBuffers(Fill.ANY, 64).ulps(1).checkSeeds(4);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.halogen.backend.llvm.ExprDifferentialTest#numbersByAccess")
  void absOfEveryType(Type t, Access access) {
    Type result = t.isInt() ? Type.uintOf(t.bits()) : t;
    Differential.of(ExprDifferentialTest.module(t, access, new Output("o", result, "abs(a[i])"))).checkSeeds(3);
  }

  @Test
  void floatClassificationsAndLikely() {
    for (Type t : List.of(Type.F16, Type.F32, Type.F64)) {
      Differential.of(ExprDifferentialTest.module(t, Access.DENSE,
          new Output("n", Type.BOOL, "is_nan(a[i])"),
          new Output("i", Type.BOOL, "is_inf(a[i])"),
          new Output("f", Type.BOOL, "is_finite(a[i])"),
          new Output("l", t, "likely(a[i]) + b[i]"))).checkSeeds(3);
    }
  }

  static Stream<Arguments> lerpTypes() {
    List<Type> values = List.of(Type.BOOL, Type.I8, Type.U8, Type.I16, Type.U16, Type.I32, Type.U32, Type.F16, Type.F32, Type.F64);
    List<Type> weights = List.of(Type.U8, Type.U16, Type.U32, Type.U64, Type.F16, Type.F32, Type.F64);
    List<Arguments> all = new ArrayList<>();
    for (Type v : values) for (Type w : weights) all.add(Arguments.of(v, w));
    return all.stream();
  }

  @ParameterizedTest(name = "lerp of {0} by {1}")
  @MethodSource("lerpTypes")
  void lerpFollowsHalidesLoweringExactly(Type value, Type weight) {
    Differential.of("""
        module m
        entry m(in a: V [1], in b: V [1], in w: W [1], in u: W [1], out o: V [1], out p: V [1]) {
          for (x, 0, 8) {
            let i = ramp(x * 8, 1, 8)
            o[i] = lerp(a[i], b[i], w[i])
            p[x] = lerp(a[x], b[x], u[x])
          }
        }
        """.replace("V", value.toString()).replace("W", weight.toString()))
        .buffer("w", weight.isFloat() ? Fill.SMALL : Fill.ANY, 64)
        .allBuffers(Fill.ANY, 64).checkSeeds(3);
  }
}
