package dev.halogen.backend.llvm;

import dev.halogen.backend.llvm.MessagePart.Stored;
import dev.halogen.backend.llvm.MessagePart.Text;
import dev.halogen.ir.LoweredModule;
import dev.halogen.ir.LoweredModule.Argument;
import dev.halogen.ir.LoweredModule.ArgumentKind;
import dev.halogen.ir.LoweredModule.EntryPoint;
import dev.halogen.ir.Type;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The C side of a module compiled ahead of time ({@link AotCompiler}): the header that declares the
 * buffer descriptor and one function per entry point, and the C source that goes with the
 * generated code into the object or library: the runtime ({@code halogen_runtime.c}), the entry
 * functions (which pass their arguments to the generated code in the calling convention of the
 * package documentation) and the messages of the module's failures.
 *
 * <p>Names, for base name {@code BASE}: the library exports the entry points, under their own
 * names, and {@code BASE_last_error}; the symbols that the generated code and the C source share
 * start with {@code halogen_BASE_} and are hidden (a shared library does not export them); the rest
 * of the C source is static.
 */
final class CCode {
  private CCode() {}

  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /** Keywords of C (up to C23) and C++, which cannot name a function that both can call. */
  private static final Set<String> KEYWORDS = Set.of(
      "auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else", "enum", "extern", "float", "for",
      "goto", "if", "inline", "int", "long", "register", "restrict", "return", "short", "signed", "sizeof", "static", "struct",
      "switch", "typedef", "union", "unsigned", "void", "volatile", "while", "alignas", "alignof", "bool", "constexpr", "false",
      "nullptr", "static_assert", "thread_local", "true", "typeof", "typeof_unqual", "and", "and_eq", "asm", "bitand", "bitor",
      "catch", "char8_t", "char16_t", "char32_t", "class", "compl", "concept", "consteval", "constinit", "const_cast", "co_await",
      "co_return", "co_yield", "decltype", "delete", "dynamic_cast", "explicit", "export", "friend", "mutable", "namespace", "new",
      "noexcept", "not", "not_eq", "operator", "or", "or_eq", "private", "protected", "public", "reinterpret_cast", "requires",
      "static_cast", "template", "this", "throw", "try", "typeid", "typename", "using", "virtual", "wchar_t", "xor", "xor_eq");

  /** The runtime's parallel loop, which the generated code calls. */
  static String parForSymbol(String base) {
    return "halogen_" + base + "_par_for";
  }

  /** The runtime's print function ({@code void (int64 site, const uint64_t *words)}), which the generated code calls. */
  static String printSymbol(String base) {
    return "halogen_" + base + "_print";
  }

  /** What the generated entry functions' names start with; the entry point's name follows. */
  static String entryPrefix(String base) {
    return "halogen_" + base + "_entry_";
  }

  /** The descriptor of constant {@code i} of the module, defined by the generated code. */
  static String constantSymbol(String base, int i) {
    return "halogen_" + base + "_constant_" + i;
  }

  /** The function that gives the message of the calling thread's last failure. */
  static String lastErrorFunction(String base) {
    return base + "_last_error";
  }

  /**
   * Checks that {@code base} and the names of the entry points can be C names: identifiers, not
   * keywords of C or C++, not reserved ({@code __x}, {@code _X}); entry points must not start with
   * {@code halogen_} (the runtime's prefix) or be {@code BASE_last_error}.
   *
   * @throws IllegalArgumentException naming the first name that cannot be
   */
  static void checkNames(LoweredModule module, String base) {
    checkIdentifier(base, "base name '" + base + "'");
    for (EntryPoint ep : module.entryPoints()) {
      String what = "entry point " + ep.name() + " of module " + module.name();
      checkIdentifier(ep.name(), what);
      if (ep.name().startsWith("halogen_") || ep.name().equals(lastErrorFunction(base))) {
        throw new IllegalArgumentException(what + ": the name is taken by the library's own functions (halogen_*, "
            + lastErrorFunction(base) + ")");
      }
    }
  }

