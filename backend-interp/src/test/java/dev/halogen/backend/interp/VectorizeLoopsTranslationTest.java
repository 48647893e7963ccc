package dev.halogen.backend.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.halogen.ir.Buffer;
import dev.halogen.ir.ForKind;
import dev.halogen.ir.IrWalker;
import dev.halogen.ir.LoweredModule;
import dev.halogen.ir.LoweredModule.Argument;
import dev.halogen.ir.LoweredModule.EntryPoint;
import dev.halogen.ir.Stmt;
import dev.halogen.ir.Type;
import dev.halogen.ir.text.IrParser;
import dev.halogen.ir.text.IrPrinter;
import dev.halogen.passes.CompiledModule;
import dev.halogen.passes.Target;
import dev.halogen.passes.analysis.Value;
import dev.halogen.passes.lower.VectorizeLoopsPass;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Translation validation of {@code vectorize-loops}: each module is run on the interpreter before and
 * after the pass, with the same random inputs, and every output buffer must come out bit for bit the
 * same. The modules are the golden inputs of the pass,
 * some more written here, and randomly generated loop bodies.
 *
 * <p>Inputs: every buffer dimension starts at 0; outputs have extent {@code n} in each dimension,
 * inputs {@code n + 8} (the modules read at most 8 past the output's index); integers are in [0, 16)
 * (so a histogram's bins fit), floats in [0, 2); scalars are in [1, 8].
 */
class VectorizeLoopsTranslationTest {
  static final int[] SIZES = {16, 19, 29};

  /** The interpreter with the extern function {@code ext} of the golden cases: {@code 3 * a + 1} of an int32. */
  static final InterpBackend BACKEND = new InterpBackend(Map.of("ext",
      args -> new Value.IntScalar(Type.I32, 3 * args.getFirst().longLane(0) + 1 & 0xffff)));

  static Stream<Path> goldenInputs() {
    return Interp.goldenInputs(VectorizeLoopsPass.NAME).stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldenInputs")
  void goldenCasesComputeWhatTheirInputsDo(Path input) {
    LoweredModule m = Interp.parseModule(input);
    assertSameOutputs(m, VectorizeLoopsPass.vectorize(m), 7, Target.of("interp"));
    // The vector code computes the same lanes, so it overflows int32 exactly where the loop did.
    assertSameOutputs(m, VectorizeLoopsPass.vectorize(m), 8, Target.of("interp", InterpBackend.CHECK_INT32_OVERFLOW));
  }

  @Test
  void theGoldenInputsAreFound() {
    assertEquals(8, goldenInputs().count());
  }

  /** Modules beyond the golden ones: other element types, 2-D buffers, deeper nests. */
  static final List<String> MORE = List.of("""
      module uint8_casts

      entry uint8_casts(in in: uint8 [1], out out: uint16 [1]) {
        for (out.s0.x.xo, 0, (out.extent.0 + 15) / 16) {
          vectorized for (out.s0.x.xi, 0, 16) {
            if (out.s0.x.xo * 16 + out.s0.x.xi < out.extent.0) {
              let x = min(out.s0.x.xo * 16 + out.s0.x.xi, out.extent.0 - 1)
              out[x] = cast<uint16>(in[x]) * 200u16 + cast<uint16>(in[x + 1] - in[x + 2])
            }
          }
        }
      }
      """, """
      module tiles_2d

      // A 2-D tile whose rows are vectorized and whose columns are guarded too.
      entry tiles_2d(in in: float32 [2], out out: float32 [2]) {
        for (out.s0.y.yo, 0, (out.extent.1 + 1) / 2) {
          for (out.s0.x.xo, 0, (out.extent.0 + 3) / 4) {
            for (out.s0.y.yi, 0, 2) {
              vectorized for (out.s0.x.xi, 0, 4) {
                if (out.s0.y.yo * 2 + out.s0.y.yi < out.extent.1 && out.s0.x.xo * 4 + out.s0.x.xi < out.extent.0) {
                  let y = min(out.s0.y.yo * 2 + out.s0.y.yi, out.extent.1 - 1)
                  let x = min(out.s0.x.xo * 4 + out.s0.x.xi, out.extent.0 - 1)
                  out[x * out.stride.0 + y * out.stride.1] = in[x + y * in.stride.1] * 0.25f + in[x + 1 + (y + 1) * in.stride.1] - cos(in[x + 2 + y * in.stride.1])
                }
              }
            }
          }
        }
      }
      """, """
      module vectorized_columns

      // Vectorized across rows: a strided store.
      entry vectorized_columns(in in: int32 [2], out out: int32 [2]) {
        for (out.s0.x, 0, out.extent.0) {
          for (out.s0.y.yo, 0, out.extent.1 / 4) {
            vectorized for (out.s0.y.yi, 0, 4) {
              out[out.s0.x + (out.s0.y.yo * 4 + out.s0.y.yi) * out.stride.1] = in[out.s0.x + (out.s0.y.yo * 4 + out.s0.y.yi) * in.stride.1] + out.s0.y.yi
            }
          }
        }
      }
      """, """
      module update_in_place

      // A pure stage, then an update that reads and writes its own element, both vectorized.
      entry update_in_place(in in: int32 [1], k: int32, out out: int32 [1]) {
        produce out {
          for (out.s0.x.xo, 0, out.extent.0 / 8) {
            vectorized for (out.s0.x.xi, 0, 8) {
              out[out.s0.x.xo * 8 + out.s0.x.xi] = in[out.s0.x.xo * 8 + out.s0.x.xi]
            }
          }
          for (out.s1.x.xo, 0, out.extent.0 / 8) {
            vectorized for (out.s1.x.xi, 0, 8) {
              out[out.s1.x.xo * 8 + out.s1.x.xi] = out[out.s1.x.xo * 8 + out.s1.x.xi] * k + out[out.s1.x.xo * 8 + out.s1.x.xi] % 3
            }
          }
        }
      }
      """, """
      module internal_storage

      // A vectorized producer into an allocation outside the loops, and a vectorized consumer.
      entry internal_storage(in in: int32 [1], out out: int32 [1]) {
        let f.stride.0 = 1
        allocate f: int32 [out.extent.0 + 2] {
          produce f {
            for (f.s0.x.xo, 0, (out.extent.0 + 2) / 4) {
              vectorized for (f.s0.x.xi, 0, 4) {
                f[(f.s0.x.xo * 4 + f.s0.x.xi) * f.stride.0] = in[f.s0.x.xo * 4 + f.s0.x.xi] * 3
              }
            }
            for (f.s0.x, (out.extent.0 + 2) / 4 * 4, (out.extent.0 + 2) % 4) {
              f[f.s0.x * f.stride.0] = in[f.s0.x] * 3
            }
          }
          consume f {
            for (out.s0.x.xo, 0, out.extent.0 / 4) {
              vectorized for (out.s0.x.xi, 0, 4) {
                let x = out.s0.x.xo * 4 + out.s0.x.xi
                out[x] = f[x] + f[x + 1] * 2 + f[x + 2]
              }
            }
          }
        }
      }
      """, """
      module condition_read_and_written

      // The branch writes what its condition reads: each predicated store must see the condition as
      // it was before the branch.
      entry condition_read_and_written(in in: int32 [1], k: int32, out out: int32 [1]) {
        for (out.s0.x.xo, 0, (out.extent.0 + 3) / 4) {
          vectorized for (out.s0.x.xi, 0, 4) {
            if (out.s0.x.xo * 4 + out.s0.x.xi < out.extent.0) {
              out[min(out.s0.x.xo * 4 + out.s0.x.xi, out.extent.0 - 1)] = in[out.s0.x.xo * 4 + out.s0.x.xi]
            }
          }
        }
        for (out.s1.x.xo, 0, out.extent.0 / 4) {
          vectorized for (out.s1.x.xi, 0, 4) {
            let x = out.s1.x.xo * 4 + out.s1.x.xi
            if (out[x] < k) {
              out[x] = out[x] + 10
              out[x] = out[x] * 2
            } else {
              out[x] = out[x] - 100
            }
          }
        }
      }
      """, """
      module data_dependent

      // Gathers at data-dependent indices, a select on loaded data, and a nested lane-dependent if in
      // a guarded tail.
      entry data_dependent(in in: int32 [1], k: int32, out out: int32 [1]) {
        for (out.s0.x.xo, 0, (out.extent.0 + 7) / 8) {
          vectorized for (out.s0.x.xi, 0, 8) {
            if (out.s0.x.xo * 8 + out.s0.x.xi < out.extent.0) {
              let x = min(out.s0.x.xo * 8 + out.s0.x.xi, out.extent.0 - 1)
              let g = in[x + in[x] % 8]
              if (g > k) {
                out[x] = select(g % 2 == 0, g, in[x])
              } else if (in[x + 1] > 8) {
                out[x] = 0 - g
              } else {
                out[x] = max(g, k)
              }
            }
          }
        }
      }
      """);

  @Test
  void moreModulesComputeWhatTheirInputsDo() {
    for (String text : MORE) {
      LoweredModule m = IrParser.parseModule(text);
      LoweredModule v = VectorizeLoopsPass.vectorize(m);
      assertEquals(List.of(), loopsLeft(m, v), () -> "not vectorized:\n" + IrPrinter.print(v));
      assertSameOutputs(m, v, 11, Target.of("interp"));
    }
  }

  @Test
  void randomLoopBodiesComputeWhatTheyDidBeforeVectorizing() {
    Random random = new Random(20240611);
    for (int i = 0; i < 150; i++) {
      String text = new RandomBody(random).module("random" + i);
      LoweredModule m = IrParser.parseModule(text);
      LoweredModule v = VectorizeLoopsPass.vectorize(m);
      // The generator only makes loops that can be vectorized exactly: none may fall back to serial.
      assertEquals(List.of(), loopsLeft(m, v), () -> "not vectorized:\n" + text + "\n" + IrPrinter.print(v));
      assertSameOutputs(m, v, random.nextLong(), Target.of("interp"));
    }
  }

  /** The vectorized loops of {@code before} that are still loops in {@code after} (fell back to serial). */
  static List<String> loopsLeft(LoweredModule before, LoweredModule after) {
    List<String> vectorized = loops(before, true);
    return loops(after, false).stream().filter(vectorized::contains).toList();
  }

  /** The names of the loops of {@code m}, only the vectorized ones with {@code onlyVectorized}. */
  static List<String> loops(LoweredModule m, boolean onlyVectorized) {
    List<String> names = new ArrayList<>();
    IrWalker w = new IrWalker() {
      @Override
      protected void enter(Stmt t, Scope scope, Path path) {
        if (t instanceof Stmt.For f && (!onlyVectorized || f.kind() == ForKind.VECTORIZED)) names.add(f.name());
      }
    };
    for (LoweredModule.EntryPoint ep : m.entryPoints()) w.walk(ep.body());
    return names;
  }

  // ------------------------------------------------------------------ running

  /** Runs every entry point of {@code before} and {@code after} on the same random inputs of each size and compares the outputs. */
  static void assertSameOutputs(LoweredModule before, LoweredModule after, long seed, Target target) {
    CompiledModule a = BACKEND.compile(before, target);
    CompiledModule b = BACKEND.compile(after, target);
    for (EntryPoint ep : before.entryPoints()) {
      for (int n : SIZES) {
        Map<String, Object> inputs = inputs(ep, n, new Random(seed + n));
        Supplier<String> where = () -> "entry point " + ep.name() + " of module " + before.name() + " with n = " + n
            + "\nafter vectorizing:\n" + IrPrinter.print(after);
        // Every module here stays within its buffers: a failure is a bug of the module or of the pass.
        Map<String, Buffer> want = Interp.outcome(a, ep.name(), inputs, outputs(ep, n)).succeeded(() -> "the input: " + where.get());
        Map<String, Buffer> got = Interp.outcome(b, ep.name(), inputs, outputs(ep, n))
            .succeeded(() -> "the vectorized module: " + where.get());
        Interp.assertSameOutputs(want, got, where);
      }
    }
  }

  /** Integers in [0, 16) (indices and histogram bins), floats in [0, 2). */
  private static final Interp.Values VALUES = (t, random) -> t.isFloat() ? random.nextInt(256) / 128.0 : random.nextInt(16);

  /** Scalars in [1, 8] and input buffers of extent {@code n + 8} in every dimension. */
  private static Map<String, Object> inputs(EntryPoint ep, int n, Random random) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Argument a : ep.arguments()) {
      switch (a.kind()) {
        case SCALAR -> out.put(a.name(), 1 + random.nextInt(8));
        case INPUT_BUFFER -> out.put(a.name(), Interp.random(a.type(), extents(a.dimensions(), n + 8), VALUES, random));
        case OUTPUT_BUFFER -> {}
      }
    }
    return out;
  }

  /** Zero-filled output buffers of extent {@code n} in every dimension. */
  private static Map<String, Buffer> outputs(EntryPoint ep, int n) {
    return Interp.buffers(ep, LoweredModule.ArgumentKind.OUTPUT_BUFFER, a -> Buffer.allocate(a.type(), extents(a.dimensions(), n)));
  }

  private static int[] extents(int dims, int n) {
    int[] e = new int[dims];
    java.util.Arrays.fill(e, n);
    return e;
  }

  // ------------------------------------------------------------------ random bodies

  /**
   * A random module: an int32 output computed in a vectorized loop (4 or 8 lanes, guarded tail or
   * not) from an input, a scalar and the index, through lets, selects, clamps, gathers at
   * data-dependent indices, lane-dependent and lane-independent ifs, and an inner serial loop.
   */
  static final class RandomBody {
    private final Random random;
    private final List<String> vars = new ArrayList<>(List.of("x", "k"));
    private int lets;

    RandomBody(Random random) {
      this.random = random;
    }

    String module(String name) {
      int lanes = random.nextBoolean() ? 4 : 8;
      boolean guard = random.nextBoolean();
      String index = "out.s0.x.xo * " + lanes + " + out.s0.x.xi";
      StringBuilder sb = new StringBuilder();
      sb.append("module ").append(name).append("\n\n");
      sb.append("entry ").append(name).append("(in in: int32 [1], k: int32, out out: int32 [1]) {\n");
      sb.append("  for (out.s0.x.xo, 0, ").append(guard ? "(out.extent.0 + " + (lanes - 1) + ") / " + lanes : "out.extent.0 / " + lanes)
          .append(") {\n");
      sb.append("    vectorized for (out.s0.x.xi, 0, ").append(lanes).append(") {\n");
      if (guard) sb.append("    if (").append(index).append(" < out.extent.0) {\n");
      sb.append("      let x = ").append(guard ? "min(" + index + ", out.extent.0 - 1)" : index).append('\n');
      sb.append(statements(2));
      if (guard) sb.append("    }\n");
      sb.append("    }\n  }\n}\n");
      return sb.toString();
    }

    /** A statement list; the lets made in it go out of scope at its end. */
    private String statements(int depth) {
      int scope = vars.size();
      StringBuilder sb = new StringBuilder();
      int count = 1 + random.nextInt(3);
      for (int i = 0; i < count; i++) sb.append(statement(depth)).append('\n');
      vars.subList(scope, vars.size()).clear();
      return sb.toString();
    }

    /** An expression in which {@code name} is bound too. */
    private String exprWith(String name, int depth) {
      vars.add(name);
      String e = expr(depth);
      vars.removeLast();
      return e;
    }

    private String statement(int depth) {
      int pick = random.nextInt(depth > 0 ? 6 : 2);
      return switch (pick) {
        case 0, 1 -> "out[x] = " + expr(3);
        case 2 -> {
          String name = "t" + lets++;
          String value = expr(2);
          vars.add(name);
          yield "let " + name + " = " + value + "\n" + statements(depth - 1);
        }
        case 3 -> "if (" + condition() + ") {\n" + statements(depth - 1) + "} else {\n" + statements(depth - 1) + "}";
        case 4 -> "if (" + expr(1) + " < k) {\n" + statements(depth - 1) + "}";
        default -> {
          String r = "r" + lets++;
          yield "for (" + r + ", 0, k) {\nout[x] = out[x] + " + exprWith(r, 2) + "\n}";
        }
      };
    }

    private String condition() {
      String[] ops = {"<", "<=", ">", ">=", "==", "!="};
      String c = expr(2) + " " + ops[random.nextInt(ops.length)] + " " + expr(2);
      return random.nextInt(4) == 0 ? "(" + c + ") && x < k * 2" : c;
    }

    private String expr(int depth) {
      if (depth == 0 || random.nextInt(4) == 0) return leaf();
      String a = expr(depth - 1);
      String b = expr(depth - 1);
      return switch (random.nextInt(9)) {
        case 0 -> "(" + a + " + " + b + ")";
        case 1 -> "(" + a + " - " + b + ")";
        case 2 -> "(" + a + " * " + b + ")";
        case 3 -> "(" + a + " / " + b + ")";
        case 4 -> "(" + a + " % " + b + ")";
        case 5 -> "min(" + a + ", " + b + ")";
        case 6 -> "max(" + a + ", " + b + ")";
        case 7 -> "select(" + condition() + ", " + a + ", " + b + ")";
        default -> {
          String u = "u" + lets++;
          yield "(let " + u + " = " + a + " in " + exprWith(u, depth - 1) + ")";
        }
      };
    }

    private String leaf() {
      return switch (random.nextInt(5)) {
        case 0 -> vars.get(random.nextInt(vars.size()));
        case 1 -> String.valueOf(random.nextInt(7) - 3);
        case 2 -> "in[x + " + random.nextInt(4) + "]";
        case 3 -> "in[x + in[x] % 4]";
        default -> "x";
      };
    }
  }
}
