package dev.halogen;

import dev.halogen.ir.Buffer;
import dev.halogen.ir.Expr.And;
import dev.halogen.ir.Expr.UIntImm;
import dev.halogen.ir.Range;
import dev.halogen.ir.ReductionDomain;
import dev.halogen.ir.Type;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A reduction domain: a box of integer points, one {@link RVar} per dimension (the first innermost),
 * optionally restricted by predicates ({@link #where}). An update definition that uses its RVars
 * iterates the box in lexicographic order, first dimension fastest.
 *
 * <p>Bounds may use constants, {@link Param}s, image dimensions ({@link ImageParam#dim}) and Func
 * calls, but no pure or reduction variables. Predicates may use this RDom's variables, the pure
 * variables of the update that uses the RDom, parameters and Func calls; add them before the RDom is
 * first used in a definition.
 */
public final class RDom implements Ref {
  private static final String SUFFIXES = "xyzw";
  private static final dev.halogen.ir.Expr TRUE = new UIntImm(Type.BOOL, 1);

  private final String name;
  private final List<Range> ranges;
  private final Refs boundRefs;
  private final List<RVar> vars;
  private dev.halogen.ir.Expr predicate = TRUE;
  private Refs predicateRefs = Refs.EMPTY;
  private @Nullable String usedBy;

  /** {@code new RDom("r", 0, 16, 0, 8)}: dimension {@code i} runs over {@code [min_i, min_i + extent_i)}. */
  public RDom(String name, int... minExtentPairs) {
    this(Names.checkUser(name, "RDom"), literals(minExtentPairs));
  }

  /** An RDom with a generated name. */
  public RDom(int... minExtentPairs) {
    this(Names.fresh("r"), literals(minExtentPairs));
  }

  /** Bounds given as expressions (constants, Params, image dimensions, Func calls). */
  public RDom(String name, ExprLike... minExtentPairs) {
    this(Names.checkUser(name, "RDom"), List.of(minExtentPairs));
  }

  public RDom(ExprLike... minExtentPairs) {
    this(Names.fresh("r"), List.of(minExtentPairs));
  }

  /** The region of a buffer: one dimension per buffer dimension, over its mins and extents. */
  public RDom(String name, Buffer region) {
    this(Names.checkUser(name, "RDom"), region(region));
  }

  public RDom(Buffer region) {
    this(Names.fresh("r"), region(region));
  }

  /** The region of an input image, whatever its size at run time ({@code in.min.d}, {@code in.extent.d}). */
  public RDom(String name, ImageParam region) {
    this(Names.checkUser(name, "RDom"), region(region));
  }

  public RDom(ImageParam region) {
    this(Names.fresh("r"), region(region));
  }

  private RDom(String name, List<ExprLike> minExtentPairs) {
    this.name = name;
    if (minExtentPairs.isEmpty() || minExtentPairs.size() % 2 != 0) {
      throw new IllegalArgumentException("RDom " + name + " needs a min and an extent per dimension, got "
          + minExtentPairs.size() + " values");
    }
    List<Range> rs = new ArrayList<>();
    List<RVar> vs = new ArrayList<>();
    for (int i = 0; i < minExtentPairs.size() / 2; i++) {
      rs.add(new Range(bound(i, "min", minExtentPairs.get(2 * i)), bound(i, "extent", minExtentPairs.get(2 * i + 1))));
      vs.add(new RVar(this, i, name + "." + (i < SUFFIXES.length() ? String.valueOf(SUFFIXES.charAt(i)) : String.valueOf(i))));
    }
    this.ranges = List.copyOf(rs);
    this.vars = List.copyOf(vs);
    this.boundRefs = Ops.refs(minExtentPairs);
    for (Ref r : boundRefs.leaves()) {
      switch (r) {
        case Var v -> throw new HalogenException.DefinitionException(
            "RDom " + name + ": its bounds use the Var " + v.name() + "; bounds may use constants, Params, image dimensions and Func calls only");
        case RDom d -> throw new HalogenException.DefinitionException(
            "RDom " + name + ": its bounds use variables of RDom " + d.name + "; bounds may not depend on reduction variables");
        case Func _, Param _, ImageParam _, ConstantBuffer _ -> {}
      }
    }
  }

  /**
   * The RDom of an update the front end derived as IR ({@link Func#fromIr}): the IR's name,
   * variable names, bounds and predicate, so that its loops can be scheduled by {@link Stage#rvars()}.
   */
  static RDom fromIr(ReductionDomain rd) {
    return new RDom(rd);
  }

  private RDom(ReductionDomain rd) {
    this.name = rd.name();
    List<Range> rs = new ArrayList<>();
    List<RVar> vs = new ArrayList<>();
    for (ReductionDomain.ReductionVariable v : rd.variables()) {
      rs.add(new Range(v.min(), v.extent()));
      vs.add(new RVar(this, vs.size(), v.name()));
    }
    this.ranges = List.copyOf(rs);
    this.vars = List.copyOf(vs);
    this.boundRefs = Refs.EMPTY;
    this.predicate = rd.predicate();
    this.usedBy = rd.name();
  }

  private dev.halogen.ir.Expr bound(int dim, String what, ExprLike e) {
    dev.halogen.ir.Expr x = Coercion.int32("RDom " + name + ": the " + what + " of dimension " + dim, e);
    if (what.equals("extent") && x instanceof dev.halogen.ir.Expr.IntImm(var _, long v) && v < 0) {
      throw new IllegalArgumentException("RDom " + name + ": the extent of dimension " + dim + " is negative (" + v + ")");
    }
    return x;
  }

  private static List<ExprLike> literals(int[] pairs) {
    List<ExprLike> out = new ArrayList<>(pairs.length);
    for (int p : pairs) out.add(Expr.of(p));
    return out;
  }

  private static List<ExprLike> region(Buffer b) {
    List<ExprLike> out = new ArrayList<>();
    for (int d = 0; d < b.dimensions(); d++) {
      out.add(Expr.of(b.min(d)));
      out.add(Expr.of(b.extent(d)));
    }
    return out;
  }

  private static List<ExprLike> region(ImageParam p) {
    List<ExprLike> out = new ArrayList<>();
    for (int d = 0; d < p.dimensions(); d++) {
      out.add(p.dim(d).min());
      out.add(p.dim(d).extent());
    }
    return out;
  }

  public String name() {
    return name;
  }

  public int dimensions() {
    return vars.size();
  }

  /** The variable of dimension {@code i}. */
  public RVar get(int i) {
    if (i < 0 || i >= vars.size()) {
      throw new IndexOutOfBoundsException("RDom " + name + " has " + vars.size() + " dimensions; there is no dimension " + i);
    }
    return vars.get(i);
  }

  public RVar x() {
    return get(0);
  }

  public RVar y() {
    return get(1);
  }

  public RVar z() {
    return get(2);
  }

  public RVar w() {
    return get(3);
  }

  public List<RVar> vars() {
    return vars;
  }

  /**
   * Restricts the domain to the points where {@code condition} holds (and-ed with earlier
   * conditions). Returns this RDom.
   */
  public RDom where(ExprLike condition) {
    if (usedBy != null) {
      throw new HalogenException.DefinitionException("RDom " + name + " is already used by " + usedBy
          + "; add its predicates with where() before using it");
    }
    Type t = condition.type();
    if (!t.isBool()) throw new HalogenException.TypeException("RDom " + name + ": where() needs a bool condition, got " + t);
    Refs refs = Ops.refs(condition);
    for (RDom d : refs.leaves(RDom.class)) {
      if (d != this) {
        throw new HalogenException.DefinitionException("RDom " + name + ": the predicate uses variables of another RDom "
            + d.name + "; a predicate may use only its own RDom's variables");
      }
    }
    predicate = predicate == TRUE ? condition.ir() : new And(predicate, condition.ir());
    predicateRefs = Refs.join(predicateRefs, refs);
    return this;
  }

  /** The conjunction of the predicates ({@code true} without any). */
  public dev.halogen.ir.Expr predicate() {
    return predicate;
  }

  /** The IR form. */
  public ReductionDomain domain() {
    List<ReductionDomain.ReductionVariable> rvs = new ArrayList<>();
    for (int i = 0; i < vars.size(); i++) {
      rvs.add(new ReductionDomain.ReductionVariable(vars.get(i).name(), ranges.get(i).min(), ranges.get(i).extent()));
    }
    return new ReductionDomain(name, rvs, predicate);
  }

  Range range(int i) {
    return ranges.get(i);
  }

  Refs boundRefs() {
    return boundRefs;
  }

  Refs predicateRefs() {
    return predicateRefs;
  }

  /** Freezes the predicate: records the first definition that iterates this RDom. */
  void markUsed(String definition) {
    if (usedBy == null) usedBy = definition;
  }

  @Override
  public String toString() {
    return name;
  }
}
