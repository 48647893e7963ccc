package dev.halogen.backend.llvm;

import static org.bytedeco.llvm.global.LLVM.*;

import dev.halogen.ir.Expr;
import dev.halogen.ir.ForKind;
import dev.halogen.ir.IrNodes;
import dev.halogen.ir.IrQueries;
import dev.halogen.ir.MemoryType;
import dev.halogen.ir.Stmt;
import dev.halogen.ir.Stmt.*;
import dev.halogen.ir.Type;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.bytedeco.llvm.LLVM.LLVMBasicBlockRef;
import org.bytedeco.llvm.LLVM.LLVMTypeRef;
import org.bytedeco.llvm.LLVM.LLVMValueRef;
import org.jspecify.annotations.Nullable;

/**
 * The code of one LLVM function: an entry point's body, or the body of a parallel loop. Such a
 * function is {@code int32 f(ptr errorArea, environment..., extra...)}: the environment is the
 * variables and buffers in scope where its code starts (buffer pointers marked {@code noalias},
 * except those written by atomic updates, which other threads write at the same time), and it
 * returns 0, or nonzero after a failure (see {@link #fail}).
 *
 * <p>Statements are generated with the semantics of the interpreter: loops run their iterations in
 * order (parallel ones through {@link ParallelRuntime}), storage lives for its Allocate (or until its
 * Free), and failures are reported with the interpreter's messages, after releasing what the
 * function holds (heap memory, locks).
 */
final class FunctionCodeGen {
  /** Allocations of at most this many bytes with a constant size live on the stack (unless asked for on the heap). */
  static final long STACK_LIMIT = 16 * 1024;

  /** What a function must release when it leaves a statement early, by a failure. */
  private sealed interface Cleanup {
    /** Heap memory whose pointer is in {@code slot} (null once freed). */
    record FreeHeap(LLVMValueRef slot) implements Cleanup {}

    /** A held spin lock. */
    record Unlock(LLVMValueRef word) implements Cleanup {}
  }

  private final ModuleCodeGen module;
  private final Llvm llvm;
  private final Builder b;
  private final Scope scope = new Scope();
  private final ExprCodeGen exprs;
  private final EntryCode.Sites sites;
  private final Set<String> atomicallyWritten;
  private final LLVMValueRef errorArea;
  private final Deque<Cleanup> cleanups = new ArrayDeque<>();
  private final Set<String> heldLocks = new HashSet<>();

  /**
   * A new function {@code name} over {@code env} (bound in its scope from its parameters, which
   * follow the error area) and the int32 parameters {@code extraInts} after them.
   *
   * @param atomicallyWritten buffers written by atomic updates, which do not get {@code noalias}
   * @param bufferStorage what the environment's buffers are to this function: arguments, or captured allocations
   */
  FunctionCodeGen(ModuleCodeGen module, EntryCode.Sites sites, String name, List<Scope.Env> env, int extraInts,
      Set<String> atomicallyWritten, Scope.Storage bufferStorage) {
    this.module = module;
    this.llvm = module.llvm;
    this.sites = sites;
    this.atomicallyWritten = atomicallyWritten;
    List<LLVMTypeRef> params = new ArrayList<>();
    params.add(llvm.ptr);
    params.addAll(envTypes(llvm, env));
    for (int i = 0; i < extraInts; i++) params.add(llvm.i32);
    LLVMValueRef function = llvm.addFunction(name, llvm.functionType(llvm.i32, params), true);
    this.b = new Builder(llvm, function);
    this.exprs = new ExprCodeGen(b, scope, module.prints);
    this.errorArea = b.param(0);
    llvm.addEnumAttribute(function, 1, "noalias", 0);
    for (int i = 0; i < env.size(); i++) {
      LLVMValueRef p = b.param(1 + i);
      switch (env.get(i)) {
        case Scope.Env.Variable(String n, Type t) -> scope.bind(n, t, p);
        case Scope.Env.Buffer(String n, Type t) -> {
          if (!atomicallyWritten.contains(n)) llvm.addEnumAttribute(function, 2 + i, "noalias", 0);
          scope.bind(new Scope.Buf(n, t, p, bufferStorage, null));
        }
      }
    }
  }

