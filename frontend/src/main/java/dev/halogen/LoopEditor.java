package dev.halogen;

import dev.halogen.ir.DeviceApi;
import dev.halogen.ir.Dim;
import dev.halogen.ir.Expr.IntImm;
import dev.halogen.ir.ForKind;
import dev.halogen.ir.ReductionDomain;
import dev.halogen.ir.Split;
import dev.halogen.ir.StageSchedule;
import dev.halogen.ir.TailStrategy;
import dev.halogen.ir.Type;
import dev.halogen.passes.lower.CheckSchedulePass;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Edits the loop nest of one stage: works on a copy of its splits and dims, so that a directive
 * that fails half-way (a {@code tile} whose second split is wrong) leaves the schedule as it was.
 * Dims are innermost first.
 */
final class LoopEditor {
  private final Func func;
  private final int stage;
  private final String op;
  private final StageSchedule original;
  private final List<Split> splits;
  private final List<Dim> dims;

  LoopEditor(Func func, int stage, String op) {
    this.func = func;
    this.stage = stage;
    this.op = op;
    this.original = func.stage(stage).schedule();
    this.splits = new ArrayList<>(original.splits());
    this.dims = new ArrayList<>(original.dims());
  }

  StageSchedule result() {
    return original.withSplits(splits).withDims(dims);
  }

  HalogenException.ScheduleException error(String message) {
    return new HalogenException.ScheduleException("In the schedule of " + func.stageName(stage) + ", " + op + ": " + message);
  }

  String loops() {
    List<String> names = new ArrayList<>();
    for (Dim d : dims) names.add(d.var());
    return "its loops are (innermost first) " + (names.isEmpty() ? "none" : String.join(", ", names));
  }

  /** The position of loop {@code name}; an error that says where it went if it is gone. */
  int find(String name) {
    for (int i = 0; i < dims.size(); i++) if (dims.get(i).var().equals(name)) return i;
    for (int i = splits.size() - 1; i >= 0; i--) {
      @Nullable String fate = switch (splits.get(i)) {
        case Split.SplitVar(String old, String outer, String inner, var _, var _) when old.equals(name) ->
            "was already split into " + outer + " and " + inner;
        case Split.FuseVars(String inner, String outer, String fused) when inner.equals(name) || outer.equals(name) ->
            "was already fused into " + fused;
        case Split.RenameVar(String old, String renamed) when old.equals(name) -> "was already renamed to " + renamed;
        case Split.SplitVar _ -> null;
        case Split.FuseVars _ -> null;
        case Split.RenameVar _ -> null;
      };
      if (fate != null) throw error("loop " + name + " " + fate + "; " + loops());
    }
    throw error(func.stageName(stage) + " has no loop " + name + "; " + loops());
  }

  /** A name for a new loop: not a current loop (other than those in {@code replaced}) and never used before in this stage. */
  private void checkFresh(String name, String... replaced) {
    for (String r : replaced) if (r.equals(name)) return;
    for (Dim d : dims) {
      if (d.var().equals(name)) throw error("the name " + name + " is already a loop of " + func.stageName(stage) + "; " + loops());
    }
    for (Split s : splits) {
      List<String> used = switch (s) {
        case Split.SplitVar(String old, String outer, String inner, var _, var _) -> List.of(old, outer, inner);
        case Split.FuseVars(String inner, String outer, String fused) -> List.of(inner, outer, fused);
        case Split.RenameVar(String old, String renamed) -> List.of(old, renamed);
      };
      if (used.contains(name)) throw error("the name " + name + " was already used by an earlier split of " + func.stageName(stage));
    }
  }

  void split(String old, String outer, String inner, int factor, TailStrategy tail) {
    int i = find(old);
    if (factor <= 0) throw error("the split factor must be positive, got " + factor);
    if (outer.equals(inner)) throw error("the outer and inner loops are both named " + outer);
    checkFresh(outer, old);
    checkFresh(inner, old);
    Dim d = dims.get(i);
    if (d.isRVar() && (tail == TailStrategy.ROUND_UP || tail == TailStrategy.SHIFT_INWARDS)) {
      throw error("the reduction variable " + old + " can only be split with GUARD_WITH_IF (or AUTO), since "
          + tail + " would change how often the update runs");
    }
    dims.set(i, new Dim(inner, d.kind(), d.deviceApi(), d.isRVar()));
    dims.add(i + 1, new Dim(outer, d.kind(), d.deviceApi(), d.isRVar()));
    splits.add(new Split.SplitVar(old, outer, inner, new IntImm(Type.I32, factor), tail));
  }

  /** Puts the named loops, innermost first, into the positions they occupy now. */
  void reorder(List<String> names) {
    if (names.isEmpty()) throw error("no loops given");
    Set<String> seen = new LinkedHashSet<>();
    List<Integer> positions = new ArrayList<>();
    for (String n : names) {
      if (!seen.add(n)) throw error("the loop " + n + " is listed twice");
      positions.add(find(n));
    }
    List<Dim> moved = new ArrayList<>();
    for (int p : positions) moved.add(dims.get(p));
    List<Integer> slots = new ArrayList<>(positions);
    slots.sort(null);
    for (int k = 0; k < slots.size(); k++) dims.set(slots.get(k), moved.get(k));
  }

  void fuse(String inner, String outer, String fused) {
    int i = find(inner);
    int o = find(outer);
    if (o != i + 1) throw error(inner + " must be the loop directly inside " + outer + " to fuse them; " + loops());
    checkFresh(fused, inner, outer);
    Dim d = dims.get(i);
    dims.set(i, new Dim(fused, d.kind(), d.deviceApi(), d.isRVar() || dims.get(o).isRVar()));
    dims.remove(o);
    splits.add(new Split.FuseVars(inner, outer, fused));
  }

  void rename(String old, String renamed) {
    int i = find(old);
    checkFresh(renamed, old);
    Dim d = dims.get(i);
    dims.set(i, new Dim(renamed, d.kind(), d.deviceApi(), d.isRVar()));
    splits.add(new Split.RenameVar(old, renamed));
  }

  void kind(String name, ForKind kind, DeviceApi api) {
    int i = find(name);
    Dim d = dims.get(i);
    ReductionDomain domain = func.stage(stage).domain();
    if (kind.isUnordered() && d.isRVar() && !original.atomic() && domain != null) {
      for (String r : CheckSchedulePass.reductionVariablesOf(splits, domain, name)) {
        if (!CheckSchedulePass.isRaceFree(func.name(), func.stage(stage), r)) {
          throw error("iterations of the reduction variable " + r + " may race on the same element of " + func.name()
              + " when " + name + " is " + kind.name().toLowerCase(java.util.Locale.ROOT) + "; call atomic() first if the update is associative"
              + " (atomic(true) skips that proof)");
        }
      }
    }
    dims.set(i, d.withKind(kind, api));
  }
}
