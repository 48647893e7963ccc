package dev.halogen.backend.llvm;

import static dev.halogen.backend.llvm.ExprCodeGen.unsupported;
import static org.bytedeco.llvm.global.LLVM.*;

import dev.halogen.ir.Expr;
import dev.halogen.ir.Expr.Call;
import dev.halogen.ir.Type;
import dev.halogen.passes.analysis.RandomPlaceholder;
import dev.halogen.passes.analysis.Prints;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.bytedeco.llvm.LLVM.LLVMBasicBlockRef;
import org.bytedeco.llvm.LLVM.LLVMTypeRef;
import org.bytedeco.llvm.LLVM.LLVMValueRef;

/**
 * Code for math, intrinsic and extern calls, with the evaluator's definitions ({@code
 * MathFunctions}, {@code Intrinsics} of {@code dev.halogen.passes.analysis}).
 *
 * <p>Math functions are computed in float64 and rounded once to the call's type, as the evaluator
 * defines them. {@code sqrt floor ceil round trunc fract} are exact operations (LLVM intrinsics, in
 * the call's own type when the arguments have it: rounding the float64 result of these once gives
 * the same value); the others call the C math library's float64 function on each lane, whose results
 * may differ from Java's {@code Math} (and the evaluator's own {@code asinh acosh atanh erf}) in the
 * last bit.
 */
final class Calls {
  /** How a math function is computed. */
  private enum Kind {
    /** An LLVM intrinsic, exact in any precision. */
    EXACT,
    /** {@code x - trunc(x)}, exact in any precision. */
    FRACT,
    /** {@code 1 / x} or {@code 1 / sqrt(x)} in float64, rounded once to the call's type. */
    RECIPROCAL,
    /** The C library's float64 function of one argument. */
    LIBM1,
    /** The C library's float64 function of two arguments. */
    LIBM2
  }

  private final ExprCodeGen exprs;
  private final Builder b;
  private final Llvm llvm;

  Calls(ExprCodeGen exprs, Builder b) {
    this.exprs = exprs;
    this.b = b;
    this.llvm = b.llvm;
  }

  LLVMValueRef emit(Call c) {
    return switch (c.kind()) {
      case MATH -> math(c);
      case INTRINSIC -> intrinsic(c);
      case EXTERN -> extern(c);
      case FUNC, IMAGE -> throw new IllegalStateException("a verified flattened module calls Func or image " + c.name());
    };
  }

  private List<LLVMValueRef> args(Call c) {
    List<LLVMValueRef> args = new ArrayList<>(c.args().size());
    for (Expr a : c.args()) args.add(exprs.emit(a));
    return args;
  }

  private static void arity(Call c, int n, String what) {
    if (c.args().size() != n) throw unsupported(c, what + " '" + c.name() + "' takes " + n + " argument" + (n == 1 ? "" : "s"));
  }

  private static void expectType(Call c, Type expected) {
    if (!c.type().equals(expected)) {
      throw unsupported(c, "intrinsic '" + c.name() + "' gives " + expected + " here, but the call has type " + c.type());
    }
  }

  // ------------------------------------------------------------------ math

  private LLVMValueRef math(Call c) {
    String name = c.name();
    Kind kind = switch (name) {
      case "sqrt", "floor", "ceil", "round", "trunc" -> Kind.EXACT;
      case "fract" -> Kind.FRACT;
      case "fast_inverse", "fast_inverse_sqrt" -> Kind.RECIPROCAL;
      case "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh", "exp", "log", "erf" ->
          Kind.LIBM1;
      case "atan2", "pow", "hypot" -> Kind.LIBM2;
      default -> throw unsupported(c, "unknown math function '" + name + "'");
    };
    arity(c, kind == Kind.LIBM2 ? 2 : 1, "math function");
    Type t = c.type();
    if (!t.isFloat()) throw unsupported(c, "math function '" + name + "' must have a float type");
    for (Expr a : c.args()) {
      if (!a.type().isFloat() || a.type().lanes() != t.lanes()) {
        throw unsupported(c, "math function '" + name + "' (" + t + ") got an argument of type " + a.type());
      }
    }
    List<LLVMValueRef> args = args(c);
    boolean ownType = c.args().stream().allMatch(a -> a.type().equals(t));
    if ((kind == Kind.EXACT || kind == Kind.FRACT) && ownType) return exact(kind, name, args.getFirst());
    Type f64 = Type.F64.withLanes(t.lanes());
    List<LLVMValueRef> wide = new ArrayList<>(args.size());
    for (int i = 0; i < args.size(); i++) wide.add(exprs.convert(args.get(i), c.args().get(i).type(), f64));
    LLVMValueRef r = switch (kind) {
      case EXACT, FRACT -> exact(kind, name, wide.getFirst());
      case RECIPROCAL -> {
        LLVMValueRef x = wide.getFirst();
        yield b.fdiv(llvm.constFloat(f64, 1), name.equals("fast_inverse_sqrt") ? b.intrinsic("llvm.sqrt", x) : x);
      }
      case LIBM1, LIBM2 -> {
        List<LLVMTypeRef> params = wide.stream().map(a -> llvm.f64).toList();
        LLVMTypeRef type = llvm.functionType(llvm.f64, params);
        LLVMValueRef f = llvm.external(name, type, true);
        yield perLane(f64, wide, lane -> b.call(type, f, lane));
      }
    };
    return exprs.convert(r, f64, t);
  }

