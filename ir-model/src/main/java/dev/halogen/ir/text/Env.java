package dev.halogen.ir.text;

import dev.halogen.ir.Expr.CallKind;
import dev.halogen.ir.Type;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What the names of IR text mean at one point: the scopes the parser builds while reading and the
 * printer rebuilds while writing, so that the printer writes a name plainly exactly when the parser
 * will read it back as the same node. Three namespaces: variables ({@code x}), callables ({@code
 * f(...)}: Funcs and images) and buffers ({@code buf[...]}).
 *
 * <p>Bindings nest: {@link #mark()} and {@link #reset(int)} undo every binding made after the mark.
 */
final class Env {
  /** What a callable name refers to. */
  sealed interface Callee {
    /** A Func with one value per type. */
    record Func(List<Type> types) implements Callee {}

    /** An input image or constant buffer with elements of {@code type}. */
    record Image(Type type) implements Callee {}
  }

  enum Namespace {
    VAR,
    CALLABLE,
    BUFFER
  }

  private record Binding(Namespace ns, String name) {}

  private final Map<Namespace, Map<String, ArrayDeque<Object>>> scopes = new HashMap<>();
  private final List<Binding> log = new ArrayList<>();

  Env() {
    for (Namespace ns : Namespace.values()) scopes.put(ns, new HashMap<>());
  }

  private void bind(Namespace ns, String name, Object meaning) {
    scopes.get(ns).computeIfAbsent(name, k -> new ArrayDeque<>()).push(meaning);
    log.add(new Binding(ns, name));
  }

  void bindVar(String name, Type type) {
    bind(Namespace.VAR, name, type);
  }

  void bindCallable(String name, Callee callee) {
    bind(Namespace.CALLABLE, name, callee);
  }

  void bindBuffer(String name, Type elementType) {
    bind(Namespace.BUFFER, name, elementType);
  }

  int mark() {
    return log.size();
  }

  void reset(int mark) {
    while (log.size() > mark) {
      Binding b = log.removeLast();
      ArrayDeque<Object> stack = scopes.get(b.ns()).get(b.name());
      stack.pop();
      if (stack.isEmpty()) scopes.get(b.ns()).remove(b.name());
    }
  }

  /** Whether {@code name} is bound in {@code ns} (by a declaration or a scope). */
  boolean isBound(Namespace ns, String name) {
    return scopes.get(ns).containsKey(name);
  }

  /** The type of variable {@code name}; an unbound variable is {@code int32}. */
  Type varType(String name) {
    ArrayDeque<Object> s = scopes.get(Namespace.VAR).get(name);
    return s == null ? Type.I32 : (Type) s.peek();
  }

  @Nullable Callee callable(String name) {
    ArrayDeque<Object> s = scopes.get(Namespace.CALLABLE).get(name);
    return s == null ? null : (Callee) s.peek();
  }

  @Nullable Type buffer(String name) {
    ArrayDeque<Object> s = scopes.get(Namespace.BUFFER).get(name);
    return s == null ? null : (Type) s.peek();
  }

  // ------------------------------------------------------------------ plain calls

  /** What a call written without an explicit kind resolves to. */
  sealed interface Resolution {
    record Resolved(Type type, CallKind kind) implements Resolution {}

    record Problem(String message) implements Resolution {}
  }

  /** How a math function or intrinsic's result type follows from its first argument's type. */
  private enum TypeRule {
    /** The type of the first argument. */
    SAME,
    /** The unsigned type of the same width for a signed integer argument, else the argument's type ({@code abs}). */
    UNSIGNED,
    /** A bool with the first argument's lanes ({@code is_nan}). */
    BOOL,
    /** The type of the second argument ({@code print_when(condition, value, ...)}). */
    SECOND
  }

  /**
   * Math functions written by name alone, with their result types. Others (and these with another
   * result type) are written {@code math<TYPE> name(...)}.
   */
  private static final Map<String, TypeRule> MATH = new HashMap<>();

  /** Intrinsics written by name alone; others are written {@code intrinsic<TYPE> name(...)}. */
  private static final Map<String, TypeRule> INTRINSICS = new HashMap<>();

  static {
    for (String f : List.of("sin", "cos", "tan", "asin", "acos", "atan", "atan2", "sinh", "cosh", "tanh", "asinh",
        "acosh", "atanh", "exp", "log", "sqrt", "pow", "floor", "ceil", "round", "trunc", "fract", "erf", "hypot", "fast_exp",
        "fast_log", "fast_pow", "fast_inverse", "fast_inverse_sqrt")) {
      MATH.put(f, TypeRule.SAME);
    }
    // The same classification as the front end's Exprs and the evaluator: these are intrinsics.
    for (String f : List.of("is_nan", "is_inf", "is_finite")) INTRINSICS.put(f, TypeRule.BOOL);
    for (String f : List.of("likely", "likely_if_innermost", "promise_clamped", "lerp", "bitwise_and", "bitwise_or",
        "bitwise_xor", "bitwise_not", "shift_left", "shift_right", "popcount", "count_leading_zeros",
        "count_trailing_zeros", "div_round_to_zero", "mod_round_to_zero", "saturating_add", "saturating_sub")) {
      INTRINSICS.put(f, TypeRule.SAME);
    }
    for (String f : List.of("abs", "absd")) INTRINSICS.put(f, TypeRule.UNSIGNED);
    INTRINSICS.put("print", TypeRule.SAME);
    INTRINSICS.put("print_when", TypeRule.SECOND);
  }

  /** The result type by {@code rule}, or null when the arguments are too few for it. */
  private static @Nullable Type apply(TypeRule rule, List<Type> args) {
    Type first = args.getFirst();
    return switch (rule) {
      case SAME -> first;
      case UNSIGNED -> first.isInt() ? first.withCode(Type.Code.UINT) : first;
      case BOOL -> Type.BOOL.withLanes(first.lanes());
      case SECOND -> args.size() < 2 ? null : args.get(1);
    };
  }

  /**
   * The meaning of {@code name(args)} (followed by {@code [valueIndex]} when {@code indexed}): a
   * Func or image bound here, else a math function or intrinsic of the tables above.
   */
  Resolution resolveCall(String name, List<Type> argTypes, int valueIndex, boolean indexed) {
    Callee callee = callable(name);
    if (callee instanceof Callee.Func(List<Type> types)) {
      if (valueIndex >= types.size()) {
        return new Resolution.Problem("func '" + name + "' has " + types.size() + " value" + (types.size() == 1 ? "" : "s")
            + ", so value index " + valueIndex + " is out of range");
      }
      return new Resolution.Resolved(types.get(valueIndex), CallKind.FUNC);
    }
    if (indexed) {
      return new Resolution.Problem("'[" + valueIndex + "]' selects a value of a tuple func, but '" + name + "' is "
          + (callee == null ? "not a func" : "an image"));
    }
    if (callee instanceof Callee.Image(Type type)) return new Resolution.Resolved(type, CallKind.IMAGE);
    TypeRule math = MATH.get(name);
    TypeRule intrinsic = INTRINSICS.get(name);
    if ((math != null || intrinsic != null) && argTypes.isEmpty()) {
      return new Resolution.Problem("'" + name + "' needs at least one argument");
    }
    if (math != null) return new Resolution.Resolved(apply(math, argTypes), CallKind.MATH);
    if (intrinsic != null) {
      Type t = apply(intrinsic, argTypes);
      if (t == null) return new Resolution.Problem("'" + name + "' needs at least two arguments");
      return new Resolution.Resolved(t, CallKind.INTRINSIC);
    }
    return new Resolution.Problem("unknown function '" + name + "': declare it ('func " + name + ": TYPE' or 'image "
        + name + ": TYPE') or give its kind and type, as in 'extern<float32> " + name + "(...)'");
  }
}
