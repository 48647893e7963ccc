package dev.halogen.passes.analysis;

import dev.halogen.ir.Expr;
import dev.halogen.ir.Expr.*;
import dev.halogen.ir.Type;
import dev.halogen.passes.analysis.Arith.BinOp;
import dev.halogen.passes.analysis.Arith.CmpOp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Exact evaluation of scalar and vector expressions with the semantics of SEMANTICS.md: wrapping
 * integer arithmetic, Euclidean division with {@code x / 0 == 0}, float arithmetic in each type's own
 * precision, saturating float-to-integer casts, lane-wise vectors. It is the semantic oracle of the
 * simplifier's property tests and the core of the reference interpreter.
 *
 * <p>In checking mode a signed 32-bit Add, Sub, Mul or Div (and the lane arithmetic of Ramp and an ADD
 * or MUL VectorReduce) whose mathematical result does not fit in int32 throws {@link
 * Int32OverflowException}: that overflow is undefined behaviour, which the simplifier may assume
 * away. Otherwise it wraps like every other integer type.
 *
 * <p>Evaluation recurses on the expression: a DAG without lets is evaluated as the tree it denotes.
 */
public final class Evaluator {
  /** Wraps on int32 overflow. */
  public static final Evaluator WRAPPING = new Evaluator(false);

  /** Throws {@link Int32OverflowException} on int32 overflow. */
  public static final Evaluator CHECKING = new Evaluator(true);

  private final boolean checkInt32;

  public Evaluator(boolean checkInt32Overflow) {
    this.checkInt32 = checkInt32Overflow;
  }

  public boolean checksInt32Overflow() {
    return checkInt32;
  }

  /**
   * The value of {@code e} in {@code env}.
   *
   * @throws EvaluationException naming the variable, call or node that cannot be evaluated
   * @throws Int32OverflowException in checking mode, naming the operation that overflowed
   */
  public Value eval(Expr e, Environment env) {
    return new Run(env).eval(e);
  }

  /** The value of {@code e} with the free variables {@code vars} and no calls. */
  public Value eval(Expr e, Map<String, Value> vars) {
    return eval(e, Environment.of(vars));
  }

  /**
   * An expression with value {@code v}: an immediate for a scalar, a {@link Broadcast} of one for a
   * vector whose lanes are all equal, a {@link Ramp} of two for a vector whose lanes are {@code base +
   * i * stride} in the vector's arithmetic, a {@link StringImm} for a string handle; empty for any other
   * vector (the IR has no vector literal) or handle.
   */
  public static Optional<Expr> tryToExpr(Value v) {
    return switch (v) {
      case Value.IntScalar(Type t, long bits) -> Optional.of(t.isInt() ? new IntImm(t, bits) : new UIntImm(t, bits));
      case Value.FloatScalar(Type t, double d) -> Optional.of(new FloatImm(t, d));
      case Value.Handle(Object referent) -> referent instanceof String s ? Optional.of(new StringImm(s)) : Optional.empty();
      case Value.IntVector iv -> vectorToExpr(iv);
      case Value.FloatVector fv -> vectorToExpr(fv);
    };
  }

  /**
   * {@link #tryToExpr} for values that have an expression form (every scalar number and bool).
   *
   * @throws IllegalArgumentException for a vector that is neither uniform nor a ramp, or a non-string handle
   */
  public static Expr toExpr(Value v) {
    return tryToExpr(v).orElseThrow(() -> new IllegalArgumentException("value " + v + " has no expression form"));
  }

  private static Optional<Expr> vectorToExpr(Value v) {
    int n = v.lanes();
    Expr base = toExpr(v.lane(0));
    if (allLanesEqual(v)) return Optional.of(new Broadcast(base, n));
    Type el = v.type().element();
    if (el.isBool()) return Optional.empty();
    Value stride = WRAPPING.arith(BinOp.SUB, null, v.lane(1), v.lane(0));
    Value ramp = WRAPPING.ramp(null, v.lane(0), stride, n);
    return ramp.equals(v) ? Optional.of(new Ramp(base, toExpr(stride), n)) : Optional.empty();
  }

