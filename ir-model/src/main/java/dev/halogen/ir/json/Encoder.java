package dev.halogen.ir.json;

import dev.halogen.ir.Bound;
import dev.halogen.ir.Buffer;
import dev.halogen.ir.Definition;
import dev.halogen.ir.DeviceApi;
import dev.halogen.ir.Dim;
import dev.halogen.ir.Expr;
import dev.halogen.ir.Expr.*;
import dev.halogen.ir.ForKind;
import dev.halogen.ir.FuncSchedule;
import dev.halogen.ir.Function;
import dev.halogen.ir.LoopLevel;
import dev.halogen.ir.LoweredModule;
import dev.halogen.ir.MemoryType;
import dev.halogen.ir.Parameter;
import dev.halogen.ir.Pipeline;
import dev.halogen.ir.RFactor;
import dev.halogen.ir.Range;
import dev.halogen.ir.ReductionDomain;
import dev.halogen.ir.Split;
import dev.halogen.ir.StageSchedule;
import dev.halogen.ir.Stmt;
import dev.halogen.ir.Stmt.*;
import dev.halogen.ir.TailStrategy;
import dev.halogen.ir.Type;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SortedMap;
import kotlinx.serialization.json.JsonArray;
import kotlinx.serialization.json.JsonElement;
import kotlinx.serialization.json.JsonElementKt;
import kotlinx.serialization.json.JsonNull;
import kotlinx.serialization.json.JsonObject;
import org.jspecify.annotations.Nullable;

/**
 * IR to JSON trees. Every record is taken apart with a record pattern, so adding a component to an
 * IR record fails compilation here until its JSON form is decided. Fields are written in a fixed
 * order (the record's), which makes the printed form deterministic. {@link Decoder} reads exactly
 * these shapes back.
 */
final class Encoder {
  private Encoder() {}

  /** Builds a JSON object whose fields keep the order they are put in. */
  static final class Obj {
    private final LinkedHashMap<String, JsonElement> fields = new LinkedHashMap<>();

    Obj put(String key, JsonElement value) {
      fields.put(key, value);
      return this;
    }

    Obj put(String key, String value) {
      return put(key, string(value));
    }

    Obj put(String key, long value) {
      return put(key, JsonElementKt.JsonPrimitive((Number) value));
    }

    Obj put(String key, boolean value) {
      return put(key, JsonElementKt.JsonPrimitive((Boolean) value));
    }

    Obj put(String key, Type value) {
      return put(key, value.toString());
    }

    Obj put(String key, Enum<?> value) {
      return put(key, value.name());
    }

    Obj put(String key, Expr value) {
      return put(key, expr(value));
    }

    Obj put(String key, Stmt value) {
      return put(key, stmt(value));
    }

    JsonObject done() {
      return new JsonObject(fields);
    }
  }

  /** The start of a tagged object: {@code {"node": tag, ...}}. */
  static Obj node(String tag) {
    return new Obj().put("node", tag);
  }

  /** The start of a document: {@code {"format": 1, "kind": kind, ...}}. */
  static Obj document(String kind) {
    return new Obj().put("format", IrJson.FORMAT_VERSION).put("kind", kind);
  }

  static <T> JsonArray array(List<T> items, java.util.function.Function<T, JsonElement> encode) {
    return new JsonArray(items.stream().map(encode).toList());
  }

  static JsonElement string(String s) {
    return JsonElementKt.JsonPrimitive(s);
  }

  private static JsonElement type(Type t) {
    return string(t.toString());
  }

  private static JsonArray exprs(List<Expr> es) {
    return array(es, Encoder::expr);
  }

  private static JsonArray strings(List<String> ss) {
    return array(ss, Encoder::string);
  }

  /** The JSON value of a nullable component: the encoded value or {@code null}. */
  private static <T> JsonElement nullable(@Nullable T value, java.util.function.Function<T, JsonElement> encode) {
    return value == null ? JsonNull.INSTANCE : encode.apply(value);
  }

  /** A uint64 immediate's bits read as unsigned, so 2^64-1 is written as 18446744073709551615, not -1. */
  private static JsonElement unsigned(long bits) {
    return JsonElementKt.JsonPrimitive(bits >= 0 ? (Number) bits : new BigInteger(Long.toUnsignedString(bits)));
  }

