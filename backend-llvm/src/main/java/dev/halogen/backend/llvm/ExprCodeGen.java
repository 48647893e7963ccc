package dev.halogen.backend.llvm;

import static org.bytedeco.llvm.global.LLVM.*;

import dev.halogen.ir.Expr;
import dev.halogen.ir.Expr.*;
import dev.halogen.ir.IrQueries;
import dev.halogen.ir.Type;
import dev.halogen.ir.text.IrPrinter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import org.bytedeco.llvm.LLVM.LLVMBasicBlockRef;
import org.bytedeco.llvm.LLVM.LLVMTypeRef;
import org.bytedeco.llvm.LLVM.LLVMValueRef;
import org.jspecify.annotations.Nullable;

/**
 * Code for expressions, and for the loads and stores of flat buffers, with the exact semantics of
 * the evaluator (SEMANTICS.md, {@link dev.halogen.passes.analysis.Evaluator}):
 *
 * <ul>
 *   <li>integer Add, Sub and Mul wrap (no {@code nsw}), except int32 Add, Sub and Mul in the index
 *       of a load or store, which are {@code nsw}: int32 overflow is undefined (SEMANTICS.md), and an
 *       index that overflowed is outside its buffer anyway. Without the flag LLVM must compute each
 *       address as the sign extension of a wrapping 32-bit sum, an extra instruction or two per
 *       access in inner loops; with it, it folds the offsets into 64-bit addressing;
 *   <li>Div and Mod are Euclidean with {@code x / 0 ==
 *       x % 0 == 0} and {@code MIN / -1 == MIN}, computed with a divisor that cannot trap;
 *   <li>float arithmetic is IEEE in the type's own precision, in the order written; float Mod is
 *       {@code a - b * floor(a / b)}; {@code min(a, b)} is {@code a < b ? a : b} and {@code max(a, b)}
 *       is {@code a > b ? a : b} (so a NaN operand can win only in the second place);
 *   <li>casts: float to integer truncates and saturates, NaN giving 0 ({@code llvm.fpto[su]i.sat});
 *       to bool is {@code != 0} (NaN is true); every rounding to a narrower float is one rounding to
 *       nearest, float64 to float16 included (see {@link #doubleToHalf});
 *   <li>a lane whose predicate is false is neither read nor written; it reads as zero.
 * </ul>
 */
final class ExprCodeGen {
  /** The arithmetic operators. */
  enum Op {
    ADD,
    SUB,
    MUL,
    DIV,
    MOD,
    MIN,
    MAX
  }

  /** The comparisons. */
  enum Cmp {
    EQ,
    NE,
    LT,
    LE,
    GT,
    GE
  }

  private final Builder b;
  private final Llvm llvm;
  private final Scope scope;
  private final Calls calls;
  /** Loads that an atomic update computes itself (the old value of a compare-and-swap loop). */
  private final Map<Load, LLVMValueRef> replacedLoads = new HashMap<>();
  /** The base and stride of each int32 vector made as a ramp of scalars, by the vector's address. */
  private final Map<Long, Ramped> ramps = new HashMap<>();
  /** The lane of each vector made of one scalar repeated (a broadcast), by the vector's address. */
  private final Map<Long, LLVMValueRef> uniforms = new HashMap<>();
  /** The ramp and the scalar bounds of each int32 vector that is a ramp clamped to bounds, by the vector's address. */
  private final Map<Long, Clamped> clamps = new HashMap<>();
  /** How many load or store indices are being emitted (nested for an index that reads a buffer): int32 arithmetic there is {@code nsw}. */
  private int indexDepth;

  /** The module's print sites, for the prints among the calls. */
  final PrintSites prints;

  ExprCodeGen(Builder b, Scope scope, PrintSites prints) {
    this.b = b;
    this.llvm = b.llvm;
    this.scope = scope;
    this.prints = prints;
    this.calls = new Calls(this, b);
  }

  /**
   * The 64-bit words that carry the lanes of {@code v} (of type {@code t}) to Java or the C runtime
   * (the error area, a print's words), as {@link MessagePart.Stored} describes them.
   */
  List<LLVMValueRef> words(Type t, LLVMValueRef v) {
    List<LLVMValueRef> words = new ArrayList<>(t.lanes());
    Type el = t.element();
    for (int i = 0; i < t.lanes(); i++) {
      LLVMValueRef lane = t.isScalar() ? v : b.extract(v, i);
      words.add(switch (el.code()) {
        case INT -> b.sext(lane, llvm.i64);
        case UINT, BOOL -> el.bits() == 64 ? lane : b.zext(lane, llvm.i64);
        case FLOAT -> b.bitcast(el.bits() == 64 ? lane : b.fpext(lane, llvm.f64), llvm.i64);
        case HANDLE -> b.ptrtoint(lane, llvm.i64);
      });
    }
    return words;
  }

