package dev.halogen.backend.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.halogen.ir.Buffer;
import dev.halogen.ir.DeviceApi;
import dev.halogen.ir.ForKind;
import dev.halogen.ir.IrWalker;
import dev.halogen.ir.LoweredModule;
import dev.halogen.ir.Stmt;
import dev.halogen.ir.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * GPU loop kinds have no backend yet, but the whole default lowering pipeline carries them to the
 * lowered IR with their device API, and the interpreter runs them as serial loops.
 */
class GpuLoopKindsTest {
  static final String TILED = """
      pipeline outputs(out)
      image in: int32 [2]

      func out(x, y): int32 {
        out(x, y) = in(x, y) * 2 + y
        schedule {
          split(x, bx, tx, 4, guard_with_if)
          split(y, by, ty, 2, guard_with_if)
          loops(tx gpu_thread on cuda, ty gpu_thread on cuda, bx gpu_block on cuda, by gpu_block on cuda)
        }
      }
      """;

  @Test
  void gpuBlocksAndThreadsReachTheLoweredModuleWithTheirDeviceApi() {
    LoweredModule m = Interp.lower(TILED);
    List<String> loops = new ArrayList<>();
    new IrWalker() {
      @Override
      protected void enter(Stmt s, IrWalker.Scope scope, IrWalker.Path path) {
        if (s instanceof Stmt.For f && f.kind() != ForKind.SERIAL) loops.add(f.name() + " " + f.kind() + " " + f.deviceApi());
      }
    }.walk(m.entryPoints().getFirst().body());
    // partition-loops may copy a loop into a steady state and a tail: each copy keeps its kind.
    assertEquals(List.of("out.s0.by GPU_BLOCK CUDA", "out.s0.bx GPU_BLOCK CUDA", "out.s0.ty GPU_THREAD CUDA",
        "out.s0.tx GPU_THREAD CUDA"), loops.stream().distinct().toList());
  }

  @Test
  void gpuLoopsRunSeriallyOnTheInterpreter() {
    int w = 7, h = 5;
    int[] data = new int[w * h];
    for (int i = 0; i < data.length; i++) data[i] = (i * 37) % 101 - 50;
    Buffer out = Buffer.allocate(Type.I32, w, h);
    Interp.run(Interp.lower(TILED), Map.of("in", Buffer.of(data, w, h), "out", out));
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) assertEquals(data[x + w * y] * 2 + y, out.getInt(x, y), "at " + x + ", " + y);
    }
  }
}