  // ------------------------------------------------------------------ expressions

  static JsonObject expr(Expr e) {
    return switch (e) {
      case IntImm(Type type, long value) -> node("IntImm").put("type", type).put("value", value).done();
      case UIntImm(Type type, long value) -> node("UIntImm").put("type", type).put("value", unsigned(value)).done();
      case FloatImm(Type type, double value) ->
          node("FloatImm").put("type", type).put("value", FloatCodec.encode(type, value)).done();
      case StringImm(String value) -> node("StringImm").put("value", value).done();
      case Cast(Type type, Expr value) -> node("Cast").put("type", type).put("value", value).done();
      case Var(Type type, String name) -> node("Var").put("type", type).put("name", name).done();
      case Add(Expr a, Expr b) -> binary("Add", a, b);
      case Sub(Expr a, Expr b) -> binary("Sub", a, b);
      case Mul(Expr a, Expr b) -> binary("Mul", a, b);
      case Div(Expr a, Expr b) -> binary("Div", a, b);
      case Mod(Expr a, Expr b) -> binary("Mod", a, b);
      case Min(Expr a, Expr b) -> binary("Min", a, b);
      case Max(Expr a, Expr b) -> binary("Max", a, b);
      case EQ(Expr a, Expr b) -> binary("EQ", a, b);
      case NE(Expr a, Expr b) -> binary("NE", a, b);
      case LT(Expr a, Expr b) -> binary("LT", a, b);
      case LE(Expr a, Expr b) -> binary("LE", a, b);
      case GT(Expr a, Expr b) -> binary("GT", a, b);
      case GE(Expr a, Expr b) -> binary("GE", a, b);
      case And(Expr a, Expr b) -> binary("And", a, b);
      case Or(Expr a, Expr b) -> binary("Or", a, b);
      case Not(Expr a) -> node("Not").put("a", a).done();
      case Select(Expr condition, Expr trueValue, Expr falseValue) ->
          node("Select").put("condition", condition).put("trueValue", trueValue).put("falseValue", falseValue).done();
      case Let(String name, Expr value, Expr body) ->
          node("Let").put("name", name).put("value", value).put("body", body).done();
      case Call(Type type, String name, List<Expr> args, CallKind kind, int valueIndex) ->
          node("Call").put("type", type).put("name", name).put("args", exprs(args)).put("kind", kind)
              .put("valueIndex", valueIndex).done();
      case Load(Type type, String name, Expr index, Expr predicate) ->
          node("Load").put("type", type).put("name", name).put("index", index).put("predicate", predicate).done();
      case Ramp(Expr base, Expr stride, int lanes) ->
          node("Ramp").put("base", base).put("stride", stride).put("lanes", lanes).done();
      case Broadcast(Expr value, int lanes) -> node("Broadcast").put("value", value).put("lanes", lanes).done();
      case VectorReduce(VectorReduce.Op op, Expr value, int lanes) ->
          node("VectorReduce").put("op", op).put("value", value).put("lanes", lanes).done();
    };
  }

  private static JsonObject binary(String tag, Expr a, Expr b) {
    return node(tag).put("a", a).put("b", b).done();
  }

  // ------------------------------------------------------------------ statements

