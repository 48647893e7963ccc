package dev.halogen.ir.text;

import dev.halogen.ir.Bound;
import dev.halogen.ir.Buffer;
import dev.halogen.ir.Definition;
import dev.halogen.ir.DeviceApi;
import dev.halogen.ir.Dim;
import dev.halogen.ir.Expr;
import dev.halogen.ir.Expr.CallKind;
import dev.halogen.ir.ForKind;
import dev.halogen.ir.FuncSchedule;
import dev.halogen.ir.Function;
import dev.halogen.ir.IrFormatException;
import dev.halogen.ir.LoopLevel;
import dev.halogen.ir.LoweredModule;
import dev.halogen.ir.MemoryType;
import dev.halogen.ir.Parameter;
import dev.halogen.ir.Pipeline;
import dev.halogen.ir.RFactor;
import dev.halogen.ir.Range;
import dev.halogen.ir.ReductionDomain;
import dev.halogen.ir.Split;
import dev.halogen.ir.StageSchedule;
import dev.halogen.ir.Stmt;
import dev.halogen.ir.TailStrategy;
import dev.halogen.ir.Type;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Reads the text form that {@link IrPrinter} writes (and that people write by hand for tests);
 * the syntax is described in the {@linkplain dev.halogen.ir.text package documentation}.
 *
 * <p>Every problem is reported as an {@link IrFormatException} whose location is the {@code
 * line:column} of the offending token, including type errors found by the IR's constructors. No
 * other exception escapes, and nothing is returned for a text with an error.
 */
public final class IrParser {
  /** How deeply expressions and statements may nest; deeper input is rejected rather than overflowing the stack. */
  static final int MAX_DEPTH = 1000;

  private static final Set<String> FUNC_SCHEDULE_WORDS = Set.of("compute_root", "compute_inline", "compute_at",
      "store_root", "store_inline", "store_at", "bound", "estimate", "store_in");

  private static final int OR = 1;
  private static final int AND = 2;
  private static final int CMP = 3;
  private static final int ADD = 4;
  private static final int MUL = 5;

  private final List<Token> tokens;
  private int pos;
  private Env env = new Env();
  private int depth;

  private IrParser(List<Token> tokens) {
    this.tokens = tokens;
  }

  // ------------------------------------------------------------------ public API

  /** An expression, optionally preceded by declarations ({@code var gain: float32}). */
  public static Expr parseExpr(String text) {
    return run(text, p -> {
      p.declarations();
      Expr e = p.expr();
      p.expectEnd("after the expression");
      return e;
    });
  }

  /** A statement list, optionally preceded by declarations. */
  public static Stmt parseStmt(String text) {
    return run(text, p -> {
      p.declarations();
      Stmt s = p.statements(false);
      p.expectEnd("after the statements");
      return s;
    });
  }

  /** A {@code func} definition, optionally preceded by declarations of the names it uses. */
  public static Function parseFunction(String text) {
    return run(text, p -> {
      p.declarations();
      FuncHeader h = p.funcHeader();
      p.env.bindCallable(h.name(), new Env.Callee.Func(h.types()));
      Function f = p.funcBody(h);
      p.expectEnd("after the func");
      return f;
    });
  }

  /** A whole pipeline, starting with {@code pipeline outputs(...)}. */
  public static Pipeline parsePipeline(String text) {
    return run(text, IrParser::pipeline);
  }

  /** A lowered module, starting with {@code module NAME}. */
  public static LoweredModule parseModule(String text) {
    return run(text, IrParser::module);
  }

  private interface Rule<T> {
    T parse(IrParser p);
  }

  private static <T> T run(String text, Rule<T> rule) {
    IrParser p = new IrParser(Lexer.lex(text));
    try {
      return rule.parse(p);
    } catch (StackOverflowError e) {
      // Only reachable on a thread with a very small stack: MAX_DEPTH normally stops first.
      throw new IrFormatException(p.peek().location(), "input is nested too deeply to parse");
    }
  }

  // ------------------------------------------------------------------ tokens and errors

  private Token peek() {
    return tokens.get(pos);
  }

  private Token peek(int ahead) {
    return tokens.get(Math.min(pos + ahead, tokens.size() - 1));
  }

  private Token next() {
    Token t = tokens.get(pos);
    if (t.kind() != Token.Kind.END) pos++;
    return t;
  }

  private boolean atSymbol(String symbol) {
    return peek().isSymbol(symbol);
  }

  private boolean atKeyword(String word) {
    return peek().isKeyword(word);
  }

  private static IrFormatException error(Token at, String problem) {
    return new IrFormatException(at.location(), problem);
  }

  private Token expectSymbol(String symbol, String context) {
    if (!atSymbol(symbol)) throw error(peek(), "expected '" + symbol + "' " + context + ", found " + peek().describe());
    return next();
  }

  private Token expectKeyword(String word, String context) {
    if (!atKeyword(word)) throw error(peek(), "expected '" + word + "' " + context + ", found " + peek().describe());
    return next();
  }

  private void expectEnd(String context) {
    if (peek().kind() != Token.Kind.END) throw error(peek(), "expected end of input " + context + ", found " + peek().describe());
  }

  /** A name; a keyword is a name only in backquotes. */
  private String name(String what) {
    Token t = peek();
    if (t.kind() != Token.Kind.NAME) throw error(t, "expected " + what + ", found " + t.describe());
    if (!t.quoted() && Syntax.KEYWORDS.contains(t.text())) {
      throw error(t, "expected " + what + ", found the keyword '" + t.text() + "' (write `" + t.text()
          + "` to use it as a name)");
    }
    next();
    return t.text();
  }

  /**
   * Builds an IR node, turning the constructor's IllegalArgumentException (an ill-typed node) into
   * an error at {@code at}. An expression's type is computed here too, since a vector type whose
   * lane count overflows is only detected then.
   */
  private static <T> T build(Token at, Supplier<T> node) {
    try {
      T t = node.get();
      if (t instanceof Expr e) e.type();
      return t;
    } catch (IllegalArgumentException e) {
      throw error(at, String.valueOf(e.getMessage()));
    }
  }

  private void enter(Token at) {
    if (++depth > MAX_DEPTH) throw error(at, "nested more than " + MAX_DEPTH + " levels deep");
  }

  private void leave() {
    depth--;
  }

  private <E extends Enum<E>> E enumWord(Class<E> type, String what) {
    Token t = peek();
    E e = t.kind() == Token.Kind.NAME && !t.quoted() ? Syntax.enumNamed(type, t.text()) : null;
    if (e == null) throw error(t, "expected " + what + " (" + Syntax.spellings(type) + "), found " + t.describe());
    next();
    return e;
  }