  private static void checkIdentifier(String name, String what) {
    if (!IDENTIFIER.matcher(name).matches()) {
      throw new IllegalArgumentException(what + " is not a C identifier (ASCII letters, digits and _, not starting with a digit),"
          + " which ahead-of-time compilation needs for C names");
    }
    if (KEYWORDS.contains(name)) throw new IllegalArgumentException(what + " is a keyword of C or C++");
    if (name.startsWith("__") || (name.length() > 1 && name.charAt(0) == '_' && Character.isUpperCase(name.charAt(1)))) {
      throw new IllegalArgumentException(what + " is reserved in C (it starts with __ or _ and a capital letter)");
    }
  }

  // ------------------------------------------------------------------ the header

  /** The header {@code BASE.h} of {@code module}, compiled for {@code host}. */
  static String header(LoweredModule module, String base, HostTarget host) {
    String guard = "HALOGEN_" + base.toUpperCase(java.util.Locale.ROOT) + "_H";
    StringBuilder h = new StringBuilder();
    h.append("/*\n");
    h.append(" * ").append(base).append(".h: the C interface of Halogen module ").append(module.name()).append(", compiled ahead of time\n");
    h.append(" * for ").append(host.triple()).append(" (CPU ").append(host.cpu()).append("). Generated by Halogen; do not edit.\n");
    h.append(" *\n");
    h.append(" * Link with lib").append(base).append(".so (cc main.c -L DIR -l").append(base).append(") or with ").append(base)
        .append(".o (cc main.c ").append(base).append(".o -pthread -lm).\n");
    h.append(" * Parallel loops run on a pool of threads: HALOGEN_NUM_THREADS in the environment sets how many\n");
    h.append(" * (the caller's thread included), else one per processor. The pipeline's prints (print, print_when)\n");
    h.append(" * write their lines to stderr.\n");
    h.append(" */\n");
    h.append("#ifndef ").append(guard).append('\n');
    h.append("#define ").append(guard).append("\n\n");
    h.append("""
        #include <stddef.h>
        #include <stdint.h>
        #ifndef __cplusplus
        #include <stdbool.h>
        #endif

        #ifdef __cplusplus
        extern "C" {
        #endif

        #ifndef HALOGEN_BUFFER_T_DEFINED
        #define HALOGEN_BUFFER_T_DEFINED

        /* One dimension of a buffer: coordinates min .. min + extent - 1, neighbours stride elements apart. */
        typedef struct halogen_dimension_t {
          int32_t min;
          int32_t extent;
          int32_t stride;
        } halogen_dimension_t;

        /*
         * A buffer descriptor: how every entry point takes a buffer argument.
         *
         *   host        the address of the element at the mins, (dim[0].min, dim[1].min, ...). Element
         *               (c0, c1, ...) is at host + sum over d of (c_d - dim[d].min) * dim[d].stride
         *               elements. Elements are aligned to their size; a bool element is a byte, 0 or 1;
         *               a float16 element is its IEEE binary16 bits.
         *   dimensions  how many entries dim has: the argument's dimension count.
         *   reserved    0.
         *   dim         each dimension's min, extent and stride (in elements, zero or positive).
         *
         * The descriptor takes 16 + 12 * dimensions bytes, 8-aligned; HALOGEN_BUFFER(n) declares one.
         * An output buffer must not share memory with any other buffer argument of the call.
         */
        typedef struct halogen_buffer_t {
          void *host;
          int32_t dimensions;
          int32_t reserved;
          halogen_dimension_t dim[];
        } halogen_buffer_t;

        /*
         * A descriptor with room for n dimensions, to declare on the stack or statically, and to pass as
         * &name.buffer:
         *
         *   float pixels[480][640];
         *   HALOGEN_BUFFER(2) in = {.fixed = {pixels, 2, 0, {{0, 640, 1}, {0, 480, 640}}}};
         */
        #define HALOGEN_BUFFER(n) \\
          union { \\
            halogen_buffer_t buffer; \\
            struct { \\
              void *host; \\
              int32_t dimensions; \\
              int32_t reserved; \\
              halogen_dimension_t dim[n]; \\
            } fixed; \\
          }

        #ifdef __cplusplus
        #define HALOGEN_STATIC_ASSERT(condition, message) static_assert(condition, message)
        #else
        #define HALOGEN_STATIC_ASSERT(condition, message) _Static_assert(condition, message)
        #endif
        """);
    h.append("HALOGEN_STATIC_ASSERT(sizeof(void *) == ").append(Abi.SLOT).append(", \"Halogen's generated code is for 64-bit targets\");\n");
    staticAssert(h, "halogen_dimension_t", "sizeof(halogen_dimension_t) == " + Abi.DIM_SIZE,
        "offsetof(halogen_dimension_t, min) == " + Abi.MIN, "offsetof(halogen_dimension_t, extent) == " + Abi.EXTENT,
        "offsetof(halogen_dimension_t, stride) == " + Abi.STRIDE);
    staticAssert(h, "halogen_buffer_t", "sizeof(halogen_buffer_t) == " + Abi.descriptorSize(0),
        "offsetof(halogen_buffer_t, host) == " + Abi.HOST, "offsetof(halogen_buffer_t, dimensions) == " + Abi.DIMENSIONS,
        "offsetof(halogen_buffer_t, reserved) == " + Abi.RESERVED, "offsetof(halogen_buffer_t, dim) == " + Abi.DIMS);
    h.append("\n#endif /* HALOGEN_BUFFER_T_DEFINED */\n");
    for (EntryPoint ep : module.entryPoints()) entryDeclaration(h, ep, base);
    h.append("\n/*\n");
    h.append(" * The message of the last failure of a function of this library on the calling thread (\"\" when\n");
    h.append(" * there was none), as Halogen's interpreter words it; valid until the thread's next failure.\n");
    h.append(" */\n");
    h.append("const char *").append(lastErrorFunction(base)).append("(void);\n\n");
    h.append("#ifdef __cplusplus\n}\n#endif\n\n#endif /* ").append(guard).append(" */\n");
    return h.toString();
  }