  /** The error for an expression this backend cannot compile, naming it. */
  static IllegalArgumentException unsupported(Expr e, String why) {
    return new IllegalArgumentException("the llvm backend cannot compile " + IrPrinter.print(e) + ": " + why);
  }

  // ------------------------------------------------------------------ expressions

  LLVMValueRef emit(Expr e) {
    return switch (e) {
      case IntImm(Type t, long v) -> llvm.constInt(t, v);
      case UIntImm(Type t, long v) -> llvm.constInt(t, v);
      case FloatImm(Type t, double v) -> llvm.constFloat(t, v);
      case StringImm(String s) -> llvm.stringConstant(s);
      case Cast(Type t, Expr v) -> {
        if (v.type().isHandle() != t.isHandle()) throw unsupported(e, "a handle converts to no other type");
        yield convert(emit(v), v.type(), t);
      }
      case Var(Type t, String name) -> scope.var(name, t);
      case Add(Expr x, Expr y) -> arith(Op.ADD, e, x, y);
      case Sub(Expr x, Expr y) -> arith(Op.SUB, e, x, y);
      case Mul(Expr x, Expr y) -> arith(Op.MUL, e, x, y);
      case Div(Expr x, Expr y) -> arith(Op.DIV, e, x, y);
      case Mod(Expr x, Expr y) -> arith(Op.MOD, e, x, y);
      case Min(Expr x, Expr y) -> arith(Op.MIN, e, x, y);
      case Max(Expr x, Expr y) -> arith(Op.MAX, e, x, y);
      case EQ(Expr x, Expr y) -> compare(Cmp.EQ, e, x, y);
      case NE(Expr x, Expr y) -> compare(Cmp.NE, e, x, y);
      case LT(Expr x, Expr y) -> compare(Cmp.LT, e, x, y);
      case LE(Expr x, Expr y) -> compare(Cmp.LE, e, x, y);
      case GT(Expr x, Expr y) -> compare(Cmp.GT, e, x, y);
      case GE(Expr x, Expr y) -> compare(Cmp.GE, e, x, y);
      case And(Expr x, Expr y) -> b.and(emit(x), emit(y));
      case Or(Expr x, Expr y) -> b.or(emit(x), emit(y));
      case Not(Expr x) -> b.not(emit(x));
      case Select(Expr c, Expr t, Expr f) -> b.select(emit(c), emit(t), emit(f));
      case Let let -> let(let);
      case Call call -> calls.emit(call);
      case Load load -> load(load);
      case Ramp(Expr base, Expr stride, int lanes) -> ramp(e, base, stride, lanes);
      case Broadcast(Expr value, int lanes) -> broadcast(value, lanes);
      case VectorReduce(VectorReduce.Op op, Expr value, int lanes) -> vectorReduce(e, op, value, lanes);
    };
  }

  /** A chain of lets, bound in a loop rather than by recursion: CSE output nests them deeply. */
  private LLVMValueRef let(Let first) {
    List<String> names = new ArrayList<>();
    List<Scope.@Nullable Var> shadowed = new ArrayList<>();
    Expr e = first;
    while (e instanceof Let(String name, Expr value, Expr body)) {
      LLVMValueRef v = emit(value);
      names.add(name);
      shadowed.add(scope.bind(name, value.type(), v));
      e = body;
    }
    LLVMValueRef result = emit(e);
    for (int i = names.size() - 1; i >= 0; i--) scope.unbind(names.get(i), shadowed.get(i));
    return result;
  }

  // ------------------------------------------------------------------ arithmetic

  private LLVMValueRef arith(Op op, Expr node, Expr x, Expr y) {
    LLVMValueRef vx = emit(x);
    LLVMValueRef vy = emit(y);
    LLVMValueRef result = arith(op, x.type(), vx, vy, node);
    if (x.type().isVector() && x.type().element().equals(Type.I32)) noteClamp(op, vx, vy, result);
    return result;
  }

