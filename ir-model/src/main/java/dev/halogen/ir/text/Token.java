package dev.halogen.ir.text;

import org.jspecify.annotations.Nullable;

/**
 * One token of IR text.
 *
 * @param text the name (without backquotes), the symbol, or the raw text of a number or string
 * @param quoted for a name: whether it was written in backquotes (then it is never a keyword)
 * @param value for a string: its decoded contents; for a number: the digits, fraction and
 *     exponent without the suffix
 * @param suffix for a number: the letters after it ({@code "u8"}, {@code "f"}, or {@code ""})
 */
record Token(Kind kind, String text, int line, int column, boolean quoted, @Nullable String value,
    @Nullable String suffix) {
  enum Kind {
    NAME,
    NUMBER,
    STRING,
    SYMBOL,
    END
  }

  String location() {
    return line + ":" + column;
  }

  /** Whether this is the unquoted keyword {@code word}. */
  boolean isKeyword(String word) {
    return kind == Kind.NAME && !quoted && text.equals(word);
  }

  boolean isSymbol(String symbol) {
    return kind == Kind.SYMBOL && text.equals(symbol);
  }

  /** How an error message shows this token: {@code ','}, {@code 'blur'}, {@code end of input}. */
  String describe() {
    return switch (kind) {
      case END -> "end of input";
      case STRING -> "string " + (text.length() > 24 ? text.substring(0, 20) + "...\"" : text);
      case NAME -> quoted ? "'`" + text + "`'" : "'" + text + "'";
      case NUMBER, SYMBOL -> "'" + text + "'";
    };
  }
}
