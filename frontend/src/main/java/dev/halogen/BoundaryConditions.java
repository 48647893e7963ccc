package dev.halogen;

import dev.halogen.ir.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Halide's boundary conditions: a new Func that equals the source inside a box and extends it
 * outside. The box is given per dimension as {@code {min, extent}} ({@code int[][]} or {@code
 * ExprLike[][]}); with fewer boxes than dimensions the remaining dimensions are left unbounded. An
 * {@link ImageParam} or {@link ConstantBuffer} may omit the box: its own bounds are used.
 *
 * <ul>
 *   <li>{@code repeatEdge}: the nearest pixel inside, {@code src(clamp(x, min, max))};
 *   <li>{@code constantExterior}: a constant outside, {@code select(outside, value, src(clamp(x)))};
 *   <li>{@code repeatImage}: the image tiled, {@code src((x - min) % extent + min)} (floor modulo);
 *   <li>{@code mirrorImage}: reflected with the edge pixel repeated ({@code .. 1 0 | 0 1 .. w-1 | w-1 w-2 ..});
 *   <li>{@code mirrorInterior}: reflected about the edge pixel ({@code .. 2 1 | 0 1 .. w-1 | w-2 ..}).
 * </ul>
 *
 * The mirrored coordinates are clamped to the box as well, which does not change them but lets
 * bounds inference see that they stay inside.
 */
public final class BoundaryConditions {
  private BoundaryConditions() {}

  private enum Kind {
    REPEAT_EDGE("repeat_edge"),
    CONSTANT_EXTERIOR("constant_exterior"),
    REPEAT_IMAGE("repeat_image"),
    MIRROR_IMAGE("mirror_image"),
    MIRROR_INTERIOR("mirror_interior");

    final String funcName;

    Kind(String funcName) {
      this.funcName = funcName;
    }
  }

  /** One dimension's box {@code [min, min + extent)}. */
  private record Box(ExprLike min, ExprLike extent) {
    ExprLike max() {
      return add(add(min, extent), Expr.of(-1));
    }
  }

  public static Func repeatEdge(FuncLike source) {
    return make(Kind.REPEAT_EDGE, source, null, ownBounds(source));
  }

  public static Func repeatEdge(FuncLike source, int[][] bounds) {
    return make(Kind.REPEAT_EDGE, source, null, boxes(bounds));
  }

  public static Func repeatEdge(FuncLike source, ExprLike[][] bounds) {
    return make(Kind.REPEAT_EDGE, source, null, boxes(bounds));
  }

  public static Func constantExterior(FuncLike source, ExprLike value) {
    return make(Kind.CONSTANT_EXTERIOR, source, value, ownBounds(source));
  }

  public static Func constantExterior(FuncLike source, ExprLike value, int[][] bounds) {
    return make(Kind.CONSTANT_EXTERIOR, source, value, boxes(bounds));
  }

  public static Func constantExterior(FuncLike source, ExprLike value, ExprLike[][] bounds) {
    return make(Kind.CONSTANT_EXTERIOR, source, value, boxes(bounds));
  }

  public static Func repeatImage(FuncLike source) {
    return make(Kind.REPEAT_IMAGE, source, null, ownBounds(source));
  }

  public static Func repeatImage(FuncLike source, int[][] bounds) {
    return make(Kind.REPEAT_IMAGE, source, null, boxes(bounds));
  }

  public static Func repeatImage(FuncLike source, ExprLike[][] bounds) {
    return make(Kind.REPEAT_IMAGE, source, null, boxes(bounds));
  }

  public static Func mirrorImage(FuncLike source) {
    return make(Kind.MIRROR_IMAGE, source, null, ownBounds(source));
  }

  public static Func mirrorImage(FuncLike source, int[][] bounds) {
    return make(Kind.MIRROR_IMAGE, source, null, boxes(bounds));
  }

  public static Func mirrorImage(FuncLike source, ExprLike[][] bounds) {
    return make(Kind.MIRROR_IMAGE, source, null, boxes(bounds));
  }

  public static Func mirrorInterior(FuncLike source) {
    return make(Kind.MIRROR_INTERIOR, source, null, ownBounds(source));
  }

  public static Func mirrorInterior(FuncLike source, int[][] bounds) {
    return make(Kind.MIRROR_INTERIOR, source, null, boxes(bounds));
  }

  public static Func mirrorInterior(FuncLike source, ExprLike[][] bounds) {
    return make(Kind.MIRROR_INTERIOR, source, null, boxes(bounds));
  }

  private static List<Box> ownBounds(FuncLike source) {
    List<Box> out = new ArrayList<>();
    switch (source) {
      case ImageParam p -> {
        for (int d = 0; d < p.dimensions(); d++) out.add(new Box(p.dim(d).min(), p.dim(d).extent()));
      }
      case ConstantBuffer c -> {
        Buffer b = c.buffer();
        for (int d = 0; d < b.dimensions(); d++) out.add(new Box(Expr.of(b.min(d)), Expr.of(b.extent(d))));
      }
      case Func f -> throw new IllegalArgumentException("A boundary condition on Func " + f.name()
          + " needs explicit bounds ({min, extent} per dimension); only images and buffers know their own");
    }
    return out;
  }

