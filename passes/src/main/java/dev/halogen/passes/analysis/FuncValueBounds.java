package dev.halogen.passes.analysis;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The values that Funcs and images can take: for each name, one {@link Interval} per tuple element
 * (images have one element). Immutable. {@link Bounds} uses it to bound data-dependent indices
 * ({@code f(g(x))}); {@link Bounds#valueBounds} computes it for a pipeline.
 */
public final class FuncValueBounds {
  private static final FuncValueBounds EMPTY = new FuncValueBounds(Map.of());

  private final Map<String, List<Interval>> bounds;

  private FuncValueBounds(Map<String, List<Interval>> bounds) {
    this.bounds = bounds;
  }

  /** Knows nothing: calls are bounded by their type. */
  public static FuncValueBounds empty() {
    return EMPTY;
  }

  /** The bounds of each name's tuple elements. */
  public static FuncValueBounds of(Map<String, List<Interval>> bounds) {
    FuncValueBounds r = EMPTY;
    for (Map.Entry<String, List<Interval>> e : bounds.entrySet()) r = r.with(e.getKey(), e.getValue());
    return r;
  }

  /** These bounds, with the values of {@code name} (element {@code i} of its tuple in {@code elements[i]}). */
  public FuncValueBounds with(String name, Interval... elements) {
    return with(name, Arrays.asList(elements));
  }

  /** These bounds, with the values of {@code name} (replacing any it had). */
  public FuncValueBounds with(String name, List<Interval> elements) {
    if (name == null || name.isEmpty()) throw new IllegalArgumentException("value bounds name is empty");
    if (elements == null || elements.isEmpty()) throw new IllegalArgumentException("value bounds of '" + name + "' have no tuple elements");
    Map<String, List<Interval>> copy = new LinkedHashMap<>(bounds);
    copy.put(name, List.copyOf(elements));
    return new FuncValueBounds(copy);
  }

  /** The bounds of tuple element {@code index} of {@code name}, or null when unknown. */
  public @Nullable Interval get(String name, int index) {
    List<Interval> l = bounds.get(name);
    return l == null || index >= l.size() ? null : l.get(index);
  }

  /** The bounds of every tuple element of {@code name}, or null when unknown. */
  public @Nullable List<Interval> get(String name) {
    return bounds.get(name);
  }

  public Map<String, List<Interval>> asMap() {
    return java.util.Collections.unmodifiableMap(bounds);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FuncValueBounds f && f.bounds.equals(bounds);
  }

  @Override
  public int hashCode() {
    return bounds.hashCode();
  }

  @Override
  public String toString() {
    return "FuncValueBounds" + bounds;
  }
}
