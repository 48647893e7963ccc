package dev.halogen.passes;

import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What to compile for: the name of a {@link Backend} ({@code interp}, {@code llvm}, {@code cuda},
 * {@code opencl}) and a set of features that the backend interprets (and checks: a backend rejects
 * a feature it does not know, see {@link Backend#checkTarget}).
 *
 * <p>The text form is the backend name followed by the features, sorted, each after a {@code -}:
 * {@code interp}, {@code interp-check_int32_overflow}. Names are lowercase letters, digits and
 * {@code _}, starting with a letter. {@link #parse} reads what {@link #toString} writes, and
 * accepts the features in any order. {@link #features} is unmodifiable and iterates in sorted order.
 */
public record Target(String backend, Set<String> features) {
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");

  /**
   * @throws IllegalArgumentException for a backend or feature name that is not a lowercase word
   */
  public Target {
    checkName(backend, "backend");
    TreeSet<String> copy = new TreeSet<>();
    for (String f : features) copy.add(checkName(f, "feature"));
    features = Collections.unmodifiableSortedSet(copy);
  }

  /** The target of backend {@code backend} with {@code features}. */
  public static Target of(String backend, String... features) {
    return new Target(backend, new TreeSet<>(List.of(features)));
  }

  /**
   * The target written as {@code backend[-feature]*}, such as {@code interp} or {@code
   * interp-check_int32_overflow}.
   *
   * @throws IllegalArgumentException naming the text and the part that is not a valid name
   */
  public static Target parse(String text) {
    if (text == null || text.isEmpty()) throw new IllegalArgumentException("empty target: expected backend[-feature]*, such as interp");
    String[] parts = text.split("-", -1);
    try {
      return new Target(parts[0], new TreeSet<>(List.of(parts).subList(1, parts.length)));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid target '" + text + "': " + e.getMessage(), e);
    }
  }

  /** Whether {@code feature} is set. */
  public boolean has(String feature) {
    return features.contains(feature);
  }

  /** This target with {@code feature} added. */
  public Target with(String feature) {
    TreeSet<String> more = new TreeSet<>(features);
    more.add(feature);
    return new Target(backend, more);
  }

  @Override
  public String toString() {
    return features.isEmpty() ? backend : backend + "-" + String.join("-", features);
  }

  private static String checkName(String name, String what) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(what + " name '" + name + "' is not a lowercase word (letters, digits, _; starting with a letter)");
    }
    return name;
  }
}
