package dev.halogen;

import dev.halogen.ir.Expr.Add;
import dev.halogen.ir.Expr.And;
import dev.halogen.ir.Expr.Div;
import dev.halogen.ir.Expr.EQ;
import dev.halogen.ir.Expr.GE;
import dev.halogen.ir.Expr.GT;
import dev.halogen.ir.Expr.LE;
import dev.halogen.ir.Expr.LT;
import dev.halogen.ir.Expr.Max;
import dev.halogen.ir.Expr.Min;
import dev.halogen.ir.Expr.Mod;
import dev.halogen.ir.Expr.Mul;
import dev.halogen.ir.Expr.NE;
import dev.halogen.ir.Expr.Not;
import dev.halogen.ir.Expr.Or;
import dev.halogen.ir.Expr.Sub;
import dev.halogen.ir.Type;
import java.util.ArrayList;
import java.util.List;

/** Builds the IR for the operators of {@link ExprLike}, and tracks what each expression refers to. */
final class Ops {
  /** The binary operators, with the names errors use. */
  enum Binary {
    ADD("plus"),
    SUB("minus"),
    MUL("times"),
    DIV("div"),
    MOD("rem"),
    MIN("min"),
    MAX("max"),
    LT("lt"),
    LE("le"),
    GT("gt"),
    GE("ge"),
    EQ("eq"),
    NE("ne"),
    AND("and"),
    OR("or");

    final String op;

    Binary(String op) {
      this.op = op;
    }
  }

  private Ops() {}

  /** The front-end objects {@code e} was built from. */
  static Refs refs(ExprLike e) {
    return switch (e) {
      case Expr x -> x.refs;
      case Var v -> Refs.of(v);
      case RVar r -> Refs.of(r.rdom());
      case Param p -> Refs.of(p);
      case FuncRef f -> f.call().refs;
    };
  }

  static Refs refs(List<? extends ExprLike> es) {
    List<Refs> all = new ArrayList<>();
    for (ExprLike e : es) all.add(refs(e));
    return Refs.join(all);
  }

  /** An expression over the same objects as {@code from}. */
  static Expr wrap(dev.halogen.ir.Expr ir, ExprLike... from) {
    return new Expr(ir, refs(List.of(from)));
  }

  static Expr binary(Binary op, ExprLike a, ExprLike b) {
    Coercion.Pair p = switch (op) {
      case AND, OR -> logic(op.op, a, b);
      case EQ, NE -> Coercion.equality(op.op, a, b);
      case ADD, SUB, MUL, DIV, MOD, MIN, MAX, LT, LE, GT, GE -> Coercion.arithmetic(op.op, a, b);
    };
    dev.halogen.ir.Expr x = p.a();
    dev.halogen.ir.Expr y = p.b();
    dev.halogen.ir.Expr node = switch (op) {
      case ADD -> new Add(x, y);
      case SUB -> new Sub(x, y);
      case MUL -> new Mul(x, y);
      case DIV -> new Div(x, y);
      case MOD -> new Mod(x, y);
      case MIN -> new Min(x, y);
      case MAX -> new Max(x, y);
      case LT -> new LT(x, y);
      case LE -> new LE(x, y);
      case GT -> new GT(x, y);
      case GE -> new GE(x, y);
      case EQ -> new EQ(x, y);
      case NE -> new NE(x, y);
      case AND -> new And(x, y);
      case OR -> new Or(x, y);
    };
    return wrap(node, a, b);
  }

  private static Coercion.Pair logic(String op, ExprLike a, ExprLike b) {
    Type ta = a.type();
    Type tb = b.type();
    if (!ta.isBool() || !tb.isBool()) {
      throw new HalogenException.TypeException(op + "(" + ta + ", " + tb + "): both operands must be bool");
    }
    return new Coercion.Pair(a.ir(), b.ir());
  }

  static Expr negate(ExprLike a) {
    if (a instanceof Expr e) {
      Expr folded = e.negatedLiteral();
      if (folded != null) return folded;
    }
    Type t = a.type();
    if (t.isBool() || t.isHandle()) {
      throw new HalogenException.TypeException("unaryMinus(" + t + "): only numbers can be negated");
    }
    return wrap(new Sub(Coercion.constant(t, 0), a.ir()), a);
  }

  static Expr not(ExprLike a) {
    Type t = a.type();
    if (!t.isBool()) throw new HalogenException.TypeException("not(" + t + "): the operand must be bool");
    return wrap(new Not(a.ir()), a);
  }
}
