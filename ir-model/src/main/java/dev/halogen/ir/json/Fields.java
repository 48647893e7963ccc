package dev.halogen.ir.json;

import java.util.LinkedHashSet;
import java.util.Set;
import kotlinx.serialization.json.JsonElement;
import kotlinx.serialization.json.JsonNull;
import kotlinx.serialization.json.JsonObject;

/**
 * The fields of one JSON object being read. It remembers which fields were read so that a field
 * nobody asked for (a typo, a field of another node kind) is an error instead of silently dropped.
 */
final class Fields {
  private final JsonObject object;
  private final At at;
  private final Set<String> read = new LinkedHashSet<>();
  /** What the object is, for messages: "Function", or the node tag once it is known. */
  private String what;

  Fields(JsonObject object, At at, String what) {
    this.object = object;
    this.at = at;
    this.what = what;
  }

  At at() {
    return at;
  }

  void describeAs(String newWhat) {
    what = newWhat;
  }

  /** Required field {@code key}. */
  At get(String key) {
    read.add(key);
    JsonElement v = object.get(key);
    if (v == null) throw at.child(key, JsonNull.INSTANCE).error("missing field '" + key + "' of " + what);
    return at.child(key, v);
  }

  /** Fails on the first field (in document order) that was not read. */
  void rejectUnread() {
    for (String key : object.keySet()) {
      if (!read.contains(key)) {
        throw at.child(key, object.get(key)).error("unknown field '" + key + "' of " + what
            + " (its fields are " + String.join(", ", read) + ")");
      }
    }
  }
}
