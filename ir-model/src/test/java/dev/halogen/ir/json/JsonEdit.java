package dev.halogen.ir.json;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kotlinx.serialization.json.Json;
import kotlinx.serialization.json.JsonArray;
import kotlinx.serialization.json.JsonElement;
import kotlinx.serialization.json.JsonElementKt;
import kotlinx.serialization.json.JsonObject;
import org.jspecify.annotations.Nullable;

/** Test helper: edits a JSON document at a path of field names and array indices. */
final class JsonEdit {
  private JsonEdit() {}

  static JsonElement parse(String json) {
    return Json.Default.parseToJsonElement(json);
  }

  /** {@code json} with the value at {@code path} replaced by {@code value} (parsed JSON text), compact. */
  static String set(String json, String value, Object... path) {
    return edit(parse(json), parse(value), path).toString();
  }

  /** {@code json} with the field at {@code path} removed, compact. */
  static String remove(String json, Object... path) {
    return edit(parse(json), null, path).toString();
  }

  /** The value at {@code path}. */
  static JsonElement get(String json, Object... path) {
    JsonElement e = parse(json);
    for (Object step : path) e = step instanceof Integer i ? ((JsonArray) e).get(i) : ((JsonObject) e).get((String) step);
    return e;
  }

  static JsonElement string(String s) {
    return JsonElementKt.JsonPrimitive(s);
  }

  /** A copy of {@code root} with the value at {@code path} replaced, or removed when {@code value} is null. */
  static JsonElement edit(JsonElement root, @Nullable JsonElement value, Object... path) {
    if (path.length == 0) throw new IllegalArgumentException("empty path");
    Object step = path[0];
    Object[] rest = Arrays.copyOfRange(path, 1, path.length);
    if (root instanceof JsonObject o) {
      Map<String, JsonElement> m = new LinkedHashMap<>(o);
      String key = (String) step;
      if (rest.length > 0) m.put(key, edit(o.get(key), value, rest));
      else if (value == null) m.remove(key);
      else m.put(key, value);
      return new JsonObject(m);
    }
    List<JsonElement> l = new ArrayList<>((JsonArray) root);
    int i = (Integer) step;
    if (rest.length > 0) l.set(i, edit(l.get(i), value, rest));
    else if (value == null) l.remove(i);
    else l.set(i, value);
    return new JsonArray(l);
  }
}
