package dev.halogen;

import dev.halogen.ir.Buffer;
import dev.halogen.ir.Expr.CallKind;
import dev.halogen.ir.Parameter;
import dev.halogen.ir.Type;
import org.jspecify.annotations.Nullable;

/**
 * An input image of a pipeline: {@code dimensions} dimensions of elements of {@code type}, read by
 * {@link #at} ({@link CallKind#IMAGE} calls). Its size is known only when the pipeline runs; {@link
 * #dim} gives expressions for it. {@link #set} binds the data a later run reads.
 */
public final class ImageParam implements FuncLike, Ref {
  private final String name;
  private final Type type;
  private final int dimensions;
  private @Nullable Buffer buffer;

  public ImageParam(String name, Type type, int dimensions) {
    this.name = Names.checkUser(name, "ImageParam");
    if (type.isVector() || type.isHandle()) {
      throw new IllegalArgumentException("ImageParam " + name + " needs a scalar number or bool element type, got " + type);
    }
    if (dimensions < 0) throw new IllegalArgumentException("ImageParam " + name + " has negative dimensions " + dimensions);
    this.type = type;
    this.dimensions = dimensions;
  }

  /**
   * The bounds of dimension {@code d} at run time: variables named {@code in.min.d} and {@code
   * in.extent.d} that lowering binds to the bounds of the buffer passed for this image.
   */
  public record Dimension(Expr min, Expr extent) {
    /** The last coordinate, {@code min + extent - 1}. */
    public Expr max() {
      return min.plus(extent).minus(1);
    }
  }

  @Override
  public String name() {
    return name;
  }

  public Type type() {
    return type;
  }

  @Override
  public int dimensions() {
    return dimensions;
  }

  @Override
  public Expr at(Object... args) {
    String callee = "ImageParam " + name;
    return CallArgs.call(this, callee, type, name, CallKind.IMAGE, 0,
        CallArgs.expand(callee, dimensions, CallArgs.of(callee, args)));
  }

  public Dimension dim(int d) {
    if (d < 0 || d >= dimensions) {
      throw new IndexOutOfBoundsException("ImageParam " + name + " has " + dimensions + " dimensions; there is no dimension " + d);
    }
    Refs refs = Refs.of(this);
    Parameter.Image image = toIr();
    return new Dimension(new Expr(image.min(d), refs), new Expr(image.extent(d), refs));
  }

  /**
   * Binds the data later runs read (see {@link CompiledPipeline}); the buffer is not copied. Its
   * element type and dimension count must match.
   *
   * @throws HalogenException naming this ImageParam, the expected and the given type and dimensions
   */
  public ImageParam set(Buffer data) {
    if (!data.type().equals(type) || data.dimensions() != dimensions) {
      throw new HalogenException("ImageParam " + name + " takes " + dimensions + "-dimensional " + type
          + " data, got a " + data.dimensions() + "-dimensional " + data.type() + " buffer");
    }
    buffer = data;
    return this;
  }

  /** The data bound by {@link #set}, or null. */
  public @Nullable Buffer get() {
    return buffer;
  }

  Parameter.Image toIr() {
    return new Parameter.Image(name, type, dimensions);
  }

  @Override
  public String toString() {
    return name;
  }
}