  /** A static assertion that {@code type} has the layout of {@link Abi}: every one of {@code conditions}. */
  private static void staticAssert(StringBuilder h, String type, String... conditions) {
    h.append("HALOGEN_STATIC_ASSERT(").append(String.join("\n                      && ", conditions))
        .append(",\n                      \"").append(type).append(" does not have the layout of the generated code\");\n");
  }

  private static void entryDeclaration(StringBuilder h, EntryPoint ep, String base) {
    List<Argument> args = ep.arguments();
    int width = args.stream().mapToInt(a -> a.name().length()).max().orElse(0);
    h.append("\n/*\n * Entry point ").append(ep.name()).append(".\n");
    if (!args.isEmpty()) h.append(" *\n");
    for (Argument a : args) {
      h.append(" *   ").append(a.name()).append(" ".repeat(width - a.name().length() + 2)).append(describe(a)).append('\n');
    }
    h.append(" *\n");
    h.append(" * Returns 0 on success, or nonzero after a failure (an assertion of the pipeline that does not\n");
    h.append(" * hold, such as a buffer too small for what is read or written, or an allocation that failed);\n");
    h.append(" * ").append(lastErrorFunction(base)).append("() then gives the message.\n */\n");
    h.append("int32_t ").append(ep.name()).append('(');
    if (args.isEmpty()) h.append("void");
    for (int i = 0; i < args.size(); i++) {
      Argument a = args.get(i);
      h.append(i == 0 ? "\n    " : ",\n    ").append(parameterType(a)).append(" /* ").append(a.name()).append(" */");
    }
    h.append(");\n");
  }

  /** What an argument is, for the header's comments: {@code input buffer, uint8, 2 dimensions}. */
  private static String describe(Argument a) {
    return switch (a.kind()) {
      case INPUT_BUFFER -> "input buffer, " + a.type() + ", " + dimensions(a.dimensions());
      case OUTPUT_BUFFER -> "output buffer, " + a.type() + ", " + dimensions(a.dimensions());
      case SCALAR -> "scalar, " + a.type() + (a.type().isFloat() && a.type().bits() == 16 ? " (its IEEE binary16 bits)" : "");
    };
  }

  private static String dimensions(int n) {
    return n + (n == 1 ? " dimension" : " dimensions");
  }

