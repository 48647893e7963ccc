package dev.halogen.passes;

import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/** Property sets kept in declaration order, so that messages and files list them stably. */
final class PropertySets {
  private PropertySets() {}

  /** An unmodifiable copy of {@code properties}, iterating in declaration order. */
  static Set<IrProperty> copy(Collection<IrProperty> properties) {
    EnumSet<IrProperty> set = EnumSet.noneOf(IrProperty.class);
    set.addAll(properties);
    return Collections.unmodifiableSet(set);
  }

  /** What holds after {@code pass} when {@code before} held before it. */
  static Set<IrProperty> after(Set<IrProperty> before, Pass pass) {
    EnumSet<IrProperty> set = EnumSet.noneOf(IrProperty.class);
    set.addAll(before);
    set.removeAll(pass.invalidates());
    set.addAll(pass.establishes());
    return Collections.unmodifiableSet(set);
  }
}
