package dev.halogen.backend.llvm;

import static org.bytedeco.llvm.global.LLVM.*;

import dev.halogen.ir.Buffer;
import dev.halogen.ir.LoweredModule;
import dev.halogen.ir.Parameter;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.llvm.LLVM.LLVMOrcThreadSafeContextRef;

/**
 * A lowered module compiled to machine code in the {@link Jit}: a handle on each entry point's
 * native entry, the error sites that explain its failures, and native copies of the module's
 * constants (with their descriptors), which live as long as this object.
 */
final class NativeModule {
  private static final FunctionDescriptor ENTRY = FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS);

  /** One entry point: {@code invoker} takes the argument slots and returns 0 or nonzero after a failure. */
  record Entry(EntryCode code, MethodHandle invoker) {}

  private final Map<String, Entry> entries;
  private final List<MemorySegment> constants;

  private NativeModule(Map<String, Entry> entries, List<MemorySegment> constants) {
    this.entries = entries;
    this.constants = constants;
  }

  Entry entry(String name) {
    Entry e = entries.get(name);
    if (e == null) throw new IllegalStateException("no compiled entry point " + name);
    return e;
  }

  /** The descriptors of the module's constants, in the module's order. */
  List<MemorySegment> constants() {
    return constants;
  }

  /**
   * Generates, optimizes and JIT-compiles {@code module}.
   *
   * @throws IllegalArgumentException for code this backend cannot compile, or that cannot be linked
   */
  @SuppressWarnings("restricted") // the downcall handles of the compiled entry points
  static NativeModule compile(LoweredModule module, boolean fuseMultiplyAdds) {
    Jit jit = Jit.get();
    LLVMOrcThreadSafeContextRef context = LLVMOrcCreateNewThreadSafeContext();
    try {
      Llvm llvm = new Llvm(LLVMOrcThreadSafeContextGetContext(context), module.name(), jit.host, fuseMultiplyAdds);
      List<EntryCode> code;
      try {
        code = generate(llvm, module, jit.uniquePrefix(), ParallelRuntime.PAR_FOR, PrintSites.jit());
        jit.optimize(llvm.module);
      } catch (RuntimeException | Error e) {
        LLVMDisposeModule(llvm.module);
        throw e;
      }
      long[] addresses = jit.add(context, llvm.module, code.stream().map(EntryCode::symbol).toList());
      Map<String, Entry> entries = new LinkedHashMap<>();
      for (int i = 0; i < code.size(); i++) {
        MethodHandle invoker = Linker.nativeLinker().downcallHandle(MemorySegment.ofAddress(addresses[i]), ENTRY);
        entries.put(code.get(i).entryPoint().name(), new Entry(code.get(i), invoker));
      }
      Arena arena = Arena.ofAuto();
      List<MemorySegment> constants = new ArrayList<>();
      for (Parameter.Constant c : module.constants()) {
        Buffer copy = c.buffer().copy(arena);
        constants.add(Abi.descriptor(arena, copy.segment(), copy, "constant " + c.name()));
      }
      return new NativeModule(entries, List.copyOf(constants));
    } finally {
      LLVMOrcDisposeThreadSafeContext(context); // the JIT's module keeps the context as long as it needs it
    }
  }

  /** The LLVM assembly of {@code module}, before or after optimization, as {@link #compile} would give the JIT. */
  static String assembly(LoweredModule module, boolean optimized) {
    Jit jit = Jit.get();
    LLVMOrcThreadSafeContextRef context = LLVMOrcCreateNewThreadSafeContext();
    Llvm llvm = new Llvm(LLVMOrcThreadSafeContextGetContext(context), module.name(), jit.host, false);
    try {
      // Numbered here, not registered: this code never runs.
      generate(llvm, module, "halogen.", ParallelRuntime.PAR_FOR, PrintSites.local(PrintRuntime.PRINT));
      if (optimized) jit.optimize(llvm.module);
      return llvm.print();
    } finally {
      LLVMDisposeModule(llvm.module);
      LLVMOrcDisposeThreadSafeContext(context);
    }
  }

  /**
   * Generates the functions of {@code module} into {@code llvm} (see {@link ModuleCodeGen}) and
   * checks them: an entry point {@code E} becomes {@code prefix + E}; parallel loops call {@code
   * parForSymbol}; prints call {@code prints.symbol}, with their sites added to {@code prints}.
   */
  static List<EntryCode> generate(Llvm llvm, LoweredModule module, String prefix, String parForSymbol, PrintSites prints) {
    ModuleCodeGen gen = new ModuleCodeGen(llvm, prefix, parForSymbol, prints);
    List<EntryCode> code = new ArrayList<>();
    for (LoweredModule.EntryPoint ep : Abi.denseInnermost(module).entryPoints()) code.add(gen.entry(ep, module.constants()));
    llvm.verify();
    return code;
  }
}