  /** The LLVM types an environment is passed in. */
  static List<LLVMTypeRef> envTypes(Llvm llvm, List<Scope.Env> env) {
    return env.stream().map(e -> switch (e) {
      case Scope.Env.Variable v -> llvm.type(v.type());
      case Scope.Env.Buffer buf -> llvm.ptr;
    }).toList();
  }

  LLVMValueRef function() {
    return b.function;
  }

  /** Int32 parameter {@code i} after the environment. */
  LLVMValueRef extraParam(int envSize, int i) {
    return b.param(1 + envSize + i);
  }

  /** Ends the function: the code so far returns 0 (success). */
  void finish() {
    b.ret(llvm.i32(0));
    b.dispose();
  }

  // ------------------------------------------------------------------ failures

  /** Continues where {@code ok} holds; elsewhere fails at {@code site} with the values {@code values} gives (computed only there). */
  private void check(LLVMValueRef ok, ErrorSite site, Supplier<List<LLVMValueRef>> values) {
    LLVMBasicBlockRef pass = b.block("ok");
    LLVMBasicBlockRef fail = b.block("fail");
    b.condBr(ok, pass, fail);
    b.at(fail);
    fail(sites.add(site), values.get());
    b.at(pass);
  }

  /**
   * Fails at site {@code index} with {@code values} (64-bit words): the first failure of the run
   * claims the error area and stores them, then the function releases what it holds and returns 1.
   */
  private void fail(int index, List<LLVMValueRef> values) {
    LLVMValueRef[] claim = b.compareExchange(errorArea, llvm.i32(0), llvm.i32(index + 1L), LLVMAtomicOrderingMonotonic);
    LLVMBasicBlockRef write = b.block("fail.write");
    LLVMBasicBlockRef leave = b.block("fail.leave");
    b.condBr(claim[1], write, leave);
    b.at(write);
    for (int i = 0; i < values.size(); i++) {
      b.store(values.get(i), b.gep(llvm.i64, errorArea, llvm.i64(Abi.ERROR_VALUES / 8 + i)), 8);
    }
    b.br(leave);
    b.at(leave);
    leave(llvm.i32(1));
  }

  /** Releases everything held, innermost first, and returns {@code code}. */
  private void leave(LLVMValueRef code) {
    for (Cleanup c : cleanups) release(c);
    b.ret(code);
  }

  private void release(Cleanup c) {
    switch (c) {
      case Cleanup.FreeHeap(LLVMValueRef slot) -> module.free(b, b.load(llvm.ptr, slot, 8));
      case Cleanup.Unlock(LLVMValueRef word) -> b.atomicStore(llvm.i32(0), word, 4, LLVMAtomicOrderingRelease);
    }
  }

  private LLVMValueRef wide(LLVMValueRef int32) {
    return b.sext(int32, llvm.i64);
  }

  // ------------------------------------------------------------------ statements

  void emit(Stmt s) {
    switch (s) {
      case LetStmt let -> lets(let);
      case AssertStmt a -> {
        LLVMValueRef ok = exprs.emit(a.condition());
        check(ok, new ErrorSite.AssertFailure(a), () -> {
          List<LLVMValueRef> values = new ArrayList<>();
          for (Expr arg : a.args()) {
            if (ErrorSite.AssertFailure.slots(arg) > 0) values.addAll(exprs.words(arg.type(), exprs.emit(arg)));
          }
          return values;
        });
      }
      case ProducerConsumer pc -> emit(pc.body());
      case For f -> loop(f);
      case Provide p -> throw new IllegalStateException("a verified flattened module has a Provide to " + p.name());
      case Realize r -> throw new IllegalStateException("a verified flattened module has a Realize of " + r.name());
      case Store st -> exprs.store(scope.buffer(st.name()), st.value().type(), exprs.emit(st.value()), st.index(), st.predicate());
      case Allocate a -> allocate(a);
      case Free(String name) -> free(name);
      case Block(List<Stmt> stmts) -> {
        for (Stmt t : stmts) emit(t);
      }
      case IfThenElse i -> ifThenElse(i);
      case Evaluate(Expr value) -> exprs.emit(value);
      case Atomic a -> atomic(a);
    }
  }

