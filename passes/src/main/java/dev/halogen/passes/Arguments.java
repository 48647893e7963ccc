package dev.halogen.passes;

import dev.halogen.ir.Buffer;
import dev.halogen.ir.Expr;
import dev.halogen.ir.LoweredModule.Argument;
import dev.halogen.ir.LoweredModule.ArgumentKind;
import dev.halogen.ir.LoweredModule.EntryPoint;
import dev.halogen.ir.Type;
import dev.halogen.passes.analysis.Environment;
import dev.halogen.passes.analysis.Evaluator;
import dev.halogen.passes.analysis.Value;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The values of every argument of one entry point, checked against its declaration: a {@link
 * Buffer} of the declared element type and dimension count for each buffer argument, a {@link Value}
 * of the declared type for each scalar. Immutable; made by {@link #of} from a map or by a {@link
 * Builder}. Every mistake is an {@link IllegalArgumentException} that names the entry point and the
 * argument: a missing or unknown argument, a buffer for a scalar or a scalar for a buffer, a wrong
 * element type or dimension count, a number that does not fit.
 *
 * <p>Scalars may be given as a {@link Value} of exactly the declared type, or as a boxed Java value:
 *
 * <ul>
 *   <li>bool: a {@link Boolean};
 *   <li>integer types: a {@link Byte}, {@link Short}, {@link Integer}, {@link Long} or {@link
 *       BigInteger} whose value lies in the type's range (a uint64 up to 2^64 - 1 needs a BigInteger
 *       or a Value); nothing is wrapped or truncated;
 *   <li>float types: a {@link Float}, {@link Double} or one of the integer classes, converted to the
 *       type's precision as a {@code cast} would (rounding to nearest);
 *   <li>handle: a {@link Value.Handle}.
 * </ul>
 */
public final class Arguments {
  private final EntryPoint entryPoint;
  private final Map<String, Buffer> buffers;
  private final Map<String, Value> scalars;

  private Arguments(EntryPoint entryPoint, Map<String, Buffer> buffers, Map<String, Value> scalars) {
    this.entryPoint = entryPoint;
    this.buffers = Collections.unmodifiableMap(buffers);
    this.scalars = Collections.unmodifiableMap(scalars);
  }

  /** A builder of the arguments of {@code entryPoint}. */
  public static Builder builder(EntryPoint entryPoint) {
    return new Builder(entryPoint);
  }

  /**
   * The arguments of {@code entryPoint} from {@code values}, by argument name.
   *
   * @throws IllegalArgumentException naming the first unknown, ill-typed or missing argument
   */
  public static Arguments of(EntryPoint entryPoint, Map<String, ?> values) {
    Builder b = builder(entryPoint);
    values.forEach(b::set);
    return b.build();
  }

  public EntryPoint entryPoint() {
    return entryPoint;
  }

  /** The buffers of the buffer arguments by name, in declaration order. */
  public Map<String, Buffer> buffers() {
    return buffers;
  }

  /** The values of the scalar arguments by name, in declaration order. */
  public Map<String, Value> scalars() {
    return scalars;
  }

  /** The buffer of buffer argument {@code name}. */
  public Buffer buffer(String name) {
    Buffer b = buffers.get(name);
    if (b == null) throw new IllegalArgumentException(entryPoint.name() + " has no buffer argument '" + name + "'");
    return b;
  }

  /** The value of scalar argument {@code name}. */
  public Value scalar(String name) {
    Value v = scalars.get(name);
    if (v == null) throw new IllegalArgumentException(entryPoint.name() + " has no scalar argument '" + name + "'");
    return v;
  }

  /** Collects argument values one by one, checking each as it is set; {@link #build} checks that none is missing. */
  public static final class Builder {
    private final EntryPoint entryPoint;
    private final Map<String, Object> values = new LinkedHashMap<>();

    private Builder(EntryPoint entryPoint) {
      this.entryPoint = Objects.requireNonNull(entryPoint, "entry point");
    }

    /**
     * Sets argument {@code name} to {@code value}: a {@link Buffer} for a buffer argument, a value
     * of a form the {@linkplain Arguments class documentation} lists for a scalar.
     *
     * @throws IllegalArgumentException when there is no such argument, it is set already, or the value does not fit it
     */
    public Builder set(String name, @Nullable Object value) {
      Argument a = argument(name);
      if (values.containsKey(name)) throw error(a, "is set twice");
      values.put(name, switch (a.kind()) {
        case INPUT_BUFFER, OUTPUT_BUFFER -> checkBuffer(a, value);
        case SCALAR -> scalarValue(a, value);
      });
      return this;
    }

    /** {@link #set} for a buffer argument. */
    public Builder buffer(String name, Buffer buffer) {
      return set(name, buffer);
    }

    /** {@link #set} for a scalar argument. */
    public Builder scalar(String name, Object value) {
      return set(name, value);
    }

