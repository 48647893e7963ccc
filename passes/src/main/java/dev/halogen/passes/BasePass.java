package dev.halogen.passes;

import java.util.Set;

/**
 * A {@link Pass} whose contract (name, summary and properties) is fixed when it is made, so that a
 * pass states it once, in its constructor, and only writes {@link #run}.
 */
public abstract class BasePass implements Pass {
  private final String name;
  private final String summary;
  private final Set<IrProperty> requires;
  private final Set<IrProperty> establishes;
  private final Set<IrProperty> invalidates;

  /**
   * @param name the kebab-case name ({@link Pass#name()})
   * @param summary one line saying what the pass does
   * @param requires what must hold of the input
   * @param establishes what holds of the output
   * @param invalidates what may no longer hold of the output
   */
  protected BasePass(String name, String summary, Set<IrProperty> requires, Set<IrProperty> establishes,
      Set<IrProperty> invalidates) {
    this.name = name;
    this.summary = summary;
    this.requires = Set.copyOf(requires);
    this.establishes = Set.copyOf(establishes);
    this.invalidates = Set.copyOf(invalidates);
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final String summary() {
    return summary;
  }

  @Override
  public final Set<IrProperty> requires() {
    return requires;
  }

  @Override
  public final Set<IrProperty> establishes() {
    return establishes;
  }

  @Override
  public final Set<IrProperty> invalidates() {
    return invalidates;
  }
}
