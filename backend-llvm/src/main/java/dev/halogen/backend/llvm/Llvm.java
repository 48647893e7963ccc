package dev.halogen.backend.llvm;

import static org.bytedeco.llvm.global.LLVM.*;

import dev.halogen.ir.Type;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.llvm.LLVM.LLVMAttributeRef;
import org.bytedeco.llvm.LLVM.LLVMContextRef;
import org.bytedeco.llvm.LLVM.LLVMModuleRef;
import org.bytedeco.llvm.LLVM.LLVMTypeRef;
import org.bytedeco.llvm.LLVM.LLVMValueRef;

/**
 * One LLVM module under construction: its context, the LLVM types Halogen types map to, constants,
 * and the declarations every function of the module shares (intrinsics, C library functions, string
 * constants, lock words). Not thread-safe: one compilation builds one module on one thread.
 *
 * <p>Types: {@code bool} is {@code i1} in registers and {@code i8} (0 or 1) in memory; integers of
 * either signedness are {@code iN} (signedness lives in the operations); {@code float16/32/64} are
 * {@code half/float/double}; a handle is {@code ptr}; a vector type is an LLVM vector of its lanes.
 */
final class Llvm {
  final LLVMContextRef context;
  final LLVMModuleRef module;
  final LLVMTypeRef voidType;
  final LLVMTypeRef i1;
  final LLVMTypeRef i8;
  final LLVMTypeRef i16;
  final LLVMTypeRef i32;
  final LLVMTypeRef i64;
  final LLVMTypeRef f16;
  final LLVMTypeRef f32;
  final LLVMTypeRef f64;
  final LLVMTypeRef ptr;
  private final HostTarget host;
  /** Whether float multiplies and adds may be fused ({@link LlvmBackend#FMA}): they carry LLVM's {@code contract} flag. */
  final boolean fuseMultiplyAdds;
  private final Map<String, LLVMValueRef> declared = new HashMap<>();
  private final Map<String, LLVMValueRef> strings = new HashMap<>();
  private final Map<String, LLVMValueRef> locks = new HashMap<>();

  Llvm(LLVMContextRef context, String moduleName, HostTarget host, boolean fuseMultiplyAdds) {
    this.context = context;
    this.host = host;
    this.fuseMultiplyAdds = fuseMultiplyAdds;
    this.module = LLVMModuleCreateWithNameInContext(moduleName, context);
    LLVMSetTarget(module, host.triple());
    LLVMSetDataLayout(module, host.dataLayout());
    voidType = LLVMVoidTypeInContext(context);
    i1 = LLVMInt1TypeInContext(context);
    i8 = LLVMInt8TypeInContext(context);
    i16 = LLVMInt16TypeInContext(context);
    i32 = LLVMInt32TypeInContext(context);
    i64 = LLVMInt64TypeInContext(context);
    f16 = LLVMHalfTypeInContext(context);
    f32 = LLVMFloatTypeInContext(context);
    f64 = LLVMDoubleTypeInContext(context);
    ptr = LLVMPointerTypeInContext(context, 0);
  }

  // ------------------------------------------------------------------ types

  /** The LLVM type of one lane of {@code t} in registers. */
  LLVMTypeRef scalarType(Type t) {
    return switch (t.code()) {
      case BOOL -> i1;
      case INT, UINT -> intType(t.bits());
      case FLOAT -> floatType(t.bits());
      case HANDLE -> ptr;
    };
  }

  /** The LLVM type of a value of {@code t} in registers: a vector for {@code lanes > 1}. */
  LLVMTypeRef type(Type t) {
    return vector(scalarType(t), t.lanes());
  }

  /** The LLVM type of a value of {@code t} in memory: as {@link #type} with bool lanes as {@code i8}. */
  LLVMTypeRef memoryType(Type t) {
    return vector(t.isBool() ? i8 : scalarType(t), t.lanes());
  }

  /** The integer type with the size of {@code t}'s lanes in memory, for atomic compare-and-swap of any element. */
  LLVMTypeRef bitsType(Type t) {
    return vector(intType(t.bytes() * 8), t.lanes());
  }

  LLVMTypeRef intType(int bits) {
    return switch (bits) {
      case 1 -> i1;
      case 8 -> i8;
      case 16 -> i16;
      case 32 -> i32;
      case 64 -> i64;
      default -> LLVMIntTypeInContext(context, bits);
    };
  }