  /** {@code x op y} on values of type {@code t}; {@code node} is named if the operation does not apply to {@code t}. */
  LLVMValueRef arith(Op op, Type t, LLVMValueRef x, LLVMValueRef y, Expr node) {
    return switch (t.code()) {
      case FLOAT -> switch (op) {
        case ADD -> b.fadd(x, y);
        case SUB -> b.fsub(x, y);
        case MUL -> b.fmul(x, y);
        case DIV -> b.fdiv(x, y);
        case MOD -> b.fsub(x, b.fmul(y, b.intrinsic("llvm.floor", b.fdiv(x, y))));
        case MIN -> b.select(b.fcmp(LLVMRealOLT, x, y), x, y);
        case MAX -> b.select(b.fcmp(LLVMRealOGT, x, y), x, y);
      };
      case INT, UINT -> switch (op) {
        case ADD -> nsw(t) ? b.addNsw(x, y) : b.add(x, y);
        case SUB -> nsw(t) ? b.subNsw(x, y) : b.sub(x, y);
        case MUL -> nsw(t) ? b.mulNsw(x, y) : b.mul(x, y);
        case DIV -> t.isInt() ? signedDivide(t, x, y, true) : unsignedDivide(t, x, y, true);
        case MOD -> t.isInt() ? signedDivide(t, x, y, false) : unsignedDivide(t, x, y, false);
        case MIN -> b.intrinsic(t.isInt() ? "llvm.smin" : "llvm.umin", x, y);
        case MAX -> b.intrinsic(t.isInt() ? "llvm.smax" : "llvm.umax", x, y);
      };
      // false < true: min is and, max is or; bools have no other arithmetic.
      case BOOL -> switch (op) {
        case MIN -> b.and(x, y);
        case MAX -> b.or(x, y);
        case ADD, SUB, MUL, DIV, MOD -> throw unsupported(node, op + " does not apply to " + t);
      };
      case HANDLE -> throw unsupported(node, op + " does not apply to handles");
    };
  }

  /**
   * Euclidean quotient ({@code quotient}) or remainder of signed {@code x} and {@code y}. The
   * hardware divides by 1 in place of 0 and -1 (which would trap: by zero, and MIN / -1), and the
   * results for those divisors are then chosen: 0 for a zero divisor, {@code -x} (wrapping) and 0
   * for -1. A negative hardware remainder moves the quotient one step away from the divisor's sign.
   */
  private LLVMValueRef signedDivide(Type t, LLVMValueRef x, LLVMValueRef y, boolean quotient) {
    LLVMValueRef zero = llvm.constInt(t, 0);
    LLVMValueRef one = llvm.constInt(t, 1);
    LLVMValueRef byZero = b.icmp(LLVMIntEQ, y, zero);
    LLVMValueRef byMinusOne = b.icmp(LLVMIntEQ, y, llvm.constInt(t, -1));
    LLVMValueRef divisor = b.select(b.or(byZero, byMinusOne), one, y);
    LLVMValueRef r = b.srem(x, divisor);
    LLVMValueRef negative = b.icmp(LLVMIntSLT, r, zero);
    LLVMValueRef positiveDivisor = b.icmp(LLVMIntSGT, y, zero);
    if (!quotient) {
      // For the divisors 0 and -1 the remainder by 1 is 0 already.
      return b.select(negative, b.select(positiveDivisor, b.add(r, y), b.sub(r, y)), r);
    }
    LLVMValueRef q = b.sdiv(x, divisor);
    LLVMValueRef euclid = b.select(negative, b.select(positiveDivisor, b.sub(q, one), b.add(q, one)), q);
    return b.select(byZero, zero, b.select(byMinusOne, b.sub(zero, x), euclid));
  }

  /** Unsigned quotient or remainder; the hardware divides by 1 in place of 0, whose results are 0. */
  private LLVMValueRef unsignedDivide(Type t, LLVMValueRef x, LLVMValueRef y, boolean quotient) {
    LLVMValueRef zero = llvm.constInt(t, 0);
    LLVMValueRef byZero = b.icmp(LLVMIntEQ, y, zero);
    LLVMValueRef divisor = b.select(byZero, llvm.constInt(t, 1), y);
    if (!quotient) return b.urem(x, divisor); // x % 1 == 0
    return b.select(byZero, zero, b.udiv(x, divisor));
  }

  private LLVMValueRef compare(Cmp c, Expr node, Expr x, Expr y) {
    Type t = x.type();
    LLVMValueRef a = emit(x);
    LLVMValueRef z = emit(y);
    return switch (t.code()) {
      case FLOAT -> b.fcmp(switch (c) {
        case EQ -> LLVMRealOEQ;
        case NE -> LLVMRealUNE; // true when either is NaN, as Java's !=
        case LT -> LLVMRealOLT;
        case LE -> LLVMRealOLE;
        case GT -> LLVMRealOGT;
        case GE -> LLVMRealOGE;
      }, a, z);
      case INT -> b.icmp(switch (c) {
        case EQ -> LLVMIntEQ;
        case NE -> LLVMIntNE;
        case LT -> LLVMIntSLT;
        case LE -> LLVMIntSLE;
        case GT -> LLVMIntSGT;
        case GE -> LLVMIntSGE;
      }, a, z);
      case UINT, BOOL -> b.icmp(switch (c) {
        case EQ -> LLVMIntEQ;
        case NE -> LLVMIntNE;
        case LT -> LLVMIntULT;
        case LE -> LLVMIntULE;
        case GT -> LLVMIntUGT;
        case GE -> LLVMIntUGE;
      }, a, z);
      case HANDLE -> throw unsupported(node, "handles are not compared in native code");
    };
  }