  static JsonObject stmt(Stmt s) {
    return switch (s) {
      case LetStmt(String name, Expr value, Stmt body) ->
          node("LetStmt").put("name", name).put("value", value).put("body", body).done();
      case AssertStmt(Expr condition, String message, List<Expr> args) ->
          node("AssertStmt").put("condition", condition).put("message", message).put("args", exprs(args)).done();
      case ProducerConsumer(String name, boolean isProducer, Stmt body) ->
          node("ProducerConsumer").put("name", name).put("isProducer", isProducer).put("body", body).done();
      case For(String name, Expr min, Expr extent, ForKind kind, DeviceApi deviceApi, Stmt body) ->
          node("For").put("name", name).put("min", min).put("extent", extent).put("kind", kind)
              .put("deviceApi", deviceApi).put("body", body).done();
      case Provide(String name, List<Expr> values, List<Expr> args) ->
          node("Provide").put("name", name).put("values", exprs(values)).put("args", exprs(args)).done();
      case Realize(String name, List<Type> types, MemoryType memoryType, List<Range> bounds, Expr condition, Stmt body) ->
          node("Realize").put("name", name).put("types", array(types, Encoder::type)).put("memoryType", memoryType)
              .put("bounds", array(bounds, Encoder::range)).put("condition", condition).put("body", body).done();
      case Store(String name, Expr value, Expr index, Expr predicate) ->
          node("Store").put("name", name).put("value", value).put("index", index).put("predicate", predicate).done();
      case Allocate(String name, Type type, MemoryType memoryType, List<Expr> extents, Expr condition, Stmt body) ->
          node("Allocate").put("name", name).put("type", type).put("memoryType", memoryType)
              .put("extents", exprs(extents)).put("condition", condition).put("body", body).done();
      case Free(String name) -> node("Free").put("name", name).done();
      case Block(List<Stmt> stmts) -> node("Block").put("stmts", array(stmts, Encoder::stmt)).done();
      case IfThenElse(Expr condition, Stmt thenCase, Stmt elseCase) ->
          node("IfThenElse").put("condition", condition).put("thenCase", thenCase).put("elseCase", elseCase).done();
      case Evaluate(Expr value) -> node("Evaluate").put("value", value).done();
      case Atomic(String producerName, String mutexName, Stmt body) ->
          node("Atomic").put("producerName", producerName).put("mutexName", mutexName).put("body", body).done();
    };
  }

  private static JsonObject range(Range r) {
    return switch (r) {
      case Range(Expr min, Expr extent) -> new Obj().put("min", min).put("extent", extent).done();
    };
  }

  // ------------------------------------------------------------------ function graph

  /** The fields of a pipeline document; functions are listed in name order. */
  static JsonObject pipeline(Obj document, Pipeline p) {
    return switch (p) {
      case Pipeline(List<String> outputs, SortedMap<String, Function> functions, List<Parameter> parameters) ->
          document.put("outputs", strings(outputs))
              .put("functions", array(List.copyOf(functions.values()), Encoder::function))
              .put("parameters", array(parameters, Encoder::parameter))
              .done();
    };
  }

  private static JsonObject function(Function f) {
    return switch (f) {
      case Function(String name, List<String> args, List<Type> outputTypes, Definition definition,
          List<Definition> updates, FuncSchedule schedule) ->
          new Obj().put("name", name).put("args", strings(args)).put("outputTypes", array(outputTypes, Encoder::type))
              .put("definition", definition(definition)).put("updates", array(updates, Encoder::definition))
              .put("schedule", funcSchedule(schedule)).done();
    };
  }

  private static JsonObject definition(Definition d) {
    return switch (d) {
      case Definition(List<Expr> args, List<Expr> values, ReductionDomain domain, StageSchedule schedule) ->
          new Obj().put("args", exprs(args)).put("values", exprs(values))
              .put("domain", nullable(domain, Encoder::reductionDomain)).put("schedule", stageSchedule(schedule)).done();
    };
  }

  private static JsonObject reductionDomain(ReductionDomain r) {
    return switch (r) {
      case ReductionDomain(String name, List<ReductionDomain.ReductionVariable> variables, Expr predicate) ->
          new Obj().put("name", name).put("variables", array(variables, Encoder::reductionVariable))
              .put("predicate", predicate).done();
    };
  }

  private static JsonObject reductionVariable(ReductionDomain.ReductionVariable v) {
    return switch (v) {
      case ReductionDomain.ReductionVariable(String name, Expr min, Expr extent) ->
          new Obj().put("name", name).put("min", min).put("extent", extent).done();
    };
  }

  private static JsonObject stageSchedule(StageSchedule s) {
    return switch (s) {
      case StageSchedule(List<Split> splits, List<Dim> dims, List<RFactor> rfactors, boolean atomic,
          boolean overrideAssociativityTest) ->
          new Obj().put("splits", array(splits, Encoder::split)).put("dims", array(dims, Encoder::dim))
              .put("rfactors", array(rfactors, Encoder::rfactor)).put("atomic", atomic)
              .put("overrideAssociativityTest", overrideAssociativityTest).done();
    };
  }

