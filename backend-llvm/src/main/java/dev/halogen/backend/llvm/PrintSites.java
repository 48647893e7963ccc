package dev.halogen.backend.llvm;

import java.util.ArrayList;
import java.util.List;

/**
 * The print sites of one generated module, and the runtime function its prints call: in the JIT,
 * {@link PrintRuntime#PRINT} with process-wide site numbers; ahead of time, the library's own
 * function ({@link CCode#printSymbol}) with the sites numbered from 0 in the order they are made,
 * whose messages the C side writes ({@link #messages}).
 */
final class PrintSites {
  /** The function the generated code calls: {@code void (int64 site, ptr words)}. */
  final String symbol;
  /** Whether the sites are registered with {@link PrintRuntime} (JIT code) rather than numbered here. */
  private final boolean registered;
  private final List<List<MessagePart>> messages = new ArrayList<>();

  private PrintSites(String symbol, boolean registered) {
    this.symbol = symbol;
    this.registered = registered;
  }

  /** Sites of JIT code, registered with {@link PrintRuntime}. */
  static PrintSites jit() {
    return new PrintSites(PrintRuntime.PRINT, true);
  }

  /** Sites numbered 0, 1, ... for code whose C side defines {@code symbol}. */
  static PrintSites local(String symbol) {
    return new PrintSites(symbol, false);
  }

  /** Adds a site that prints {@code message}; returns the number its calls pass. */
  long add(List<MessagePart> message) {
    messages.add(List.copyOf(message));
    return registered ? PrintRuntime.register(message) : messages.size() - 1;
  }

  /** The messages of the sites, in the order they were made. */
  List<List<MessagePart>> messages() {
    return List.copyOf(messages);
  }
}
