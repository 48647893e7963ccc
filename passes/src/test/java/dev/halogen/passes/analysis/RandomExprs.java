package dev.halogen.passes.analysis;

import dev.halogen.ir.Expr;
import dev.halogen.ir.Expr.*;
import dev.halogen.ir.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Seeded random well-typed expressions and environments, for property tests such as {@code
 * eval(simplify(e)) == eval(e)}.
 *
 * <p>Expressions range over every operator, casts between all the allowed types, selects, lets (some
 * shadowing a variable of the same type), comparisons and boolean logic, divisions and remainders by
 * edge constants (0, -1, MIN, ...) and by arbitrary subexpressions, intrinsic and math calls, and
 * vectors built by Broadcast and Ramp and reduced by VectorReduce. Constants and environment values
 * are drawn at the edges of their types (MIN, MAX, -1, 0, 1, powers of two; NaN, infinities, -0.0,
 * subnormals) about half of the time.
 *
 * <pre>{@code
 * RandomExprs gen = new RandomExprs(42);
 * for (int i = 0; i < 100_000; i++) {
 *   Expr e = gen.expr(Type.I32, 5);
 *   Environment env = gen.environment();
 *   ...
 * }
 * }</pre>
 */
public final class RandomExprs {
  /** Every scalar type the evaluator knows. */
  public static final List<Type> ALL_SCALAR_TYPES = List.of(Type.I8, Type.I16, Type.I32, Type.I64, Type.U8, Type.U16,
      Type.U32, Type.U64, Type.BOOL, Type.F16, Type.F32, Type.F64);

  /**
   * What to generate.
   *
   * @param scalarTypes the element types that may appear anywhere (as operands, cast sources, lets)
   * @param vectorLanes the lane counts of vectors (empty: scalars only); lane counts multiply under
   *     VectorReduce, so keep them small
   * @param lets whether to generate lets
   * @param calls whether to generate intrinsic and math calls ({@code abs}, {@code lerp}, {@code floor}, ...)
   * @param funcCalls whether to generate calls to the Funcs {@code g} and {@code h}, which {@link
   *     #HASH_CALLS} evaluates
   */
  public record Options(List<Type> scalarTypes, List<Integer> vectorLanes, boolean lets, boolean calls, boolean funcCalls) {
    public Options {
      scalarTypes = List.copyOf(scalarTypes);
      vectorLanes = List.copyOf(vectorLanes);
      if (scalarTypes.isEmpty()) throw new IllegalArgumentException("no scalar types");
      for (Type t : scalarTypes) if (!t.isScalar() || t.isHandle()) throw new IllegalArgumentException("not a scalar number or bool type: " + t);
    }

    /** Every scalar type, vectors of 2 and 4 lanes, lets and intrinsic calls; no Func calls. */
    public static Options all() {
      return new Options(ALL_SCALAR_TYPES, List.of(2, 4), true, true, false);
    }

    public Options withTypes(Type... types) {
      return new Options(List.of(types), vectorLanes, lets, calls, funcCalls);
    }

    public Options scalarsOnly() {
      return new Options(scalarTypes, List.of(), lets, calls, funcCalls);
    }

    public Options withLets(boolean on) {
      return new Options(scalarTypes, vectorLanes, on, calls, funcCalls);
    }

    public Options withCalls(boolean on) {
      return new Options(scalarTypes, vectorLanes, lets, on, funcCalls);
    }

    public Options withFuncCalls(boolean on) {
      return new Options(scalarTypes, vectorLanes, lets, calls, on);
    }
  }

