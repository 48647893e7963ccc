package dev.halogen.ir;

import java.util.List;

/** The result of lowering: entry points (a body and its arguments each) and the constant buffers they read. */
public record LoweredModule(String name, List<EntryPoint> entryPoints, List<Parameter.Constant> constants) {
  /** How an argument is passed to an entry point. */
  public enum ArgumentKind {
    INPUT_BUFFER,
    OUTPUT_BUFFER,
    SCALAR
  }

  /** One argument: a buffer (with its element type and dimension count) or a scalar of {@code type}. */
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
  }

  public LoweredModule {
    Check.name(name, "LoweredModule");
    entryPoints = Check.list(entryPoints, "LoweredModule entry point");
    constants = Check.list(constants, "LoweredModule constant");
  }
}
