package dev.halogen;

import dev.halogen.ir.Buffer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The seeds of forward-mode differentiation ({@link Gradients#propagateTangents}): the direction in
 * which each input moves. An image's tangent is a Func with the image's dimensions (or a Buffer,
 * zero outside its bounds); a scalar {@link Param}'s is a number or a Func without dimensions.
 * Inputs without a seed are held fixed. Only float inputs have tangents.
 */
public final class Tangents {
  /** The seed of each input, by name, with the input object (so that a name is not given two objects). */
  private final Map<String, InputFunc> seeds = new LinkedHashMap<>();

  private Tangents() {}

  /** No seeds yet. */
  public static Tangents of() {
    return new Tangents();
  }

  /** {@code in} moves along {@code tangent}: a Func with {@code in}'s dimensions. */
  public Tangents with(ImageParam in, Func tangent) {
    return put(in, in.name(), tangent);
  }

  /** {@code in} moves along {@code tangent} inside the buffer's bounds and stays fixed outside. */
  public Tangents with(ImageParam in, Buffer tangent) {
    return put(in, in.name(), fromBuffer(tangent));
  }

  public Tangents with(ConstantBuffer in, Func tangent) {
    return put(in, in.name(), tangent);
  }

  public Tangents with(ConstantBuffer in, Buffer tangent) {
    return put(in, in.name(), fromBuffer(tangent));
  }

  /** {@code p} moves at rate {@code tangent}. */
  public Tangents with(Param p, double tangent) {
    Func t = Func.generated(p.name() + "_seed");
    t.at().set(Expr.constant(p.type(), tangent));
    return put(p, p.name(), t);
  }

  /** {@code p} moves at rate {@code tangent}, a Func without dimensions. */
  public Tangents with(Param p, Func tangent) {
    return put(p, p.name(), tangent);
  }

  Map<String, InputFunc> seeds() {
    return Collections.unmodifiableMap(seeds);
  }

  private static Func fromBuffer(Buffer b) {
    return BoundaryConditions.constantExterior(ConstantBuffer.generated("tangent", b), Expr.of(0f));
  }

  private Tangents put(Ref input, String name, Func tangent) {
    InputFunc old = seeds.get(name);
    if (old != null && old.input() != input) {
      throw new HalogenException("Two different inputs named " + name + " are given tangents");
    }
    tangent.requireDefined("a tangent seed of " + name);
    seeds.put(name, new InputFunc(input, tangent));
    return this;
  }
}
