package dev.halogen;

import dev.halogen.ir.Expr.Call;
import dev.halogen.ir.Expr.CallKind;
import dev.halogen.ir.Expr.Cast;
import dev.halogen.ir.Expr.FloatImm;
import dev.halogen.ir.Expr.IntImm;
import dev.halogen.ir.Expr.Max;
import dev.halogen.ir.Expr.Min;
import dev.halogen.ir.Expr.Select;
import dev.halogen.ir.Expr.StringImm;
import dev.halogen.ir.Type;
import dev.halogen.passes.analysis.RandomPlaceholder;
import dev.halogen.passes.analysis.Prints;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Math, selection, casts and inline reductions.
 *
 * <p>The transcendental and rounding functions ({@code sin ... erf}, {@code pow}, {@code atan2},
 * {@code floor ceil round trunc}) are {@link CallKind#MATH} calls named as the methods are (except
 * {@code round}, which rounds half to even as Halide does); an integer argument is first converted
 * to {@code float32}, a float keeps its type. {@code abs}, {@code lerp}, {@code is_nan} and {@code
 * likely} are {@link CallKind#INTRINSIC} calls; {@code abs} of a signed integer has the unsigned
 * type of the same width. {@code min}, {@code max} and {@code clamp} are {@code Min}/{@code Max}
 * nodes, {@code select} a {@code Select}. {@code bitwiseAnd bitwiseOr bitwiseXor bitwiseNot
 * shiftLeft shiftRight} are the {@code bitwise_*} and {@code shift_*} intrinsics ({@link
 * BitwiseOps} gives their operand rules).
 *
 * <p>The inline reductions {@link #sum}, {@link #product}, {@link #maximum}, {@link #minimum},
 * {@link #argmin} and {@link #argmax} make a new Func over the free Vars of their expression whose
 * update iterates the RDom the expression uses, and return a call to it (Halide's inline
 * reductions).
 */
public final class Exprs {
  private Exprs() {}

  // ------------------------------------------------------------------ math

  public static Expr sin(ExprLike x) {
    return math("sin", x);
  }

  public static Expr cos(ExprLike x) {
    return math("cos", x);
  }

  public static Expr tan(ExprLike x) {
    return math("tan", x);
  }

  public static Expr asin(ExprLike x) {
    return math("asin", x);
  }

  public static Expr acos(ExprLike x) {
    return math("acos", x);
  }

  public static Expr atan(ExprLike x) {
    return math("atan", x);
  }

  public static Expr sinh(ExprLike x) {
    return math("sinh", x);
  }

  public static Expr cosh(ExprLike x) {
    return math("cosh", x);
  }

  public static Expr tanh(ExprLike x) {
    return math("tanh", x);
  }

  public static Expr asinh(ExprLike x) {
    return math("asinh", x);
  }

  public static Expr acosh(ExprLike x) {
    return math("acosh", x);
  }

  public static Expr atanh(ExprLike x) {
    return math("atanh", x);
  }

  public static Expr exp(ExprLike x) {
    return math("exp", x);
  }

  /** Natural logarithm. */
  public static Expr log(ExprLike x) {
    return math("log", x);
  }

  public static Expr sqrt(ExprLike x) {
    return math("sqrt", x);
  }

  public static Expr erf(ExprLike x) {
    return math("erf", x);
  }

  /**
   * {@code 1 / x}, Halide's {@code fast_inverse}. Halide computes it with a reciprocal estimate;
   * Halogen computes it exactly (in double, rounded once), so it is the same on every backend.
   */
  public static Expr fastInverse(ExprLike x) {
    return math("fast_inverse", x);
  }

  /** {@code 1 / sqrt(x)}, Halide's {@code fast_inverse_sqrt}; exact, as {@link #fastInverse} is. */
  public static Expr fastInverseSqrt(ExprLike x) {
    return math("fast_inverse_sqrt", x);
  }

  /** The largest whole number not above {@code x}, still a float. */
  public static Expr floor(ExprLike x) {
    return math("floor", x);
  }

  public static Expr ceil(ExprLike x) {
    return math("ceil", x);
  }

  /** The nearest whole number, halves to even. */
  public static Expr round(ExprLike x) {
    return math("round", x);
  }

  /** Rounds toward zero. */
  public static Expr trunc(ExprLike x) {
    return math("trunc", x);
  }

  /** The fractional part {@code x - trunc(x)}, with the sign of {@code x}. */
  public static Expr fract(ExprLike x) {
    Expr f = Ops.wrap(Coercion.toFloat("fract", x), x);
    return f.minus(trunc(f));
  }

  /** The angle of the point {@code (x, y)}. */
  public static Expr atan2(ExprLike y, ExprLike x) {
    return math2("atan2", y, x);
  }

  /** {@code x} raised to {@code y}. */
  public static Expr pow(ExprLike x, ExprLike y) {
    return math2("pow", x, y);
  }

  public static Expr pow(ExprLike x, int y) {
    return pow(x, Expr.of(y));
  }

  public static Expr pow(ExprLike x, float y) {
    return pow(x, Expr.of(y));
  }

  public static Expr pow(ExprLike x, double y) {
    return pow(x, Expr.of(y));
  }

  private static Expr math(String name, ExprLike x) {
    dev.halogen.ir.Expr a = Coercion.toFloat(name, x);
    return Ops.wrap(new Call(a.type(), name, List.of(a), CallKind.MATH), x);
  }

  private static Expr math2(String name, ExprLike a, ExprLike b) {
    dev.halogen.ir.Expr x;
    dev.halogen.ir.Expr y;
    if (a.type().isFloat() || b.type().isFloat()) {
      Coercion.Pair p = Coercion.arithmetic(name, a, b);
      x = p.a();
      y = p.b();
    } else {
      x = Coercion.toFloat(name, a);
      y = Coercion.toFloat(name, b);
    }
    return Ops.wrap(new Call(x.type(), name, List.of(x, y), CallKind.MATH), a, b);
  }

  /**
   * A call of the extern function {@code name}, of type {@code type}: a pure scalar function the
   * backend is given (the interpreter's {@code InterpBackend(externs)}). Autodiff needs a rule for
   * it ({@link CustomAdjoints#extern}).
   */
  public static Expr extern(Type type, String name, ExprLike... args) {
    Names.checkUser(name, "extern function");
    List<dev.halogen.ir.Expr> irs = new ArrayList<>();
    for (ExprLike a : args) irs.add(a.ir());
    return Ops.wrap(new Call(type, name, irs, CallKind.EXTERN), args);
  }

  // ------------------------------------------------------------------ intrinsics

  /** The magnitude; for a signed integer type it has the unsigned type of the same width (so abs(INT_MIN) fits). */
  public static Expr abs(ExprLike x) {
    Type t = x.type();
    if (!t.isIntOrUInt() && !t.isFloat()) throw new HalogenException.TypeException("abs(" + t + "): needs a number");
    if (t.isUInt()) return Ops.wrap(x.ir(), x);
    Type result = t.isInt() ? Type.uintOf(t.bits()) : t;
    return Ops.wrap(new Call(result, "abs", List.of(x.ir()), CallKind.INTRINSIC), x);
  }

  /**
   * {@code zero + (one - zero) * weight}, with {@code weight} in [0, 1] (a float of the values'
   * type for float values; an unsigned integer scaled to its range, or a float, for integer values).
   */
  public static Expr lerp(ExprLike zero, ExprLike one, ExprLike weight) {
    Coercion.Pair v = Coercion.same("lerp", zero, one);
    Type t = v.a().type();
    if (!t.isIntOrUInt() && !t.isFloat()) throw new HalogenException.TypeException("lerp(" + t + ", " + t + "): needs numbers");
    dev.halogen.ir.Expr w;
    if (t.isFloat()) {
      w = Coercion.exactly("The lerp weight", weight, t);
    } else if (Coercion.literal(weight) == Coercion.Literal.FLOAT) {
      w = new FloatImm(Type.F32, ((FloatImm) weight.ir()).value());
    } else if (weight.type().isUInt() || weight.type().isFloat()) {
      w = weight.ir();
    } else {
      throw new HalogenException.TypeException("lerp of " + t + " values needs an unsigned or float weight, got " + weight.type());
    }
    return Ops.wrap(new Call(t, "lerp", List.of(v.a(), v.b(), w), CallKind.INTRINSIC), zero, one, weight);
  }

  /** Whether a float is NaN. */
  public static Expr isNan(ExprLike x) {
    Type t = x.type();
    if (!t.isFloat()) throw new HalogenException.TypeException("isNan(" + t + "): needs a float");
    return Ops.wrap(new Call(Type.BOOL, "is_nan", List.of(x.ir()), CallKind.INTRINSIC), x);
  }

  /** {@code x}, with the hint that it is usually true (or, for a value, usually the common case) for loop partitioning. */
  public static Expr likely(ExprLike x) {
    return Ops.wrap(new Call(x.type(), "likely", List.of(x.ir()), CallKind.INTRINSIC), x);
  }

  // ------------------------------------------------------------------ bitwise operations

  /**
   * The bits of both (integers of one type, or two bools); a Java {@code int} literal takes the
   * other operand's type, and of two integer types the narrower is widened (Halide's {@code &}).
   */
  public static Expr bitwiseAnd(ExprLike a, ExprLike b) {
    return BitwiseOps.binary(BitwiseOps.Op.AND, a, b);
  }

  public static Expr bitwiseAnd(ExprLike a, int b) {
    return bitwiseAnd(a, Expr.of(b));
  }

  /** The bits of either; operands as {@link #bitwiseAnd}. */
  public static Expr bitwiseOr(ExprLike a, ExprLike b) {
    return BitwiseOps.binary(BitwiseOps.Op.OR, a, b);
  }

  public static Expr bitwiseOr(ExprLike a, int b) {
    return bitwiseOr(a, Expr.of(b));
  }

  /** The bits of exactly one; operands as {@link #bitwiseAnd}. */
  public static Expr bitwiseXor(ExprLike a, ExprLike b) {
    return BitwiseOps.binary(BitwiseOps.Op.XOR, a, b);
  }

  public static Expr bitwiseXor(ExprLike a, int b) {
    return bitwiseXor(a, Expr.of(b));
  }

  /** Every bit flipped, in the type's width (of a bool: not). */
  public static Expr bitwiseNot(ExprLike a) {
    return BitwiseOps.not(a);
  }

  /**
   * {@code a} shifted left by {@code b} bits, wrapping to {@code a}'s width; a negative (signed)
   * {@code b} shifts right instead, and by {@code a}'s width or more every bit is shifted out. The
   * amount keeps its signedness and takes {@code a}'s width (Halide's {@code <<}).
   */
  public static Expr shiftLeft(ExprLike a, ExprLike b) {
    return BitwiseOps.binary(BitwiseOps.Op.SHIFT_LEFT, a, b);
  }

  public static Expr shiftLeft(ExprLike a, int b) {
    return shiftLeft(a, Expr.of(b));
  }

  /**
   * {@code a} shifted right by {@code b} bits: arithmetic (sign-filling) for a signed {@code a},
   * logical for an unsigned one; a negative (signed) {@code b} shifts left instead. By {@code a}'s
   * width or more: 0, or -1 for a negative signed {@code a}.
   */
  public static Expr shiftRight(ExprLike a, ExprLike b) {
    return BitwiseOps.binary(BitwiseOps.Op.SHIFT_RIGHT, a, b);
  }

  public static Expr shiftRight(ExprLike a, int b) {
    return shiftRight(a, Expr.of(b));
  }

  // ------------------------------------------------------------------ random numbers

  /**
   * A uniformly distributed {@code float32} in {@code [0, 1)} (24 random bits), fixed for each point
   * of the definition it is put into: a hash of the definition's Vars and RVars, different for each
   * call, stage and Func ({@link Randoms} gives the exact hash). It must be used in a Func
   * definition (Halide's {@code random_float}).
   */
  public static Expr randomFloat() {
    return Randoms.placeholder(RandomPlaceholder.FLOAT, Type.F32, null);
  }

  /** {@link #randomFloat()}, with an integer {@code seed} (an expression, a Param) hashed too. */
  public static Expr randomFloat(ExprLike seed) {
    return Randoms.placeholder(RandomPlaceholder.FLOAT, Type.F32, seed);
  }

  /** A uniformly distributed {@code int32} (every value, negative ones included), as {@link #randomFloat()}. */
  public static Expr randomInt() {
    return Randoms.placeholder(RandomPlaceholder.INT, Type.I32, null);
  }

  public static Expr randomInt(ExprLike seed) {
    return Randoms.placeholder(RandomPlaceholder.INT, Type.I32, seed);
  }

  /** A uniformly distributed {@code uint32}, as {@link #randomFloat()}. */
  public static Expr randomUint() {
    return Randoms.placeholder(RandomPlaceholder.UINT, Type.U32, null);
  }

  public static Expr randomUint(ExprLike seed) {
    return Randoms.placeholder(RandomPlaceholder.UINT, Type.U32, seed);
  }

  /**
   * {@code value}, printed each time it is evaluated: a line of {@code value} and {@code args}
   * ({@link String}s as they are, {@link ExprLike}s by their value) separated by spaces, one line per
   * evaluation (per lane in vectorized code), to {@link dev.halogen.passes.PrintOutput} (stderr unless
   * redirected). Halide's {@code print}. Its derivative is {@code value}'s; the other arguments get
   * none. How often it prints follows how the schedule evaluates it (see {@code
   * dev.halogen.passes.analysis.Intrinsics}).
   *
   * @throws HalogenException.TypeException for an argument that is neither a String nor an ExprLike
   */
  public static Expr print(ExprLike value, Object... args) {
    return printCall(null, value, args);
  }

  /**
   * {@code value}, printed as {@link #print} does where the bool {@code condition} holds (Halide's
   * {@code print_when}).
   *
   * @throws HalogenException.TypeException for a condition that is not a bool, or an argument that
   *     is neither a String nor an ExprLike
   */
  public static Expr printWhen(ExprLike condition, ExprLike value, Object... args) {
    if (!condition.type().isBool()) throw new HalogenException.TypeException("printWhen's condition must be a bool, got " + condition.type());
    return printCall(condition, value, args);
  }

  private static Expr printCall(@Nullable ExprLike condition, ExprLike value, Object... args) {
    String name = condition == null ? Prints.PRINT : Prints.PRINT_WHEN;
    List<dev.halogen.ir.Expr> irs = new ArrayList<>();
    List<ExprLike> from = new ArrayList<>();
    if (condition != null) {
      irs.add(condition.ir());
      from.add(condition);
    }
    irs.add(value.ir());
    from.add(value);
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case String s -> irs.add(new StringImm(s));
        case ExprLike e -> {
          irs.add(e.ir());
          from.add(e);
        }
        case null -> throw new HalogenException.TypeException(name + ": args[" + i + "] is null; pass a String or an ExprLike");
        default -> throw new HalogenException.TypeException(name + ": args[" + i + "] is a " + args[i].getClass().getName()
            + "; pass a String or an ExprLike (an Expr, Var, Param, ...)");
      }
    }
    return Ops.wrap(new Call(value.type(), name, irs, CallKind.INTRINSIC), from.toArray(ExprLike[]::new));
  }

  // ------------------------------------------------------------------ min, max, clamp, select, cast

  public static Expr min(ExprLike a, ExprLike b) {
    return Ops.binary(Ops.Binary.MIN, a, b);
  }

  public static Expr min(ExprLike a, int b) {
    return min(a, Expr.of(b));
  }

  public static Expr min(ExprLike a, float b) {
    return min(a, Expr.of(b));
  }

  public static Expr min(ExprLike a, double b) {
    return min(a, Expr.of(b));
  }

  public static Expr max(ExprLike a, ExprLike b) {
    return Ops.binary(Ops.Binary.MAX, a, b);
  }

  public static Expr max(ExprLike a, int b) {
    return max(a, Expr.of(b));
  }

  public static Expr max(ExprLike a, float b) {
    return max(a, Expr.of(b));
  }

  public static Expr max(ExprLike a, double b) {
    return max(a, Expr.of(b));
  }

  /** {@code max(min(x, hi), lo)}; the bounds are converted to the type of {@code x} only where no value changes. */
  public static Expr clamp(ExprLike x, ExprLike lo, ExprLike hi) {
    Type t = x.type();
    if (!t.isIntOrUInt() && !t.isFloat()) throw new HalogenException.TypeException("clamp(" + t + "): needs a number");
    dev.halogen.ir.Expr l = Coercion.lossless("clamp", lo, t);
    dev.halogen.ir.Expr h = Coercion.lossless("clamp", hi, t);
    return Ops.wrap(new Max(new Min(x.ir(), h), l), x, lo, hi);
  }

  public static Expr clamp(ExprLike x, int lo, int hi) {
    return clamp(x, Expr.of(lo), Expr.of(hi));
  }

  public static Expr clamp(ExprLike x, float lo, float hi) {
    return clamp(x, Expr.of(lo), Expr.of(hi));
  }

  public static Expr clamp(ExprLike x, double lo, double hi) {
    return clamp(x, Expr.of(lo), Expr.of(hi));
  }

  /** {@code condition ? ifTrue : ifFalse}; the two values must have one type (a literal adapts). */
  public static Expr select(ExprLike condition, ExprLike ifTrue, ExprLike ifFalse) {
    Type c = condition.type();
    if (!c.isBool()) throw new HalogenException.TypeException("select: the condition has type " + c + "; it must be bool");
    Coercion.Pair v = Coercion.same("select", ifTrue, ifFalse);
    return Ops.wrap(new Select(condition.ir(), v.a(), v.b()), condition, ifTrue, ifFalse);
  }

  /** {@code c1 ? v1 : c2 ? v2 : ... : otherwise}: condition-value pairs, then the value when none holds. */
  public static Expr select(ExprLike c1, ExprLike v1, ExprLike c2, ExprLike v2, ExprLike... rest) {
    List<ExprLike> all = new ArrayList<>(List.of(c1, v1, c2, v2));
    all.addAll(List.of(rest));
    if (all.size() % 2 == 0) {
      throw new IllegalArgumentException("select needs condition-value pairs and a last value for when no condition holds; got "
          + all.size() + " arguments");
    }
    ExprLike result = all.getLast();
    for (int i = all.size() - 3; i >= 0; i -= 2) result = select(all.get(i), all.get(i + 1), result);
    return (Expr) result;
  }

  /**
   * {@code e} converted to {@code type}: floats to integers truncate toward zero, integers wrap, a
   * value cast to bool means {@code != 0}. A literal that the type holds exactly becomes a constant.
   */
  public static Expr cast(Type type, ExprLike e) {
    dev.halogen.ir.Expr x = e.ir();
    Type from = x.type();
    if (type.isVector()) throw new HalogenException.TypeException("cast to " + type + ": the front end builds scalar expressions");
    if (from.equals(type)) return Ops.wrap(x, e);
    if (type.isHandle() || from.isHandle()) {
      throw new HalogenException.TypeException("cast(" + type + ", " + from + "): casts to and from handle are not allowed");
    }
    dev.halogen.ir.@Nullable Expr folded = switch (Coercion.literal(e)) {
      case INT -> {
        long v = ((IntImm) x).value();
        yield type.isFloat() || type.canRepresent(v) ? Coercion.constant(type, v) : null;
      }
      case FLOAT -> type.isFloat() ? new FloatImm(type, ((FloatImm) x).value()) : null;
      case NONE -> null;
    };
    return Ops.wrap(folded != null ? folded : new Cast(type, x), e);
  }

  // ------------------------------------------------------------------ inline reductions

  /** The sum of {@code e} over the RDom it uses. */
  public static Expr sum(ExprLike e) {
    return sum(e, null);
  }

  /** {@link #sum(ExprLike)} with a name for the Func it makes. */
  public static Expr sum(ExprLike e, @Nullable String name) {
    return fold("sum", e, name, 0, Ops.Binary.ADD);
  }

  public static Expr product(ExprLike e) {
    return product(e, null);
  }

  public static Expr product(ExprLike e, @Nullable String name) {
    return fold("product", e, name, 1, Ops.Binary.MUL);
  }

  /** The largest value of {@code e} over the RDom it uses (the lowest value of its type when the domain is empty). */
  public static Expr maximum(ExprLike e) {
    return maximum(e, null);
  }

  public static Expr maximum(ExprLike e, @Nullable String name) {
    return fold("maximum", e, name, -1, Ops.Binary.MAX);
  }

  /** The smallest value of {@code e} over the RDom it uses (the highest value of its type when the domain is empty). */
  public static Expr minimum(ExprLike e) {
    return minimum(e, null);
  }

  public static Expr minimum(ExprLike e, @Nullable String name) {
    return fold("minimum", e, name, -1, Ops.Binary.MIN);
  }

  /**
   * Where {@code e} is smallest over the RDom it uses, and the value there: a Tuple of one {@code
   * int32} coordinate per RDom dimension, then the value. The first point wins ties.
   */
  public static FuncRef argmin(ExprLike e) {
    return argmin(e, null);
  }

  public static FuncRef argmin(ExprLike e, @Nullable String name) {
    return arg("argmin", e, name, true);
  }

  /** Like {@link #argmin}, for the largest value. */
  public static FuncRef argmax(ExprLike e) {
    return argmax(e, null);
  }

  public static FuncRef argmax(ExprLike e, @Nullable String name) {
    return arg("argmax", e, name, false);
  }

  /** The Func of an inline reduction, the Vars it is a function of, and the RDom it iterates. */
  private record Reduction(Func func, Object[] args, RDom rdom) {}

  private static Reduction reduction(String op, ExprLike e, @Nullable String name) {
    Type t = e.type();
    if (!t.isIntOrUInt() && !t.isFloat()) throw new HalogenException.TypeException(op + " of " + t + ": needs numbers");
    Refs refs = Ops.refs(e);
    List<RDom> rdoms = refs.leaves(RDom.class);
    if (rdoms.isEmpty()) {
      throw new HalogenException.DefinitionException(op + ": the expression uses no RDom; an inline reduction iterates the RDom of its expression");
    }
    if (rdoms.size() > 1) {
      throw new HalogenException.DefinitionException(op + ": the expression uses RVars of two RDoms, " + rdoms.get(0).name() + " and "
          + rdoms.get(1).name());
    }
    RDom rdom = rdoms.getFirst();
    Set<String> seen = new LinkedHashSet<>();
    List<Var> free = new ArrayList<>();
    for (Var v : Refs.join(refs, rdom.predicateRefs()).leaves(Var.class)) {
      if (seen.add(v.name())) free.add(v);
    }
    Func f = name == null ? Func.generated(op) : new Func(name);
    return new Reduction(f, free.toArray(), rdom);
  }

  /** {@code f(free) = init; f(free) = f(free) op e}; {@code identity} -1 means the extreme value of the type that {@code op} never picks. */
  private static Expr fold(String op, ExprLike e, @Nullable String name, int identity, Ops.Binary combine) {
    Reduction r = reduction(op, e, name);
    Type t = e.type();
    dev.halogen.ir.Expr init = identity >= 0 ? Coercion.constant(t, identity) : extreme(t, combine == Ops.Binary.MIN);
    r.func().at(r.args()).set(new Expr(init, Refs.EMPTY));
    FuncRef self = r.func().at(r.args());
    self.set(Ops.binary(combine, self, e));
    return r.func().at(r.args()).call();
  }

  private static FuncRef arg(String op, ExprLike e, @Nullable String name, boolean smallest) {
    Reduction r = reduction(op, e, name);
    int n = r.rdom().dimensions();
    List<ExprLike> init = new ArrayList<>();
    for (int i = 0; i < n; i++) init.add(Expr.of(0));
    init.add(new Expr(extreme(e.type(), smallest), Refs.EMPTY));
    r.func().at(r.args()).set(Tuple.of(init));
    FuncRef self = r.func().at(r.args());
    Expr better = smallest ? e.lt(self.get(n)) : e.gt(self.get(n));
    List<ExprLike> update = new ArrayList<>();
    for (int i = 0; i < n; i++) update.add(select(better, r.rdom().get(i), self.get(i)));
    update.add(select(better, e, self.get(n)));
    self.set(Tuple.of(update));
    return r.func().at(r.args());
  }

  /** The highest value of {@code t} (infinity for floats), or the lowest. */
  private static dev.halogen.ir.Expr extreme(Type t, boolean highest) {
    if (t.isFloat()) return new FloatImm(t, highest ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY);
    return Coercion.constant(t, highest ? t.maxInt() : t.minInt());
  }
}