  LLVMTypeRef floatType(int bits) {
    return switch (bits) {
      case 16 -> f16;
      case 32 -> f32;
      case 64 -> f64;
      default -> throw new IllegalArgumentException("no float type of " + bits + " bits");
    };
  }

  static LLVMTypeRef vector(LLVMTypeRef element, int lanes) {
    return lanes == 1 ? element : LLVMVectorType(element, lanes);
  }

  LLVMTypeRef functionType(LLVMTypeRef result, List<LLVMTypeRef> params) {
    return LLVMFunctionType(result, array(params), params.size(), 0);
  }

  LLVMTypeRef structType(List<LLVMTypeRef> fields) {
    return LLVMStructTypeInContext(context, array(fields), fields.size(), 0);
  }

  // ------------------------------------------------------------------ constants

  /** The integer or bool constant {@code bits} (in {@link dev.halogen.passes.analysis.Value}'s normalized form) of type {@code t}, splat over its lanes. */
  LLVMValueRef constInt(Type t, long bits) {
    int width = t.isBool() ? 1 : t.bits();
    // Normalized to the width (sign- or zero-extended), so that LLVM never has to truncate.
    long v = width == 64 ? bits : t.isInt() ? bits << (64 - width) >> (64 - width) : bits & ((1L << width) - 1);
    LLVMValueRef scalar = LLVMConstInt(scalarType(t), v, t.isInt() ? 1 : 0);
    return splatConstant(scalar, t.lanes());
  }

  /** The float constant {@code value} (exact in {@code t}'s precision, or rounded to nearest) of type {@code t}, splat over its lanes. */
  LLVMValueRef constFloat(Type t, double value) {
    return splatConstant(LLVMConstReal(scalarType(t), value), t.lanes());
  }

  LLVMValueRef i32(long v) {
    return LLVMConstInt(i32, v, 1);
  }

  LLVMValueRef i64(long v) {
    return LLVMConstInt(i64, v, 1);
  }

  LLVMValueRef bool(boolean v) {
    return LLVMConstInt(i1, v ? 1 : 0, 0);
  }

  LLVMValueRef zero(LLVMTypeRef t) {
    return LLVMConstNull(t);
  }

  LLVMValueRef constVector(List<LLVMValueRef> lanes) {
    return LLVMConstVector(array(lanes), lanes.size());
  }

  /** A constant vector of the int32 lane indices {@code mask}, as shufflevector takes. */
  LLVMValueRef shuffleMask(int[] mask) {
    LLVMValueRef[] lanes = new LLVMValueRef[mask.length];
    for (int i = 0; i < mask.length; i++) lanes[i] = i32(mask[i]);
    return constVector(List.of(lanes));
  }

  private LLVMValueRef splatConstant(LLVMValueRef scalar, int lanes) {
    if (lanes == 1) return scalar;
    LLVMValueRef[] all = new LLVMValueRef[lanes];
    java.util.Arrays.fill(all, scalar);
    return constVector(List.of(all));
  }

  /** A private constant NUL-terminated string holding {@code s} (UTF-8), shared by equal strings. */
  LLVMValueRef stringConstant(String s) {
    return strings.computeIfAbsent(s, text -> {
      byte[] utf8 = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      BytePointer bytes = new BytePointer(utf8.length);
      bytes.put(utf8);
      LLVMValueRef init = LLVMConstStringInContext2(context, bytes, utf8.length, 0);
      LLVMValueRef g = LLVMAddGlobal(module, LLVMTypeOf(init), "str");
      LLVMSetInitializer(g, init);
      LLVMSetGlobalConstant(g, 1);
      LLVMSetLinkage(g, LLVMPrivateLinkage);
      LLVMSetUnnamedAddress(g, LLVMGlobalUnnamedAddr);
      return g;
    });
  }

  /** An internal, zero-initialized int32 global: the word of a spin lock. */
  LLVMValueRef lockWord(String name) {
    return locks.computeIfAbsent(name, k -> {
      LLVMValueRef g = LLVMAddGlobal(module, i32, "lock." + name);
      LLVMSetInitializer(g, i32(0));
      LLVMSetLinkage(g, LLVMInternalLinkage);
      LLVMSetAlignment(g, 64); // its own cache line, so spinning on it disturbs nothing else
      return g;
    });
  }

  // ------------------------------------------------------------------ functions

