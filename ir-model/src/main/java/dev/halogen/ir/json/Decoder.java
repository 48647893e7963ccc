package dev.halogen.ir.json;

import dev.halogen.ir.Bound;
import dev.halogen.ir.Definition;
import dev.halogen.ir.DeviceApi;
import dev.halogen.ir.Dim;
import dev.halogen.ir.Expr;
import dev.halogen.ir.Expr.*;
import dev.halogen.ir.ForKind;
import dev.halogen.ir.FuncSchedule;
import dev.halogen.ir.Function;
import dev.halogen.ir.IrFormatException;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kotlinx.serialization.SerializationException;
import kotlinx.serialization.json.Json;
import kotlinx.serialization.json.JsonElement;
import org.jspecify.annotations.Nullable;

/**
 * JSON trees to IR, the inverse of {@link Encoder}. Every value is read through an {@link At} that
 * knows its path, every object through {@link Fields}, which rejects fields it does not know, and
 * every IR constructor runs under {@link #construct}, which turns the constructor's {@link
 * IllegalArgumentException} into an {@link IrFormatException} at the path of the object being
 * built. So the only exception that leaves is {@link IrFormatException}, and nothing is returned
 * unless the whole document was read.
 */
final class Decoder {
  private Decoder() {}

  /** Reads the fields of one JSON object into a value. */
  @FunctionalInterface
  interface ObjectReader<T> {
    T read(Fields fields);
  }

  // ------------------------------------------------------------------ documents and syntax

  /** Everything up to the parser's " at path: $" suffix, with the offset when the parser gives one. */
  private static final Pattern PARSER_MESSAGE =
      Pattern.compile("(?:Unexpected JSON token at offset (\\d+): )?(.*?)(?: at path: .*)?");

  /**
   * Reads a whole document: checks its format version first (so a newer document gets a version
   * error, not a confusing shape error) and its kind, then hands the object to {@code body}.
   */
  static <T> T document(String text, String kind, ObjectReader<T> body) {
    JsonElement root = parse(text);
    return object(new At(root, "$"), kind + " document", doc -> {
      At format = doc.get("format");
      String version = format.number();
      if (!version.equals(Integer.toString(IrJson.FORMAT_VERSION))) {
        throw format.error("unsupported format version " + version + ", this reader reads " + IrJson.FORMAT_VERSION);
      }
      At kindAt = doc.get("kind");
      String actual = kindAt.string();
      if (!actual.equals(kind)) throw kindAt.error("expected a " + kind + " document, got kind '" + actual + "'");
      return body.read(doc);
    });
  }

  private static JsonElement parse(String text) {
    if (text.isBlank()) throw new IrFormatException("offset " + text.length(), "empty document");
    try {
      return Json.Default.parseToJsonElement(text);
    } catch (SerializationException e) {
      String first = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
      Matcher m = PARSER_MESSAGE.matcher(first);
      boolean matched = m.matches();
      // Without an offset the parser ran out of input, which happens at the end of the text.
      int offset = matched && m.group(1) != null ? Integer.parseInt(m.group(1)) : text.length();
      String problem = matched ? m.group(2) : first;
      // The parser's whole complaint about input that stops inside a string is "EOF".
      if (problem.equals("EOF")) problem = "unexpected end of the input";
      throw new IrFormatException("offset " + offset, "invalid JSON: " + problem + " (" + lineColumn(text, offset) + ")", e);
    }
  }

