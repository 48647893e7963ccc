package dev.halogen.ir;

import java.util.List;

/** Argument checks shared by the IR records' constructors. Messages name the node being built. */
final class Check {
  private Check() {}

  static void notNull(Object o, String what) {
    if (o == null) throw new IllegalArgumentException(what + " is null");
  }

  /** Names are non-empty and free of whitespace, quotes and brackets so the text form can read them back. */
  static void name(String name, String node) {
    if (name == null || name.isEmpty()) throw new IllegalArgumentException(node + " name is empty");
    if (!isName(name)) throw new IllegalArgumentException(node + " name '" + name + "' is not a valid name");
  }

  /** A name: a letter or underscore, then letters, digits, '_', '.', or '$'. */
  static boolean isName(String s) {
    if (s.isEmpty()) return false;
    char c0 = s.charAt(0);
    if (!(Character.isLetter(c0) || c0 == '_')) return false;
    for (int i = 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '$')) return false;
    }
    return true;
  }

  static void scalar(Type type, String node) {
    notNull(type, node + " type");
    if (type.isVector()) throw new IllegalArgumentException(node + " must be scalar, got " + type);
  }

  static void sameType(Expr a, Expr b, String node) {
    notNull(a, node + " first operand");
    notNull(b, node + " second operand");
    if (!a.type().equals(b.type())) {
      throw new IllegalArgumentException(node + " operands differ in type: " + a.type() + " and " + b.type());
    }
  }

  static void bool(Expr e, String what) {
    if (!e.type().isBool()) throw new IllegalArgumentException(what + " must be bool, got " + e.type());
  }

  /** An unmodifiable copy, rejecting null elements. */
  static <T> List<T> list(List<T> list, String what) {
    if (list == null) throw new IllegalArgumentException(what + " list is null");
    for (T t : list) if (t == null) throw new IllegalArgumentException(what + " is null");
    return List.copyOf(list);
  }
}