  // ------------------------------------------------------------------ conversions

  /** {@code v} of type {@code from} converted to {@code to} (same lanes) as the evaluator's Cast does it. */
  LLVMValueRef convert(LLVMValueRef v, Type from, Type to) {
    Type f = from.element();
    Type t = to.element();
    if (f.equals(t)) return v;
    LLVMTypeRef target = llvm.type(to);
    if (t.isFloat()) {
      if (f.isFloat()) {
        if (t.bits() > f.bits()) return b.fpext(v, target);
        return t.bits() == 16 && f.bits() == 64 ? doubleToHalf(v, to.lanes()) : b.fptrunc(v, target);
      }
      if (t.bits() == 16) {
        // Through float32, which holds every integer that does not overflow float16 exactly, so
        // there is one rounding (beyond 2^24 both roundings give infinity).
        return b.fptrunc(intToFloat(v, f, Type.F32.withLanes(to.lanes())), target);
      }
      return intToFloat(v, f, to);
    }
    if (f.isFloat()) {
      if (t.isBool()) return b.fcmp(LLVMRealUNE, v, llvm.constFloat(from, 0));
      return b.intrinsic(t.isInt() ? "llvm.fptosi.sat" : "llvm.fptoui.sat", List.of(target, llvm.type(from)), List.of(v));
    }
    if (t.isBool()) return b.icmp(LLVMIntNE, v, llvm.constInt(from, 0));
    if (t.bits() < f.bits()) return b.trunc(v, target);
    if (t.bits() > f.bits()) return f.isInt() ? b.sext(v, target) : b.zext(v, target);
    return v; // between signed and unsigned of one width: the same bits
  }

  private LLVMValueRef intToFloat(LLVMValueRef v, Type from, Type to) {
    return from.isInt() ? b.sitofp(v, llvm.type(to)) : b.uitofp(v, llvm.type(to));
  }

  /**
   * Float64 lanes rounded once to float16. Rounding to float32 first could round twice (a value just
   * above a half-way point between halves can land on it), so the float32 step rounds to odd
   * instead: an inexact result with an even last bit moves one step toward the exact value, which
   * keeps the "beyond the half-way point" information for the second rounding, done by hardware.
   */
  LLVMValueRef doubleToHalf(LLVMValueRef x, int lanes) {
    Type f32 = Type.F32.withLanes(lanes);
    Type i32 = Type.I32.withLanes(lanes);
    LLVMValueRef f = b.fptrunc(x, llvm.type(f32));
    LLVMValueRef back = b.fpext(f, llvm.type(Type.F64.withLanes(lanes)));
    LLVMValueRef inexact = b.fcmp(LLVMRealONE, back, x); // false for NaN
    LLVMValueRef bits = b.bitcast(f, llvm.type(i32));
    LLVMValueRef even = b.icmp(LLVMIntEQ, b.and(bits, llvm.constInt(i32, 1)), llvm.constInt(i32, 0));
    // Sign and magnitude: one step up in the bits is one step away from zero.
    LLVMValueRef away = b.fcmp(LLVMRealOGT, b.intrinsic("llvm.fabs", x), b.intrinsic("llvm.fabs", back));
    LLVMValueRef step = b.select(away, llvm.constInt(i32, 1), llvm.constInt(i32, -1));
    LLVMValueRef odd = b.add(bits, b.select(b.and(inexact, even), step, llvm.constInt(i32, 0)));
    return b.fptrunc(b.bitcast(odd, llvm.type(f32)), llvm.type(Type.F16.withLanes(lanes)));
  }

  // ------------------------------------------------------------------ vectors

  /** {@code v}, of {@code k} lanes, repeated up to {@code lanes} lanes: lane {@code j} is lane {@code j % k} of {@code v}. */
  LLVMValueRef repeat(LLVMValueRef v, int k, int lanes) {
    if (k == lanes) return v;
    int[] mask = new int[lanes];
    for (int j = 0; j < lanes; j++) mask[j] = j % k;
    return b.lanes(v, mask);
  }

