package dev.halogen.backend.llvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.halogen.backend.llvm.Differential.Outcome;
import dev.halogen.ir.Buffer;
import dev.halogen.ir.LoweredModule;
import dev.halogen.ir.LoweredModule.Argument;
import dev.halogen.ir.LoweredModule.ArgumentKind;
import dev.halogen.ir.LoweredModule.EntryPoint;
import dev.halogen.passes.Arguments;
import dev.halogen.passes.Target;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * An entry point compiled ahead of time into a shared library, and a C program, compiled against
 * the library's header, that calls it the way a user's program would: it reads the arguments from a
 * file (each buffer's mins, extents and dense elements; each scalar's 8-byte slot), makes a {@code
 * halogen_buffer_t} for each buffer, calls the entry point's function, prints {@code ok} or {@code
 * failed: } and the message of {@code NAME_last_error()}, and writes every buffer's elements to
 * another file.
 */
final class AotProgram {
  private final EntryPoint entry;
  private final Path dir;
  private final String base;
  private int runs;

  private AotProgram(EntryPoint entry, Path dir, String base) {
    this.entry = entry;
    this.dir = dir;
    this.base = base;
  }

  private static final String NO_COMPILER = "no C compiler (CC, cc, gcc or clang): the C programs of the ahead-of-time tests cannot be built";

  /** The C compiler, or the calling test is skipped with the reason. */
  static CCompiler compiler() {
    var cc = CCompiler.find();
    Assumptions.assumeTrue(cc.isPresent(), NO_COMPILER);
    return cc.orElseThrow();
  }

  /**
   * Whether the C programs can be built, for tests that check the JIT and also, where they can, the
   * library: without a C compiler they say so on the standard error and check only the JIT.
   */
  static boolean canBuild() {
    if (CCompiler.find().isPresent()) return true;
    System.err.println("skipping the ahead-of-time part of a test: " + NO_COMPILER);
    return false;
  }

  /** Compiles entry point {@code entry} of {@code module} as library {@code libNAME.so} into {@code dir}, and the program {@code dir/NAME_main}. */
  static AotProgram build(LoweredModule module, EntryPoint entry, Path dir, String base) {
    CCompiler cc = compiler();
    new LlvmBackend().compileToFiles(module, Target.of("llvm"), dir, base, Set.of(OutputKind.SHARED_LIBRARY, OutputKind.C_HEADER));
    write(dir.resolve(base + "_main.c"), mainSource(entry, base));
    cc.run(dir, List.of("-std=c11", "-Wall", "-Wextra", "-Werror", "-I", dir.toString(), "-o", base + "_main", base + "_main.c",
        "-L", dir.toString(), "-l" + base, "-Wl,-rpath," + dir));
    return new AotProgram(entry, dir, base);
  }

