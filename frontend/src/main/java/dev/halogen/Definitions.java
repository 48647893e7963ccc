package dev.halogen;

import dev.halogen.ir.Definition;
import dev.halogen.ir.ReductionDomain;
import dev.halogen.ir.StageSchedule;
import dev.halogen.ir.Type;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Halide's rules for definitions.
 *
 * <p>A Func's first definition is its pure definition: its arguments are distinct pure Vars (the
 * placeholder {@link Var#IMPLICIT} receives the implicit variables the right side uses), its values
 * use no RVars and no Vars other than its arguments. Every later definition is an update: one
 * argument per dimension; a Var may be used (on either side or in the RDom predicate) only if it
 * stands alone on the left-hand side at the position the pure definition gives it; all RVars come
 * from one RDom; the values are as many as, and of the types of, the pure definition's values.
 */
final class Definitions {
  private Definitions() {}

  /** A call to a Tuple-valued Func as its values; anything else as one value. */
  static List<ExprLike> values(ExprLike v) {
    if (v instanceof FuncRef r && r.func().defined() && r.size() > 1) return r.tuple().elements();
    return List.of(v);
  }

  /** {@code f(args) = values}. */
  static Stage assign(FuncRef lhs, List<ExprLike> values) {
    Func f = lhs.func();
    return f.defined() ? update(f, lhs.args(), values) : pure(f, lhs.args(), values);
  }

  /** {@code f(args) op= values}; an undefined Func first gets the pure definition {@code identity} of the values' types. */
  static Stage compound(FuncRef lhs, Ops.Binary op, List<ExprLike> values) {
    Func f = lhs.func();
    List<ExprLike> args = lhs.args();
    if (!f.defined()) {
      int pos = CallArgs.placeholder("Func " + f.name(), args);
      if (pos >= 0) args = CallArgs.insertImplicit(args, pos, implicitCount(Ops.refs(values)));
      defineBaseCase(f, args, values, op == Ops.Binary.ADD || op == Ops.Binary.SUB ? 0 : 1);
    }
    checkValueCount(f, "update " + f.updateCount() + " of Func " + f.name(), values.size());
    FuncRef self = new FuncRef(f, args);
    List<ExprLike> combined = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) combined.add(Ops.binary(op, self.get(i), values.get(i)));
    return update(f, args, combined);
  }

  /** Halide's {@code define_base_case}: the left side's Vars where they can be pure arguments, fresh Vars elsewhere. */
  private static void defineBaseCase(Func f, List<ExprLike> args, List<ExprLike> values, int identity) {
    List<ExprLike> pureArgs = new ArrayList<>();
    Set<String> taken = new LinkedHashSet<>();
    for (ExprLike a : args) {
      Var v = a instanceof Var x && !x.isPlaceholder() && taken.add(x.name()) ? x : new Var();
      pureArgs.add(v);
    }
    List<ExprLike> init = new ArrayList<>();
    for (ExprLike v : values) init.add(new Expr(Coercion.constant(v.type(), identity), Refs.EMPTY));
    pure(f, pureArgs, init);
  }

  private static Stage pure(Func f, List<ExprLike> lhs, List<ExprLike> values) {
    String def = "the pure definition of Func " + f.name();
    if (values.isEmpty()) throw error("The definition of Func " + f.name() + " has no values");
    int placeholder = CallArgs.placeholder("The left-hand side of " + def, lhs);
    List<String> names = new ArrayList<>();
    for (int i = 0; i < lhs.size(); i++) {
      if (i == placeholder) continue;
      switch (lhs.get(i)) {
        case Var v -> names.add(v.name());
        case RVar r -> throw error("Argument " + (i + 1) + " of " + def + " is the RVar " + r.name()
            + "; a pure definition takes pure Vars only (define " + f.name() + " over Vars first, then add an update that uses "
            + r.name() + ")");
        case Expr _, Param _, FuncRef _ -> throw notAVar(f, def, i);
      }
    }
    Refs valueRefs = Ops.refs(values);
    List<RDom> rdoms = valueRefs.leaves(RDom.class);
    if (!rdoms.isEmpty()) {
      throw error(capitalize(def) + " uses RVars of RDom " + rdoms.get(0).name()
          + "; a pure definition cannot reduce (put the reduction in an update definition)");
    }
    if (placeholder >= 0) {
      int count = implicitCount(valueRefs);
      for (int i = 0; i < count; i++) names.add(placeholder + i, Var.implicit(i).name());
    }
    Set<String> distinct = new LinkedHashSet<>();
    for (String n : names) {
      if (!distinct.add(n)) throw error("Var " + n + " appears twice in the left-hand side of " + def);
    }
    checkVars(def, names, valueRefs, "the right-hand side", f.name() + "(" + String.join(", ", names) + ")");
    List<dev.halogen.ir.Expr> irValues = new ArrayList<>();
    for (ExprLike v : values) irValues.add(v.ir());
    irValues = new Randoms.Lowering(f.name(), 0, names).all(irValues);
    f.definePure(names, irValues, valueRefs);
    return new Stage(f, 0);
  }

  private static HalogenException notAVar(Func f, String def, int i) {
    return error("Argument " + (i + 1) + " of " + def + " is not a Var; a pure definition takes distinct pure Vars only (define "
        + f.name() + " over Vars first, then add an update)");
  }

  private static Stage update(Func f, List<ExprLike> rawLhs, List<ExprLike> values) {
    int k = f.updateCount();
    String def = "update " + k + " of Func " + f.name();
    List<String> pure = f.args();
    String pureText = f.name() + "(" + String.join(", ", pure) + ")";
    List<ExprLike> lhs = CallArgs.expand("Func " + f.name() + " (on the left-hand side of " + def + ")", f.dimensions(), rawLhs);

    // A Var is bound only where it stands alone at the position the pure definition gives it.
    Set<String> bound = new LinkedHashSet<>();
    boolean allVars = true;
    for (int i = 0; i < lhs.size(); i++) {
      if (lhs.get(i) instanceof Var v) {
        if (v.name().equals(pure.get(i))) bound.add(v.name());
      } else {
        allVars = false;
      }
    }
    if (allVars && bound.isEmpty() && !lhs.isEmpty()) {
      throw error("Func " + f.name() + " already has the pure definition " + pureText + "; defining " + f.name() + "("
          + names(lhs) + ") would give it a second pure definition (an update must keep each pure Var in its own position)");
    }
    for (int i = 0; i < lhs.size(); i++) {
      if (lhs.get(i) instanceof Var v && !bound.contains(v.name())) {
        int own = pure.indexOf(v.name());
        if (own >= 0) {
          throw error("In " + def + ", the pure Var " + v.name() + " is argument " + (i + 1) + " of the left-hand side, but it is argument "
              + (own + 1) + " of the pure definition " + pureText + "; a pure Var must stay in its own position");
        }
        throw error("In " + def + ", argument " + (i + 1) + " of the left-hand side is the Var " + v.name()
            + ", which is not the pure Var " + pure.get(i) + " of that position in " + pureText
            + "; use an RVar, a Param or an expression there");
      }
    }

    Refs lhsRefs = Ops.refs(lhs);
    Refs valueRefs = Ops.refs(values);
    List<RDom> rdoms = Refs.join(lhsRefs, valueRefs).leaves(RDom.class);
    if (rdoms.size() > 1) {
      throw error(capitalize(def) + " uses RVars of two RDoms, " + rdoms.get(0).name() + " and " + rdoms.get(1).name()
          + "; an update iterates one RDom");
    }
    @Nullable RDom dom = rdoms.isEmpty() ? null : rdoms.get(0);
    String lhsText = f.name() + "(" + names(lhs) + ")";
    List<String> boundList = List.copyOf(bound);
    checkVars(def, boundList, lhsRefs, "the left-hand side", lhsText);
    checkVars(def, boundList, valueRefs, "the right-hand side", lhsText);
    if (dom != null) checkVars(def, boundList, dom.predicateRefs(), "the predicate of RDom " + dom.name(), lhsText);

    checkValueCount(f, def, values.size());
    List<Type> types = f.outputTypes();
    List<dev.halogen.ir.Expr> irValues = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      String what = (types.size() == 1 ? "The value" : "Tuple element " + i) + " of " + def;
      try {
        irValues.add(Coercion.exactly(what, values.get(i), types.get(i)));
      } catch (HalogenException.TypeException e) {
        throw new HalogenException.DefinitionException(e.getMessage() + " (the type of that value in " + pureText + ")");
      }
    }
    List<dev.halogen.ir.Expr> irArgs = new ArrayList<>();
    for (int i = 0; i < lhs.size(); i++) {
      irArgs.add(Coercion.int32("Argument " + (i + 1) + " of the left-hand side of " + def, lhs.get(i)));
    }
    // Default loop nest, innermost first: the reduction variables, then the pure Vars the update
    // keeps (exactly those in `bound`: each is the unadorned Var of its own position in irArgs).
    @Nullable ReductionDomain domain = dom == null ? null : dom.domain();
    // Random numbers hash the Vars the update binds (in argument order) and its RVars.
    List<String> free = new ArrayList<>(boundList);
    if (domain != null) for (ReductionDomain.ReductionVariable rv : domain.variables()) free.add(rv.name());
    Randoms.Lowering random = new Randoms.Lowering(f.name(), k + 1, free);
    irArgs = random.all(irArgs);
    irValues = random.all(irValues);
    Definition d = new Definition(irArgs, irValues, domain, StageSchedule.defaultFor(pure, irArgs, domain));
    if (dom != null) dom.markUsed(def);
    f.addUpdate(d, Refs.join(lhsRefs, valueRefs), dom);
    return new Stage(f, k + 1);
  }

  private static void checkValueCount(Func f, String def, int count) {
    int expected = f.outputTypes().size();
    if (count != expected) {
      throw error(capitalize(def) + " gives " + count + " value" + (count == 1 ? "" : "s") + ", but the pure definition of "
          + f.name() + " gives " + expected);
    }
  }

  /** Every Var that {@code refs} uses must be in {@code bound}. */
  private static void checkVars(String def, List<String> bound, Refs refs, String where, String lhsText) {
    for (Var v : refs.leaves(Var.class)) {
      if (v.isPlaceholder()) {
        throw error("The placeholder Var.IMPLICIT is used inside an expression on " + where + " of " + def
            + "; it may only be a whole argument of a call");
      }
      if (bound.contains(v.name())) continue;
      if (v.isImplicit()) {
        throw error(capitalize(def) + " uses the implicit variable " + v.name() + " on " + where
            + ", but its left-hand side " + lhsText + " has no placeholder Var.IMPLICIT that provides it");
      }
      throw error("Var " + v.name() + " is used on " + where + " of " + def + " but is not bound by its left-hand side "
          + lhsText + (bound.isEmpty() ? " (no pure Var stands in its own position there)" : " (bound there: "
          + String.join(", ", bound) + ")"));
    }
  }

  /** One more than the largest index of an implicit variable {@code refs} uses. */
  private static int implicitCount(Refs refs) {
    int count = 0;
    for (Var v : refs.leaves(Var.class)) {
      if (v.isImplicit()) count = Math.max(count, Names.implicitIndex(v.name()) + 1);
    }
    return count;
  }

  private static String names(List<ExprLike> args) {
    List<String> out = new ArrayList<>();
    for (ExprLike a : args) {
      out.add(switch (a) {
        case Var v -> v.name();
        case RVar r -> r.name();
        case Param p -> p.name();
        case Expr _ -> "<expr>";
        case FuncRef c -> c.func().name() + "(...)";
      });
    }
    return String.join(", ", out);
  }

  private static String capitalize(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  private static HalogenException.DefinitionException error(String message) {
    return new HalogenException.DefinitionException(message);
  }
}
