package dev.halogen;

import dev.halogen.ir.Buffer;
import dev.halogen.ir.Expr;
import dev.halogen.ir.Expr.Call;
import dev.halogen.ir.Expr.Cast;
import dev.halogen.ir.Expr.FloatImm;
import dev.halogen.ir.Expr.Var;
import dev.halogen.ir.Function;
import dev.halogen.ir.IrRewriter;
import dev.halogen.ir.Parameter;
import dev.halogen.ir.Pipeline;
import dev.halogen.ir.Type;
import java.util.ArrayList;
import java.util.List;

/**
 * The same pipeline computed in double precision: every float32 type of the IR (Func values,
 * casts, float constants, math calls, float Params and images, constant buffers) becomes float64.
 * Constants keep their float32 values, so the copy computes the function the float32 pipeline
 * approximates, at the same points, without its rounding ({@link GradientCheck#checkFloat64}).
 */
final class Float64Ir {
  private Float64Ir() {}

  /** float64 for float32 (any lanes); every other type as it is. */
  static Type promote(Type t) {
    return t.isFloat() && t.bits() == 32 ? Type.F64.withLanes(t.lanes()) : t;
  }

  private static final IrRewriter RETYPE = new IrRewriter() {
    @Override
    public Expr rewrite(Expr e) {
      // Only nodes that carry a type of their own change; the others take theirs from their operands.
      if (e instanceof FloatImm(Type t, double v)) return new FloatImm(promote(t), v);
      if (e instanceof Var(Type t, String name)) return new Var(promote(t), name);
      if (e instanceof Cast(Type t, Expr v)) {
        // A cast between float32 and float64 disappears: both sides are float64 now.
        Expr nv = rewrite(v);
        return nv.type().equals(promote(t)) ? nv : new Cast(promote(t), nv);
      }
      if (e instanceof Call(Type t, String name, List<Expr> args, Expr.CallKind kind, int valueIndex)) {
        return new Call(promote(t), name, rewriteAll(args), kind, valueIndex);
      }
      return rewriteChildren(e);
    }
  };

  /** {@code e} (a constant, a parameter's value) in float64 where it was float32. */
  static Expr promote(Expr e) {
    return RETYPE.rewrite(e);
  }

  /** {@code p} with float32 retyped to float64 throughout; constant buffers of float32 are copied to float64. */
  static Pipeline of(Pipeline p) {
    List<Function> functions = new ArrayList<>();
    for (Function f : p.functions().values()) {
      Function r = RETYPE.rewrite(f);
      functions.add(new Function(r.name(), r.args(), promote(r.outputTypes()), r.definition(), r.updates(), r.schedule()));
    }
    List<Parameter> parameters = new ArrayList<>();
    for (Parameter q : p.parameters()) {
      parameters.add(switch (q) {
        case Parameter.Scalar(String name, Type t, Expr def) -> new Parameter.Scalar(name, promote(t), def == null ? null : RETYPE.rewrite(def));
        case Parameter.Image(String name, Type t, int dims) -> new Parameter.Image(name, promote(t), dims);
        case Parameter.Constant(String name, Buffer b) -> new Parameter.Constant(name, promote(b));
      });
    }
    return Pipeline.of(p.outputs(), functions, parameters);
  }

  private static List<Type> promote(List<Type> ts) {
    List<Type> out = new ArrayList<>();
    for (Type t : ts) out.add(promote(t));
    return out;
  }

  /** A float64 copy of a float32 buffer (same mins and extents); any other buffer as it is. */
  static Buffer promote(Buffer b) {
    if (promote(b.type()).equals(b.type())) return b;
    Buffer out = Buffer.allocate(java.lang.foreign.Arena.ofAuto(), promote(b.type()), b.mins(), b.extents());
    b.forEachCoordinate(c -> out.setFromDouble(b.getAsDouble(c), c));
    return out;
  }
}
