package dev.halogen.backend.llvm;

import static org.bytedeco.llvm.global.LLVM.*;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.llvm.LLVM.LLVMErrorRef;
import org.bytedeco.llvm.LLVM.LLVMJITEvaluatedSymbol;
import org.bytedeco.llvm.LLVM.LLVMJITSymbolFlags;
import org.bytedeco.llvm.LLVM.LLVMModuleRef;
import org.bytedeco.llvm.LLVM.LLVMOrcCSymbolMapPair;
import org.bytedeco.llvm.LLVM.LLVMOrcDefinitionGeneratorRef;
import org.bytedeco.llvm.LLVM.LLVMOrcErrorReporterFunction;
import org.bytedeco.llvm.LLVM.LLVMOrcJITDylibRef;
import org.bytedeco.llvm.LLVM.LLVMOrcLLJITBuilderRef;
import org.bytedeco.llvm.LLVM.LLVMOrcLLJITRef;
import org.bytedeco.llvm.LLVM.LLVMOrcThreadSafeContextRef;
import org.bytedeco.llvm.LLVM.LLVMPassBuilderOptionsRef;
import org.bytedeco.llvm.LLVM.LLVMTargetDataRef;
import org.bytedeco.llvm.LLVM.LLVMTargetMachineRef;
import org.bytedeco.llvm.LLVM.LLVMTargetRef;

/**
 * The process's one ORC LLJIT: compiles LLVM modules for the host and hands out the addresses of
 * their functions. Code added here stays for the life of the process.
 *
 * <p>Symbols the generated code calls resolve, in order, to the runtime entries defined here
 * ({@link ParallelRuntime}) and to the symbols of the process (the C library's {@code malloc}, the
 * math library's {@code sin}, ...). Building and optimizing a module happens on the caller's thread
 * in the module's own context, in parallel with other compilations; adding it to the JIT and
 * looking up its symbols (which generates its machine code) is serialized.
 */
final class Jit {
  private static final class Holder {
    static final Jit INSTANCE = new Jit();
  }

  final HostTarget host;
  private final LLVMTargetRef target;
  private final LLVMOrcLLJITRef jit;
  private final LLVMOrcJITDylibRef dylib;
  private final AtomicLong modules = new AtomicLong();
  /** Errors the JIT reports outside a call's result (such as symbols not found), collected during the current {@link #add}. */
  private final StringBuilder sessionErrors = new StringBuilder();
  private final LLVMOrcErrorReporterFunction reporter;

  static Jit get() {
    return Holder.INSTANCE;
  }

  private Jit() {
    LLVMInitializeNativeTarget();
    LLVMInitializeNativeAsmPrinter();
    String triple = string(LLVMGetDefaultTargetTriple());
    BytePointer error = new BytePointer();
    PointerPointer<LLVMTargetRef> found = new PointerPointer<>(1);
    if (LLVMGetTargetFromTriple(triple, found, error) != 0) {
      throw new IllegalStateException("LLVM has no target for the host triple " + triple + ": " + string(error));
    }
    target = found.get(LLVMTargetRef.class, 0);
    String cpu = string(LLVMGetHostCPUName());
    String features = string(LLVMGetHostCPUFeatures());
    LLVMTargetMachineRef probe = LLVMCreateTargetMachine(target, triple, cpu, features, LLVMCodeGenLevelAggressive,
        LLVMRelocDefault, LLVMCodeModelJITDefault);
    LLVMTargetDataRef layout = LLVMCreateTargetDataLayout(probe);
    String dataLayout = string(LLVMCopyStringRepOfTargetData(layout));
    LLVMDisposeTargetData(layout);
    LLVMDisposeTargetMachine(probe);
    host = new HostTarget(triple, cpu, features, dataLayout);

    LLVMOrcLLJITBuilderRef builder = LLVMOrcCreateLLJITBuilder();
    LLVMOrcLLJITBuilderSetJITTargetMachineBuilder(builder, LLVMOrcJITTargetMachineBuilderCreateFromTargetMachine(newTargetMachine()));
    jit = new LLVMOrcLLJITRef();
    check(LLVMOrcCreateLLJIT(jit, builder), "creating the LLJIT");
    reporter = new LLVMOrcErrorReporterFunction() {
      @Override
      public void call(Pointer context, LLVMErrorRef err) {
        String message = errorMessage(err);
        synchronized (sessionErrors) {
          sessionErrors.append(sessionErrors.isEmpty() ? "" : "; ").append(message);
        }
      }
    };
    LLVMOrcExecutionSessionSetErrorReporter(LLVMOrcLLJITGetExecutionSession(jit), reporter, null);
    dylib = LLVMOrcLLJITGetMainJITDylib(jit);
    defineRuntime();
    LLVMOrcDefinitionGeneratorRef process = new LLVMOrcDefinitionGeneratorRef();
    check(LLVMOrcCreateDynamicLibrarySearchGeneratorForProcess(process, LLVMOrcLLJITGetGlobalPrefix(jit), null, null),
        "searching the process's symbols");
    LLVMOrcJITDylibAddGenerator(dylib, process);
  }

