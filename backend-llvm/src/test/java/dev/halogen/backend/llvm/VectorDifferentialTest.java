package dev.halogen.backend.llvm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.halogen.backend.llvm.Differential.Fill;
import dev.halogen.ir.Type;
import dev.halogen.ir.text.IrParser;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Vector code against the interpreter: ramps and broadcasts (of scalars and of vectors), vector
 * reductions of every operator and type, and loads and stores with predicates, dense (masked) or
 * scattered (gathers, scatters, data-dependent indices, lanes that hit one element).
 */
class VectorDifferentialTest {
  static List<Type> numbers() {
    return ExprDifferentialTest.NUMBERS;
  }

  /** Checks that the LLVM assembly of module {@code text} calls each of {@code intrinsics}. */
  static void assertAssemblyUses(String text, String... intrinsics) {
    String ir = LlvmBackend.llvmAssembly(IrParser.parseModule(text), false);
    for (String intrinsic : intrinsics) assertTrue(ir.contains(intrinsic), () -> intrinsic + " missing from\n" + ir);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("numbers")
  void reductionsFoldEachGroupOfLanesLeftToRight(Type t) {
    Differential.of("""
        module m
        entry m(in a: T [1], out s: T [1], out p: T [1], out lo: T [1], out hi: T [1], out all: T [1], out same: T [1]) {
          for (x, 0, 8) {
            let v = a[ramp(x * 8, 1, 8)]
            s[ramp(x * 2, 1, 2)] = vector_reduce<add>(v, 2)
            p[ramp(x * 2, 1, 2)] = vector_reduce<mul>(v, 2)
            lo[ramp(x * 4, 1, 4)] = vector_reduce<min>(v, 4)
            hi[ramp(x * 4, 1, 4)] = vector_reduce<max>(v, 4)
            all[x] = vector_reduce<add>(v, 1)
            same[ramp(x * 8, 1, 8)] = vector_reduce<max>(v, 8)
          }
        }
        """.replace("T", t.toString())).allBuffers(Fill.ANY, 64).checkSeeds(4);
  }

  @Test
  void boolReductionsAreAndAndOr() {
    Differential.of("""
        module m
        entry m(in a: bool [1], out every: bool [1], out some: bool [1], out pairs: bool [1]) {
          for (x, 0, 16) {
            let v = a[ramp(x * 4, 1, 4)]
            every[x] = vector_reduce<and>(v, 1)
            some[x] = vector_reduce<or>(v, 1)
            pairs[ramp(x * 2, 1, 2)] = vector_reduce<and>(v, 2)
          }
        }
        """).allBuffers(Fill.ANY, 64).checkSeeds(4);
  }

  @Test
  void rampsOfEveryKindOfLaneWrapOrRound() {
    Differential.of("""
        module m
        entry m(in a: float32 [1], in b: float32 [1], in c: int32 [1], out f: float32 [1], out h: float16 [1], out u: uint8 [1],
            out n: int32 [1], out w: int64 [1]) {
          for (x, 0, 8) {
            let i = ramp(x * 8, 1, 8)
            f[i] = ramp(a[x], b[x], 8)
            h[i] = ramp(cast<float16>(a[x]), cast<float16>(b[x]), 8)
            u[i] = ramp(cast<uint8>(c[x]) * 200u8, 100u8, 8)
            n[i] = ramp(ramp(c[x], 1, 2), broadcast(c[x + 8] * 65536, 2), 4)
            w[i] = ramp(cast<int64>(c[x]) * 9223372036854775807i64, 4611686018427387904i64, 8)
          }
        }
        """).allBuffers(Fill.ANY, 64).checkSeeds(4);
  }

  @Test
  void broadcastsOfScalarsAndOfVectors() {
    Differential.of("""
        module m
        entry m(in a: int16 [1], out o: int16 [1], out p: int16 [1], out q: bool [1]) {
          for (x, 0, 8) {
            let i = ramp(x * 8, 1, 8)
            o[i] = broadcast(a[x], 8) * a[i]
            p[i] = broadcast(a[ramp(x * 2, 1, 2)], 4) + broadcast(ramp(a[x], a[x + 1], 4), 2)
            q[i] = broadcast(a[ramp(x, 1, 4)] < broadcast(a[x + 8], 4), 2)
          }
        }
        """).allBuffers(Fill.ANY, 64).checkSeeds(4);
  }

  @Test
  void predicatedDenseAccessesAreMaskedAndFalseLanesAreNeitherReadNorWritten() {
    String text = """
        module m
        entry m(in a: float64 [1], in k: int32 [1], out o: float64 [1], out q: float64 [1], out r: float64 [1]) {
          for (x, 0, 8) {
            let i = ramp(x * 8, 1, 8)
            let p = k[i] < broadcast(8, 8)
            o[i if p] = a[i if p] * broadcast(2.0, 8)
            q[i if !p] = broadcast(7.0, 8)
            r[i] = a[i if p]
          }
        }
        """;
    Differential.of(text).buffer("k", Fill.INDEX, 64).allBuffers(Fill.ANY, 64).checkSeeds(4);
    assertAssemblyUses(text, "@llvm.masked.load.v8f64", "@llvm.masked.store.v8f64");
  }

  @Test
  void predicatedScatteredAccessesAreGathersAndScatters() {
    String text = """
        module m
        entry m(in a: uint16 [1], in k: int32 [1], out o: uint16 [1], out q: uint16 [1]) {
          for (x, 0, 8) {
            let j = ramp(x, 8, 8)
            let p = k[j] >= broadcast(5, 8)
            o[j if p] = a[j if p] + broadcast(1u16, 8)
            q[k[j] if p] = a[j]
          }
        }
        """;
    Differential.of(text).buffer("k", Fill.INDEX, 64).allBuffers(Fill.ANY, 64).checkSeeds(4);
    assertAssemblyUses(text, "@llvm.masked.gather.v8i16", "@llvm.masked.scatter.v8i16");
  }

  @Test
  void lanesThatStoreToOneElementWriteInLaneOrderAndUniformLoadsReadOnce() {
    Differential.of("""
        module m
        entry m(in a: int32 [1], out o: int32 [1], out u: int32 [1]) {
          for (x, 0, 16) {
            o[broadcast(x, 4)] = a[ramp(x * 4, 1, 4)]
            u[ramp(x * 4, 1, 4)] = a[broadcast(x, 4)] + a[ramp(x * 4, 1, 4)]
          }
        }
        """).allBuffers(Fill.ANY, 64).checkSeeds(4);
  }

  @Test
  void scalarAccessesWithPredicatesBranchAroundTheAccess() {
    Differential.of("""
        module m
        entry m(in a: int8 [1], in k: int32 [1], out o: int8 [1], out r: int8 [1]) {
          for (x, 0, 64) {
            let p = k[x] < 8
            o[x if p] = a[x if p] * 3i8
            r[x] = a[k[x] * 8 if p]
          }
        }
        """).buffer("k", Fill.INDEX, 64).allBuffers(Fill.ANY, 64).checkSeeds(4);
  }

  @Test
  void boolBuffersHoldBytes() {
    Differential.of("""
        module m
        entry m(in a: bool [1], in b: int32 [1], out o: bool [1], out s: bool [1]) {
          for (x, 0, 8) {
            let i = ramp(x * 8, 1, 8)
            o[i] = a[i] != (b[i] < broadcast(0, 8))
            s[ramp(x, 8, 8) if a[i]] = a[i] && broadcast(b[x] > 0, 8)
          }
        }
        """).allBuffers(Fill.ANY, 64).checkSeeds(4);
  }

  @Test
  void rampsWithARunTimeStrideAreDenseWhenItIsOne() {
    // Lowering leaves buffer strides symbolic: stride.0 is 1 here (dense, masked access), stride.1
    // is 8 (gathers and scatters), and the code tests which at run time.
    String text = """
        module m
        entry m(in a: float32 [2], out o: float32 [2], out t: float32 [2]) {
          for (y, 0, 8) {
            let p = ramp(0, 1, 8) < broadcast(y + 2, 8)
            o[ramp(y * o.stride.1, o.stride.0, 8) if p] = a[ramp(y * a.stride.1, a.stride.0, 8)] * broadcast(3.0f, 8)
            t[ramp(y * t.stride.0, t.stride.1, 8)] = a[ramp(y * a.stride.0, a.stride.1, 8) if p]
          }
        }
        """;
    Differential.of(text).allBuffers(Fill.ANY, 8).checkSeeds(3);
    assertAssemblyUses(text, "@llvm.masked.store.v8f32", "@llvm.masked.scatter.v8f32");
  }
}
