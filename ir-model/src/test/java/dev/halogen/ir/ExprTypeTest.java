package dev.halogen.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.halogen.ir.Expr.*;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ExprTypeTest {
  /** Runs {@code body} on a thread with a small stack, so that any deep recursion fails. */
  private static void onSmallStack(Runnable body) throws InterruptedException {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread t = new Thread(null, () -> {
      try {
        body.run();
      } catch (Throwable e) {
        failure.set(e);
      }
    }, "small-stack", 256 * 1024);
    t.start();
    t.join();
    if (failure.get() != null) throw new AssertionError(failure.get());
  }

  @Test
  void theTypeOfAVeryDeepExpressionNeedsNoDeepStack() throws InterruptedException {
    onSmallStack(() -> {
      Expr x = new Var(Type.F32, "x");
      Expr e = x;
      for (int i = 0; i < 20_000; i++) {
        e = switch (i % 4) {
          case 0 -> new Add(e, x);
          case 1 -> new Let("t" + i, x, new Mul(e, x));
          case 2 -> new Select(new LT(e, x), e, x);
          default -> new Min(e, x);
        };
      }
      assertEquals(Type.F32, e.type());
      assertEquals(Type.BOOL, new LT(e, x).type());
      Expr b = new LT(x, x);
      for (int i = 0; i < 20_000; i++) b = i % 2 == 0 ? new And(b, new Not(b)) : new Or(new Not(b), b);
      assertEquals(Type.BOOL, b.type());
    });
  }

  @Test
  void derivedTypesFollowTheOperands() {
    Expr v = new Var(Type.I16.withLanes(8), "v");
    assertEquals(Type.I16.withLanes(8), new Sub(v, v).type());
    assertEquals(Type.BOOL.withLanes(8), new EQ(v, v).type());
    assertEquals(Type.BOOL.withLanes(8), new Not(new NE(v, v)).type());
    assertEquals(Type.I16.withLanes(8), new Let("t", v, new Select(new GE(v, v), v, v)).type());
  }
}
