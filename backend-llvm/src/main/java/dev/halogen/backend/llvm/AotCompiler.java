package dev.halogen.backend.llvm;

import static org.bytedeco.llvm.global.LLVM.*;

import dev.halogen.ir.Buffer;
import dev.halogen.ir.LoweredModule;
import dev.halogen.ir.Parameter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.llvm.LLVM.LLVMContextRef;
import org.bytedeco.llvm.LLVM.LLVMTargetMachineRef;
import org.bytedeco.llvm.LLVM.LLVMTypeRef;
import org.bytedeco.llvm.LLVM.LLVMValueRef;
import org.jspecify.annotations.Nullable;

/**
 * Ahead-of-time compilation ({@link LlvmBackend#compileToFiles}): the module's code, generated as
 * for the JIT (for the host CPU, optimized with {@code default<O3>}) but position-independent, with
 * its constants in the code's read-only data, and its C side ({@link CCode}: the runtime, the entry
 * functions, the failure messages), compiled and linked with the C compiler ({@link CCompiler}).
 *
 * <p>The generated code keeps the calling convention of the package documentation; the entry
 * function {@code E} of the C side fills its argument slots (the arguments, then the module's
 * constants, then a zeroed error area on its stack), calls the generated code, and after a failure
 * turns the error area into the thread's last message.
 */
final class AotCompiler {
  private AotCompiler() {}

  /** {@link LlvmBackend#compileToFiles}, after the checks of the target and the module. */
  static Map<OutputKind, Path> compile(LoweredModule module, Path directory, String base, Set<OutputKind> kinds, boolean fuseMultiplyAdds) {
    CCode.checkNames(module, base);
    boolean linked = kinds.contains(OutputKind.OBJECT) || kinds.contains(OutputKind.SHARED_LIBRARY);
    // Before the LLVM work, so that a missing compiler fails at once.
    @Nullable CCompiler cc = linked ? CCompiler.require("writing " + base + "'s object file or shared library") : null;
    Map<OutputKind, Path> files = new EnumMap<>(OutputKind.class);
    for (OutputKind k : kinds) files.put(k, directory.resolve(k.fileName(base)));
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException("creating the output directory " + directory, e);
    }

    Jit jit = Jit.get();
    LLVMContextRef context = LLVMContextCreate();
    Llvm llvm = new Llvm(context, module.name(), jit.host, fuseMultiplyAdds);
    LLVMTargetMachineRef tm = jit.newPicTargetMachine();
    try {
      PrintSites prints = PrintSites.local(CCode.printSymbol(base));
      List<EntryCode> code = NativeModule.generate(llvm, module, CCode.entryPrefix(base), CCode.parForSymbol(base), prints);
      for (EntryCode e : code) LLVMSetVisibility(LLVMGetNamedFunction(llvm.module, e.symbol()), LLVMHiddenVisibility);
      List<Parameter.Constant> constants = module.constants();
      for (int i = 0; i < constants.size(); i++) defineConstant(llvm, constants.get(i), CCode.constantSymbol(base, i));
      llvm.verify();
      Jit.optimize(llvm.module, tm);

      String header = CCode.header(module, base, jit.host);
      if (files.containsKey(OutputKind.LLVM_ASSEMBLY)) write(files.get(OutputKind.LLVM_ASSEMBLY), llvm.print());
      if (files.containsKey(OutputKind.ASSEMBLY)) Jit.emit(tm, llvm.module, files.get(OutputKind.ASSEMBLY), LLVMAssemblyFile);
      if (files.containsKey(OutputKind.C_HEADER)) write(files.get(OutputKind.C_HEADER), header);
      if (cc != null) {
        Path work = temporaryDirectory();
        try {
          Jit.emit(tm, llvm.module, work.resolve("code.o"), LLVMObjectFile);
          write(work.resolve(base + ".h"), header);
          write(work.resolve("module.c"), CCode.source(module, base, code, prints.messages()));
          cc.run(work, List.of("-std=c11", "-O2", "-fPIC", "-pthread", "-c", "module.c", "-o", "module.o"));
          Path library = files.get(OutputKind.SHARED_LIBRARY);
          if (library != null) {
            cc.run(work, List.of("-shared", "-pthread", "-Wl,-soname," + library.getFileName(), "-o", library.toAbsolutePath().toString(),
                "code.o", "module.o", "-lm"));
          }
          Path object = files.get(OutputKind.OBJECT);
          if (object != null) cc.run(work, List.of("-r", "-nostdlib", "-o", object.toAbsolutePath().toString(), "code.o", "module.o"));
        } finally {
          deleteTree(work);
        }
      }
      return files;
    } finally {
      LLVMDisposeTargetMachine(tm);
      LLVMDisposeModule(llvm.module);
      LLVMContextDispose(context);
    }
  }

  /**
   * Defines constant {@code c} in the generated code: its elements (dense, the first dimension
   * innermost) as private read-only data, and its descriptor as the hidden read-only global {@code
   * symbol}, which the C side passes to the entry points.
   */
  private static void defineConstant(Llvm llvm, Parameter.Constant c, String symbol) {
    Buffer dense = c.buffer().copy();
    byte[] bytes = dense.toLittleEndianBytes();
    BytePointer memory = new BytePointer(Math.max(bytes.length, 1));
    memory.put(bytes);
    LLVMValueRef elements = LLVMConstStringInContext2(llvm.context, memory, bytes.length, 1); // 1: no NUL after them
    LLVMValueRef data = LLVMAddGlobal(llvm.module, LLVMTypeOf(elements), symbol + ".data");
    LLVMSetInitializer(data, elements);
    LLVMSetGlobalConstant(data, 1);
    LLVMSetLinkage(data, LLVMPrivateLinkage);
    LLVMSetAlignment(data, 64);

    LLVMTypeRef dimType = LLVMArrayType2(llvm.i32, 3);
    List<LLVMValueRef> dims = new ArrayList<>();
    for (int d = 0; d < dense.dimensions(); d++) {
      List<LLVMValueRef> fields = List.of(llvm.i32(dense.min(d)), llvm.i32(dense.extent(d)), llvm.i32(Abi.stride(dense, d, "constant " + c.name())));
      dims.add(LLVMConstArray2(llvm.i32, Llvm.array(fields), 3));
    }
    List<LLVMValueRef> fields = List.of(data, llvm.i32(dense.dimensions()), llvm.i32(0), LLVMConstArray2(dimType, Llvm.array(dims), dims.size()));
    LLVMValueRef descriptor = LLVMConstStructInContext(llvm.context, Llvm.array(fields), fields.size(), 0);
    LLVMValueRef g = LLVMAddGlobal(llvm.module, LLVMTypeOf(descriptor), symbol);
    LLVMSetInitializer(g, descriptor);
    LLVMSetGlobalConstant(g, 1);
    LLVMSetAlignment(g, 8);
    LLVMSetVisibility(g, LLVMHiddenVisibility);
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("writing " + file, e);
    }
  }

  private static Path temporaryDirectory() {
    try {
      return Files.createTempDirectory("halogen-aot-");
    } catch (IOException e) {
      throw new UncheckedIOException("creating a temporary directory for the C compiler", e);
    }
  }

  /** Removes {@code dir} and what is in it, as far as it can: what stays in the temporary directory harms nothing, and an exception here would hide the one that ended the compilation. */
  private static void deleteTree(Path dir) {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) p.toFile().delete();
    } catch (IOException | UncheckedIOException e) {
      // see above
    }
  }
}
