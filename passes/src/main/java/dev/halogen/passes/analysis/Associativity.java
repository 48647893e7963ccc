package dev.halogen.passes.analysis;

import dev.halogen.ir.IrNodes;
import dev.halogen.ir.Definition;
import dev.halogen.ir.Expr;
import dev.halogen.ir.Expr.*;
import dev.halogen.ir.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Proves that an update {@code f(args) = values} is an associative reduction: each value combines the
 * Func's current value at the same site, {@code f(args)[k]}, with a term that does not read {@code f},
 * by an associative operator. This is what rfactor and atomic updates need: the reduction can be split
 * into partial reductions started from the operator's identity and merged with the same operator.
 *
 * <p>Recognized, per tuple element {@code k} (with {@code s = f(args)[k]} and {@code e} free of {@code f}):
 * {@code s + e}, {@code s * e}, {@code min(s, e)}, {@code max(s, e)}, {@code s && e}, {@code s || e},
 * with the operands in either order. And, over several elements, argmin / argmax: one element {@code
 * min(s_k, e)} (or max) and every other element {@code select(c, x_j, s_j)} or {@code select(c', s_j,
 * x_j)} whose condition compares {@code e} with {@code s_k} so that it picks the new {@code x_j} exactly
 * when the min (max) picks {@code e} — strictly ({@code e < s_k}: the first of equal values wins) or
 * not ({@code e <= s_k}: the last wins). Elements that are independent reductions form separate terms.
 *
 * <p>Refused, with a reason: anything else, including {@code s - e} and {@code e - s} (subtraction is
 * not associative), {@code s * s}, {@code s + s}, {@code 2 * s + e}, an element that does not read
 * {@code s} or reads it only unchanged, and any read of {@code f} at other arguments or in a term.
 *
 * <p>Float {@code +} and {@code *} are accepted as associative like in Halide, although rounding makes
 * a split reduction differ in the last bits. The identity of float {@code +} is {@code -0.0}, which
 * (unlike {@code 0.0}) leaves every value unchanged, {@code -0.0} included.
 */
public final class Associativity {
  private Associativity() {}

  /** An associative operator. ARGMIN and ARGMAX span several tuple elements. */
  public enum Operator {
    ADD,
    MUL,
    MIN,
    MAX,
    AND,
    OR,
    ARGMIN,
    ARGMAX
  }

  /**
   * One associative reduction over the tuple elements {@code elements} (ascending value indices): {@code
   * identities.get(i)} and {@code operands.get(i)} belong to element {@code elements.get(i)}. For ARGMIN
   * and ARGMAX, {@code keyElement} is the element holding the min or max, the others are carried along.
   *
   * @param operands the terms combined into the Func's value, with the self references removed
   * @param commutative whether the operator is commutative; argmin and argmax are not, because which
   *     of two equal keys wins depends on the order
   */
  public record Term(Operator operator, List<Integer> elements, List<Expr> identities, List<Expr> operands,
      int keyElement, boolean commutative) {
    public Term {
      elements = List.copyOf(elements);
      identities = List.copyOf(identities);
      operands = List.copyOf(operands);
    }
  }

  /** The outcome of {@link #prove}. */
  public sealed interface Result permits Associative, NotAssociative {}

  /** The update is associative; {@code terms} partition its tuple elements. */
  public record Associative(List<Term> terms) implements Result {
    public Associative {
      terms = List.copyOf(terms);
    }

    /** The operator when one term covers the whole tuple. */
    public Operator operator() {
      if (terms.size() != 1) throw new IllegalStateException("the update has " + terms.size() + " independent reductions");
      return terms.getFirst().operator();
    }

    /** The identity of each tuple element, by value index. */
    public List<Expr> identities() {
      return byElement(Term::identities);
    }

    /** The term combined into each tuple element, by value index. */
    public List<Expr> operands() {
      return byElement(Term::operands);
    }

    public boolean commutative() {
      return terms.stream().allMatch(Term::commutative);
    }

    private List<Expr> byElement(Function<Term, List<Expr>> part) {
      Expr[] out = new Expr[terms.stream().mapToInt(t -> t.elements().size()).sum()];
      for (Term t : terms) for (int i = 0; i < t.elements().size(); i++) out[t.elements().get(i)] = part.apply(t).get(i);
      return Arrays.asList(out);
    }
  }

  /** The update is not proven associative, for {@code reason}. */
  public record NotAssociative(String reason) implements Result {}

  /** Proves the update {@code update} of the Func {@code func} associative, or says why not. */
  public static Result prove(String func, Definition update) {
    return prove(func, update.args(), update.values());
  }

  /** Proves {@code func(args) = values} associative, or says why not. */
  public static Result prove(String func, List<Expr> args, List<Expr> values) {
    return new Prover(func, args, values).prove();
  }