  private static String lineColumn(String text, int offset) {
    int end = Math.min(offset, text.length());
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < end; i++) {
      if (text.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    return "line " + line + ", column " + (end - lineStart + 1);
  }

  // ------------------------------------------------------------------ object reading

  /** Reads the object at {@code at} (described as {@code what} in messages) with {@code reader}. */
  static <T> T object(At at, String what, ObjectReader<T> reader) {
    return finish(at, at.object(what), reader);
  }

  private static <T> T finish(At at, Fields fields, ObjectReader<T> reader) {
    T value = construct(at, () -> reader.read(fields));
    fields.rejectUnread();
    return value;
  }

  /** Runs an IR constructor; its complaint becomes an error at the object being built. */
  private static <T> T construct(At at, Supplier<T> make) {
    try {
      return make.get();
    } catch (IllegalArgumentException e) {
      throw new IrFormatException(at.path(), e.getMessage(), e);
    }
  }

  /** The readers of one family of tagged objects ({@code {"node": tag, ...}}), by tag. */
  private static final class Family<T> {
    private final String name;
    private final Map<String, ObjectReader<? extends T>> byTag = new HashMap<>();

    Family(String name) {
      this.name = name;
    }

    Family<T> add(String tag, ObjectReader<? extends T> reader) {
      byTag.put(tag, reader);
      return this;
    }

    T read(At at) {
      Fields fields = at.object(name + " node");
      At tagAt = fields.get("node");
      String tag = tagAt.string();
      ObjectReader<? extends T> reader = byTag.get(tag);
      if (reader == null) {
        throw tagAt.error("unknown " + name + " node '" + tag + "' (known: " + String.join(", ", new TreeMap<>(byTag).keySet()) + ")");
      }
      fields.describeAs(tag);
      return finish(at, fields, reader);
    }
  }

  // ------------------------------------------------------------------ expressions

  private static final Family<Expr> EXPRS = new Family<Expr>("Expr")
      .add("IntImm", f -> {
        Type t = f.get("type").type();
        return new IntImm(t, integerImmediate(f.get("value"), t.isInt() ? t : Type.I64));
      })
      .add("UIntImm", f -> {
        Type t = f.get("type").type();
        return new UIntImm(t, integerImmediate(f.get("value"), t.isUInt() || t.isBool() ? t : Type.U64));
      })
      .add("FloatImm", f -> {
        Type t = f.get("type").type();
        return new FloatImm(t, FloatCodec.decode(f.get("value"), t));
      })
      .add("StringImm", f -> new StringImm(f.get("value").string()))
      .add("Cast", f -> new Cast(f.get("type").type(), expr(f.get("value"))))
      .add("Var", f -> new Var(f.get("type").type(), f.get("name").string()))
      .add("Add", binary(Add::new))
      .add("Sub", binary(Sub::new))
      .add("Mul", binary(Mul::new))
      .add("Div", binary(Div::new))
      .add("Mod", binary(Mod::new))
      .add("Min", binary(Min::new))
      .add("Max", binary(Max::new))
      .add("EQ", binary(EQ::new))
      .add("NE", binary(NE::new))
      .add("LT", binary(LT::new))
      .add("LE", binary(LE::new))
      .add("GT", binary(GT::new))
      .add("GE", binary(GE::new))
      .add("And", binary(And::new))
      .add("Or", binary(Or::new))
      .add("Not", f -> new Not(expr(f.get("a"))))
      .add("Select", f -> new Select(expr(f.get("condition")), expr(f.get("trueValue")), expr(f.get("falseValue"))))
      .add("Let", f -> new Let(f.get("name").string(), expr(f.get("value")), expr(f.get("body"))))
      .add("Call", f -> new Call(f.get("type").type(), f.get("name").string(), exprs(f.get("args")),
          f.get("kind").enumValue(CallKind.class), f.get("valueIndex").int32()))
      .add("Load", f -> new Load(f.get("type").type(), f.get("name").string(), expr(f.get("index")),
          expr(f.get("predicate"))))
      .add("Ramp", f -> new Ramp(expr(f.get("base")), expr(f.get("stride")), f.get("lanes").int32()))
      .add("Broadcast", f -> new Broadcast(expr(f.get("value")), f.get("lanes").int32()))
      .add("VectorReduce", f -> new VectorReduce(f.get("op").enumValue(VectorReduce.Op.class), expr(f.get("value")),
          f.get("lanes").int32()));

  private static ObjectReader<Expr> binary(BiFunction<Expr, Expr, Expr> make) {
    return f -> make.apply(expr(f.get("a")), expr(f.get("b")));
  }

  /**
   * The value of an integer immediate, checked against the range of {@code type} (an int, uint or
   * bool type) so that the error points at the value.
   */
  private static long integerImmediate(At at, Type type) {
    BigInteger max = type.isUInt() && type.bits() == 64
        ? BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE)
        : BigInteger.valueOf(type.maxInt());
    return at.integer(BigInteger.valueOf(type.minInt()), max, type.toString());
  }

  static Expr expr(At at) {
    return EXPRS.read(at);
  }

  private static List<Expr> exprs(At at) {
    return at.list(Decoder::expr);
  }

  private static @Nullable Expr nullableExpr(At at) {
    return at.isNull() ? null : expr(at);
  }