  private LLVMValueRef broadcast(Expr value, int lanes) {
    LLVMValueRef v = emit(value);
    LLVMValueRef all = repeat(v, value.type().lanes(), value.type().lanes() * lanes);
    if (value.type().isScalar()) uniforms.put(all.address(), v);
    return all;
  }

  /** Lane {@code j} is {@code base[j % k] + stride[j % k] * (j / k)} for a base of {@code k} lanes, in the lanes' arithmetic. */
  private LLVMValueRef ramp(Expr node, Expr base, Expr stride, int lanes) {
    Type el = base.type().element();
    int k = base.type().lanes();
    Type t = el.withLanes(k * lanes);
    if (!(el.isIntOrUInt() || el.isFloat())) throw unsupported(node, "a ramp of " + el + " lanes");
    LLVMValueRef first = emit(base);
    LLVMValueRef step = emit(stride);
    LLVMValueRef bases = repeat(first, k, k * lanes);
    LLVMValueRef strides = repeat(step, k, k * lanes);
    List<LLVMValueRef> steps = new ArrayList<>(k * lanes);
    for (int j = 0; j < k * lanes; j++) steps.add(el.isFloat() ? llvm.constFloat(el, j / k) : llvm.constInt(el, j / k));
    LLVMValueRef i = llvm.constVector(steps);
    LLVMValueRef ramp = arith(Op.ADD, t, bases, arith(Op.MUL, t, strides, i, node), node);
    if (k == 1 && el.equals(Type.I32)) {
      // In an index, the base also in 64 bits, for the address of a dense access (see wideIndex).
      ramps.put(ramp.address(), new Ramped(first, step, indexDepth > 0 ? wideIndex(base) : null));
    }
    return ramp;
  }

  /** Output lane {@code j} folds input lanes {@code j*k .. j*k+k-1} left to right, all output lanes at once. */
  private LLVMValueRef vectorReduce(Expr node, VectorReduce.Op op, Expr value, int lanes) {
    LLVMValueRef v = emit(value);
    int k = value.type().lanes() / lanes;
    Type out = value.type().withLanes(lanes);
    Op bin = switch (op) {
      case ADD -> Op.ADD;
      case MUL -> Op.MUL;
      case MIN, AND -> Op.MIN; // on bools min is and, max is or
      case MAX, OR -> Op.MAX;
    };
    LLVMValueRef acc = slice(v, k, lanes, 0);
    for (int i = 1; i < k; i++) acc = arith(bin, out, acc, slice(v, k, lanes, i), node);
    return acc;
  }

  /** Lanes {@code i, k + i, 2k + i, ...} of {@code v}: the {@code i}th operand of each group of {@code k}. */
  private LLVMValueRef slice(LLVMValueRef v, int k, int lanes, int i) {
    int[] mask = new int[lanes];
    for (int j = 0; j < lanes; j++) mask[j] = j * k + i;
    return b.lanes(v, mask);
  }

  // ------------------------------------------------------------------ memory

  /** Makes {@code load} give {@code value} instead of reading memory, until {@link #clearReplacedLoads}. */
  void replaceLoad(Load load, LLVMValueRef value) {
    replacedLoads.put(load, value);
  }

  void clearReplacedLoads() {
    replacedLoads.clear();
  }

  /**
   * A vector index and what is known of how its lanes lie in memory: {@code base + i * stride} (a
   * ramp of scalars; consecutive when the stride is 1, known when the code is generated or checked
   * when it runs), or all at {@code uniform} (one element), or nothing (a gather or scatter). What is
   * known of a value is known wherever it is used, through any number of lets.
   */
  private record Index(LLVMValueRef lanes, @Nullable Ramped ramp, @Nullable LLVMValueRef uniform, @Nullable Clamped clamped) {}

  /** The scalar base and stride of an int32 ramp. */
  private record Ramped(LLVMValueRef base, LLVMValueRef stride, @Nullable LLVMValueRef wideBase) {
    /** The base in 64 bits: built so where the ramp is an index ({@link #wideIndex}), else sign-extended here. */
    LLVMValueRef base64(Builder b, LLVMTypeRef i64) {
      return wideBase != null ? wideBase : b.sext(base, i64);
    }
  }

  /**
   * An int32 vector that is the ramp {@code ramp} clamped to {@code [lo, hi]} (scalars; null: no
   * bound on that side): the index a boundary condition or a clamped read of autodiff makes. Where
   * the whole ramp lies within the bounds, the clamp changes no lane, so a load there is a dense
   * one ({@link #clampedLoad}).
   */
  private record Clamped(Ramped ramp, @Nullable LLVMValueRef lo, @Nullable LLVMValueRef hi) {}