  private LLVMValueRef exact(Kind kind, String name, LLVMValueRef x) {
    if (kind == Kind.FRACT) return b.fsub(x, b.intrinsic("llvm.trunc", x));
    String intrinsic = switch (name) {
      case "round" -> "llvm.roundeven"; // to nearest, ties to even, like Math.rint
      default -> "llvm." + name;
    };
    return b.intrinsic(intrinsic, x);
  }

  /** {@code scalar} applied to each lane of {@code args} (vectors of {@code t}'s lanes, or scalars), giving a value of {@code t}'s lanes. */
  private LLVMValueRef perLane(Type t, List<LLVMValueRef> args, Function<List<LLVMValueRef>, LLVMValueRef> scalar) {
    if (t.isScalar()) return scalar.apply(args);
    LLVMValueRef result = null;
    for (int i = 0; i < t.lanes(); i++) {
      List<LLVMValueRef> lane = new ArrayList<>(args.size());
      for (LLVMValueRef a : args) lane.add(LLVMGetTypeKind(LLVMTypeOf(a)) == LLVMVectorTypeKind ? b.extract(a, i) : a);
      LLVMValueRef r = scalar.apply(lane);
      if (result == null) result = LLVMGetPoison(Llvm.vector(LLVMTypeOf(r), t.lanes()));
      result = b.insert(result, r, i);
    }
    return result;
  }

  // ------------------------------------------------------------------ intrinsics

  private LLVMValueRef intrinsic(Call c) {
    String name = c.name();
    return switch (name) {
      case "likely" -> {
        arity(c, 1, "intrinsic");
        expectType(c, c.args().getFirst().type());
        yield exprs.emit(c.args().getFirst());
      }
      case "abs" -> {
        arity(c, 1, "intrinsic");
        yield abs(c, c.args().getFirst());
      }
      case "lerp" -> {
        arity(c, 3, "intrinsic");
        yield lerp(c, c.args().get(0), c.args().get(1), c.args().get(2));
      }
      case "is_nan", "is_inf", "is_finite" -> {
        arity(c, 1, "intrinsic");
        Expr a = c.args().getFirst();
        if (!a.type().isFloat()) throw unsupported(c, name + " needs a float argument, got " + a.type());
        expectType(c, Type.BOOL.withLanes(a.type().lanes()));
        LLVMValueRef x = exprs.emit(a);
        if (name.equals("is_nan")) yield b.fcmp(LLVMRealUNO, x, x);
        LLVMValueRef infinity = llvm.constFloat(a.type(), Double.POSITIVE_INFINITY);
        yield b.fcmp(name.equals("is_inf") ? LLVMRealOEQ : LLVMRealOLT, b.intrinsic("llvm.fabs", x), infinity);
      }
      case "bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_not", "shift_left", "shift_right" -> bitwise(c);
      case "random_float", "random_int", "random_uint" -> throw unsupported(c, RandomPlaceholder.unlowered(name));
      case Prints.PRINT, Prints.PRINT_WHEN -> print(c);
      default -> throw unsupported(c, "unknown intrinsic '" + name + "'");
    };
  }

