package dev.halogen.passes.analysis;

import java.util.ArrayList;
import java.util.List;

/**
 * A multi-dimensional box: one {@link Interval} per dimension of a Func or image, the region of it
 * that some code reads (see {@link Bounds#boxesRequired}).
 */
public record Box(List<Interval> dims) {
  public Box {
    if (dims == null) throw new IllegalArgumentException("box dimensions are null");
    dims = List.copyOf(dims);
  }

  public static Box of(Interval... dims) {
    return new Box(List.of(dims));
  }

  public int dimensions() {
    return dims.size();
  }

  public Interval get(int d) {
    return dims.get(d);
  }

  /**
   * The smallest box holding both, dimension by dimension.
   *
   * @throws IllegalArgumentException when the boxes have different dimension counts
   */
  public Box union(Box o) {
    if (o.dims.size() != dims.size()) {
      throw new IllegalArgumentException("cannot unite a box of " + dims.size() + " dimensions with one of " + o.dims.size());
    }
    List<Interval> out = new ArrayList<>(dims.size());
    for (int i = 0; i < dims.size(); i++) out.add(dims.get(i).union(o.dims.get(i)));
    return new Box(out);
  }

  /** Whether every dimension has two finite ends. */
  public boolean isBounded() {
    for (Interval i : dims) if (!i.isBounded()) return false;
    return true;
  }

  @Override
  public String toString() {
    return dims.toString();
  }
}
