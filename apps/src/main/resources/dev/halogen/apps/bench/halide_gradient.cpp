// The Halide 14 side of `halogen bench grad`: the same two losses, differentiated with
// Halide::propagate_adjoints, with the same schedules on the corresponding adjoint Funcs as
// dev.halogen.apps.bench.GradientPipelines, JIT-compiled and run by the driver halide_bench.h:
//
//   halide_gradient CASE DIR SIZE
//
// (SIZE is N for conv1d and W = H for convlayer; shapes as in GradientPipelines). The outputs are
// the gradients with respect to the input and the weights, realized by one pipeline.
#include "halide_bench.h"

using namespace Halide;
using bench::Built;

namespace {

const int BLOCK = 8192;  // conv1d: points per parallel task and per rfactor partial sum
const int VEC = 8;
const int ROWS = 16;     // convlayer: rows per partial sum of the weight gradient
const int CH = 16;       // convlayer: channels in and out
const int BATCH = 4;

// Pure definition: blocks of BLOCK in parallel, each vectorized.
void blocks(Func f, Var v) {
    Var vb(v.name() + "_b"), vi(v.name() + "_i");
    f.split(v, vb, vi, BLOCK, TailStrategy::ShiftInwards).parallel(vb).vectorize(vi, VEC, TailStrategy::ShiftInwards);
}

// Update with a one-dimensional RDom r: blocks in parallel, vectorized in v, r unrolled around the vector.
void block_gather(Stage s, Var v, RVar r) {
    Var vb(v.name() + "_b"), vi(v.name() + "_i"), vo(v.name() + "_o"), vv(v.name() + "_v");
    s.split(v, vb, vi, BLOCK, TailStrategy::GuardWithIf).split(vi, vo, vv, VEC, TailStrategy::GuardWithIf)
        .reorder(vv, r, vo, vb).vectorize(vv).unroll(r).parallel(vb);
}

// loss = sum_x (sum_{r<16} input(x + r) w(r) - target(x))^2; gradients wrt input and w.
Built conv1d(int n) {
    Var x("x"), u("u");
    ImageParam input(Float(32), 1, "input"), weights(Float(32), 1, "weights"), target(Float(32), 1, "target");
    RDom r(0, 16, "r");
    Func conv("conv"), diff("diff"), loss("loss");
    conv(x) = 0.0f;
    conv(x) += input(x + r.x) * weights(r.x);
    diff(x) = conv(x) - target(x);
    RDom p(0, n, "p");
    loss() = 0.0f;
    loss() += diff(p.x) * diff(p.x);
    Derivative d = propagate_adjoints(loss);
    Func d_conv = d(conv), d_in = d(input), d_w = d(weights);

    conv.compute_root();
    blocks(conv, x);
    block_gather(conv.update(), x, r.x);
    d_conv.compute_root();
    blocks(d_conv, d_conv.args()[0]);
    Var i(d_in.args()[0].name());
    blocks(d_in, i);
    block_gather(d_in.update(), i, d_in.rvars(0)[0]);
    Var j(d_w.args()[0].name());
    RVar rw = d_w.rvars(0)[0], rwo("rwo"), rwi("rwi");
    d_w.bound(j, 0, 16).vectorize(j, VEC, TailStrategy::ShiftInwards);
    d_w.update().split(rw, rwo, rwi, BLOCK, TailStrategy::GuardWithIf);
    Func intm = d_w.update().rfactor(rwo, u);
    intm.compute_root().vectorize(j, VEC, TailStrategy::ShiftInwards);
    intm.update().vectorize(j, VEC, TailStrategy::GuardWithIf).parallel(u);
    d_w.update().vectorize(j, VEC, TailStrategy::GuardWithIf);
    return {Pipeline({d_in, d_w}), {input, weights, target}};
}

// A 3x3 convolution layer, 16 channels in and out, batch 4: loss = sum out^2; gradients wrt input and weights.
Built convlayer(int w) {
    Var x("x"), y("y"), co("co"), b("b"), xo("xo"), xi("xi"), u("u"), v("v");
    ImageParam input(Float(32), 4, "input"), weights(Float(32), 4, "weights");
    RDom r(0, 3, 0, 3, 0, CH, "r");
    Func out("out"), loss("loss");
    out(x, y, co, b) = 0.0f;
    out(x, y, co, b) += input(x + r.x, y + r.y, r.z, b) * weights(r.x, r.y, r.z, co);
    RDom p(0, w, 0, w, 0, CH, 0, BATCH, "p");
    loss() = 0.0f;
    loss() += out(p.x, p.y, p.z, p.w) * out(p.x, p.y, p.z, p.w);
    Derivative d = propagate_adjoints(loss);
    Func d_out = d(out), d_in = d(input), d_w = d(weights);

    out.compute_root().vectorize(x, VEC, TailStrategy::ShiftInwards).parallel(y);
    out.update().split(x, xo, xi, VEC, TailStrategy::GuardWithIf).reorder(xi, r.x, r.y, r.z, xo, y, co, b)
        .vectorize(xi).unroll(r.x).unroll(r.y).parallel(y);
    d_out.compute_root().vectorize(d_out.args()[0], VEC, TailStrategy::ShiftInwards).parallel(d_out.args()[1]);
    std::vector<Var> a = d_in.args();
    std::vector<RVar> ra = d_in.rvars(0);
    d_in.vectorize(a[0], VEC, TailStrategy::ShiftInwards).parallel(a[1]);
    d_in.update().split(a[0], xo, xi, VEC, TailStrategy::GuardWithIf).reorder(xi, ra[0], ra[1], ra[2], xo, a[1], a[2], a[3])
        .vectorize(xi).unroll(ra[0]).unroll(ra[1]).parallel(a[1]);
    std::vector<Var> k = d_w.args();
    std::vector<RVar> rk = d_w.rvars(0);
    RVar rxo("rxo"), rxi("rxi"), ryo("ryo"), ryi("ryi");
    d_w.update().split(rk[0], rxo, rxi, VEC, TailStrategy::GuardWithIf).split(rk[1], ryo, ryi, ROWS, TailStrategy::GuardWithIf);
    Func intm = d_w.update().rfactor({{rxi, v}, {ryo, u}});
    intm.compute_root();
    intm.update().reorder(v, rxo, ryi, rk[2], k[0], k[1], k[2], k[3], u).vectorize(v).parallel(u);
    return {Pipeline({d_in, d_w}), {input, weights}};
}

// The shapes of the inputs and the outputs of each case, as in GradientPipelines.
bool lookup(const std::string &name, const std::vector<int> &sizes, bench::Case &c) {
    int n = sizes[0];
    if (name == "conv1d") {
        c = {{{Float(32), {0}, {n + 15}}, {Float(32), {0}, {16}}, {Float(32), {0}, {n}}},
             {{Float(32), {0}, {n + 15}}, {Float(32), {0}, {16}}},
             [n] { return conv1d(n); }};
    } else if (name == "convlayer") {
        c = {{{Float(32), {0, 0, 0, 0}, {n + 2, n + 2, CH, BATCH}}, {Float(32), {0, 0, 0, 0}, {3, 3, CH, CH}}},
             {{Float(32), {0, 0, 0, 0}, {n + 2, n + 2, CH, BATCH}}, {Float(32), {0, 0, 0, 0}, {3, 3, CH, CH}}},
             [n] { return convlayer(n); }};
    } else {
        return false;
    }
    return true;
}

}  // namespace

int main(int argc, char **argv) {
    return bench::main(argc, argv, 1, lookup);
}