  /** The bitwise intrinsics, as the evaluator defines them (see {@code Intrinsics}). */
  private LLVMValueRef bitwise(Call c) {
    String name = c.name();
    boolean shift = name.startsWith("shift_");
    arity(c, name.equals("bitwise_not") ? 1 : 2, "intrinsic");
    Type t = c.args().getFirst().type();
    if (!(t.isIntOrUInt() || (t.isBool() && !shift))) {
      throw unsupported(c, name + " needs " + (shift ? "integer" : "integer or bool") + " operands, got " + t);
    }
    expectType(c, t);
    LLVMValueRef a = exprs.emit(c.args().getFirst());
    if (name.equals("bitwise_not")) return b.not(a);
    Type bt = c.args().get(1).type();
    boolean ok = shift ? bt.isIntOrUInt() && bt.bits() == t.bits() && bt.lanes() == t.lanes() : bt.equals(t);
    if (!ok) {
      throw unsupported(c, name + "(" + t + ", " + bt + "): the operands must have "
          + (shift ? "integer types of the same width and lanes" : "the same type"));
    }
    LLVMValueRef y = exprs.emit(c.args().get(1));
    return switch (name) {
      case "bitwise_and" -> b.and(a, y);
      case "bitwise_or" -> b.or(a, y);
      case "bitwise_xor" -> b.xor(a, y);
      default -> {
        boolean left = name.equals("shift_left");
        if (bt.isUInt()) yield shiftBy(t, a, y, left);
        // A negative amount shifts the other way by its magnitude; 0 - MIN is MIN, which as an
        // unsigned magnitude (2^(bits-1)) is past the width, as it should be.
        LLVMValueRef negative = b.icmp(LLVMIntSLT, y, llvm.constInt(bt, 0));
        LLVMValueRef magnitude = b.select(negative, b.sub(llvm.constInt(bt, 0), y), y);
        yield b.select(negative, shiftBy(t, a, magnitude, !left), shiftBy(t, a, magnitude, left));
      }
    };
  }

  /**
   * {@code a} of integer type {@code t} shifted by the unsigned {@code amount}: LLVM's shifts by the
   * width or more are poison, so the amount is clamped to {@code width - 1} and a left or logical
   * shift past the width is replaced by 0; an arithmetic shift by {@code width - 1} already gives
   * the sign.
   */
  private LLVMValueRef shiftBy(Type t, LLVMValueRef a, LLVMValueRef amount, boolean left) {
    LLVMValueRef width = llvm.constInt(t, t.bits());
    LLVMValueRef past = b.icmp(LLVMIntUGE, amount, width);
    LLVMValueRef clamped = b.select(past, llvm.constInt(t, t.bits() - 1), amount);
    if (!left && t.isInt()) return b.ashr(a, clamped);
    LLVMValueRef shifted = left ? b.shl(a, clamped) : b.lshr(a, clamped);
    return b.select(past, llvm.constInt(t, 0), shifted);
  }

  /**
   * {@code print(value, args...)} and {@code print_when(condition, value, args...)}: the value, and
   * for each lane (where the condition holds) a call of the runtime's print function ({@link
   * PrintRuntime} has its contract) with the site of the call's message (the value and the further
   * arguments separated by spaces: strings as text, the rest as the lane's stored words) and the
   * lane's words in a stack buffer.
   */
  private LLVMValueRef print(Call c) {
    int v = Prints.valueIndex(c);
    if (c.args().size() <= v) throw unsupported(c, "intrinsic '" + c.name() + "' needs " + (v == 0 ? "a value" : "a condition and a value"));
    Type t = c.type();
    expectType(c, c.args().get(v).type());
    Expr conditionArg = v == 1 ? c.args().getFirst() : null;
    if (conditionArg != null && !conditionArg.type().element().isBool()) {
      throw unsupported(c, "print_when's condition must be a bool, got " + conditionArg.type());
    }
    List<MessagePart> message = new ArrayList<>();
    List<List<LLVMValueRef>> laneWords = new ArrayList<>(); // per stored argument: its words, one per lane (or one for a scalar)
    LLVMValueRef value = null;
    for (int i = v; i < c.args().size(); i++) {
      Expr a = c.args().get(i);
      if (i > v) message.add(new MessagePart.Text(" "));
      if (a instanceof Expr.StringImm(String s)) {
        if (i == v) value = exprs.emit(a);
        message.add(new MessagePart.Text(s));
        continue;
      }
      if (a.type().lanes() != 1 && a.type().lanes() != t.lanes()) {
        throw unsupported(c, "intrinsic '" + c.name() + "' of " + t.lanes() + " lanes got an argument of type " + a.type());
      }
      LLVMValueRef x = exprs.emit(a);
      if (i == v) value = x;
      message.add(new MessagePart.Stored(laneWords.size(), a.type().element()));
      laneWords.add(exprs.words(a.type(), x));
    }
    LLVMValueRef condition = conditionArg == null ? null : exprs.emit(conditionArg);
    long site = exprs.prints.add(message);
    LLVMTypeRef type = llvm.functionType(llvm.voidType, List.of(llvm.i64, llvm.ptr));
    LLVMValueRef f = llvm.external(exprs.prints.symbol, type, false);
    LLVMValueRef buffer = b.alloca(LLVMArrayType2(llvm.i64, Math.max(laneWords.size(), 1)), 8, "print.words");
    for (int lane = 0; lane < t.lanes(); lane++) {
      LLVMBasicBlockRef after = null;
      if (condition != null) {
        LLVMValueRef holds = conditionArg.type().isScalar() ? condition : b.extract(condition, lane);
        LLVMBasicBlockRef print = b.block("print");
        after = b.block("print.after");
        b.condBr(holds, print, after);
        b.at(print);
      }
      for (int k = 0; k < laneWords.size(); k++) {
        List<LLVMValueRef> words = laneWords.get(k);
        b.store(words.get(words.size() == 1 ? 0 : lane), b.gep(llvm.i64, buffer, llvm.i64(k)), 8);
      }
      b.call(type, f, List.of(llvm.i64(site), buffer));
      if (after != null) {
        b.br(after);
        b.at(after);
      }
    }
    return value;
  }

