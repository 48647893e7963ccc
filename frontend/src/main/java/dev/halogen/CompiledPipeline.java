package dev.halogen;

import dev.halogen.ir.Buffer;
import dev.halogen.ir.Function;
import dev.halogen.ir.LoweredModule;
import dev.halogen.ir.LoweredModule.Argument;
import dev.halogen.ir.LoweredModule.EntryPoint;
import dev.halogen.ir.Type;
import dev.halogen.passes.Arguments;
import dev.halogen.passes.CompiledModule;
import dev.halogen.passes.Target;
import dev.halogen.passes.analysis.Environment;
import dev.halogen.passes.analysis.Evaluator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A {@link Pipeline} lowered and compiled for one {@link Target} ({@link Pipeline#compile}), run any
 * number of times by {@link #realize(int...)} or {@link #realize(Buffer...)}.
 *
 * <p>Each run binds the pipeline's inputs as they are at that moment: the value of every {@link
 * Param} ({@link Param#set}, else its default) and the buffer of every {@link ImageParam} ({@link
 * ImageParam#set}). So one compiled pipeline serves any number of parameter values and input
 * images. A Param without a value or an ImageParam without a buffer fails the run with a {@link
 * HalogenException} naming it, before anything runs; a failure while running (an access outside an
 * input image, a failed assertion) is a {@link dev.halogen.passes.HalogenRuntimeException} from
 * the backend.
 *
 * <p>The outputs' buffers are, in the order of the pipeline's output Funcs, one per value: a
 * single-valued Func {@code f} has one buffer, a Tuple-valued one a buffer per element. Runs on
 * several threads are independent as long as no Param or ImageParam is set meanwhile.
 */
public final class CompiledPipeline {
  private final List<Func> outputs;
  private final Pipeline.Built built;
  private final CompiledModule module;
  private final EntryPoint entryPoint;

  CompiledPipeline(List<Func> outputs, Pipeline.Built built, CompiledModule module) {
    this.outputs = outputs;
    this.built = built;
    this.module = module;
    this.entryPoint = module.module().entryPoints().getFirst();
  }

  public Target target() {
    return module.target();
  }

  /** The function graph this was compiled from. */
  public dev.halogen.ir.Pipeline ir() {
    return built.ir();
  }

  /** The lowered module the backend compiled. */
  public LoweredModule lowered() {
    return module.module();
  }

  /** {@link #realize(int...)} of a pipeline whose outputs have no dimensions. */
  public List<Buffer> realize() {
    return realize(new int[0]);
  }

  /**
   * Runs the pipeline over {@code [0, extents[d])} in each dimension and returns new buffers with
   * mins 0: one per output value, in output order.
   *
   * @throws HalogenException when an output's dimension count differs from the number of extents,
   *     or a Param or ImageParam is not set
   * @throws dev.halogen.passes.HalogenRuntimeException when the run fails
   */
  public List<Buffer> realize(int... extents) {
    List<Buffer> buffers = new ArrayList<>();
    for (int k = 0; k < outputs.size(); k++) {
      Func f = outputs.get(k);
      Function fn = outputFunction(k);
      if (fn.dimensions() != extents.length) {
        throw new HalogenException("Func " + f.name() + " has " + dimensions(fn.dimensions()) + ", but realize got "
            + extents.length + " extent" + (extents.length == 1 ? "" : "s") + " " + Arrays.toString(extents));
      }
      for (Type t : fn.outputTypes()) buffers.add(Buffer.allocate(t, extents));
    }
    run(buffers);
    return List.copyOf(buffers);
  }

  /**
   * Runs the pipeline into {@code buffers}, one per output value in output order, each computed
   * over its own bounds (any mins).
   *
   * @throws HalogenException when the number of buffers, an element type or a dimension count does
   *     not match the outputs, or a Param or ImageParam is not set
   * @throws dev.halogen.passes.HalogenRuntimeException when the run fails
   */
  public void realize(Buffer... buffers) {
    List<String> wanted = new ArrayList<>();
    List<Type> types = new ArrayList<>();
    List<Integer> dims = new ArrayList<>();
    for (int k = 0; k < outputs.size(); k++) {
      Function fn = outputFunction(k);
      List<Type> ts = fn.outputTypes();
      for (int i = 0; i < ts.size(); i++) {
        wanted.add(valueName(k, i) + ": " + fn.dimensions() + "-D " + ts.get(i));
        types.add(ts.get(i));
        dims.add(fn.dimensions());
      }
    }
    if (buffers.length != wanted.size()) {
      throw new HalogenException("realize needs " + wanted.size() + " output buffer" + (wanted.size() == 1 ? "" : "s") + " ("
          + String.join(", ", wanted) + "), got " + buffers.length);
    }
    for (int j = 0; j < buffers.length; j++) {
      Buffer b = buffers[j];
      if (!b.type().equals(types.get(j)) || b.dimensions() != dims.get(j)) {
        throw new HalogenException("realize: output buffer " + j + " is for " + wanted.get(j) + ", got a "
            + b.dimensions() + "-D " + b.type() + " buffer");
      }
    }
    run(List.of(buffers));
  }

  /** The IR of output {@code k}. */
  private Function outputFunction(int k) {
    return built.ir().function(built.ir().outputs().get(k));
  }

  /** How messages name value {@code i} of output {@code k}: {@code f}, or {@code f[i]} for a Tuple. */
  private String valueName(int k, int i) {
    String name = outputs.get(k).name();
    return outputFunction(k).outputTypes().size() == 1 ? name : name + "[" + i + "]";
  }

  /** Binds every argument of the entry point (outputs from {@code buffers}) and runs it. */
  private void run(List<Buffer> buffers) {
    Map<String, Buffer> outputBuffers = new HashMap<>();
    int j = 0;
    for (String o : built.ir().outputs()) {
      int n = built.ir().function(o).outputTypes().size();
      // The calling convention of LoweredModule.Argument: f for one value, f.0 .. f.(n-1) for a Tuple.
      for (int i = 0; i < n; i++) outputBuffers.put(n == 1 ? o : o + "." + i, buffers.get(j++));
    }
    Arguments.Builder args = module.arguments(entryPoint.name());
    for (Argument a : entryPoint.arguments()) {
      String name = a.name();
      switch (a.kind()) {
        case OUTPUT_BUFFER -> args.buffer(name, required(outputBuffers.get(name), "output buffer", name));
        case INPUT_BUFFER -> {
          ImageParam p = required(built.images().get(name), "ImageParam", name);
          Buffer data = p.get();
          if (data == null) {
            throw new HalogenException("ImageParam " + name + " has no buffer; bind the " + p.dimensions() + "-D " + p.type()
                + " input with " + name + ".set(buffer) before realizing");
          }
          args.buffer(name, data);
        }
        case SCALAR -> {
          Param p = required(built.params().get(name), "Param", name);
          dev.halogen.ir.Expr value = p.value();
          if (value == null) {
            throw new HalogenException("Param " + name + " has no value and no default; give it one with " + name
                + ".set(...) before realizing");
          }
          args.scalar(name, Evaluator.WRAPPING.eval(value, Environment.EMPTY));
        }
      }
    }
    module.run(args.build());
  }

  /** {@code x}, which lowering's arguments always have: the arguments come from the pipeline's own parameters and outputs. */
  private <T> T required(@Nullable T x, String what, String name) {
    if (x == null) throw new IllegalStateException("entry point " + entryPoint.name() + " has an argument " + name + " that is no " + what + " of the pipeline");
    return x;
  }

  private static String dimensions(int n) {
    return n + " dimension" + (n == 1 ? "" : "s");
  }

  @Override
  public String toString() {
    return "CompiledPipeline(" + String.join(", ", built.ir().outputs()) + " for " + target() + ")";
  }
}
