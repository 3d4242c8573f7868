#!/usr/bin/env bash
# Collects what wse_core and the CLI need beyond LibTorch into .deps/ (git-ignored), for a machine
# that has a CUDA LibTorch but not Debian's packages (the GPU machine): HDF5 (serial, C and C++,
# with the shared libraries it loads), nlohmann-json, CLI11, hnswlib, and Fashion-MNIST.
# Build there with: cmake -DWSE_DEPS_PREFIX=$PWD/.deps ... and run with LD_LIBRARY_PATH=$PWD/.deps/lib.
set -euo pipefail
cd "$(dirname "$0")/../.."
deps=.deps
rm -rf "$deps"
mkdir -p "$deps/include" "$deps/lib" "$deps/share/cmake" "$deps/fashion-mnist"

cp -r /usr/include/hdf5/serial "$deps/include/hdf5"
cp -r /usr/include/nlohmann /usr/include/CLI "$deps/include/"
[ -d /usr/include/hnswlib ] && cp -r /usr/include/hnswlib "$deps/include/"
cp -r /usr/share/cmake/nlohmann_json /usr/share/cmake/CLI11 "$deps/share/cmake/"

arch=/usr/lib/x86_64-linux-gnu
# What they load at run time (by soname), except the C and C++ runtimes every machine has.
ldd "$arch/libhdf5_serial_cpp.so.103" | awk '/=> \//{print $3}' | while read -r lib; do
    case "$(basename "$lib")" in
        libc.so*|libm.so*|libstdc++.so*|libgcc_s.so*|libresolv.so*|libpthread.so*|libdl.so*|ld-linux*) ;;
        *) cp -L "$lib" "$deps/lib/" ;;
    esac
done
cp -L "$arch/libhdf5_serial_cpp.so.103" "$deps/lib/" # the build links the soname files
cp /usr/include/zlib.h /usr/include/zconf.h "$deps/include/"
cp "$deps/lib/libz.so.1" "$deps/lib/libz.so"
cp /usr/share/datasets/fashion-mnist/*.gz "$deps/fashion-mnist/"
du -sh "$deps"
