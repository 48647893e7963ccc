package dev.halogen.backend.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import dev.halogen.ir.Buffer;
import dev.halogen.ir.LoweredModule;
import dev.halogen.ir.LoweredModule.Argument;
import dev.halogen.ir.LoweredModule.ArgumentKind;
import dev.halogen.ir.LoweredModule.EntryPoint;
import dev.halogen.ir.Pipeline;
import dev.halogen.ir.Type;
import dev.halogen.ir.text.IrParser;
import dev.halogen.passes.Backends;
import dev.halogen.passes.CompiledModule;
import dev.halogen.passes.HalogenRuntimeException;
import dev.halogen.passes.Instrumentation;
import dev.halogen.passes.LoweringPipeline;
import dev.halogen.passes.Target;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Helpers of the interpreter tests: lower pipelines, compile and run modules with the interp backend
 * found by name, view arrays as buffers, and the harness of the tests that run a module before and
 * after a transformation (a pass, a pass list, a golden file's expected text): random argument
 * buffers, runs that report their failure instead of throwing it, and a bit-for-bit comparison of
 * the outputs whose message names the output and the coordinates where they differ.
 */
final class Interp {
  private Interp() {}

  static final Target TARGET = Target.of("interp");

  // ------------------------------------------------------------------ lowering, compiling, running

  /** The loop nests the default lowering pipeline makes of {@code p}, with the IR verified after every pass. */
  static LoweredModule lower(Pipeline p) {
    return LoweringPipeline.manager(Instrumentation.forTests()).run(p).result().asLoops("test").module();
  }

  /** {@link #lower(Pipeline)} of pipeline text. */
  static LoweredModule lower(String pipelineText) {
    return lower(IrParser.parsePipeline(pipelineText));
  }

  /** The module {@code text} compiled by the backend that {@link Backends} finds as "interp". */
  static CompiledModule compile(String text) {
    return compile(text, TARGET);
  }

  static CompiledModule compile(String text, Target target) {
    return Backends.find("interp").compile(IrParser.parseModule(text), target);
  }

  static CompiledModule compile(LoweredModule m) {
    return Backends.find("interp").compile(m, TARGET);
  }

  /** The single entry point of {@code module} run with {@code args}. */
  static void run(CompiledModule module, Map<String, ?> args) {
    module.run(module.module().entryPoints().getFirst().name(), args);
  }

  /** The single entry point of {@code m} run on the interpreter with {@code args}. */
  static void run(LoweredModule m, Map<String, ?> args) {
    run(compile(m), args);
  }

  /** The message of the run-time failure of the single entry point of {@code module} with {@code args}. */
  static String failure(CompiledModule module, Map<String, ?> args) {
    return assertThrows(HalogenRuntimeException.class, () -> run(module, args)).getMessage();
  }

  static String failure(LoweredModule m, Map<String, ?> args) {
    return failure(compile(m), args);
  }

  // ------------------------------------------------------------------ buffers

  /** A float32 buffer viewing {@code data} (not a copy) with the given mins, extents and strides. */
  static Buffer view(float[] data, int[] mins, int[] extents, long[] strides) {
    return Buffer.wrap(Type.F32, MemorySegment.ofArray(data), mins, extents, strides);
  }

  /** An int32 buffer viewing {@code data} (not a copy), dense, with {@code min} and {@code extent}. */
  static Buffer view(int[] data, int min, int extent) {
    return Buffer.wrap(Type.I32, MemorySegment.ofArray(data), new int[] {min}, new int[] {extent}, new long[] {1});
  }

  /** The elements of an int32 buffer, first dimension innermost. */
  static int[] ints(Buffer b) {
    int[] out = new int[Math.toIntExact(b.elementCount())];
    int[] i = {0};
    b.forEachCoordinate(c -> out[i[0]++] = b.getInt(c));
    return out;
  }

  /** How a test picks each random element of a buffer of element type {@code t}. */
  @FunctionalInterface
  interface Values {
    double next(Type t, Random random);
  }

  /** A buffer over {@code [mins[d], mins[d] + extents[d])} whose elements are {@code values}, first dimension innermost. */
  static Buffer random(Type t, int[] mins, int[] extents, Values values, Random random) {
    Buffer b = Buffer.allocate(Arena.ofAuto(), t, mins, extents);
    fill(b, values, random);
    return b;
  }

  /** {@link #random(Type, int[], int[], Values, Random)} with mins 0. */
  static Buffer random(Type t, int[] extents, Values values, Random random) {
    return random(t, new int[extents.length], extents, values, random);
  }

  /** Overwrites every element of {@code b} with {@code values}, first dimension innermost. */
  static void fill(Buffer b, Values values, Random random) {
    b.forEachCoordinate(c -> b.setFromDouble(values.next(b.type(), random), c));
  }

  /** Fills the dense buffer {@code b} with random bits (any value, NaNs included; 0 or 1 for booleans). */
  static void fillBits(Buffer b, Random random) {
    if (b.type().isBool()) {
      b.forEachCoordinate(c -> b.setBool(random.nextBoolean(), c));
      return;
    }
    byte[] bytes = new byte[Math.toIntExact(b.segment().byteSize())];
    random.nextBytes(bytes);
    b.segment().copyFrom(MemorySegment.ofArray(bytes));
  }

  /** A buffer for each argument of kind {@code kind} of {@code ep}, made by {@code make}, by name in argument order. */
  static Map<String, Buffer> buffers(EntryPoint ep, ArgumentKind kind, Function<Argument, Buffer> make) {
    Map<String, Buffer> out = new LinkedHashMap<>();
    for (Argument a : ep.arguments()) {
      if (a.kind() == kind) out.put(a.name(), make.apply(a));
    }
    return out;
  }

  /** {@link #buffers(EntryPoint, ArgumentKind, Function)} of the single entry point of {@code m}. */
  static Map<String, Buffer> buffers(LoweredModule m, ArgumentKind kind, Function<Argument, Buffer> make) {
    return buffers(m.entryPoints().getFirst(), kind, make);
  }

  // ------------------------------------------------------------------ comparing runs

  /** What one run gave: its output buffers (after the run, or as far as it got), or its failure's message. */
  record Outcome(Map<String, Buffer> outputs, @Nullable String failure) {
    /** The outputs of a run that must have succeeded. */
    Map<String, Buffer> succeeded(Supplier<String> where) {
      if (failure != null) fail("the run failed with " + failure + "\n" + where.get());
      return outputs;
    }
  }

  /** Runs entry point {@code entry} of {@code module} with {@code inputs} (buffers and scalars) and {@code outputs}. */
  static Outcome outcome(CompiledModule module, String entry, Map<String, ?> inputs, Map<String, Buffer> outputs) {
    Map<String, Object> args = new LinkedHashMap<>(inputs);
    args.putAll(outputs);
    try {
      module.run(entry, args);
      return new Outcome(outputs, null);
    } catch (HalogenRuntimeException e) {
      return new Outcome(outputs, e.getMessage());
    }
  }

  /** {@link #outcome(CompiledModule, String, Map, Map)} of the single entry point of {@code m} on the interpreter. */
  static Outcome outcome(LoweredModule m, Map<String, ?> inputs, Map<String, Buffer> outputs) {
    return outcome(compile(m), m.entryPoints().getFirst().name(), inputs, outputs);
  }

  /**
   * Checks that the run after a transformation ends as the run before it did: both fail, or both
   * succeed with the same outputs ({@link #assertSameOutputs}). Returns whether they succeeded.
   */
  static boolean assertSameOutcome(Outcome before, Outcome after, Supplier<String> where) {
    if (before.failure() != null || after.failure() != null) {
      if (before.failure() == null || after.failure() == null) {
        fail("before, the run " + describe(before) + "; after, the run " + describe(after) + "\n" + where.get());
      }
      return false;
    }
    assertSameOutputs(before.outputs(), after.outputs(), where);
    return true;
  }

  private static String describe(Outcome o) {
    return o.failure() == null ? "succeeded" : "failed with: " + o.failure();
  }

  /**
   * Checks that {@code after} has the outputs of {@code before}, each with the same bounds and bit
   * for bit the same elements (floats by their bits: a NaN equals only the same NaN, -0 differs
   * from 0). The failure starts {@code output NAME differs at [COORDINATES]: ...} and ends with
   * {@code where}.
   */
  static void assertSameOutputs(Map<String, Buffer> before, Map<String, Buffer> after, Supplier<String> where) {
    assertEquals(before.keySet(), after.keySet(), () -> "outputs\n" + where.get());
    for (Map.Entry<String, Buffer> e : before.entrySet()) {
      Buffer want = e.getValue(), got = after.get(e.getKey());
      assertEquals(want.type() + " " + want.boundsText(), got.type() + " " + got.boundsText(),
          () -> "output " + e.getKey() + "\n" + where.get());
      if (!want.equals(got)) {
        String w = where.get();
        fail(difference(e.getKey(), want, got) + (w.isEmpty() ? "" : "\n" + w));
      }
    }
  }

  /** Where {@code want} and {@code got} differ: the first few coordinates and the values there, and how many differ. */
  private static String difference(String name, Buffer want, Buffer got) {
    List<String> diffs = new ArrayList<>();
    long[] count = {0};
    want.forEachCoordinate(c -> {
      if (bits(want, c) == bits(got, c)) return;
      count[0]++;
      if (diffs.size() < 4) diffs.add(Arrays.toString(c) + ": " + value(want, c) + " before, " + value(got, c) + " after");
    });
    return "output " + name + " differs at " + String.join("; ", diffs) + " (" + count[0] + " of " + want.elementCount()
        + " elements differ)";
  }

  /** The raw bits of the element at {@code c}. */
  private static long bits(Buffer b, int[] c) {
    Type t = b.type();
    if (t.isFloat() && t.bits() == 64) return Double.doubleToRawLongBits(b.getDouble(c));
    if (t.isFloat() && t.bits() == 32) return Float.floatToRawIntBits(b.getFloat(c));
    if (t.isFloat()) return Double.doubleToRawLongBits(b.getAsDouble(c));
    return b.getAsLong(c);
  }

  private static String value(Buffer b, int[] c) {
    return b.type().isFloat() ? String.valueOf(b.getAsDouble(c)) : String.valueOf(b.getAsLong(c));
  }

  // ------------------------------------------------------------------ golden files of the passes

  private static final Path GOLDEN = Path.of("..", "passes", "src", "test", "resources", "golden");

  /** The input files of the golden cases of {@code pass} in module passes, sorted by name. */
  static List<Path> goldenInputs(String pass) {
    try (Stream<Path> files = Files.list(GOLDEN.resolve(pass))) {
      return files.filter(p -> p.toString().endsWith(".hir") && !p.toString().endsWith(".expected.hir")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the golden cases of " + pass, e);
    }
  }

  /** The module in golden file {@code file}. */
  static LoweredModule parseModule(Path file) {
    try {
      return IrParser.parseModule(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** The name of the golden case whose input is {@code input}: its file name without {@code .hir}. */
  static String goldenName(Path input) {
    String file = input.getFileName().toString();
    return file.substring(0, file.length() - ".hir".length());
  }

  /** The expected output of the golden case whose input is {@code input}. */
  static LoweredModule goldenExpected(Path input) {
    return parseModule(input.resolveSibling(goldenName(input) + ".expected.hir"));
  }
}