  /**
   * How two partial results of the associative update {@code func(args) = values} combine (what
   * rfactor's merge does): each value with the Func's own value {@code func(args)[j]} replaced by
   * {@code previous.get(j)} and the term combined into element {@code j} by {@code partial.get(j)}.
   * The update's operand order is kept and, for argmin and argmax, its comparison, so that equal
   * keys resolve as in the update: {@code previous} is the result of the earlier iterations, {@code
   * partial} that of the later ones.
   *
   * @throws IllegalArgumentException when the update is not associative (see {@link #prove}), or
   *     the lists do not have one expression per value
   */
  public static List<Expr> merge(String func, List<Expr> args, List<Expr> values, List<Expr> previous, List<Expr> partial) {
    if (previous.size() != values.size() || partial.size() != values.size()) {
      throw new IllegalArgumentException("merge of " + func + " needs " + values.size() + " previous and partial values, got "
          + previous.size() + " and " + partial.size());
    }
    return new Prover(func, args, values).merge(previous, partial);
  }

  /** The form of one tuple element. */
  private sealed interface Shape {}

  /** An element that has no associative form, for {@code reason}. */
  private record Refusal(String reason) implements Shape {}

  /** {@code s op e} (or {@code e op s}). */
  private record Combine(Operator op, Expr term) implements Shape {}

  /** {@code select(condition, x, s)} when {@code newOnTrue}, else {@code select(condition, s, x)}. */
  private record Carry(Expr condition, boolean newOnTrue, Expr x) implements Shape {}

  private static final class Prover {
    private final String func;
    private final List<Expr> args;
    private final List<Expr> values;

    Prover(String func, List<Expr> args, List<Expr> values) {
      this.func = func;
      this.args = args;
      this.values = values.stream().map(Prover::minMaxOfSelect).toList();
    }

    /**
     * {@code select(a < b, a, b)} as {@code min(a, b)} and {@code select(a > b, a, b)} as {@code
     * max(a, b)} (the same values, NaNs included): an argmin's key is often written as the select,
     * and the argmin pattern looks for the min.
     */
    private static Expr minMaxOfSelect(Expr e) {
      if (e instanceof Select(LT(Expr a, Expr b), Expr t, Expr f) && a.equals(t) && b.equals(f)) return new Min(a, b);
      if (e instanceof Select(GT(Expr a, Expr b), Expr t, Expr f) && a.equals(t) && b.equals(f)) return new Max(a, b);
      return e;
    }

    /** The shape of every value, once {@link #prove} has accepted the update. */
    private Shape[] shapes = new Shape[0];

    Result prove() {
      int n = values.size();
      Shape[] shapes = new Shape[n];
      for (int k = 0; k < n; k++) {
        shapes[k] = shape(k);
        if (shapes[k] instanceof Refusal(String reason)) return refuse(k, reason);
      }
      this.shapes = shapes;
      List<Term> terms = new ArrayList<>();
      boolean[] covered = new boolean[n];
      for (int k = 0; k < n; k++) {
        if (!(shapes[k] instanceof Combine(Operator op, Expr term))) continue;
        List<Integer> carried = carriedBy(shapes, k, term);
        if (carried.isEmpty()) {
          terms.add(new Term(op, List.of(k), List.of(identity(op, values.get(k).type())), List.of(term), k, true));
          covered[k] = true;
          continue;
        }
        if (op != Operator.MIN && op != Operator.MAX) {
          return refuse(carried.getFirst(), "a select can only carry values along a min or a max, but value " + k + " is combined by " + op);
        }
        Optional<String> refusal = argTerm(op, k, term, carried, shapes, terms);
        if (refusal.isPresent()) return refuse(k, refusal.get());
        covered[k] = true;
        for (int j : carried) covered[j] = true;
      }
      for (int j = 0; j < n; j++) {
        if (!covered[j]) return refuse(j, "the select does not compare against a min or max of another value of " + func);
      }
      terms.sort((a, b) -> Integer.compare(a.elements().getFirst(), b.elements().getFirst()));
      return new Associative(terms);
    }