  /** The C type of a parameter for argument {@code a}. */
  private static String parameterType(Argument a) {
    return switch (a.kind()) {
      case INPUT_BUFFER -> "const halogen_buffer_t *";
      case OUTPUT_BUFFER -> "halogen_buffer_t *";
      case SCALAR -> scalarType(a.type());
    };
  }

  /** The C type of a scalar of {@code t}; float16 has none in standard C, so it goes as its bits. */
  private static String scalarType(Type t) {
    return switch (t.code()) {
      case BOOL -> "bool";
      case INT -> "int" + t.bits() + "_t";
      case UINT -> "uint" + t.bits() + "_t";
      case FLOAT -> switch (t.bits()) {
        case 16 -> "uint16_t";
        case 32 -> "float";
        default -> "double";
      };
      case HANDLE -> "void *";
    };
  }

  // ------------------------------------------------------------------ the source

  /**
   * The C source of {@code module}, whose generated entry points are {@code code} and whose print
   * sites have the messages {@code prints} (numbered from 0), for a compilation directory that holds
   * its header as {@code BASE.h}.
   */
  static String source(LoweredModule module, String base, List<EntryCode> code, List<List<MessagePart>> prints) {
    StringBuilder c = new StringBuilder();
    c.append("/* The C part of Halogen module ").append(module.name()).append(" (").append(base)
        .append("): runtime, entry functions, failure messages. Generated by Halogen. */\n");
    c.append("#define _POSIX_C_SOURCE 200809L\n");
    c.append("#include \"").append(base).append(".h\"\n");
    c.append("#define HALOGEN_PAR_FOR ").append(parForSymbol(base)).append("\n\n");
    c.append(runtime());
    c.append("\n/* ------------------------------------------------------------------ the module */\n\n");
    for (int i = 0; i < module.constants().size(); i++) {
      c.append("/* constant ").append(module.constants().get(i).name()).append(" */\n");
      c.append("HALOGEN_HIDDEN extern const halogen_buffer_t ").append(constantSymbol(base, i)).append(";\n");
    }
    for (EntryCode e : code) entryDefinition(c, e, base, module.constants().size());
    printDefinition(c, base, prints);
    c.append("\nHALOGEN_EXPORT const char *").append(lastErrorFunction(base)).append("(void) {\n");
    c.append("  return halogen_last_error();\n}\n");
    return c.toString();
  }

  /** The print function of the module: the line of each print site, written as {@link MessagePart#render} does. */
  private static void printDefinition(StringBuilder c, String base, List<List<MessagePart>> prints) {
    c.append("\n/* the lines of the module's prints */\n");
    c.append("static void halogen_print_message(halogen_text *t, int32_t site, const uint64_t *w) {\n");
    c.append("  (void) t;\n  (void) w;\n");
    c.append("  switch (site) {\n");
    for (int i = 0; i < prints.size(); i++) {
      c.append("    case ").append(i).append(":\n");
      for (MessagePart p : prints.get(i)) part(c, p);
      c.append("      return;\n");
    }
    c.append("  }\n}\n\n");
    c.append("HALOGEN_HIDDEN void ").append(printSymbol(base)).append("(int64_t site, const uint64_t *w) {\n");
    c.append("  halogen_print_line(halogen_print_message, (int32_t) site, w);\n}\n");
  }

