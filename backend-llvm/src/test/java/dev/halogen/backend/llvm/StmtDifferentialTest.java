package dev.halogen.backend.llvm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.halogen.backend.llvm.Differential.Fill;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Statements against the interpreter: nested loops over strided buffers with mins, conditionals,
 * deep let chains, allocations (on the stack and the heap, inside loops, freed early, not made),
 * parallel loops (nested, with allocations inside) and atomic updates from parallel iterations;
 * the parallel ones also compiled ahead of time and called by a C program ({@link AotProgram}).
 */
class StmtDifferentialTest {
  @TempDir Path dir;

  @Test
  void nestedLoopsOverStridedBuffersWithMins() {
    Differential.of("""
        module m
        entry m(in in: int32 [2], out out: int32 [2]) {
          produce out {
            for (y, out.min.1, out.extent.1) {
              for (x, out.min.0, out.extent.0) {
                let at = (x - out.min.0) * out.stride.0 + (y - out.min.1) * out.stride.1
                let src = (x - in.min.0) * in.stride.0 + (y - in.min.1) * in.stride.1
                out[at] = in[src] * 3 - in[src + in.stride.0] + in[src + in.stride.1] / 7
              }
            }
          }
        }
        """).buffer("in", Fill.ANY, new int[] {-3, 5}, new int[] {11, 9}).buffer("out", Fill.ANY, new int[] {-3, 5}, new int[] {10, 8})
        .checkSeeds(3);
  }

  @Test
  void conditionalsChooseBranchesPerElement() {
    Differential.of("""
        module m
        entry m(in a: float32 [1], out o: float32 [1], t: float32) {
          for (x, 0, 64) {
            if (a[x] > t) {
              o[x] = a[x] - t
            } else if (a[x] < 0.0f - t) {
              if (x % 2 == 0) {
                o[x] = 0.0f
              }
            } else {
              o[x] = a[x] * a[x]
            }
          }
        }
        """).allBuffers(Fill.SMALL, 64).scalar("t", 4.5f).checkSeeds(3);
  }

  @Test
  void aDeepChainOfLetsCompilesWithoutDeepRecursion() {
    StringBuilder text = new StringBuilder("module m\nentry m(in a: int32 [1], out o: int32 [1]) {\n  for (x, 0, 64) {\n    let v0 = a[x]\n");
    for (int i = 1; i <= 2000; i++) text.append("    let v").append(i).append(" = v").append(i - 1).append(" * 3 + ").append(i % 7).append('\n');
    text.append("    o[x] = v2000\n  }\n}\n");
    Differential.of(text.toString()).allBuffers(Fill.ANY, 64).checkSeeds(2);
  }

  @Test
  void allocationsOnTheStackAndTheHeapInsideLoops() {
    // tmp is small and constant (stack); row has a run-time size (heap); big is constant but too
    // large for the stack; never is not made (its condition is false) and never touched.
    Differential.of("""
        module m
        entry m(in a: int16 [2], out o: int16 [2], n: int32) {
          for (y, 0, 8) {
            allocate tmp: int16 [8] {
              allocate row: int16 [n + 8] {
                allocate big: float64 [4096] in heap {
                  allocate never: int64 [1000000] if n < -100 {
                    for (x, 0, 8) {
                      tmp[x] = a[x + y * 8] * 2i16
                      row[x + n] = tmp[x] + 1i16
                      big[x * 500] = cast<float64>(row[x + n])
                    }
                    for (x, 0, 8) {
                      o[x + y * 8] = tmp[7 - x] - row[x + n] + cast<int16>(big[x * 500])
                    }
                  }
                }
                free row
              }
            }
          }
        }
        """).allBuffers(Fill.ANY, 8).scalar("n", 5).checkSeeds(3);
  }

  @Test
  void boolAndFloat16Allocations() {
    Differential.of("""
        module m
        entry m(in a: float16 [1], out o: float16 [1], out p: bool [1]) {
          allocate flags: bool [64] {
            allocate h: float16 [64] in heap {
              for (x, 0, 64) {
                flags[x] = a[x] > 0.0h
                h[x] = a[x] * 0.5h + 1.0h
              }
              for (x, 0, 8) {
                let i = ramp(x * 8, 1, 8)
                o[i] = select(flags[i], h[i], broadcast(0.0h, 8) - h[i])
                p[i] = !flags[i]
              }
            }
          }
        }
        """).allBuffers(Fill.ANY, 64).checkSeeds(3);
  }

