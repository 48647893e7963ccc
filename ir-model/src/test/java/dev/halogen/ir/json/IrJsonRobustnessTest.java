package dev.halogen.ir.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.halogen.ir.IrFormatException;
import dev.halogen.ir.IrSamples;
import dev.halogen.ir.Pipeline;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kotlinx.serialization.json.JsonArray;
import kotlinx.serialization.json.JsonElement;
import kotlinx.serialization.json.JsonObject;
import org.junit.jupiter.api.Test;

/**
 * Reading randomly damaged documents either succeeds (and then gives a pipeline that round-trips)
 * or fails with IrFormatException at a JSON path or a text offset; nothing else ever escapes.
 */
class IrJsonRobustnessTest {
  static final String PIPELINE = IrJson.toJson(IrSamples.pipeline());
  static final String CHARS = "{}[]\",:0123456789-+.eEtrufalsn x\\/";
  static final String[] NUMBERS = {"0", "-1", "1", "2", "-0", "1.5", "1e400", "2147483648", "-2147483649",
      "99999999999999999999", "18446744073709551616", "65", "300", "0.0"};
  static final Pattern NUMBER = Pattern.compile("-?\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?");

  @Test
  void randomMutationsFailOnlyWithIrFormatException() {
    SplittableRandom random = new SplittableRandom(20260601);
    int succeeded = 0;
    int failed = 0;
    for (int i = 0; i < 2000; i++) {
      String doc = PIPELINE;
      int mutations = 1 + random.nextInt(3);
      for (int m = 0; m < mutations; m++) doc = mutate(doc, random);
      try {
        Pipeline p = IrJson.pipelineFromJson(doc);
        assertEquals(p, IrJson.pipelineFromJson(IrJson.toJson(p)), "a pipeline read from a mutated document round-trips");
        succeeded++;
      } catch (IrFormatException e) {
        assertTrue(e.location().startsWith("$") || e.location().matches("offset \\d+"), e.getMessage());
        assertTrue(e.getMessage().length() > e.location().length() + 2, e.getMessage());
        failed++;
      } catch (Throwable t) {
        fail("mutation " + i + " escaped as " + t + " for document:\n" + doc, t);
      }
    }
    assertTrue(failed > 1000, "most mutations break the document: " + failed);
    assertTrue(succeeded > 0, "some mutations (whitespace, a number in range) keep it readable: " + succeeded);
  }

  static String mutate(String doc, SplittableRandom r) {
    if (doc.isEmpty()) return doc;
    int at = r.nextInt(doc.length());
    return switch (r.nextInt(7)) {
      case 0 -> doc.substring(0, at) + doc.substring(at + 1);
      case 1 -> doc.substring(0, at) + CHARS.charAt(r.nextInt(CHARS.length())) + doc.substring(at + 1);
      case 2 -> doc.substring(0, at) + CHARS.charAt(r.nextInt(CHARS.length())) + doc.substring(at);
      case 3 -> doc.substring(0, at);
      case 4 -> changeNumber(doc, r);
      case 5 -> removeField(doc, r);
      default -> duplicateField(doc, r);
    };
  }

  static String changeNumber(String doc, SplittableRandom r) {
    List<int[]> spans = new ArrayList<>();
    Matcher m = NUMBER.matcher(doc);
    while (m.find()) spans.add(new int[] {m.start(), m.end()});
    if (spans.isEmpty()) return doc;
    int[] s = spans.get(r.nextInt(spans.size()));
    String replacement = r.nextBoolean() ? NUMBERS[r.nextInt(NUMBERS.length)] : Long.toString(r.nextLong(-5, 70));
    return doc.substring(0, s[0]) + replacement + doc.substring(s[1]);
  }

  /** Removes one field of a random object, when the document is still JSON. */
  static String removeField(String doc, SplittableRandom r) {
    return editRandomObject(doc, r, (o, key) -> JsonEdit.edit(o, null, key));
  }

  /** Replaces one field of a random object by the value of another of its fields (wrong kind, wrong node). */
  static String duplicateField(String doc, SplittableRandom r) {
    return editRandomObject(doc, r, (o, key) -> {
      List<String> keys = new ArrayList<>(o.keySet());
      return JsonEdit.edit(o, o.get(keys.get(r.nextInt(keys.size()))), key);
    });
  }

  interface ObjectEdit {
    JsonElement apply(JsonObject object, String key);
  }

  static String editRandomObject(String doc, SplittableRandom r, ObjectEdit edit) {
    JsonElement root;
    try {
      root = JsonEdit.parse(doc);
    } catch (IllegalArgumentException notJson) {
      return doc;
    }
    List<JsonObject> objects = new ArrayList<>();
    collect(root, objects);
    List<JsonObject> nonEmpty = objects.stream().filter(o -> !o.isEmpty()).toList();
    if (nonEmpty.isEmpty()) return doc;
    JsonObject target = nonEmpty.get(r.nextInt(nonEmpty.size()));
    List<String> keys = new ArrayList<>(target.keySet());
    JsonElement replaced = edit.apply(target, keys.get(r.nextInt(keys.size())));
    return replaceIdentical(root, target, replaced).toString();
  }

  static void collect(JsonElement e, List<JsonObject> out) {
    if (e instanceof JsonObject o) {
      out.add(o);
      for (JsonElement v : o.values()) collect(v, out);
    } else if (e instanceof JsonArray a) {
      for (JsonElement v : a) collect(v, out);
    }
  }

  /** {@code e} with the very instance {@code target} replaced. */
  static JsonElement replaceIdentical(JsonElement e, JsonObject target, JsonElement replacement) {
    if (e == target) return replacement;
    if (e instanceof JsonObject o) {
      java.util.LinkedHashMap<String, JsonElement> m = new java.util.LinkedHashMap<>();
      o.forEach((k, v) -> m.put(k, replaceIdentical(v, target, replacement)));
      return new JsonObject(m);
    }
    if (e instanceof JsonArray a) return new JsonArray(a.stream().map(v -> replaceIdentical(v, target, replacement)).toList());
    return e;
  }
}
