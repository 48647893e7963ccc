package dev.halogen.ir.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.halogen.ir.Buffer;
import dev.halogen.ir.Definition;
import dev.halogen.ir.Dim;
import dev.halogen.ir.DeviceApi;
import dev.halogen.ir.Expr;
import dev.halogen.ir.ForKind;
import dev.halogen.ir.FuncSchedule;
import dev.halogen.ir.Function;
import dev.halogen.ir.LoweredModule;
import dev.halogen.ir.Parameter;
import dev.halogen.ir.Pipeline;
import dev.halogen.ir.StageSchedule;
import dev.halogen.ir.Stmt;
import dev.halogen.ir.Type;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pins the JSON shape with hand-written documents, independently of the encoder. */
class IrJsonFormatTest {
  static final Expr.Var X = Expr.Var.of("x");

  static Expr.IntImm i32(long v) {
    return new Expr.IntImm(Type.I32, v);
  }

  @Test
  void binaryNode() {
    String expected = """
        {
          "format": 1,
          "kind": "expr",
          "expr": {
            "node": "Add",
            "a": {
              "node": "Var",
              "type": "int32",
              "name": "x"
            },
            "b": {
              "node": "IntImm",
              "type": "int32",
              "value": 1
            }
          }
        }""";
    Expr e = new Expr.Add(X, i32(1));
    assertEquals(expected, IrJson.toJson(e));
    assertEquals(e, IrJson.exprFromJson(expected));
  }

  @Test
  void immediatesWithExactValues() {
    // uint64 max is written unsigned; float specials are strings; -0.0 keeps its sign; float32 0.1
    // is written in float32 precision ("0.1", not 0.10000000149011612).
    String expected = """
        {
          "format": 1,
          "kind": "expr",
          "expr": {
            "node": "Select",
            "condition": {
              "node": "UIntImm",
              "type": "bool",
              "value": 1
            },
            "trueValue": {
              "node": "Call",
              "type": "float32",
              "name": "f",
              "args": [
                {
                  "node": "UIntImm",
                  "type": "uint64",
                  "value": 18446744073709551615
                },
                {
                  "node": "FloatImm",
                  "type": "float64",
                  "value": "NaN"
                },
                {
                  "node": "FloatImm",
                  "type": "float32",
                  "value": -0.0
                },
                {
                  "node": "FloatImm",
                  "type": "float64",
                  "value": "-Infinity"
                }
              ],
              "kind": "EXTERN",
              "valueIndex": 0
            },
            "falseValue": {
              "node": "FloatImm",
              "type": "float32",
              "value": 0.1
            }
          }
        }""";
    Expr call = new Expr.Call(Type.F32, "f", List.of(new Expr.UIntImm(Type.U64, -1L), new Expr.FloatImm(Type.F64, Double.NaN),
        new Expr.FloatImm(Type.F32, -0.0), new Expr.FloatImm(Type.F64, Double.NEGATIVE_INFINITY)), Expr.CallKind.EXTERN);
    Expr e = new Expr.Select(new Expr.UIntImm(Type.BOOL, 1), call, new Expr.FloatImm(Type.F32, 0.1));
    assertEquals(expected, IrJson.toJson(e));
    assertEquals(e, IrJson.exprFromJson(expected));
  }

  @Test
  void loopStatement() {
    String expected = """
        {
          "format": 1,
          "kind": "stmt",
          "stmt": {
            "node": "For",
            "name": "i",
            "min": {
              "node": "IntImm",
              "type": "int32",
              "value": -2
            },
            "extent": {
              "node": "IntImm",
              "type": "int32",
              "value": 4
            },
            "kind": "GPU_THREAD",
            "deviceApi": "CUDA",
            "body": {
              "node": "Free",
              "name": "b"
            }
          }
        }""";
    Stmt s = new Stmt.For("i", i32(-2), i32(4), ForKind.GPU_THREAD, DeviceApi.CUDA, new Stmt.Free("b"));
    assertEquals(expected, IrJson.toJson(s));
    assertEquals(s, IrJson.stmtFromJson(expected));
  }

  @Test
  void moduleWithConstantBuffer() {
    // 1, 2, 3 as little-endian int32: 01 00 00 00 02 00 00 00 03 00 00 00 in base64.
    String expected = """
        {
          "format": 1,
          "kind": "module",
          "name": "m",
          "entryPoints": [
            {
              "name": "m",
              "arguments": [
                {
                  "name": "out",
                  "kind": "OUTPUT_BUFFER",
                  "type": "uint8",
                  "dimensions": 2
                }
              ],
              "body": {
                "node": "Block",
                "stmts": []
              }
            }
          ],
          "constants": [
            {
              "name": "lut",
              "buffer": {
                "type": "int32",
                "mins": [
                  5
                ],
                "extents": [
                  3
                ],
                "data": "AQAAAAIAAAADAAAA"
              }
            }
          ]
        }""";
    LoweredModule m = new LoweredModule("m",
        List.of(new LoweredModule.EntryPoint("m",
            List.of(new LoweredModule.Argument("out", LoweredModule.ArgumentKind.OUTPUT_BUFFER, Type.U8, 2)), Stmt.NO_OP)),
        List.of(new Parameter.Constant("lut", Buffer.of(Type.I32, new int[] {1, 2, 3}, 3).withMins(5))));
    assertEquals(expected, IrJson.toJson(m));
    assertEquals(m, IrJson.moduleFromJson(expected));
  }

  @Test
  void pipelineShape() {
    // Written compactly and in another field order: the reader does not care about either, and the
    // writer's tree must equal this one.
    String doc = """
        {"kind": "pipeline", "format": 1, "outputs": ["f"], "parameters": [
           {"node": "Scalar", "name": "k", "type": "int32", "defaultValue": null}],
         "functions": [{"name": "f", "args": ["x"], "outputTypes": ["int32"],
           "definition": {"args": [{"node": "Var", "type": "int32", "name": "x"}],
                          "values": [{"node": "Var", "type": "int32", "name": "k"}],
                          "domain": null,
                          "schedule": {"splits": [], "dims": [{"var": "x", "kind": "PARALLEL", "deviceApi": "HOST", "isRVar": false}],
                                       "rfactors": [], "atomic": false, "overrideAssociativityTest": false}},
           "updates": [],
           "schedule": {"computeLevel": {"node": "Root"}, "storeLevel": {"node": "At", "func": "g", "stage": 1, "var": "y"},
                        "bounds": [], "estimates": [], "memoryType": "HEAP"}}]}""";
    Function f = new Function("f", List.of("x"), List.of(Type.I32),
        new Definition(List.of(X), List.of(Expr.Var.of("k")), null,
            StageSchedule.of(List.of(new Dim("x", ForKind.PARALLEL, DeviceApi.HOST, false)))),
        List.of(), new FuncSchedule(dev.halogen.ir.LoopLevel.ROOT, new dev.halogen.ir.LoopLevel.At("g", 1, "y"), List.of(),
            List.of(), dev.halogen.ir.MemoryType.HEAP));
    Pipeline p = Pipeline.of(List.of("f"), List.of(f), List.of(new Parameter.Scalar("k", Type.I32, null)));
    assertEquals(p, IrJson.pipelineFromJson(doc));
    assertEquals(JsonEdit.parse(doc), JsonEdit.parse(IrJson.toJson(p)));
  }
}