  /** Runs the program with {@code args} (buffers, which it updates, and scalars); the outcome has the buffers after the run. */
  Outcome run(Map<String, Object> args) {
    Arguments checked = Arguments.of(entry, args);
    ByteArrayOutputStream input = new ByteArrayOutputStream();
    List<Argument> declared = entry.arguments();
    for (Argument a : declared) {
      if (a.kind() == ArgumentKind.SCALAR) {
        MemorySegment slot = MemorySegment.ofArray(new long[1]); // 8-aligned, as Abi.writeScalar needs
        Abi.writeScalar(slot, 0, a, checked.scalar(a.name()));
        input.writeBytes(slot.toArray(ValueLayout.JAVA_BYTE));
      } else {
        Buffer b = checked.buffer(a.name());
        ByteBuffer bounds = ByteBuffer.allocate(8 * b.dimensions()).order(ByteOrder.LITTLE_ENDIAN);
        for (int d = 0; d < b.dimensions(); d++) bounds.putInt(b.min(d)).putInt(b.extent(d));
        input.writeBytes(bounds.array());
        input.writeBytes(b.toLittleEndianBytes());
      }
    }
    int n = ++runs;
    Path in = dir.resolve(base + "_in" + n);
    Path out = dir.resolve(base + "_out" + n);
    try {
      Files.write(in, input.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String stdout = execute(List.of(dir.resolve(base + "_main").toString(), in.toString(), out.toString()), dir);
    byte[] elements;
    try {
      elements = Files.readAllBytes(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, Buffer> buffers = new LinkedHashMap<>();
    int at = 0;
    for (Argument a : declared) {
      if (a.kind() == ArgumentKind.SCALAR) continue;
      Buffer b = checked.buffer(a.name());
      int size = (int) (b.elementCount() * b.type().bytes());
      b.segment().copyFrom(MemorySegment.ofArray(elements).asSlice(at, size)); // the harness's buffers are dense
      buffers.put(a.name(), b);
      at += size;
    }
    assertEquals(elements.length, at, "the bytes the C program wrote");
    if (stdout.equals("ok")) return new Outcome(buffers, null);
    if (stdout.startsWith("failed: ")) return new Outcome(buffers, stdout.substring("failed: ".length()));
    return fail("the C program printed neither ok nor failed: " + stdout);
  }

  /** Program {@code name} on the {@code PATH}, or the calling test is skipped, saying that {@code what} needs it. */
  static Path onPath(String name, String what) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (d.isEmpty()) continue;
      Path p = Path.of(d, name);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) return p;
    }
    Assumptions.abort("no " + name + " on the PATH: " + what + " cannot run");
    throw new AssertionError("unreachable: abort throws");
  }

  /** Runs {@code command} in {@code dir}; returns its standard output; fails the test when it exits with nonzero or prints to its standard error. */
  static String execute(List<String> command, Path dir) {
    try {
      Path err = Files.createTempFile(dir, "stderr", ".txt");
      Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectError(err.toFile()).start();
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(2, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        fail("did not end in 2 minutes: " + command);
      }
      String error = Files.readString(err);
      if (p.exitValue() != 0 || !error.isEmpty()) {
        fail(command + " exited with " + p.exitValue() + "; standard error: " + error + "; standard output: " + new String(out, StandardCharsets.UTF_8));
      }
      return new String(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static void write(Path file, String text) {
    try {
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The C program: reads the arguments, calls the entry point, reports, writes the buffers. */
  private static String mainSource(EntryPoint entry, String base) {
    StringBuilder c = new StringBuilder();
    c.append("""
        #include <stdio.h>
        #include <stdlib.h>
        #include <string.h>
        #include "%s.h"

        static void read_bytes(FILE *f, void *p, size_t n) {
          if (fread(p, 1, n, f) != n) {
            fprintf(stderr, "the input file ends early\\n");
            exit(2);
          }
        }

        /* A buffer of dims dimensions and elements of size bytes: its mins and extents, then its dense elements. */
        static halogen_buffer_t *read_buffer(FILE *f, int dims, size_t size) {
          halogen_buffer_t *b = malloc(sizeof(halogen_buffer_t) + (size_t) dims * sizeof(halogen_dimension_t));
          size_t count = 1;
          b->dimensions = dims;
          b->reserved = 0;
          for (int d = 0; d < dims; d++) {
            int32_t bounds[2];
            read_bytes(f, bounds, sizeof bounds);
            b->dim[d].min = bounds[0];
            b->dim[d].extent = bounds[1];
            b->dim[d].stride = (int32_t) count;
            count *= (size_t) bounds[1];
          }
          b->host = malloc(count * size + 1);
          read_bytes(f, b->host, count * size);
          return b;
        }

        static void write_buffer(FILE *f, const halogen_buffer_t *b, size_t size) {
          size_t count = 1;
          for (int d = 0; d < b->dimensions; d++) count *= (size_t) b->dim[d].extent;
          if (fwrite(b->host, size, count, f) != count) exit(3);
        }

        int main(int argc, char **argv) {
          if (argc != 3) return 4;
          FILE *in = fopen(argv[1], "rb");
          if (in == NULL) return 5;
        """.formatted(base));
    List<Argument> args = entry.arguments();
    List<String> call = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      Argument a = args.get(i);
      String v = "a" + i;
      call.add(v);
      if (a.kind() == ArgumentKind.SCALAR) {
        String type = switch (a.type().code()) {
          case BOOL -> "bool";
          case INT -> "int" + a.type().bits() + "_t";
          case UINT -> "uint" + a.type().bits() + "_t";
          case FLOAT -> a.type().bits() == 16 ? "uint16_t" : a.type().bits() == 32 ? "float" : "double";
          case HANDLE -> "void *";
        };
        c.append("  uint64_t s").append(i).append(";\n");
        c.append("  read_bytes(in, &s").append(i).append(", 8);\n");
        c.append("  ").append(type).append(' ').append(v).append(";\n");
        c.append("  memcpy(&").append(v).append(", &s").append(i).append(", sizeof ").append(v).append(");\n");
      } else {
        c.append("  halogen_buffer_t *").append(v).append(" = read_buffer(in, ").append(a.dimensions()).append(", ")
            .append(a.type().bytes()).append(");\n");
      }
    }
    c.append("  fclose(in);\n");
    c.append("  int32_t result = ").append(entry.name()).append('(').append(String.join(", ", call)).append(");\n");
    c.append("  if (result == 0) printf(\"ok\");\n");
    c.append("  else printf(\"failed: %s\", ").append(base).append("_last_error());\n");
    c.append("  FILE *out = fopen(argv[2], \"wb\");\n");
    c.append("  if (out == NULL) return 6;\n");
    for (int i = 0; i < args.size(); i++) {
      Argument a = args.get(i);
      if (a.kind() != ArgumentKind.SCALAR) c.append("  write_buffer(out, a").append(i).append(", ").append(a.type().bytes()).append(");\n");
    }
    c.append("  fclose(out);\n");
    c.append("  return 0;\n}\n");
    return c.toString();
  }
}
