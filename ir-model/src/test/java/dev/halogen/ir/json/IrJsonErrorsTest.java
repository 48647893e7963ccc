package dev.halogen.ir.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.halogen.ir.IrFormatException;
import dev.halogen.ir.IrSamples;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Malformed documents fail with IrFormatException at the exact JSON path, with a clear problem. */
class IrJsonErrorsTest {
  static final String PIPELINE = IrJson.toJson(IrSamples.pipeline());
  static final String MODULE = IrJson.toJson(IrSamples.module());
  /** The lookup-table constant of the sample pipeline: float32, mins [-1, 4], extents [3, 2]. */
  static final Object[] LUT = {"parameters", 3, "buffer"};

  record Case(String name, Function<String, Object> reader, String doc, String location, String fragment) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Case pipeline(String name, String doc, String location, String fragment) {
    return new Case(name, IrJson::pipelineFromJson, doc, location, fragment);
  }

  static Case expr(String name, String exprJson, String location, String fragment) {
    return new Case(name, IrJson::exprFromJson, "{\"format\": 1, \"kind\": \"expr\", \"expr\": " + exprJson + "}", location,
        fragment);
  }

  static Case stmt(String name, String stmtJson, String location, String fragment) {
    return new Case(name, IrJson::stmtFromJson, "{\"format\": 1, \"kind\": \"stmt\", \"stmt\": " + stmtJson + "}", location,
        fragment);
  }

  static final String X = "{\"node\": \"Var\", \"type\": \"int32\", \"name\": \"x\"}";
  static final String ONE = "{\"node\": \"IntImm\", \"type\": \"int32\", \"value\": 1}";

