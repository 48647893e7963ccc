package dev.halogen.passes.analysis;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/** What an expression is evaluated in: the values of its free variables and a {@link CallHandler}. */
public interface Environment {
  /** The value bound to {@code name}, or null when it is unbound. */
  @Nullable Value lookup(String name);

  /** The handler for Func, image and extern calls and for loads. */
  default CallHandler calls() {
    return CallHandler.NONE;
  }

  /** No variables and no calls. */
  Environment EMPTY = name -> null;

  /** The variables of {@code values} (not copied: later changes to the map are seen) and no calls. */
  static Environment of(Map<String, Value> values) {
    return of(values, CallHandler.NONE);
  }

  /** The variables of {@code values} (not copied) and the handler {@code calls}. */
  static Environment of(Map<String, Value> values, CallHandler calls) {
    return new Environment() {
      @Override
      public @Nullable Value lookup(String name) {
        return values.get(name);
      }

      @Override
      public CallHandler calls() {
        return calls;
      }
    };
  }
}