  // ------------------------------------------------------------------ statements

  private static final Family<Stmt> STMTS = new Family<Stmt>("Stmt")
      .add("LetStmt", f -> new LetStmt(f.get("name").string(), expr(f.get("value")), stmt(f.get("body"))))
      .add("AssertStmt", f -> new AssertStmt(expr(f.get("condition")), f.get("message").string(), exprs(f.get("args"))))
      .add("ProducerConsumer", f -> new ProducerConsumer(f.get("name").string(), f.get("isProducer").bool(),
          stmt(f.get("body"))))
      .add("For", f -> new For(f.get("name").string(), expr(f.get("min")), expr(f.get("extent")),
          f.get("kind").enumValue(ForKind.class), f.get("deviceApi").enumValue(DeviceApi.class), stmt(f.get("body"))))
      .add("Provide", f -> new Provide(f.get("name").string(), exprs(f.get("values")), exprs(f.get("args"))))
      .add("Realize", f -> new Realize(f.get("name").string(), f.get("types").list(At::type),
          f.get("memoryType").enumValue(MemoryType.class), f.get("bounds").list(Decoder::range),
          expr(f.get("condition")), stmt(f.get("body"))))
      .add("Store", f -> new Store(f.get("name").string(), expr(f.get("value")), expr(f.get("index")),
          expr(f.get("predicate"))))
      .add("Allocate", f -> new Allocate(f.get("name").string(), f.get("type").type(),
          f.get("memoryType").enumValue(MemoryType.class), exprs(f.get("extents")), expr(f.get("condition")),
          stmt(f.get("body"))))
      .add("Free", f -> new Free(f.get("name").string()))
      .add("Block", f -> new Block(f.get("stmts").list(Decoder::stmt)))
      .add("IfThenElse", f -> new IfThenElse(expr(f.get("condition")), stmt(f.get("thenCase")), stmt(f.get("elseCase"))))
      .add("Evaluate", f -> new Evaluate(expr(f.get("value"))))
      .add("Atomic", f -> new Atomic(f.get("producerName").string(), f.get("mutexName").string(), stmt(f.get("body"))));

  static Stmt stmt(At at) {
    return STMTS.read(at);
  }

  private static Range range(At at) {
    return object(at, "Range", f -> new Range(expr(f.get("min")), expr(f.get("extent"))));
  }

  // ------------------------------------------------------------------ function graph

  /** The pipeline in the fields of a pipeline document. */
  static Pipeline pipeline(Fields doc) {
    TreeMap<String, Function> functions = new TreeMap<>();
    Map<String, String> firstPath = new HashMap<>();
    for (At at : doc.get("functions").array()) {
      Function f = function(at);
      String earlier = firstPath.putIfAbsent(f.name(), at.path());
      if (earlier != null) {
        throw new IrFormatException(at.path() + ".name", "duplicate function name '" + f.name() + "' (also at " + earlier + ")");
      }
      functions.put(f.name(), f);
    }
    List<String> outputs = new ArrayList<>();
    for (At at : doc.get("outputs").array()) {
      String name = at.string();
      if (!functions.containsKey(name)) {
        throw at.error("output '" + name + "' is not a function of the pipeline (functions: "
            + String.join(", ", functions.keySet()) + ")");
      }
      outputs.add(name);
    }
    List<Parameter> parameters = doc.get("parameters").list(PARAMETERS::read);
    return new Pipeline(outputs, functions, parameters);
  }

  private static Function function(At at) {
    return object(at, "Function", f -> new Function(f.get("name").string(), f.get("args").list(At::string),
        f.get("outputTypes").list(At::type), definition(f.get("definition")), f.get("updates").list(Decoder::definition),
        funcSchedule(f.get("schedule"))));
  }

  private static Definition definition(At at) {
    return object(at, "Definition", f -> {
      List<Expr> args = exprs(f.get("args"));
      List<Expr> values = exprs(f.get("values"));
      At domain = f.get("domain");
      return new Definition(args, values, domain.isNull() ? null : reductionDomain(domain), stageSchedule(f.get("schedule")));
    });
  }

  private static ReductionDomain reductionDomain(At at) {
    return object(at, "ReductionDomain", f -> new ReductionDomain(f.get("name").string(),
        f.get("variables").list(Decoder::reductionVariable), expr(f.get("predicate"))));
  }

