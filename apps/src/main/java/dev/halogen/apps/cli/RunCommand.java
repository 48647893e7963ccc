package dev.halogen.apps.cli;

import dev.halogen.io.FileFormatException;
import dev.halogen.io.Images;
import dev.halogen.io.Npy;
import dev.halogen.ir.Buffer;
import dev.halogen.ir.Function;
import dev.halogen.ir.LoweredModule;
import dev.halogen.ir.LoweredModule.Argument;
import dev.halogen.ir.LoweredModule.EntryPoint;
import dev.halogen.ir.Parameter;
import dev.halogen.ir.Pipeline;
import dev.halogen.ir.Type;
import dev.halogen.passes.Arguments;
import dev.halogen.passes.CompiledModule;
import dev.halogen.passes.Instrumentation;
import dev.halogen.passes.Target;
import dev.halogen.passes.analysis.Environment;
import dev.halogen.passes.analysis.Evaluator;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code halogen run}: runs a pipeline file on images or .npy arrays. */
@Command(name = "run", description = {
    "Run a pipeline on input images (.png, .jpg, .jpeg) or arrays (.npy) and write its outputs.",
    "An 8- or 16-bit image given to a float input is scaled to [0, 1]; a float output written as an image is",
    "clamped to [0, 1] and scaled to its bit depth. .npy files must match the input's type exactly; their axes are",
    "Halogen's dimensions reversed (NumPy shape (H, W, C) is extents (C, W, H)). Output extents come from --size,",
    "else from the first --input (its first N extents for an N-dimensional output)."})
final class RunCommand implements Callable<Integer> {
  private final Cli.Io io;

  RunCommand(Cli.Io io) {
    this.io = io;
  }

  @Parameters(index = "0", paramLabel = "PIPELINE", description = "the pipeline: JSON or IR text")
  Path pipeline;

  @Option(names = "--input", paramLabel = "NAME=FILE", description = "bind input image NAME to FILE (.png, .jpg, .jpeg or .npy)")
  LinkedHashMap<String, Path> inputs = new LinkedHashMap<>();

  @Option(names = "--param", paramLabel = "NAME=VALUE", description = "set scalar parameter NAME (default: its default value)")
  LinkedHashMap<String, String> params = new LinkedHashMap<>();

