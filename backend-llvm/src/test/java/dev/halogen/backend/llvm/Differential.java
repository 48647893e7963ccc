package dev.halogen.backend.llvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.halogen.backend.interp.ExternFunction;
import dev.halogen.backend.interp.InterpBackend;
import dev.halogen.ir.Buffer;
import dev.halogen.ir.LoweredModule;
import dev.halogen.ir.LoweredModule.Argument;
import dev.halogen.ir.LoweredModule.ArgumentKind;
import dev.halogen.ir.LoweredModule.EntryPoint;
import dev.halogen.ir.Type;
import dev.halogen.ir.text.IrParser;
import dev.halogen.passes.Backends;
import dev.halogen.passes.CompiledModule;
import dev.halogen.passes.HalogenRuntimeException;
import dev.halogen.passes.Instrumentation;
import dev.halogen.passes.IrProperty;
import dev.halogen.passes.LoweringPipeline;
import dev.halogen.passes.PassRun;
import dev.halogen.passes.Target;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;

/**
 * The differential test harness: runs a flattened module on the interpreter (the oracle) and on
 * the llvm backend, both found by name through {@link Backends}, with the same random inputs, and
 * demands the same outcome: every element of every buffer argument equal bit for bit (floats: any
 * NaN equals any NaN, since NaN payloads are not part of the semantics and LLVM's constant folding
 * makes other ones than the hardware), or the same {@link HalogenRuntimeException} message on both.
 *
 * <p>Output buffers start with the same random contents on both sides, so an element one side
 * writes and the other does not shows up. Only results of the C math library may differ from the
 * interpreter's (Java's {@code Math}): a test of them gives a tolerance in units in the last place.
 *
 * <p>Use: {@code Differential.of(text).buffer("in", fill, extents).scalar("k", 3).check(seed)}. A
 * buffer not given a shape has mins 0 and 64 elements (one dimension) or 8 per dimension; an unset
 * scalar is random. {@link #ofPipeline} starts from a pipeline instead, lowered by the default
 * lowering pipeline.
 */
final class Differential {
  /** How to fill a buffer. */
  enum Fill {
    /** Random bits mixed with the edge values of the type (MIN, MAX, 0, -1; NaN, infinities, -0, subnormals). */
    ANY,
    /** Small numbers: integers in [-20, 20] (unsigned: [0, 40]); floats in [-20, 20] with fractions. */
    SMALL,
    /** Integers in [0, 16): indices for reading other buffers. */
    INDEX
  }

  private record Shape(int[] mins, int[] extents, Fill fill) {}

  private final LoweredModule module;
  private final EntryPoint entry;
  private final Map<String, Shape> shapes = new LinkedHashMap<>();
  private final Map<String, Object> scalars = new LinkedHashMap<>();
  private int ulps;
  private Map<String, ExternFunction> externs = Map.of();

  private Differential(LoweredModule module) {
    this.module = module;
    this.entry = module.entryPoints().getFirst();
  }

  static Differential of(String moduleText) {
    return new Differential(IrParser.parseModule(moduleText));
  }

  static Differential of(LoweredModule module) {
    return new Differential(module);
  }

  /**
   * The harness for pipeline {@code text} (the function graph's text form), lowered by the default
   * lowering pipeline. Backends compile flattened modules only: until the lowering pipeline has a
   * pass that flattens storage, the calling test is aborted (reported as skipped).
   */
  static Differential ofPipeline(String text) {
    PassRun run = LoweringPipeline.manager(Instrumentation.forTests()).run(IrParser.parsePipeline(text));
    Assumptions.assumeTrue(run.properties().contains(IrProperty.STORAGE_FLATTENED),
        "the lowering pipeline does not flatten storage yet: " + LoweringPipeline.manager(Instrumentation.forTests()).passNames());
    return of(run.result().asLoops("the differential test").module());
  }

  /** Buffer argument {@code name}: filled by {@code fill}, with {@code extents} and mins 0. */
  Differential buffer(String name, Fill fill, int... extents) {
    return buffer(name, fill, new int[extents.length], extents);
  }