  /**
   * A chain of lets, bound in a loop rather than by recursion: CSE output nests them deeply. An
   * int32 let that an index of a load or store in the chain's body reads (directly or through later
   * lets) is part of that index's arithmetic: it is built {@code nsw} as the index is, and in 64
   * bits as well (see {@link ExprCodeGen}).
   */
  private void lets(LetStmt first) {
    List<LetStmt> chain = new ArrayList<>();
    Stmt inner = first;
    while (inner instanceof LetStmt let) {
      chain.add(let);
      inner = let.body();
    }
    Set<String> indexVars = new HashSet<>();
    indexVariables(inner, indexVars);
    // By statement, not by name: a chain may bind one name twice (a scalar, then a vector).
    Set<LetStmt> ofIndex = Collections.newSetFromMap(new IdentityHashMap<>());
    for (LetStmt let : chain.reversed()) {
      // What follows this let reads it, not an earlier one of the same name.
      boolean read = indexVars.remove(let.name());
      if (read && let.value().type().equals(Type.I32)) {
        ofIndex.add(let);
        indexVars.addAll(IrQueries.freeVars(let.value()));
      }
    }
    List<String> names = new ArrayList<>();
    List<Scope.@Nullable Var> shadowed = new ArrayList<>();
    for (LetStmt let : chain) {
      names.add(let.name());
      if (ofIndex.contains(let)) {
        // Both widths: the 32-bit value for other uses (dead code where there are none), the 64-bit
        // one for the indices, so that no 32-bit wrap is left between the let and the address.
        shadowed.add(scope.bindIndex(let.name(), exprs.emitIndex(let.value()), exprs.wideIndex(let.value())));
      } else {
        shadowed.add(scope.bind(let.name(), let.value().type(), exprs.emit(let.value())));
      }
    }
    emit(inner);
    for (int i = names.size() - 1; i >= 0; i--) scope.unbind(names.get(i), shadowed.get(i));
  }

  /** Adds the variables that the indices of the loads and stores in {@code s} read. */
  private static void indexVariables(Stmt s, Set<String> vars) {
    if (s instanceof Store st) vars.addAll(IrQueries.freeVars(st.index()));
    for (Expr e : IrNodes.exprChildren(s)) indexVariables(e, vars);
    for (Stmt c : IrNodes.stmtChildren(s)) indexVariables(c, vars);
  }

  private static void indexVariables(Expr e, Set<String> vars) {
    if (e instanceof Expr.Load l) vars.addAll(IrQueries.freeVars(l.index()));
    for (Expr c : IrNodes.children(e)) indexVariables(c, vars);
  }

  private void ifThenElse(IfThenElse i) {
    LLVMValueRef condition = exprs.emit(i.condition());
    LLVMBasicBlockRef then = b.block("then");
    LLVMBasicBlockRef join = b.block("endif");
    boolean hasElse = !i.elseCase().equals(Stmt.NO_OP);
    LLVMBasicBlockRef otherwise = hasElse ? b.block("else") : join;
    b.condBr(condition, then, otherwise);
    b.at(then);
    emit(i.thenCase());
    b.br(join);
    if (hasElse) {
      b.at(otherwise);
      emit(i.elseCase());
      b.br(join);
    }
    b.at(join);
  }

  // ------------------------------------------------------------------ loops

  private void loop(For f) {
    LLVMValueRef min = exprs.emit(f.min());
    LLVMValueRef extent = exprs.emit(f.extent());
    // The loop variable is int32: the last iteration, min + extent - 1, must not pass its maximum.
    LLVMValueRef last = b.sub(b.add(wide(min), wide(extent)), llvm.i64(1));
    LLVMValueRef beyond = b.and(b.icmp(LLVMIntSGT, extent, llvm.i32(0)), b.icmp(LLVMIntSGT, last, llvm.i64(Integer.MAX_VALUE)));
    check(b.not(beyond), new ErrorSite.LoopBeyondInt32(f.name()), () -> List.of(wide(min), wide(extent)));
    if (f.kind() == ForKind.PARALLEL) parallel(f, min, extent);
    else serial(f.name(), min, extent, f.body());
  }