  /** A plain integer literal in {@code [min, Integer.MAX_VALUE]}, with a leading '-' when {@code min < 0}. */
  private int intLiteral(String what, int min) {
    Token start = peek();
    boolean negative = min < 0 && start.isSymbol("-");
    if (negative) next();
    Token t = peek();
    if (t.kind() != Token.Kind.NUMBER || !t.suffix().isEmpty() || !t.value().chars().allMatch(Character::isDigit)) {
      throw error(t, "expected " + what + " (an integer literal), found " + t.describe());
    }
    next();
    BigInteger v = new BigInteger(t.value());
    if (negative) v = v.negate();
    if (v.compareTo(BigInteger.valueOf(min)) < 0 || v.compareTo(BigInteger.valueOf(Integer.MAX_VALUE)) > 0) {
      throw error(start, what + " " + v + " is out of range (" + min + " to " + Integer.MAX_VALUE + ")");
    }
    return v.intValue();
  }

  // ------------------------------------------------------------------ types and declarations

  private Type type(String context) {
    Token t = peek();
    if (t.kind() != Token.Kind.NAME || t.quoted()) throw error(t, "expected a type " + context + ", found " + t.describe());
    next();
    try {
      return Type.parse(t.text());
    } catch (IllegalArgumentException e) {
      throw error(t, "unknown type '" + t.text() + "' (types are spelled like int32, uint8, float32x8, bool, handle)");
    }
  }

  /** {@code float32} or {@code (int32, float32)}. */
  private List<Type> types(String context) {
    if (!atSymbol("(")) return List.of(type(context));
    next();
    List<Type> types = new ArrayList<>();
    types.add(type("in the type list"));
    while (atSymbol(",")) {
      next();
      types.add(type("in the type list"));
    }
    expectSymbol(")", "after the type list");
    return types;
  }

  /**
   * Declarations of free names at the start of a text: {@code var NAME: TYPE}, {@code func NAME:
   * TYPES}, {@code image NAME: TYPE}, {@code buffer NAME: TYPE}. They hold until the end of the text.
   */
  private void declarations() {
    Map<Env.Namespace, Map<String, Token>> declared = new HashMap<>();
    while (peek(1).kind() == Token.Kind.NAME && peek(2).isSymbol(":")
        && (atKeyword("var") || atKeyword("func") || atKeyword("image") || atKeyword("buffer"))) {
      Token kw = next();
      Token nameToken = peek();
      String n = name("the declared name");
      expectSymbol(":", "after the declared name '" + n + "'");
      Env.Namespace ns = switch (kw.text()) {
        case "var" -> Env.Namespace.VAR;
        case "buffer" -> Env.Namespace.BUFFER;
        default -> Env.Namespace.CALLABLE;
      };
      Token first = declared.computeIfAbsent(ns, k -> new HashMap<>()).putIfAbsent(n, nameToken);
      if (first != null) throw error(nameToken, "'" + n + "' is declared twice (first at " + first.location() + ")");
      switch (kw.text()) {
        case "var" -> env.bindVar(n, type("for the variable"));
        case "func" -> env.bindCallable(n, new Env.Callee.Func(types("for the func")));
        case "image" -> env.bindCallable(n, new Env.Callee.Image(type("for the image")));
        default -> env.bindBuffer(n, type("for the buffer"));
      }
    }
  }

  // ------------------------------------------------------------------ expressions

  private Expr expr() {
    enter(peek());
    Expr e = binary(OR);
    leave();
    return e;
  }

  private static int precedence(Token t) {
    if (t.kind() != Token.Kind.SYMBOL) return 0;
    return switch (t.text()) {
      case "||" -> OR;
      case "&&" -> AND;
      case "==", "!=", "<", "<=", ">", ">=" -> CMP;
      case "+", "-" -> ADD;
      case "*", "/", "%" -> MUL;
      default -> 0;
    };
  }

  /** Operators binding at least as tightly as {@code minPrecedence}, left-associative by precedence climbing. */
  private Expr binary(int minPrecedence) {
    Expr left = unary();
    while (true) {
      Token op = peek();
      int p = precedence(op);
      if (p == 0 || p < minPrecedence) return left;
      next();
      Expr right = binary(p + 1);
      left = binaryNode(op, left, right);
      if (p == CMP && precedence(peek()) == CMP) {
        throw error(peek(), "comparisons do not chain: put parentheses around one of them, as in '(a < b) == c'");
      }
    }
  }

  private Expr binaryNode(Token op, Expr a, Expr b) {
    try {
      return switch (op.text()) {
        case "||" -> new Expr.Or(a, b);
        case "&&" -> new Expr.And(a, b);
        case "==" -> new Expr.EQ(a, b);
        case "!=" -> new Expr.NE(a, b);
        case "<" -> new Expr.LT(a, b);
        case "<=" -> new Expr.LE(a, b);
        case ">" -> new Expr.GT(a, b);
        case ">=" -> new Expr.GE(a, b);
        case "+" -> new Expr.Add(a, b);
        case "-" -> new Expr.Sub(a, b);
        case "*" -> new Expr.Mul(a, b);
        case "/" -> new Expr.Div(a, b);
        default -> new Expr.Mod(a, b);
      };
    } catch (IllegalArgumentException e) {
      throw error(op, e.getMessage() + undeclaredHint(a) + undeclaredHint(b));
    }
  }

  /** Explains a type mismatch caused by a variable that was never declared and so is int32. */
  private String undeclaredHint(Expr operand) {
    if (operand instanceof Expr.Var(Type t, String n) && !env.isBound(Env.Namespace.VAR, n)) {
      return " ('" + n + "' is not declared, so it is int32; declare it with 'var " + Syntax.name(n) + ": TYPE')";
    }
    return "";
  }

  private Expr unary() {
    if (!atSymbol("!")) return primary();
    Token bang = next();
    enter(bang);
    Expr a = unary();
    leave();
    return build(bang, () -> new Expr.Not(a));
  }

  private Expr primary() {
    Token t = peek();
    return switch (t.kind()) {
      case NUMBER -> {
        next();
        yield number(t, t, false);
      }
      case STRING -> {
        next();
        yield new Expr.StringImm(t.value());
      }
      case NAME -> t.quoted() || !Syntax.KEYWORDS.contains(t.text()) ? named() : keywordExpr();
      case SYMBOL -> {
        if (t.isSymbol("-")) {
          next();
          yield negativeLiteral(t);
        }
        if (!t.isSymbol("(")) throw error(t, "expected an expression, found " + t.describe());
        next();
        if (atKeyword("let")) yield let(t);
        Expr e = expr();
        expectSymbol(")", "to close the '(' at " + t.location());
        yield e;
      }
      case END -> throw error(t, "expected an expression, found end of input");
    };
  }

  private Expr negativeLiteral(Token minus) {
    Token t = peek();
    if (t.kind() == Token.Kind.NUMBER) {
      next();
      return number(minus, t, true);
    }
    if (t.kind() == Token.Kind.NAME && !t.quoted() && t.text().startsWith("inf_f") && Syntax.KEYWORDS.contains(t.text())) {
      next();
      return special(t, Double.NEGATIVE_INFINITY);
    }
    throw error(minus, "'-' must be followed by a number: there is no negation, write '0 - x' instead");
  }

