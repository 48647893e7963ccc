package dev.halogen.backend.llvm;

import static org.bytedeco.llvm.global.LLVM.LLVMIntNE;

import dev.halogen.ir.LoweredModule;
import dev.halogen.ir.LoweredModule.Argument;
import dev.halogen.ir.LoweredModule.EntryPoint;
import dev.halogen.ir.Parameter;
import dev.halogen.ir.Stmt.For;
import dev.halogen.ir.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.bytedeco.llvm.LLVM.LLVMTypeRef;
import org.bytedeco.llvm.LLVM.LLVMValueRef;

/**
 * The functions of one LLVM module: for each entry point, the native entry {@code int32
 * PREFIX.NAME(ptr args)} of the calling convention (see the package documentation), which unpacks
 * the argument slots and calls the body function; and for each parallel loop, a task {@code int32
 * (ptr closure, int32 lo, int32 count)} for {@link ParallelRuntime}, which unpacks the closure and
 * calls the loop's body function. The body functions are internal, so LLVM inlines them into their
 * one caller, turning their {@code noalias} parameters into alias information of the loads and
 * stores.
 */
final class ModuleCodeGen {
  /** A parallel loop's task function and the type of the closure it takes. */
  record Task(LLVMValueRef function, LLVMTypeRef closureType) {}

  final Llvm llvm;
  private final String prefix;
  private final String parForSymbol;
  /** The module's print sites and the runtime function its prints call. */
  final PrintSites prints;
  private int tasks;

  /**
   * @param prefix what the names of the module's functions start with
   * @param parForSymbol the runtime's parallel-loop function ({@link ParallelRuntime#PAR_FOR} in the JIT)
   * @param prints where the print sites go ({@link PrintSites#jit()} in the JIT)
   */
  ModuleCodeGen(Llvm llvm, String prefix, String parForSymbol, PrintSites prints) {
    this.llvm = llvm;
    this.prefix = prefix;
    this.parForSymbol = parForSymbol;
    this.prints = prints;
  }

  /** Generates entry point {@code ep} of a module with {@code constants}. */
  EntryCode entry(EntryPoint ep, List<Parameter.Constant> constants) {
    EntryCode.Sites sites = new EntryCode.Sites();
    Set<String> atomic = FunctionCodeGen.atomicallyWritten(ep.body());
    List<Scope.Env> env = new ArrayList<>();
    for (Argument a : ep.arguments()) {
      switch (a.kind()) {
        case SCALAR -> env.add(new Scope.Env.Variable(a.name(), a.type()));
        case INPUT_BUFFER, OUTPUT_BUFFER -> addBuffer(env, a.name(), a.type(), a.dimensions());
      }
    }
    for (Parameter.Constant c : constants) addBuffer(env, c.name(), c.type(), c.buffer().dimensions());
    String symbol = prefix + ep.name();
    FunctionCodeGen body = new FunctionCodeGen(this, sites, symbol + ".body", env, 0, atomic, Scope.Storage.ARGUMENT);
    body.emit(ep.body());
    body.finish();

    LLVMValueRef entry = llvm.addFunction(symbol, llvm.functionType(llvm.i32, List.of(llvm.ptr)), false);
    Builder w = new Builder(llvm, entry);
    LLVMValueRef slots = w.param(0);
    int slot = 0;
    List<LLVMValueRef> values = new ArrayList<>();
    values.add(w.load(llvm.ptr, slot(w, slots, ep.arguments().size() + constants.size()), 8)); // the error area
    for (Argument a : ep.arguments()) {
      LLVMValueRef at = slot(w, slots, slot++);
      switch (a.kind()) {
        case SCALAR -> {
          LLVMValueRef v = w.load(llvm.memoryType(a.type()), at, 8);
          values.add(a.type().isBool() ? w.icmp(LLVMIntNE, v, llvm.zero(llvm.i8)) : v); // a bool comes as a byte
        }
        case INPUT_BUFFER, OUTPUT_BUFFER -> unpackDescriptor(w, w.load(llvm.ptr, at, 8), a.dimensions(), values);
      }
    }
    for (Parameter.Constant c : constants) {
      unpackDescriptor(w, w.load(llvm.ptr, slot(w, slots, slot++), 8), c.buffer().dimensions(), values);
    }
    w.ret(w.call(bodyType(env, 0), body.function(), values));
    w.dispose();
    return new EntryCode(ep, symbol, sites.list());
  }