  /**
   * Values for calls to the Funcs {@code g} and {@code h}: a fixed hash of the name, value index and
   * argument values, in the call's type. Pure, so CSE and the simplifier may merge equal calls.
   */
  public static final CallHandler HASH_CALLS = new CallHandler() {
    @Override
    public Value call(Call call, List<Value> args) {
      long h = call.name().hashCode() * 0x9E3779B97F4A7C15L + call.valueIndex();
      for (Value a : args) {
        for (int i = 0; i < a.lanes(); i++) {
          long bits = a.type().isFloat() ? Double.doubleToRawLongBits(a.doubleLane(i)) : a.longLane(i);
          h = (h ^ bits) * 0xBF58476D1CE4E5B9L;
          h ^= h >>> 29;
        }
      }
      Type t = call.type();
      // Small integers for floats keep the values finite and exact in every precision.
      return t.isFloat() ? Value.ofFloat(t, (double) (h % 1000) / 8) : Value.ofInt(t, h);
    }

    @Override
    public Value load(Load load, Value index, Value predicate) {
      throw new EvaluationException("RandomExprs generates no loads, got one from '" + load.name() + "'");
    }
  };

  private final Random rnd;
  private final Options options;
  private final List<Var> vars;
  private int letCounter;

  /** All options, over {@link #standardVars} of every scalar type. */
  public RandomExprs(long seed) {
    this(seed, Options.all());
  }

  /** Over {@link #standardVars} of the options' types. */
  public RandomExprs(long seed, Options options) {
    this(seed, options, standardVars(options.scalarTypes()));
  }

  public RandomExprs(long seed, Options options, List<Var> vars) {
    this.rnd = new Random(seed);
    this.options = options;
    this.vars = List.copyOf(vars);
  }

  /** Two variables per type, named after it: {@code i32_a, i32_b, u8_a, ..., bool_a, f32_b}. */
  public static List<Var> standardVars(List<Type> types) {
    List<Var> out = new ArrayList<>();
    for (Type t : types) {
      String prefix = shortName(t);
      out.add(new Var(t, prefix + "_a"));
      out.add(new Var(t, prefix + "_b"));
    }
    return out;
  }

  private static String shortName(Type t) {
    String s = t.toString();
    return s.replace("int", "i").replace("float", "f").replace("ui", "u");
  }

  public Random random() {
    return rnd;
  }

  public List<Var> vars() {
    return vars;
  }

  /** A random expression of a random scalar type of the options, at most {@code depth} deep. */
  public Expr expr(int depth) {
    return expr(anyType(1), depth);
  }

  /** A random expression of type {@code type} (a scalar type of the options, or a vector of one), at most {@code depth} deep. */
  public Expr expr(Type type, int depth) {
    return gen(type, depth, vars);
  }

  /** A random type of the options with {@code lanes} lanes. */
  public Type anyType(int lanes) {
    return options.scalarTypes().get(rnd.nextInt(options.scalarTypes().size())).withLanes(lanes);
  }

  /** Random values of the generator's variables, at type edges about half of the time. */
  public Map<String, Value> values() {
    Map<String, Value> out = new LinkedHashMap<>();
    for (Var v : vars) out.put(v.name(), value(v.type()));
    return out;
  }

  /** {@link #values()} with {@link #HASH_CALLS}. */
  public Environment environment() {
    return Environment.of(values(), HASH_CALLS);
  }

  /** A random value of type {@code t}, each lane at an edge of the type about half of the time. */
  public Value value(Type t) {
    Type el = t.element();
    if (el.isFloat()) {
      double[] lanes = new double[t.lanes()];
      for (int i = 0; i < lanes.length; i++) lanes[i] = floatLane(el);
      return Value.ofFloats(t, lanes);
    }
    long[] lanes = new long[t.lanes()];
    for (int i = 0; i < lanes.length; i++) lanes[i] = intLane(el);
    return Value.ofInts(t, lanes);
  }