  /**
   * Records what {@code result = x op y} is when it clamps or shifts a ramp by scalars: {@code
   * min}/{@code max} of a ramp (or a clamped ramp) and a broadcast bound it, {@code +}/{@code -} of a
   * broadcast moves ramp and bounds alike.
   */
  private void noteClamp(Op op, LLVMValueRef x, LLVMValueRef y, LLVMValueRef result) {
    LLVMValueRef ux = uniforms.get(x.address());
    LLVMValueRef uy = uniforms.get(y.address());
    LLVMValueRef varying = uy != null ? x : y;
    LLVMValueRef scalar = uy != null ? uy : ux;
    if (scalar == null || (op == Op.SUB && uy == null)) return;
    Ramped ramp = ramps.get(varying.address());
    Clamped c = ramp != null ? new Clamped(ramp, null, null) : clamps.get(varying.address());
    if (c == null) return;
    Clamped noted = switch (op) {
      case MIN -> new Clamped(c.ramp(), c.lo(), c.hi() == null ? scalar : b.intrinsic("llvm.smin", c.hi(), scalar));
      case MAX -> new Clamped(c.ramp(), c.lo() == null ? scalar : b.intrinsic("llvm.smax", c.lo(), scalar), c.hi());
      case ADD, SUB -> c.lo() == null && c.hi() == null ? null : new Clamped(
          new Ramped(shift(op, c.ramp().base(), scalar), c.ramp().stride(), null),
          c.lo() == null ? null : shift(op, c.lo(), scalar), c.hi() == null ? null : shift(op, c.hi(), scalar));
      case MUL, DIV, MOD -> null;
    };
    if (noted != null) clamps.put(result.address(), noted);
  }

  /** {@code v + s} or {@code v - s} of int32 scalars, {@code nsw} as the vector arithmetic it mirrors. */
  private LLVMValueRef shift(Op op, LLVMValueRef v, LLVMValueRef s) {
    boolean nsw = nsw(Type.I32);
    if (op == Op.ADD) return nsw ? b.addNsw(v, s) : b.add(v, s);
    return nsw ? b.subNsw(v, s) : b.sub(v, s);
  }

  /** Whether arithmetic of type {@code t} is built {@code nsw} here: int32 in an index. */
  private boolean nsw(Type t) {
    return indexDepth > 0 && t.isInt() && t.bits() == 32;
  }

  /**
   * The scalar int32 index {@code e} of a load or store as an int64: its sums, differences and
   * products are done in 64 bits ({@code nsw}), and only their other operands are sign-extended.
   * Exact wherever the int32 arithmetic does not overflow, which is undefined (SEMANTICS.md). In
   * 32 bits, LLVM reassociates {@code (x - min) + row} into {@code x + (row - min)} to hoist the
   * invariant part, the new adds lose {@code nsw}, and every access pays a 32-bit add and a sign
   * extension; in 64 bits there is no wrap to preserve and the offsets fold into the addressing.
   */
  LLVMValueRef wideIndex(Expr e) {
    if (!e.type().equals(Type.I32)) return b.sext(emitIndex(e), llvm.i64);
    return switch (e) {
      case Add(Expr x, Expr y) -> b.addNsw(wideIndex(x), wideIndex(y));
      case Sub(Expr x, Expr y) -> b.subNsw(wideIndex(x), wideIndex(y));
      case Mul(Expr x, Expr y) -> b.mulNsw(wideIndex(x), wideIndex(y));
      case IntImm(var _, long v) -> llvm.i64(v);
      case Var(var _, String name) when scope.wide(name) != null -> scope.wide(name);
      default -> b.sext(emitIndex(e), llvm.i64);
    };
  }

  /** The address of the element at the scalar int32 index {@code index} of {@code buf}. */
  LLVMValueRef scalarAddress(Scope.Buf buf, Expr index) {
    return address64(buf, wideIndex(index));
  }

  /** {@code e} as the index of a load or store (see the class documentation on {@code nsw}). */
  LLVMValueRef emitIndex(Expr e) {
    indexDepth++;
    try {
      return emit(e);
    } finally {
      indexDepth--;
    }
  }

  private Index index(Expr e) {
    LLVMValueRef v = emitIndex(e);
    return new Index(v, ramps.get(v.address()), uniforms.get(v.address()), clamps.get(v.address()));
  }