  /**
   * Runs {@code body} with {@code var} = {@code min}, ..., {@code min + extent - 1} in order. The
   * counter and the variable cannot overflow (the range was checked), which their {@code nsw}
   * flags tell LLVM.
   */
  void serial(String var, LLVMValueRef min, LLVMValueRef extent, Stmt body) {
    LLVMBasicBlockRef before = b.current();
    LLVMBasicBlockRef header = b.block(var + ".loop");
    LLVMBasicBlockRef end = b.block(var + ".end");
    b.condBr(b.icmp(LLVMIntSGT, extent, llvm.i32(0)), header, end);
    b.at(header);
    LLVMValueRef n = b.phi(llvm.i32, var + ".n");
    Builder.incoming(n, llvm.i32(0), before);
    LLVMValueRef x = b.add(min, n);
    LLVMSetNSW(x, 1);
    LLVMSetValueName2(x, var, var.length());
    Scope.Var shadowed = scope.bind(var, Type.I32, x);
    emit(body);
    scope.unbind(var, shadowed);
    LLVMValueRef next = b.add(n, llvm.i32(1));
    LLVMSetNSW(next, 1);
    LLVMSetNUW(next, 1);
    Builder.incoming(n, next, b.current());
    b.condBr(b.icmp(LLVMIntSLT, next, extent), header, end);
    b.at(end);
  }

  /**
   * Runs the iterations through {@link ParallelRuntime}: the body becomes a function of its own
   * (see {@link ModuleCodeGen#parallelTask}), called with a closure holding the variables and
   * buffers in scope that it uses.
   */
  private void parallel(For f, LLVMValueRef min, LLVMValueRef extent) {
    Set<String> vars = IrQueries.freeVars(f.body());
    Set<String> buffers = buffersUsed(f.body());
    List<Scope.Env> env = scope.environment().stream()
        .filter(e -> e instanceof Scope.Env.Variable ? vars.contains(e.name()) : buffers.contains(e.name()))
        .toList();
    ModuleCodeGen.Task task = module.parallelTask(sites, env, atomicallyWritten, f);
    LLVMValueRef closure = b.alloca(task.closureType(), 16, f.name() + ".closure");
    b.store(errorArea, b.field(task.closureType(), closure, 0), 0);
    List<LLVMValueRef> values = scope.values(env);
    for (int i = 0; i < values.size(); i++) b.store(values.get(i), b.field(task.closureType(), closure, 1 + i), 0);
    LLVMValueRef rc = module.parFor(b, task.function(), closure, min, extent);
    LLVMBasicBlockRef pass = b.block("par.ok");
    LLVMBasicBlockRef fail = b.block("par.fail");
    b.condBr(b.icmp(LLVMIntEQ, rc, llvm.i32(0)), pass, fail);
    b.at(fail);
    leave(rc);
    b.at(pass);
  }

  // ------------------------------------------------------------------ storage