  private static boolean allLanesEqual(Value v) {
    Value first = v.lane(0);
    for (int i = 1; i < v.lanes(); i++) if (!v.lane(i).equals(first)) return false;
    return true;
  }

  /** One evaluation: the environment plus the let bindings in scope (a map with save and restore). */
  private final class Run {
    private final Environment env;
    private Map<String, Value> lets;

    Run(Environment env) {
      this.env = env;
    }

    Value eval(Expr e) {
      return switch (e) {
        case IntImm(Type t, long v) -> new Value.IntScalar(t, v);
        case UIntImm(Type t, long v) -> new Value.IntScalar(t, v);
        case FloatImm(Type t, double v) -> new Value.FloatScalar(t, v);
        case StringImm(String s) -> new Value.Handle(s);
        case Cast(Type t, Expr v) -> cast(t, eval(v));
        case Var(Type t, String name) -> lookup(t, name);
        case Add(Expr a, Expr b) -> arith(BinOp.ADD, e, eval(a), eval(b));
        case Sub(Expr a, Expr b) -> arith(BinOp.SUB, e, eval(a), eval(b));
        case Mul(Expr a, Expr b) -> arith(BinOp.MUL, e, eval(a), eval(b));
        case Div(Expr a, Expr b) -> arith(BinOp.DIV, e, eval(a), eval(b));
        case Mod(Expr a, Expr b) -> arith(BinOp.MOD, e, eval(a), eval(b));
        case Min(Expr a, Expr b) -> arith(BinOp.MIN, e, eval(a), eval(b));
        case Max(Expr a, Expr b) -> arith(BinOp.MAX, e, eval(a), eval(b));
        case EQ(Expr a, Expr b) -> compare(CmpOp.EQ, eval(a), eval(b));
        case NE(Expr a, Expr b) -> compare(CmpOp.NE, eval(a), eval(b));
        case LT(Expr a, Expr b) -> compare(CmpOp.LT, eval(a), eval(b));
        case LE(Expr a, Expr b) -> compare(CmpOp.LE, eval(a), eval(b));
        case GT(Expr a, Expr b) -> compare(CmpOp.GT, eval(a), eval(b));
        case GE(Expr a, Expr b) -> compare(CmpOp.GE, eval(a), eval(b));
        case And(Expr a, Expr b) -> {
          Value x = eval(a);
          Value y = eval(b);
          yield Lanes.bools(x.lanes(), i -> x.longLane(i) != 0 && y.longLane(i) != 0);
        }
        case Or(Expr a, Expr b) -> {
          Value x = eval(a);
          Value y = eval(b);
          yield Lanes.bools(x.lanes(), i -> x.longLane(i) != 0 || y.longLane(i) != 0);
        }
        case Not(Expr a) -> {
          Value x = eval(a);
          yield Lanes.bools(x.lanes(), i -> x.longLane(i) == 0);
        }
        case Select(Expr c, Expr t, Expr f) -> select(eval(c), eval(t), eval(f));
        case Let let -> let(let);
        case Call call -> call(call);
        case Load load -> checked(load.type(), env.calls().load(load, eval(load.index()), eval(load.predicate())), "load from '" + load.name() + "'");
        case Ramp(Expr base, Expr stride, int lanes) -> ramp(e, eval(base), eval(stride), lanes);
        case Broadcast(Expr value, int lanes) -> broadcast(eval(value), lanes);
        case VectorReduce(VectorReduce.Op op, Expr value, int lanes) -> vectorReduce(e, op, eval(value), lanes);
      };
    }

    private Value lookup(Type t, String name) {
      Value v = lets == null ? null : lets.get(name);
      if (v == null) v = env.lookup(name);
      if (v == null) throw new EvaluationException("unbound variable '" + name + "' (" + t + ")");
      if (!v.type().equals(t)) {
        throw new EvaluationException("variable '" + name + "' has type " + t + " but is bound to " + v);
      }
      return v;
    }

