package dev.halogen.passes.analysis;

import dev.halogen.ir.IrNodes;
import dev.halogen.ir.Expr;
import dev.halogen.ir.Expr.Add;
import dev.halogen.ir.Expr.And;
import dev.halogen.ir.Expr.Broadcast;
import dev.halogen.ir.Expr.Call;
import dev.halogen.ir.Expr.Cast;
import dev.halogen.ir.Expr.Div;
import dev.halogen.ir.Expr.EQ;
import dev.halogen.ir.Expr.FloatImm;
import dev.halogen.ir.Expr.GE;
import dev.halogen.ir.Expr.GT;
import dev.halogen.ir.Expr.IntImm;
import dev.halogen.ir.Expr.LE;
import dev.halogen.ir.Expr.LT;
import dev.halogen.ir.Expr.Let;
import dev.halogen.ir.Expr.Load;
import dev.halogen.ir.Expr.Max;
import dev.halogen.ir.Expr.Min;
import dev.halogen.ir.Expr.Mod;
import dev.halogen.ir.Expr.Mul;
import dev.halogen.ir.Expr.NE;
import dev.halogen.ir.Expr.Not;
import dev.halogen.ir.Expr.Or;
import dev.halogen.ir.Expr.Ramp;
import dev.halogen.ir.Expr.Select;
import dev.halogen.ir.Expr.StringImm;
import dev.halogen.ir.Expr.Sub;
import dev.halogen.ir.Expr.UIntImm;
import dev.halogen.ir.Expr.Var;
import dev.halogen.ir.Expr.VectorReduce;
import dev.halogen.ir.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BinaryOperator;

/**
 * Per-run facts about expression nodes, computed once per node identity so that no recursive record
 * {@code equals}/{@code hashCode} is ever run on a (possibly huge, shared) tree:
 *
 * <ul>
 *   <li>an id by hash-consing: two nodes have the same id exactly when they are structurally equal;
 *   <li>a deterministic 64-bit structural hash and an order key (a bounded prefix of the node's
 *       preorder spelling) that together give the canonical order of operands, {@link #compare};
 *   <li>the set of free variables among the names registered with {@link #track} (the names some
 *       binder in the input binds, which are the only ones whose facts can change inside a term).
 * </ul>
 */
final class ExprTable {
  /** How many characters of a node's preorder spelling its order key keeps. */
  private static final int KEY_LENGTH = 48;

  private static final int[] NO_NAMES = new int[0];

  record Info(int id, long hash, String key, int[] free, Type type) {}

  /** The binary nodes, which {@link #binary} builds without rebuilding ones that exist. */
  enum Bin {
    ADD("eAdd", Add::new),
    SUB("fSub", Sub::new),
    MUL("gMul", Mul::new),
    DIV("hDiv", Div::new),
    MOD("iMod", Mod::new),
    MIN("jMin", Min::new),
    MAX("kMax", Max::new),
    EQ("lEQ", EQ::new),
    NE("mNE", NE::new),
    LT("nLT", LT::new),
    LE("oLE", LE::new),
    GT("pGT", GT::new),
    GE("qGE", GE::new),
    AND("rAnd", And::new),
    OR("sOr", Or::new);

    final String tag;
    private final BinaryOperator<Expr> make;

    Bin(String tag, BinaryOperator<Expr> make) {
      this.tag = tag;
      this.make = make;
    }

    boolean isComparison() {
      return ordinal() >= EQ.ordinal() && ordinal() <= GE.ordinal();
    }
  }

  /** Structural identity of a node given its children's ids. */
  private record Shape(String tag, Type type, Object payload, List<Integer> kids) {}

  private final IdentityHashMap<Expr, Info> infos = new IdentityHashMap<>();
  private final Map<Shape, Integer> ids = new HashMap<>();
  /** The first node seen with each id. */
  private final List<Expr> instances = new ArrayList<>();
  private final Map<String, Integer> tracked = new HashMap<>();

  /**
   * Makes {@code name} one of the names whose occurrences free-variable sets record. Sets already
   * computed do not see a name tracked later, so after the first query only names that occur in no
   * existing node (fresh names) may be added.
   */
  void track(String name) {
    tracked.putIfAbsent(name, tracked.size());
  }

  boolean isTracked(String name) {
    return tracked.containsKey(name);
  }

  /** The index of a tracked name, or -1. */
  int index(String name) {
    Integer i = tracked.get(name);
    return i == null ? -1 : i;
  }

  Info info(Expr e) {
    Info info = infos.get(e);
    if (info == null) {
      info = compute(e);
      infos.put(e, info);
    }
    return info;
  }

  /** {@code e.type()} in O(1), computed from the operands' types (Expr.type() recurses into operands). */
  Type type(Expr e) {
    return info(e).type;
  }

  int id(Expr e) {
    return info(e).id;
  }