  /**
   * Checks the extents as the interpreter does (none negative, at most 2^31 - 1 elements, in that
   * order per dimension), then allocates when the condition holds: on the stack for a constant size
   * of at most {@link #STACK_LIMIT} bytes (unless the memory type is HEAP), else with {@code malloc},
   * freed at the end of the statement (or at its Free, or on a failure inside it).
   */
  private void allocate(Allocate a) {
    String what = "Allocate of " + a.name();
    List<LLVMValueRef> extents = new ArrayList<>(a.extents().size());
    for (Expr e : a.extents()) extents.add(exprs.emit(e));
    LLVMValueRef count = llvm.i64(1);
    for (int d = 0; d < extents.size(); d++) {
      LLVMValueRef e = extents.get(d);
      check(b.icmp(LLVMIntSGE, e, llvm.i32(0)), new ErrorSite.NegativeExtent(what, d), () -> List.of(wide(e)));
      count = b.mul(count, wide(e)); // below 2^62: both factors are below 2^31
      check(b.icmp(LLVMIntSLE, count, llvm.i64(Integer.MAX_VALUE)), new ErrorSite.TooManyElements(what, extents.size()),
          () -> extents.stream().map(this::wide).toList());
    }
    LLVMValueRef condition = exprs.emit(a.condition());
    Type t = a.type();
    LLVMTypeRef element = llvm.memoryType(t);
    long constantCount = 1; // -1 when not constant or beyond the stack limit (the factors stay small: no overflow)
    for (Expr e : a.extents()) {
      long c = IrQueries.asConstInt(e).orElse(-1);
      constantCount = c < 0 || c > STACK_LIMIT || constantCount < 0 ? -1 : constantCount * c;
      if (constantCount > STACK_LIMIT) constantCount = -1;
    }
    Scope.Buf buf;
    if (a.memoryType() != MemoryType.HEAP && constantCount >= 0 && constantCount * t.bytes() <= STACK_LIMIT) {
      LLVMValueRef base = b.alloca(LLVMArrayType2(element, constantCount), 64, a.name());
      buf = new Scope.Buf(a.name(), t, base, Scope.Storage.STACK, null);
    } else {
      buf = heapAllocation(a, what, b.mul(count, llvm.i64(t.bytes())), condition);
    }
    Scope.Buf shadowed = scope.bind(buf);
    if (buf.heapSlot() != null) cleanups.push(new Cleanup.FreeHeap(buf.heapSlot()));
    emit(a.body());
    if (buf.heapSlot() != null) release(cleanups.pop());
    scope.unbind(a.name(), shadowed);
  }

  private Scope.Buf heapAllocation(Allocate a, String what, LLVMValueRef bytes, LLVMValueRef condition) {
    LLVMValueRef slot = b.alloca(llvm.ptr, 8, a.name() + ".slot");
    LLVMBasicBlockRef make = b.block(a.name() + ".malloc");
    LLVMBasicBlockRef skip = b.block(a.name() + ".none");
    LLVMBasicBlockRef join = b.block(a.name() + ".ready");
    b.condBr(condition, make, skip);
    b.at(make);
    LLVMValueRef p = module.malloc(b, bytes);
    LLVMValueRef ok = b.or(b.icmp(LLVMIntNE, p, llvm.zero(llvm.ptr)), b.icmp(LLVMIntEQ, bytes, llvm.i64(0)));
    check(ok, new ErrorSite.OutOfMemory(what), () -> List.of(bytes));
    b.store(p, slot, 8);
    LLVMBasicBlockRef made = b.current();
    b.br(join);
    b.at(skip);
    b.store(llvm.zero(llvm.ptr), slot, 8);
    b.br(join);
    b.at(join);
    LLVMValueRef base = b.phi(llvm.ptr, a.name());
    Builder.incoming(base, p, made);
    Builder.incoming(base, llvm.zero(llvm.ptr), skip);
    return new Scope.Buf(a.name(), a.type(), base, Scope.Storage.HEAP, slot);
  }

  private void free(String name) {
    Scope.Buf buf = scope.buffer(name);
    switch (buf.storage()) {
      case HEAP -> {
        LLVMValueRef slot = buf.heapSlot();
        module.free(b, b.load(llvm.ptr, slot, 8));
        b.store(llvm.zero(llvm.ptr), slot, 8); // what the end of the Allocate frees then is nothing
      }
      case STACK -> {} // the stack slot goes with the call
      case CAPTURED -> throw new IllegalArgumentException("the llvm backend cannot compile free " + name
          + " inside a parallel loop: the allocation was made outside the loop, whose iterations run at the same time");
      case ARGUMENT -> throw new IllegalStateException("a verified module frees buffer argument " + name);
    }
  }

  // ------------------------------------------------------------------ atomic updates