  private static ReductionDomain.ReductionVariable reductionVariable(At at) {
    return object(at, "ReductionVariable", f -> new ReductionDomain.ReductionVariable(f.get("name").string(),
        expr(f.get("min")), expr(f.get("extent"))));
  }

  private static StageSchedule stageSchedule(At at) {
    return object(at, "StageSchedule", f -> new StageSchedule(f.get("splits").list(SPLITS::read),
        f.get("dims").list(Decoder::dim), f.get("rfactors").list(Decoder::rfactor), f.get("atomic").bool(),
        f.get("overrideAssociativityTest").bool()));
  }

  private static final Family<Split> SPLITS = new Family<Split>("Split")
      .add("SplitVar", f -> new Split.SplitVar(f.get("old").string(), f.get("outer").string(), f.get("inner").string(),
          expr(f.get("factor")), f.get("tail").enumValue(TailStrategy.class)))
      .add("FuseVars", f -> new Split.FuseVars(f.get("inner").string(), f.get("outer").string(), f.get("fused").string()))
      .add("RenameVar", f -> new Split.RenameVar(f.get("old").string(), f.get("renamed").string()));

  private static Dim dim(At at) {
    return object(at, "Dim", f -> new Dim(f.get("var").string(), f.get("kind").enumValue(ForKind.class),
        f.get("deviceApi").enumValue(DeviceApi.class), f.get("isRVar").bool()));
  }

  private static RFactor rfactor(At at) {
    return object(at, "RFactor", f -> new RFactor(f.get("intermediate").string(), f.get("pairs").list(Decoder::rfactorPair)));
  }

  private static RFactor.Pair rfactorPair(At at) {
    return object(at, "RFactor pair", f -> new RFactor.Pair(f.get("rvar").string(), f.get("var").string()));
  }

  private static FuncSchedule funcSchedule(At at) {
    return object(at, "FuncSchedule", f -> new FuncSchedule(LOOP_LEVELS.read(f.get("computeLevel")),
        LOOP_LEVELS.read(f.get("storeLevel")), f.get("bounds").list(Decoder::bound), f.get("estimates").list(Decoder::bound),
        f.get("memoryType").enumValue(MemoryType.class)));
  }

  private static final Family<LoopLevel> LOOP_LEVELS = new Family<LoopLevel>("LoopLevel")
      .add("Inlined", f -> LoopLevel.INLINED)
      .add("Root", f -> LoopLevel.ROOT)
      .add("At", f -> new LoopLevel.At(f.get("func").string(), f.get("stage").int32(), f.get("var").string()));

  private static Bound bound(At at) {
    return object(at, "Bound", f -> new Bound(f.get("var").string(), expr(f.get("min")), expr(f.get("extent"))));
  }

  private static final Family<Parameter> PARAMETERS = new Family<Parameter>("Parameter")
      .add("Scalar", f -> new Parameter.Scalar(f.get("name").string(), f.get("type").type(),
          nullableExpr(f.get("defaultValue"))))
      .add("Image", f -> new Parameter.Image(f.get("name").string(), f.get("type").type(), f.get("dimensions").int32()))
      .add("Constant", Decoder::constantFields);

  /** A constant buffer's fields, shared by pipeline parameters (tagged) and module constants (untagged). */
  private static Parameter.Constant constantFields(Fields f) {
    return new Parameter.Constant(f.get("name").string(), BufferCodec.decode(f.get("buffer")));
  }

  // ------------------------------------------------------------------ lowered modules

  /** The module in the fields of a module document. */
  static LoweredModule module(Fields doc) {
    return new LoweredModule(doc.get("name").string(), doc.get("entryPoints").list(Decoder::entryPoint),
        doc.get("constants").list(at -> object(at, "constant", Decoder::constantFields)));
  }

  private static LoweredModule.EntryPoint entryPoint(At at) {
    return object(at, "EntryPoint", f -> new LoweredModule.EntryPoint(f.get("name").string(),
        f.get("arguments").list(Decoder::argument), stmt(f.get("body"))));
  }

  private static LoweredModule.Argument argument(At at) {
    return object(at, "Argument", f -> new LoweredModule.Argument(f.get("name").string(),
        f.get("kind").enumValue(LoweredModule.ArgumentKind.class), f.get("type").type(), f.get("dimensions").int32()));
  }
}
