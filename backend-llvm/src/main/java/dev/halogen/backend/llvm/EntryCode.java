package dev.halogen.backend.llvm;

import dev.halogen.ir.LoweredModule.EntryPoint;
import java.util.ArrayList;
import java.util.List;

/**
 * What the code generator made of one entry point: the symbol of its native entry and its error
 * sites (whose index + 1 a failure reports).
 */
record EntryCode(EntryPoint entryPoint, String symbol, List<ErrorSite> sites) {
  /** The 64-bit words the error area needs for the values of any one site. */
  int errorSlots() {
    return sites.stream().mapToInt(ErrorSite::slots).max().orElse(0);
  }

  /** The error sites of one entry point (its body and its parallel loop bodies), numbered as they are made. */
  static final class Sites {
    private final List<ErrorSite> list = new ArrayList<>();

    /** Adds {@code site}; returns its index. */
    int add(ErrorSite site) {
      list.add(site);
      return list.size() - 1;
    }

    List<ErrorSite> list() {
      return List.copyOf(list);
    }
  }
}
