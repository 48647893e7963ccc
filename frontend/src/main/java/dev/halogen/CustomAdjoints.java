package dev.halogen;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Derivative rules used instead of differentiating through (Halide has none: issue #4118), given to
 * {@link Gradients#propagateAdjoints(Func, CustomAdjoints)} and its overloads:
 *
 * <ul>
 *   <li>the adjoint of an extern function ({@link Exprs#extern}), by name: given the arguments of a
 *       call and the adjoint of its value, the adjoints of the arguments ({@code my_square(x)}:
 *       {@code 2 * x * adjoint}). The rule must be linear in the adjoint; forward mode ({@link
 *       Gradients#propagateTangents}) uses it too, with a tangent in place of the adjoint;
 *   <li>the backward rule of a whole Func: given a Func standing for the adjoint of the Func's
 *       values, a Func for the adjoint of each of its inputs (Funcs it calls, images it reads, float
 *       Params it uses). The Func's definitions are then not differentiated: its inputs receive
 *       exactly what the rule gives (a straight-through estimator of {@code round}, say).
 * </ul>
 */
public final class CustomAdjoints {
  /** The adjoint rule of an extern function. */
  @FunctionalInterface
  public interface ExternRule {
    /** The adjoints of {@code args}, in order, when the call's adjoint is {@code adjoint}. */
    List<? extends ExprLike> adjoints(List<Expr> args, Expr adjoint);
  }

  /** The backward rule of a Func. */
  @FunctionalInterface
  public interface FuncRule {
    /** The adjoints of the Func's inputs, as Funcs that may call {@code adjoint} (the adjoint of the Func's values). */
    InputAdjoints adjoints(Func adjoint);
  }

  /** What a {@link FuncRule} gives: the adjoint of each input, a Func with the input's dimensions. */
  public static final class InputAdjoints {
    private final Map<String, InputFunc> byName = new LinkedHashMap<>();

    private InputAdjoints() {}

    public static InputAdjoints of() {
      return new InputAdjoints();
    }

    public InputAdjoints with(Func input, Func adjoint) {
      return put(input, input.name(), adjoint);
    }

    public InputAdjoints with(ImageParam input, Func adjoint) {
      return put(input, input.name(), adjoint);
    }

    public InputAdjoints with(ConstantBuffer input, Func adjoint) {
      return put(input, input.name(), adjoint);
    }

    public InputAdjoints with(Param input, Func adjoint) {
      return put(input, input.name(), adjoint);
    }

    Map<String, InputFunc> byName() {
      return Collections.unmodifiableMap(byName);
    }

    private InputAdjoints put(Ref input, String name, Func adjoint) {
      if (byName.containsKey(name)) throw new HalogenException("The custom adjoint gives " + name + " two adjoints");
      adjoint.requireDefined("the custom adjoint of " + name);
      byName.put(name, new InputFunc(input, adjoint));
      return this;
    }
  }

  record Registered(Func func, FuncRule rule) {}

  private final Map<String, ExternRule> externs = new LinkedHashMap<>();
  private final Map<String, Registered> funcs = new LinkedHashMap<>();

  /** Registers the adjoint rule of the extern function {@code name}. */
  public CustomAdjoints extern(String name, ExternRule rule) {
    if (externs.putIfAbsent(name, rule) != null) throw new HalogenException("The extern function " + name + " already has a custom adjoint");
    return this;
  }

  /** Registers the backward rule of {@code f}. */
  public CustomAdjoints func(Func f, FuncRule rule) {
    f.requireDefined("a custom adjoint of " + f.name());
    if (funcs.putIfAbsent(f.name(), new Registered(f, rule)) != null) {
      throw new HalogenException("Func " + f.name() + " already has a custom adjoint");
    }
    return this;
  }

  Map<String, ExternRule> externs() {
    return Collections.unmodifiableMap(externs);
  }

  Map<String, Registered> funcs() {
    return Collections.unmodifiableMap(funcs);
  }

  /**
   * The extern rules for the IR: each wraps the user's rule, and the objects the expressions it
   * returns refer to are added to {@code refs} (the derived Funcs must know them).
   */
  Map<String, dev.halogen.ad.ExternAdjoint> irExterns(List<Refs> refs) {
    Map<String, dev.halogen.ad.ExternAdjoint> out = new LinkedHashMap<>();
    for (var e : externs.entrySet()) {
      ExternRule rule = e.getValue();
      out.put(e.getKey(), (args, adjoint) -> {
        List<Expr> as = new ArrayList<>();
        for (dev.halogen.ir.Expr a : args) as.add(new Expr(a, Refs.EMPTY));
        List<dev.halogen.ir.Expr> result = new ArrayList<>();
        for (ExprLike r : rule.adjoints(List.copyOf(as), new Expr(adjoint, Refs.EMPTY))) {
          refs.add(Ops.refs(r));
          result.add(r.ir());
        }
        return result;
      });
    }
    return out;
  }
}