  /** Buffer {@code name} and its bounds variables, in the order {@link #unpackDescriptor} gives their values. */
  private static void addBuffer(List<Scope.Env> env, String name, Type type, int dimensions) {
    env.add(new Scope.Env.Buffer(name, type));
    for (var v : LoweredModule.bufferVars(name, dimensions)) env.add(new Scope.Env.Variable(v.name(), v.type()));
  }

  private LLVMValueRef slot(Builder w, LLVMValueRef slots, int i) {
    return w.gep(llvm.i64, slots, llvm.i64(i * Abi.SLOT / 8));
  }

  /** The host pointer, then min, extent and stride of each dimension, from the descriptor at {@code descriptor}. */
  private void unpackDescriptor(Builder w, LLVMValueRef descriptor, int dimensions, List<LLVMValueRef> values) {
    values.add(w.load(llvm.ptr, w.gep(llvm.i8, descriptor, llvm.i64(Abi.HOST)), 8));
    for (int d = 0; d < dimensions; d++) {
      long at = Abi.DIMS + Abi.DIM_SIZE * d;
      for (long field : new long[] {Abi.MIN, Abi.EXTENT, Abi.STRIDE}) {
        values.add(w.load(llvm.i32, w.gep(llvm.i8, descriptor, llvm.i64(at + field)), 4));
      }
    }
  }

  /** The type of a body function over {@code env} with {@code extraInts} int32 parameters after it. */
  private LLVMTypeRef bodyType(List<Scope.Env> env, int extraInts) {
    List<LLVMTypeRef> params = new ArrayList<>();
    params.add(llvm.ptr);
    params.addAll(FunctionCodeGen.envTypes(llvm, env));
    for (int i = 0; i < extraInts; i++) params.add(llvm.i32);
    return llvm.functionType(llvm.i32, params);
  }

  /**
   * The task of parallel loop {@code f}, whose code starts with {@code env} in scope: its body
   * function runs iterations {@code lo .. lo + count - 1} in order; the task function takes a
   * closure {@code {ptr errorArea, env...}}.
   */
  Task parallelTask(EntryCode.Sites sites, List<Scope.Env> env, Set<String> atomic, For f) {
    String name = prefix + f.name() + ".par" + ++tasks;
    FunctionCodeGen body = new FunctionCodeGen(this, sites, name + ".body", env, 2, atomic, Scope.Storage.CAPTURED);
    body.serial(f.name(), body.extraParam(env.size(), 0), body.extraParam(env.size(), 1), f.body());
    body.finish();

    List<LLVMTypeRef> fields = new ArrayList<>();
    fields.add(llvm.ptr);
    fields.addAll(FunctionCodeGen.envTypes(llvm, env));
    LLVMTypeRef closureType = llvm.structType(fields);
    LLVMValueRef task = llvm.addFunction(name, llvm.functionType(llvm.i32, List.of(llvm.ptr, llvm.i32, llvm.i32)), true);
    Builder w = new Builder(llvm, task);
    List<LLVMValueRef> values = new ArrayList<>();
    for (int i = 0; i < fields.size(); i++) values.add(w.load(fields.get(i), w.field(closureType, w.param(0), i), 0));
    values.add(w.param(1));
    values.add(w.param(2));
    w.ret(w.call(bodyType(env, 2), body.function(), values));
    w.dispose();
    return new Task(task, closureType);
  }

  /**
   * A call of the runtime's parallel loop ({@link ParallelRuntime} has its contract): runs {@code
   * task} over {@code [min, min + extent)}; gives 0 or the failing result.
   */
  LLVMValueRef parFor(Builder b, LLVMValueRef task, LLVMValueRef closure, LLVMValueRef min, LLVMValueRef extent) {
    LLVMTypeRef type = llvm.functionType(llvm.i32, List.of(llvm.ptr, llvm.ptr, llvm.i32, llvm.i32));
    return b.call(type, llvm.external(parForSymbol, type, false), List.of(task, closure, min, extent));
  }

  LLVMValueRef malloc(Builder b, LLVMValueRef bytes) {
    LLVMTypeRef type = llvm.functionType(llvm.ptr, List.of(llvm.i64));
    return b.call(type, llvm.external("malloc", type, false), List.of(bytes));
  }

  void free(Builder b, LLVMValueRef p) {
    LLVMTypeRef type = llvm.functionType(llvm.voidType, List.of(llvm.ptr));
    b.call(type, llvm.external("free", type, false), List.of(p));
  }
}