  private static void entryDefinition(StringBuilder c, EntryCode e, String base, int constants) {
    EntryPoint ep = e.entryPoint();
    String name = ep.name();
    List<Argument> args = ep.arguments();
    c.append("\n/* entry point ").append(name).append(" */\n");
    c.append("HALOGEN_HIDDEN int32_t ").append(e.symbol()).append("(void **args);\n\n");

    c.append("static void halogen_describe_").append(name).append("(halogen_text *t, int32_t code, const uint64_t *w) {\n");
    c.append("  (void) w;\n");
    c.append("  switch (code) {\n");
    List<ErrorSite> sites = e.sites();
    for (int i = 0; i < sites.size(); i++) {
      c.append("    case ").append(i + 1).append(":\n");
      for (MessagePart p : sites.get(i).message()) part(c, p);
      c.append("      return;\n");
    }
    c.append("  }\n");
    c.append("  halogen_text_unknown(t, code);\n");
    c.append("}\n\n");

    int slots = args.size() + constants + 1;
    c.append("HALOGEN_EXPORT int32_t ").append(name).append('(');
    if (args.isEmpty()) c.append("void");
    for (int i = 0; i < args.size(); i++) {
      String type = parameterType(args.get(i));
      c.append(i == 0 ? "" : ", ").append(type).append(type.endsWith("*") ? "a" : " a").append(i);
    }
    c.append(") {\n");
    c.append("  uint64_t error[1 + ").append(e.errorSlots()).append("]; /* the int32 code, then the values */\n");
    c.append("  uint64_t args[").append(slots).append("];\n");
    c.append("  memset(error, 0, sizeof error);\n");
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).kind() == ArgumentKind.SCALAR) {
        c.append("  args[").append(i).append("] = 0;\n");
        c.append("  memcpy(&args[").append(i).append("], &a").append(i).append(", sizeof a").append(i).append(");\n");
      } else {
        c.append("  args[").append(i).append("] = (uint64_t) (uintptr_t) a").append(i).append(";\n");
      }
    }
    for (int j = 0; j < constants; j++) {
      c.append("  args[").append(args.size() + j).append("] = (uint64_t) (uintptr_t) &").append(constantSymbol(base, j)).append(";\n");
    }
    c.append("  args[").append(slots - 1).append("] = (uint64_t) (uintptr_t) error;\n");
    c.append("  int32_t result = ").append(e.symbol()).append("((void **) args);\n");
    c.append("  if (result != 0) halogen_record_failure(halogen_describe_").append(name).append(", error);\n");
    c.append("  return result;\n");
    c.append("}\n");
  }

  /** The C statements that write message part {@code p}. */
  private static void part(StringBuilder c, MessagePart p) {
    switch (p) {
      case Text(String text) -> {
        if (!text.isEmpty()) text(c, text);
      }
      case Stored(int word, Type type) -> {
        if (type.isScalar()) {
          lane(c, word, type);
        } else {
          text(c, "[");
          for (int i = 0; i < type.lanes(); i++) {
            if (i > 0) text(c, ", ");
            lane(c, word + i, type.element());
          }
          text(c, "]");
        }
      }
    }
  }

  private static void text(StringBuilder c, String text) {
    c.append("      halogen_text_bytes(t, ").append(literal(text)).append(", ")
        .append(text.getBytes(StandardCharsets.UTF_8).length).append(");\n");
  }

  private static void lane(StringBuilder c, int word, Type t) {
    String w = "w[" + word + "]";
    c.append("      ").append(switch (t.code()) {
      case BOOL -> "halogen_text_bool(t, " + w + ")";
      case INT -> "halogen_text_int(t, " + w + ")";
      case UINT -> "halogen_text_uint(t, " + w + ")";
      case FLOAT -> "halogen_text_real(t, " + w + ", " + (t.bits() == 64 ? 0 : 1) + ")";
      case HANDLE -> "halogen_text_handle(t, " + w + ")";
    }).append(";\n");
  }

  /**
   * A C string literal of {@code s} in UTF-8: printable ASCII as it is, except {@code "}, {@code \}
   * and {@code ?} (which could start a trigraph), escaped; every other byte in three octal digits.
   */
  static String literal(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
      int ch = x & 0xff;
      if (ch == '"' || ch == '\\' || ch == '?') b.append('\\').append((char) ch);
      else if (ch >= 0x20 && ch < 0x7f) b.append((char) ch);
      else b.append('\\').append((char) ('0' + (ch >> 6))).append((char) ('0' + ((ch >> 3) & 7))).append((char) ('0' + (ch & 7)));
    }
    return b.append('"').toString();
  }

  /** The runtime's C source, a resource next to this class. */
  private static String runtime() {
    try (InputStream in = CCode.class.getResourceAsStream("halogen_runtime.c")) {
      if (in == null) throw new IllegalStateException("the resource halogen_runtime.c of the llvm backend is missing");
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("reading the resource halogen_runtime.c of the llvm backend", e);
    }
  }
}
