package dev.halogen.backend.llvm;

import static org.bytedeco.llvm.global.LLVM.*;

import java.util.List;
import org.bytedeco.llvm.LLVM.LLVMBasicBlockRef;
import org.bytedeco.llvm.LLVM.LLVMBuilderRef;
import org.bytedeco.llvm.LLVM.LLVMTypeRef;
import org.bytedeco.llvm.LLVM.LLVMValueRef;

/**
 * Instruction building inside one function: a thin, typed layer over the LLVM C API's builder.
 * Integer arithmetic is built without {@code nsw}/{@code nuw} flags (it wraps, as the IR's semantics
 * say), except where the caller asks for {@code nsw} ({@link #addNsw}: int32 index arithmetic), and
 * float arithmetic without fast-math flags (it is IEEE, in the order written).
 *
 * <p>The function's first block holds its stack slots ({@link #alloca}), so that each is made once
 * per call however often the code that uses it runs; code starts in the block after it.
 */
final class Builder {
  final Llvm llvm;
  final LLVMValueRef function;
  private final LLVMBuilderRef b;
  private final LLVMBuilderRef allocas;

  Builder(Llvm llvm, LLVMValueRef function) {
    this.llvm = llvm;
    this.function = function;
    this.b = LLVMCreateBuilderInContext(llvm.context);
    this.allocas = LLVMCreateBuilderInContext(llvm.context);
    LLVMBasicBlockRef entry = LLVMAppendBasicBlockInContext(llvm.context, function, "entry");
    LLVMBasicBlockRef body = LLVMAppendBasicBlockInContext(llvm.context, function, "body");
    LLVMPositionBuilderAtEnd(b, entry);
    LLVMValueRef jump = LLVMBuildBr(b, body);
    LLVMPositionBuilderBefore(allocas, jump);
    LLVMPositionBuilderAtEnd(b, body);
  }

  /** Releases the builders (the function stays). */
  void dispose() {
    LLVMDisposeBuilder(b);
    LLVMDisposeBuilder(allocas);
  }

  LLVMValueRef param(int i) {
    return LLVMGetParam(function, i);
  }

  // ------------------------------------------------------------------ control flow

  LLVMBasicBlockRef block(String name) {
    return LLVMAppendBasicBlockInContext(llvm.context, function, name);
  }

  LLVMBasicBlockRef current() {
    return LLVMGetInsertBlock(b);
  }

  void at(LLVMBasicBlockRef block) {
    LLVMPositionBuilderAtEnd(b, block);
  }

  void br(LLVMBasicBlockRef to) {
    LLVMBuildBr(b, to);
  }

  void condBr(LLVMValueRef condition, LLVMBasicBlockRef then, LLVMBasicBlockRef otherwise) {
    LLVMBuildCondBr(b, condition, then, otherwise);
  }

  void ret(LLVMValueRef v) {
    LLVMBuildRet(b, v);
  }

  LLVMValueRef phi(LLVMTypeRef type, String name) {
    return LLVMBuildPhi(b, type, name);
  }

  static void incoming(LLVMValueRef phi, LLVMValueRef value, LLVMBasicBlockRef from) {
    LLVMAddIncoming(phi, Llvm.array(List.of(value)), Llvm.array(List.of(from)), 1);
  }

  // ------------------------------------------------------------------ arithmetic

  LLVMValueRef add(LLVMValueRef x, LLVMValueRef y) {
    return LLVMBuildAdd(b, x, y, "");
  }

  LLVMValueRef sub(LLVMValueRef x, LLVMValueRef y) {
    return LLVMBuildSub(b, x, y, "");
  }

  LLVMValueRef mul(LLVMValueRef x, LLVMValueRef y) {
    return LLVMBuildMul(b, x, y, "");
  }

  /** {@code x + y} that does not overflow as a signed number ({@code nsw}): LLVM may then widen it to 64 bits. */
  LLVMValueRef addNsw(LLVMValueRef x, LLVMValueRef y) {
    return LLVMBuildNSWAdd(b, x, y, "");
  }

  LLVMValueRef subNsw(LLVMValueRef x, LLVMValueRef y) {
    return LLVMBuildNSWSub(b, x, y, "");
  }

  LLVMValueRef mulNsw(LLVMValueRef x, LLVMValueRef y) {
    return LLVMBuildNSWMul(b, x, y, "");
  }

  LLVMValueRef sdiv(LLVMValueRef x, LLVMValueRef y) {
    return LLVMBuildSDiv(b, x, y, "");
  }

  LLVMValueRef udiv(LLVMValueRef x, LLVMValueRef y) {
    return LLVMBuildUDiv(b, x, y, "");
  }

  LLVMValueRef srem(LLVMValueRef x, LLVMValueRef y) {
    return LLVMBuildSRem(b, x, y, "");
  }