  /**
   * The binary node {@code a op b}: an existing node of that structure if the table has one, else a
   * new record. Building a record checks its operands' types, which costs the depth of their left
   * operands; reusing avoids that for results that equal their input.
   */
  Expr binary(Bin op, Expr a, Expr b) {
    Info x = info(a), y = info(b);
    Type t = op.isComparison() ? Type.BOOL.withLanes(x.type.lanes()) : x.type;
    Integer id = ids.get(new Shape(op.tag, t, null, List.of(x.id, y.id)));
    return id != null ? instances.get(id) : op.make.apply(a, b);
  }

  /** Structural equality in O(1) after the first query. */
  boolean same(Expr a, Expr b) {
    return a == b || info(a).id == info(b).id;
  }

  /**
   * The canonical order of operands: by order key (variables first, by name, then other terms by
   * their spelling), then by structural hash; 0 exactly for structurally equal nodes.
   */
  int compare(Expr a, Expr b) {
    if (a == b) return 0;
    Info x = info(a), y = info(b);
    if (x.id == y.id) return 0;
    int c = x.key.compareTo(y.key);
    if (c != 0) return c;
    c = Long.compare(x.hash, y.hash);
    return c != 0 ? c : Integer.compare(x.id, y.id);
  }

  /** Whether the tracked name with index {@code i} occurs free in {@code e}. */
  boolean isFree(int i, Expr e) {
    return i >= 0 && Arrays.binarySearch(info(e).free, i) >= 0;
  }

  int[] free(Expr e) {
    return info(e).free;
  }

  private Info compute(Expr e) {
    List<Expr> kids = IrNodes.children(e);
    List<Integer> kidIds = new ArrayList<>(kids.size());
    List<Type> kidTypes = new ArrayList<>(kids.size());
    long hash = 0;
    int[] free = NO_NAMES;
    StringBuilder key = new StringBuilder(KEY_LENGTH + 16);
    String tag = tag(e);
    key.append(tag.charAt(0));
    Object payload = payload(e);
    appendPayload(key, e);
    for (Expr k : kids) {
      Info ki = info(k);
      kidIds.add(ki.id);
      kidTypes.add(ki.type);
      hash = mix(hash, ki.hash);
      free = union(free, ki.free);
      if (key.length() < KEY_LENGTH) key.append(ki.key).append('\u0001');
    }
    if (e instanceof Var v) {
      int i = index(v.name());
      if (i >= 0) free = new int[] {i};
    } else if (e instanceof Let let) {
      free = remove(free, index(let.name()), info(let.value()).free);
    }
    Type type = typeOf(e, kidTypes);
    // Type.hashCode is not deterministic (its Code is an enum, hashed by identity): the type's fields are.
    long typeHash = (type.code().ordinal() * 131L + type.bits()) * 131L + type.lanes();
    hash = mix(mix(hash, tag.hashCode()), Objects.hashCode(payload) * 31L + typeHash);
    // Each print is its own evaluation: two equal ones are different nodes, so no rule merges them.
    Shape shape = new Shape(tag, type, Prints.isPrint(e) ? Prints.occurrence((Call) e) : payload, kidIds);
    Integer id = ids.get(shape);
    if (id == null) {
      id = ids.size();
      ids.put(shape, id);
      instances.add(e);
    }
    String k = key.length() > KEY_LENGTH ? key.substring(0, KEY_LENGTH) : key.toString();
    return new Info(id, hash, k, free, type);
  }

  /** The type of {@code e} given its operands' types, as the records define it. */
  private static Type typeOf(Expr e, List<Type> kids) {
    return switch (e) {
      case Add a -> kids.get(0);
      case Sub s -> kids.get(0);
      case Mul m -> kids.get(0);
      case Div d -> kids.get(0);
      case Mod m -> kids.get(0);
      case Min m -> kids.get(0);
      case Max m -> kids.get(0);
      case And a -> kids.get(0);
      case Or o -> kids.get(0);
      case Not n -> kids.get(0);
      case EQ x -> Type.BOOL.withLanes(kids.get(0).lanes());
      case NE x -> Type.BOOL.withLanes(kids.get(0).lanes());
      case LT x -> Type.BOOL.withLanes(kids.get(0).lanes());
      case LE x -> Type.BOOL.withLanes(kids.get(0).lanes());
      case GT x -> Type.BOOL.withLanes(kids.get(0).lanes());
      case GE x -> Type.BOOL.withLanes(kids.get(0).lanes());
      case Select s -> kids.get(1);
      case Let l -> kids.get(1);
      case Ramp r -> kids.get(0).withLanes(kids.get(0).lanes() * r.lanes());
      case Broadcast b -> kids.get(0).withLanes(kids.get(0).lanes() * b.lanes());
      case VectorReduce v -> kids.get(0).withLanes(v.lanes());
      // the rest hold their type
      case IntImm i -> i.type();
      case UIntImm u -> u.type();
      case FloatImm f -> f.type();
      case StringImm s -> s.type();
      case Var v -> v.type();
      case Cast c -> c.type();
      case Call c -> c.type();
      case Load l -> l.type();
    };
  }

