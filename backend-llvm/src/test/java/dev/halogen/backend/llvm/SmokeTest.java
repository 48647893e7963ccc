package dev.halogen.backend.llvm;

import org.junit.jupiter.api.Test;

class SmokeTest {
  @Test
  void blur() {
    Differential.of("""
        module blur
        entry blur(in in: float32 [1], out out: float32 [1]) {
          for (x, out.min.0, out.extent.0) {
            out[(x - out.min.0) * out.stride.0] = (in[(x - 1 - in.min.0) * in.stride.0] + in[(x - in.min.0) * in.stride.0]
                + in[(x + 1 - in.min.0) * in.stride.0]) / 3.0f
          }
        }
        """).buffer("in", Differential.Fill.ANY, new int[] {-1}, new int[] {66}).buffer("out", Differential.Fill.ANY, 64).checkSeeds(3);
  }
}