  /**
   * An atomic update of {@code producer}. A single scalar store (after lets) whose value reads the
   * producer only at the stored element becomes one atomic instruction: an atomic store when it does
   * not read it, {@code atomicrmw add/sub} (or {@code fadd/fsub}) for {@code x + e}, {@code e + x},
   * {@code x - e}, else a compare-and-swap loop that recomputes the value from the element it found.
   * Anything else (a named mutex, vector or predicated stores, several stores) runs under a spin
   * lock of the module, one per mutex name (the producer's name when there is none).
   */
  private void atomic(Atomic a) {
    List<LetStmt> lets = new ArrayList<>();
    Stmt inner = a.body();
    while (inner instanceof LetStmt let) {
      lets.add(let);
      inner = let.body();
    }
    String producer = a.producerName();
    if (a.mutexName().isEmpty()
        && inner instanceof Store st
        && st.name().equals(producer)
        && st.value().type().isScalar()
        && IrQueries.isConst(st.predicate(), 1)
        && !reads(st.index(), producer)
        && lets.stream().noneMatch(l -> reads(l.value(), producer))
        && loadsOf(st.value(), producer).stream().allMatch(l -> l.index().equals(st.index()))) {
      List<Scope.@Nullable Var> shadowed = new ArrayList<>();
      for (LetStmt l : lets) shadowed.add(scope.bind(l.name(), l.value().type(), exprs.emit(l.value())));
      atomicStore(st);
      for (int i = lets.size() - 1; i >= 0; i--) scope.unbind(lets.get(i).name(), shadowed.get(i));
      return;
    }
    if (containsParallelLoop(a.body())) {
      // The thread holding the lock would wait for the loop's iterations, and might run one that waits for the lock.
      throw new IllegalArgumentException("the llvm backend cannot compile a parallel loop inside the atomic update of " + producer);
    }
    String lockName = a.mutexName().isEmpty() ? producer : a.mutexName();
    if (!heldLocks.add(lockName)) {
      throw new IllegalArgumentException("the llvm backend cannot compile an atomic update of " + producer + " nested in another under lock "
          + lockName + ": it would wait for itself");
    }
    LLVMValueRef word = llvm.lockWord(lockName);
    lock(word);
    cleanups.push(new Cleanup.Unlock(word));
    emit(a.body());
    release(cleanups.pop());
    heldLocks.remove(lockName);
  }

  private void atomicStore(Store st) {
    Type t = st.value().type();
    int align = t.bytes();
    LLVMValueRef at = exprs.scalarAddress(scope.buffer(st.name()), st.index());
    List<Expr.Load> reads = loadsOf(st.value(), st.name());
    if (reads.isEmpty()) {
      b.atomicStore(exprs.toMemory(t, exprs.emit(st.value())), at, align, LLVMAtomicOrderingMonotonic);
      return;
    }
    Expr operand = rmwOperand(st.value(), st.name());
    if (operand != null && !t.isBool()) {
      boolean add = st.value() instanceof Expr.Add;
      int op = t.isFloat() ? (add ? LLVMAtomicRMWBinOpFAdd : LLVMAtomicRMWBinOpFSub) : (add ? LLVMAtomicRMWBinOpAdd : LLVMAtomicRMWBinOpSub);
      LLVMSetAlignment(b.atomicRmw(op, at, exprs.emit(operand), LLVMAtomicOrderingMonotonic), align);
      return;
    }
    // Compare-and-swap on the element's bits: recompute the value from what was there until no other thread came between.
    LLVMTypeRef bits = llvm.bitsType(t);
    LLVMValueRef first = b.atomicLoad(bits, at, align, LLVMAtomicOrderingMonotonic);
    LLVMBasicBlockRef before = b.current();
    LLVMBasicBlockRef retry = b.block("cas.loop");
    LLVMBasicBlockRef done = b.block("cas.done");
    b.br(retry);
    b.at(retry);
    LLVMValueRef old = b.phi(bits, "old");
    Builder.incoming(old, first, before);
    LLVMValueRef oldValue = t.isFloat() ? b.bitcast(old, llvm.type(t)) : exprs.fromMemory(t, old);
    for (Expr.Load l : reads) exprs.replaceLoad(l, oldValue);
    LLVMValueRef value = exprs.emit(st.value());
    exprs.clearReplacedLoads();
    LLVMValueRef newBits = t.isFloat() ? b.bitcast(value, bits) : exprs.toMemory(t, value);
    LLVMValueRef[] swap = b.compareExchange(at, old, newBits, LLVMAtomicOrderingMonotonic);
    Builder.incoming(old, swap[0], b.current());
    b.condBr(swap[1], done, retry);
    b.at(done);
  }

