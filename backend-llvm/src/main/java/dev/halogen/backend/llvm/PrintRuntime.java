package dev.halogen.backend.llvm;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.halogen.passes.PrintOutput;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * The run-time support of {@code print} and {@code print_when} in JIT code: {@value #PRINT}, an
 * upcall into Java.
 *
 * <p>{@code void halogen_print(int64 site, ptr words)} writes one line: the message of print site
 * {@code site} ({@link #register}: its parts, made where the code was generated) with the values
 * {@code words} (64-bit words as {@link MessagePart.Stored} describes them, one per value of the
 * lane being printed), rendered by {@link MessagePart#render} (so values read as the interpreter's
 * {@link dev.halogen.passes.PrintOutput#line}) and sent to {@link PrintOutput#emit}. Generated code
 * calls it once per printed lane, from any thread (parallel loops included); each call is one whole
 * line.
 *
 * <p>Sites are numbered across the process and kept for its life, as the JIT keeps the code that
 * uses them. An exception from the line's handler cannot cross the native frames: it is kept for
 * {@link #takeFailure}, which the caller of the entry point checks after the run.
 */
final class PrintRuntime {
  private PrintRuntime() {}

  /** The symbol of the print entry in JIT code. */
  static final String PRINT = "halogen_print";

  private static final AtomicLong NEXT_SITE = new AtomicLong();
  private static final ConcurrentHashMap<Long, List<MessagePart>> SITES = new ConcurrentHashMap<>();
  private static final AtomicReference<@Nullable Throwable> FAILURE = new AtomicReference<>();

  /** The native entry of {@value #PRINT}: a stub that lives as long as the process. */
  static final MemorySegment PRINT_ENTRY = upcall();

  @SuppressWarnings("restricted") // being called from native code is what this class is for
  private static MemorySegment upcall() {
    try {
      var print = MethodHandles.lookup().findStatic(PrintRuntime.class, "print",
          MethodType.methodType(void.class, long.class, MemorySegment.class));
      return Linker.nativeLinker().upcallStub(print, FunctionDescriptor.ofVoid(JAVA_LONG, ADDRESS), Arena.global());
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Makes {@code message} a print site of JIT code; returns the number its calls pass. */
  static long register(List<MessagePart> message) {
    long site = NEXT_SITE.getAndIncrement();
    SITES.put(site, List.copyOf(message));
    return site;
  }

  /** Renders and emits one line; never throws (an exception escaping an upcall would end the process). */
  private static void print(long site, MemorySegment words) {
    try {
      List<MessagePart> message = SITES.get(site);
      if (message == null) throw new IllegalStateException("the generated code printed at unknown site " + site);
      int n = MessagePart.words(message);
      long[] values = words.reinterpret(8L * n).toArray(JAVA_LONG);
      PrintOutput.emit(MessagePart.render(message, values));
    } catch (Throwable t) {
      FAILURE.compareAndSet(null, t);
    }
  }

  /** The first exception a line's handler (or the rendering) threw since the last call, cleared; null when none. */
  static @Nullable Throwable takeFailure() {
    return FAILURE.getAndSet(null);
  }
}
