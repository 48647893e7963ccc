package dev.halogen.backend.interp;

import dev.halogen.backend.interp.Storage.Origin;
import dev.halogen.ir.Buffer;
import dev.halogen.ir.Expr;
import dev.halogen.ir.LoweredModule;
import dev.halogen.ir.LoweredModule.Argument;
import dev.halogen.ir.Parameter;
import dev.halogen.ir.Range;
import dev.halogen.ir.Stmt;
import dev.halogen.ir.Stmt.*;
import dev.halogen.ir.Type;
import dev.halogen.passes.Arguments;
import dev.halogen.passes.HalogenRuntimeException;
import dev.halogen.passes.analysis.CallHandler;
import dev.halogen.passes.analysis.Environment;
import dev.halogen.passes.analysis.EvaluationException;
import dev.halogen.passes.analysis.Evaluator;
import dev.halogen.passes.analysis.Value;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One run of one entry point: executes its body statement by statement, evaluating every expression
 * with the {@link Evaluator} and serving its Func and image calls and its loads from the run's
 * storage (this class is the evaluator's {@link CallHandler}). Not thread-safe; each run makes its
 * own.
 *
 * <p>Loops of every kind run serially, in order. Storage made by Realize and Allocate is zero-filled
 * off-heap memory owned by the statement (an Allocate's until its Free, if that comes first), and is
 * released when the statement ends, whether it ends normally or by an exception.
 */
final class Interpreter implements CallHandler {
  /** An output buffer argument that holds one element of a tuple-valued Func: {@code f.0}, {@code f.1}, ... */
  private static final Pattern TUPLE_ELEMENT = Pattern.compile("(.+)\\.(0|[1-9][0-9]*)");

  /** Whether the storage of a Realize or Allocate can be used. */
  private enum State {
    LIVE(""),
    NOT_MADE("its condition was false"),
    FREED("it was freed"),
    ENDED("its scope ended");

    final String why;

    State(String why) {
      this.why = why;
    }
  }

  /** A Realize or Allocate in scope: its storage (one per tuple element) and whether it is still there. */
  private static final class Slot {
    final Origin origin;
    final List<Storage> elements;
    final @Nullable Arena arena;
    State state;

    Slot(Origin origin, List<Storage> elements, @Nullable Arena arena, State state) {
      this.origin = origin;
      this.elements = elements;
      this.arena = arena;
      this.state = state;
    }

    /** Releases the memory if it is there, leaving the slot in {@code next}. */
    void release(State next) {
      if (state == State.LIVE && arena != null) arena.close();
      if (state == State.LIVE) state = next;
    }
  }

  private final Evaluator evaluator;
  private final Map<String, ExternFunction> externs;
  private final Map<String, Value> vars = new HashMap<>();
  private final Environment env = Environment.of(vars, this);
  /** Buffer arguments and constants by name. */
  private final Map<String, Storage> buffers = new HashMap<>();
  /** The output buffers of each Func by Func name, one per tuple element. */
  private final Map<String, List<Storage>> funcOutputs = new HashMap<>();
  /** The innermost Realize or Allocate of each name in scope. */
  private final Map<String, Slot> scope = new HashMap<>();

  private Interpreter(Evaluator evaluator, Map<String, ExternFunction> externs) {
    this.evaluator = evaluator;
    this.externs = externs;
  }

  /**
   * Runs {@code arguments.entryPoint()} of {@code module}.
   *
   * @throws HalogenRuntimeException when the run fails
   */
  static void run(LoweredModule module, Arguments arguments, Evaluator evaluator, Map<String, ExternFunction> externs) {
    Interpreter in = new Interpreter(evaluator, externs);
    for (Parameter.Constant c : module.constants()) in.bindBuffer(c.name(), Origin.CONSTANT, c.buffer());
    for (Argument a : arguments.entryPoint().arguments()) {
      switch (a.kind()) {
        case SCALAR -> in.vars.put(a.name(), arguments.scalar(a.name()));
        case INPUT_BUFFER -> in.bindBuffer(a.name(), Origin.INPUT, arguments.buffer(a.name()));
        case OUTPUT_BUFFER -> in.bindBuffer(a.name(), Origin.OUTPUT, arguments.buffer(a.name()));
      }
    }
    in.groupTupleOutputs();
    try {
      in.exec(arguments.entryPoint().body());
    } catch (EvaluationException e) {
      // An int32 overflow in checking mode, an unknown intrinsic, ...: a failure of this run like any other.
      throw new HalogenRuntimeException(e.getMessage(), e);
    }
  }

  /** Makes buffer {@code name} addressable and binds its bounds variables (LoweredModule.Argument's convention). */
  private void bindBuffer(String name, Origin origin, Buffer b) {
    Storage s = new Storage(name, origin, b);
    buffers.put(name, s);
    if (origin == Origin.OUTPUT) funcOutputs.put(name, List.of(s));
    for (int d = 0; d < b.dimensions(); d++) {
      if (b.stride(d) != (int) b.stride(d)) {
        throw new IllegalArgumentException(s.description() + ": stride " + b.stride(d) + " of dimension " + d + " does not fit in int32");
      }
      vars.put(LoweredModule.minVar(name, d).name(), i32(b.min(d)));
      vars.put(LoweredModule.extentVar(name, d).name(), i32(b.extent(d)));
      vars.put(LoweredModule.strideVar(name, d).name(), i32(b.stride(d)));
    }
  }

  /** Groups the output buffers {@code f.0 .. f.(n-1)} as the storage of the tuple-valued Func {@code f}. */
  private void groupTupleOutputs() {
    Map<String, Map<Integer, Storage>> tuples = new HashMap<>();
    for (Storage s : buffers.values()) {
      Matcher m = TUPLE_ELEMENT.matcher(s.name());
      if (s.origin() == Origin.OUTPUT && m.matches()) {
        tuples.computeIfAbsent(m.group(1), k -> new HashMap<>()).put(Integer.parseInt(m.group(2)), s);
      }
    }
    tuples.forEach((func, elements) -> {
      List<Storage> list = new ArrayList<>();
      while (elements.containsKey(list.size())) list.add(elements.get(list.size()));
      if (list.size() == elements.size()) funcOutputs.putIfAbsent(func, List.copyOf(list));
    });
  }

  private static Value i32(long v) {
    return new Value.IntScalar(Type.I32, v);
  }

  private Value eval(Expr e) {
    return evaluator.eval(e, env);
  }

  /** The value of an int32 expression. */
  private int evalInt(Expr e) {
    return (int) eval(e).longLane(0);
  }

  private boolean evalBool(Expr e) {
    return eval(e).longLane(0) != 0;
  }

  // ------------------------------------------------------------------ statements

  private void exec(Stmt s) {
    switch (s) {
      case LetStmt let -> execLets(let);
      case AssertStmt(Expr condition, String message, List<Expr> args) -> {
        if (!evalBool(condition)) {
          List<Value> values = new ArrayList<>(args.size());
          for (Expr a : args) values.add(eval(a));
          throw HalogenRuntimeException.assertionFailed(message, values);
        }
      }
      case ProducerConsumer pc -> exec(pc.body());
      case For f -> execFor(f);
      case Provide p -> provide(p);
      case Realize r -> realize(r);
      case Store st -> store(st);
      case Allocate a -> allocate(a);
      case Free(String name) -> free(name);
      case Block(List<Stmt> stmts) -> {
        for (Stmt t : stmts) exec(t);
      }
      case IfThenElse(Expr condition, Stmt thenCase, Stmt elseCase) -> exec(evalBool(condition) ? thenCase : elseCase);
      case Evaluate(Expr value) -> eval(value);
      case Atomic a -> exec(a.body()); // one thread runs everything: every update is atomic already
    }
  }

  /** A chain of lets, bound in a loop rather than by recursion: CSE output nests them deeply. */
  private void execLets(LetStmt first) {
    List<String> names = new ArrayList<>();
    List<@Nullable Value> saved = new ArrayList<>();
    Stmt s = first;
    try {
      while (s instanceof LetStmt(String name, Expr value, Stmt body)) {
        Value v = eval(value);
        names.add(name);
        saved.add(vars.put(name, v));
        s = body;
      }
      exec(s);
    } finally {
      for (int i = names.size() - 1; i >= 0; i--) restore(vars, names.get(i), saved.get(i));
    }
  }

  private void execFor(For f) {
    int min = evalInt(f.min());
    int extent = evalInt(f.extent());
    long end = (long) min + extent;
    if (extent > 0 && end - 1 > Integer.MAX_VALUE) {
      throw HalogenRuntimeException.loopBeyondInt32(f.name(), min, extent);
    }
    Value saved = vars.get(f.name());
    try {
      for (long i = min; i < end; i++) {
        vars.put(f.name(), i32(i));
        exec(f.body());
      }
    } finally {
      restore(vars, f.name(), saved);
    }
  }

  private static <T> void restore(Map<String, T> map, String name, @Nullable T saved) {
    if (saved == null) map.remove(name);
    else map.put(name, saved);
  }

  // ------------------------------------------------------------------ storage statements

  private void realize(Realize r) {
    String what = "Realize of " + r.name();
    int dims = r.bounds().size();
    int[] mins = new int[dims];
    int[] extents = new int[dims];
    for (int d = 0; d < dims; d++) {
      Range range = r.bounds().get(d);
      mins[d] = evalInt(range.min());
      extents[d] = evalInt(range.extent());
    }
    checkSize(what, extents);
    for (int d = 0; d < dims; d++) {
      if ((long) mins[d] + extents[d] - 1 > Integer.MAX_VALUE) {
        throw new HalogenRuntimeException(what + ": dimension " + d + " from " + mins[d] + " with extent " + extents[d]
            + " goes beyond the int32 range");
      }
    }
    withStorage(r.name(), Origin.REALIZATION, r.types(), mins, extents, evalBool(r.condition()), r.body());
  }

  private void allocate(Allocate a) {
    int[] extents = new int[a.extents().size()];
    for (int d = 0; d < extents.length; d++) extents[d] = evalInt(a.extents().get(d));
    int count = checkSize("Allocate of " + a.name(), extents);
    withStorage(a.name(), Origin.ALLOCATION, List.of(a.type()), new int[1], new int[] {count}, evalBool(a.condition()), a.body());
  }

  /**
   * The number of elements of {@code extents}, which must not be negative and must multiply to at most
   * what int32 flat indices address.
   */
  private static int checkSize(String what, int[] extents) {
    long count = 1;
    for (int d = 0; d < extents.length; d++) {
      if (extents[d] < 0) throw HalogenRuntimeException.negativeExtent(what, extents[d], d);
      count *= extents[d]; // at most (2^31 - 1)^2 before the check below stops the loop
      if (count > Integer.MAX_VALUE) throw HalogenRuntimeException.tooManyElements(what, extents);
    }
    return (int) count;
  }

  /**
   * Runs {@code body} with {@code name} bound to new zero-filled storage of {@code types} over the
   * bounds {@code mins}/{@code extents} when {@code condition} holds, or to no storage (accesses fail)
   * when it does not; releases the storage afterwards.
   */
  private void withStorage(String name, Origin origin, List<Type> types, int[] mins, int[] extents, boolean condition, Stmt body) {
    Slot slot;
    if (condition) {
      Arena arena = Arena.ofConfined();
      List<Storage> elements = new ArrayList<>(types.size());
      for (int i = 0; i < types.size(); i++) {
        String element = types.size() == 1 ? name : name + "." + i;
        elements.add(new Storage(element, origin, Buffer.allocate(arena, types.get(i), mins, extents)));
      }
      slot = new Slot(origin, List.copyOf(elements), arena, State.LIVE);
    } else {
      slot = new Slot(origin, List.of(), null, State.NOT_MADE);
    }
    Slot saved = scope.put(name, slot);
    try {
      exec(body);
    } finally {
      slot.release(State.ENDED);
      restore(scope, name, saved);
    }
  }

  /** Frees allocation {@code name} early; as free(NULL) does, freeing one whose condition was false does nothing. */
  private void free(String name) {
    String access = "Free of " + name;
    Slot slot = scope.get(name);
    if (slot == null || slot.origin != Origin.ALLOCATION) throw new HalogenRuntimeException(access + ": there is no allocation named " + name);
    if (slot.state == State.FREED) throw new HalogenRuntimeException(access + ": it was freed already");
    slot.release(State.FREED);
  }

  /** The innermost Realize or Allocate {@code name}, which must have storage. */
  private Slot slot(String name, String access) {
    Slot slot = scope.get(name);
    if (slot == null) throw new HalogenRuntimeException(access + ": there is no realization or allocation named " + name);
    if (slot.state != State.LIVE) throw new HalogenRuntimeException(access + ": " + name + " has no storage (" + slot.state.why + ")");
    return slot;
  }

  /** The storage of Func {@code name}: the innermost Realize of it, else its output buffer(s). */
  private List<Storage> funcStorage(String name, String access) {
    Slot slot = scope.get(name);
    if (slot != null && slot.origin == Origin.REALIZATION) return slot(name, access).elements;
    List<Storage> outputs = funcOutputs.get(name);
    if (outputs == null) throw new HalogenRuntimeException(access + ": " + name + " is neither realized here nor an output buffer argument");
    return outputs;
  }

  /** The flat storage {@code name}: the innermost Allocate or Realize of it, else a buffer argument or constant. */
  private Storage flatStorage(String name, String access) {
    if (scope.containsKey(name)) {
      List<Storage> elements = slot(name, access).elements;
      if (elements.size() != 1) {
        throw new HalogenRuntimeException(access + ": " + name + " is realized as a tuple of " + elements.size()
            + " buffers, which have no single flat index");
      }
      return elements.getFirst();
    }
    Storage s = buffers.get(name);
    if (s == null) throw new HalogenRuntimeException(access + ": there is no buffer named " + name);
    return s;
  }

  // ------------------------------------------------------------------ multi-dimensional accesses

  private void provide(Provide p) {
    String access = "Provide to " + p.name();
    List<Storage> storage = funcStorage(p.name(), access);
    if (storage.size() != p.values().size()) {
      throw new HalogenRuntimeException(access + " gives " + p.values().size() + " value(s) but " + p.name() + " holds "
          + storage.size());
    }
    List<Value> coords = new ArrayList<>(p.args().size());
    for (Expr a : p.args()) coords.add(eval(a));
    List<Value> values = new ArrayList<>(p.values().size());
    for (Expr v : p.values()) values.add(eval(v));
    // Every element's index is checked before anything is written: a failing Provide writes nothing.
    List<long[]> indices = new ArrayList<>(values.size());
    for (int k = 0; k < values.size(); k++) {
      Storage s = storage.get(k); // a realization or an output buffer: writable
      s.checkElementType(values.get(k).type(), access);
      indices.add(flatIndices(s, coords, values.get(k).lanes(), access));
    }
    for (int k = 0; k < values.size(); k++) {
      long[] idx = indices.get(k);
      for (int i = 0; i < idx.length; i++) storage.get(k).write(values.get(k), i, idx[i]);
    }
  }

  /** Reads a FUNC or IMAGE call's element at coordinates {@code args}, lane by lane. */
  private Value readAt(Storage s, Expr.Call call, List<Value> args, String access) {
    s.checkElementType(call.type(), access);
    long[] idx = flatIndices(s, args, call.type().lanes(), access);
    boolean[] all = new boolean[idx.length];
    Arrays.fill(all, true);
    return s.read(call.type(), idx, all);
  }

  /** The flat index of each of {@code lanes} lanes at {@code coords} (each scalar, or with those lanes). */
  private static long[] flatIndices(Storage s, List<Value> coords, int lanes, String access) {
    long[] idx = new long[lanes];
    long[] c = new long[coords.size()];
    for (int i = 0; i < lanes; i++) {
      for (int d = 0; d < c.length; d++) {
        Value v = coords.get(d);
        if (v.lanes() != 1 && v.lanes() != lanes) {
          throw new HalogenRuntimeException(access + ": coordinate " + d + " has " + v.lanes() + " lanes but the access has " + lanes);
        }
        c[d] = v.longLane(v.lanes() == 1 ? 0 : i);
      }
      idx[i] = s.flatIndex(c, access);
    }
    return idx;
  }

  @Override
  public Value call(Expr.Call call, List<Value> args) {
    return switch (call.kind()) {
      case FUNC -> {
        String access = "Call to " + call.name();
        List<Storage> storage = funcStorage(call.name(), access);
        if (call.valueIndex() >= storage.size()) {
          throw new HalogenRuntimeException(access + " reads tuple element " + call.valueIndex() + " but " + call.name() + " holds "
              + storage.size());
        }
        yield readAt(storage.get(call.valueIndex()), call, args, access);
      }
      case IMAGE -> {
        String access = "Call to image " + call.name();
        Storage s = buffers.get(call.name());
        if (s == null || !(s.origin() == Origin.INPUT || s.origin() == Origin.CONSTANT)) {
          throw new HalogenRuntimeException(access + ": " + call.name() + " is not an input buffer argument or constant");
        }
        yield readAt(s, call, args, access);
      }
      case EXTERN -> {
        ExternFunction f = externs.get(call.name());
        if (f == null) throw new HalogenRuntimeException("extern function " + call.name() + " has no implementation");
        yield f.apply(List.copyOf(args));
      }
      case MATH, INTRINSIC -> throw new IllegalStateException("the evaluator computes " + call.kind() + " calls itself: " + call.name());
    };
  }

  // ------------------------------------------------------------------ flat accesses

  @Override
  public Value load(Expr.Load load, Value index, Value predicate) {
    String access = "Load from " + load.name();
    Storage s = flatStorage(load.name(), access);
    s.checkElementType(load.type(), access);
    int lanes = load.type().lanes();
    long[] idx = new long[lanes];
    boolean[] active = new boolean[lanes];
    for (int i = 0; i < lanes; i++) {
      active[i] = predicate.longLane(i) != 0;
      idx[i] = index.longLane(i);
      if (active[i]) s.checkFlatIndex(idx[i], access);
    }
    return s.read(load.type(), idx, active);
  }

  private void store(Store st) {
    String access = "Store to " + st.name();
    Storage s = flatStorage(st.name(), access);
    s.checkWritable(access);
    Value value = eval(st.value());
    s.checkElementType(value.type(), access);
    Value index = eval(st.index());
    Value predicate = eval(st.predicate());
    int lanes = value.lanes();
    // Every active lane is checked before any is written: a failing Store writes nothing.
    for (int i = 0; i < lanes; i++) if (predicate.longLane(i) != 0) s.checkFlatIndex(index.longLane(i), access);
    for (int i = 0; i < lanes; i++) if (predicate.longLane(i) != 0) s.write(value, i, index.longLane(i));
  }
}
