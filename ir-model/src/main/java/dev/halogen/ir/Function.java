package dev.halogen.ir;

import java.util.ArrayList;
import java.util.List;

/**
 * A Func of the function graph: a pure definition over the variables {@code args}, producing one
 * value per element of {@code outputTypes}, then {@code updates} applied in order.
 */
public record Function(String name, List<String> args, List<Type> outputTypes, Definition definition,
    List<Definition> updates, FuncSchedule schedule) {
  public Function {
    Check.name(name, "Function");
    args = Check.list(args, "Function " + name + " argument");
    for (String a : args) Check.name(a, "Function " + name + " argument");
    outputTypes = Check.list(outputTypes, "Function " + name + " output type");
    if (outputTypes.isEmpty()) throw new IllegalArgumentException("Function " + name + " has no output types");
    Check.notNull(definition, "Function " + name + " definition");
    updates = Check.list(updates, "Function " + name + " update");
    Check.notNull(schedule, "Function " + name + " schedule");
  }

  public int dimensions() {
    return args.size();
  }

  /** Stage {@code i}: 0 is the pure definition, {@code i > 0} is update {@code i - 1}. */
  public Definition stage(int i) {
    return i == 0 ? definition : updates.get(i - 1);
  }

  public int stageCount() {
    return 1 + updates.size();
  }

  public Function withSchedule(FuncSchedule newSchedule) {
    return new Function(name, args, outputTypes, definition, updates, newSchedule);
  }

  public Function withStage(int i, Definition d) {
    if (i == 0) return new Function(name, args, outputTypes, d, updates, schedule);
    List<Definition> u = new ArrayList<>(updates);
    u.set(i - 1, d);
    return new Function(name, args, outputTypes, definition, u, schedule);
  }

  public Function withUpdates(List<Definition> newUpdates) {
    return new Function(name, args, outputTypes, definition, newUpdates, schedule);
  }
}
