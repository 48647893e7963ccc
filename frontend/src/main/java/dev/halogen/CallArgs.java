package dev.halogen;

import dev.halogen.ir.Expr.Call;
import dev.halogen.ir.Expr.CallKind;
import dev.halogen.ir.Type;
import java.util.ArrayList;
import java.util.List;

/** The arguments of a call to a Func, an image or a constant buffer. */
final class CallArgs {
  private CallArgs() {}

  /** Java {@code int}s as literals, ExprLikes as they are; anything else is an error naming {@code callee}. */
  static List<ExprLike> of(String callee, Object[] args) {
    List<ExprLike> out = new ArrayList<>(args.length);
    for (int i = 0; i < args.length; i++) {
      Object a = args[i];
      switch (a) {
        case ExprLike e -> out.add(e);
        case Integer n -> out.add(Expr.of(n));
        case null -> throw new IllegalArgumentException("Argument " + (i + 1) + " of " + callee + " is null");
        default -> throw new IllegalArgumentException("Argument " + (i + 1) + " of " + callee + " is a "
            + a.getClass().getName() + "; expected an ExprLike (Expr, Var, RVar, Param, Func call) or an int");
      }
    }
    return out;
  }

  /** Where the placeholder {@link Var#IMPLICIT} is in {@code args}, or -1; a second one is an error. */
  static int placeholder(String callee, List<ExprLike> args) {
    int pos = -1;
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i) instanceof Var v && v.isPlaceholder()) {
        if (pos >= 0) throw new HalogenException.DefinitionException(callee + " is given the placeholder Var.IMPLICIT twice");
        pos = i;
      }
    }
    return pos;
  }

  /** {@code args} with {@code count} implicit variables {@code _0 ..} in place of the placeholder at {@code pos}. */
  static List<ExprLike> insertImplicit(List<ExprLike> args, int pos, int count) {
    List<ExprLike> out = new ArrayList<>(args.subList(0, pos));
    for (int i = 0; i < count; i++) out.add(Var.implicit(i));
    out.addAll(args.subList(pos + 1, args.size()));
    return out;
  }

  /**
   * The arguments of a call to something of {@code dims} dimensions: the placeholder becomes as many
   * implicit variables as are missing; then the count must match.
   */
  static List<ExprLike> expand(String callee, int dims, List<ExprLike> args) {
    int pos = placeholder(callee, args);
    List<ExprLike> out = pos < 0 ? args : insertImplicit(args, pos, Math.max(0, dims - (args.size() - 1)));
    if (out.size() != dims) {
      throw new HalogenException.DefinitionException(callee + " has " + dims + " dimension" + (dims == 1 ? "" : "s")
          + " but is given " + out.size() + " argument" + (out.size() == 1 ? "" : "s"));
    }
    return out;
  }

  /** The call {@code name(args)} of {@code kind}, referring to {@code owner} and to what the arguments refer to. */
  static Expr call(Ref owner, String callee, Type type, String name, CallKind kind, int valueIndex, List<ExprLike> args) {
    List<dev.halogen.ir.Expr> irArgs = new ArrayList<>(args.size());
    for (int i = 0; i < args.size(); i++) {
      irArgs.add(Coercion.int32("Argument " + (i + 1) + " of the call to " + callee, args.get(i)));
    }
    return new Expr(new Call(type, name, irArgs, kind, valueIndex), Refs.join(Refs.of(owner), Ops.refs(args)));
  }
}
