package dev.halogen;

import dev.halogen.ir.Expr.Call;
import dev.halogen.ir.Expr.CallKind;
import dev.halogen.ir.Expr.Cast;
import dev.halogen.ir.Expr.FloatImm;
import dev.halogen.ir.Expr.Let;
import dev.halogen.ir.Expr.Mul;
import dev.halogen.ir.Expr.UIntImm;
import dev.halogen.ir.Expr.Var;
import dev.halogen.ir.IrRewriter;
import dev.halogen.ir.Type;
import dev.halogen.passes.analysis.RandomPlaceholder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Halide's {@code random_float}, {@code random_int} and {@code random_uint}, lowered when the
 * definition is made (Halide's {@code lower_random}).
 *
 * <p>{@link Exprs#randomFloat()} and its kin build a placeholder intrinsic ({@link
 * RandomPlaceholder}). When a Func definition is made, {@link Lowering} replaces each placeholder by
 * an explicit {@code uint32} hash of the definition's free variables (the Func's pure Vars the
 * definition binds, in argument order, then the RVars of its RDom, in dimension order), then the
 * seed if there is one, starting from a tag. The tag is the 32-bit FNV-1a hash of {@code
 * "<func>/<stage>/<call>"}: the Func's name (a generated name without its {@code $N}, which would
 * make the printed pipeline depend on how many names were generated before), the stage (0 for the
 * pure definition, {@code k + 1} for update {@code k}) and the call's position in the definition
 * (left-hand side arguments, then values, each in evaluation order). So the value is a function of
 * the coordinate alone, the same wherever the expression is evaluated (a gradient pipeline included),
 * and different calls, stages and Funcs give independent numbers.
 *
 * <p>The hash chains Chris Wellons' {@code lowbias32} mixer ({@code x ^= x >> 16; x *= 0x7feb352d;
 * x ^= x >> 15; x *= 0x846ca68b; x ^= x >> 16}, a bijection of {@code uint32}): {@code h = mix(tag
 * ^ k1)}, then {@code h = mix(h ^ k)} for each further input {@code k} (each cast to {@code
 * uint32}), or {@code mix(tag)} without inputs. Each intermediate value is a {@code let} named
 * {@code random.<tag in hex>.<n>} (names with {@code '.'} are no user's), since each is used twice.
 * {@code random_uint} is {@code h}, {@code random_int} its bits as {@code int32}, {@code
 * random_float} {@code float32(h >> 8) * 2^-24}: one of the 2^24 evenly spaced values of {@code [0,
 * 1)}, exact in float32.
 */
final class Randoms {
  private static final long C1 = 0x7feb352dL;
  private static final long C2 = 0x846ca68bL;
  /** 2^-24 as a float32: the spacing of the 2^24 values of {@link Exprs#randomFloat()}. */
  private static final double FLOAT_STEP = 0x1p-24;

  private Randoms() {}

  /** The placeholder call {@code name(seed)} of type {@code t} ({@code seed} null: no seed). */
  static Expr placeholder(String name, Type t, @Nullable ExprLike seed) {
    if (seed == null) return new Expr(new Call(t, name, List.of(), CallKind.INTRINSIC), Refs.EMPTY);
    Type s = seed.type();
    if (!s.isIntOrUInt()) {
      throw new HalogenException.TypeException(name + "(" + s + "): the seed must be an integer (use Exprs.cast to convert)");
    }
    return Ops.wrap(new Call(t, name, List.of(seed.ir()), CallKind.INTRINSIC), seed);
  }

  /** Replaces the placeholders of one definition, numbering them in the order they are met. */
  static final class Lowering extends IrRewriter {
    private final String tagPrefix;
    private final List<dev.halogen.ir.Expr> free = new ArrayList<>();
    private int position;

    /** For stage {@code stage} of Func {@code func}, whose free variables are {@code vars} (int32, in order). */
    Lowering(String func, int stage, List<String> vars) {
      int cut = func.indexOf('$');
      this.tagPrefix = (cut < 0 ? func : func.substring(0, cut)) + "/" + stage + "/";
      for (String v : vars) free.add(Var.of(v));
    }

    List<dev.halogen.ir.Expr> all(List<dev.halogen.ir.Expr> es) {
      List<dev.halogen.ir.Expr> out = new ArrayList<>(es.size());
      for (dev.halogen.ir.Expr e : es) out.add(rewrite(e));
      return out;
    }

    @Override
    public dev.halogen.ir.Expr rewrite(dev.halogen.ir.Expr e) {
      if (!(e instanceof Call c && c.kind() == CallKind.INTRINSIC && RandomPlaceholder.is(c.name()))) return rewriteChildren(e);
      Call lowered = (Call) rewriteChildren(c);
      List<dev.halogen.ir.Expr> inputs = new ArrayList<>(free);
      inputs.addAll(lowered.args());
      long tag = fnv1a(tagPrefix + position++);
      dev.halogen.ir.Expr h = hash(tag, inputs);
      return switch (c.name()) {
        case RandomPlaceholder.UINT -> h;
        case RandomPlaceholder.INT -> new Cast(Type.I32, h);
        case RandomPlaceholder.FLOAT -> new Mul(new Cast(Type.F32, shift(h, "shift_right", 8)), new FloatImm(Type.F32, FLOAT_STEP));
        default -> throw new IllegalStateException("not a random placeholder: " + c.name());
      };
    }
  }

  /** The chained lowbias32 hash of {@code inputs} from {@code tag}, with a let for each value used twice. */
  private static dev.halogen.ir.Expr hash(long tag, List<dev.halogen.ir.Expr> inputs) {
    String prefix = "random." + String.format("%08x", tag) + ".";
    List<String> names = new ArrayList<>();
    List<dev.halogen.ir.Expr> values = new ArrayList<>();
    dev.halogen.ir.Expr h = u32(tag);
    if (inputs.isEmpty()) h = mix(h, prefix, names, values);
    for (dev.halogen.ir.Expr k : inputs) {
      dev.halogen.ir.Expr x = k.type().equals(Type.U32) ? k : new Cast(Type.U32, k);
      h = mix(bitwise("bitwise_xor", h, x), prefix, names, values);
    }
    for (int i = names.size() - 1; i >= 0; i--) h = new Let(names.get(i), values.get(i), h);
    return h;
  }

  /** lowbias32 of {@code x}: binds its steps (to {@code names}/{@code values}) and returns the last step's expression. */
  private static dev.halogen.ir.Expr mix(dev.halogen.ir.Expr x, String prefix, List<String> names, List<dev.halogen.ir.Expr> values) {
    dev.halogen.ir.Expr a = bind(x, prefix, names, values);
    dev.halogen.ir.Expr b = bind(new Mul(xorShift(a, 16), u32(C1)), prefix, names, values);
    dev.halogen.ir.Expr c = bind(new Mul(xorShift(b, 15), u32(C2)), prefix, names, values);
    return xorShift(c, 16);
  }

  private static dev.halogen.ir.Expr bind(dev.halogen.ir.Expr value, String prefix, List<String> names, List<dev.halogen.ir.Expr> values) {
    String name = prefix + names.size();
    names.add(name);
    values.add(value);
    return new Var(Type.U32, name);
  }

  /** {@code x ^ (x >> k)}. */
  private static dev.halogen.ir.Expr xorShift(dev.halogen.ir.Expr x, int k) {
    return bitwise("bitwise_xor", x, shift(x, "shift_right", k));
  }

  private static dev.halogen.ir.Expr shift(dev.halogen.ir.Expr x, String name, int k) {
    return bitwise(name, x, u32(k));
  }

  private static dev.halogen.ir.Expr bitwise(String name, dev.halogen.ir.Expr a, dev.halogen.ir.Expr b) {
    return new Call(Type.U32, name, List.of(a, b), CallKind.INTRINSIC);
  }

  private static dev.halogen.ir.Expr u32(long v) {
    return new UIntImm(Type.U32, v);
  }

  /** The 32-bit FNV-1a hash of {@code s}'s UTF-8 bytes, as an unsigned value. */
  static long fnv1a(String s) {
    int h = 0x811c9dc5;
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x01000193;
    }
    return Integer.toUnsignedLong(h);
  }
}