  /**
   * The access of {@code index}: {@code dense} at its base (an int64) when its lanes are consecutive,
   * {@code scattered} when they are not, and both behind a test of the stride when that is known
   * only at run time (lowering leaves buffer strides symbolic; the innermost is usually 1). Gives the
   * value the access gives (null for a store).
   */
  private @Nullable LLVMValueRef byLayout(Index index, Function<LLVMValueRef, @Nullable LLVMValueRef> dense,
      Supplier<@Nullable LLVMValueRef> scattered) {
    Ramped r = index.ramp();
    if (r == null) return scattered.get();
    if (LLVMIsAConstantInt(r.stride()) != null) return LLVMConstIntGetSExtValue(r.stride()) == 1 ? dense.apply(r.base64(b, llvm.i64)) : scattered.get();
    return branch(b.icmp(LLVMIntEQ, r.stride(), llvm.i32(1)), "stride", () -> dense.apply(r.base64(b, llvm.i64)), scattered);
  }

  /**
   * {@code condition ? then : otherwise}, each side in a block of its own ({@code name.then},
   * {@code name.else}, joined at {@code name.end}), so that only one runs; null when a side gives
   * no value (a store).
   */
  private @Nullable LLVMValueRef branch(LLVMValueRef condition, String name, Supplier<@Nullable LLVMValueRef> then,
      Supplier<@Nullable LLVMValueRef> otherwise) {
    LLVMBasicBlockRef yes = b.block(name + ".then");
    LLVMBasicBlockRef no = b.block(name + ".else");
    LLVMBasicBlockRef join = b.block(name + ".end");
    b.condBr(condition, yes, no);
    b.at(yes);
    LLVMValueRef v1 = then.get();
    LLVMBasicBlockRef yesEnd = b.current();
    b.br(join);
    b.at(no);
    LLVMValueRef v2 = otherwise.get();
    LLVMBasicBlockRef noEnd = b.current();
    b.br(join);
    b.at(join);
    if (v1 == null || v2 == null) return null;
    LLVMValueRef phi = b.phi(LLVMTypeOf(v1), "");
    Builder.incoming(phi, v1, yesEnd);
    Builder.incoming(phi, v2, noEnd);
    return phi;
  }

  private LLVMValueRef load(Load load) {
    LLVMValueRef replaced = replacedLoads.get(load);
    if (replaced != null) return replaced;
    Scope.Buf buf = scope.buffer(load.name());
    Type t = load.type();
    Type el = t.element();
    int align = el.bytes();
    LLVMTypeRef memory = llvm.memoryType(t);
    boolean always = IrQueries.isConst(load.predicate(), 1);
    if (t.isScalar()) {
      Supplier<LLVMValueRef> read = () -> b.load(memory, scalarAddress(buf, load.index()), align);
      return fromMemory(t, always ? read.get() : guarded(emit(load.predicate()), read, llvm.zero(memory)));
    }
    Index index = index(load.index());
    LLVMValueRef mask = mask(load.predicate());
    if (index.uniform() != null && always) {
      return fromMemory(t, repeat(b.load(llvm.memoryType(el), address(buf, index.uniform()), align), 1, t.lanes()));
    }
    Supplier<LLVMValueRef> gather = () -> b.intrinsic("llvm.masked.gather", List.of(memory, Llvm.vector(llvm.ptr, t.lanes())),
        List.of(addresses(buf, index.lanes(), t.lanes()), llvm.i32(align), mask, llvm.zero(memory)));
    if (index.ramp() == null && index.clamped() != null && always && isOne(index.clamped().ramp().stride())) {
      return fromMemory(t, clampedLoad(buf, index.clamped(), memory, align, t.lanes(), gather));
    }
    LLVMValueRef v = byLayout(index,
        base -> always
            ? b.load(memory, address64(buf, base), align)
            : b.intrinsic("llvm.masked.load", List.of(memory, llvm.ptr), List.of(maskedAddress(buf, base), llvm.i32(align), mask, llvm.zero(memory))),
        gather);
    return fromMemory(t, v);
  }

  private static boolean isOne(LLVMValueRef v) {
    return LLVMIsAConstantInt(v) != null && LLVMConstIntGetSExtValue(v) == 1;
  }

  /**
   * A load at a clamped ramp of stride 1: a dense load where the ramp lies within the bounds (the
   * clamp then changes no lane), else the gather. The test is two scalar comparisons; in the
   * interior of an image, where gradients and boundary conditions clamp only at the edges, it always
   * takes the dense load.
   */
  private LLVMValueRef clampedLoad(Scope.Buf buf, Clamped c, LLVMTypeRef memory, int align, int lanes, Supplier<LLVMValueRef> gather) {
    LLVMValueRef first = c.ramp().base();
    LLVMValueRef inside = llvm.bool(true);
    if (c.lo() != null) inside = b.and(inside, b.icmp(LLVMIntSLE, c.lo(), first));
    if (c.hi() != null) inside = b.and(inside, b.icmp(LLVMIntSLE, b.addNsw(first, llvm.i32(lanes - 1)), c.hi()));
    LLVMValueRef v = branch(inside, "clamped", () -> b.load(memory, address64(buf, c.ramp().base64(b, llvm.i64)), align), gather);
    return Objects.requireNonNull(v, "a load gives a value");
  }

