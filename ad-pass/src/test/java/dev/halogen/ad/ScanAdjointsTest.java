package dev.halogen.ad;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.halogen.ir.Function;
import dev.halogen.ir.Pipeline;
import dev.halogen.ir.text.IrParser;
import dev.halogen.ir.text.IrPrinter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Funcs {@link ScanAdjoints} derives, printed: what the reverse scans and the stored histories compute. */
class ScanAdjointsTest {
  private static ReverseAd.Gradient gradient(String funcs) {
    Pipeline p = IrParser.parsePipeline("""
        pipeline outputs(loss, seed)
        image in: float32 [1]

        %s
        func seed(): float32 {
          seed() = 1.0f
        }
        """.formatted(funcs));
    return ReverseAd.propagate(p, "loss", p.function("seed"), List.of(), name -> name);
  }

  /** The printed Func {@code name} of {@code g}, without the declarations of the names it uses. */
  private static String printed(ReverseAd.Gradient g, String name) {
    for (Function f : g.functions()) {
      if (!f.name().equals(name)) continue;
      String text = IrPrinter.print(f);
      return text.substring(text.indexOf("func " + name + "("));
    }
    throw new AssertionError("no " + name + " among " + g.functions().stream().map(Function::name).toList());
  }

  @Test
  void aReverseScanRunsTheIterationsBackwards() {
    ReverseAd.Gradient g = gradient("""
        func rev(x): float32 {
          rev(x) = in(x)
          over r(r.x [0, 5]) {
            rev(r.x) = rev(4 - r.x)
          }
        }
        func loss(): float32 {
          loss() = 0.0f
          over s(s.x [0, 5]) {
            loss() = loss() + rev(s.x)
          }
        }
        """);
    // Iteration j reads rev(4 - j), which iteration 4 - j wrote when 4 - j < j: the adjoint of
    // what iteration k wrote gains that of iteration j = 4 - k when k < j, i.e. for r_scan = j > 2
    // (k runs 4, 3, ..., 0 as r_scan runs 0, 1, ..., 4).
    assertEquals("""
        func rev_1_scan_d(x): float32 {
          rev_1_scan_d(x) = rev_1_d(x)
          over r_scan(r_scan.0 [0, 5]) {
            rev_1_scan_d(4 - r_scan.0) = rev_1_scan_d(4 - r_scan.0) + select(2 < r_scan.0 && (r_scan.0 < 5 && -1 < r_scan.0), \
        rev_1_scan_d(max(min(r_scan.0, 4), 0)), 0.0f)
          }
          compute_root store_root
        }
        """, printed(g, "rev_1_scan_d"));
    // The reads of values from before the update (r <= 2) pass the adjoint to the pure definition.
    assertEquals("""
        func rev_0_d(x): float32 {
          rev_0_d(x) = rev_1_d(x)
          over r(r.x [0, 5]) {
            rev_0_d(r.x) = 0.0f
          }
          over r_d(r.x [0, 5]) {
            rev_0_d(4 - r.x) = rev_0_d(4 - r.x) + select(2 < r.x && (r.x < 5 && -1 < r.x), 0.0f, rev_1_scan_d(r.x))
          }
        }
        """, printed(g, "rev_0_d"));
  }

  @Test
  void aFoldStoresTheValueBeforeEachIteration() {
    ReverseAd.Gradient g = gradient("""
        func loss(): float32 {
          loss() = 1.0f
          over r(r.x [0, 4]) {
            loss() = loss() * in(r.x)
          }
        }
        """);
    // loss_1_hist(k): the product before iteration k; loss_1_hist_d(k): the adjoint of that value.
    assertEquals("""
        func loss_1_hist(k): float32 {
          loss_1_hist(k) = loss_fwd0()
          over r_hist(r.x [0, 4]) {
            loss_1_hist(r.x + 1) = in(r.x) * loss_1_hist(r.x)
          }
          compute_root store_root
        }
        """, printed(g, "loss_1_hist"));
    assertEquals("""
        func loss_1_hist_d(k): float32 {
          loss_1_hist_d(k) = loss_1_d()
          over r_hist_d(r_hist_d.0 [0, 4]) {
            loss_1_hist_d(3 - r_hist_d.0) = in(3 - r_hist_d.0) * loss_1_hist_d(4 - r_hist_d.0)
          }
          compute_root store_root
        }
        """, printed(g, "loss_1_hist_d"));
    // d in(r) = (product before r) * (adjoint after r): no division, so a zero input is fine.
    assertEquals("""
        func in_d(i0): float32 {
          in_d(i0) = select(i0 < 4 && -1 < i0, loss_1_hist(max(min(i0, 3), 0)) * loss_1_hist_d(max(min(i0, 3), 0) + 1), 0.0f)
        }
        """, printed(g, "in_d"));
    assertEquals("""
        func loss_0_d(): float32 {
          loss_0_d() = loss_1_d()
          loss_0_d() = loss_1_hist_d(0)
        }
        """, printed(g, "loss_0_d"));
  }
}