  /** The {@code e} of a value {@code x + e}, {@code e + x} or {@code x - e} where {@code x} reads {@code producer} and {@code e} does not; else null. */
  private static @Nullable Expr rmwOperand(Expr value, String producer) {
    return switch (value) {
      case Expr.Add(Expr x, Expr e) when x instanceof Expr.Load l && l.name().equals(producer) && !reads(e, producer) -> e;
      case Expr.Add(Expr e, Expr x) when x instanceof Expr.Load l && l.name().equals(producer) && !reads(e, producer) -> e;
      case Expr.Sub(Expr x, Expr e) when x instanceof Expr.Load l && l.name().equals(producer) && !reads(e, producer) -> e;
      default -> null;
    };
  }

  /** Takes the spin lock at {@code word}: swap in 1 until the old value was 0, waiting with plain reads in between. */
  private void lock(LLVMValueRef word) {
    LLVMBasicBlockRef attempt = b.block("lock.try");
    LLVMBasicBlockRef wait = b.block("lock.wait");
    LLVMBasicBlockRef held = b.block("lock.held");
    b.br(attempt);
    b.at(attempt);
    LLVMValueRef was = b.atomicRmw(LLVMAtomicRMWBinOpXchg, word, llvm.i32(1), LLVMAtomicOrderingAcquire);
    b.condBr(b.icmp(LLVMIntEQ, was, llvm.i32(0)), held, wait);
    b.at(wait);
    LLVMValueRef now = b.atomicLoad(llvm.i32, word, 4, LLVMAtomicOrderingMonotonic);
    b.condBr(b.icmp(LLVMIntEQ, now, llvm.i32(0)), attempt, wait);
    b.at(held);
  }

  /** Whether {@code e} loads from buffer {@code name}. */
  static boolean reads(Expr e, String name) {
    return !loadsOf(e, name).isEmpty();
  }

  /** The loads from buffer {@code name} in {@code e}. */
  static List<Expr.Load> loadsOf(Expr e, String name) {
    List<Expr.Load> found = new ArrayList<>();
    for (Expr x : nodes(e)) if (x instanceof Expr.Load l && l.name().equals(name)) found.add(l);
    return found;
  }

  private static boolean containsParallelLoop(Stmt s) {
    return statements(s).stream().anyMatch(x -> x instanceof For f && f.kind() == ForKind.PARALLEL);
  }

  /** The names of the buffers {@code s} loads from, stores to or frees. */
  private static Set<String> buffersUsed(Stmt s) {
    Set<String> names = new HashSet<>();
    for (Stmt x : statements(s)) {
      if (x instanceof Store st) names.add(st.name());
      if (x instanceof Free fr) names.add(fr.name());
      for (Expr e : IrNodes.exprChildren(x)) {
        for (Expr n : nodes(e)) if (n instanceof Expr.Load l) names.add(l.name());
      }
    }
    return names;
  }

  /** The names of the buffers that {@link Atomic} statements of {@code s} update. */
  static Set<String> atomicallyWritten(Stmt s) {
    Set<String> names = new HashSet<>();
    for (Stmt x : statements(s)) if (x instanceof Atomic a) names.add(a.producerName());
    return names;
  }

  /** Every node of {@code e}, itself included (iteratively: expressions can be deep). */
  private static List<Expr> nodes(Expr e) {
    List<Expr> all = new ArrayList<>();
    Deque<Expr> todo = new ArrayDeque<>(List.of(e));
    while (!todo.isEmpty()) {
      Expr x = todo.pop();
      all.add(x);
      IrNodes.children(x).forEach(todo::push);
    }
    return all;
  }

  /** Every statement of {@code s}, itself included. */
  private static List<Stmt> statements(Stmt s) {
    List<Stmt> all = new ArrayList<>();
    Deque<Stmt> todo = new ArrayDeque<>(List.of(s));
    while (!todo.isEmpty()) {
      Stmt x = todo.pop();
      all.add(x);
      IrNodes.stmtChildren(x).forEach(todo::push);
    }
    return all;
  }
}