  Differential buffer(String name, Fill fill, int[] mins, int[] extents) {
    shapes.put(name, new Shape(mins.clone(), extents.clone(), fill));
    return this;
  }

  /** Every buffer argument not given otherwise: filled by {@code fill}, one-dimensional shapes with {@code extent} elements. */
  Differential allBuffers(Fill fill, int extent) {
    for (Argument a : entry.arguments()) {
      if (a.kind() != ArgumentKind.SCALAR && !shapes.containsKey(a.name())) {
        int[] extents = new int[a.dimensions()];
        Arrays.fill(extents, extent);
        buffer(a.name(), fill, extents);
      }
    }
    return this;
  }

  Differential scalar(String name, Object value) {
    scalars.put(name, value);
    return this;
  }

  /** The implementations the interpreter uses for extern functions (the llvm backend calls the process's symbols). */
  Differential externs(Map<String, ExternFunction> implementations) {
    externs = Map.copyOf(implementations);
    return this;
  }

  /** Lets floats differ by up to {@code n} units in the last place (for the C math library's functions). */
  Differential ulps(int n) {
    ulps = n;
    return this;
  }

  /**
   * Runs both backends with inputs from {@code seed}, checks they agree, and returns the outcome
   * (the buffers after the run, or the failure's message).
   */
  Outcome check(long seed) {
    CompiledModule llvm = Backends.compile(module, Target.of("llvm"));
    return check(seed, "the llvm backend", args -> run(llvm, args), false);
  }

  /**
   * {@link #check} for a module whose accesses nothing checks, so that inputs it reads out of bounds
   * would make the llvm backend read memory that is not theirs: llvm runs only when the interpreter
   * (which checks every access) succeeds, and must then agree with it; else this returns null.
   */
  @Nullable Outcome checkWhereTheInterpreterSucceeds(long seed) {
    CompiledModule llvm = Backends.compile(module, Target.of("llvm"));
    return check(seed, "the llvm backend", args -> run(llvm, args), true);
  }

  /** {@link #check} for seeds {@code 1 .. n}. */
  void checkSeeds(int n) {
    for (long seed = 1; seed <= n; seed++) check(seed);
  }

  /**
   * As {@link #check}, with the module compiled ahead of time into a shared library in {@code dir}
   * (named {@code base}) and run by a C program ({@link AotProgram}) instead of the JIT.
   */
  Outcome checkAot(long seed, Path dir, String base) {
    AotProgram program = AotProgram.build(module, entry, dir, base);
    return check(seed, "the C program", program::run, false);
  }

  /** {@link #checkAot} for seeds {@code 1 .. n}, with one library and program. */
  void checkAotSeeds(int n, Path dir, String base) {
    AotProgram program = AotProgram.build(module, entry, dir, base);
    for (long seed = 1; seed <= n; seed++) check(seed, "the C program", program::run, false);
  }

  /**
   * Runs the interpreter and {@code runner} ({@code what}) on the arguments of {@code seed}, checks they agree, and
   * returns the runner's outcome; with {@code onlyIfInterpreterSucceeds}, returns null without running
   * {@code runner} where the interpreter fails.
   */
  private @Nullable Outcome check(long seed, String what, Function<Map<String, Object>, Outcome> runner, boolean onlyIfInterpreterSucceeds) {
    CompiledModule interp = externs.isEmpty() ? Backends.compile(module, Target.of("interp")) : new InterpBackend(externs).compile(module, Target.of("interp"));
    Map<String, Object> args = arguments(new SplittableRandom(seed));
    Outcome expected = run(interp, copy(args));
    if (onlyIfInterpreterSucceeds && expected.failure() != null) return null;
    Outcome actual = runner.apply(copy(args));
    if (expected.failure() != null || actual.failure() != null) {
      assertEquals(describe(expected), describe(actual), "the interpreter and " + what + " end differently (seed " + seed + ")");
      return actual;
    }
    for (String name : expected.buffers().keySet()) compare(name, expected.buffers().get(name), actual.buffers().get(name), seed);
    return actual;
  }

  /** What a run gave: its buffers (arguments after the run), or its failure's message. */
  record Outcome(Map<String, Buffer> buffers, String failure) {}

