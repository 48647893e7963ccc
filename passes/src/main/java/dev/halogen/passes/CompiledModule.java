package dev.halogen.passes;

import dev.halogen.ir.LoweredModule;
import dev.halogen.ir.LoweredModule.EntryPoint;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link LoweredModule} compiled by a {@link Backend} for a {@link Target}: its entry points can be
 * run any number of times, from any number of threads at once.
 *
 * <p>Arguments are bound by name, as a map ({@link #run(String, Map)}) or through a builder ({@link
 * #arguments(String)}); they are checked against the entry point's declaration before anything runs
 * (see {@link Arguments}), so a backend's {@link #execute} only ever sees complete, well-typed
 * arguments. Output buffers are written in place.
 */
public abstract class CompiledModule {
  private final LoweredModule module;
  private final Target target;

  protected CompiledModule(LoweredModule module, Target target) {
    this.module = Objects.requireNonNull(module, "module");
    this.target = Objects.requireNonNull(target, "target");
  }

  public final LoweredModule module() {
    return module;
  }

  public final Target target() {
    return target;
  }

  /**
   * The entry point named {@code name}.
   *
   * @throws IllegalArgumentException listing the module's entry points when there is none of that name
   */
  public final EntryPoint entryPoint(String name) {
    for (EntryPoint ep : module.entryPoints()) if (ep.name().equals(name)) return ep;
    throw new IllegalArgumentException("module " + module.name() + " has no entry point '" + name + "'; its entry points are: "
        + String.join(", ", module.entryPoints().stream().map(EntryPoint::name).toList()));
  }

  /** A builder of the arguments of entry point {@code entryPoint}, to pass to {@link #run(Arguments)}. */
  public final Arguments.Builder arguments(String entryPoint) {
    return Arguments.builder(entryPoint(entryPoint));
  }

  /**
   * Runs {@code entryPoint} with {@code arguments} by name: a {@link dev.halogen.ir.Buffer} for each
   * buffer argument, a boxed number, Boolean or {@link dev.halogen.passes.analysis.Value} for each
   * scalar.
   *
   * @throws IllegalArgumentException for an unknown entry point, or a missing, unknown or ill-typed argument
   * @throws HalogenRuntimeException when the pipeline fails while running
   */
  public final void run(String entryPoint, Map<String, ?> arguments) {
    run(Arguments.of(entryPoint(entryPoint), arguments));
  }

  /**
   * Runs the entry point that {@code arguments} were built for.
   *
   * @throws IllegalArgumentException when that entry point is not one of this module's
   * @throws HalogenRuntimeException when the pipeline fails while running
   */
  public final void run(Arguments arguments) {
    EntryPoint ep = arguments.entryPoint();
    // Identity is the common case (arguments built through this module); an equal entry point is as good.
    if (module.entryPoints().stream().noneMatch(e -> e == ep) && !entryPoint(ep.name()).equals(ep)) {
      throw new IllegalArgumentException("the arguments are for an entry point " + ep.name() + " that differs from module "
          + module.name() + "'s entry point of that name");
    }
    execute(arguments);
  }

  /**
   * Runs {@code arguments.entryPoint()}, one of this module's, with complete and checked arguments.
   *
   * @throws HalogenRuntimeException when the pipeline fails
   */
  protected abstract void execute(Arguments arguments);
}