  private static JsonObject split(Split s) {
    return switch (s) {
      case Split.SplitVar(String old, String outer, String inner, Expr factor, TailStrategy tail) ->
          node("SplitVar").put("old", old).put("outer", outer).put("inner", inner).put("factor", factor)
              .put("tail", tail).done();
      case Split.FuseVars(String inner, String outer, String fused) ->
          node("FuseVars").put("inner", inner).put("outer", outer).put("fused", fused).done();
      case Split.RenameVar(String old, String renamed) -> node("RenameVar").put("old", old).put("renamed", renamed).done();
    };
  }

  private static JsonObject dim(Dim d) {
    return switch (d) {
      case Dim(String var, ForKind kind, DeviceApi deviceApi, boolean isRVar) ->
          new Obj().put("var", var).put("kind", kind).put("deviceApi", deviceApi).put("isRVar", isRVar).done();
    };
  }

  private static JsonObject rfactor(RFactor r) {
    return switch (r) {
      case RFactor(String intermediate, List<RFactor.Pair> pairs) ->
          new Obj().put("intermediate", intermediate).put("pairs", array(pairs, Encoder::rfactorPair)).done();
    };
  }

  private static JsonObject rfactorPair(RFactor.Pair p) {
    return switch (p) {
      case RFactor.Pair(String rvar, String var) -> new Obj().put("rvar", rvar).put("var", var).done();
    };
  }

  private static JsonObject funcSchedule(FuncSchedule s) {
    return switch (s) {
      case FuncSchedule(LoopLevel computeLevel, LoopLevel storeLevel, List<Bound> bounds, List<Bound> estimates,
          MemoryType memoryType) ->
          new Obj().put("computeLevel", loopLevel(computeLevel)).put("storeLevel", loopLevel(storeLevel))
              .put("bounds", array(bounds, Encoder::bound)).put("estimates", array(estimates, Encoder::bound))
              .put("memoryType", memoryType).done();
    };
  }

  private static JsonObject loopLevel(LoopLevel l) {
    return switch (l) {
      case LoopLevel.Inlined() -> node("Inlined").done();
      case LoopLevel.Root() -> node("Root").done();
      case LoopLevel.At(String func, int stage, String var) ->
          node("At").put("func", func).put("stage", stage).put("var", var).done();
    };
  }

  private static JsonObject bound(Bound b) {
    return switch (b) {
      case Bound(String var, Expr min, Expr extent) -> new Obj().put("var", var).put("min", min).put("extent", extent).done();
    };
  }

  private static JsonObject parameter(Parameter p) {
    return switch (p) {
      case Parameter.Scalar(String name, Type type, Expr defaultValue) ->
          node("Scalar").put("name", name).put("type", type).put("defaultValue", nullable(defaultValue, Encoder::expr))
              .done();
      case Parameter.Image(String name, Type type, int dimensions) ->
          node("Image").put("name", name).put("type", type).put("dimensions", dimensions).done();
      case Parameter.Constant c -> constant(node("Constant"), c);
    };
  }

  /** A constant buffer's fields, shared by pipeline parameters (tagged) and module constants (untagged). */
  private static JsonObject constant(Obj into, Parameter.Constant c) {
    return switch (c) {
      case Parameter.Constant(String name, Buffer buffer) ->
          into.put("name", name).put("buffer", BufferCodec.encode(buffer)).done();
    };
  }

  // ------------------------------------------------------------------ lowered modules

  /** The fields of a module document. */
  static JsonObject module(Obj document, LoweredModule m) {
    return switch (m) {
      case LoweredModule(String name, List<LoweredModule.EntryPoint> entryPoints, List<Parameter.Constant> constants) ->
          document.put("name", name).put("entryPoints", array(entryPoints, Encoder::entryPoint))
              .put("constants", array(constants, c -> constant(new Obj(), c))).done();
    };
  }

  private static JsonObject entryPoint(LoweredModule.EntryPoint e) {
    return switch (e) {
      case LoweredModule.EntryPoint(String name, List<LoweredModule.Argument> arguments, Stmt body) ->
          new Obj().put("name", name).put("arguments", array(arguments, Encoder::argument)).put("body", body).done();
    };
  }

  private static JsonObject argument(LoweredModule.Argument a) {
    return switch (a) {
      case LoweredModule.Argument(String name, LoweredModule.ArgumentKind kind, Type type, int dimensions) ->
          new Obj().put("name", name).put("kind", kind).put("type", type).put("dimensions", dimensions).done();
    };
  }
}
