package dev.halogen.backend.llvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.bytedeco.llvm.global.LLVM.LLVMContextCreate;
import static org.bytedeco.llvm.global.LLVM.LLVMContextDispose;
import static org.bytedeco.llvm.global.LLVM.LLVMDisposeModule;

import dev.halogen.ir.Buffer;
import dev.halogen.ir.LoweredModule;
import dev.halogen.ir.Type;
import dev.halogen.ir.text.IrParser;
import dev.halogen.passes.Backends;
import dev.halogen.passes.HalogenRuntimeException;
import dev.halogen.passes.Instrumentation;
import dev.halogen.passes.LoweringPipeline;
import dev.halogen.passes.PrintOutput;
import dev.halogen.passes.Target;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.bytedeco.llvm.LLVM.LLVMContextRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ahead-of-time compilation ({@link LlvmBackend#compileToFiles}): the files, the header, C, C++ and
 * Python programs that call the generated library or object, the runtime's parallel loops and its
 * failure messages, and the names it refuses.
 */
class AotTest {
  @TempDir Path dir;

  private static final LlvmBackend BACKEND = new LlvmBackend();

  /** A blur with a gain, lowered by the default pipeline, with parallel rows. */
  private static final String BLUR = """
      pipeline outputs(blur)
      image in: float32 [2]
      param gain: float32

      func blur(x, y): float32 {
        blur(x, y) = (in(x, y) + in(x + 1, y) + in(x + 2, y)) * gain
        schedule {
          loops(x, y parallel)
        }
      }
      """;

  private static LoweredModule lower(String pipeline) {
    return LoweringPipeline.manager(Instrumentation.forTests()).run(IrParser.parsePipeline(pipeline)).result().asLoops("the test").module();
  }

  private Map<OutputKind, Path> compile(LoweredModule module, String base, OutputKind... kinds) {
    return BACKEND.compileToFiles(module, Target.of("llvm"), dir, base, Set.of(kinds));
  }

  /** Compiles and links C program {@code source} against library {@code libBASE.so} in the test's directory; returns the executable. */
  private Path cProgram(String name, String source, String base) {
    CCompiler cc = AotProgram.compiler();
    AotProgram.write(dir.resolve(name + ".c"), source);
    cc.run(dir, List.of("-std=c11", "-Wall", "-Wextra", "-pedantic", "-Werror", "-pthread", "-I", dir.toString(), "-o", name, name + ".c",
        "-L", dir.toString(), "-l" + base, "-Wl,-rpath," + dir));
    return dir.resolve(name);
  }

  private String execute(Path program, String... args) {
    List<String> command = new ArrayList<>(List.of(program.toString()));
    command.addAll(List.of(args));
    return AotProgram.execute(command, dir);
  }

  // ------------------------------------------------------------------ C programs

  /** The blur's input: x * x + 3 * y, over 4. */
  private static float input(int x, int y) {
    return (x * x + 3 * y) / 4f;
  }

  private static final String BLUR_MAIN = """
      #include <stdio.h>
      #include "blur.h"

      int main(void) {
        float in[6][10], out[6][%d];
        for (int y = 0; y < 6; y++) {
          for (int x = 0; x < 10; x++) in[y][x] = (float) (x * x + 3 * y) / 4;
        }
        HALOGEN_BUFFER(2) input = {.fixed = {in, 2, 0, {{0, 10, 1}, {0, 6, 10}}}};
        HALOGEN_BUFFER(2) output = {.fixed = {out, 2, 0, {{0, %d, 1}, {0, 6, %d}}}};
        if (blur(&input.buffer, 0.5f, &output.buffer) != 0) {
          printf("failed: %%s\\n", blur_last_error());
          return 0;
        }
        for (int y = 0; y < 6; y++) {
          for (int x = 0; x < %d; x++) printf("%%.9g ", out[y][x]);
          printf("\\n");
        }
        return 0;
      }
      """;

  @Test
  void aCProgramFillsAnInputCallsTheLibraryAndPrintsWhatTheInterpreterComputes() {
    LoweredModule module = lower(BLUR);
    Map<OutputKind, Path> files = compile(module, "blur", OutputKind.SHARED_LIBRARY, OutputKind.C_HEADER);
    assertEquals(Map.of(OutputKind.SHARED_LIBRARY, dir.resolve("libblur.so"), OutputKind.C_HEADER, dir.resolve("blur.h")), files);
    String printed = execute(cProgram("main", BLUR_MAIN.formatted(8, 8, 8, 8), "blur"));

    Buffer in = Buffer.allocate(Type.F32, 10, 6);
    in.forEachCoordinate(c -> in.setFloat(input(c[0], c[1]), c));
    Buffer out = Buffer.allocate(Type.F32, 8, 6);
    Backends.compile(module, Target.of("interp")).run("blur", Map.of("in", in, "gain", 0.5f, "blur", out));
    String[] rows = printed.split("\n");
    assertEquals(6, rows.length, printed);
    for (int y = 0; y < 6; y++) {
      String[] values = rows[y].trim().split(" ");
      assertEquals(8, values.length, rows[y]);
      for (int x = 0; x < 8; x++) {
        assertEquals(out.getFloat(x, y), Float.parseFloat(values[x]), "blur(" + x + ", " + y + ")");
        // and independently of the interpreter:
        assertEquals((input(x, y) + input(x + 1, y) + input(x + 2, y)) * 0.5f, Float.parseFloat(values[x]), "blur(" + x + ", " + y + ")");
      }
    }
  }

  @Test
  void printsWriteTheirLinesToStandardErrorAsTheJitDoes() {
    LoweredModule module = lower("""
        pipeline outputs(printer)

        func printer(x, y): int32 {
          printer(x, y) = print_when(x != 1, x + y * 10, "at", cast<float32>(x) / 2.0f)
          schedule {
            loops(x, y parallel)
          }
        }
        """);
    compile(module, "printer", OutputKind.SHARED_LIBRARY, OutputKind.C_HEADER);
    String printed = execute(cProgram("main", """
        #define _POSIX_C_SOURCE 200809L
        #include <stdio.h>
        #include <unistd.h>
        #include "printer.h"

        int main(void) {
          int32_t out[4][3];
          HALOGEN_BUFFER(2) output = {.fixed = {out, 2, 0, {{0, 3, 1}, {0, 4, 3}}}};
          dup2(STDOUT_FILENO, STDERR_FILENO); /* the lines, to the test's standard output */
          int32_t rc = printer(&output.buffer);
          fflush(stderr);
          printf("rc %d, out[3][2] = %d\\n", (int) rc, (int) out[3][2]);
          return 0;
        }
        """, "printer"));
    List<String> lines = new ArrayList<>(List.of(printed.split("\n")));
    assertEquals("rc 0, out[3][2] = 32", lines.removeLast(), printed);
    List<String> expected = new ArrayList<>();
    for (int y = 0; y < 4; y++) {
      expected.add((10 * y) + " at 0.0");
      expected.add((2 + 10 * y) + " at 1.0");
    }
    expected.sort(null);
    lines.sort(null);
    assertEquals(expected, lines);
    // The JIT prints the same lines.
    try (PrintOutput.Capture c = PrintOutput.capture()) {
      Backends.compile(module, Target.of("llvm")).run("printer", Map.of("printer", Buffer.allocate(Type.I32, 3, 4)));
      List<String> jit = new ArrayList<>(c.lines());
      jit.sort(null);
      assertEquals(expected, jit);
    }
  }

  @Test
  void aFailingCallReturnsNonzeroAndTheLastErrorIsTheInterpretersMessage() {
    LoweredModule module = lower(BLUR);
    compile(module, "blur", OutputKind.SHARED_LIBRARY, OutputKind.C_HEADER);
    // An output 10 wide needs 12 columns of input; there are 10.
    String printed = execute(cProgram("main", BLUR_MAIN.formatted(10, 10, 10, 10), "blur"));
    HalogenRuntimeException expected = assertThrows(HalogenRuntimeException.class, () -> Backends.compile(module, Target.of("interp"))
        .run("blur", Map.of("in", Buffer.allocate(Type.F32, 10, 6), "gain", 0.5f, "blur", Buffer.allocate(Type.F32, 10, 6))));
    assertTrue(expected.getMessage().contains("in"), expected.getMessage());
    assertEquals("failed: " + expected.getMessage() + "\n", printed);
  }

  @Test
  void theObjectFileLinksIntoAProgramWithTheObjectOfAnotherModule() throws IOException {
    CCompiler cc = AotProgram.compiler();
    compile(lower(BLUR), "blur", OutputKind.OBJECT, OutputKind.C_HEADER);
    // A second module with the same entry point names inside: its runtime and constants must not clash with the first's.
    compile(lower("""
        pipeline outputs(table)
        constant lut: int32 [-2, 4] = "AQAAAAIAAAADAAAABAAAAA=="
        param k: int32

        func table(i): int32 {
          table(i) = lut(i) * k
          schedule {
            loops(i parallel)
          }
        }
        """), "lookup", OutputKind.OBJECT, OutputKind.C_HEADER);
    AotProgram.write(dir.resolve("both.c"), """
        #include <stdio.h>
        #include "blur.h"
        #include "lookup.h"

        int main(void) {
          float in[1][12] = {{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}}, out[1][10];
          int32_t t[4];
          HALOGEN_BUFFER(2) input = {.fixed = {in, 2, 0, {{0, 12, 1}, {0, 1, 12}}}};
          HALOGEN_BUFFER(2) output = {.fixed = {out, 2, 0, {{0, 10, 1}, {0, 1, 10}}}};
          HALOGEN_BUFFER(1) lut = {.fixed = {t, 1, 0, {{-2, 4, 1}}}};
          int a = blur(&input.buffer, 2.0f, &output.buffer);
          int b = table(10, &lut.buffer);
          printf("%d %d %g %g %d %d %d %d\\n", a, b, out[0][0], out[0][9], t[0], t[1], t[2], t[3]);
          /* the table needs lut(-3), which the constant does not have */
          lut.fixed.dim[0].min = -3;
          int c = table(10, &lut.buffer);
          printf("%d %s|%s\\n", c, lookup_last_error(), blur_last_error());
          return 0;
        }
        """);
    cc.run(dir, List.of("-std=c11", "-Wall", "-Werror", "-o", "both", "both.c", "blur.o", "lookup.o", "-pthread", "-lm"));
    String printed = execute(dir.resolve("both"));
    String interpMessage = assertThrows(HalogenRuntimeException.class, () -> {
      LoweredModule m = lower("""
          pipeline outputs(table)
          constant lut: int32 [-2, 4] = "AQAAAAIAAAADAAAABAAAAA=="
          param k: int32

          func table(i): int32 {
            table(i) = lut(i) * k
          }
          """);
      Backends.compile(m, Target.of("interp")).run("table", Map.of("k", 10, "table", Buffer.allocate(java.lang.foreign.Arena.ofAuto(), Type.I32, new int[] {-3}, new int[] {4})));
    }).getMessage();
    // blur(x) = (x + x+1 + x+2) * 2; the lut holds 1, 2, 3, 4 from -2.
    assertEquals("0 0 6 60 10 20 30 40\n1 " + interpMessage + "|\n", printed);
    assertFalse(Files.exists(dir.resolve("libblur.so")));
  }

  @Test
  void aCPlusPlusProgramIncludesTheHeader() {
    Path gxx = AotProgram.onPath("g++", "the C++ program");
    compile(lower(BLUR), "blur", OutputKind.SHARED_LIBRARY, OutputKind.C_HEADER);
    AotProgram.write(dir.resolve("main.cpp"), """
        #include <cstdio>
        #include "blur.h"

        int main() {
          float in[2][3] = {{1, 2, 3}, {4, 5, 6}};
          float out[2][1];
          HALOGEN_BUFFER(2) input, output;
          input.fixed.host = in;
          input.fixed.dimensions = 2;
          input.fixed.reserved = 0;
          input.fixed.dim[0] = {0, 3, 1};
          input.fixed.dim[1] = {0, 2, 3};
          output.fixed = {out, 2, 0, {{0, 1, 1}, {0, 2, 1}}};
          int result = blur(&input.buffer, 0.5f, &output.buffer);
          std::printf("%d %g %g\\n", result, out[0][0], out[1][0]);
          return 0;
        }
        """);
    new CCompiler(List.of(gxx.toString())).run(dir, List.of("-std=c++17", "-Wall", "-Wextra", "-Werror", "-I", dir.toString(), "-o", "main",
        "main.cpp", "-L", dir.toString(), "-lblur", "-Wl,-rpath," + dir));
    assertEquals("0 3 7.5\n", execute(dir.resolve("main")));
  }

  @Test
  void pythonCallsTheLibraryWithCtypes() {
    Path python = AotProgram.onPath("python3", "the ctypes example");
    compile(lower(BLUR), "blur", OutputKind.SHARED_LIBRARY);
    // The example of docs/aot.md.
    AotProgram.write(dir.resolve("blur.py"), """
        import ctypes

        class Dimension(ctypes.Structure):
            _fields_ = [("min", ctypes.c_int32), ("extent", ctypes.c_int32), ("stride", ctypes.c_int32)]

        def buffer(data, *shape):
            \"""A halogen_buffer_t over ctypes array data: shape (extent, ...) from the innermost dimension, mins 0, dense.\"""
            class Buffer(ctypes.Structure):
                _fields_ = [("host", ctypes.c_void_p), ("dimensions", ctypes.c_int32), ("reserved", ctypes.c_int32),
                            ("dim", Dimension * len(shape))]
            b = Buffer(ctypes.addressof(data), len(shape), 0)
            stride = 1
            for d, extent in enumerate(shape):
                b.dim[d] = Dimension(0, extent, stride)
                stride *= extent
            return b

        lib = ctypes.CDLL("./libblur.so")
        lib.blur.argtypes = [ctypes.c_void_p, ctypes.c_float, ctypes.c_void_p]
        lib.blur.restype = ctypes.c_int32
        lib.blur_last_error.restype = ctypes.c_char_p

        pixels = (ctypes.c_float * 12)(*range(12))   # 4 x 3
        result = (ctypes.c_float * 6)()              # 2 x 3
        if lib.blur(ctypes.byref(buffer(pixels, 4, 3)), 0.5, ctypes.byref(buffer(result, 2, 3))) != 0:
            raise RuntimeError(lib.blur_last_error().decode())
        print(list(result))
        too_wide = (ctypes.c_float * 9)()            # 3 x 3 needs 5 columns
        if lib.blur(ctypes.byref(buffer(pixels, 4, 3)), 0.5, ctypes.byref(buffer(too_wide, 3, 3))) != 0:
            print(lib.blur_last_error().decode())
        """);
    String printed = AotProgram.execute(List.of(python.toString(), "blur.py"), dir);
    String[] lines = printed.split("\n");
    // Row y holds 4y .. 4y + 3: blur(x, y) = (3 (4y + x) + 3) / 2.
    assertEquals("[1.5, 3.0, 7.5, 9.0, 13.5, 15.0]", lines[0]);
    LoweredModule module = lower(BLUR);
    String expected = assertThrows(HalogenRuntimeException.class, () -> Backends.compile(module, Target.of("interp"))
        .run("blur", Map.of("in", Buffer.allocate(Type.F32, 4, 3), "gain", 0.5f, "blur", Buffer.allocate(Type.F32, 3, 3)))).getMessage();
    assertEquals(expected, lines[1]);
    assertEquals(2, lines.length, printed);
  }

  @Test
  void scalarsOfEveryTypeArePassedInTheirCTypes() {
    Differential.of("""
        module s
        entry s(out o: float64 [1], out p: uint64 [1], out q: int8 [1], a: int8, b: uint16, c: int64, d: uint64, e: bool, f: float16,
            g: float32, h: float64, i: uint8, j: int16, k: uint32, l: int32) {
          for (x, 0, 16) {
            o[x] = cast<float64>(f) + cast<float64>(g) * 2.0 + h * 4.0 + cast<float64>(x)
            p[x] = d + cast<uint64>(b) + cast<uint64>(i) + cast<uint64>(k) + cast<uint64>(e)
            q[x] = a + cast<int8>(c) + cast<int8>(j) + cast<int8>(l) + cast<int8>(x)
          }
        }
        """).allBuffers(Differential.Fill.ANY, 16).scalar("d", new java.math.BigInteger("18446744073709551000")).scalar("k", 4000000000L)
        .scalar("c", Long.MIN_VALUE + 3).scalar("f", 0.1f).checkAotSeeds(3, dir, "scalars");
  }

  // ------------------------------------------------------------------ the runtime

  /** Nested parallel loops that fill o(x, y) with x * 1000 + y, and fail where that is {@code stop}. */
  private static final String NEST = """
      module nest
      entry nest(out o: int32 [2], stop: int32) {
        parallel for (y, 0, o.extent.1) {
          parallel for (x, 0, o.extent.0) {
            assert(x * 1000 + y != stop, "stopped at x = {}, y = {}", x, y)
            o[x + y * o.stride.1] = x * 1000 + y
          }
        }
      }
      """;

  @Test
  void nestedParallelLoopsAndAFailureInsideOneRunOnAnyNumberOfThreads() {
    compile(IrParser.parseModule(NEST), "nest", OutputKind.SHARED_LIBRARY, OutputKind.C_HEADER);
    Path program = cProgram("main", """
        #include <stdio.h>
        #include <stdlib.h>
        #include "nest.h"

        int main(int argc, char **argv) {
          (void) argc;
          static int32_t o[100][300];
          HALOGEN_BUFFER(2) out = {.fixed = {o, 2, 0, {{0, 300, 1}, {0, 100, 300}}}};
          int result = nest(&out.buffer, atoi(argv[1]));
          long wrong = 0;
          for (int y = 0; y < 100; y++) {
            for (int x = 0; x < 300; x++) wrong += o[y][x] != x * 1000 + y;
          }
          printf("%d %ld %s\\n", result, wrong, nest_last_error());
          return 0;
        }
        """, "nest");
    for (String threads : List.of("1", "2", "7", "")) {
      String why = "HALOGEN_NUM_THREADS=" + threads;
      List<String> run = List.of("env", "HALOGEN_NUM_THREADS=" + threads, program.toString());
      assertEquals("0 0 \n", AotProgram.execute(append(run, "-1"), dir), why);
      String failed = AotProgram.execute(append(run, "250042"), dir);
      assertEquals("1 ", failed.substring(0, 2), why + ": " + failed);
      assertTrue(failed.endsWith(" stopped at x = 250, y = 42\n"), why + ": " + failed);
    }
  }

  @Test
  void threadsOfTheCallerCallAtTheSameTimeAndEachGetsItsOwnLastError() {
    compile(IrParser.parseModule(NEST), "nest", OutputKind.SHARED_LIBRARY, OutputKind.C_HEADER);
    Path program = cProgram("main", """
        #include <pthread.h>
        #include <stdio.h>
        #include <string.h>
        #include "nest.h"

        typedef struct {
          int stop, result, wrong;
          char message[100];
        } call;

        static void *run(void *p) {
          call *c = p;
          static _Thread_local int32_t o[50][200];
          for (int i = 0; i < 20; i++) {
            HALOGEN_BUFFER(2) out = {.fixed = {o, 2, 0, {{0, 200, 1}, {0, 50, 200}}}};
            c->result |= nest(&out.buffer, c->stop);
            if (c->stop < 0) {
              for (int y = 0; y < 50; y++) {
                for (int x = 0; x < 200; x++) c->wrong += o[y][x] != x * 1000 + y;
              }
            }
            strncpy(c->message, nest_last_error(), sizeof c->message - 1);
          }
          return NULL;
        }

        int main(void) {
          call calls[6] = {{-1, 0, 0, ""}, {3, 0, 0, ""}, {-1, 0, 0, ""}, {199049, 0, 0, ""}, {-1, 0, 0, ""}, {5007, 0, 0, ""}};
          pthread_t threads[6];
          for (int i = 0; i < 6; i++) pthread_create(&threads[i], NULL, run, &calls[i]);
          for (int i = 0; i < 6; i++) pthread_join(threads[i], NULL);
          for (int i = 0; i < 6; i++) printf("%d %d %s\\n", calls[i].result, calls[i].wrong, calls[i].message);
          return 0;
        }
        """, "nest");
    assertEquals("""
        0 0\s
        1 0 stopped at x = 0, y = 3
        0 0\s
        1 0 stopped at x = 199, y = 49
        0 0\s
        1 0 stopped at x = 5, y = 7
        """, AotProgram.execute(List.of("env", "HALOGEN_NUM_THREADS=3", program.toString()), dir));
  }

  private static List<String> append(List<String> list, String last) {
    List<String> all = new ArrayList<>(list);
    all.add(last);
    return all;
  }

  /**
   * Floats in messages are written as Java's Double.toString and Float.toString write them:
   * checked on the edges of both formats, every power of two (where the shortest decimal is
   * hardest to find), and random bit patterns and decimals.
   */
  @Test
  void floatsInMessagesAreWrittenAsJavaWritesThem() throws IOException {
    LoweredModule module = IrParser.parseModule("""
        module fmt
        entry fmt(out o: int32 [1], d: float64, f: float32) {
          assert(false, "{} {}", d, f)
        }
        """);
    compile(module, "fmt", OutputKind.SHARED_LIBRARY, OutputKind.C_HEADER);
    Path program = cProgram("main", """
        #include <stdio.h>
        #include <string.h>
        #include "fmt.h"

        int main(int argc, char **argv) {
          (void) argc;
          FILE *f = fopen(argv[1], "rb");
          int32_t storage[1];
          HALOGEN_BUFFER(1) o = {.fixed = {storage, 1, 0, {{0, 1, 1}}}};
          uint64_t bits[2];
          while (fread(bits, 8, 2, f) == 2) {
            double d;
            float x;
            uint32_t low = (uint32_t) bits[1];
            memcpy(&d, &bits[0], sizeof d);
            memcpy(&x, &low, sizeof x);
            if (fmt(&o.buffer, d, x) == 0) return 1;
            printf("%s\\n", fmt_last_error());
          }
          return 0;
        }
        """, "fmt");
    List<Double> doubles = new ArrayList<>(List.of(0.0, -0.0, 1.0, -1.5, 0.1, 1e7, 9999999.0, 1e-3, 9.99e-4, 123456.789, 1e23, 2e-323,
        Double.MIN_VALUE, Double.MIN_NORMAL, Double.MAX_VALUE, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 5e-324,
        4.35, 0.3, 2.0 / 3, 1.0E22, 5.0E-324, 9007199254740993.0, 1.7976931348623157E308));
    List<Float> floats = new ArrayList<>(List.of(0f, -0f, 1f, -1.5f, 0.1f, 1e7f, 9999999f, 1e-3f, 9.99e-4f, 123456.79f, 1e10f,
        Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1.0E-45f,
        0.33325195f, 16777217f, 3.4028235e38f, 2.0f / 3));
    for (int e = -1074; e <= 1023; e++) doubles.add(Math.scalb(1.0, e));
    for (int e = -149; e <= 127; e++) floats.add(Math.scalb(1f, e));
    SplittableRandom random = new SplittableRandom(5);
    for (int i = 0; i < 1500; i++) {
      doubles.add(Double.longBitsToDouble(random.nextLong()));
      doubles.add(random.nextInt(-100000, 100000) / Math.pow(10, random.nextInt(0, 12)));
      floats.add(Float.intBitsToFloat(random.nextInt()));
      floats.add((float) (random.nextInt(-100000, 100000) / Math.pow(10, random.nextInt(0, 12))));
    }
    int n = Math.max(doubles.size(), floats.size());
    ByteBuffer input = ByteBuffer.allocate(16 * n).order(ByteOrder.LITTLE_ENDIAN);
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double d = doubles.get(i % doubles.size());
      float f = floats.get(i % floats.size());
      input.putLong(Double.doubleToRawLongBits(d)).putLong(Float.floatToRawIntBits(f) & 0xffffffffL);
      expected.add(Double.toString(d) + " " + Float.toString(f));
    }
    Files.write(dir.resolve("values"), input.array());
    List<String> printed = List.of(execute(program, dir.resolve("values").toString()).split("\n"));
    assertEquals(expected.size(), printed.size());
    for (int i = 0; i < n; i++) assertEquals(expected.get(i), printed.get(i), "line " + i);
  }

  @Test
  void aHandleInAMessageIsWrittenAsTheJitWritesIt() {
    LoweredModule module = IrParser.parseModule("""
        module h
        entry h(out o: int32 [1], p: handle) {
          assert(false, "handle {}", p)
        }
        """);
    compile(module, "h", OutputKind.SHARED_LIBRARY, OutputKind.C_HEADER);
    String printed = execute(cProgram("main", """
        #include <stdio.h>
        #include "h.h"

        int main(void) {
          int32_t storage[1];
          HALOGEN_BUFFER(1) o = {.fixed = {storage, 1, 0, {{0, 1, 1}}}};
          int result = h(&o.buffer, (void *) 0x12345678abcdULL);
          printf("%d %s\\n", result, h_last_error());
          return 0;
        }
        """, "h"));
    MemorySegment address = MemorySegment.ofAddress(0x12345678abcdL);
    assertEquals("1 handle " + address + "\n", printed);
    HalogenRuntimeException jit = assertThrows(HalogenRuntimeException.class, () -> Backends.compile(module, Target.of("llvm"))
        .run("h", Map.of("o", Buffer.allocate(Type.I32, 1), "p", new dev.halogen.passes.analysis.Value.Handle(address))));
    assertEquals("handle " + address, jit.getMessage());
  }

  // ------------------------------------------------------------------ the files

  private static final String SMALL = """
      module small
      entry scale(in in: uint8 [2], out out: float32 [1], k: float16, n: int64, flag: bool, p: handle) {
        for (x, 0, out.extent.0) {
          out[x] = cast<float32>(in[x]) * cast<float32>(k)
        }
      }
      entry nothing() {
      }
      """;

  @Test
  void theHeaderDeclaresEachEntryPointWithTypedParametersAndItsArgumentsDocumented() throws IOException {
    compile(IrParser.parseModule(SMALL), "small", OutputKind.C_HEADER);
    String header = Files.readString(dir.resolve("small.h"));
    assertTrue(header.startsWith("/*\n * small.h: the C interface of Halogen module small"), header);
    assertTrue(header.contains("#ifndef HALOGEN_SMALL_H\n#define HALOGEN_SMALL_H\n"), header);
    assertTrue(header.contains("#ifdef __cplusplus\nextern \"C\" {\n#endif\n"), header);
    assertTrue(header.contains("""
        typedef struct halogen_buffer_t {
          void *host;
          int32_t dimensions;
          int32_t reserved;
          halogen_dimension_t dim[];
        } halogen_buffer_t;
        """), header);
    assertTrue(header.contains("""
        HALOGEN_STATIC_ASSERT(sizeof(halogen_buffer_t) == 16
                              && offsetof(halogen_buffer_t, host) == 0
                              && offsetof(halogen_buffer_t, dimensions) == 8
                              && offsetof(halogen_buffer_t, reserved) == 12
                              && offsetof(halogen_buffer_t, dim) == 16,
                              "halogen_buffer_t does not have the layout of the generated code");
        """), header);
    assertTrue(header.contains("""
        /*
         * Entry point scale.
         *
         *   in    input buffer, uint8, 2 dimensions
         *   out   output buffer, float32, 1 dimension
         *   k     scalar, float16 (its IEEE binary16 bits)
         *   n     scalar, int64
         *   flag  scalar, bool
         *   p     scalar, handle
         *
         * Returns 0 on success, or nonzero after a failure (an assertion of the pipeline that does not
         * hold, such as a buffer too small for what is read or written, or an allocation that failed);
         * small_last_error() then gives the message.
         */
        int32_t scale(
            const halogen_buffer_t * /* in */,
            halogen_buffer_t * /* out */,
            uint16_t /* k */,
            int64_t /* n */,
            bool /* flag */,
            void * /* p */);
        """), header);
    assertTrue(header.contains("\nint32_t nothing(void);\n"), header);
    assertTrue(header.contains("\nconst char *small_last_error(void);\n"), header);
    assertTrue(header.endsWith("#ifdef __cplusplus\n}\n#endif\n\n#endif /* HALOGEN_SMALL_H */\n"), header);
  }

  @Test
  void theGeneratedCSourceCompilesWithoutWarnings() {
    CCompiler cc = AotProgram.compiler();
    LoweredModule module = IrParser.parseModule("""
        module warn
        constant c: int8 [0, 3] = "AQID"
        entry every(out o: int32 [1], h: float16, f: float32, d: float64, b: bool, u: uint16, p: handle) {
          parallel for (x, 0, 4) {
            o[x] = cast<int32>(c[x % 3])
          }
          assert(false, "{} {} {} {} {} {} {} {}", h, f, d, b, u, p, ramp(1, 1, 4), broadcast(f, 2))
        }
        entry none() {
        }
        """);
    compile(module, "warn", OutputKind.C_HEADER);
    List<EntryCode> code;
    LLVMContextRef context = LLVMContextCreate();
    Llvm llvm = new Llvm(context, module.name(), Jit.get().host, false);
    try {
      code = NativeModule.generate(llvm, module, CCode.entryPrefix("warn"), CCode.parForSymbol("warn"),
          PrintSites.local(CCode.printSymbol("warn")));
    } finally {
      LLVMDisposeModule(llvm.module);
      LLVMContextDispose(context);
    }
    AotProgram.write(dir.resolve("warn.c"), CCode.source(module, "warn", code, List.of()));
    cc.run(dir, List.of("-std=c11", "-Wall", "-Wextra", "-pedantic", "-Werror", "-fPIC", "-pthread", "-c", "warn.c", "-o", "warn.o"));
  }

  @Test
  void theAssemblyFilesShowTheGeneratedCode() throws IOException {
    Map<OutputKind, Path> files = compile(IrParser.parseModule(SMALL), "small", OutputKind.LLVM_ASSEMBLY, OutputKind.ASSEMBLY);
    assertEquals(Map.of(OutputKind.LLVM_ASSEMBLY, dir.resolve("small.ll"), OutputKind.ASSEMBLY, dir.resolve("small.s")), files);
    String ll = Files.readString(dir.resolve("small.ll"));
    assertTrue(Pattern.compile("(?m)^define hidden .*@halogen_small_entry_scale\\(ptr ").matcher(ll).find(), ll);
    assertTrue(Pattern.compile("(?m)^define hidden .*@halogen_small_entry_nothing\\(ptr ").matcher(ll).find(), ll);
    String s = Files.readString(dir.resolve("small.s"));
    assertTrue(s.contains(".hidden\thalogen_small_entry_scale"), s);
    assertTrue(s.contains("halogen_small_entry_scale:"), s);
  }

  @Test
  void everyKindAtOnceAndTheFileNames() {
    AotProgram.compiler();
    Map<OutputKind, Path> files = BACKEND.compileToFiles(IrParser.parseModule(SMALL), Target.of("llvm"), dir.resolve("made/here"), "small",
        EnumSet.allOf(OutputKind.class));
    for (OutputKind k : OutputKind.values()) assertTrue(Files.isRegularFile(files.get(k)), k + ": " + files.get(k));
    assertEquals(List.of("small.o", "libsmall.so", "small.h", "small.ll", "small.s"),
        files.values().stream().map(p -> p.getFileName().toString()).toList());
    assertTrue(files.values().stream().allMatch(p -> p.getParent().equals(dir.resolve("made/here"))));
  }

  // ------------------------------------------------------------------ refusals

  @Test
  void namesThatCannotBeCNamesAreRefused() {
    LoweredModule module = IrParser.parseModule(SMALL);
    assertEquals("base name 'my-lib' is not a C identifier (ASCII letters, digits and _, not starting with a digit),"
        + " which ahead-of-time compilation needs for C names",
        assertThrows(IllegalArgumentException.class, () -> compile(module, "my-lib", OutputKind.C_HEADER)).getMessage());
    assertEquals("base name 'int' is a keyword of C or C++",
        assertThrows(IllegalArgumentException.class, () -> compile(module, "int", OutputKind.C_HEADER)).getMessage());
    assertEquals("base name '_Lib' is reserved in C (it starts with __ or _ and a capital letter)",
        assertThrows(IllegalArgumentException.class, () -> compile(module, "_Lib", OutputKind.C_HEADER)).getMessage());
    assertEquals("entry point new of module m is a keyword of C or C++",
        assertThrows(IllegalArgumentException.class, () -> compile(IrParser.parseModule("module m\nentry new() {\n}\n"), "m",
            OutputKind.C_HEADER)).getMessage());
    assertEquals("entry point a.b of module m is not a C identifier (ASCII letters, digits and _, not starting with a digit),"
        + " which ahead-of-time compilation needs for C names",
        assertThrows(IllegalArgumentException.class, () -> compile(IrParser.parseModule("module m\nentry a.b() {\n}\n"), "m",
            OutputKind.C_HEADER)).getMessage());
    assertEquals("entry point m_last_error of module m: the name is taken by the library's own functions (halogen_*, m_last_error)",
        assertThrows(IllegalArgumentException.class, () -> compile(IrParser.parseModule("module m\nentry m_last_error() {\n}\n"), "m",
            OutputKind.C_HEADER)).getMessage());
    assertEquals("entry point halogen_go of module m: the name is taken by the library's own functions (halogen_*, m_last_error)",
        assertThrows(IllegalArgumentException.class, () -> compile(IrParser.parseModule("module m\nentry halogen_go() {\n}\n"), "m",
            OutputKind.C_HEADER)).getMessage());
    assertFalse(Files.exists(dir.resolve("m.h")));
  }

  @Test
  void aTargetOfAnotherBackendIsRefused() {
    assertEquals("target interp is for backend interp, not llvm", assertThrows(IllegalArgumentException.class,
        () -> BACKEND.compileToFiles(IrParser.parseModule(SMALL), Target.of("interp"), dir, "small", Set.of(OutputKind.C_HEADER))).getMessage());
  }
}
