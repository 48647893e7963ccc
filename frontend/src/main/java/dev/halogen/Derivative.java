package dev.halogen;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The adjoints {@link Gradients#propagateAdjoints} derived: for each Func the loss depends on one
 * adjoint Func per definition, and one per float input image and float scalar {@link Param}. They
 * are ordinary Funcs: they can be scheduled, realized and differentiated again.
 */
public final class Derivative {
  private final String output;
  private final Map<String, List<Func>> stages;
  private final Map<String, Func> inputs;

  Derivative(String output, Map<String, List<Func>> stages, Map<String, Func> inputs) {
    this.output = output;
    this.stages = Map.copyOf(stages);
    this.inputs = Map.copyOf(inputs);
  }

  /** The adjoint of {@code f}'s values after its pure definition (what flows into the Funcs that definition reads). */
  public Func of(Func f) {
    return find(f).orElseThrow(() -> missing("Func " + f.name()));
  }

  /** The adjoint of {@code f}'s values after its update {@code updateIndex} (-1 is the pure definition). */
  public Func of(Func f, int updateIndex) {
    return find(f, updateIndex).orElseThrow(() -> missing("Func " + f.name()));
  }

  /** The adjoint of a float input image. */
  public Func of(ImageParam p) {
    return Optional.ofNullable(inputs.get(p.name())).orElseThrow(() -> missing("ImageParam " + p.name()));
  }

  /** The adjoint of a float constant buffer read by the pipeline. */
  public Func of(ConstantBuffer b) {
    return Optional.ofNullable(inputs.get(b.name())).orElseThrow(() -> missing("ConstantBuffer " + b.name()));
  }

  /** The gradient of the loss with respect to a float scalar parameter: a Func without dimensions. */
  public Func of(Param p) {
    return Optional.ofNullable(inputs.get(p.name())).orElseThrow(() -> missing("Param " + p.name()));
  }

  public Optional<Func> find(Func f) {
    return find(f, -1);
  }

  /**
   * The adjoint after update {@code updateIndex}, or empty when {@code output} does not depend on
   * {@code f}.
   *
   * @throws IndexOutOfBoundsException when {@code f} has no such update
   */
  public Optional<Func> find(Func f, int updateIndex) {
    List<Func> fs = stages.get(f.name());
    if (fs == null) return Optional.empty();
    if (updateIndex < -1 || updateIndex + 1 >= fs.size()) {
      throw new IndexOutOfBoundsException("Func " + f.name() + " has " + (fs.size() - 1) + " updates; there is no update " + updateIndex);
    }
    return Optional.of(fs.get(updateIndex + 1));
  }

  public Optional<Func> find(ImageParam p) {
    return Optional.ofNullable(inputs.get(p.name()));
  }

  public Optional<Func> find(Param p) {
    return Optional.ofNullable(inputs.get(p.name()));
  }

  private HalogenException missing(String what) {
    return new HalogenException("Func " + output + " does not depend on " + what
        + " (or it is not of a float type), so there is no gradient with respect to it");
  }
}