  /**
   * A new function with a body to come, with the host CPU and its features (so the code uses every
   * instruction the host has) and {@code nounwind}; {@code internal} ones are visible only inside
   * the module.
   */
  LLVMValueRef addFunction(String name, LLVMTypeRef type, boolean internal) {
    LLVMValueRef f = LLVMAddFunction(module, name, type);
    if (internal) LLVMSetLinkage(f, LLVMInternalLinkage);
    addStringAttribute(f, "target-cpu", host.cpu());
    addStringAttribute(f, "target-features", host.features());
    addEnumAttribute(f, LLVMAttributeFunctionIndex, "nounwind", 0);
    return f;
  }

  /** Adds enum attribute {@code name} (with {@code value}) at {@code index}: a parameter number + 1, 0 for the result, or the function. */
  void addEnumAttribute(LLVMValueRef f, int index, String name, long value) {
    int kind = LLVMGetEnumAttributeKindForName(name, name.length());
    if (kind == 0) throw new IllegalStateException("LLVM has no attribute named " + name);
    LLVMAttributeRef a = LLVMCreateEnumAttribute(context, kind, value);
    LLVMAddAttributeAtIndex(f, index, a);
  }

  private void addStringAttribute(LLVMValueRef f, String key, String value) {
    LLVMAddAttributeAtIndex(f, LLVMAttributeFunctionIndex, LLVMCreateStringAttribute(context, key, key.length(), value, value.length()));
  }

  /**
   * The declaration of external C function {@code name} of {@code type} (found among the process's
   * symbols when the module is linked). A {@code pure} one neither reads nor writes memory (a math
   * function of the C library, whose {@code errno} nobody reads), so calls to it may be moved,
   * merged or dropped.
   */
  LLVMValueRef external(String name, LLVMTypeRef type, boolean pure) {
    LLVMValueRef f = declared.get(name);
    if (f != null) {
      if (LLVMGlobalGetValueType(f).address() != type.address()) { // LLVM types are unique: same signature, same address
        throw new IllegalArgumentException("extern function " + name + " is called with two different signatures");
      }
      return f;
    }
    f = LLVMAddFunction(module, name, type);
    addEnumAttribute(f, LLVMAttributeFunctionIndex, "nounwind", 0);
    if (pure) {
      addEnumAttribute(f, LLVMAttributeFunctionIndex, "memory", 0); // memory(none)
      addEnumAttribute(f, LLVMAttributeFunctionIndex, "willreturn", 0);
    }
    declared.put(name, f);
    return f;
  }

  /** The declaration of intrinsic {@code name} ({@code llvm.sqrt}) at the overload types {@code overloads}. */
  LLVMValueRef intrinsic(String name, List<LLVMTypeRef> overloads) {
    int id = intrinsicId(name);
    return LLVMGetIntrinsicDeclaration(module, id, array(overloads), overloads.size());
  }

  /** The function type of intrinsic {@code name} at {@code overloads}. */
  LLVMTypeRef intrinsicType(String name, List<LLVMTypeRef> overloads) {
    return LLVMIntrinsicGetType(context, intrinsicId(name), array(overloads), overloads.size());
  }

  private static int intrinsicId(String name) {
    int id = LLVMLookupIntrinsicID(name, name.length());
    if (id == 0) throw new IllegalStateException("LLVM has no intrinsic named " + name);
    return id;
  }

  // ------------------------------------------------------------------ the module

  /** The module's text (LLVM assembly). */
  String print() {
    BytePointer text = LLVMPrintModuleToString(module);
    try {
      return text.getString();
    } finally {
      LLVMDisposeMessage(text);
    }
  }

  /**
   * Checks the module with LLVM's verifier.
   *
   * @throws IllegalStateException with the verifier's report when the generated code is malformed (a bug of this backend)
   */
  void verify() {
    BytePointer message = new BytePointer();
    int broken = LLVMVerifyModule(module, LLVMReturnStatusAction, message);
    try {
      if (broken != 0) throw new IllegalStateException("the llvm backend generated an invalid LLVM module: " + message.getString());
    } finally {
      LLVMDisposeMessage(message);
    }
  }

  /** A native array of the references {@code items}; an empty list gives a null array, as the C API expects. */
  static <P extends Pointer> PointerPointer<P> array(List<? extends P> items) {
    // new PointerPointer<>(p) with one argument would cast p, not wrap it: fill an array of the size instead.
    PointerPointer<P> a = new PointerPointer<>(Math.max(items.size(), 1));
    for (int i = 0; i < items.size(); i++) a.put(i, items.get(i));
    return a;
  }
}
