package dev.halogen.backend.llvm;

import dev.halogen.backend.llvm.MessagePart.Stored;
import dev.halogen.backend.llvm.MessagePart.Text;
import dev.halogen.ir.Expr;
import dev.halogen.ir.Stmt.AssertStmt;
import dev.halogen.ir.Type;
import dev.halogen.passes.HalogenRuntimeException;
import java.util.ArrayList;
import java.util.List;

/**
 * A place in generated code that can fail a run. Failing code stores the site's index + 1 and the
 * site's run-time values (one 64-bit word each: integers sign- or zero-extended by their type,
 * floats as the bits of the double they widen to exactly, handles as addresses) in the error area.
 * The site's {@linkplain #message message} says how those values make the interpreter's message
 * for the failure: the JIT's Java caller renders it ({@link #failure}), the C runtime of
 * ahead-of-time compiled code writes it the same way.
 */
sealed interface ErrorSite {
  /** The message of a failure here, in parts; its values are the words the failing code stores. */
  List<MessagePart> message();

  /** How many 64-bit values the failing code stores. */
  default int slots() {
    return MessagePart.words(message());
  }

  /** The exception of this failure, given the stored {@code values}. */
  default HalogenRuntimeException failure(long[] values) {
    return new HalogenRuntimeException(MessagePart.render(message(), values));
  }

  /** A failed {@link AssertStmt}: stores each argument's lanes, except string arguments, which are known here. */
  record AssertFailure(AssertStmt stmt) implements ErrorSite {
    /** The words argument {@code arg} takes: none for a string, one per lane otherwise. */
    static int slots(Expr arg) {
      return arg instanceof Expr.StringImm ? 0 : arg.type().lanes();
    }

    /**
     * The template with each {@code {}} replaced, in order, by the next argument; a {@code {}} beyond
     * the last argument stays, and arguments beyond the last {@code {}} are appended in parentheses:
     * {@link HalogenRuntimeException#formatMessage}'s rules, applied where the code is generated.
     */
    @Override
    public List<MessagePart> message() {
      List<MessagePart> args = new ArrayList<>();
      int word = 0;
      for (Expr arg : stmt.args()) {
        if (arg instanceof Expr.StringImm(String s)) {
          args.add(new Text(s));
        } else {
          args.add(new Stored(word, arg.type()));
          word += slots(arg);
        }
      }
      String template = stmt.message();
      List<MessagePart> parts = new ArrayList<>();
      int next = 0;
      int from = 0;
      for (int at; next < args.size() && (at = template.indexOf("{}", from)) >= 0; from = at + 2) {
        parts.add(new Text(template.substring(from, at)));
        parts.add(args.get(next++));
      }
      parts.add(new Text(template.substring(from)));
      if (next < args.size()) {
        parts.add(new Text(" ("));
        for (int i = next; i < args.size(); i++) {
          if (i > next) parts.add(new Text(", "));
          parts.add(args.get(i));
        }
        parts.add(new Text(")"));
      }
      return parts;
    }
  }

  /** A loop whose last iteration lies beyond the int32 range; stores its min and extent. */
  record LoopBeyondInt32(String loop) implements ErrorSite {
    @Override
    public List<MessagePart> message() {
      // HalogenRuntimeException.loopBeyondInt32's text
      return List.of(new Text("loop " + loop + " from "), new Stored(0, Type.I32), new Text(" with extent "), new Stored(1, Type.I32),
          new Text(" goes beyond the int32 range"));
    }
  }

  /** Storage ({@code what}: {@code Allocate of tmp}) with a negative extent in {@code dimension}; stores the extent. */
  record NegativeExtent(String what, int dimension) implements ErrorSite {
    @Override
    public List<MessagePart> message() {
      // HalogenRuntimeException.negativeExtent's text
      return List.of(new Text(what + ": extent "), new Stored(0, Type.I32), new Text(" of dimension " + dimension + " is negative"));
    }
  }

  /** Storage whose extents multiply to more than int32 indices address; stores every extent. */
  record TooManyElements(String what, int dimensions) implements ErrorSite {
    @Override
    public List<MessagePart> message() {
      // HalogenRuntimeException.tooManyElements's text, with the extents as Arrays.toString writes them
      List<MessagePart> parts = new ArrayList<>();
      parts.add(new Text(what + ": the extents ["));
      for (int d = 0; d < dimensions; d++) {
        if (d > 0) parts.add(new Text(", "));
        parts.add(new Stored(d, Type.I32));
      }
      parts.add(new Text("] give more than " + Integer.MAX_VALUE + " elements, more than int32 flat indices address"));
      return parts;
    }
  }

  /** A heap allocation that {@code malloc} refused; stores the size in bytes. */
  record OutOfMemory(String what) implements ErrorSite {
    @Override
    public List<MessagePart> message() {
      return List.of(new Text(what + ": out of memory: the allocation of "), new Stored(0, Type.I64), new Text(" bytes failed"));
    }
  }
}