  private static String describe(Outcome o) {
    return o.failure() == null ? "succeeded" : "failed: " + o.failure();
  }

  private Outcome run(CompiledModule m, Map<String, Object> args) {
    Map<String, Buffer> buffers = new LinkedHashMap<>();
    args.forEach((k, v) -> {
      if (v instanceof Buffer b) buffers.put(k, b);
    });
    try {
      m.run(entry.name(), args);
      return new Outcome(buffers, null);
    } catch (HalogenRuntimeException e) {
      return new Outcome(buffers, e.getMessage());
    }
  }

  private Map<String, Object> arguments(SplittableRandom random) {
    Map<String, Object> args = new LinkedHashMap<>();
    for (Argument a : entry.arguments()) {
      if (a.kind() == ArgumentKind.SCALAR) {
        args.put(a.name(), scalars.containsKey(a.name()) ? scalars.get(a.name()) : randomScalar(a.type(), random));
      } else {
        Shape s = shapes.get(a.name());
        if (s == null) {
          int[] extents = new int[a.dimensions()];
          Arrays.fill(extents, a.dimensions() == 1 ? 64 : 8);
          s = new Shape(new int[a.dimensions()], extents, Fill.ANY);
        }
        Buffer b = Buffer.allocate(Arena.ofAuto(), a.type(), s.mins(), s.extents());
        fill(b, s.fill(), random);
        args.put(a.name(), b);
      }
    }
    return args;
  }

  private static Map<String, Object> copy(Map<String, Object> args) {
    Map<String, Object> copy = new LinkedHashMap<>();
    args.forEach((k, v) -> copy.put(k, v instanceof Buffer b ? b.copy() : v));
    return copy;
  }

  private static Object randomScalar(Type t, SplittableRandom r) {
    return switch (t.code()) {
      case BOOL -> r.nextBoolean();
      case INT -> switch (t.bits()) {
        case 8 -> (byte) r.nextInt(-20, 21);
        case 16 -> (short) r.nextInt(-20, 21);
        case 32 -> r.nextInt(-20, 21);
        default -> (long) r.nextInt(-20, 21);
      };
      case UINT -> (long) r.nextInt(0, 41);
      case FLOAT -> r.nextDouble(-20, 20);
      case HANDLE -> throw new IllegalArgumentException("no random handles");
    };
  }

  // ------------------------------------------------------------------ filling

  /** Writes random elements of {@code fill} into every element of the dense buffer {@code b}. */
  static void fill(Buffer b, Fill fill, SplittableRandom r) {
    Type t = b.type();
    MemorySegment m = b.segment();
    long n = b.elementCount();
    for (long i = 0; i < n; i++) {
      long off = i * t.bytes();
      if (t.isBool()) {
        m.set(ValueLayout.JAVA_BYTE, off, (byte) (r.nextBoolean() ? 1 : 0));
      } else if (t.isFloat()) {
        double d = randomFloat(fill, r);
        switch (t.bits()) {
          case 16 -> m.set(ValueLayout.JAVA_SHORT_UNALIGNED, off, Float.floatToFloat16((float) d));
          case 32 -> m.set(ValueLayout.JAVA_FLOAT_UNALIGNED, off, (float) d);
          default -> m.set(ValueLayout.JAVA_DOUBLE_UNALIGNED, off, d);
        }
      } else {
        long v = randomInt(t, fill, r);
        switch (t.bytes()) {
          case 1 -> m.set(ValueLayout.JAVA_BYTE, off, (byte) v);
          case 2 -> m.set(ValueLayout.JAVA_SHORT_UNALIGNED, off, (short) v);
          case 4 -> m.set(ValueLayout.JAVA_INT_UNALIGNED, off, (int) v);
          default -> m.set(ValueLayout.JAVA_LONG_UNALIGNED, off, v);
        }
      }
    }
  }

