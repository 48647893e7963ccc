// The Halide 14 side of `halogen bench forward`: the same four pipelines, algorithms and schedules
// as dev.halogen.apps.bench.ForwardPipelines, JIT-compiled and run by the driver halide_bench.h:
//
//   halide_forward CASE DIR WIDTH HEIGHT
//
// (input and output shapes as in ForwardPipelines).
#include "halide_bench.h"

using namespace Halide;
using bench::Built;

namespace {

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

// The shapes of the inputs and the output of each case, as in ForwardPipelines.
bool lookup(const std::string &name, const std::vector<int> &sizes, bench::Case &c) {
    int w = sizes[0], h = sizes[1];
    if (name == "blur") {
        c = {{{UInt(16), {-1, -1}, {w + 2, h + 2}}}, {{UInt(16), {0, 0}, {w, h}}}, blur};
    } else if (name == "conv5x5") {
        c = {{{Float(32), {-2, -2}, {w + 4, h + 4}}, {Float(32), {0, 0}, {5, 5}}}, {{Float(32), {0, 0}, {w, h}}}, conv5x5};
    } else if (name == "bilateral") {
        c = {{{Float(32), {0, 0}, {w, h}}}, {{Float(32), {0, 0}, {w, h}}}, bilateral};
    } else if (name == "histogram") {
        c = {{{UInt(8), {0, 0}, {w, h}}}, {{Int(32), {0}, {256}}}, histogram};
    } else {
        return false;
    }
    return true;
}

}  // namespace

int main(int argc, char **argv) {
    return bench::main(argc, argv, 2, lookup);
}