    /** See {@link Associativity#merge}. */
    List<Expr> merge(List<Expr> previous, List<Expr> partial) {
      Associative proof = switch (prove()) {
        case Associative a -> a;
        case NotAssociative(String reason) ->
            throw new IllegalArgumentException("cannot merge partial results of an update that is not associative: " + reason);
      };
      Shape[] proven = shapes;
      List<Expr> out = new ArrayList<>();
      for (int k = 0; k < values.size(); k++) {
        Expr v = values.get(k);
        int element = k;
        if (proven[k] instanceof Carry) {
          // select(c, x, s) or select(c, s, x), where c compares the key's term with the key's own value.
          int key = proof.terms().stream().filter(t -> t.elements().contains(element)).findFirst().orElseThrow().keyElement();
          List<Expr> parts = IrNodes.children(v);
          Expr condition = IrNodes.withChildren(parts.get(0), sides(IrNodes.children(parts.get(0)), key, previous, partial));
          List<Expr> arms = sides(parts.subList(1, 3), k, previous, partial);
          out.add(IrNodes.withChildren(v, List.of(condition, arms.get(0), arms.get(1))));
        } else {
          // s op e or e op s.
          out.add(IrNodes.withChildren(v, sides(IrNodes.children(v), k, previous, partial)));
        }
      }
      return out;
    }

    /** Each operand: the own value of element {@code k} becomes {@code previous[k]}, the term {@code partial[k]}. */
    private List<Expr> sides(List<Expr> operands, int k, List<Expr> previous, List<Expr> partial) {
      return operands.stream().map(o -> isSelf(o, k) ? previous.get(k) : partial.get(k)).toList();
    }

    private NotAssociative refuse(int k, String reason) {
      return new NotAssociative("update of " + func + ", value " + k + ": " + reason);
    }

    /** The self reference {@code f(args)[k]}. */
    private boolean isSelf(Expr e, int k) {
      return e instanceof Call c && c.kind() == CallKind.FUNC && c.name().equals(func) && c.valueIndex() == k && c.args().equals(args);
    }

    private boolean readsFunc(Expr e) {
      if (e instanceof Call c && c.kind() == CallKind.FUNC && c.name().equals(func)) return true;
      for (Expr c : IrNodes.children(e)) if (readsFunc(c)) return true;
      return false;
    }

    /** The shape of value {@code k}. */
    private Shape shape(int k) {
      Expr v = values.get(k);
      Optional<Expr> other = readsOtherSite(v);
      if (other.isPresent()) return new Refusal("it reads " + func + " at other arguments than the update's own: " + other.get());
      // A recognizer, not a structural walk: every node kind it does not name has no shape.
      if (v instanceof Add(Expr a, Expr b)) return combine(Operator.ADD, k, a, b);
      if (v instanceof Mul(Expr a, Expr b)) return combine(Operator.MUL, k, a, b);
      if (v instanceof Min(Expr a, Expr b)) return combine(Operator.MIN, k, a, b);
      if (v instanceof Max(Expr a, Expr b)) return combine(Operator.MAX, k, a, b);
      if (v instanceof And(Expr a, Expr b)) return combine(Operator.AND, k, a, b);
      if (v instanceof Or(Expr a, Expr b)) return combine(Operator.OR, k, a, b);
      if (v instanceof Sub(Expr a, Expr b) && (readsFunc(a) || readsFunc(b))) {
        return new Refusal("subtraction is not associative (a sum of negated terms is written f + (0 - e))");
      }
      if (v instanceof Select(Expr c, Expr t, Expr f)) {
        if (isSelf(f, k) && !readsFunc(t)) return new Carry(c, true, t);
        if (isSelf(t, k) && !readsFunc(f)) return new Carry(c, false, f);
      }
      if (isSelf(v, k)) return new Refusal("the value is left unchanged");
      return new Refusal(readsFunc(v)
          ? "the value is not " + func + "'s own value combined with a term by +, *, min, max, && or ||"
          : "the value does not read " + func + "'s own value, so the update overwrites instead of reducing");
    }

    /** A call to {@code f} in {@code e} at arguments other than the update's, if there is one. */
    private Optional<Expr> readsOtherSite(Expr e) {
      if (e instanceof Call c && c.kind() == CallKind.FUNC && c.name().equals(func) && !c.args().equals(args)) {
        return Optional.of(e);
      }
      for (Expr c : IrNodes.children(e)) {
        Optional<Expr> found = readsOtherSite(c);
        if (found.isPresent()) return found;
      }
      return Optional.empty();
    }

    private Shape combine(Operator op, int k, Expr a, Expr b) {
      Type t = values.get(k).type();
      boolean typeOk = switch (op) {
        case ADD, MUL -> t.isIntOrUInt() || t.isFloat();
        case MIN, MAX -> t.isNumeric();
        case AND, OR -> t.isBool();
        case ARGMIN, ARGMAX -> false;
      };
      if (!typeOk) return new Refusal(op + " does not apply to " + t);
      boolean selfA = isSelf(a, k);
      boolean selfB = isSelf(b, k);
      if (selfA && selfB) return new Refusal("both operands of " + op + " are " + func + "'s own value");
      if (selfA && !readsFunc(b)) return new Combine(op, b);
      if (selfB && !readsFunc(a)) return new Combine(op, a);
      if (selfA || selfB) return new Refusal("the term combined by " + op + " reads " + func + " too");
      return new Refusal("no operand of " + op + " is " + func + "'s own value " + func + "(...)[" + k + "] alone");
    }

