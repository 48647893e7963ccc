package dev.halogen.ir;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A whole pipeline: the output Funcs, every Func reachable from them by name, and the parameters,
 * images and constant buffers they read.
 */
public record Pipeline(List<String> outputs, SortedMap<String, Function> functions, List<Parameter> parameters) {
  public Pipeline {
    outputs = Check.list(outputs, "Pipeline output");
    if (outputs.isEmpty()) throw new IllegalArgumentException("Pipeline has no outputs");
    Check.notNull(functions, "Pipeline functions");
    TreeMap<String, Function> copy = new TreeMap<>();
    for (Map.Entry<String, Function> e : functions.entrySet()) {
      Check.notNull(e.getValue(), "Pipeline function " + e.getKey());
      if (!e.getKey().equals(e.getValue().name())) {
        throw new IllegalArgumentException("Pipeline maps name " + e.getKey() + " to Func " + e.getValue().name());
      }
      copy.put(e.getKey(), e.getValue());
    }
    functions = Collections.unmodifiableSortedMap(copy);
    parameters = Check.list(parameters, "Pipeline parameter");
    for (String o : outputs) {
      if (!functions.containsKey(o)) throw new IllegalArgumentException("Pipeline output " + o + " is not one of its Funcs");
    }
  }

  /** A pipeline built from a list of Funcs. */
  public static Pipeline of(List<String> outputs, List<Function> functions, List<Parameter> parameters) {
    TreeMap<String, Function> m = new TreeMap<>();
    for (Function f : functions) {
      if (m.put(f.name(), f) != null) throw new IllegalArgumentException("Pipeline has two Funcs named " + f.name());
    }
    return new Pipeline(outputs, m, parameters);
  }

  public Function function(String name) {
    Function f = functions.get(name);
    if (f == null) throw new IllegalArgumentException("Pipeline has no Func named " + name);
    return f;
  }

  public Pipeline withFunction(Function f) {
    TreeMap<String, Function> m = new TreeMap<>(functions);
    m.put(f.name(), f);
    return new Pipeline(outputs, m, parameters);
  }
}