  private static long mix(long h, long v) {
    long x = h * 0x9E3779B97F4A7C15L + v;
    x ^= x >>> 31;
    x *= 0xBF58476D1CE4E5B9L;
    return x ^ (x >>> 29);
  }

  /**
   * One character that orders node kinds (variables first, then calls and loads, casts, arithmetic,
   * logic, vectors, lets, and constants last), followed by a name for debugging the table.
   */
  private static String tag(Expr e) {
    return switch (e) {
      case Var v -> "aVar";
      case Call c -> "bCall";
      case Load l -> "cLoad";
      case Cast c -> "dCast";
      case Not x -> "tNot";
      case Add x -> Bin.ADD.tag;
      case Sub x -> Bin.SUB.tag;
      case Mul x -> Bin.MUL.tag;
      case Div x -> Bin.DIV.tag;
      case Mod x -> Bin.MOD.tag;
      case Min x -> Bin.MIN.tag;
      case Max x -> Bin.MAX.tag;
      case EQ x -> Bin.EQ.tag;
      case NE x -> Bin.NE.tag;
      case LT x -> Bin.LT.tag;
      case LE x -> Bin.LE.tag;
      case GT x -> Bin.GT.tag;
      case GE x -> Bin.GE.tag;
      case And x -> Bin.AND.tag;
      case Or x -> Bin.OR.tag;
      case Select s -> "uSelect";
      case Ramp r -> "vRamp";
      case Broadcast b -> "wBroadcast";
      case VectorReduce v -> "xVectorReduce";
      case Let l -> "yLet";
      case StringImm s -> "zString";
      case IntImm i -> "~Int";
      case UIntImm u -> "~UInt";
      case FloatImm f -> "~Float";
    };
  }

  /** What distinguishes a node beyond its kind, type and children. */
  private static Object payload(Expr e) {
    return switch (e) {
      case IntImm i -> i.value();
      case UIntImm u -> u.value();
      case FloatImm f -> Double.doubleToRawLongBits(f.value());
      case StringImm s -> s.value();
      case Var v -> v.name();
      case Call c -> c.name() + "/" + c.kind() + "/" + c.valueIndex();
      case Load l -> l.name();
      case Ramp r -> r.lanes();
      case Broadcast b -> b.lanes();
      case VectorReduce v -> v.op() + "/" + v.lanes();
      case Let l -> l.name();
      case Cast c -> null;
      case Add a -> null;
      case Sub s -> null;
      case Mul m -> null;
      case Div d -> null;
      case Mod m -> null;
      case Min m -> null;
      case Max m -> null;
      case EQ x -> null;
      case NE x -> null;
      case LT x -> null;
      case LE x -> null;
      case GT x -> null;
      case GE x -> null;
      case And x -> null;
      case Or x -> null;
      case Not x -> null;
      case Select s -> null;
    };
  }

  /** Names sort by their characters; numbers by value (sign flipped so that negatives come first). */
  private static void appendPayload(StringBuilder key, Expr e) {
    switch (e) {
      case Var v -> key.append(v.name()).append('\u0000');
      case Call c -> key.append(c.name()).append('\u0000');
      case Load l -> key.append(l.name()).append('\u0000');
      case StringImm s -> key.append(s.value()).append('\u0000');
      case IntImm i -> key.append(String.format("%016x", i.value() ^ Long.MIN_VALUE));
      case UIntImm u -> key.append(String.format("%016x", u.value()));
      case FloatImm f -> {
        long bits = Double.doubleToRawLongBits(f.value());
        key.append(String.format("%016x", bits < 0 ? ~bits : bits ^ Long.MIN_VALUE));
      }
      default -> {}
    }
  }

  private static int[] union(int[] a, int[] b) {
    if (b.length == 0 || a == b) return a;
    if (a.length == 0) return b;
    int[] out = new int[a.length + b.length];
    int i = 0, j = 0, n = 0;
    while (i < a.length || j < b.length) {
      int v;
      if (j == b.length || (i < a.length && a[i] < b[j])) v = a[i++];
      else if (i == a.length || b[j] < a[i]) v = b[j++];
      else {
        v = a[i++];
        j++;
      }
      out[n++] = v;
    }
    if (n == a.length) return a;
    if (n == b.length) return b;
    return Arrays.copyOf(out, n);
  }

  /** {@code body} without name {@code i}, united with {@code value}'s set (for a let). */
  private static int[] remove(int[] bodyAndValue, int i, int[] value) {
    // bodyAndValue is the union of value and body; recompute it without the bound name, keeping the
    // value's occurrences (a let's value is outside the name's scope).
    if (i < 0 || Arrays.binarySearch(bodyAndValue, i) < 0) return bodyAndValue;
    int[] out = new int[bodyAndValue.length - 1];
    int n = 0;
    for (int v : bodyAndValue) if (v != i) out[n++] = v;
    return Arrays.binarySearch(value, i) >= 0 ? union(out, new int[] {i}) : out;
  }
}