  @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE",
      description = "where to write each output value, in output order (.npy, .png, .jpg, .jpeg)")
  List<Path> outputs;

  @Option(names = "--size", split = ",", paramLabel = "EXTENT", description = "the extents of the outputs, comma-separated")
  @Nullable List<Integer> size;

  @Option(names = "--target", paramLabel = "TARGET", description = "the backend to compile for (default: llvm, else interp)")
  @Nullable String target;

  @Option(names = "--layout", paramLabel = "LAYOUT", defaultValue = "planar",
      description = "where the channels of multi-channel images go: planar (x, y, c) or interleaved (c, x, y) (default: ${DEFAULT-VALUE})")
  Images.Layout layout;

  @Option(names = "--bit-depth", paramLabel = "BITS", defaultValue = "8", description = "8 or 16: the bit depth of float outputs written as PNG (default: ${DEFAULT-VALUE})")
  int bitDepth;

  @Override
  public Integer call() throws IOException {
    if (bitDepth != 8 && bitDepth != 16) throw CliException.usage("--bit-depth must be 8 or 16, got " + bitDepth);
    Target t = target == null ? Cli.defaultTarget() : Cli.target(target);
    var backend = Cli.backend(t);
    Pipeline p = IrFiles.readPipeline(pipeline);

    Map<String, Parameter> byName = new LinkedHashMap<>();
    for (Parameter q : p.parameters()) byName.put(q.name(), q);
    Map<String, Buffer> images = new LinkedHashMap<>();
    for (var e : inputs.entrySet()) {
      if (!(byName.get(e.getKey()) instanceof Parameter.Image image)) {
        throw CliException.usage("--input " + e.getKey() + "=" + e.getValue() + ": the pipeline has no input image " + e.getKey()
            + "; its input images are " + describeAll(p, Parameter.Image.class));
      }
      images.put(image.name(), readInput(image, e.getValue()));
    }
    Map<String, Object> scalars = new LinkedHashMap<>();
    for (var e : params.entrySet()) {
      if (!(byName.get(e.getKey()) instanceof Parameter.Scalar s)) {
        throw CliException.usage("--param " + e.getKey() + "=" + e.getValue() + ": the pipeline has no scalar parameter " + e.getKey()
            + "; its scalar parameters are " + describeAll(p, Parameter.Scalar.class));
      }
      scalars.put(s.name(), parseScalar(s, e.getValue()));
    }

    List<String> valueNames = new ArrayList<>();
    List<Type> valueTypes = new ArrayList<>();
    List<Integer> valueDims = new ArrayList<>();
    for (String o : p.outputs()) {
      Function f = p.function(o);
      int n = f.outputTypes().size();
      // The calling convention of LoweredModule.Argument: f for one value, f.0 .. f.(n-1) for a Tuple.
      for (int i = 0; i < n; i++) {
        valueNames.add(n == 1 ? o : o + "." + i);
        valueTypes.add(f.outputTypes().get(i));
        valueDims.add(f.dimensions());
      }
    }
    if (outputs.size() != valueNames.size()) {
      throw CliException.usage("the pipeline has " + valueNames.size() + " output value" + (valueNames.size() == 1 ? "" : "s") + " ("
          + String.join(", ", valueNames) + "), but " + outputs.size() + " --output file" + (outputs.size() == 1 ? " was" : "s were") + " given");
    }
    List<Buffer> results = new ArrayList<>();
    for (int k = 0; k < valueNames.size(); k++) results.add(Buffer.allocate(valueTypes.get(k), extents(valueNames.get(k), valueDims.get(k), images)));

    LoweredModule module = Cli.lower(p, Instrumentation.defaults());
    CompiledModule compiled = backend.compile(module, t);
    EntryPoint ep = module.entryPoints().getFirst();
    Arguments.Builder args = compiled.arguments(ep.name());
    for (Argument a : ep.arguments()) {
      switch (a.kind()) {
        case OUTPUT_BUFFER -> args.buffer(a.name(), results.get(valueNames.indexOf(a.name())));
        case INPUT_BUFFER -> {
          Buffer b = images.get(a.name());
          if (b == null) {
            throw CliException.usage("the input image " + describe(byName.get(a.name())) + " needs a file: --input " + a.name() + "=FILE");
          }
          args.buffer(a.name(), b);
        }
        case SCALAR -> {
          Object v = scalars.get(a.name());
          if (v == null && byName.get(a.name()) instanceof Parameter.Scalar s && s.defaultValue() != null) {
            v = Evaluator.WRAPPING.eval(s.defaultValue(), Environment.EMPTY);
          }
          if (v == null) {
            throw CliException.usage("the scalar parameter " + describe(byName.get(a.name())) + " has no default; give it with --param "
                + a.name() + "=VALUE");
          }
          args.scalar(a.name(), v);
        }
      }
    }
    compiled.run(args.build());
    for (int k = 0; k < results.size(); k++) writeOutput(valueNames.get(k), results.get(k), outputs.get(k));
    return 0;
  }

  /** The extents of output value {@code name} of {@code dims} dimensions: --size, else the first input's first extents. */
  private int[] extents(String name, int dims, Map<String, Buffer> images) {
    if (size != null) {
      if (size.size() != dims) {
        throw CliException.usage("--size gives " + size.size() + " extent" + (size.size() == 1 ? "" : "s") + ", but the output " + name + " has "
            + dims + " dimension" + (dims == 1 ? "" : "s"));
      }
      int[] e = size.stream().mapToInt(Integer::intValue).toArray();
      for (int x : e) if (x < 0) throw CliException.usage("--size extents must not be negative, got " + size);
      return e;
    }
    if (dims == 0) return new int[0];
    if (images.isEmpty()) {
      throw CliException.usage("the output " + name + " has " + dims + " dimensions; give its extents with --size (there is no --input to take them from)");
    }
    var first = images.entrySet().iterator().next();
    Buffer b = first.getValue();
    if (b.dimensions() < dims) {
      throw CliException.usage("the output " + name + " has " + dims + " dimensions, more than the first input " + first.getKey() + " ("
          + b.dimensions() + "); give its extents with --size");
    }
    return Arrays.copyOf(b.extents(), dims);
  }

  /** Reads {@code file} for input image {@code image}, converting 8/16-bit pixels for a float input; checks type and dimensions. */
  private Buffer readInput(Parameter.Image image, Path file) throws IOException {
    String kind = extension(file);
    Buffer b;
    String what;
    try {
      switch (kind) {
        case "npy" -> {
          b = Npy.read(file);
          what = "a " + b.dimensions() + "-D " + b.type() + " array (NumPy shape " + Npy.shapeOf(b) + ")";
        }
        case "png", "jpg", "jpeg" -> {
          Buffer pixels = Images.read(file, layout);
          what = "a " + pixels.dimensions() + "-D " + pixels.type() + " image (" + layout.name().toLowerCase(Locale.ROOT) + " extents "
              + Arrays.stream(pixels.extents()).mapToObj(Integer::toString).collect(Collectors.joining(" x ")) + ")";
          b = image.type().isFloat() ? retype(Images.toFloat32(pixels), image.type()) : pixels;
        }
        default -> throw CliException.usage("--input " + image.name() + "=" + file + ": unknown file type; use .npy, .png, .jpg or .jpeg");
      }
    } catch (NoSuchFileException e) {
      throw CliException.failure("--input " + image.name() + "=" + file + ": no such file");
    } catch (FileFormatException e) {
      throw CliException.failure("--input " + image.name() + "=" + e.getMessage());
    }
    if (!b.type().equals(image.type()) || b.dimensions() != image.dimensions()) {
      throw CliException.failure("--input " + image.name() + "=" + file + ": the input " + image.name() + " needs a " + image.dimensions() + "-D "
          + image.type() + " buffer; the file holds " + what);
    }
    return b;
  }

  /** Writes output value {@code name} to {@code file}: .npy as it is, an image as 8/16-bit pixels. */
  private void writeOutput(String name, Buffer b, Path file) throws IOException {
    switch (extension(file)) {
      case "npy" -> Npy.write(file, b);
      case "png", "jpg", "jpeg" -> {
        Type pixel = bitDepth == 16 ? Type.U16 : Type.U8;
        Buffer pixels;
        if (b.type().isFloat()) {
          pixels = Images.fromFloat(b, pixel);
        } else if (b.type().equals(Type.U8) || b.type().equals(Type.U16)) {
          pixels = b;
        } else {
          throw CliException.failure("--output " + file + ": the output " + name + " is " + b.type()
              + "; images hold uint8 or uint16 pixels or floats in [0, 1]; write a .npy file instead");
        }
        try {
          Images.write(file, pixels, layout);
        } catch (IllegalArgumentException e) {
          throw CliException.failure("--output " + e.getMessage());
        }
      }
      default -> throw CliException.usage("--output " + file + ": unknown file type; use .npy, .png, .jpg or .jpeg");
    }
  }

  /** The value of {@code --param NAME=TEXT} for {@code s}, as {@link Arguments} takes it. */
  private static Object parseScalar(Parameter.Scalar s, String text) {
    String v = text.strip();
    Type t = s.type();
    try {
      return switch (t.code()) {
        case BOOL -> switch (v) {
          case "true" -> Boolean.TRUE;
          case "false" -> Boolean.FALSE;
          default -> throw new NumberFormatException();
        };
        case INT, UINT -> {
          BigInteger n = new BigInteger(v);
          BigInteger min = BigInteger.valueOf(t.minInt());
          BigInteger max = t.isUInt() ? BigInteger.ONE.shiftLeft(t.bits()).subtract(BigInteger.ONE) : BigInteger.valueOf(t.maxInt());
          if (n.compareTo(min) < 0 || n.compareTo(max) > 0) {
            throw CliException.usage("--param " + s.name() + "=" + text + ": " + n + " is out of the range of " + t + " (" + min + " to " + max + ")");
          }
          yield n;
        }
        case FLOAT -> Double.parseDouble(v);
        case HANDLE -> throw CliException.usage("--param " + s.name() + ": a handle parameter cannot be given on the command line");
      };
    } catch (NumberFormatException e) {
      String wanted = switch (t.code()) {
        case BOOL -> "true or false";
        case INT, UINT -> "an integer";
        case FLOAT, HANDLE -> "a number";
      };
      throw CliException.usage("--param " + s.name() + "=" + text + ": " + s.name() + " is a " + t + " parameter, and '" + text + "' is not " + wanted);
    }
  }

  private static Buffer retype(Buffer b, Type t) {
    if (b.type().equals(t)) return b;
    Buffer out = Buffer.allocate(java.lang.foreign.Arena.ofAuto(), t, b.mins(), b.extents());
    b.forEachCoordinate(c -> out.setFromDouble(b.getAsDouble(c), c));
    return out;
  }

  private static String extension(Path file) {
    String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
    int dot = n.lastIndexOf('.');
    return dot < 0 ? "" : n.substring(dot + 1);
  }

  private static String describe(@Nullable Parameter q) {
    return switch (q) {
      case null -> "?";
      case Parameter.Image i -> i.name() + " (" + i.dimensions() + "-D " + i.type() + ")";
      case Parameter.Scalar s -> s.name() + " (" + s.type() + ")";
      case Parameter.Constant c -> c.name() + " (constant " + c.type() + ")";
    };
  }

  private static String describeAll(Pipeline p, Class<? extends Parameter> kind) {
    List<String> names = new ArrayList<>();
    for (Parameter q : p.parameters()) if (kind.isInstance(q)) names.add(describe(q));
    return names.isEmpty() ? "none" : String.join(", ", names);
  }
}