    /**
     * A chain {@code let a = .. in let b = .. in body}, bound in a loop rather than by recursion: CSE
     * output nests thousands of lets, deeper than the stack would allow.
     */
    private Value let(Let first) {
      if (lets == null) lets = new HashMap<>();
      List<String> names = new ArrayList<>();
      List<Value> saved = new ArrayList<>();
      Expr e = first;
      try {
        while (e instanceof Let(String name, Expr value, Expr body)) {
          Value v = eval(value);
          names.add(name);
          saved.add(lets.put(name, v));
          e = body;
        }
        return eval(e);
      } finally {
        for (int i = names.size() - 1; i >= 0; i--) {
          if (saved.get(i) == null) lets.remove(names.get(i));
          else lets.put(names.get(i), saved.get(i));
        }
      }
    }

    private Value call(Call call) {
      List<Value> args = new ArrayList<>(call.args().size());
      for (Expr a : call.args()) args.add(eval(a));
      return switch (call.kind()) {
        case MATH -> MathFunctions.apply(call, args);
        case INTRINSIC -> Intrinsics.apply(call, args);
        case FUNC, IMAGE, EXTERN -> checked(call.type(), env.calls().call(call, args), "call '" + call.name() + "'");
      };
    }
  }

  /** {@code v}, after checking that a call handler gave the type the IR declares. */
  private static Value checked(Type expected, Value v, String what) {
    if (v == null || !v.type().equals(expected)) {
      throw new EvaluationException("the call handler gave " + (v == null ? "null" : "a " + v.type() + " value") + " for " + what + " of type " + expected);
    }
    return v;
  }

  // ---------------------------------------------------------------- lane-wise operations

  /** Arithmetic operator {@code op} of node {@code node} (null when not evaluating a node) on equal-typed values. */
  private Value arith(BinOp op, Expr node, Value a, Value b) {
    Type t = a.type();
    Type el = t.element();
    return switch (t.code()) {
      case FLOAT -> Lanes.floats(t, i -> Arith.floatOp(op, el, a.doubleLane(i), b.doubleLane(i)));
      case INT, UINT -> {
        boolean check = checkInt32 && t.isInt() && t.bits() == 32;
        yield Lanes.ints(t, i -> {
          long x = a.longLane(i);
          long y = b.longLane(i);
          if (check && Arith.int32Overflows(op, x, y)) {
            String operation = node == null ? op.node : node.getClass().getSimpleName();
            throw new Int32OverflowException(operation, node, x + " " + op.symbol + " " + y + " does not fit in int32");
          }
          return Arith.intOp(op, el, x, y);
        });
      }
      case BOOL -> switch (op) {
        // min and max of bools are and / or (false < true); bools have no other arithmetic.
        case MIN, MAX -> Lanes.ints(t, i -> Arith.intOp(op, el, a.longLane(i), b.longLane(i)));
        case ADD, SUB, MUL, DIV, MOD -> throw new EvaluationException(op.node + " does not apply to " + t + " operands");
      };
      case HANDLE -> throw new EvaluationException(op.node + " does not apply to " + t + " operands");
    };
  }

  private static Value compare(CmpOp op, Value a, Value b) {
    Type t = a.type();
    Type el = t.element();
    return switch (t.code()) {
      case FLOAT -> Lanes.bools(t.lanes(), i -> Arith.floatCompare(op, a.doubleLane(i), b.doubleLane(i)));
      case INT, UINT, BOOL -> Lanes.bools(t.lanes(), i -> Arith.intCompare(op, el, a.longLane(i), b.longLane(i)));
      case HANDLE -> switch (op) {
        case EQ -> Value.ofBool(a.equals(b));
        case NE -> Value.ofBool(!a.equals(b));
        case LT, LE, GT, GE -> throw new EvaluationException("handles have no order: " + op + " of " + a + " and " + b);
      };
    };
  }

