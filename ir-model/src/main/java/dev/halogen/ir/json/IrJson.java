package dev.halogen.ir.json;

import dev.halogen.ir.Expr;
import dev.halogen.ir.IrFormatException;
import dev.halogen.ir.LoweredModule;
import dev.halogen.ir.Pipeline;
import dev.halogen.ir.Stmt;
import kotlin.Unit;
import kotlinx.serialization.json.Json;
import kotlinx.serialization.json.JsonElement;
import kotlinx.serialization.json.JsonKt;

/**
 * The versioned JSON form of the IR (see the package documentation for the shape).
 *
 * <p>Writing is deterministic: the same IR gives the same text, pretty printed with a two-space
 * indent, and {@code toJson(fromJson(s))} gives back {@code s} for any {@code s} this class wrote.
 * Reading gives an IR equal to the one written, exact to the bit for every integer and float.
 * Reading fails with {@link IrFormatException} and only with it; its {@link
 * IrFormatException#location()} is the JSON path of the offending value ({@code
 * $.functions[2].definition.values[0].b}), or {@code offset N} for text that is not JSON.
 */
public final class IrJson {
  private IrJson() {}

  /** The version this class writes and the only one it reads. */
  public static final int FORMAT_VERSION = 1;

  static final String PIPELINE = "pipeline";
  static final String MODULE = "module";
  static final String EXPR = "expr";
  static final String STMT = "stmt";

  private static final Json PRETTY = JsonKt.Json(Json.Default, builder -> {
    builder.setPrettyPrint(true);
    builder.setPrettyPrintIndent("  ");
    return Unit.INSTANCE;
  });

  public static String toJson(Pipeline pipeline) {
    return print(Encoder.pipeline(Encoder.document(PIPELINE), pipeline));
  }

  public static Pipeline pipelineFromJson(String json) {
    return read(json, PIPELINE, Decoder::pipeline);
  }

  public static String toJson(LoweredModule module) {
    return print(Encoder.module(Encoder.document(MODULE), module));
  }

  public static LoweredModule moduleFromJson(String json) {
    return read(json, MODULE, Decoder::module);
  }

  /** A document holding one expression: {@code {"format": 1, "kind": "expr", "expr": {...}}}. */
  public static String toJson(Expr expr) {
    return print(Encoder.document(EXPR).put(EXPR, Encoder.expr(expr)).done());
  }

  public static Expr exprFromJson(String json) {
    return read(json, EXPR, doc -> Decoder.expr(doc.get(EXPR)));
  }

  /** A document holding one statement: {@code {"format": 1, "kind": "stmt", "stmt": {...}}}. */
  public static String toJson(Stmt stmt) {
    return print(Encoder.document(STMT).put(STMT, Encoder.stmt(stmt)).done());
  }

  public static Stmt stmtFromJson(String json) {
    return read(json, STMT, doc -> Decoder.stmt(doc.get(STMT)));
  }

  private static String print(JsonElement document) {
    return PRETTY.encodeToString(JsonElement.Companion.serializer(), document);
  }

  private static <T> T read(String json, String kind, Decoder.ObjectReader<T> body) {
    try {
      return Decoder.document(json, kind, body);
    } catch (StackOverflowError e) {
      // Documents are read recursively, as the IR is built; a document nested deeper than the
      // thread's stack allows is rejected like any other unreadable input.
      throw new IrFormatException("$", "the document is nested too deeply to read (" + maxDepth(json)
          + " levels of arrays and objects)");
    }
  }

  /** How deeply arrays and objects nest in {@code json}, ignoring brackets inside strings. */
  private static int maxDepth(String json) {
    int depth = 0;
    int max = 0;
    boolean inString = false;
    for (int i = 0; i < json.length(); i++) {
      char c = json.charAt(i);
      if (inString) {
        if (c == '\\') i++;
        else if (c == '"') inString = false;
      } else if (c == '"') {
        inString = true;
      } else if (c == '[' || c == '{') {
        max = Math.max(max, ++depth);
      } else if (c == ']' || c == '}') {
        depth--;
      }
    }
    return max;
  }
}
