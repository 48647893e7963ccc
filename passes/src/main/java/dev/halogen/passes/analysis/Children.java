package dev.halogen.passes.analysis;

import dev.halogen.ir.Expr;
import dev.halogen.ir.Expr.*;
import java.util.List;

/**
 * The direct subexpressions of a node, and the same node rebuilt over new ones: the one place that
 * knows the shape of every node, so generic walks (CSE, let substitution) need no switch of their own.
 */
public final class Children {
  private Children() {}

  /** The operands of {@code e} in source order ({@link Let}: value, body; {@link Load}: index, predicate). */
  public static List<Expr> of(Expr e) {
    return switch (e) {
      case IntImm _ -> List.of();
      case UIntImm _ -> List.of();
      case FloatImm _ -> List.of();
      case StringImm _ -> List.of();
      case Var _ -> List.of();
      case Cast(_, var v) -> List.of(v);
      case Add(var a, var b) -> List.of(a, b);
      case Sub(var a, var b) -> List.of(a, b);
      case Mul(var a, var b) -> List.of(a, b);
      case Div(var a, var b) -> List.of(a, b);
      case Mod(var a, var b) -> List.of(a, b);
      case Min(var a, var b) -> List.of(a, b);
      case Max(var a, var b) -> List.of(a, b);
      case EQ(var a, var b) -> List.of(a, b);
      case NE(var a, var b) -> List.of(a, b);
      case LT(var a, var b) -> List.of(a, b);
      case LE(var a, var b) -> List.of(a, b);
      case GT(var a, var b) -> List.of(a, b);
      case GE(var a, var b) -> List.of(a, b);
      case And(var a, var b) -> List.of(a, b);
      case Or(var a, var b) -> List.of(a, b);
      case Not(var a) -> List.of(a);
      case Select(var c, var t, var f) -> List.of(c, t, f);
      case Let(_, var value, var body) -> List.of(value, body);
      case Call c -> c.args();
      case Load(_, _, var index, var predicate) -> List.of(index, predicate);
      case Ramp(var base, var stride, _) -> List.of(base, stride);
      case Broadcast(var value, _) -> List.of(value);
      case VectorReduce(_, var value, _) -> List.of(value);
    };
  }

  /**
   * {@code e} with its operands replaced by {@code c} (same order as {@link #of}); {@code e} itself when
   * every new operand is the same object as the old one.
   */
  public static Expr with(Expr e, List<Expr> c) {
    if (sameObjects(of(e), c)) return e;
    return switch (e) {
      case IntImm _ -> e;
      case UIntImm _ -> e;
      case FloatImm _ -> e;
      case StringImm _ -> e;
      case Var _ -> e;
      case Cast(var t, _) -> new Cast(t, c.get(0));
      case Add _ -> new Add(c.get(0), c.get(1));
      case Sub _ -> new Sub(c.get(0), c.get(1));
      case Mul _ -> new Mul(c.get(0), c.get(1));
      case Div _ -> new Div(c.get(0), c.get(1));
      case Mod _ -> new Mod(c.get(0), c.get(1));
      case Min _ -> new Min(c.get(0), c.get(1));
      case Max _ -> new Max(c.get(0), c.get(1));
      case EQ _ -> new EQ(c.get(0), c.get(1));
      case NE _ -> new NE(c.get(0), c.get(1));
      case LT _ -> new LT(c.get(0), c.get(1));
      case LE _ -> new LE(c.get(0), c.get(1));
      case GT _ -> new GT(c.get(0), c.get(1));
      case GE _ -> new GE(c.get(0), c.get(1));
      case And _ -> new And(c.get(0), c.get(1));
      case Or _ -> new Or(c.get(0), c.get(1));
      case Not _ -> new Not(c.get(0));
      case Select _ -> new Select(c.get(0), c.get(1), c.get(2));
      case Let(var name, _, _) -> new Let(name, c.get(0), c.get(1));
      case Call(var t, var name, _, var kind, var index) -> new Call(t, name, c, kind, index);
      case Load(var t, var name, _, _) -> new Load(t, name, c.get(0), c.get(1));
      case Ramp(_, _, var lanes) -> new Ramp(c.get(0), c.get(1), lanes);
      case Broadcast(_, var lanes) -> new Broadcast(c.get(0), lanes);
      case VectorReduce(var op, _, var lanes) -> new VectorReduce(op, c.get(0), lanes);
    };
  }

  private static boolean sameObjects(List<Expr> a, List<Expr> b) {
    if (a.size() != b.size()) {
      throw new IllegalArgumentException("node has " + a.size() + " operands, got " + b.size() + " replacements");
    }
    for (int i = 0; i < a.size(); i++) if (a.get(i) != b.get(i)) return false;
    return true;
  }
}
