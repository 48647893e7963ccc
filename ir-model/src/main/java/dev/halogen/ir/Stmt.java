package dev.halogen.ir;

import java.util.List;

/**
 * A statement of the lowered IR: immutable records. {@link Provide} and {@link Realize} are
 * multi-dimensional and exist only before storage flattening; {@link Store}, {@link Allocate} and
 * {@link Free} only after it. Loop and let variables are {@code int32} (lets may bind any type).
 */
public sealed interface Stmt {
  /** The statement that does nothing. */
  Block NO_OP = new Block(List.of());

  /** {@code let name = value} around {@code body}. */
  record LetStmt(String name, Expr value, Stmt body) implements Stmt {
    public LetStmt {
      Check.name(name, "LetStmt");
      Check.notNull(value, "LetStmt value");
      Check.notNull(body, "LetStmt body");
    }
  }

  /**
   * Fails the pipeline with {@code message} when {@code condition} is false. The message is a
   * format with one {@code {}} per element of {@code args}, filled in with the args' values at run
   * time.
   */
  record AssertStmt(Expr condition, String message, List<Expr> args) implements Stmt {
    public AssertStmt {
      Check.notNull(condition, "AssertStmt condition");
      Check.bool(condition, "AssertStmt condition");
      if (condition.type().isVector()) throw new IllegalArgumentException("AssertStmt condition must be scalar");
      Check.notNull(message, "AssertStmt message");
      args = Check.list(args, "AssertStmt argument");
    }
  }

  /** Marks {@code body} as producing ({@code isProducer}) or consuming the Func {@code name}. */
  record ProducerConsumer(String name, boolean isProducer, Stmt body) implements Stmt {
    public ProducerConsumer {
      Check.name(name, "ProducerConsumer");
      Check.notNull(body, "ProducerConsumer body");
    }
  }

  /** Runs {@code body} with {@code name} bound to each of {@code min .. min + extent - 1}. */
  record For(String name, Expr min, Expr extent, ForKind kind, DeviceApi deviceApi, Stmt body) implements Stmt {
    public For {
      Check.name(name, "For");
      Check.notNull(min, "For min");
      Check.notNull(extent, "For extent");
      Check.notNull(kind, "For kind");
      Check.notNull(deviceApi, "For device API");
      Check.notNull(body, "For body");
      if (!min.type().equals(Type.I32) || !extent.type().equals(Type.I32)) {
        throw new IllegalArgumentException("For " + name + " bounds must be int32, got " + min.type() + " and " + extent.type());
      }
    }

    /** A loop on the host. */
    public For(String name, Expr min, Expr extent, ForKind kind, Stmt body) {
      this(name, min, extent, kind, DeviceApi.HOST, body);
    }
  }

  /** Writes {@code values} (one per tuple element) to the Func {@code name} at {@code args}. */
  record Provide(String name, List<Expr> values, List<Expr> args) implements Stmt {
    public Provide {
      Check.name(name, "Provide");
      values = Check.list(values, "Provide " + name + " value");
      args = Check.list(args, "Provide " + name + " argument");
      if (values.isEmpty()) throw new IllegalArgumentException("Provide " + name + " has no values");
    }
  }

  /**
   * Allocates the multi-dimensional storage of Func {@code name} (one buffer per tuple element, of
   * {@code types}) over {@code bounds} for the duration of {@code body}, when {@code condition}
   * holds.
   */
  record Realize(String name, List<Type> types, MemoryType memoryType, List<Range> bounds, Expr condition, Stmt body)
      implements Stmt {
    public Realize {
      Check.name(name, "Realize");
      types = Check.list(types, "Realize " + name + " type");
      Check.notNull(memoryType, "Realize memory type");
      bounds = Check.list(bounds, "Realize " + name + " bound");
      Check.notNull(condition, "Realize condition");
      Check.bool(condition, "Realize condition");
      Check.notNull(body, "Realize body");
      if (types.isEmpty()) throw new IllegalArgumentException("Realize " + name + " has no types");
    }
  }

  /** Stores {@code value} into the flattened buffer {@code name} at {@code index}, in the lanes where {@code predicate} holds. */
  record Store(String name, Expr value, Expr index, Expr predicate) implements Stmt {
    public Store {
      Check.name(name, "Store");
      Check.notNull(value, "Store value");
      Check.notNull(index, "Store index");
      Check.notNull(predicate, "Store predicate");
      Check.bool(predicate, "Store predicate");
      int lanes = value.type().lanes();
      if (index.type().lanes() != lanes || predicate.type().lanes() != lanes) {
        throw new IllegalArgumentException(
            "Store to " + name + " of " + value.type() + " has index " + index.type() + " and predicate " + predicate.type());
      }
    }
  }

  /**
   * Allocates the flattened buffer {@code name} of {@code type} elements, the product of {@code
   * extents} of them, for the duration of {@code body}, when {@code condition} holds.
   */
  record Allocate(String name, Type type, MemoryType memoryType, List<Expr> extents, Expr condition, Stmt body)
      implements Stmt {
    public Allocate {
      Check.name(name, "Allocate");
      Check.notNull(type, "Allocate type");
      Check.notNull(memoryType, "Allocate memory type");
      extents = Check.list(extents, "Allocate " + name + " extent");
      Check.notNull(condition, "Allocate condition");
      Check.bool(condition, "Allocate condition");
      Check.notNull(body, "Allocate body");
    }
  }

  /** Releases the allocation {@code name} early (before the end of its {@link Allocate}). */
  record Free(String name) implements Stmt {
    public Free {
      Check.name(name, "Free");
    }
  }

  /** Runs {@code stmts} in order. The empty block is {@link #NO_OP}. */
  record Block(List<Stmt> stmts) implements Stmt {
    public Block {
      stmts = Check.list(stmts, "Block statement");
    }
  }

  /** Runs {@code thenCase} when {@code condition} holds, else {@code elseCase} ({@link #NO_OP} when absent). */
  record IfThenElse(Expr condition, Stmt thenCase, Stmt elseCase) implements Stmt {
    public IfThenElse {
      Check.notNull(condition, "IfThenElse condition");
      Check.bool(condition, "IfThenElse condition");
      if (condition.type().isVector()) throw new IllegalArgumentException("IfThenElse condition must be scalar");
      Check.notNull(thenCase, "IfThenElse then case");
      Check.notNull(elseCase, "IfThenElse else case");
    }

    public IfThenElse(Expr condition, Stmt thenCase) {
      this(condition, thenCase, NO_OP);
    }
  }

  /** Evaluates {@code value} for its effect (a call) and discards it. */
  record Evaluate(Expr value) implements Stmt {
    public Evaluate {
      Check.notNull(value, "Evaluate value");
    }
  }

  /**
   * Makes the stores to {@code producerName} in {@code body} atomic read-modify-writes; {@code
   * mutexName} names a lock for updates that cannot be done with one atomic instruction ("" for
   * none).
   */
  record Atomic(String producerName, String mutexName, Stmt body) implements Stmt {
    public Atomic {
      Check.name(producerName, "Atomic");
      Check.notNull(mutexName, "Atomic mutex name");
      if (!mutexName.isEmpty()) Check.name(mutexName, "Atomic mutex");
      Check.notNull(body, "Atomic body");
    }
  }
}
