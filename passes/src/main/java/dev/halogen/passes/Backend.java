package dev.halogen.passes;

import dev.halogen.ir.LoweredModule;
import java.util.Set;
import java.util.TreeSet;

/**
 * The service-provider interface of code generators: a backend compiles a {@link LoweredModule} for
 * a {@link Target} into a {@link CompiledModule}. A backend is a public class with a public
 * no-argument constructor, listed in {@code META-INF/services/dev.halogen.passes.Backend} (or
 * declared with {@code provides} in a module), and found by name with {@link Backends#find}.
 *
 * <p>Every backend implements the calling convention documented on {@link
 * LoweredModule.Argument}, and reports run-time failures (assertions, out-of-bounds accesses,
 * allocation failures) as {@link HalogenRuntimeException}.
 */
public interface Backend {
  /** The name targets use for this backend: a lowercase word such as {@code interp} or {@code llvm}. */
  String name();

  /** The target features this backend understands; a target with any other feature is rejected. */
  default Set<String> features() {
    return Set.of();
  }

  /**
   * Compiles {@code module} for {@code target}.
   *
   * @throws IllegalArgumentException when {@code target} is not for this backend or has a feature it does not know ({@link #checkTarget})
   * @throws dev.halogen.ir.IrVerificationException when the module is not valid lowered IR
   */
  CompiledModule compile(LoweredModule module, Target target);

  /**
   * Checks that {@code target} names this backend and has only {@linkplain #features known features}.
   *
   * @throws IllegalArgumentException naming the target and, for an unknown feature, listing the known ones
   */
  default void checkTarget(Target target) {
    if (!target.backend().equals(name())) {
      throw new IllegalArgumentException("target " + target + " is for backend " + target.backend() + ", not " + name());
    }
    Set<String> unknown = new TreeSet<>(target.features());
    unknown.removeAll(features());
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("target " + target + ": backend " + name() + " does not know the feature(s) "
          + String.join(", ", unknown) + "; " + (features().isEmpty() ? "it has none" : "its features are: " + String.join(", ", new TreeSet<>(features()))));
    }
  }
}
