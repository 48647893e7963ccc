// The driver shared by the Halide 14 programs of `halogen bench forward` and `halogen bench grad`
// (halide_forward.cpp, halide_gradient.cpp): each defines its cases, this file runs one.
//
//   PROGRAM CASE DIR SIZE...
//
// reads the inputs DIR/input0.raw, DIR/input1.raw, ... (dense, first dimension innermost, little
// endian; shapes as the program's `lookup` gives them for SIZE...), compiles the pipeline twice
// (the second time from a fresh definition: Halide keeps no cache across pipelines) and prints
//   target <halide target>
//   compile_first_ms <ms>
//   compile_again_ms <ms>
//   ready
// Then it answers commands on standard input, one a line, so that the benchmark can interleave its
// runs with Halogen's (on a busy machine, both then see the same load):
//   run    realize once into the preallocated output buffers; prints "ms <milliseconds>"
//   write  writes output k to DIR/halide_out<k>.raw; prints "written"
// and exits at the end of its input.
#pragma once

#include "Halide.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iostream>
#include <string>
#include <vector>

namespace bench {

using namespace Halide;

struct Built {
    Pipeline pipeline;
    std::vector<ImageParam> inputs;
};

struct Shape {
    Type type;
    std::vector<int> mins, extents;
};

// One case at the sizes given: the shapes of its inputs and outputs, and how to build it afresh.
struct Case {
    std::vector<Shape> inputs, outputs;
    std::function<Built()> build;
};

inline Buffer<> allocate(const Shape &s) {
    Buffer<> b(s.type, s.extents);
    b.set_min(s.mins);
    return b;
}

inline double millis_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

// `lookup` fills the case named argv[1] at the sizes argv[3...] and returns false for an unknown name.
inline int main(int argc, char **argv, int size_count, const std::function<bool(const std::string &, const std::vector<int> &, Case &)> &lookup) {
    const char *program = argv[0];
    if (argc != 3 + size_count) {
        std::fprintf(stderr, "usage: %s CASE DIR followed by %d sizes\n", program, size_count);
        return 2;
    }
    std::string name = argv[1], dir = argv[2];
    std::vector<int> sizes;
    for (int k = 0; k < size_count; k++) sizes.push_back(std::atoi(argv[3 + k]));
    Case c;
    if (!lookup(name, sizes, c)) {
        std::fprintf(stderr, "%s: unknown case '%s'\n", program, name.c_str());
        return 2;
    }
    std::vector<Buffer<>> inputs;
    for (size_t k = 0; k < c.inputs.size(); k++) {
        Buffer<> b = allocate(c.inputs[k]);
        std::string path = dir + "/input" + std::to_string(k) + ".raw";
        std::ifstream f(path, std::ios::binary);
        if (!f.read(reinterpret_cast<char *>(b.data()), b.size_in_bytes())) {
            std::fprintf(stderr, "%s: cannot read %zu bytes from %s\n", program, b.size_in_bytes(), path.c_str());
            return 1;
        }
        inputs.push_back(b);
    }
    std::vector<Buffer<>> outputs;
    for (const Shape &s : c.outputs) outputs.push_back(allocate(s));
    Realization realization(outputs);
    Target target = get_jit_target_from_environment();

    auto t0 = std::chrono::steady_clock::now();
    Built first = c.build();
    first.pipeline.compile_jit(target);
    double compile_first = millis_since(t0);
    t0 = std::chrono::steady_clock::now();
    Built built = c.build();
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
            built.pipeline.realize(realization, target);
            std::printf("ms %.4f\n", millis_since(t0));
        } else if (command == "write") {
            for (size_t k = 0; k < outputs.size(); k++) {
                std::string out_path = dir + "/halide_out" + std::to_string(k) + ".raw";
                std::ofstream f(out_path, std::ios::binary);
                if (!f.write(reinterpret_cast<const char *>(outputs[k].data()), outputs[k].size_in_bytes())) {
                    std::fprintf(stderr, "%s: cannot write %s\n", program, out_path.c_str());
                    return 1;
                }
            }
            std::printf("written\n");
        } else {
            std::fprintf(stderr, "%s: unknown command '%s'\n", program, command.c_str());
            return 2;
        }
        std::fflush(stdout);
    }
    return 0;
}

}  // namespace bench