  private long intLane(Type el) {
    if (el.isBool()) return rnd.nextInt(2);
    return switch (rnd.nextInt(12)) {
      case 0 -> el.minInt();
      case 1 -> el.maxInt();
      case 2 -> rnd.nextBoolean() ? el.minInt() + 1 : el.maxInt() - 1;
      case 3 -> -1;
      case 4 -> rnd.nextInt(3); // 0, 1 or 2
      case 5 -> (rnd.nextBoolean() ? 1L : -1L) << rnd.nextInt(el.bits());
      case 6, 7, 8 -> rnd.nextInt(33) - 16;
      case 9 -> rnd.nextInt(2001) - 1000;
      default -> rnd.nextLong();
    }; // Value.ofInts wraps each lane to the type
  }

  private double floatLane(Type el) {
    return switch (rnd.nextInt(16)) {
      case 0 -> Double.NaN;
      case 1 -> rnd.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
      case 2 -> rnd.nextBoolean() ? 0.0 : -0.0;
      case 3 -> rnd.nextBoolean() ? 1.0 : -1.0;
      case 4 -> switch (rnd.nextInt(5)) {
        case 0 -> largest(el);
        case 1 -> -largest(el);
        case 2 -> smallestNormal(el);
        case 3 -> smallestNormal(el) / 4; // subnormal in every precision
        default -> 0.1;
      };
      case 5 -> 0.5 * (rnd.nextInt(9) - 4);
      case 6, 7, 8 -> rnd.nextInt(33) - 16;
      case 9 -> Math.scalb(1.0, rnd.nextInt(40) - 20);
      case 10 -> el.bits() == 64 ? Double.longBitsToDouble(rnd.nextLong()) : Float.intBitsToFloat(rnd.nextInt());
      default -> (rnd.nextDouble() - 0.5) * 200;
    }; // Value.ofFloats rounds to the lane precision
  }

  private static double largest(Type el) {
    return switch (el.bits()) {
      case 16 -> 65504.0;
      case 32 -> Float.MAX_VALUE;
      default -> Double.MAX_VALUE;
    };
  }

  private static double smallestNormal(Type el) {
    return switch (el.bits()) {
      case 16 -> 0x1p-14;
      case 32 -> Float.MIN_NORMAL;
      default -> Double.MIN_NORMAL;
    };
  }

  /** A constant of type {@code t}: an immediate, or a broadcast of one for a vector. */
  public Expr constant(Type t) {
    Expr scalar = Evaluator.toExpr(value(t.element()));
    return t.isVector() ? new Broadcast(scalar, t.lanes()) : scalar;
  }

  /** The number of nodes of {@code e} as a tree (a shared node counts once per use). */
  public static long treeSize(Expr e) {
    long n = 1;
    for (Expr c : Children.of(e)) n += treeSize(c);
    return n;
  }

  // ---------------------------------------------------------------- generation

  private Expr gen(Type t, int depth, List<Var> scope) {
    if (depth <= 0 || rnd.nextInt(100) < 12) return leaf(t, scope);
    Type el = t.element();
    int d = depth - 1;
    int kinds = el.isBool() ? 10 : 13;
    int k = rnd.nextInt(kinds);
    if (el.isBool()) {
      return switch (k) {
        case 0, 1, 2 -> compare(t, d, scope);
        case 3 -> new And(gen(t, d, scope), gen(t, d, scope));
        case 4 -> new Or(gen(t, d, scope), gen(t, d, scope));
        case 5 -> new Not(gen(t, d, scope));
        case 6 -> rnd.nextBoolean() ? new Min(gen(t, d, scope), gen(t, d, scope)) : new Max(gen(t, d, scope), gen(t, d, scope));
        case 7 -> common(t, d, scope);
        case 8 -> calls(t, d, scope);
        default -> select(t, d, scope);
      };
    }
    return switch (k) {
      case 0, 1 -> new Add(gen(t, d, scope), gen(t, d, scope));
      case 2 -> new Sub(gen(t, d, scope), gen(t, d, scope));
      case 3, 4 -> new Mul(gen(t, d, scope), gen(t, d, scope));
      case 5 -> new Div(gen(t, d, scope), divisor(t, d, scope));
      case 6 -> new Mod(gen(t, d, scope), divisor(t, d, scope));
      case 7 -> new Min(gen(t, d, scope), gen(t, d, scope));
      case 8 -> new Max(gen(t, d, scope), gen(t, d, scope));
      case 9 -> select(t, d, scope);
      case 10 -> calls(t, d, scope);
      default -> common(t, d, scope);
    };
  }

