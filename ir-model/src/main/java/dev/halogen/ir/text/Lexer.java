package dev.halogen.ir.text;

import dev.halogen.ir.IrFormatException;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits IR text into tokens. Whitespace (newlines included) only separates tokens, and {@code //}
 * starts a comment that runs to the end of the line. Lines and columns count from 1.
 */
final class Lexer {
  private static final List<String> TWO_CHAR_SYMBOLS = List.of("==", "!=", "<=", ">=", "&&", "||", "->");
  private static final String ONE_CHAR_SYMBOLS = "+-*/%<>!=()[]{},:";

  private final String text;
  private final List<Token> tokens = new ArrayList<>();
  private int pos;
  private int line = 1;
  private int lineStart;

  private Lexer(String text) {
    this.text = text;
  }

  static List<Token> lex(String text) {
    Lexer lexer = new Lexer(text);
    lexer.run();
    return lexer.tokens;
  }

  private int column() {
    return pos - lineStart + 1;
  }

  private IrFormatException error(int errLine, int errColumn, String problem) {
    return new IrFormatException(errLine + ":" + errColumn, problem);
  }

  private char at(int i) {
    return i < text.length() ? text.charAt(i) : '\0';
  }

  private void run() {
    while (true) {
      skipSpaceAndComments();
      if (pos >= text.length()) {
        tokens.add(new Token(Token.Kind.END, "", line, column(), false, null, null));
        return;
      }
      char c = text.charAt(pos);
      if (Syntax.isNameStart(c)) {
        name();
      } else if (c == '`') {
        quotedName();
      } else if (c >= '0' && c <= '9') {
        number();
      } else if (c == '"') {
        string();
      } else {
        symbol(c);
      }
    }
  }

  private void skipSpaceAndComments() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c == '\n') {
        pos++;
        line++;
        lineStart = pos;
      } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f') {
        pos++;
      } else if (c == '/' && at(pos + 1) == '/') {
        while (pos < text.length() && text.charAt(pos) != '\n') pos++;
      } else {
        return;
      }
    }
  }

  private void name() {
    int start = pos;
    int col = column();
    pos++;
    while (pos < text.length() && Syntax.isNamePart(text.charAt(pos))) pos++;
    tokens.add(new Token(Token.Kind.NAME, text.substring(start, pos), line, col, false, null, null));
  }

  /** {@code `name`}: lets a name that is also a keyword be used as a name. */
  private void quotedName() {
    int col = column();
    int end = pos + 1;
    while (end < text.length() && text.charAt(end) != '`' && text.charAt(end) != '\n') end++;
    if (at(end) != '`') throw error(line, col, "unterminated quoted name: missing closing '`'");
    String name = text.substring(pos + 1, end);
    if (!Syntax.isName(name)) throw error(line, col, "'" + name + "' in backquotes is not a valid name");
    pos = end + 1;
    tokens.add(new Token(Token.Kind.NAME, name, line, col, true, null, null));
  }

  /** Digits, an optional fraction and exponent, then an optional suffix of letters and digits. */
  private void number() {
    int start = pos;
    int col = column();
    digits();
    if (at(pos) == '.' && isDigit(at(pos + 1))) {
      pos++;
      digits();
    }
    if ((at(pos) == 'e' || at(pos) == 'E')
        && (isDigit(at(pos + 1)) || ((at(pos + 1) == '+' || at(pos + 1) == '-') && isDigit(at(pos + 2))))) {
      pos += 2;
      digits();
    }
    int numberEnd = pos;
    while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) pos++;
    tokens.add(new Token(Token.Kind.NUMBER, text.substring(start, pos), line, col, false,
        text.substring(start, numberEnd), text.substring(numberEnd, pos)));
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private void digits() {
    while (isDigit(at(pos))) pos++;
  }

  private void string() {
    int start = pos;
    int col = column();
    StringBuilder value = new StringBuilder();
    pos++;
    while (true) {
      if (pos >= text.length() || text.charAt(pos) == '\n') {
        throw error(line, col, "unterminated string: missing closing '\"' (write a newline inside a string as \\n)");
      }
      char c = text.charAt(pos);
      if (c == '"') break;
      if (c == '\\') {
        int escCol = column();
        char e = at(pos + 1);
        switch (e) {
          case '"', '\\' -> value.append(e);
          case 'n' -> value.append('\n');
          case 't' -> value.append('\t');
          case 'r' -> value.append('\r');
          case 'u' -> {
            int code = 0;
            for (int i = 0; i < 4; i++) {
              int d = Character.digit(at(pos + 2 + i), 16);
              if (d < 0) throw error(line, escCol, "\\u must be followed by 4 hexadecimal digits");
              code = code * 16 + d;
            }
            value.append((char) code);
            pos += 4;
          }
          default -> throw error(line, escCol, "unknown escape '\\" + (e == '\0' ? "" : String.valueOf(e))
              + "' in string (use \\\", \\\\, \\n, \\t, \\r or \\uXXXX)");
        }
        pos += 2;
      } else {
        value.append(c);
        pos++;
      }
    }
    pos++;
    tokens.add(new Token(Token.Kind.STRING, text.substring(start, pos), line, col, false, value.toString(), null));
  }

  private void symbol(char c) {
    int col = column();
    String two = pos + 1 < text.length() ? text.substring(pos, pos + 2) : "";
    String sym;
    if (TWO_CHAR_SYMBOLS.contains(two)) {
      sym = two;
    } else if (ONE_CHAR_SYMBOLS.indexOf(c) >= 0) {
      sym = String.valueOf(c);
    } else {
      String hint = c == '&' ? " (logical and is '&&')" : c == '|' ? " (logical or is '||')" : "";
      String shown = Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c);
      throw error(line, col, "unexpected character '" + shown + "'" + hint);
    }
    pos += sym.length();
    tokens.add(new Token(Token.Kind.SYMBOL, sym, line, col, false, null, null));
  }
}