  private static Value cast(Type to, Value v) {
    Type from = v.type().element();
    Type toEl = to.element();
    if (from.isHandle() || toEl.isHandle()) {
      if (from.equals(toEl)) return v;
      throw new EvaluationException("cannot cast " + v.type() + " to " + to);
    }
    if (toEl.isFloat()) {
      return from.isFloat()
          ? Lanes.floats(to, i -> Arith.round(toEl, v.doubleLane(i)))
          : Lanes.floats(to, i -> Arith.intToFloat(from, toEl, v.longLane(i)));
    }
    return from.isFloat()
        ? Lanes.ints(to, i -> Arith.floatToInt(toEl, v.doubleLane(i)))
        : Lanes.ints(to, i -> Arith.intToInt(toEl, v.longLane(i)));
  }

  private static Value select(Value c, Value t, Value f) {
    boolean scalarCondition = c.lanes() == 1;
    Type type = t.type();
    return switch (type.code()) {
      case FLOAT -> Lanes.floats(type, i -> c.longLane(scalarCondition ? 0 : i) != 0 ? t.doubleLane(i) : f.doubleLane(i));
      case INT, UINT, BOOL -> Lanes.ints(type, i -> c.longLane(scalarCondition ? 0 : i) != 0 ? t.longLane(i) : f.longLane(i));
      case HANDLE -> c.longLane(0) != 0 ? t : f;
    };
  }

  /** Lanes {@code base + i * stride} for {@code i < lanes}; a vector base contributes its lanes for each i. */
  private Value ramp(Expr node, Value base, Value stride, int lanes) {
    Type el = base.type().element();
    int k = base.lanes();
    Type t = el.withLanes(k * lanes);
    return switch (el.code()) {
      case FLOAT -> Lanes.floats(t, j -> {
        double step = Arith.floatOp(BinOp.MUL, el, stride.doubleLane(j % k), Arith.round(el, j / k));
        return Arith.floatOp(BinOp.ADD, el, base.doubleLane(j % k), step);
      });
      case INT, UINT -> {
        boolean check = checkInt32 && el.isInt() && el.bits() == 32;
        yield Lanes.ints(t, j -> {
          long s = stride.longLane(j % k);
          long b = base.longLane(j % k);
          long i = j / k;
          if (check && (Arith.int32Overflows(BinOp.MUL, s, i) || Arith.int32Overflows(BinOp.ADD, b, s * i))) {
            throw new Int32OverflowException("Ramp", node, "lane " + j + " = " + b + " + " + i + " * " + s + " does not fit in int32");
          }
          return Arith.intOp(BinOp.ADD, el, b, Arith.intOp(BinOp.MUL, el, s, Arith.wrap(el, i)));
        });
      }
      case BOOL, HANDLE -> throw new EvaluationException("Ramp does not apply to " + el + " lanes");
    };
  }

  private static Value broadcast(Value v, int lanes) {
    Type el = v.type().element();
    int k = v.lanes();
    Type t = el.withLanes(k * lanes);
    return switch (el.code()) {
      case FLOAT -> Lanes.floats(t, j -> v.doubleLane(j % k));
      case INT, UINT, BOOL -> Lanes.ints(t, j -> v.longLane(j % k));
      case HANDLE -> throw new EvaluationException("a handle cannot be broadcast to a vector");
    };
  }

  /** Each output lane {@code j} folds input lanes {@code j*k .. j*k+k-1} left to right. */
  private Value vectorReduce(Expr node, VectorReduce.Op op, Value v, int lanes) {
    int k = v.lanes() / lanes;
    Type out = v.type().withLanes(lanes);
    BinOp bin = switch (op) {
      case ADD -> BinOp.ADD;
      case MUL -> BinOp.MUL;
      case MIN, AND -> BinOp.MIN; // on bools min is and, max is or
      case MAX, OR -> BinOp.MAX;
    };
    Value[] acc = new Value[lanes];
    for (int j = 0; j < lanes; j++) {
      Value r = v.lane(j * k);
      for (int i = 1; i < k; i++) r = arith(bin, node, r, v.lane(j * k + i));
      acc[j] = r;
    }
    Type el = out.element();
    return el.isFloat() ? Lanes.floats(out, j -> acc[j].doubleLane(0)) : Lanes.ints(out, j -> acc[j].longLane(0));
  }
}