  LLVMValueRef urem(LLVMValueRef x, LLVMValueRef y) {
    return LLVMBuildURem(b, x, y, "");
  }

  LLVMValueRef and(LLVMValueRef x, LLVMValueRef y) {
    return LLVMBuildAnd(b, x, y, "");
  }

  LLVMValueRef or(LLVMValueRef x, LLVMValueRef y) {
    return LLVMBuildOr(b, x, y, "");
  }

  LLVMValueRef xor(LLVMValueRef x, LLVMValueRef y) {
    return LLVMBuildXor(b, x, y, "");
  }

  LLVMValueRef not(LLVMValueRef x) {
    return LLVMBuildNot(b, x, "");
  }

  LLVMValueRef lshr(LLVMValueRef x, LLVMValueRef y) {
    return LLVMBuildLShr(b, x, y, "");
  }

  LLVMValueRef shl(LLVMValueRef x, LLVMValueRef y) {
    return LLVMBuildShl(b, x, y, "");
  }

  LLVMValueRef ashr(LLVMValueRef x, LLVMValueRef y) {
    return LLVMBuildAShr(b, x, y, "");
  }

  LLVMValueRef fadd(LLVMValueRef x, LLVMValueRef y) {
    return contractible(LLVMBuildFAdd(b, x, y, ""));
  }

  LLVMValueRef fsub(LLVMValueRef x, LLVMValueRef y) {
    return contractible(LLVMBuildFSub(b, x, y, ""));
  }

  LLVMValueRef fmul(LLVMValueRef x, LLVMValueRef y) {
    return contractible(LLVMBuildFMul(b, x, y, ""));
  }

  /** {@code op} with LLVM's {@code contract} flag where the target lets multiply-adds fuse ({@link LlvmBackend#FMA}). */
  private LLVMValueRef contractible(LLVMValueRef op) {
    if (llvm.fuseMultiplyAdds && LLVMCanValueUseFastMathFlags(op) != 0) LLVMSetFastMathFlags(op, LLVMFastMathAllowContract);
    return op;
  }

  LLVMValueRef fdiv(LLVMValueRef x, LLVMValueRef y) {
    return LLVMBuildFDiv(b, x, y, "");
  }

  LLVMValueRef icmp(int predicate, LLVMValueRef x, LLVMValueRef y) {
    return LLVMBuildICmp(b, predicate, x, y, "");
  }

  LLVMValueRef fcmp(int predicate, LLVMValueRef x, LLVMValueRef y) {
    return LLVMBuildFCmp(b, predicate, x, y, "");
  }

  LLVMValueRef select(LLVMValueRef condition, LLVMValueRef x, LLVMValueRef y) {
    return LLVMBuildSelect(b, condition, x, y, "");
  }

  // ------------------------------------------------------------------ conversions

  LLVMValueRef trunc(LLVMValueRef v, LLVMTypeRef to) {
    return LLVMBuildTrunc(b, v, to, "");
  }

  LLVMValueRef sext(LLVMValueRef v, LLVMTypeRef to) {
    return LLVMBuildSExt(b, v, to, "");
  }

  LLVMValueRef zext(LLVMValueRef v, LLVMTypeRef to) {
    return LLVMBuildZExt(b, v, to, "");
  }

  LLVMValueRef sitofp(LLVMValueRef v, LLVMTypeRef to) {
    return LLVMBuildSIToFP(b, v, to, "");
  }

  LLVMValueRef uitofp(LLVMValueRef v, LLVMTypeRef to) {
    return LLVMBuildUIToFP(b, v, to, "");
  }

  LLVMValueRef fpext(LLVMValueRef v, LLVMTypeRef to) {
    return LLVMBuildFPExt(b, v, to, "");
  }

  LLVMValueRef fptrunc(LLVMValueRef v, LLVMTypeRef to) {
    return LLVMBuildFPTrunc(b, v, to, "");
  }

  LLVMValueRef bitcast(LLVMValueRef v, LLVMTypeRef to) {
    return LLVMBuildBitCast(b, v, to, "");
  }

  LLVMValueRef ptrtoint(LLVMValueRef v, LLVMTypeRef to) {
    return LLVMBuildPtrToInt(b, v, to, "");
  }

  // ------------------------------------------------------------------ vectors

  LLVMValueRef extract(LLVMValueRef vector, int lane) {
    return LLVMBuildExtractElement(b, vector, llvm.i32(lane), "");
  }

  LLVMValueRef insert(LLVMValueRef vector, LLVMValueRef element, int lane) {
    return LLVMBuildInsertElement(b, vector, element, llvm.i32(lane), "");
  }