  /** {@code abs}: of a signed integer, its magnitude as the unsigned type of its width ({@code |MIN|} fits there); of a float, without its sign. */
  private LLVMValueRef abs(Call c, Expr a) {
    Type t = a.type();
    return switch (t.code()) {
      case INT -> {
        expectType(c, Type.uintOf(t.bits()).withLanes(t.lanes()));
        // With "not poison" false, abs(MIN) is MIN: the bits of 2^(bits-1) read as unsigned.
        yield b.intrinsic("llvm.abs", List.of(llvm.type(t)), List.of(exprs.emit(a), llvm.bool(false)));
      }
      case UINT -> {
        expectType(c, t);
        yield exprs.emit(a);
      }
      case FLOAT -> {
        expectType(c, t);
        yield b.intrinsic("llvm.fabs", exprs.emit(a));
      }
      case BOOL, HANDLE -> throw unsupported(c, "abs needs a number, got " + t);
    };
  }

  /** Halide's {@code lerp}, as the evaluator defines it (see {@code Intrinsics}): step for step, in the same precisions. */
  private LLVMValueRef lerp(Call c, Expr zeroArg, Expr oneArg, Expr weightArg) {
    Type t = zeroArg.type();
    if (!oneArg.type().equals(t)) throw unsupported(c, "lerp values differ in type: " + t + " and " + oneArg.type());
    Type wType = weightArg.type();
    Type wt = wType.element();
    if (!(wt.isUInt() || wt.isFloat()) || wType.lanes() != t.lanes()) {
      throw unsupported(c, "lerp weight must be float or unsigned with " + t.lanes() + " lanes, got " + wType);
    }
    expectType(c, t);
    Type el = t.element();
    if (el.isIntOrUInt() && el.bits() == 64) throw unsupported(c, "lerp of " + el + " values is not defined (Halide has no 64-bit integer lerp)");
    if (el.isHandle()) throw unsupported(c, "lerp needs numbers or bools, got " + el);
    LLVMValueRef zero = exprs.emit(zeroArg);
    LLVMValueRef one = exprs.emit(oneArg);
    LLVMValueRef w = exprs.emit(weightArg);
    int lanes = t.lanes();
    return switch (el.code()) {
      case BOOL -> {
        LLVMValueRef high = wt.isFloat()
            ? b.fcmp(LLVMRealOGT, w, llvm.constFloat(wType, 0.5))
            : b.icmp(LLVMIntUGT, w, llvm.constInt(wType, Long.divideUnsigned(wt.maxInt(), 2)));
        yield b.select(high, one, zero);
      }
      case FLOAT -> {
        LLVMValueRef fw = floatWeight(t, wType, w);
        LLVMValueRef inverse = b.fsub(llvm.constFloat(t, 1), fw);
        yield b.fadd(b.fmul(zero, inverse), b.fmul(one, fw));
      }
      case INT, UINT -> {
        int n = el.bits();
        Type u = Type.uintOf(n).withLanes(lanes);
        Type wide = Type.U64.withLanes(lanes);
        // Offsetting by 2^(n-1) maps the signed order onto the unsigned order (and back, mod 2^n).
        long bias = el.isInt() ? 1L << (n - 1) : 0;
        LLVMValueRef biasValue = llvm.constInt(t, bias);
        LLVMValueRef z = exprs.convert(b.add(zero, biasValue), u, wide);
        LLVMValueRef o = exprs.convert(b.add(one, biasValue), u, wide);
        LLVMValueRef iw = exprs.convert(integerWeight(u, wType, w), u, wide);
        LLVMValueRef max = llvm.constInt(wide, u.maxInt());
        // z*(max-w) + o*w + 2^(n-1) < 2^64, and so are the sums below: exact in 64-bit unsigned.
        LLVMValueRef p = b.add(b.add(b.mul(z, b.sub(max, iw)), b.mul(o, iw)), llvm.constInt(wide, 1L << (n - 1)));
        LLVMValueRef shift = llvm.constInt(wide, n);
        LLVMValueRef q = b.lshr(b.add(b.lshr(p, shift), p), shift);
        yield b.add(exprs.convert(q, wide, t), biasValue);
      }
      case HANDLE -> throw new IllegalStateException("handles were rejected above");
    };
  }

