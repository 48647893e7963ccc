package dev.halogen;

import java.util.List;

/** Several values defined together: the values of a Tuple-valued Func. */
public final class Tuple {
  private final List<ExprLike> elements;

  private Tuple(List<ExprLike> elements) {
    if (elements.isEmpty()) throw new IllegalArgumentException("a Tuple needs at least one value");
    this.elements = List.copyOf(elements);
  }

  public static Tuple of(ExprLike... elements) {
    return new Tuple(List.of(elements));
  }

  public static Tuple of(List<? extends ExprLike> elements) {
    return new Tuple(List.copyOf(elements));
  }

  public int size() {
    return elements.size();
  }

  public ExprLike get(int i) {
    return elements.get(i);
  }

  public List<ExprLike> elements() {
    return elements;
  }
}
