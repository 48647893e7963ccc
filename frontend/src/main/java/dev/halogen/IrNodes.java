package dev.halogen;

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
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

/** Visiting the IR expressions the front end builds. */
final class IrNodes {
  private IrNodes() {}

  /** The direct subexpressions of {@code e}, in order. */
  static List<Expr> children(Expr e) {
    return switch (e) {
      case IntImm _ -> List.of();
      case UIntImm _ -> List.of();
      case FloatImm _ -> List.of();
      case StringImm _ -> List.of();
      case Var _ -> List.of();
      case Cast(var _, Expr v) -> List.of(v);
      case Add(Expr a, Expr b) -> List.of(a, b);
      case Sub(Expr a, Expr b) -> List.of(a, b);
      case Mul(Expr a, Expr b) -> List.of(a, b);
      case Div(Expr a, Expr b) -> List.of(a, b);
      case Mod(Expr a, Expr b) -> List.of(a, b);
      case Min(Expr a, Expr b) -> List.of(a, b);
      case Max(Expr a, Expr b) -> List.of(a, b);
      case EQ(Expr a, Expr b) -> List.of(a, b);
      case NE(Expr a, Expr b) -> List.of(a, b);
      case LT(Expr a, Expr b) -> List.of(a, b);
      case LE(Expr a, Expr b) -> List.of(a, b);
      case GT(Expr a, Expr b) -> List.of(a, b);
      case GE(Expr a, Expr b) -> List.of(a, b);
      case And(Expr a, Expr b) -> List.of(a, b);
      case Or(Expr a, Expr b) -> List.of(a, b);
      case Not(Expr a) -> List.of(a);
      case Select(Expr c, Expr t, Expr f) -> List.of(c, t, f);
      case Let(var _, Expr v, Expr b) -> List.of(v, b);
      case Call c -> c.args();
      case Load(var _, var _, Expr index, Expr predicate) -> List.of(index, predicate);
      case Ramp(Expr base, Expr stride, var _) -> List.of(base, stride);
      case Broadcast(Expr v, var _) -> List.of(v);
      case VectorReduce(var _, Expr v, var _) -> List.of(v);
    };
  }

  /** Calls {@code action} on every node of each of {@code roots}, parents before children. */
  static void forEach(List<Expr> roots, Consumer<Expr> action) {
    Deque<Expr> stack = new ArrayDeque<>();
    for (int i = roots.size() - 1; i >= 0; i--) stack.push(roots.get(i));
    while (!stack.isEmpty()) {
      Expr e = stack.pop();
      action.accept(e);
      List<Expr> cs = children(e);
      for (int i = cs.size() - 1; i >= 0; i--) stack.push(cs.get(i));
    }
  }
}