  /** Kinds every type has: casts, lets, vector construction and reduction, Func calls. */
  private Expr common(Type t, int d, List<Var> scope) {
    switch (rnd.nextInt(6)) {
      case 0, 1 -> {
        return new Cast(t, gen(anyType(t.lanes()), d, scope));
      }
      case 2 -> {
        if (options.lets()) return let(t, d, scope);
      }
      case 3 -> {
        if (t.isVector()) return vectorOf(t, d, scope);
      }
      case 4 -> {
        Integer k = options.vectorLanes().isEmpty() ? null : options.vectorLanes().get(rnd.nextInt(options.vectorLanes().size()));
        if (k != null && t.lanes() * k <= 8) return reduce(t, k, d, scope);
      }
      default -> {
        if (options.funcCalls() && t.isScalar()) {
          List<Expr> args = new ArrayList<>();
          for (int i = 0, n = 1 + rnd.nextInt(2); i < n; i++) args.add(gen(Type.I32, d, scope.isEmpty() ? vars : scope));
          return new Call(t, rnd.nextBoolean() ? "g" : "h", args, CallKind.FUNC, rnd.nextInt(2));
        }
      }
    }
    return new Cast(t, gen(anyType(t.lanes()), d, scope));
  }

  private Expr leaf(Type t, List<Var> scope) {
    List<Var> same = new ArrayList<>();
    for (Var v : scope) if (v.type().equals(t)) same.add(v);
    if (!same.isEmpty() && rnd.nextInt(100) < 55) return same.get(rnd.nextInt(same.size()));
    if (t.isScalar()) return constant(t);
    Type el = t.element();
    if (!el.isBool() && rnd.nextBoolean()) {
      return new Ramp(leaf(el, scope), constant(el), t.lanes());
    }
    return new Broadcast(leaf(el, scope), t.lanes());
  }

  private Expr compare(Type boolType, int d, List<Var> scope) {
    Type operand = anyType(boolType.lanes());
    Expr a = gen(operand, d, scope);
    Expr b = gen(operand, d, scope);
    return switch (rnd.nextInt(6)) {
      case 0 -> new EQ(a, b);
      case 1 -> new NE(a, b);
      case 2 -> new LT(a, b);
      case 3 -> new LE(a, b);
      case 4 -> new GT(a, b);
      default -> new GE(a, b);
    };
  }

  private Expr select(Type t, int d, List<Var> scope) {
    Type cond = t.isVector() && rnd.nextBoolean() ? Type.BOOL.withLanes(t.lanes()) : Type.BOOL;
    return new Select(gen(cond, d, scope), gen(t, d, scope), gen(t, d, scope));
  }

  /** A divisor: often an edge constant (zero included), else any expression. */
  private Expr divisor(Type t, int d, List<Var> scope) {
    if (rnd.nextInt(100) >= 40) return gen(t, d, scope);
    Type el = t.element();
    long[] edges = {0, 1, -1, 2, 3, 7, 16, el.isFloat() ? 0 : el.minInt(), el.isFloat() ? 0 : el.maxInt()};
    long pick = edges[rnd.nextInt(edges.length)];
    Value v = el.isFloat() ? Value.ofFloat(el, pick == 7 ? 0.5 : pick) : Value.ofInt(el, pick);
    Expr scalar = Evaluator.toExpr(v);
    return t.isVector() ? new Broadcast(scalar, t.lanes()) : scalar;
  }

