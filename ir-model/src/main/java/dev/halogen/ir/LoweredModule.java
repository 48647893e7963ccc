package dev.halogen.ir;

import java.util.ArrayList;
import java.util.List;

/** The result of lowering: entry points (a body and its arguments each) and the constant buffers they read. */
public record LoweredModule(String name, List<EntryPoint> entryPoints, List<Parameter.Constant> constants) {
  /** How an argument is passed to an entry point. */
  public enum ArgumentKind {
    INPUT_BUFFER,
    OUTPUT_BUFFER,
    SCALAR
  }

  /**
   * One argument: a buffer (with its element type and dimension count) or a scalar of {@code type}.
   *
   * <p>Calling convention, which lowering produces and every backend implements:
   *
   * <ul>
   *   <li>A scalar argument {@code k} is the variable {@code k} of its type in the body.
   *   <li>A buffer argument {@code b} (input or output) binds, for each dimension {@code d}, the int32
   *       variables {@code b.min.d}, {@code b.extent.d} and {@code b.stride.d} ({@link #minVar}, {@link
   *       #extentVar}, {@link #strideVar}) to the min, extent and stride (in elements) of the {@link
   *       Buffer} passed for it. Element {@code (c0, ..., cn)} of {@code b} is at flat index {@code
   *       sum over d of (c_d - b.min.d) * b.stride.d}. A constant of the module is an input buffer
   *       available by its name, with its variables bound the same way.
   *   <li>The output of a Func {@code f} with one value is the output buffer {@code f}; a Func with a
   *       tuple of {@code n} values has one output buffer per element, {@code f.0} .. {@code f.(n-1)}.
   *   <li>Before storage flattening, {@code Call(IMAGE, b, coords)} reads input buffer (or constant)
   *       {@code b} at {@code coords}; {@code Call(FUNC, f, coords, i)} reads element {@code i} of the
   *       storage of Func {@code f}: the innermost enclosing {@code Realize f} (one buffer per tuple
   *       element, over the Realize's bounds) or else the output buffer(s) of {@code f}; {@code
   *       Provide(f, values, coords)} writes it likewise. Coordinates outside that storage's bounds
   *       are a run-time error naming the Func or buffer, the coordinates and the bounds.
   *   <li>After storage flattening, {@code Allocate}, {@code Load}, {@code Store} and {@code Free}
   *       address flat storage by element index; buffer arguments and constants are addressable by
   *       their names with the flat index above. An index that is not an element of the buffer is a
   *       run-time error naming the buffer, the index and its size. Lanes whose predicate is false
   *       are neither read nor written. Input buffers and constants are read-only.
   * </ul>
   */
  public record Argument(String name, ArgumentKind kind, Type type, int dimensions) {
    public Argument {
      Check.name(name, "Argument");
      Check.notNull(kind, "Argument kind");
      Check.scalar(type, "Argument " + name);
      if (kind == ArgumentKind.SCALAR && dimensions != 0) {
        throw new IllegalArgumentException("Scalar argument " + name + " has " + dimensions + " dimensions");
      }
      if (dimensions < 0) throw new IllegalArgumentException("Argument " + name + " has negative dimensions");
    }
  }

  /** A function a backend compiles: {@code body} runs with {@code arguments} bound. */
  public record EntryPoint(String name, List<Argument> arguments, Stmt body) {
    public EntryPoint {
      Check.name(name, "EntryPoint");
      arguments = Check.list(arguments, "EntryPoint " + name + " argument");
      Check.notNull(body, "EntryPoint " + name + " body");
    }

    /** This entry point with body {@code b}; itself when {@code b} is its body (the same instance). */
    public EntryPoint withBody(Stmt b) {
      return b == body ? this : new EntryPoint(name, arguments, b);
    }
  }

  /** The int32 variable {@code buffer.min.d}: the coordinate of the first element of dimension {@code d}. */
  public static Expr.Var minVar(String buffer, int d) {
    return bufferVar(buffer, "min", d);
  }

  /** The int32 variable {@code buffer.extent.d}: the number of elements of dimension {@code d}. */
  public static Expr.Var extentVar(String buffer, int d) {
    return bufferVar(buffer, "extent", d);
  }

  /** The int32 variable {@code buffer.stride.d}: the distance in elements between neighbours along dimension {@code d}. */
  public static Expr.Var strideVar(String buffer, int d) {
    return bufferVar(buffer, "stride", d);
  }

  /** The variables {@link #minVar}, {@link #extentVar} and {@link #strideVar} of every dimension, in that order per dimension. */
  public static List<Expr.Var> bufferVars(String buffer, int dimensions) {
    List<Expr.Var> vars = new ArrayList<>(3 * dimensions);
    for (int d = 0; d < dimensions; d++) {
      vars.add(minVar(buffer, d));
      vars.add(extentVar(buffer, d));
      vars.add(strideVar(buffer, d));
    }
    return List.copyOf(vars);
  }

  private static Expr.Var bufferVar(String buffer, String field, int d) {
    if (d < 0) throw new IllegalArgumentException("buffer " + buffer + " has no dimension " + d);
    return Expr.Var.of(buffer + "." + field + "." + d);
  }

  public LoweredModule {
    Check.name(name, "LoweredModule");
    entryPoints = Check.list(entryPoints, "LoweredModule entry point");
    constants = Check.list(constants, "LoweredModule constant");
  }

  /**
   * This module with the body of each entry point replaced by what {@code rewrite} gives for that
   * entry point; this module itself when every body comes back as the same instance, so that a
   * rewrite that changes nothing keeps the module's identity (what passes and {@link IrRewriter}
   * promise).
   */
  public LoweredModule withBodies(java.util.function.Function<EntryPoint, Stmt> rewrite) {
    List<EntryPoint> eps = new ArrayList<>(entryPoints.size());
    boolean changed = false;
    for (EntryPoint ep : entryPoints) {
      EntryPoint now = ep.withBody(rewrite.apply(ep));
      changed |= now != ep;
      eps.add(now);
    }
    return changed ? new LoweredModule(name, eps, constants) : this;
  }
}