  /** The weight as a fraction in the values' float type {@code t}. */
  private LLVMValueRef floatWeight(Type t, Type wType, LLVMValueRef w) {
    Type wt = wType.element();
    int lanes = t.lanes();
    if (wt.isFloat()) return exprs.convert(w, wType, t);
    if (wt.bits() == 32) {
      Type f64 = Type.F64.withLanes(lanes);
      return exprs.convert(b.fdiv(exprs.convert(w, wType, f64), llvm.constFloat(f64, 4294967295.0)), f64, t);
    }
    Type f32 = Type.F32.withLanes(lanes);
    float full = Math.scalb(1.0f, wt.bits()) - 1f;
    return exprs.convert(b.fdiv(exprs.convert(w, wType, f32), llvm.constFloat(f32, full)), f32, t);
  }

  /** The weight rescaled to the unsigned type {@code u} of the values' width. */
  private LLVMValueRef integerWeight(Type u, Type wType, LLVMValueRef w) {
    Type wt = wType.element();
    int n = u.bits();
    if (wt.isFloat()) {
      if (n == 32) {
        Type f64 = Type.F64.withLanes(u.lanes());
        return exprs.convert(b.fmul(llvm.constFloat(f64, 4294967295.0), exprs.convert(w, wType, f64)), f64, u);
      }
      return exprs.convert(b.fmul(llvm.constFloat(wType, u.maxInt()), w), wType, u);
    }
    int m = wt.bits();
    if (m == n) return w;
    // (2^big - 1) / (2^small - 1) is exact: the product of (2^k + 1) factors Halide's loop builds.
    long factor = Long.divideUnsigned(Type.uintOf(Math.max(m, n)).maxInt(), Type.uintOf(Math.min(m, n)).maxInt());
    if (m < n) return b.mul(exprs.convert(w, wType, u), llvm.constInt(u, factor));
    return exprs.convert(b.udiv(w, llvm.constInt(wType, factor)), wType, u);
  }

  // ------------------------------------------------------------------ extern functions

  /**
   * A call of the C function {@code name} of the process, lane by lane for a vector call: integers
   * and floats are passed in their own types, bools as bytes (0 or 1), handles as pointers. The call
   * is kept even when its value is unused ({@code evaluate} calls an extern function for its effect).
   */
  private LLVMValueRef extern(Call c) {
    Type t = c.type();
    for (Expr a : c.args()) {
      if (a.type().lanes() != 1 && a.type().lanes() != t.lanes()) {
        throw unsupported(c, "extern function '" + c.name() + "' of " + t.lanes() + " lanes got an argument of type " + a.type());
      }
    }
    List<LLVMTypeRef> params = c.args().stream().map(a -> abiType(a.type().element())).toList();
    LLVMTypeRef type = llvm.functionType(abiType(t.element()), params);
    LLVMValueRef f = llvm.external(c.name(), type, false);
    List<LLVMValueRef> args = new ArrayList<>(c.args().size());
    for (Expr a : c.args()) args.add(exprs.toMemory(a.type(), exprs.emit(a)));
    LLVMValueRef r = perLane(t, args, lane -> b.call(type, f, lane));
    return exprs.fromMemory(t, r);
  }

  /** How a value of scalar type {@code t} crosses the C calling convention: a bool as a byte. */
  private LLVMTypeRef abiType(Type t) {
    return llvm.memoryType(t);
  }
}
