package dev.halogen;

import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Names of Funcs, Vars, RDoms and parameters.
 *
 * <p>User names are identifiers ({@code [A-Za-z_][A-Za-z0-9_]*}). The characters {@code '.'} and
 * {@code '$'} are reserved: {@code '.'} joins an RDom name and a dimension ({@code r.x}) or an image
 * and a field ({@code in.min.0}); {@code '$'} marks a name the front end generated
 * ({@code sum$12}), which {@link Pipeline#toIr()} renumbers so that the IR does not depend on how
 * many names were generated before.
 */
final class Names {
  private static final AtomicLong COUNTER = new AtomicLong();
  private static final Pattern USER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern IMPLICIT = Pattern.compile("_[0-9]+");

  private Names() {}

  /** A name no other call returns: {@code base$N}. */
  static String fresh(String base) {
    return base + "$" + COUNTER.getAndIncrement();
  }

  static String checkUser(String name, String what) {
    if (name == null || !USER.matcher(name).matches()) {
      throw new IllegalArgumentException(what + " name '" + name
          + "' is not an identifier (letters, digits and '_', not starting with a digit; '.' and '$' are reserved)");
    }
    if (name.equals("_")) {
      throw new IllegalArgumentException(what + " name '_' is reserved for the placeholder Var.IMPLICIT");
    }
    return name;
  }

  /** Whether {@code name} is the name of an implicit variable {@code _0, _1, ...}. */
  static boolean isImplicit(String name) {
    return IMPLICIT.matcher(name).matches();
  }

  static int implicitIndex(String name) {
    return Integer.parseInt(name.substring(1));
  }
}
