package dev.halogen;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.function.Executable;

/** Asserts that a call fails with an exception of a given class whose message has every given fragment. */
final class Messages {
  private Messages() {}

  static <T extends Throwable> T assertFails(Class<T> type, Executable call, String... fragments) {
    T e = assertThrows(type, call);
    for (String fragment : fragments) {
      assertTrue(e.getMessage() != null && e.getMessage().contains(fragment),
          () -> "message '" + e.getMessage() + "' lacks '" + fragment + "'");
    }
    return e;
  }
}
