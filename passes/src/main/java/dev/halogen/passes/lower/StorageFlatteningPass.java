package dev.halogen.passes.lower;

import dev.halogen.ir.Expr;
import dev.halogen.ir.Expr.CallKind;
import dev.halogen.ir.IrQueries;
import dev.halogen.ir.IrRewriter;
import dev.halogen.ir.LoweredModule;
import dev.halogen.ir.LoweredModule.Argument;
import dev.halogen.ir.LoweredModule.ArgumentKind;
import dev.halogen.ir.Range;
import dev.halogen.ir.Stmt;
import dev.halogen.ir.Type;
import dev.halogen.passes.IrProperty;
import dev.halogen.passes.IrUnit;
import dev.halogen.passes.LoopsPass;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * {@code storage-flattening}: turns multi-dimensional storage into flat buffers addressed by element
 * index (Halide's {@code storage_flattening}), the form every later pass and backend works on.
 *
 * <ul>
 *   <li>Each storage has a name: the Func {@code f} of one value is stored in {@code f}, a tuple
 *       Func in {@code f.0}, {@code f.1}, ...; images and constants keep their names.
 *   <li>{@code Realize f} over bounds {@code (min_d, extent_d)} becomes, for each storage {@code s}
 *       of {@code f} (the first outermost), lets of {@code s.min.d = min_d}, {@code s.extent.d =
 *       extent_d} and the dense strides {@code s.stride.0 = 1}, {@code s.stride.d = s.stride.(d-1) *
 *       s.extent.(d-1)} (per dimension in that order), around {@code Allocate s} of {@code [s.extent.0,
 *       ...]} elements, under the Realize's memory type and condition.
 *   <li>Element {@code (c_0, ..., c_n)} of storage {@code s} is at {@code sum_d (c_d - s.min.d) *
 *       s.stride.d}: the formula of the buffer arguments ({@link Argument}), so a Func that is written
 *       without an enclosing Realize (an output) addresses its output buffer(s) the same way.
 *   <li>{@code Provide f(values)(coords)} becomes one {@code Store} per value. With several values, a
 *       value or coordinate that reads {@code f} would see the stores before it, so then every value
 *       (as {@code s.value}) and every coordinate that reads {@code f} (as {@code f.coord.d}) is bound
 *       to a let first: all reads happen before any write, as a Provide means.
 *   <li>{@code Call(FUNC f, coords, i)} becomes a {@code Load} of storage {@code i} of {@code f};
 *       {@code Call(IMAGE b, coords)} a {@code Load} of {@code b}. Accesses of several lanes get
 *       their scalar coordinates and the bounds variables broadcast, and an all-true predicate.
 * </ul>
 *
 * <p>ProducerConsumer markers stay. A module without storage to flatten is returned as is.
 */
public final class StorageFlatteningPass extends LoopsPass {
  public static final String NAME = "storage-flattening";
  private static final Expr TRUE = new Expr.UIntImm(Type.BOOL, 1);

  public StorageFlatteningPass() {
    super(NAME, "turn Realize/Provide/Func and image calls into Allocate/Store/Load of flat buffers indexed by element",
        Set.of(IrProperty.LOOPS_BUILT, IrProperty.BOUNDS_INFERRED), // requires
        Set.of(IrProperty.STORAGE_FLATTENED), // establishes
        Set.of(IrProperty.SIMPLIFIED, IrProperty.CSE_APPLIED)); // invalidates
  }

  @Override
  protected LoweredModule transform(IrUnit.Loops loops) {
    return flatten(loops.module());
  }

  /**
   * {@code m} with the storage of every entry point flattened; {@code m} itself when there is none.
   *
   * @throws IllegalArgumentException for an access to a Func that is neither realized around it nor
   *     an output of the entry point, or to a tuple element it does not have (IR the verifier rejects)
   */
  public static LoweredModule flatten(LoweredModule m) {
    return m.withBodies(ep -> new Flattener(ep).rewrite(ep.body()));
  }

  /** The flat buffers holding a Func: one per tuple element, by name. */
  private record Storage(List<String> names) {}

  private static final class Flattener extends IrRewriter {
    private final LoweredModule.EntryPoint entry;
    /** The innermost enclosing Realize of each Func, as its storage. */
    private final Map<String, Storage> realized = new HashMap<>();
    /** The output buffer arguments: the storage of the Funcs written without an enclosing Realize. */
    private final Set<String> outputs = new HashSet<>();
    /** Every variable name of the body: the lets this pass adds avoid them. */
    private final Set<String> taken;

    Flattener(LoweredModule.EntryPoint entry) {
      this.entry = entry;
      for (Argument a : entry.arguments()) if (a.kind() == ArgumentKind.OUTPUT_BUFFER) outputs.add(a.name());
      this.taken = IrQueries.allVarNames(entry.body());
    }

    @Override
    public Stmt rewrite(Stmt s) {
      // Only two node kinds change here; the rewriter's exhaustive switch handles the rest.
      if (s instanceof Stmt.Realize r) return realize(r);
      if (s instanceof Stmt.Provide p) return provide(p);
      return rewriteChildren(s);
    }

    @Override
    public Expr rewrite(Expr e) {
      if (e instanceof Expr.Call c && (c.kind() == CallKind.FUNC || c.kind() == CallKind.IMAGE)) {
        String buffer = c.kind() == CallKind.FUNC ? element(storage(c.name(), "call to"), c.valueIndex(), c.name()) : c.name();
        int lanes = c.type().lanes();
        return new Expr.Load(c.type(), buffer, index(buffer, rewriteAll(c.args()), lanes), allTrue(lanes));
      }
      return rewriteChildren(e);
    }

    private Stmt realize(Stmt.Realize r) {
      // The bounds and condition are evaluated outside the Realize, so in the outer storage scope.
      List<Expr> mins = new ArrayList<>(), extents = new ArrayList<>();
      for (Range b : r.bounds()) {
        mins.add(rewrite(b.min()));
        extents.add(rewrite(b.extent()));
      }
      Expr condition = rewrite(r.condition());
      Storage storage = new Storage(storageNames(r.name(), r.types().size()));
      @Nullable Storage outer = realized.put(r.name(), storage);
      Stmt body = rewrite(r.body());
      if (outer == null) realized.remove(r.name());
      else realized.put(r.name(), outer);
      for (int i = r.types().size() - 1; i >= 0; i--) {
        String s = storage.names().get(i);
        List<Expr> sizes = new ArrayList<>();
        for (int d = 0; d < extents.size(); d++) sizes.add(LoweredModule.extentVar(s, d));
        body = new Stmt.Allocate(s, r.types().get(i), r.memoryType(), sizes, condition, body);
        body = boundsLets(s, mins, extents, body);
      }
      return body;
    }

    /** {@code body} inside lets of the min, extent and dense stride of each dimension of storage {@code s}. */
    private static Stmt boundsLets(String s, List<Expr> mins, List<Expr> extents, Stmt body) {
      List<Map.Entry<String, Expr>> lets = new ArrayList<>();
      for (int d = 0; d < mins.size(); d++) {
        lets.add(Map.entry(LoweredModule.minVar(s, d).name(), mins.get(d)));
        lets.add(Map.entry(LoweredModule.extentVar(s, d).name(), extents.get(d)));
        Expr stride = d == 0
            ? new Expr.IntImm(Type.I32, 1)
            : new Expr.Mul(LoweredModule.strideVar(s, d - 1), LoweredModule.extentVar(s, d - 1));
        lets.add(Map.entry(LoweredModule.strideVar(s, d).name(), stride));
      }
      return wrapInLets(lets, body);
    }

    private Stmt provide(Stmt.Provide p) {
      Storage storage = storage(p.name(), "Provide to");
      if (storage.names().size() != p.values().size()) {
        throw new IllegalArgumentException(NAME + ": Provide to " + p.name() + " in entry point " + entry.name() + " gives "
            + p.values().size() + " value(s) but " + p.name() + " is stored in " + storage.names());
      }
      List<Expr> values = new ArrayList<>(rewriteAll(p.values()));
      List<Expr> coords = new ArrayList<>(rewriteAll(p.args()));
      List<Map.Entry<String, Expr>> lets = new ArrayList<>();
      if (values.size() > 1 && readsItself(p)) {
        // Reads come first: the i-th store must not change what a later value or coordinate reads.
        for (int i = 0; i < values.size(); i++) values.set(i, bind(storage.names().get(i) + ".value", values.get(i), lets));
        for (int d = 0; d < coords.size(); d++) {
          if (IrQueries.calls(p.args().get(d), CallKind.FUNC).contains(p.name())) {
            coords.set(d, bind(p.name() + ".coord." + d, coords.get(d), lets));
          }
        }
      }
      List<Stmt> stores = new ArrayList<>();
      for (int i = 0; i < values.size(); i++) {
        String s = storage.names().get(i);
        int lanes = values.get(i).type().lanes();
        stores.add(new Stmt.Store(s, values.get(i), index(s, coords, lanes), allTrue(lanes)));
      }
      return wrapInLets(lets, stores.size() == 1 ? stores.getFirst() : new Stmt.Block(stores));
    }

    private static boolean readsItself(Stmt.Provide p) {
      return IrQueries.calls(p, CallKind.FUNC).contains(p.name());
    }

    /** A variable bound (in {@code lets}) to {@code value}, named {@code base} unless the body uses that name. */
    private Expr bind(String base, Expr value, List<Map.Entry<String, Expr>> lets) {
      // Each Provide's lets scope over its own stores only, so different Provides may reuse a name.
      String name = taken.contains(base) ? IrQueries.freshName(base, taken) : base;
      lets.add(Map.entry(name, value));
      return new Expr.Var(value.type(), name);
    }

    /** The storage of Func {@code func}: its innermost enclosing Realize, else its output buffer(s). */
    private Storage storage(String func, String access) {
      Storage s = realized.get(func);
      if (s != null) return s;
      if (outputs.contains(func)) return new Storage(List.of(func));
      int n = 0;
      while (outputs.contains(func + "." + n)) n++;
      if (n == 0) {
        throw new IllegalArgumentException(NAME + ": " + access + " Func " + func + " in entry point " + entry.name()
            + ", which is neither realized around it nor an output buffer argument");
      }
      return new Storage(storageNames(func, n));
    }

    private String element(Storage s, int valueIndex, String func) {
      if (valueIndex >= s.names().size()) {
        throw new IllegalArgumentException(NAME + ": call to Func " + func + " in entry point " + entry.name()
            + " reads tuple element " + valueIndex + " but it is stored in " + s.names());
      }
      return s.names().get(valueIndex);
    }
  }

  /** The storage names of Func {@code func} of {@code values} values: {@code func}, or {@code func.0 ..}. */
  private static List<String> storageNames(String func, int values) {
    if (values == 1) return List.of(func);
    List<String> names = new ArrayList<>(values);
    for (int i = 0; i < values; i++) names.add(func + "." + i);
    return names;
  }

  /**
   * The flat index of {@code coords} in storage {@code s}, {@code sum_d (c_d - s.min.d) * s.stride.d},
   * with {@code lanes} lanes (scalar parts broadcast).
   */
  private static Expr index(String s, List<Expr> coords, int lanes) {
    if (coords.isEmpty()) return widen(new Expr.IntImm(Type.I32, 0), lanes, s);
    Expr sum = null;
    for (int d = 0; d < coords.size(); d++) {
      Expr offset = new Expr.Sub(widen(coords.get(d), lanes, s), widen(LoweredModule.minVar(s, d), lanes, s));
      Expr term = new Expr.Mul(offset, widen(LoweredModule.strideVar(s, d), lanes, s));
      sum = sum == null ? term : new Expr.Add(sum, term);
    }
    return sum;
  }

  /** {@code e} with {@code lanes} lanes: itself, or a scalar broadcast. */
  private static Expr widen(Expr e, int lanes, String buffer) {
    int have = e.type().lanes();
    if (have == lanes) return e;
    if (have != 1) {
      throw new IllegalArgumentException(NAME + ": an access to " + buffer + " of " + lanes + " lanes has a coordinate of "
          + e.type());
    }
    return new Expr.Broadcast(e, lanes);
  }

  private static Expr allTrue(int lanes) {
    return lanes == 1 ? TRUE : new Expr.Broadcast(TRUE, lanes);
  }

  /** {@code body} inside {@code lets}, the first outermost. */
  private static Stmt wrapInLets(List<Map.Entry<String, Expr>> lets, Stmt body) {
    Stmt out = body;
    for (Map.Entry<String, Expr> let : lets.reversed()) out = new Stmt.LetStmt(let.getKey(), let.getValue(), out);
    return out;
  }
}
