package dev.halogen;

import static dev.halogen.IrBuild.bool;
import static dev.halogen.IrBuild.fn;
import static dev.halogen.IrBuild.i;
import static dev.halogen.IrBuild.v;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.halogen.ir.Expr;
import dev.halogen.ir.Expr.Add;
import dev.halogen.ir.Expr.Let;
import dev.halogen.ir.Expr.Load;
import dev.halogen.ir.Type;
import org.junit.jupiter.api.Test;

/** Renumbering of generated names in expressions: every node that holds a name, in order of appearance. */
class CanonicalNamesTest {
  @Test
  void eachNodesOwnNameIsNumberedBeforeTheNamesInsideIt() {
    // let t$7 = buf$9[v$4] in f$3(f$8(t$7), v$2.v + count): the let, then its value, then its body;
    // a call before its arguments. count has no '$' and is kept.
    Expr e = new Let("t$7", new Load(Type.I32, "buf$9", v("v$4"), bool(true)),
        fn(Type.F32, "f$3", 0, fn(Type.I32, "f$8", 0, v("t$7")), new Add(v("v$2.v"), v("count"))));
    Expr expected = new Let("t$0", new Load(Type.I32, "buf$0", v("v$0"), bool(true)),
        fn(Type.F32, "f$0", 0, fn(Type.I32, "f$1", 0, v("t$0")), new Add(v("v$1.v"), v("count"))));
    assertEquals(expected, new CanonicalNames().rewrite(e));
  }

  @Test
  void oneInstanceRenamesConsistentlyAcrossExpressions() {
    CanonicalNames names = new CanonicalNames();
    assertEquals(new Add(v("r$0.x"), v("r$1.x")), names.rewrite(new Add(v("r$5.x"), v("r$2.x"))));
    assertEquals(new Add(v("r$1.y"), i(1)), names.rewrite(new Add(v("r$2.y"), i(1))));
    assertEquals("r$0", names.name("r$5"));
  }
}
