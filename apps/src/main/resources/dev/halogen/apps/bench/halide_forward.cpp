// The Halide 14 side of `halogen bench forward`: the same four pipelines, algorithms and schedules
// as dev.halogen.apps.bench.ForwardPipelines, JIT-compiled and run here.
//
//   halide_forward CASE DIR WIDTH HEIGHT
//
// reads the inputs DIR/input0.raw, DIR/input1.raw, ... (dense, first dimension innermost, little
// endian; shapes as in ForwardPipelines), compiles the pipeline twice (the second time from a fresh
// definition: Halide keeps no cache across pipelines) and prints
//   target <halide target>
//   compile_first_ms <ms>
//   compile_again_ms <ms>
//   ready
// Then it answers commands on standard input, one a line, so that the benchmark can interleave its
// runs with Halogen's (on a busy machine, both then see the same load):
//   run    realize once into the preallocated output buffer; prints "ms <milliseconds>"
//   write  writes the output to DIR/halide_out.raw; prints "written"
// and exits at the end of its input.
#include "Halide.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <functional>
#include <string>
#include <vector>

using namespace Halide;

namespace {

struct Built {
    Pipeline pipeline;
    std::vector<ImageParam> inputs;
};

// 1. Separable 3x3 box blur of a uint16 image (Halide's blur app).
Built blur() {
    Var x("x"), y("y"), xo("xo"), yo("yo"), xi("xi"), yi("yi");
    ImageParam input(UInt(16), 2, "input");
    Func blur_x("blur_x"), blur_y("blur_y");
    blur_x(x, y) = (input(x - 1, y) + input(x, y) + input(x + 1, y)) / 3;
    blur_y(x, y) = (blur_x(x, y - 1) + blur_x(x, y) + blur_x(x, y + 1)) / 3;
    blur_y.tile(x, y, xo, yo, xi, yi, 256, 32, TailStrategy::ShiftInwards).vectorize(xi, 8).parallel(yo);
    blur_x.compute_at(blur_y, xo).vectorize(x, 8);
    return {Pipeline(blur_y), {input}};
}

// 2. 5x5 convolution over an RDom, float32.
Built conv5x5() {
    Var x("x"), y("y"), xo("xo"), xi("xi");
    ImageParam input(Float(32), 2, "input"), kernel(Float(32), 2, "kernel");
    RDom r(0, 5, 0, 5, "r");
    Func conv("conv");
    conv(x, y) = 0.0f;
    conv(x, y) += input(x + r.x - 2, y + r.y - 2) * kernel(r.x, r.y);
    conv.vectorize(x, 8, TailStrategy::ShiftInwards).parallel(y);
    conv.update().split(x, xo, xi, 8, TailStrategy::GuardWithIf).reorder(xi, r.x, r.y, xo, y).vectorize(xi).unroll(r.x).unroll(r.y).parallel(y);
    return {Pipeline(conv), {input, kernel}};
}

Expr five_tap(const std::function<Expr(int)> &at) {
    return at(-2) + at(-1) * 4.0f + at(0) * 6.0f + at(1) * 4.0f + at(2);
}

// 3. Halide's bilateral grid app with its classic CPU schedule; r_sigma is the constant 0.1.
Built bilateral() {
    const int s_sigma = 8;
    const float r_sigma = 0.1f;
    const float inv = 1.0f / r_sigma;
    Var x("x"), y("y"), z("z"), c("c");
    ImageParam input(Float(32), 2, "input");
    Func clamped = BoundaryConditions::repeat_edge(input);

    RDom r(0, s_sigma, 0, s_sigma, "r");
    Expr val = clamp(clamped(x * s_sigma + r.x - s_sigma / 2, y * s_sigma + r.y - s_sigma / 2), 0.0f, 1.0f);
    Expr zi = cast<int>(val * inv + 0.5f);
    Func histogram("histogram");
    histogram(x, y, z, c) = 0.0f;
    histogram(x, y, zi, c) += select(c == 0, val, 1.0f);

    Func blurz("blurz"), blurx("blurx"), blury("blury");
    blurz(x, y, z, c) = five_tap([&](int k) { return histogram(x, y, z + k, c); });
    blurx(x, y, z, c) = five_tap([&](int k) { return blurz(x + k, y, z, c); });
    blury(x, y, z, c) = five_tap([&](int k) { return blurx(x, y + k, z, c); });

    Expr v = clamp(input(x, y), 0.0f, 1.0f);
    Expr zv = v * inv;
    Expr zint = cast<int>(zv);
    Expr zf = zv - cast<float>(zint);
    Expr xf = cast<float>(x % s_sigma) / (float)s_sigma;
    Expr yf = cast<float>(y % s_sigma) / (float)s_sigma;
    Expr xi = x / s_sigma;
    Expr yi = y / s_sigma;
    Func interpolated("interpolated");
    interpolated(x, y, c) =
        lerp(lerp(lerp(blury(xi, yi, zint, c), blury(xi + 1, yi, zint, c), xf),
                  lerp(blury(xi, yi + 1, zint, c), blury(xi + 1, yi + 1, zint, c), xf), yf),
             lerp(lerp(blury(xi, yi, zint + 1, c), blury(xi + 1, yi, zint + 1, c), xf),
                  lerp(blury(xi, yi + 1, zint + 1, c), blury(xi + 1, yi + 1, zint + 1, c), xf), yf),
             zf);
    Func out("bilateral_grid");
    out(x, y) = interpolated(x, y, 0) / interpolated(x, y, 1);

    blurz.compute_root().reorder(c, z, x, y).parallel(y).vectorize(x, 8, TailStrategy::RoundUp).unroll(c);
    histogram.compute_at(blurz, y);
    histogram.update().reorder(c, r.x, r.y, x, y).unroll(c);
    blurx.compute_root().reorder(c, x, y, z).parallel(z).vectorize(x, 8, TailStrategy::RoundUp).unroll(c);
    blury.compute_root().reorder(c, x, y, z).parallel(z).vectorize(x, 8, TailStrategy::RoundUp).unroll(c);
    out.compute_root().parallel(y).vectorize(x, 8, TailStrategy::ShiftInwards);
    return {Pipeline(out), {input}};
}

// 4. 256-bin histogram of a uint8 image, parallel through rfactor over blocks of 128 rows.
Built histogram() {
    Var i("i"), u("u");
    RVar ryo("ryo"), ryi("ryi");
    ImageParam input(UInt(8), 2, "input");
    RDom r(input.dim(0).min(), input.dim(0).extent(), input.dim(1).min(), input.dim(1).extent(), "r");
    Func hist("hist");
    hist(i) = 0;
    hist(cast<int>(input(r.x, r.y))) += 1;
    hist.update().split(r.y, ryo, ryi, 128, TailStrategy::GuardWithIf);
    Func intm = hist.update().rfactor(ryo, u);
    intm.compute_root().vectorize(i, 8).update().parallel(u);
    hist.vectorize(i, 8, TailStrategy::ShiftInwards);
    hist.update().vectorize(i, 8, TailStrategy::GuardWithIf);
    return {Pipeline(hist), {input}};
}

struct Shape {
    Type type;
    std::vector<int> mins, extents;
};

// The shapes of the inputs and the output of each case, as in ForwardPipelines.
bool shapes(const std::string &name, int w, int h, std::vector<Shape> &inputs, Shape &output, Built (*&build)()) {
    if (name == "blur") {
        inputs = {{UInt(16), {-1, -1}, {w + 2, h + 2}}};
        output = {UInt(16), {0, 0}, {w, h}};
        build = blur;
    } else if (name == "conv5x5") {
        inputs = {{Float(32), {-2, -2}, {w + 4, h + 4}}, {Float(32), {0, 0}, {5, 5}}};
        output = {Float(32), {0, 0}, {w, h}};
        build = conv5x5;
    } else if (name == "bilateral") {
        inputs = {{Float(32), {0, 0}, {w, h}}};
        output = {Float(32), {0, 0}, {w, h}};
        build = bilateral;
    } else if (name == "histogram") {
        inputs = {{UInt(8), {0, 0}, {w, h}}};
        output = {Int(32), {0}, {256}};
        build = histogram;
    } else {
        return false;
    }
    return true;
}

Buffer<> allocate(const Shape &s) {
    Buffer<> b(s.type, s.extents);
    b.set_min(s.mins);
    return b;
}

double millis_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int main(int argc, char **argv) {
    if (argc != 5) {
        std::fprintf(stderr, "usage: %s CASE DIR WIDTH HEIGHT\n", argv[0]);
        return 2;
    }
    std::string name = argv[1], dir = argv[2];
    int w = std::atoi(argv[3]), h = std::atoi(argv[4]);
    std::vector<Shape> in_shapes;
    Shape out_shape;
    Built (*build)() = nullptr;
    if (!shapes(name, w, h, in_shapes, out_shape, build)) {
        std::fprintf(stderr, "halide_forward: unknown case '%s'\n", name.c_str());
        return 2;
    }
    std::vector<Buffer<>> inputs;
    for (size_t k = 0; k < in_shapes.size(); k++) {
        Buffer<> b = allocate(in_shapes[k]);
        std::string path = dir + "/input" + std::to_string(k) + ".raw";
        std::ifstream f(path, std::ios::binary);
        if (!f.read(reinterpret_cast<char *>(b.data()), b.size_in_bytes())) {
            std::fprintf(stderr, "halide_forward: cannot read %zu bytes from %s\n", b.size_in_bytes(), path.c_str());
            return 1;
        }
        inputs.push_back(b);
    }
    Buffer<> out = allocate(out_shape);
    Target target = get_jit_target_from_environment();

    auto t0 = std::chrono::steady_clock::now();
    Built first = build();
    first.pipeline.compile_jit(target);
    double compile_first = millis_since(t0);
    t0 = std::chrono::steady_clock::now();
    Built built = build();
    built.pipeline.compile_jit(target);
    double compile_again = millis_since(t0);

    for (size_t k = 0; k < inputs.size(); k++) built.inputs[k].set(inputs[k]);
    std::printf("target %s\n", target.to_string().c_str());
    std::printf("compile_first_ms %.3f\n", compile_first);
    std::printf("compile_again_ms %.3f\n", compile_again);
    std::printf("ready\n");
    std::fflush(stdout);
    std::string command;
    while (std::getline(std::cin, command)) {
        if (command == "run") {
            t0 = std::chrono::steady_clock::now();
            built.pipeline.realize(out, target);
            std::printf("ms %.4f\n", millis_since(t0));
        } else if (command == "write") {
            std::string out_path = dir + "/halide_out.raw";
            std::ofstream f(out_path, std::ios::binary);
            if (!f.write(reinterpret_cast<const char *>(out.data()), out.size_in_bytes())) {
                std::fprintf(stderr, "halide_forward: cannot write %s\n", out_path.c_str());
                return 1;
            }
            std::printf("written\n");
        } else {
            std::fprintf(stderr, "halide_forward: unknown command '%s'\n", command.c_str());
            return 2;
        }
        std::fflush(stdout);
    }
    return 0;
}
