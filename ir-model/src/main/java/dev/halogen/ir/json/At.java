package dev.halogen.ir.json;

import dev.halogen.ir.IrFormatException;
import dev.halogen.ir.Type;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import kotlinx.serialization.json.JsonArray;
import kotlinx.serialization.json.JsonElement;
import kotlinx.serialization.json.JsonElementKt;
import kotlinx.serialization.json.JsonNull;
import kotlinx.serialization.json.JsonObject;
import kotlinx.serialization.json.JsonPrimitive;
import org.jspecify.annotations.Nullable;

/**
 * A JSON value of the document being read and its path ({@code $.functions[2].definition}), so
 * that every error names where it is.
 *
 * <p>kotlinx's tree parser accepts bare words ({@code foo}, {@code 01}, {@code 1.2.3}) as
 * unquoted literals, so the readers here check the JSON grammar of every number and boolean
 * themselves: a document this reader accepts is strict JSON.
 */
record At(JsonElement value, String path) {
  private static final Pattern INTEGER = Pattern.compile("-?(?:0|[1-9][0-9]*)");
  private static final Pattern NUMBER = Pattern.compile("-?(?:0|[1-9][0-9]*)(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?");
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  /** Longer integer literals are out of every range we read; checking first keeps BigInteger cheap. */
  private static final int MAX_INTEGER_DIGITS = 40;

  IrFormatException error(String problem) {
    return new IrFormatException(path, problem);
  }

  /** The value {@code v} of field {@code key} of this object. */
  At child(String key, JsonElement v) {
    return new At(v, path + pathStep(key));
  }

  /** The path step for field {@code key}: {@code .name}, or {@code ["odd key"]} when it is not an identifier. */
  private static String pathStep(String key) {
    return IDENTIFIER.matcher(key).matches() ? "." + key : "[" + JsonElementKt.JsonPrimitive(key) + "]";
  }

  Fields object(String what) {
    if (value instanceof JsonObject o) return new Fields(o, this, what);
    throw expected("an object (" + what + ")");
  }

  List<At> array() {
    if (!(value instanceof JsonArray a)) throw expected("an array");
    List<At> out = new ArrayList<>(a.size());
    for (int i = 0; i < a.size(); i++) out.add(new At(a.get(i), path + "[" + i + "]"));
    return out;
  }

  /** Reads every element of this array with {@code read}. */
  <T> List<T> list(Function<At, T> read) {
    List<At> elements = array();
    List<T> out = new ArrayList<>(elements.size());
    for (At e : elements) out.add(read.apply(e));
    return out;
  }

  boolean isNull() {
    return value instanceof JsonNull;
  }

  /** Whether this value is a JSON string (not a number, boolean, null or bare word). */
  boolean isString() {
    return value instanceof JsonPrimitive p && p.isString();
  }

  String string() {
    if (isString()) return ((JsonPrimitive) value).getContent();
    throw expected("a string");
  }

  boolean bool() {
    String literal = literal();
    if (literal != null && literal.equals("true")) return true;
    if (literal != null && literal.equals("false")) return false;
    throw expected("true or false");
  }

  /** The text of a JSON number, checked against the JSON grammar. */
  String number() {
    String literal = literal();
    if (literal != null && NUMBER.matcher(literal).matches()) return literal;
    throw expected("a number");
  }

  /**
   * An integer in {@code [min, max]}; {@code range} names the range in the error. The result is
   * the low 64 bits, so a uint64 above {@link Long#MAX_VALUE} comes back as a negative long.
   */
  long integer(BigInteger min, BigInteger max, String range) {
    String literal = literal();
    if (literal == null || !INTEGER.matcher(literal).matches()) throw expected("an integer");
    BigInteger v = literal.length() > MAX_INTEGER_DIGITS ? null : new BigInteger(literal);
    if (v == null || v.compareTo(min) < 0 || v.compareTo(max) > 0) {
      String shown = literal.length() > MAX_INTEGER_DIGITS ? literal.substring(0, MAX_INTEGER_DIGITS) + "..." : literal;
      throw error(shown + " is out of range for " + range + " [" + min + ", " + max + "]");
    }
    return v.longValue();
  }

  int int32() {
    return (int) integer(BigInteger.valueOf(Integer.MIN_VALUE), BigInteger.valueOf(Integer.MAX_VALUE), "int32");
  }

  Type type() {
    String text = string();
    try {
      return Type.parse(text);
    } catch (IllegalArgumentException e) {
      throw error(e.getMessage());
    }
  }

  /** A constant of {@code type} spelled by its name. */
  <E extends Enum<E>> E enumValue(Class<E> type) {
    String text = string();
    for (E e : type.getEnumConstants()) if (e.name().equals(text)) return e;
    throw error("'" + text + "' is not a " + type.getSimpleName() + " (valid: "
        + Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", ")) + ")");
  }

  /** The content of a primitive that is not a string and not null: a number, a boolean or a bare word. */
  private @Nullable String literal() {
    if (value instanceof JsonPrimitive p && !(value instanceof JsonNull) && !p.isString()) return p.getContent();
    return null;
  }

  private IrFormatException expected(String what) {
    return error("expected " + what + ", got " + describe(value));
  }

  /** What kind of JSON value {@code v} is, for error messages. */
  static String describe(JsonElement v) {
    return switch (v) {
      case JsonObject o -> "an object";
      case JsonArray a -> "an array";
      case JsonNull n -> "null";
      case JsonPrimitive p when p.isString() -> "a string";
      case JsonPrimitive p when p.getContent().equals("true") || p.getContent().equals("false") -> "a boolean";
      case JsonPrimitive p when NUMBER.matcher(p.getContent()).matches() -> "the number " + p.getContent();
      case JsonPrimitive p -> "'" + p.getContent() + "', which is not JSON";
      default -> "an unknown JSON element";
    };
  }
}