  private static long randomInt(Type t, Fill fill, SplittableRandom r) {
    return switch (fill) {
      case INDEX -> r.nextInt(16);
      case SMALL -> t.isInt() ? r.nextInt(-20, 21) : r.nextInt(0, 41);
      case ANY -> switch (r.nextInt(8)) {
        case 0 -> t.minInt();
        case 1 -> t.maxInt();
        case 2 -> 0;
        case 3 -> -1;
        case 4 -> r.nextInt(-3, 4);
        default -> r.nextLong();
      };
    };
  }

  private static double randomFloat(Fill fill, SplittableRandom r) {
    return switch (fill) {
      case INDEX -> r.nextInt(16);
      case SMALL -> Math.round(r.nextDouble(-20, 20) * 64) / 64.0;
      case ANY -> switch (r.nextInt(16)) {
        case 0 -> Double.NaN;
        case 1 -> Double.POSITIVE_INFINITY;
        case 2 -> Double.NEGATIVE_INFINITY;
        case 3 -> 0.0;
        case 4 -> -0.0;
        case 5 -> Double.MIN_VALUE * r.nextInt(1, 1000);
        case 6 -> Float.MIN_VALUE * r.nextInt(1, 1000);
        case 7 -> 6e-8 * r.nextInt(1, 1000); // float16 subnormals
        case 8 -> r.nextInt(-70000, 70000) + 0.5; // ties and the float16 overflow edge
        case 9 -> r.nextDouble(-1e300, 1e300);
        case 10 -> r.nextDouble(-3.5e38, 3.5e38);
        default -> r.nextDouble(-100, 100);
      };
    };
  }

  // ------------------------------------------------------------------ comparing

  private void compare(String name, Buffer want, Buffer got, long seed) {
    Type t = want.type();
    MemorySegment a = want.segment();
    MemorySegment b = got.segment();
    List<String> diffs = new ArrayList<>();
    long n = want.elementCount();
    for (long i = 0; i < n && diffs.size() < 5; i++) {
      long off = i * t.bytes();
      if (t.isFloat()) {
        double x = readFloat(a, t, off);
        double y = readFloat(b, t, off);
        if (!sameFloat(t, x, y)) diffs.add("element " + i + ": interp " + x + ", compiled " + y);
      } else {
        long x = readBits(a, t, off);
        long y = readBits(b, t, off);
        if (x != y) diffs.add("element " + i + ": interp " + x + ", compiled " + y);
      }
    }
    if (!diffs.isEmpty()) fail("buffer " + name + " (" + t + ") differs (seed " + seed + "): " + String.join("; ", diffs));
  }

  private boolean sameFloat(Type t, double x, double y) {
    if (Double.isNaN(x) || Double.isNaN(y)) return Double.isNaN(x) && Double.isNaN(y);
    if (Double.doubleToRawLongBits(x) == Double.doubleToRawLongBits(y)) return true;
    if (ulps == 0 || Double.isInfinite(x) != Double.isInfinite(y)) return false;
    double magnitude = Math.max(Math.abs(x), Math.abs(y));
    double ulp = switch (t.bits()) {
      case 16 -> Math.scalb(1.0, Math.max(Math.getExponent(magnitude), -14) - 10);
      case 32 -> Math.ulp((float) magnitude);
      default -> Math.ulp(magnitude);
    };
    return Math.abs(x - y) <= ulps * ulp;
  }

  private static double readFloat(MemorySegment m, Type t, long off) {
    return switch (t.bits()) {
      case 16 -> Float.float16ToFloat(m.get(ValueLayout.JAVA_SHORT_UNALIGNED, off));
      case 32 -> m.get(ValueLayout.JAVA_FLOAT_UNALIGNED, off);
      default -> m.get(ValueLayout.JAVA_DOUBLE_UNALIGNED, off);
    };
  }

  private static long readBits(MemorySegment m, Type t, long off) {
    return switch (t.bytes()) {
      case 1 -> m.get(ValueLayout.JAVA_BYTE, off);
      case 2 -> m.get(ValueLayout.JAVA_SHORT_UNALIGNED, off);
      case 4 -> m.get(ValueLayout.JAVA_INT_UNALIGNED, off);
      default -> m.get(ValueLayout.JAVA_LONG_UNALIGNED, off);
    };
  }
}