  @Test
  void scalarArgumentsOfEveryType() {
    Differential.of("""
        module m
        entry m(out o: float64 [1], b: bool, i8: int8, u16: uint16, i64: int64, u64: uint64, h: float16, f: float32, d: float64) {
          o[0] = select(b, 1.0, -1.0)
          o[1] = cast<float64>(i8)
          o[2] = cast<float64>(u16)
          o[3] = cast<float64>(i64)
          o[4] = cast<float64>(u64)
          o[5] = cast<float64>(h)
          o[6] = cast<float64>(f)
          o[7] = d
        }
        """).buffer("o", Fill.ANY, 8).scalar("b", true).scalar("i8", (byte) -128).scalar("u16", 65535).scalar("i64", Long.MIN_VALUE)
        .scalar("u64", new java.math.BigInteger("18446744073709551615")).scalar("h", 0.1f).scalar("f", -3.25f).scalar("d", 1e300)
        .checkSeeds(1);
  }

  @Test
  void parallelLoopsRunTheirIterationsInAnyOrderWithTheSameResult() {
    Differential.of("""
        module m
        entry m(in a: float32 [2], out o: float32 [2]) {
          parallel for (y, 0, 16) {
            allocate row: float32 [16] {
              parallel for (x, 0, 16) {
                row[x] = a[x + y * 16] * 2.0f
              }
              for (x, 0, 16) {
                o[x + y * 16] = row[x] + row[15 - x]
              }
            }
          }
        }
        """).allBuffers(Fill.ANY, 16).checkSeeds(3);
  }

  @Test
  void whatAParallelLoopWritesIsReadAfterIt() {
    // The buffers are noalias: the reads after the loop must still see the writes of its iterations.
    Differential.of("""
        module m
        entry m(in a: int32 [1], out o: int32 [1], out p: int32 [1]) {
          for (x, 0, 64) {
            o[x] = 1
          }
          parallel for (x, 0, 64) {
            o[x] = a[x] * 5
          }
          for (x, 0, 64) {
            p[x] = o[x] + o[63 - x]
          }
        }
        """).allBuffers(Fill.ANY, 64).checkSeeds(3);
  }

  @Test
  void parallelLoopBodiesSeeEverythingInScope() {
    Differential d = Differential.of("""
        module m
        entry m(in a: int32 [1], out o: int32 [1], k: int32, g: float32) {
          let v = ramp(k, 2, 4)
          allocate t: int32 [64] in heap {
            for (x, 0, 64) {
              t[x] = a[x] + k
            }
            let s = cast<int32>(g) * 3
            parallel for (x, 0, 16) {
              o[ramp(x * 4, 1, 4)] = t[ramp(x * 4, 1, 4)] * v + broadcast(s, 4)
            }
          }
        }
        """).allBuffers(Fill.ANY, 64).scalar("k", 7).scalar("g", 2.5f);
    d.checkSeeds(3);
    if (AotProgram.canBuild()) d.checkAotSeeds(2, dir, "scope"); // the closure, through the C runtime's parallel loop
  }

  @Test
  void atomicUpdatesFromParallelIterationsLoseNothing() {
    // Integer sums, float sums of small integers (exact in any order), a compare-and-swap max, a
    // compare-and-swap update that composes to the same result in any order, and a locked block.
    Differential d = Differential.of("""
        module m
        entry m(in k: int32 [1], in a: float32 [1], out hist: int32 [1], out fsum: float32 [1], out top: float32 [1],
            out twice: uint8 [1], out pair: int64 [1]) {
          parallel for (x, 0, 4096) {
            let bin = k[x]
            atomic hist {
              hist[bin] = hist[bin] + 1
            }
            atomic fsum {
              fsum[bin] = 1.0f + fsum[bin]
            }
            atomic top {
              top[bin] = max(top[bin], a[x])
            }
            atomic twice {
              twice[bin] = twice[bin] * 3u8 + 1u8
            }
            atomic pair mutex pair.lock {
              pair[0] = pair[0] + cast<int64>(bin)
              pair[1] = pair[1] - 1i64
            }
          }
        }
        """).buffer("k", Fill.INDEX, 4096).buffer("a", Fill.SMALL, 4096).allBuffers(Fill.SMALL, 16);
    d.checkSeeds(3);
    if (AotProgram.canBuild()) d.checkAotSeeds(2, dir, "atomic"); // on the threads of the C runtime
  }

  @Test
  void aFailureInAParallelLoopStopsTheRunWithTheInterpretersMessage() {
    Differential.Outcome o = Differential.of("""
        module m
        entry m(in a: int32 [1], out o: int32 [1]) {
          parallel for (x, 0, 64) {
            allocate t: int32 [x + 1] in heap {
              assert(x != 37, "iteration {} of {} failed with {}", x, 64, a[x])
              t[x] = a[x]
              o[x] = t[x]
            }
          }
        }
        """).allBuffers(Fill.SMALL, 64).check(1);
    assertEquals(true, o.failure().startsWith("iteration 37 of 64 failed with "), o.failure());
  }
}