  /** A numeric literal; {@code at} is where errors are reported (the '-' of a negative literal). */
  private Expr number(Token at, Token t, boolean negative) {
    String digits = t.value();
    String suffix = t.suffix();
    String text = (negative ? "-" : "") + t.text();
    boolean looksFloat = digits.contains(".") || digits.contains("e") || digits.contains("E");
    return switch (suffix) {
      case "" -> looksFloat ? floatLiteral(at, Type.F64, digits, negative, text) : intLiteral(at, Type.I32, digits, negative, text);
      case "f" -> floatLiteral(at, Type.F32, digits, negative, text);
      case "h" -> floatLiteral(at, Type.F16, digits, negative, text);
      case "i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64" -> {
        if (looksFloat) throw error(at, "integer suffix '" + suffix + "' on the floating-point literal " + text);
        Type type = Type.parse((suffix.charAt(0) == 'i' ? "int" : "uint") + suffix.substring(1));
        yield intLiteral(at, type, digits, negative, text);
      }
      default -> throw error(at, "unknown literal suffix '" + suffix + "' in " + text
          + " (expected i8, i16, i32, i64, u8, u16, u32, u64, f or h)");
    };
  }

  private static Expr intLiteral(Token at, Type type, String digits, boolean negative, String text) {
    BigInteger v = new BigInteger(digits);
    if (negative) v = v.negate();
    BigInteger min = type.isInt() ? BigInteger.valueOf(type.minInt()) : BigInteger.ZERO;
    BigInteger max = type.isInt() ? BigInteger.valueOf(type.maxInt()) : BigInteger.ONE.shiftLeft(type.bits()).subtract(BigInteger.ONE);
    if (v.compareTo(min) < 0 || v.compareTo(max) > 0) {
      throw error(at, "literal " + text + " is out of range for " + type + " (" + min + " to " + max + ")");
    }
    long bits = v.longValue();
    return type.isInt() ? new Expr.IntImm(type, bits) : new Expr.UIntImm(type, bits);
  }

  private static Expr floatLiteral(Token at, Type type, String digits, boolean negative, String text) {
    // float32 is parsed directly: going through double would round twice.
    double v = type.bits() == 32 ? Float.parseFloat(digits) : Double.parseDouble(digits);
    Expr.FloatImm imm = new Expr.FloatImm(type, negative ? -v : v);
    if (Double.isInfinite(imm.value())) throw error(at, "literal " + text + " is out of range for " + type);
    return imm;
  }

  /** {@code nan_f32}, {@code inf_f64}, or {@code -inf_f16} (then {@code value} is negative infinity). */
  private static Expr special(Token t, double value) {
    int bits = Integer.parseInt(t.text().substring(t.text().length() - 2));
    return new Expr.FloatImm(Type.floatOf(bits), value);
  }

  private Expr keywordExpr() {
    Token t = next();
    String word = t.text();
    switch (word) {
      case "true", "false" -> {
        return new Expr.UIntImm(Type.BOOL, word.equals("true") ? 1 : 0);
      }
      case "nan_f16", "nan_f32", "nan_f64" -> {
        return special(t, Double.NaN);
      }
      case "inf_f16", "inf_f32", "inf_f64" -> {
        return special(t, Double.POSITIVE_INFINITY);
      }
      case "min", "max" -> {
        List<Expr> a = fixedArgs(word, 2);
        return build(t, () -> word.equals("min") ? new Expr.Min(a.get(0), a.get(1)) : new Expr.Max(a.get(0), a.get(1)));
      }
      case "select" -> {
        List<Expr> a = fixedArgs(word, 3);
        return build(t, () -> new Expr.Select(a.get(0), a.get(1), a.get(2)));
      }
      case "cast" -> {
        Type type = angleType(word);
        List<Expr> a = fixedArgs(word, 1);
        return build(t, () -> new Expr.Cast(type, a.getFirst()));
      }
      case "ramp" -> {
        expectSymbol("(", "after 'ramp'");
        Expr base = expr();
        expectSymbol(",", "after the base of 'ramp'");
        Expr stride = expr();
        expectSymbol(",", "after the stride of 'ramp'");
        int lanes = intLiteral("the lane count of 'ramp'", 0);
        expectSymbol(")", "after the 3 arguments of 'ramp'");
        return build(t, () -> new Expr.Ramp(base, stride, lanes));
      }
      case "broadcast" -> {
        expectSymbol("(", "after 'broadcast'");
        Expr value = expr();
        expectSymbol(",", "after the value of 'broadcast'");
        int lanes = intLiteral("the lane count of 'broadcast'", 0);
        expectSymbol(")", "after the 2 arguments of 'broadcast'");
        return build(t, () -> new Expr.Broadcast(value, lanes));
      }
      case "vector_reduce" -> {
        expectSymbol("<", "after 'vector_reduce'");
        Expr.VectorReduce.Op op = enumWord(Expr.VectorReduce.Op.class, "a reduction operator");
        expectSymbol(">", "after the reduction operator");
        expectSymbol("(", "after 'vector_reduce<...>'");
        Expr value = expr();
        expectSymbol(",", "after the value of 'vector_reduce'");
        int lanes = intLiteral("the lane count of 'vector_reduce'", 0);
        expectSymbol(")", "after the 2 arguments of 'vector_reduce'");
        return build(t, () -> new Expr.VectorReduce(op, value, lanes));
      }
      case "var" -> {
        Type type = angleType(word);
        String n = name("a variable name after 'var<" + type + ">'");
        return build(t, () -> new Expr.Var(type, n));
      }
      case "func", "image", "math", "intrinsic", "extern" -> {
        return explicitCall(t);
      }
      case "load" -> {
        Type type = angleType(word);
        String n = name("a buffer name after 'load<" + type + ">'");
        return access(t, n, type, true);
      }
      case "let" -> throw error(t, "a let expression must be in parentheses: (let NAME = VALUE in BODY)");
      default -> throw error(t, "the keyword '" + word + "' cannot start an expression (write `" + word
          + "` to use it as a name)");
    }
  }

  /** {@code <TYPE>} after {@code keyword}. */
  private Type angleType(String keyword) {
    expectSymbol("<", "after '" + keyword + "'");
    Type t = type("after '" + keyword + "<'");
    expectSymbol(">", "after the type of '" + keyword + "'");
    return t;
  }