    /**
     * The arguments.
     *
     * @throws IllegalArgumentException naming every argument that is not set
     */
    public Arguments build() {
      List<String> missing = new ArrayList<>();
      Map<String, Buffer> buffers = new LinkedHashMap<>();
      Map<String, Value> scalars = new LinkedHashMap<>();
      for (Argument a : entryPoint.arguments()) {
        Object v = values.get(a.name());
        switch (v) {
          case null -> missing.add(describe(a));
          case Buffer b -> buffers.put(a.name(), b);
          case Value s -> scalars.put(a.name(), s);
          default -> throw new IllegalStateException("argument " + a.name() + " holds a " + v.getClass());
        }
      }
      if (!missing.isEmpty()) {
        throw new IllegalArgumentException("entry point " + entryPoint.name() + " is missing argument"
            + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing));
      }
      return new Arguments(entryPoint, buffers, scalars);
    }

    private Argument argument(String name) {
      for (Argument a : entryPoint.arguments()) if (a.name().equals(name)) return a;
      List<String> known = entryPoint.arguments().stream().map(Arguments::describe).toList();
      throw new IllegalArgumentException("entry point " + entryPoint.name() + " has no argument '" + name + "'; "
          + (known.isEmpty() ? "it takes none" : "its arguments are " + String.join(", ", known)));
    }

    private IllegalArgumentException error(Argument a, String what) {
      return new IllegalArgumentException("argument " + describe(a) + " of entry point " + entryPoint.name() + " " + what);
    }

    private Buffer checkBuffer(Argument a, @Nullable Object value) {
      if (!(value instanceof Buffer b)) throw error(a, "needs a Buffer, got " + given(value));
      if (!b.type().equals(a.type())) throw error(a, "needs " + a.type() + " elements, got a buffer of " + b.type());
      if (b.dimensions() != a.dimensions()) {
        throw error(a, "needs " + a.dimensions() + " dimension(s), got a buffer with " + b.dimensions());
      }
      return b;
    }

    private Value scalarValue(Argument a, @Nullable Object value) {
      Type t = a.type();
      if (value instanceof Value v) {
        if (!v.type().equals(t)) throw error(a, "needs a value of type " + t + ", got " + v);
        return v;
      }
      return switch (t.code()) {
        case BOOL -> {
          if (!(value instanceof Boolean b)) throw error(a, "needs a Boolean, got " + given(value));
          yield new Value.IntScalar(t, b ? 1 : 0);
        }
        case INT, UINT -> {
          BigInteger n = integral(value);
          if (n == null) throw error(a, "needs an integer (Byte, Short, Integer, Long, BigInteger), got " + given(value));
          BigInteger min = BigInteger.valueOf(t.minInt());
          BigInteger max = t.isUInt() ? BigInteger.ONE.shiftLeft(t.bits()).subtract(BigInteger.ONE) : BigInteger.valueOf(t.maxInt());
          if (n.compareTo(min) < 0 || n.compareTo(max) > 0) throw error(a, "needs a value of type " + t + ", and " + n + " is out of its range");
          yield new Value.IntScalar(t, n.longValue());
        }
        case FLOAT -> {
          // A cast gives the conversion's rounding: one rounding, from the exact given number to the type.
          Expr exact = switch (value) {
            case Float f -> new Expr.FloatImm(Type.F32, f);
            case Double d -> new Expr.FloatImm(Type.F64, d);
            case null, default -> {
              BigInteger n = integral(value);
              if (n == null) throw error(a, "needs a number, got " + given(value));
              if (n.bitLength() > 64) throw error(a, "needs a value of type " + t + ", and " + n + " is beyond the 64-bit integers it converts");
              yield n.signum() < 0 || n.bitLength() < 64 ? new Expr.IntImm(Type.I64, n.longValue()) : new Expr.UIntImm(Type.U64, n.longValue());
            }
          };
          yield Evaluator.WRAPPING.eval(new Expr.Cast(t, exact), Environment.EMPTY);
        }
        case HANDLE -> throw error(a, "needs a Value.Handle, got " + given(value));
      };
    }
  }

  /** {@code value} as an integer when it is a Java integer box or a BigInteger, else null. */
  private static @Nullable BigInteger integral(@Nullable Object value) {
    return switch (value) {
      case Byte b -> BigInteger.valueOf(b);
      case Short s -> BigInteger.valueOf(s);
      case Integer i -> BigInteger.valueOf(i);
      case Long l -> BigInteger.valueOf(l);
      case BigInteger n -> n;
      case null, default -> null;
    };
  }

  private static String given(@Nullable Object value) {
    return value == null ? "null" : value.getClass().getSimpleName() + " (" + value + ")";
  }

  /** How an argument is named in messages: {@code in (input buffer of uint8, 2-D)}, {@code k (float32 scalar)}. */
  static String describe(Argument a) {
    return a.name() + " (" + switch (a.kind()) {
      case INPUT_BUFFER -> "input buffer of " + a.type() + ", " + a.dimensions() + "-D";
      case OUTPUT_BUFFER -> "output buffer of " + a.type() + ", " + a.dimensions() + "-D";
      case SCALAR -> a.type() + " scalar";
    } + ")";
  }
}
