package dev.halogen.ir;

import org.jspecify.annotations.Nullable;

/** A named input of a pipeline: a scalar parameter, an input image, or a constant buffer embedded in the IR. */
public sealed interface Parameter {
  String name();

  Type type();

  /** A scalar read as a {@link Expr.Var} of its name; {@code defaultValue} (a constant of {@code type}) may be null. */
  record Scalar(String name, Type type, @Nullable Expr defaultValue) implements Parameter {
    public Scalar {
      Check.name(name, "Scalar parameter");
      Check.scalar(type, "Scalar parameter " + name);
      if (defaultValue != null && !defaultValue.type().equals(type)) {
        throw new IllegalArgumentException(
            "Scalar parameter " + name + " of " + type + " has a default of type " + defaultValue.type());
      }
    }
  }

  /**
   * An input image of {@code dimensions} dimensions whose elements have {@code type}; read by {@link
   * Expr.CallKind#IMAGE} calls. The bounds of the buffer bound to it at run time are the int32
   * variables {@link #min(int)} and {@link #extent(int)}, which any expression of the pipeline may read.
   */
  record Image(String name, Type type, int dimensions) implements Parameter {
    public Image {
      Check.name(name, "Image parameter");
      Check.scalar(type, "Image parameter " + name);
      if (dimensions < 0) throw new IllegalArgumentException("Image parameter " + name + " has negative dimensions");
    }

    /** The variable {@code name.min.d}: the smallest coordinate of dimension {@code d}. */
    public Expr.Var min(int d) {
      return Expr.Var.of(name + ".min." + checkDimension(d));
    }

    /** The variable {@code name.extent.d}: the size of dimension {@code d}. */
    public Expr.Var extent(int d) {
      return Expr.Var.of(name + ".extent." + checkDimension(d));
    }

    private int checkDimension(int d) {
      if (d < 0 || d >= dimensions) {
        throw new IllegalArgumentException("image " + name + " has " + dimensions + " dimensions, not a dimension " + d);
      }
      return d;
    }
  }

  /** A buffer whose contents are part of the pipeline (a lookup table, filter weights); read like an image. */
  record Constant(String name, Buffer buffer) implements Parameter {
    public Constant {
      Check.name(name, "Constant buffer");
      Check.notNull(buffer, "Constant buffer " + name + " data");
    }

    @Override
    public Type type() {
      return buffer.type();
    }
  }
}