  static List<Case> cases() {
    return List.of(
        // ---- the envelope
        pipeline("newer format", JsonEdit.set(PIPELINE, "2", "format"), "$.format",
            "unsupported format version 2, this reader reads 1"),
        pipeline("no format", JsonEdit.remove(PIPELINE, "format"), "$.format", "missing field 'format' of pipeline document"),
        pipeline("format as a string", JsonEdit.set(PIPELINE, "\"1\"", "format"), "$.format", "expected a number, got a string"),
        pipeline("module read as pipeline", MODULE, "$.kind", "expected a pipeline document, got kind 'module'"),
        pipeline("top level is an array", "[1, 2]", "$", "expected an object (pipeline document), got an array"),
        pipeline("unknown top-level field", JsonEdit.set(PIPELINE, "{}", "extra"), "$.extra",
            "unknown field 'extra' of pipeline document (its fields are format, kind, functions, outputs, parameters)"),
        // ---- syntax
        pipeline("not JSON", "{\"format\" 1}", "offset 10",
            "invalid JSON: Expected colon ':', but had '1' instead (line 1, column 11)"),
        pipeline("trailing garbage", PIPELINE + "\n}", "offset " + (PIPELINE.length() + 2), "Expected EOF after parsing"),
        pipeline("truncated", PIPELINE.substring(0, 120), "offset 119", "invalid JSON: Expected colon ':', but had 'EOF' instead"),
        pipeline("truncated after an opening quote", "{\"format\": 1,\n\"kind\": \"", "offset 23",
            "invalid JSON: unexpected end of the input (line 2, column 10)"),
        pipeline("empty document", "", "offset 0", "empty document"),
        pipeline("blank document", " \n ", "offset 3", "empty document"),
        pipeline("bare word document", "hello", "$", "expected an object (pipeline document), got 'hello', which is not JSON"),
        // ---- nodes
        expr("missing operand", "{\"node\": \"Add\", \"a\": " + X + "}", "$.expr.b", "missing field 'b' of Add"),
        expr("unknown tag", "{\"node\": \"Plus\", \"a\": " + X + ", \"b\": " + X + "}", "$.expr.node",
            "unknown Expr node 'Plus' (known: Add, And, Broadcast, Call, Cast, Div, EQ, FloatImm, GE, GT, IntImm, LE, LT,"),
        expr("statement where an expression belongs", "{\"node\": \"Free\", \"name\": \"x\"}", "$.expr.node",
            "unknown Expr node 'Free'"),
        expr("unknown field", "{\"node\": \"Add\", \"a\": " + X + ", \"b\": " + X + ", \"c\": 1}", "$.expr.c",
            "unknown field 'c' of Add (its fields are node, a, b)"),
        expr("unknown field with an odd name", "{\"node\": \"Not\", \"a b\": 1, \"a\": {\"node\": \"UIntImm\", \"type\": \"bool\", \"value\": 0}}",
            "$.expr[\"a b\"]", "unknown field 'a b' of Not"),
        expr("null operand", "{\"node\": \"Add\", \"a\": null, \"b\": " + X + "}", "$.expr.a",
            "expected an object (Expr node), got null"),
        expr("operand types differ", "{\"node\": \"Add\", \"a\": " + X + ", \"b\": {\"node\": \"FloatImm\", \"type\": \"float32\", \"value\": 1.5}}",
            "$.expr", "Add operands differ in type: int32 and float32"),
        expr("bad bit width", "{\"node\": \"Var\", \"type\": \"int33\", \"name\": \"x\"}", "$.expr.type",
            "invalid bit width 33 for type code int"),
        expr("not a type", "{\"node\": \"Var\", \"type\": \"vector\", \"name\": \"x\"}", "$.expr.type", "not a type: 'vector'"),
        expr("int8 out of range", "{\"node\": \"IntImm\", \"type\": \"int8\", \"value\": 300}", "$.expr.value",
            "300 is out of range for int8 [-128, 127]"),
        expr("uint64 out of range", "{\"node\": \"UIntImm\", \"type\": \"uint64\", \"value\": 18446744073709551616}", "$.expr.value",
            "18446744073709551616 is out of range for uint64 [0, 18446744073709551615]"),
        expr("negative unsigned", "{\"node\": \"UIntImm\", \"type\": \"uint8\", \"value\": -1}", "$.expr.value",
            "-1 is out of range for uint8 [0, 255]"),
        expr("bool immediate of 2", "{\"node\": \"UIntImm\", \"type\": \"bool\", \"value\": 2}", "$.expr.value",
            "2 is out of range for bool [0, 1]"),
        expr("bare word value", "{\"node\": \"IntImm\", \"type\": \"int32\", \"value\": foo}", "$.expr.value",
            "expected an integer, got 'foo', which is not JSON"),
        expr("leading zero is not JSON", "{\"node\": \"IntImm\", \"type\": \"int32\", \"value\": 01}", "$.expr.value",
            "expected an integer, got '01', which is not JSON"),
        expr("fractional lane count", "{\"node\": \"Broadcast\", \"value\": " + X + ", \"lanes\": 2.0}", "$.expr.lanes",
            "expected an integer, got the number 2.0"),
        expr("too few lanes", "{\"node\": \"Broadcast\", \"value\": " + X + ", \"lanes\": 1}", "$.expr",
            "Broadcast needs at least 2 lanes, got 1"),
        expr("float special misspelled", "{\"node\": \"FloatImm\", \"type\": \"float64\", \"value\": \"nan\"}", "$.expr.value",
            "got the string 'nan'"),
        expr("float32 overflow", "{\"node\": \"FloatImm\", \"type\": \"float32\", \"value\": 1e39}", "$.expr.value",
            "1e39 is out of range for float32"),
        expr("NaN bits that are not a NaN", "{\"node\": \"FloatImm\", \"type\": \"float64\", \"value\": \"NaN:0x3ff0000000000000\"}",
            "$.expr.value", "0x3ff0000000000000 is not the bit pattern of a NaN"),
        expr("bad call kind", "{\"node\": \"Call\", \"type\": \"int32\", \"name\": \"f\", \"args\": [], \"kind\": \"func\", \"valueIndex\": 0}",
            "$.expr.kind", "'func' is not a CallKind (valid: FUNC, IMAGE, MATH, INTRINSIC, EXTERN)"),
        expr("arguments not an array", "{\"node\": \"Call\", \"type\": \"int32\", \"name\": \"f\", \"args\": {}, \"kind\": \"FUNC\", \"valueIndex\": 0}",
            "$.expr.args", "expected an array, got an object"),
        expr("bad name", "{\"node\": \"Var\", \"type\": \"int32\", \"name\": \"2x\"}", "$.expr", "Var name '2x' is not a valid name"),
        stmt("bad loop kind", "{\"node\": \"For\", \"name\": \"i\", \"min\": " + ONE + ", \"extent\": " + ONE
                + ", \"kind\": \"SIDEWAYS\", \"deviceApi\": \"HOST\", \"body\": {\"node\": \"Free\", \"name\": \"b\"}}",
            "$.stmt.kind", "'SIDEWAYS' is not a ForKind (valid: SERIAL, PARALLEL, VECTORIZED, UNROLLED, GPU_BLOCK, GPU_THREAD, GPU_LANE)"),
        stmt("boolean as a string", "{\"node\": \"ProducerConsumer\", \"name\": \"f\", \"isProducer\": \"true\", \"body\": {\"node\": \"Free\", \"name\": \"b\"}}",
            "$.stmt.isProducer", "expected true or false, got a string"),
        stmt("block element", "{\"node\": \"Block\", \"stmts\": [{\"node\": \"Free\", \"name\": \"b\"}, 7]}", "$.stmt.stmts[1]",
            "expected an object (Stmt node), got the number 7"),
        // ---- deep in a pipeline
        pipeline("wrong JSON kind deep inside", JsonEdit.set(PIPELINE, "\"gain\"", "functions", 0, "definition", "values", 0, "b"),
            "$.functions[0].definition.values[0].b", "expected an object (Expr node), got a string"),
        pipeline("ill-typed node deep inside",
            JsonEdit.set(PIPELINE, "{\"node\": \"Var\", \"type\": \"float64\", \"name\": \"gain\"}", "functions", 0, "definition", "values", 0, "b"),
            "$.functions[0].definition.values[0]", "Mul operands differ in type: float32 and float64"),
        pipeline("missing nullable field", JsonEdit.remove(PIPELINE, "functions", 0, "definition", "domain"),
            "$.functions[0].definition.domain", "missing field 'domain' of Definition"),
        pipeline("bad tail strategy", JsonEdit.set(PIPELINE, "\"ROUND\"", "functions", 0, "definition", "schedule", "splits", 0, "tail"),
            "$.functions[0].definition.schedule.splits[0].tail", "'ROUND' is not a TailStrategy (valid: AUTO, GUARD_WITH_IF, SHIFT_INWARDS, ROUND_UP)"),
        pipeline("unknown loop level", JsonEdit.set(PIPELINE, "{\"node\": \"Somewhere\"}", "functions", 0, "schedule", "computeLevel"),
            "$.functions[0].schedule.computeLevel.node", "unknown LoopLevel node 'Somewhere' (known: At, Inlined, Root)"),
        pipeline("duplicate function names", JsonEdit.set(PIPELINE, "\"blur\"", "functions", 1, "name"), "$.functions[1].name",
            "duplicate function name 'blur' (also at $.functions[0])"),
        pipeline("output that is not a function", JsonEdit.set(PIPELINE, "\"nope\"", "outputs", 1), "$.outputs[1]",
            "output 'nope' is not a function of the pipeline (functions: blur, clamped, gpu_out, hist, offset)"),
        pipeline("no outputs", JsonEdit.set(PIPELINE, "[]", "outputs"), "$", "Pipeline has no outputs"),
        pipeline("bad base64", JsonEdit.set(PIPELINE, "\"AAAA!!!!\"", concat(LUT, "data")), "$.parameters[3].buffer.data",
            "invalid base64"),
        pipeline("buffer too short", JsonEdit.set(PIPELINE, "\"AAAA\"", concat(LUT, "data")), "$.parameters[3].buffer.data",
            "buffer data holds 3 bytes but a float32 buffer with extents [3, 2] needs 24"),
        pipeline("buffer mins and extents differ in length", JsonEdit.set(PIPELINE, "[0]", concat(LUT, "mins")),
            "$.parameters[3].buffer.extents", "buffer has 2 extents but 1 mins"),
        pipeline("negative buffer extent", JsonEdit.set(PIPELINE, "-3", concat(LUT, "extents", 0)), "$.parameters[3].buffer.extents[0]",
            "buffer extent -3 is negative"),
        pipeline("vector buffer type", JsonEdit.set(PIPELINE, "\"float32x4\"", concat(LUT, "type")), "$.parameters[3].buffer.type",
            "a buffer's element type must be a scalar number or bool, got float32x4"),
        pipeline("scalar default of another type",
            JsonEdit.set(PIPELINE, "{\"node\": \"IntImm\", \"type\": \"int32\", \"value\": 1}", "parameters", 0, "defaultValue"),
            "$.parameters[0]", "Scalar parameter gain of float32 has a default of type int32"),
        new Case("bad argument kind", IrJson::moduleFromJson,
            JsonEdit.set(MODULE, "\"INOUT\"", "entryPoints", 0, "arguments", 1, "kind"), "$.entryPoints[0].arguments[1].kind",
            "'INOUT' is not a ArgumentKind (valid: INPUT_BUFFER, OUTPUT_BUFFER, SCALAR)"));
  }

  static Object[] concat(Object[] prefix, Object... rest) {
    Object[] out = java.util.Arrays.copyOf(prefix, prefix.length + rest.length);
    System.arraycopy(rest, 0, out, prefix.length, rest.length);
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void malformedDocumentFailsAtItsPath(Case c) {
    IrFormatException e = assertThrows(IrFormatException.class, () -> c.reader().apply(c.doc()));
    assertEquals(c.location(), e.location(), e.getMessage());
    assertTrue(e.getMessage().startsWith(c.location() + ": "), e.getMessage());
    assertTrue(e.getMessage().contains(c.fragment()), () -> "message '" + e.getMessage() + "' lacks '" + c.fragment() + "'");
  }

  @Test
  void thereAreManyDistinctCases() {
    assertTrue(cases().stream().map(Case::doc).distinct().count() >= 15);
  }

  @Test
  void documentNestedBeyondTheStackFails() {
    String deep = "[".repeat(1_000_000) + "]".repeat(1_000_000);
    IrFormatException e = assertThrows(IrFormatException.class, () -> IrJson.pipelineFromJson(deep));
    assertEquals("$", e.location());
    assertTrue(e.getMessage().contains("nested too deeply to read (1000000 levels"), e.getMessage());
  }
}