  /** Exactly {@code n} arguments in parentheses. */
  private List<Expr> fixedArgs(String fn, int n) {
    expectSymbol("(", "after '" + fn + "'");
    List<Expr> args = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (i > 0) expectSymbol(",", "between the arguments of '" + fn + "'");
      args.add(expr());
    }
    expectSymbol(")", "after the " + n + " argument" + (n == 1 ? "" : "s") + " of '" + fn + "'");
    return args;
  }

  /** {@code (a, b, ...)}, possibly empty. */
  private List<Expr> callArgs(String context) {
    expectSymbol("(", context);
    List<Expr> args = new ArrayList<>();
    if (atSymbol(")")) {
      next();
      return args;
    }
    args.add(expr());
    while (atSymbol(",")) {
      next();
      args.add(expr());
    }
    expectSymbol(")", "after call arguments");
    return args;
  }

  private Expr let(Token paren) {
    Token kw = next();
    String n = name("the name bound by 'let'");
    expectSymbol("=", "after the name bound by 'let'");
    Expr value = expr();
    expectKeyword("in", "after the value of 'let " + n + "'");
    int mark = env.mark();
    env.bindVar(n, value.type());
    Expr body = expr();
    env.reset(mark);
    expectSymbol(")", "to close the let expression at " + paren.location());
    return build(kw, () -> new Expr.Let(n, value, body));
  }

  /** A name that is not a keyword: a variable, a call {@code f(...)}, or a load {@code buf[...]}. */
  private Expr named() {
    Token t = next();
    String n = t.text();
    if (atSymbol("(")) return plainCall(t);
    if (atSymbol("[")) {
      Type element = env.buffer(n);
      if (element == null) {
        throw error(t, "unknown buffer '" + n + "': declare it with 'buffer " + Syntax.name(n)
            + ": TYPE' or write 'load<TYPE> " + Syntax.name(n) + "[...]'");
      }
      return access(t, n, element, false);
    }
    return build(t, () -> new Expr.Var(env.varType(n), n));
  }

  private Expr plainCall(Token t) {
    String n = t.text();
    List<Expr> args = callArgs("after the function name");
    boolean indexed = atSymbol("[");
    int index = indexed ? valueIndex() : 0;
    List<Type> argTypes = new ArrayList<>();
    for (Expr a : args) argTypes.add(a.type());
    return switch (env.resolveCall(n, argTypes, index, indexed)) {
      case Env.Resolution.Problem(String message) -> throw error(t, message);
      case Env.Resolution.Resolved(Type type, CallKind kind) -> build(t, () -> new Expr.Call(type, n, args, kind, index));
    };
  }

  /** {@code [i]} after a call to a tuple func. */
  private int valueIndex() {
    next();
    int index = intLiteral("a tuple value index", 0);
    expectSymbol("]", "after the tuple value index");
    return index;
  }

  /** {@code func<TYPE> f(...)[i]}, {@code image<TYPE> ...}, {@code math<...>}, {@code intrinsic<...>}, {@code extern<...>}. */
  private Expr explicitCall(Token kw) {
    CallKind kind = Syntax.enumNamed(CallKind.class, kw.text());
    Type type = angleType(kw.text());
    String n = name("a function name after '" + kw.text() + "<" + type + ">'");
    List<Expr> args = callArgs("after the function name");
    int index = 0;
    if (atSymbol("[")) {
      if (kind != CallKind.FUNC) throw error(peek(), "'[index]' selects a value of a tuple func; it does not apply to " + kw.text() + " calls");
      index = valueIndex();
    }
    int valueIndex = index;
    return build(kw, () -> new Expr.Call(type, n, args, kind, valueIndex));
  }

  /**
   * {@code [index]} or {@code [index if predicate]} after the name of a load: of exactly {@code
   * type} when it was written explicitly, else of the buffer's element {@code type} with the lanes
   * of the index.
   */
  private Expr access(Token at, String buffer, Type type, boolean explicit) {
    Subscript s = subscript(buffer);
    int lanes = s.index().type().lanes();
    Expr pred = s.predicate() != null ? s.predicate() : Syntax.truePredicate(lanes);
    Type loadType = explicit ? type : type.withLanes(lanes);
    return build(at, () -> new Expr.Load(loadType, buffer, s.index(), pred));
  }

  /** The inside of {@code buf[...]}; the predicate is null when left out. */
  private record Subscript(Expr index, @Nullable Expr predicate) {}

  private Subscript subscript(String buffer) {
    expectSymbol("[", "after the buffer name '" + buffer + "'");
    Expr index = expr();
    Expr predicate = null;
    if (atKeyword("if")) {
      next();
      predicate = expr();
    }
    expectSymbol("]", predicate == null ? "after the index" : "after the predicate");
    return new Subscript(index, predicate);
  }

  // ------------------------------------------------------------------ statements

  private record LetFrame(List<Stmt> outer, Token keyword, String name, Expr value) {}

  private boolean atListEnd() {
    return atSymbol("}") || peek().kind() == Token.Kind.END;
  }

  /**
   * A statement list up to '}' or the end. A {@code let} takes the rest of the list as its body;
   * chains of lets are handled with an explicit stack so that long chains do not recurse. Unless
   * {@code raw}, an empty list is the no-op and a list of one statement is that statement;
   * otherwise the result is always a Block of the statements.
   */
  private Stmt statements(boolean raw) {
    ArrayDeque<LetFrame> lets = new ArrayDeque<>();
    int mark = env.mark();
    List<Stmt> items = new ArrayList<>();
    while (!atListEnd()) {
      if (atKeyword("let")) {
        Token kw = next();
        String n = name("the name bound by 'let'");
        expectSymbol("=", "after the name bound by 'let'");
        Expr value = expr();
        lets.push(new LetFrame(items, kw, n, value));
        env.bindVar(n, value.type());
        items = new ArrayList<>();
      } else {
        items.add(item());
      }
    }
    env.reset(mark);
    while (!lets.isEmpty()) {
      Stmt body = collapse(items);
      LetFrame f = lets.pop();
      items = f.outer();
      items.add(build(f.keyword(), () -> new Stmt.LetStmt(f.name(), f.value(), body)));
    }
    return raw ? new Stmt.Block(items) : collapse(items);
  }

  private static Stmt collapse(List<Stmt> items) {
    return items.size() == 1 ? items.getFirst() : new Stmt.Block(items);
  }

  /** A braced statement list: the body of a loop, branch, allocation... */
  private Stmt body(String of) {
    Token open = expectSymbol("{", "to open the body of " + of);
    Stmt s = statements(false);
    expectSymbol("}", "to close the body of " + of + " opened at " + open.location());
    return s;
  }

  private Stmt item() {
    Token t = peek();
    enter(t);
    Stmt s = itemAfterEnter(t);
    leave();
    return s;
  }

  private Stmt itemAfterEnter(Token t) {
    if (t.isSymbol("{")) {
      next();
      Stmt s = statements(false);
      expectSymbol("}", "to close the '{' at " + t.location());
      return s;
    }
    if (t.kind() != Token.Kind.NAME) throw error(t, "expected a statement, found " + t.describe());
    if (t.quoted() || !Syntax.KEYWORDS.contains(t.text())) return provideOrStore();
    ForKind kind = Syntax.enumNamed(ForKind.class, t.text());
    if (kind != null || t.text().equals("for")) return forLoop(kind == null ? ForKind.SERIAL : kind);
    next();
    return switch (t.text()) {
      case "block" -> {
        Token open = expectSymbol("{", "after 'block'");
        Stmt s = statements(true);
        expectSymbol("}", "to close the block opened at " + open.location());
        yield s;
      }
      case "assert" -> assertion(t);
      case "produce", "consume" -> {
        String n = name("a func name after '" + t.text() + "'");
        Stmt b = body("'" + t.text() + " " + n + "'");
        yield build(t, () -> new Stmt.ProducerConsumer(n, t.text().equals("produce"), b));
      }
      case "realize" -> realize(t);
      case "allocate" -> allocate(t);
      case "free" -> {
        String n = name("a buffer name after 'free'");
        yield build(t, () -> new Stmt.Free(n));
      }
      case "if" -> ifThenElse(t);
      case "evaluate" -> {
        Expr v = expr();
        yield build(t, () -> new Stmt.Evaluate(v));
      }
      case "atomic" -> {
        String producer = name("a func name after 'atomic'");
        String mutex = "";
        if (atKeyword("mutex")) {
          next();
          mutex = name("a mutex name after 'mutex'");
        }
        String m = mutex;
        Stmt b = body("'atomic " + producer + "'");
        yield build(t, () -> new Stmt.Atomic(producer, m, b));
      }
      case "else" -> throw error(t, "'else' without an 'if' before it");
      default -> throw error(t, "the keyword '" + t.text() + "' cannot start a statement (write `" + t.text()
          + "` to use it as a name)");
    };
  }

  /** {@code f(args) = values} (a Provide) or {@code buf[index] = value} (a Store). */
  private Stmt provideOrStore() {
    Token t = next();
    String n = t.text();
    if (atSymbol("(")) {
      List<Expr> args = callArgs("after the func name");
      expectSymbol("=", "after '" + n + "(...)'");
      List<Expr> values = values();
      return build(t, () -> new Stmt.Provide(n, values, args));
    }
    if (atSymbol("[")) {
      Subscript s = subscript(n);
      expectSymbol("=", "after '" + n + "[...]'");
      Expr value = expr();
      Expr pred = s.predicate() != null ? s.predicate() : Syntax.truePredicate(value.type().lanes());
      return build(t, () -> new Stmt.Store(n, value, s.index(), pred));
    }
    throw error(t, "unknown statement '" + n + "': a statement starts with a keyword (let, for, if, produce, realize, "
        + "allocate, ...), or is 'f(...) = value' or 'buf[index] = value'");
  }

  /** One value, or a tuple {@code {a, b}}. */
  private List<Expr> values() {
    if (!atSymbol("{")) return List.of(expr());
    Token open = next();
    List<Expr> values = new ArrayList<>();
    values.add(expr());
    while (atSymbol(",")) {
      next();
      values.add(expr());
    }
    expectSymbol("}", "after the tuple values opened at " + open.location());
    return values;
  }

  private Stmt assertion(Token kw) {
    expectSymbol("(", "after 'assert'");
    Expr cond = expr();
    expectSymbol(",", "after the condition of 'assert'");
    Token msg = peek();
    if (msg.kind() != Token.Kind.STRING) throw error(msg, "expected the message string of 'assert', found " + msg.describe());
    next();
    List<Expr> args = new ArrayList<>();
    while (atSymbol(",")) {
      next();
      args.add(expr());
    }
    expectSymbol(")", "after the arguments of 'assert'");
    return build(kw, () -> new Stmt.AssertStmt(cond, msg.value(), args));
  }

  private Stmt forLoop(ForKind kind) {
    Token start = next();
    if (!start.isKeyword("for")) expectKeyword("for", "after the loop kind '" + start.text() + "'");
    expectSymbol("(", "after 'for'");
    String n = name("the loop variable");
    expectSymbol(",", "after the loop variable");
    Expr min = expr();
    expectSymbol(",", "after the loop min");
    Expr extent = expr();
    expectSymbol(")", "after the loop extent");
    DeviceApi device = DeviceApi.HOST;
    if (atKeyword("on")) {
      next();
      device = enumWord(DeviceApi.class, "a device API after 'on'");
    }
    DeviceApi d = device;
    int mark = env.mark();
    env.bindVar(n, Type.I32);
    Stmt b = body("the loop over '" + n + "'");
    env.reset(mark);
    return build(start, () -> new Stmt.For(n, min, extent, kind, d, b));
  }

  /** {@code in MEMORY} (default auto). */
  private MemoryType memory() {
    if (!atKeyword("in")) return MemoryType.AUTO;
    next();
    return enumWord(MemoryType.class, "a memory type after 'in'");
  }

  /** {@code if CONDITION} (default true). */
  private Expr condition() {
    if (!atKeyword("if")) return Syntax.TRUE;
    next();
    return expr();
  }

  private Stmt realize(Token kw) {
    String n = name("a func name after 'realize'");
    expectSymbol(":", "after the name of the realized func");
    List<Type> types = types("of the realized func");
    List<Range> bounds = new ArrayList<>();
    while (atSymbol("[")) {
      Token open = next();
      Expr min = expr();
      expectSymbol(",", "between the min and extent of a realized dimension");
      Expr extent = expr();
      expectSymbol("]", "after the extent of a realized dimension");
      bounds.add(build(open, () -> new Range(min, extent)));
    }
    MemoryType memory = memory();
    Expr cond = condition();
    int mark = env.mark();
    env.bindCallable(n, new Env.Callee.Func(types));
    Stmt b = body("'realize " + n + "'");
    env.reset(mark);
    return build(kw, () -> new Stmt.Realize(n, types, memory, bounds, cond, b));
  }

  private Stmt allocate(Token kw) {
    String n = name("a buffer name after 'allocate'");
    expectSymbol(":", "after the name of the allocation");
    Type type = type("of the allocation");
    expectSymbol("[", "before the extents of the allocation");
    List<Expr> extents = new ArrayList<>();
    if (!atSymbol("]")) {
      extents.add(expr());
      while (atSymbol(",")) {
        next();
        extents.add(expr());
      }
    }
    expectSymbol("]", "after the extents of the allocation");
    MemoryType memory = memory();
    Expr cond = condition();
    int mark = env.mark();
    env.bindBuffer(n, type);
    Stmt b = body("'allocate " + n + "'");
    env.reset(mark);
    return build(kw, () -> new Stmt.Allocate(n, type, memory, extents, cond, b));
  }

  private Stmt ifThenElse(Token kw) {
    expectSymbol("(", "after 'if'");
    Expr cond = expr();
    expectSymbol(")", "after the condition of 'if'");
    Stmt then = body("'if'");
    Stmt otherwise = Stmt.NO_OP;
    if (atKeyword("else")) {
      next();
      if (atKeyword("if")) {
        Token elseIf = next();
        enter(elseIf);
        otherwise = ifThenElse(elseIf);
        leave();
      } else {
        otherwise = body("'else'");
      }
    }
    Stmt e = otherwise;
    return build(kw, () -> new Stmt.IfThenElse(cond, then, e));
  }

  // ------------------------------------------------------------------ functions

  private record FuncHeader(Token nameToken, String name, List<String> args, List<Type> types, int bodyStart) {}

  /** {@code func NAME(args): TYPES}, leaving the position at the '{' of the body. */
  private FuncHeader funcHeader() {
    expectKeyword("func", "to start a func");
    Token nameToken = peek();
    String n = name("a func name");
    expectSymbol("(", "after the func name");
    List<String> args = new ArrayList<>();
    if (!atSymbol(")")) {
      args.add(name("an argument name"));
      while (atSymbol(",")) {
        next();
        args.add(name("an argument name"));
      }
    }
    expectSymbol(")", "after the func arguments");
    expectSymbol(":", "before the func's value types");
    List<Type> types = types("of the func values");
    if (!atSymbol("{")) throw error(peek(), "expected '{' to open the body of func '" + n + "', found " + peek().describe());
    return new FuncHeader(nameToken, n, args, types, pos);
  }

  /** Moves past the braced body starting at the current '{' (bodies are read once every func is known). */
  private void skipBody(FuncHeader h) {
    Token open = next();
    int level = 1;
    while (level > 0) {
      Token t = next();
      if (t.kind() == Token.Kind.END) {
        throw error(open, "the body of func '" + h.name() + "' is not closed: missing '}'");
      }
      if (t.isSymbol("{")) level++;
      if (t.isSymbol("}")) level--;
    }
  }

  private Function funcBody(FuncHeader h) {
    pos = h.bodyStart();
    Token open = next();
    int mark = env.mark();
    for (String a : h.args()) env.bindVar(a, Type.I32);
    List<Definition> stages = new ArrayList<>();
    FuncScheduleBuilder fs = new FuncScheduleBuilder();
    while (!atSymbol("}")) {
      Token t = peek();
      if (t.isKeyword("over")) {
        stages.add(reductionStage(h));
      } else if (t.kind() == Token.Kind.NAME && !t.quoted() && FUNC_SCHEDULE_WORDS.contains(t.text())) {
        funcScheduleItem(fs);
      } else if (t.kind() == Token.Kind.NAME && peek(1).isSymbol("(")) {
        stages.add(stage(h, null));
      } else {
        throw error(t, "expected a definition '" + h.name() + "(...) = ...', 'over', a schedule directive (compute_root, "
            + "compute_at, store_root, store_at, bound, estimate, store_in) or '}' to close func '" + h.name()
            + "' opened at " + open.location() + ", found " + t.describe());
      }
    }
    next();
    env.reset(mark);
    if (stages.isEmpty()) throw error(h.nameToken(), "func '" + h.name() + "' has no definition");
    FuncSchedule schedule = build(h.nameToken(), fs::build);
    return build(h.nameToken(), () -> new Function(h.name(), h.args(), h.types(), stages.getFirst(),
        stages.subList(1, stages.size()), schedule));
  }

  /** {@code f(args) = values}, then its {@code schedule {...}} if it is not the default one. */
  private Definition stage(FuncHeader h, @Nullable ReductionDomain domain) {
    Token lhs = peek();
    if (!lhs.text().equals(h.name()) || (!lhs.quoted() && Syntax.KEYWORDS.contains(lhs.text()))) {
      throw error(lhs, "a definition inside func '" + h.name() + "' must define '" + h.name() + "', found "
          + lhs.describe());
    }
    next();
    List<Expr> args = callArgs("after the func name");
    expectSymbol("=", "after '" + h.name() + "(...)' in a definition");
    List<Expr> values = values();
    StageSchedule schedule = StageSchedule.defaultFor(h.args(), args, domain);
    if (atKeyword("schedule")) schedule = stageSchedule(schedule.dims());
    StageSchedule s = schedule;
    return build(lhs, () -> new Definition(args, values, domain, s));
  }

  /** {@code over r(r.x [min, extent], ...) where PREDICATE { definition }}. */
  private Definition reductionStage(FuncHeader h) {
    next();
    Token nameToken = peek();
    String n = name("the name of the reduction domain");
    expectSymbol("(", "after the reduction domain name");
    List<ReductionDomain.ReductionVariable> vars = new ArrayList<>();
    while (!atSymbol(")")) {
      if (!vars.isEmpty()) expectSymbol(",", "between reduction variables");
      Token vt = peek();
      String v = name("a reduction variable");
      expectSymbol("[", "before the min and extent of '" + v + "'");
      Expr min = expr();
      expectSymbol(",", "between the min and extent of '" + v + "'");
      Expr extent = expr();
      expectSymbol("]", "after the extent of '" + v + "'");
      vars.add(build(vt, () -> new ReductionDomain.ReductionVariable(v, min, extent)));
    }
    next();
    int mark = env.mark();
    for (ReductionDomain.ReductionVariable v : vars) env.bindVar(v.name(), Type.I32);
    Expr predicate = Syntax.TRUE;
    if (atKeyword("where")) {
      next();
      predicate = expr();
    }
    Expr p = predicate;
    ReductionDomain domain = build(nameToken, () -> new ReductionDomain(n, vars, p));
    Token open = expectSymbol("{", "to open the definition over '" + n + "'");
    Definition d = stage(h, domain);
    expectSymbol("}", "to close the definition over '" + n + "' opened at " + open.location());
    env.reset(mark);
    return d;
  }

  private StageSchedule stageSchedule(List<Dim> implicitDims) {
    next();
    Token open = expectSymbol("{", "after 'schedule'");
    List<Split> splits = new ArrayList<>();
    List<Dim> dims = null;
    List<RFactor> rfactors = new ArrayList<>();
    boolean atomic = false;
    boolean override = false;
    while (!atSymbol("}")) {
      Token t = peek();
      if (t.kind() != Token.Kind.NAME || t.quoted()) {
        throw error(t, "expected a schedule directive (split, fuse, rename, loops, rfactor, atomic, "
            + "override_associativity_test) or '}' to close the schedule opened at " + open.location() + ", found "
            + t.describe());
      }
      next();
      switch (t.text()) {
        case "split" -> {
          expectSymbol("(", "after 'split'");
          List<String> vars = names(3, "'split'");
          expectSymbol(",", "before the split factor");
          Expr factor = expr();
          TailStrategy tail = TailStrategy.AUTO;
          if (atSymbol(",")) {
            next();
            tail = enumWord(TailStrategy.class, "a tail strategy");
          }
          expectSymbol(")", "after the arguments of 'split'");
          TailStrategy ts = tail;
          splits.add(build(t, () -> new Split.SplitVar(vars.get(0), vars.get(1), vars.get(2), factor, ts)));
        }
        case "fuse" -> {
          expectSymbol("(", "after 'fuse'");
          List<String> vars = names(3, "'fuse'");
          expectSymbol(")", "after the 3 arguments of 'fuse'");
          splits.add(build(t, () -> new Split.FuseVars(vars.get(0), vars.get(1), vars.get(2))));
        }
        case "rename" -> {
          expectSymbol("(", "after 'rename'");
          List<String> vars = names(2, "'rename'");
          expectSymbol(")", "after the 2 arguments of 'rename'");
          splits.add(build(t, () -> new Split.RenameVar(vars.get(0), vars.get(1))));
        }
        case "loops" -> {
          if (dims != null) throw error(t, "'loops' is given twice in one schedule");
          dims = loops();
        }
        case "rfactor" -> rfactors.add(rfactor(t));
        case "atomic" -> atomic = true;
        case "override_associativity_test" -> override = true;
        default -> throw error(t, "unknown schedule directive '" + t.text() + "' (expected split, fuse, rename, loops, "
            + "rfactor, atomic or override_associativity_test)");
      }
    }
    next();
    return new StageSchedule(splits, dims != null ? dims : implicitDims, rfactors, atomic, override);
  }

  /** {@code n} comma-separated names. */
  private List<String> names(int n, String of) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (i > 0) expectSymbol(",", "between the loop variables of " + of);
      names.add(name("a loop variable name"));
    }
    return names;
  }

  /** {@code (x.b vectorized, r.x rvar, t gpu_block on cuda)}: name, then optional rvar, kind and device. */
  private List<Dim> loops() {
    expectSymbol("(", "after 'loops'");
    List<Dim> dims = new ArrayList<>();
    while (!atSymbol(")")) {
      if (!dims.isEmpty()) expectSymbol(",", "between loops");
      Token t = peek();
      String v = name("a loop variable name");
      boolean rvar = false;
      if (atKeyword("rvar")) {
        next();
        rvar = true;
      }
      ForKind kind = ForKind.SERIAL;
      if (peek().kind() == Token.Kind.NAME && !peek().quoted() && Syntax.enumNamed(ForKind.class, peek().text()) != null) {
        kind = enumWord(ForKind.class, "a loop kind");
      }
      DeviceApi device = DeviceApi.HOST;
      if (atKeyword("on")) {
        next();
        device = enumWord(DeviceApi.class, "a device API after 'on'");
      }
      dims.add(new Dim(v, kind, device, rvar));
    }
    next();
    return dims;
  }

  /** {@code rfactor(intermediate, r.y -> v, ...)}. */
  private RFactor rfactor(Token kw) {
    expectSymbol("(", "after 'rfactor'");
    String intermediate = name("the name of the rfactor intermediate func");
    List<RFactor.Pair> pairs = new ArrayList<>();
    while (atSymbol(",")) {
      next();
      Token rt = peek();
      String rvar = name("a reduction variable");
      expectSymbol("->", "after the reduction variable '" + rvar + "' of 'rfactor'");
      String var = name("the pure variable it becomes");
      pairs.add(build(rt, () -> new RFactor.Pair(rvar, var)));
    }
    expectSymbol(")", "after the arguments of 'rfactor'");
    return build(kw, () -> new RFactor(intermediate, pairs));
  }

  /** The parts of a FuncSchedule read so far; each may be given once. */
  private static final class FuncScheduleBuilder {
    @Nullable LoopLevel compute;
    @Nullable LoopLevel store;
    final List<Bound> bounds = new ArrayList<>();
    final List<Bound> estimates = new ArrayList<>();
    @Nullable MemoryType memory;

    FuncSchedule build() {
      return new FuncSchedule(compute != null ? compute : LoopLevel.INLINED, store != null ? store : LoopLevel.INLINED,
          bounds, estimates, memory != null ? memory : MemoryType.AUTO);
    }
  }

  private void funcScheduleItem(FuncScheduleBuilder fs) {
    Token t = next();
    String word = t.text();
    switch (word) {
      case "compute_root", "compute_inline", "compute_at" -> {
        if (fs.compute != null) throw error(t, "the compute level is given twice");
        fs.compute = loopLevel(t, word.substring("compute_".length()));
      }
      case "store_root", "store_inline", "store_at" -> {
        if (fs.store != null) throw error(t, "the store level is given twice");
        fs.store = loopLevel(t, word.substring("store_".length()));
      }
      case "bound", "estimate" -> {
        expectSymbol("(", "after '" + word + "'");
        String v = name("the variable of the " + word);
        expectSymbol(",", "after the variable of the " + word);
        Expr min = expr();
        expectSymbol(",", "after the min of the " + word);
        Expr extent = expr();
        expectSymbol(")", "after the extent of the " + word);
        (word.equals("bound") ? fs.bounds : fs.estimates).add(build(t, () -> new Bound(v, min, extent)));
      }
      default -> {
        if (fs.memory != null) throw error(t, "the memory type is given twice");
        expectSymbol("(", "after 'store_in'");
        fs.memory = enumWord(MemoryType.class, "a memory type");
        expectSymbol(")", "after the memory type");
      }
    }
  }

  /** The level after {@code compute_} or {@code store_}: {@code root}, {@code inline} or {@code at(f, stage, var)}. */
  private LoopLevel loopLevel(Token t, String which) {
    return switch (which) {
      case "root" -> LoopLevel.ROOT;
      case "inline" -> LoopLevel.INLINED;
      default -> {
        expectSymbol("(", "after '" + t.text() + "'");
        String func = name("the func of the loop level");
        expectSymbol(",", "after the func of the loop level");
        int stage = intLiteral("the stage of the loop level", 0);
        expectSymbol(",", "after the stage of the loop level");
        String var = name("the loop variable of the loop level");
        expectSymbol(")", "after the loop level");
        yield build(t, () -> new LoopLevel.At(func, stage, var));
      }
    };
  }

  // ------------------------------------------------------------------ pipelines and modules

  /** Remembers where each name of one namespace was declared, to reject duplicates. */
  private static void declareOnce(Map<String, Token> declared, Token nameToken, String what) {
    Token first = declared.putIfAbsent(nameToken.text(), nameToken);
    if (first != null) {
      throw error(nameToken, "duplicate " + what + " '" + nameToken.text() + "' (the name is first declared at "
          + first.location() + ")");
    }
  }

  private Pipeline pipeline() {
    Token kw = expectKeyword("pipeline", "at the start of a pipeline");
    expectKeyword("outputs", "after 'pipeline'");
    expectSymbol("(", "after 'outputs'");
    List<Token> outputs = new ArrayList<>();
    outputs.add(peek());
    name("an output func name");
    while (atSymbol(",")) {
      next();
      outputs.add(peek());
      name("an output func name");
    }
    expectSymbol(")", "after the pipeline outputs");
    List<Parameter> params = new ArrayList<>();
    List<FuncHeader> funcs = new ArrayList<>();
    Map<String, Token> vars = new HashMap<>();
    Map<String, Token> callables = new HashMap<>();
    while (peek().kind() != Token.Kind.END) {
      Token t = peek();
      if (t.isKeyword("param")) {
        next();
        Token nameToken = peek();
        String n = name("a parameter name");
        declareOnce(vars, nameToken, "parameter");
        expectSymbol(":", "after the parameter name");
        Type type = type("of the parameter");
        Expr defaultValue = null;
        if (atSymbol("=")) {
          next();
          // Defaults are constants, read in an empty scope.
          Env outer = env;
          env = new Env();
          defaultValue = expr();
          env = outer;
        }
        Expr d = defaultValue;
        params.add(build(nameToken, () -> new Parameter.Scalar(n, type, d)));
        env.bindVar(n, type);
      } else if (t.isKeyword("image")) {
        next();
        Token nameToken = peek();
        String n = name("an image name");
        declareOnce(callables, nameToken, "name");
        expectSymbol(":", "after the image name");
        Type type = type("of the image elements");
        expectSymbol("[", "before the dimension count of the image");
        int dims = intLiteral("the dimension count of the image", 0);
        expectSymbol("]", "after the dimension count of the image");
        params.add(build(nameToken, () -> new Parameter.Image(n, type, dims)));
        env.bindCallable(n, new Env.Callee.Image(type));
      } else if (t.isKeyword("constant")) {
        Parameter.Constant c = constant(callables);
        params.add(c);
        env.bindCallable(c.name(), new Env.Callee.Image(c.type()));
      } else if (t.isKeyword("func")) {
        FuncHeader h = funcHeader();
        declareOnce(callables, h.nameToken(), "func");
        funcs.add(h);
        skipBody(h);
      } else {
        throw error(t, "expected 'param', 'image', 'constant' or 'func', found " + t.describe());
      }
    }
    int end = pos;
    for (FuncHeader h : funcs) env.bindCallable(h.name(), new Env.Callee.Func(h.types()));
    List<Function> functions = new ArrayList<>();
    for (FuncHeader h : funcs) functions.add(funcBody(h));
    pos = end;
    for (Token o : outputs) {
      if (funcs.stream().noneMatch(h -> h.name().equals(o.text()))) {
        throw error(o, "pipeline output '" + o.text() + "' is not a func of the pipeline");
      }
    }
    return build(kw, () -> Pipeline.of(outputs.stream().map(Token::text).toList(), functions, params));
  }

  /** {@code constant NAME: TYPE [min, extent]... = "base64"}. */
  private Parameter.Constant constant(Map<String, Token> declared) {
    next();
    Token nameToken = peek();
    String n = name("a constant name");
    declareOnce(declared, nameToken, "name");
    expectSymbol(":", "after the constant name");
    Type type = type("of the constant's elements");
    List<Integer> mins = new ArrayList<>();
    List<Integer> extents = new ArrayList<>();
    while (atSymbol("[")) {
      next();
      mins.add(intLiteral("the min of a constant dimension", Integer.MIN_VALUE));
      expectSymbol(",", "after the min of a constant dimension");
      extents.add(intLiteral("the extent of a constant dimension", 0));
      expectSymbol("]", "after the extent of a constant dimension");
    }
    expectSymbol("=", "before the data of constant '" + n + "'");
    Token data = peek();
    if (data.kind() != Token.Kind.STRING) {
      throw error(data, "expected the data of constant '" + n + "' (a string of base64), found " + data.describe());
    }
    next();
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(data.value());
    } catch (IllegalArgumentException e) {
      throw error(data, "the data of constant '" + n + "' is not valid base64: " + e.getMessage());
    }
    // Checked before allocating, so that a bad extent cannot ask for gigabytes.
    long count = 1;
    for (int e : extents) {
      count *= e;
      if (count > Integer.MAX_VALUE) throw error(nameToken, "constant '" + n + "' has more than 2^31 elements");
    }
    if (count * type.bytes() != bytes.length) {
      throw error(data, "constant '" + n + "' of " + count + " " + type + " elements needs " + count * type.bytes()
          + " bytes of data, but the base64 text holds " + bytes.length);
    }
    int[] m = mins.stream().mapToInt(Integer::intValue).toArray();
    int[] e = extents.stream().mapToInt(Integer::intValue).toArray();
    Buffer buffer = build(nameToken, () -> Buffer.fromLittleEndianBytes(type, m, e, bytes));
    return build(nameToken, () -> new Parameter.Constant(n, buffer));
  }

  private LoweredModule module() {
    Token kw = expectKeyword("module", "at the start of a module");
    String n = name("the module name");
    List<Parameter.Constant> constants = new ArrayList<>();
    List<LoweredModule.EntryPoint> entries = new ArrayList<>();
    Map<String, Token> declared = new HashMap<>();
    while (peek().kind() != Token.Kind.END) {
      Token t = peek();
      if (t.isKeyword("constant")) {
        if (!entries.isEmpty()) throw error(t, "constants must come before the entry points");
        Parameter.Constant c = constant(declared);
        constants.add(c);
        env.bindBuffer(c.name(), c.type());
        env.bindCallable(c.name(), new Env.Callee.Image(c.type()));
      } else if (t.isKeyword("entry")) {
        entries.add(entry());
      } else {
        throw error(t, "expected 'constant' or 'entry', found " + t.describe());
      }
    }
    return build(kw, () -> new LoweredModule(n, entries, constants));
  }

  /** {@code entry NAME(in a: T [dims], s: T, out b: T [dims]) { declarations statements }}. */
  private LoweredModule.EntryPoint entry() {
    Token kw = next();
    String n = name("the entry point name");
    expectSymbol("(", "after the entry point name");
    int mark = env.mark();
    List<LoweredModule.Argument> args = new ArrayList<>();
    while (!atSymbol(")")) {
      if (!args.isEmpty()) expectSymbol(",", "between entry point arguments");
      LoweredModule.ArgumentKind kind = LoweredModule.ArgumentKind.SCALAR;
      if ((atKeyword("in") || atKeyword("out")) && peek(1).kind() == Token.Kind.NAME) {
        kind = next().text().equals("in") ? LoweredModule.ArgumentKind.INPUT_BUFFER : LoweredModule.ArgumentKind.OUTPUT_BUFFER;
      }
      Token nameToken = peek();
      String a = name("an argument name");
      expectSymbol(":", "after the argument name");
      Type type = type("of the argument");
      int dims = 0;
      if (kind != LoweredModule.ArgumentKind.SCALAR) {
        expectSymbol("[", "before the dimension count of buffer argument '" + a + "'");
        dims = intLiteral("the dimension count", 0);
        expectSymbol("]", "after the dimension count");
        env.bindBuffer(a, type);
        env.bindCallable(a, new Env.Callee.Image(type));
      } else {
        env.bindVar(a, type);
      }
      LoweredModule.ArgumentKind k = kind;
      int d = dims;
      args.add(build(nameToken, () -> new LoweredModule.Argument(a, k, type, d)));
    }
    next();
    Token open = expectSymbol("{", "to open the body of entry point '" + n + "'");
    declarations();
    Stmt body = statements(false);
    expectSymbol("}", "to close the body of entry point '" + n + "' opened at " + open.location());
    env.reset(mark);
    return build(kw, () -> new LoweredModule.EntryPoint(n, args, body));
  }
}
