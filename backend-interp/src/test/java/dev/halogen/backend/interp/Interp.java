package dev.halogen.backend.interp;

import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.halogen.ir.Buffer;
import dev.halogen.ir.Type;
import dev.halogen.ir.text.IrParser;
import dev.halogen.passes.Backends;
import dev.halogen.passes.CompiledModule;
import dev.halogen.passes.HalogenRuntimeException;
import dev.halogen.passes.Target;
import java.lang.foreign.MemorySegment;
import java.util.Map;

/** Helpers of the interpreter tests: compile module texts with the interp backend found by name, run them, view arrays as buffers. */
final class Interp {
  private Interp() {}

  /** The module {@code text} compiled by the backend that {@link Backends} finds as "interp". */
  static CompiledModule compile(String text) {
    return compile(text, Target.of("interp"));
  }

  static CompiledModule compile(String text, Target target) {
    return Backends.find("interp").compile(IrParser.parseModule(text), target);
  }

  /** The single entry point of {@code module} run with {@code args}. */
  static void run(CompiledModule module, Map<String, ?> args) {
    module.run(module.module().entryPoints().getFirst().name(), args);
  }

  /** The message of the run-time failure of the single entry point of {@code module} with {@code args}. */
  static String failure(CompiledModule module, Map<String, ?> args) {
    return assertThrows(HalogenRuntimeException.class, () -> run(module, args)).getMessage();
  }

  /** A float32 buffer viewing {@code data} (not a copy) with the given mins, extents and strides. */
  static Buffer view(float[] data, int[] mins, int[] extents, long[] strides) {
    return Buffer.wrap(Type.F32, MemorySegment.ofArray(data), mins, extents, strides);
  }

  /** An int32 buffer viewing {@code data} (not a copy), dense, with {@code min} and {@code extent}. */
  static Buffer view(int[] data, int min, int extent) {
    return Buffer.wrap(Type.I32, MemorySegment.ofArray(data), new int[] {min}, new int[] {extent}, new long[] {1});
  }
}