  /** The lanes {@code mask} of {@code v} (a vector, or a scalar taken as a one-lane vector): a scalar for one lane, else a vector. */
  LLVMValueRef lanes(LLVMValueRef v, int[] mask) {
    boolean scalarIn = LLVMGetTypeKind(LLVMTypeOf(v)) != LLVMVectorTypeKind;
    if (mask.length == 1) return scalarIn ? v : extract(v, mask[0]);
    LLVMValueRef in = v;
    if (scalarIn) in = insert(LLVMGetPoison(LLVMVectorType(LLVMTypeOf(v), 1)), v, 0); // a one-lane vector to shuffle
    return LLVMBuildShuffleVector(b, in, LLVMGetPoison(LLVMTypeOf(in)), llvm.shuffleMask(mask), "");
  }

  // ------------------------------------------------------------------ memory

  /** A stack slot of {@code type} made at the function's entry, aligned to {@code align} bytes. */
  LLVMValueRef alloca(LLVMTypeRef type, int align, String name) {
    LLVMValueRef a = LLVMBuildAlloca(allocas, type, name);
    LLVMSetAlignment(a, align);
    return a;
  }

  /** A load of {@code type} from {@code ptr}, aligned to {@code align} bytes (0: the type's ABI alignment). */
  LLVMValueRef load(LLVMTypeRef type, LLVMValueRef ptr, int align) {
    LLVMValueRef v = LLVMBuildLoad2(b, type, ptr, "");
    if (align > 0) LLVMSetAlignment(v, align);
    return v;
  }

  /** A store of {@code value} to {@code ptr}, aligned to {@code align} bytes (0: the type's ABI alignment). */
  void store(LLVMValueRef value, LLVMValueRef ptr, int align) {
    LLVMValueRef s = LLVMBuildStore(b, value, ptr);
    if (align > 0) LLVMSetAlignment(s, align);
  }

  /** {@code ptr + index} elements of {@code elementType}, inside the object {@code ptr} points into; a vector index gives a vector of pointers. */
  LLVMValueRef gep(LLVMTypeRef elementType, LLVMValueRef ptr, LLVMValueRef index) {
    return LLVMBuildInBoundsGEP2(b, elementType, ptr, Llvm.array(List.of(index)), 1, "");
  }

  /** As {@link #gep}, for an address that may lie outside the object: one a masked-off lane computes but never uses. */
  LLVMValueRef gepAnywhere(LLVMTypeRef elementType, LLVMValueRef ptr, LLVMValueRef index) {
    return LLVMBuildGEP2(b, elementType, ptr, Llvm.array(List.of(index)), 1, "");
  }

  /** The address of field {@code field} of the struct of {@code type} at {@code ptr}. */
  LLVMValueRef field(LLVMTypeRef type, LLVMValueRef ptr, int field) {
    return LLVMBuildStructGEP2(b, type, ptr, field, "");
  }

  LLVMValueRef atomicLoad(LLVMTypeRef type, LLVMValueRef ptr, int align, int ordering) {
    LLVMValueRef v = load(type, ptr, align);
    LLVMSetOrdering(v, ordering);
    return v;
  }

  void atomicStore(LLVMValueRef value, LLVMValueRef ptr, int align, int ordering) {
    LLVMValueRef s = LLVMBuildStore(b, value, ptr);
    LLVMSetAlignment(s, align);
    LLVMSetOrdering(s, ordering);
  }

  LLVMValueRef atomicRmw(int op, LLVMValueRef ptr, LLVMValueRef value, int ordering) {
    return LLVMBuildAtomicRMW(b, op, ptr, value, ordering, 0);
  }

  /** {@code cmpxchg}: the value found at {@code ptr} and whether it was {@code expected} (and so was replaced). */
  LLVMValueRef[] compareExchange(LLVMValueRef ptr, LLVMValueRef expected, LLVMValueRef replacement, int ordering) {
    LLVMValueRef pair = LLVMBuildAtomicCmpXchg(b, ptr, expected, replacement, ordering, ordering, 0);
    return new LLVMValueRef[] {LLVMBuildExtractValue(b, pair, 0, ""), LLVMBuildExtractValue(b, pair, 1, "")};
  }

  // ------------------------------------------------------------------ calls

  LLVMValueRef call(LLVMTypeRef type, LLVMValueRef function, List<LLVMValueRef> args) {
    return LLVMBuildCall2(b, type, function, Llvm.array(args), args.size(), "");
  }

  /** A call of intrinsic {@code name} at the overload types {@code overloads}. */
  LLVMValueRef intrinsic(String name, List<LLVMTypeRef> overloads, List<LLVMValueRef> args) {
    return call(llvm.intrinsicType(name, overloads), llvm.intrinsic(name, overloads), args);
  }

  /** A call of overloaded intrinsic {@code name} whose only overload type is that of its first argument. */
  LLVMValueRef intrinsic(String name, LLVMValueRef... args) {
    return intrinsic(name, List.of(LLVMTypeOf(args[0])), List.of(args));
  }
}