    /** The elements carried along by a select whose condition mentions the key value {@code k}. */
    private List<Integer> carriedBy(Shape[] shapes, int k, Expr term) {
      List<Integer> out = new ArrayList<>();
      for (int j = 0; j < shapes.length; j++) {
        if (shapes[j] instanceof Carry(Expr c, _, _) && termFirst(c, k, term).isPresent()) out.add(j);
      }
      return out;
    }

    /**
     * For a comparison {@code c} of {@code term} with the key value {@code s_k}, whether {@code term} is
     * on the smaller side: true for {@code term < s} and {@code term <= s} (and {@code s > term}, {@code
     * s >= term}), false for {@code s < term} and the like. Strict and non-strict comparisons are
     * both fine: they only decide whether the first or the last of equal keys wins.
     */
    private Optional<Boolean> termFirst(Expr c, int k, Expr term) {
      // Read as lhs < rhs (or <=): > and >= swap their operands.
      List<Expr> ops = IrNodes.children(c);
      boolean less = c instanceof LT || c instanceof LE;
      if (!less && !(c instanceof GT || c instanceof GE)) return Optional.empty();
      Expr lhs = ops.get(less ? 0 : 1);
      Expr rhs = ops.get(less ? 1 : 0);
      if (lhs.equals(term) && isSelf(rhs, k)) return Optional.of(true);
      if (isSelf(lhs, k) && rhs.equals(term)) return Optional.of(false);
      return Optional.empty();
    }

    /**
     * Adds the ARGMIN or ARGMAX term of key element {@code k} and the elements it carries to {@code
     * out}, or says why the selects do not follow the min or max.
     */
    private Optional<String> argTerm(Operator op, int k, Expr term, List<Integer> carried, Shape[] shapes, List<Term> out) {
      List<Integer> elements = new ArrayList<>(carried);
      elements.add(k);
      elements.sort(Integer::compare);
      List<Expr> identities = new ArrayList<>();
      List<Expr> operands = new ArrayList<>();
      for (int j : elements) {
        if (j == k) {
          identities.add(identity(op, values.get(k).type()));
          operands.add(term);
          continue;
        }
        Carry carry = (Carry) shapes[j];
        Type carriedType = values.get(j).type();
        if (!carriedType.isNumeric()) return Optional.of("value " + j + " has type " + carriedType + ", which has no identity");
        boolean termFirst = termFirst(carry.condition(), k, term).orElseThrow();
        // "term < s" (term first) is true exactly when min prefers the new term; "s < term" when max does.
        // The select must take the new value on that side: on true when it reads that way, else on false.
        boolean newWinsWhenTrue = op == Operator.MIN ? termFirst : !termFirst;
        if (newWinsWhenTrue != carry.newOnTrue()) {
          return Optional.of("value " + j + " does not take its new value exactly when the " + (op == Operator.MIN ? "min" : "max") + " takes the new term");
        }
        identities.add(zero(carriedType));
        operands.add(carry.x());
      }
      out.add(new Term(op == Operator.MIN ? Operator.ARGMIN : Operator.ARGMAX, elements, identities, operands, k, false));
      return Optional.empty();
    }
  }

  /** The identity of {@code op} for values of type {@code t}: {@code op(identity, x) == x} for every x. */
  public static Expr identity(Operator op, Type t) {
    Type el = t.element();
    Expr scalar = switch (op) {
      case ADD -> el.isFloat() ? new FloatImm(el, -0.0) : zero(el);
      case MUL -> number(el, 1);
      case MIN, ARGMIN -> el.isFloat() ? new FloatImm(el, Double.POSITIVE_INFINITY) : integer(el, el.maxInt());
      case MAX, ARGMAX -> el.isFloat() ? new FloatImm(el, Double.NEGATIVE_INFINITY) : integer(el, el.minInt());
      case AND -> new UIntImm(el, 1);
      case OR -> new UIntImm(el, 0);
    };
    return t.isVector() ? new Broadcast(scalar, t.lanes()) : scalar;
  }

  private static Expr zero(Type t) {
    Expr scalar = number(t.element(), 0);
    return t.isVector() ? new Broadcast(scalar, t.lanes()) : scalar;
  }

  private static Expr number(Type el, long v) {
    return el.isFloat() ? new FloatImm(el, v) : integer(el, v);
  }

  private static Expr integer(Type el, long v) {
    return el.isInt() ? new IntImm(el, v) : new UIntImm(el, v);
  }
}