  private static List<Box> boxes(int[][] bounds) {
    List<Box> out = new ArrayList<>();
    for (int d = 0; d < bounds.length; d++) {
      if (bounds[d].length != 2) throw new IllegalArgumentException("bounds[" + d + "] must be {min, extent}, got " + bounds[d].length + " values");
      out.add(new Box(Expr.of(bounds[d][0]), Expr.of(bounds[d][1])));
    }
    return out;
  }

  private static List<Box> boxes(ExprLike[][] bounds) {
    List<Box> out = new ArrayList<>();
    for (int d = 0; d < bounds.length; d++) {
      if (bounds[d].length != 2) throw new IllegalArgumentException("bounds[" + d + "] must be {min, extent}, got " + bounds[d].length + " values");
      out.add(new Box(bounds[d][0], bounds[d][1]));
    }
    return out;
  }

  private static Func make(Kind kind, FuncLike source, @Nullable ExprLike value, List<Box> boxes) {
    int dims = source.dimensions();
    if (boxes.size() > dims) {
      throw new IllegalArgumentException(kind.funcName + " of " + source.name() + ": " + boxes.size() + " bounds for "
          + dims + " dimension" + (dims == 1 ? "" : "s"));
    }
    List<Var> args = new ArrayList<>();
    List<ExprLike> coords = new ArrayList<>();
    @Nullable Expr outside = null;
    for (int d = 0; d < dims; d++) {
      Var x = Var.implicit(d);
      args.add(x);
      if (d >= boxes.size()) {
        coords.add(x);
        continue;
      }
      Box b = boxes.get(d);
      coords.add(switch (kind) {
        case REPEAT_EDGE, CONSTANT_EXTERIOR -> Exprs.clamp(x, b.min(), b.max());
        case REPEAT_IMAGE -> add(fromZero(x, b.min()).rem(b.extent()), b.min());
        case MIRROR_IMAGE -> mirror(x, b, true);
        case MIRROR_INTERIOR -> mirror(x, b, false);
      });
      if (kind == Kind.CONSTANT_EXTERIOR) {
        Expr out = x.lt(b.min()).or(x.gt(b.max()));
        outside = outside == null ? out : outside.or(out);
      }
    }
    ExprLike inside = source.at(coords.toArray());
    Func f = Func.generated(kind.funcName);
    ExprLike result = value != null && outside != null ? Exprs.select(outside, value, inside) : inside;
    f.at(args.toArray()).set(result);
    return f;
  }

  /**
   * The reflected coordinate: {@code c = (x - min) % period}, then {@code c} in the first half
   * period and {@code flip - c} in the second, plus {@code min}. Repeating the edge pixel, the
   * period is {@code 2 * extent} and {@code flip = 2 * extent - 1}; reflecting about it, both are
   * {@code 2 * extent - 2}. Clamped to the box, which changes no value.
   */
  private static Expr mirror(Var x, Box b, boolean repeatEdgePixel) {
    ExprLike twice = times(2, b.extent());
    ExprLike period = repeatEdgePixel ? twice : add(twice, Expr.of(-2));
    ExprLike flip = add(twice, Expr.of(repeatEdgePixel ? -1 : -2));
    Expr c = fromZero(x, b.min()).rem(period);
    Expr reflected = Exprs.select(c.lt(b.extent()), c, flip.minus(c));
    return Exprs.clamp(add(reflected, b.min()), b.min(), b.max());
  }

  /** {@code x - min}, just {@code x} when {@code min} is the literal 0. */
  private static ExprLike fromZero(Var x, ExprLike min) {
    return Long.valueOf(0).equals(literal(min)) ? x : x.minus(min);
  }

  /** {@code a + b}, folded when both are integer literals ({@code a - c} for a negative literal {@code b}). */
  private static ExprLike add(ExprLike a, ExprLike b) {
    Long x = literal(a);
    Long y = literal(b);
    if (y != null && y == 0) return a;
    if (x != null && x == 0) return b;
    if (x != null && y != null && x + y == (int) (x + y)) return Expr.of((int) (x + y));
    if (y != null && y < 0 && y > Integer.MIN_VALUE) return a.minus(Expr.of((int) -y));
    return a.plus(b);
  }

  /** {@code k * a}, folded when {@code a} is an integer literal. */
  private static ExprLike times(int k, ExprLike a) {
    Long x = literal(a);
    if (x != null && k * x == (int) (k * x)) return Expr.of((int) (k * x));
    return Expr.of(k).times(a);
  }

  private static @Nullable Long literal(ExprLike e) {
    return Coercion.literal(e) == Coercion.Literal.INT ? ((dev.halogen.ir.Expr.IntImm) e.ir()).value() : null;
  }
}