  private Expr let(Type t, int d, List<Var> scope) {
    Type valueType = rnd.nextInt(4) == 0 ? t : anyType(rnd.nextInt(3) == 0 ? t.lanes() : 1);
    List<Var> sameType = new ArrayList<>();
    for (Var v : scope) if (v.type().equals(valueType)) sameType.add(v);
    // Shadow a variable of the same type now and then (a different type would mistype its uses).
    String name = !sameType.isEmpty() && rnd.nextInt(3) == 0 ? sameType.get(rnd.nextInt(sameType.size())).name() : "l" + letCounter++;
    Expr value = gen(valueType, d, scope);
    List<Var> inner = new ArrayList<>(scope.size() + 1);
    for (Var v : scope) if (!v.name().equals(name)) inner.add(v);
    Var bound = new Var(valueType, name);
    inner.add(bound);
    inner.add(bound); // twice: a let variable is used more often than an outer one
    return new Let(name, value, gen(t, d, inner));
  }

  private Expr vectorOf(Type t, int d, List<Var> scope) {
    Type el = t.element();
    if (!el.isBool() && rnd.nextBoolean()) return new Ramp(gen(el, d, scope), gen(el, d, scope), t.lanes());
    return new Broadcast(gen(el, d, scope), t.lanes());
  }

  private Expr reduce(Type t, int factor, int d, List<Var> scope) {
    Expr wide = gen(t.withLanes(t.lanes() * factor), d, scope);
    VectorReduce.Op op = t.isBool()
        ? (rnd.nextBoolean() ? VectorReduce.Op.AND : VectorReduce.Op.OR)
        : VectorReduce.Op.values()[rnd.nextInt(4)];
    return new VectorReduce(op, wide, t.lanes());
  }

  private Expr calls(Type t, int d, List<Var> scope) {
    if (!options.calls()) return common(t, d, scope);
    Type el = t.element();
    int lanes = t.lanes();
    int k = rnd.nextInt(4);
    if (k == 0) return new Call(t, "likely", List.of(gen(t, d, scope)), CallKind.INTRINSIC);
    if (el.isBool()) {
      Type f = floatType(lanes);
      return f == null ? new Not(gen(t, d, scope)) : new Call(t, rnd.nextBoolean() ? "is_nan" : "is_inf", List.of(gen(f, d, scope)), CallKind.INTRINSIC);
    }
    if (k == 1 && el.bits() < 64) {
      Type weight = rnd.nextBoolean() ? floatType(lanes) : uintType(lanes);
      if (weight != null) {
        return new Call(t, "lerp", List.of(gen(t, d, scope), gen(t, d, scope), gen(weight, d, scope)), CallKind.INTRINSIC);
      }
    }
    if (el.isFloat() && k == 2) {
      String[] math = {"floor", "ceil", "round", "trunc", "sqrt", "exp", "sin"};
      return new Call(t, math[rnd.nextInt(math.length)], List.of(gen(t, d, scope)), CallKind.MATH);
    }
    if (el.isUInt()) {
      Type signed = Type.intOf(el.bits());
      if (options.scalarTypes().contains(signed) && rnd.nextBoolean()) {
        return new Call(t, "abs", List.of(gen(signed.withLanes(lanes), d, scope)), CallKind.INTRINSIC);
      }
    }
    return el.isInt() ? new Call(t, "likely", List.of(gen(t, d, scope)), CallKind.INTRINSIC)
        : new Call(t, "abs", List.of(gen(t, d, scope)), CallKind.INTRINSIC);
  }

  private Type floatType(int lanes) {
    List<Type> fs = options.scalarTypes().stream().filter(Type::isFloat).toList();
    return fs.isEmpty() ? null : fs.get(rnd.nextInt(fs.size())).withLanes(lanes);
  }

  private Type uintType(int lanes) {
    List<Type> us = options.scalarTypes().stream().filter(Type::isUInt).toList();
    return us.isEmpty() ? null : us.get(rnd.nextInt(us.size())).withLanes(lanes);
  }
}
