package dev.halogen.ir.text;

import dev.halogen.ir.Dim;
import dev.halogen.ir.DeviceApi;
import dev.halogen.ir.Expr;
import dev.halogen.ir.ForKind;
import dev.halogen.ir.ReductionDomain;
import dev.halogen.ir.Type;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Spellings shared by the printer and the parser, so that the two cannot disagree. */
final class Syntax {
  private Syntax() {}

  /**
   * Words that cannot be written bare as names, because a name in the same place would be
   * ambiguous. A name equal to one of them is written in backquotes ({@code `min`}). Words that
   * only appear where no name can ({@code in}, {@code on}, {@code where}, {@code rvar}, loop kinds
   * inside {@code loops(...)}, schedule directives inside {@code schedule {...}}) are not reserved.
   */
  static final Set<String> KEYWORDS = Set.of(
      // literals
      "true", "false", "nan_f16", "nan_f32", "nan_f64", "inf_f16", "inf_f32", "inf_f64",
      // expression forms
      "min", "max", "select", "cast", "let", "ramp", "broadcast", "vector_reduce",
      // explicitly typed names and declarations
      "var", "func", "image", "buffer", "load", "extern", "math", "intrinsic",
      // statements
      "assert", "produce", "consume", "for", "serial", "parallel", "vectorized", "unrolled", "gpu_block",
      "gpu_thread", "gpu_lane", "realize", "allocate", "free", "if", "else", "evaluate", "atomic", "block",
      // items of a func body, where a definition f(...) = ... may also start
      "over", "schedule", "compute_root", "compute_inline", "compute_at", "store_root", "store_inline", "store_at",
      "bound", "estimate", "store_in");

  /** A name as written: bare, or in backquotes when it is a keyword. */
  static String name(String name) {
    return KEYWORDS.contains(name) ? "`" + name + "`" : name;
  }

  // The character classes of dev.halogen.ir.Check.isName, which every IR name satisfies.
  static boolean isNameStart(char c) {
    return Character.isLetter(c) || c == '_';
  }

  static boolean isNamePart(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '$';
  }

  static boolean isName(String s) {
    if (s.isEmpty() || !isNameStart(s.charAt(0))) return false;
    for (int i = 1; i < s.length(); i++) if (!isNamePart(s.charAt(i))) return false;
    return true;
  }

  // ------------------------------------------------------------------ enums

  /** An enum constant in lower case: {@code GPU_BLOCK} is {@code gpu_block}. */
  static String spell(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }

  /** The constant spelled {@code word}, or null. */
  static <E extends Enum<E>> @Nullable E enumNamed(Class<E> type, String word) {
    for (E e : type.getEnumConstants()) if (spell(e).equals(word)) return e;
    return null;
  }

  /** The spellings of all constants, for error messages: {@code "heap, stack or register"}. */
  static String spellings(Class<? extends Enum<?>> type) {
    List<String> words = new ArrayList<>();
    for (Enum<?> e : type.getEnumConstants()) words.add(spell(e));
    return String.join(", ", words.subList(0, words.size() - 1)) + " or " + words.getLast();
  }

  /** A type list: {@code float32} for one type, {@code (int32, float32)} for a tuple. */
  static String types(List<Type> types) {
    if (types.size() == 1) return types.getFirst().toString();
    List<String> parts = new ArrayList<>();
    for (Type t : types) parts.add(t.toString());
    return "(" + String.join(", ", parts) + ")";
  }

  // ------------------------------------------------------------------ literals

  /** The integer literal suffix of a type other than int32: {@code i8}, {@code u64}. */
  static String intSuffix(Type t) {
    return (t.isInt() ? "i" : "u") + t.bits();
  }

  /** The float literal suffix: {@code f} for float32, {@code h} for float16, none for float64. */
  static String floatSuffix(int bits) {
    return switch (bits) {
      case 16 -> "h";
      case 32 -> "f";
      default -> "";
    };
  }

  /**
   * The shortest decimal that reads back as exactly {@code value} in a float of {@code bits} bits,
   * always with a '.' or an exponent; {@code nan_f32}, {@code inf_f64}, {@code -inf_f16} for the
   * non-finite values (the sign of a NaN is not kept: IR equality does not see it).
   */
  static String floatLiteral(int bits, double value) {
    if (Double.isNaN(value)) return "nan_f" + bits;
    if (Double.isInfinite(value)) return (value < 0 ? "-" : "") + "inf_f" + bits;
    String digits = switch (bits) {
      case 32 -> Float.toString((float) value);
      case 16 -> shortestHalf(value);
      default -> Double.toString(value);
    };
    return javaToIrDecimal(digits) + floatSuffix(bits);
  }

  /**
   * The shortest decimal (as Double.toString spells it) whose float16 rounding is {@code value}.
   * Float.toString would be exact but not shortest for float16 (0.1h would print as 0.099975586h).
   */
  private static String shortestHalf(double value) {
    if (value == 0) return Double.toString(value);
    BigDecimal exact = new BigDecimal(value);
    for (int precision = 1; ; precision++) {
      double candidate = exact.round(new MathContext(precision)).doubleValue();
      if (Double.compare(roundToHalf(candidate), value) == 0) return Double.toString(candidate);
    }
  }

  /** The float16 value nearest to {@code d}, as the IR's FloatImm rounds it. */
  static double roundToHalf(double d) {
    return new Expr.FloatImm(Type.F16, d).value();
  }

  /** {@code 1.0E300} becomes {@code 1e300}, {@code 1.5E-5} becomes {@code 1.5e-5}; others stay. */
  private static String javaToIrDecimal(String s) {
    int e = s.indexOf('E');
    if (e < 0) return s;
    String mantissa = s.substring(0, e);
    if (mantissa.endsWith(".0")) mantissa = mantissa.substring(0, mantissa.length() - 2);
    return mantissa + "e" + s.substring(e + 1);
  }

  /** A string literal in double quotes; quotes, backslashes and control characters are escaped. */
  static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\t' -> sb.append("\\t");
        case '\r' -> sb.append("\\r");
        default -> {
          // Lone surrogates would not survive UTF-8 files, so surrogates are escaped too.
          if (Character.isISOControl(c) || Character.isSurrogate(c)) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }

  // ------------------------------------------------------------------ implicit parts

  /** The predicate of a Load or Store that the text leaves out: true in all {@code lanes}. */
  static Expr truePredicate(int lanes) {
    Expr t = new Expr.UIntImm(Type.BOOL, 1);
    return lanes == 1 ? t : new Expr.Broadcast(t, lanes);
  }

  /** The condition of a Realize or Allocate, and the predicate of a reduction domain, left out of the text. */
  static final Expr TRUE = new Expr.UIntImm(Type.BOOL, 1);
}
