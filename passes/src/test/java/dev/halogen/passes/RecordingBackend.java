package dev.halogen.passes;

import dev.halogen.ir.LoweredModule;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** A backend for the SPI tests, listed in this module's test META-INF/services: its modules record the arguments they run with. */
public final class RecordingBackend implements Backend {
  @Override
  public String name() {
    return "recording";
  }

  @Override
  public Set<String> features() {
    return Set.of("loud", "quiet");
  }

  @Override
  public Recorded compile(LoweredModule module, Target target) {
    checkTarget(target);
    return new Recorded(module, target);
  }

  /** A compiled module that keeps every {@link Arguments} it was run with. */
  public static final class Recorded extends CompiledModule {
    final List<Arguments> runs = new ArrayList<>();

    Recorded(LoweredModule module, Target target) {
      super(module, target);
    }

    @Override
    protected void execute(Arguments arguments) {
      runs.add(arguments);
    }
  }
}