  /** Defines the runtime entries ({@link ParallelRuntime}, {@link PrintRuntime}) as absolute symbols of the main library. */
  private void defineRuntime() {
    List<String> names = List.of(ParallelRuntime.PAR_FOR, PrintRuntime.PRINT);
    List<Long> addresses = List.of(ParallelRuntime.PAR_FOR_ENTRY.address(), PrintRuntime.PRINT_ENTRY.address());
    LLVMOrcCSymbolMapPair pairs = new LLVMOrcCSymbolMapPair(names.size());
    LLVMJITSymbolFlags flags = new LLVMJITSymbolFlags();
    flags.GenericFlags((byte) (LLVMJITSymbolGenericFlagsExported | LLVMJITSymbolGenericFlagsCallable));
    flags.TargetFlags((byte) 0);
    for (int i = 0; i < names.size(); i++) {
      LLVMJITEvaluatedSymbol symbol = new LLVMJITEvaluatedSymbol();
      symbol.Address(addresses.get(i));
      symbol.Flags(flags);
      LLVMOrcCSymbolMapPair pair = pairs.getPointer(i);
      pair.Name(LLVMOrcLLJITMangleAndIntern(jit, names.get(i)));
      pair.Sym(symbol);
    }
    check(LLVMOrcJITDylibDefine(dylib, LLVMOrcAbsoluteSymbols(pairs, names.size())), "defining the runtime symbols");
  }

  /** A prefix that makes the symbols of one module unique in the JIT: {@code halogen.7.}. */
  String uniquePrefix() {
    return "halogen." + modules.incrementAndGet() + ".";
  }

  /** A target machine for the host, at the highest optimization level, for JIT code; the caller disposes it. */
  LLVMTargetMachineRef newTargetMachine() {
    return LLVMCreateTargetMachine(target, host.triple(), host.cpu(), host.features(), LLVMCodeGenLevelAggressive,
        LLVMRelocDefault, LLVMCodeModelJITDefault);
  }

  /**
   * A target machine for the host, at the highest optimization level, that makes position-independent
   * code: what object files for shared libraries (and for executables, which are PIE) need. The
   * caller disposes it.
   */
  LLVMTargetMachineRef newPicTargetMachine() {
    return LLVMCreateTargetMachine(target, host.triple(), host.cpu(), host.features(), LLVMCodeGenLevelAggressive,
        LLVMRelocPIC, LLVMCodeModelDefault);
  }

  /** Runs LLVM's standard {@code default<O3>} pipeline on {@code module} for the host, with the loop and SLP vectorizers (as clang's -O3). */
  void optimize(LLVMModuleRef module) {
    LLVMTargetMachineRef tm = newTargetMachine();
    try {
      optimize(module, tm);
    } finally {
      LLVMDisposeTargetMachine(tm);
    }
  }

  /** {@link #optimize(LLVMModuleRef)} for the target machine {@code tm}. */
  static void optimize(LLVMModuleRef module, LLVMTargetMachineRef tm) {
    LLVMPassBuilderOptionsRef options = LLVMCreatePassBuilderOptions();
    LLVMPassBuilderOptionsSetLoopVectorization(options, 1);
    LLVMPassBuilderOptionsSetSLPVectorization(options, 1);
    try {
      check(LLVMRunPasses(module, "default<O3>", tm, options), "optimizing");
    } finally {
      LLVMDisposePassBuilderOptions(options);
    }
  }

  /**
   * Writes the machine code of {@code module} for {@code tm} to {@code file}: an object file, or
   * assembly ({@code fileType} {@code LLVMObjectFile} or {@code LLVMAssemblyFile}). Code generation
   * changes the module it runs on, so it runs on a copy: {@code module} stays as it was.
   */
  static void emit(LLVMTargetMachineRef tm, LLVMModuleRef module, Path file, int fileType) {
    LLVMModuleRef copy = LLVMCloneModule(module);
    BytePointer error = new BytePointer();
    try {
      if (LLVMTargetMachineEmitToFile(tm, copy, file.toString(), fileType, error) != 0) {
        throw new IllegalStateException("LLVM failed writing " + file + ": " + error.getString());
      }
    } finally {
      if (!error.isNull()) LLVMDisposeMessage(error);
      LLVMDisposeModule(copy);
    }
  }

  /**
   * Adds {@code module} (of context {@code context}, both given up to the JIT) and returns the
   * addresses of its functions {@code symbols}, in order, compiling it to machine code.
   *
   * @throws IllegalArgumentException when the module cannot be linked (a symbol it calls is not in the process)
   */
  long[] add(LLVMOrcThreadSafeContextRef context, LLVMModuleRef module, List<String> symbols) {
    synchronized (this) {
      sessionErrors.setLength(0);
      check(LLVMOrcLLJITAddLLVMIRModule(jit, dylib, LLVMOrcCreateNewThreadSafeModule(module, context)), "adding a module");
      long[] addresses = new long[symbols.size()];
      long[] one = new long[1];
      for (int i = 0; i < addresses.length; i++) {
        LLVMErrorRef e = LLVMOrcLLJITLookup(jit, one, symbols.get(i));
        if (e != null && !e.isNull()) {
          String detail = errorMessage(e);
          synchronized (sessionErrors) {
            if (!sessionErrors.isEmpty()) detail = sessionErrors + " (" + detail + ")";
          }
          throw new IllegalArgumentException("the llvm backend could not link the generated code: " + detail);
        }
        addresses[i] = one[0];
      }
      return addresses;
    }
  }

  private static void check(LLVMErrorRef e, String what) {
    if (e != null && !e.isNull()) throw new IllegalStateException("LLVM failed " + what + ": " + errorMessage(e));
  }

  /** The message of {@code e}, which is consumed. */
  private static String errorMessage(LLVMErrorRef e) {
    BytePointer m = LLVMGetErrorMessage(e);
    try {
      return m.getString();
    } finally {
      LLVMDisposeErrorMessage(m);
    }
  }

  private static String string(BytePointer p) {
    try {
      return p.getString();
    } finally {
      LLVMDisposeMessage(p);
    }
  }
}
