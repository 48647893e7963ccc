package dev.halogen.backend.llvm;

import dev.halogen.ir.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.llvm.LLVM.LLVMValueRef;
import org.jspecify.annotations.Nullable;

/**
 * What is in scope at the point where code is being generated: the variables (arguments, buffer
 * bounds, loop variables, lets) with their LLVM values, and the buffers (arguments, constants,
 * allocations) with their base pointers. An inner binding shadows an outer one of the same name
 * until it is unbound, which restores the outer one.
 */
final class Scope {
  /** The value of a variable of type {@code type}. */
  /**
   * A variable's value; for an int32 let that indices read, also its value in 64 bits ({@code wide},
   * else null), which those indices use (see {@link ExprCodeGen}).
   */
  record Var(Type type, LLVMValueRef value, @Nullable LLVMValueRef wide) {}

  /** Where a buffer's memory comes from, which says what freeing it means. */
  enum Storage {
    /** A buffer argument or constant: the caller's. */
    ARGUMENT,
    /** An allocation on the stack of this function: it goes away with the call. */
    STACK,
    /** An allocation on the heap made by this function: {@code heapSlot} holds its pointer (null once freed). */
    HEAP,
    /** An allocation of the function that runs this one's parallel loop: not this function's to free. */
    CAPTURED
  }

  /** A buffer of {@code elementType} elements starting at {@code base}. */
  record Buf(String name, Type elementType, LLVMValueRef base, Storage storage, @Nullable LLVMValueRef heapSlot) {}

  /** One binding, as a function that continues the code elsewhere receives it. */
  sealed interface Env {
    String name();

    record Variable(String name, Type type) implements Env {}

    record Buffer(String name, Type elementType) implements Env {}
  }

  private final Map<String, Var> vars = new LinkedHashMap<>();
  private final Map<String, Buf> buffers = new LinkedHashMap<>();

  /** The variable {@code name} of type {@code type}, which the verifier guarantees is bound. */
  LLVMValueRef var(String name, Type type) {
    Var v = vars.get(name);
    if (v == null || !v.type().equals(type)) {
      throw new IllegalStateException("variable " + name + " (" + type + ") is bound to " + v + " in a verified module");
    }
    return v.value();
  }

  Buf buffer(String name) {
    Buf b = buffers.get(name);
    if (b == null) throw new IllegalStateException("buffer " + name + " is not in scope in a verified module");
    return b;
  }

  /** Binds variable {@code name}; returns what it shadows, for {@link #unbind(String, Var)}. */
  @Nullable Var bind(String name, Type type, LLVMValueRef value) {
    return vars.put(name, new Var(type, value, null));
  }

  /** Binds the int32 variable {@code name} to {@code value}, and to {@code wide} in 64 bits; returns what it shadows. */
  @Nullable Var bindIndex(String name, LLVMValueRef value, LLVMValueRef wide) {
    return vars.put(name, new Var(Type.I32, value, wide));
  }

  /** The 64-bit value of int32 variable {@code name} where it has one ({@link #bindIndex}), else null. */
  @Nullable LLVMValueRef wide(String name) {
    Var v = vars.get(name);
    return v == null ? null : v.wide();
  }

  void unbind(String name, @Nullable Var shadowed) {
    if (shadowed == null) vars.remove(name);
    else vars.put(name, shadowed);
  }

  /** Binds buffer {@code b}; returns what it shadows, for {@link #unbind(String, Buf)}. */
  @Nullable Buf bind(Buf b) {
    return buffers.put(b.name(), b);
  }

  void unbind(String name, @Nullable Buf shadowed) {
    if (shadowed == null) buffers.remove(name);
    else buffers.put(name, shadowed);
  }

  /** Every binding in scope: variables first, then buffers, each in the order they were bound. */
  List<Env> environment() {
    List<Env> env = new ArrayList<>(vars.size() + buffers.size());
    vars.forEach((name, v) -> env.add(new Env.Variable(name, v.type())));
    buffers.forEach((name, b) -> env.add(new Env.Buffer(name, b.elementType())));
    return env;
  }

  /** The values of {@code env}'s bindings, in its order. */
  List<LLVMValueRef> values(List<Env> env) {
    List<LLVMValueRef> values = new ArrayList<>(env.size());
    for (Env e : env) {
      values.add(switch (e) {
        case Env.Variable v -> vars.get(v.name()).value();
        case Env.Buffer b -> buffers.get(b.name()).base();
      });
    }
    return values;
  }
}