  /** Stores {@code value} of type {@code t} into {@code buf} at {@code index} in the lanes where {@code predicate} holds. */
  void store(Scope.Buf buf, Type t, LLVMValueRef value, Expr index, Expr predicate) {
    int align = t.element().bytes();
    LLVMValueRef v = toMemory(t, value);
    boolean always = IrQueries.isConst(predicate, 1);
    if (t.isScalar()) {
      Runnable write = () -> b.store(v, scalarAddress(buf, index), align);
      if (always) write.run();
      else guarded(emit(predicate), () -> {
        write.run();
        return null;
      }, null);
      return;
    }
    LLVMTypeRef memory = llvm.memoryType(t);
    Index at = index(index);
    LLVMValueRef mask = mask(predicate);
    byLayout(at, base -> {
      if (always) b.store(v, address64(buf, base), align);
      else b.intrinsic("llvm.masked.store", List.of(memory, llvm.ptr), List.of(v, maskedAddress(buf, base), llvm.i32(align), mask));
      return null;
    }, () -> {
      // Lanes that write one element write it in lane order: the last of them wins, as in the interpreter.
      b.intrinsic("llvm.masked.scatter", List.of(memory, Llvm.vector(llvm.ptr, t.lanes())),
          List.of(v, addresses(buf, at.lanes(), t.lanes()), llvm.i32(align), mask));
      return null;
    });
  }

  /** The address of element {@code index} (an int32 value) of {@code buf}. */
  LLVMValueRef address(Scope.Buf buf, LLVMValueRef index) {
    return address64(buf, b.sext(index, llvm.i64));
  }

  /** The address of element {@code index} (an int64 value) of {@code buf}. */
  private LLVMValueRef address64(Scope.Buf buf, LLVMValueRef index) {
    return b.gep(llvm.memoryType(buf.elementType()), buf.base(), index);
  }

  /**
   * The address of element {@code index} (an int64 value) of {@code buf} where a masked access
   * starts: the first lane may be masked off and outside the buffer.
   */
  private LLVMValueRef maskedAddress(Scope.Buf buf, LLVMValueRef index) {
    return b.gepAnywhere(llvm.memoryType(buf.elementType()), buf.base(), index);
  }

  /** The address of each lane of {@code index} in {@code buf}; masked-off lanes may lie outside it. */
  private LLVMValueRef addresses(Scope.Buf buf, LLVMValueRef index, int lanes) {
    return b.gepAnywhere(llvm.memoryType(buf.elementType()), buf.base(), b.sext(index, Llvm.vector(llvm.i64, lanes)));
  }

  private LLVMValueRef mask(Expr predicate) {
    return IrQueries.isConst(predicate, 1) ? llvm.constInt(predicate.type(), 1) : emit(predicate);
  }

  /**
   * Runs {@code then} only when {@code condition} holds; gives its value, or {@code otherwise} when
   * the condition is false (when {@code otherwise} is null, the value is not wanted).
   */
  private @Nullable LLVMValueRef guarded(LLVMValueRef condition, Supplier<@Nullable LLVMValueRef> then, @Nullable LLVMValueRef otherwise) {
    LLVMBasicBlockRef before = b.current();
    LLVMBasicBlockRef yes = b.block("when");
    LLVMBasicBlockRef join = b.block("when.end");
    b.condBr(condition, yes, join);
    b.at(yes);
    LLVMValueRef v = then.get();
    LLVMBasicBlockRef yesEnd = b.current();
    b.br(join);
    b.at(join);
    if (otherwise == null || v == null) return null;
    LLVMValueRef phi = b.phi(LLVMTypeOf(v), "");
    Builder.incoming(phi, v, yesEnd);
    Builder.incoming(phi, otherwise, before);
    return phi;
  }

  /** A value of type {@code t} as memory holds it: bool lanes as bytes 0 or 1. */
  LLVMValueRef toMemory(Type t, LLVMValueRef v) {
    return t.isBool() ? b.zext(v, llvm.memoryType(t)) : v;
  }

  /** A value of type {@code t} read from memory: a bool lane is true when its byte is not 0. */
  LLVMValueRef fromMemory(Type t, LLVMValueRef v) {
    return t.isBool() ? b.icmp(LLVMIntNE, v, llvm.zero(llvm.memoryType(t))) : v;
  }
}
