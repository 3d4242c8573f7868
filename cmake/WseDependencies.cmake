# Finds LibTorch, HDF5 (serial, C++ API), nlohmann-json, CLI11 and (optional) hnswlib; Qt 6 and VTK when the GUI is built.

# WSE_TORCH_DIR: an upstream LibTorch 2.x (the unzipped libtorch/ folder of pytorch.org's C++
# download, cxx11 ABI, CUDA or CPU) instead of Debian's; or torch's CMake prefix of a pip
# installation (python3 -c 'import torch; print(torch.utils.cmake_prefix_path)').
set(WSE_TORCH_DIR "" CACHE PATH "An upstream LibTorch (its folder, or torch's CMake prefix) to build against")
if(WSE_TORCH_DIR)
    list(PREPEND CMAKE_PREFIX_PATH ${WSE_TORCH_DIR})
endif()
find_package(Torch REQUIRED)
message(STATUS "LibTorch ${Torch_VERSION} from ${Torch_DIR}")
# TorchConfig appends its flags to CMAKE_CXX_FLAGS; keep them (ABI flag) but nothing else is needed.

# WSE_DEPS_PREFIX: a folder with include/ and lib/ holding HDF5 (serial, C and C++), nlohmann-json
# and CLI11, for a machine without Debian's packages (the GPU machine: scripts/gpu/collect-deps.sh).
if(WSE_DEPS_PREFIX)
    list(PREPEND CMAKE_PREFIX_PATH ${WSE_DEPS_PREFIX})
    foreach(component hdf5 hdf5_cpp)
        string(REPLACE hdf5 hdf5_serial file ${component}) # Debian's sonames
        file(GLOB library ${WSE_DEPS_PREFIX}/lib/lib${file}.so.*)
        add_library(hdf5::${component} SHARED IMPORTED)
        set_target_properties(hdf5::${component} PROPERTIES
            IMPORTED_LOCATION ${library}
            INTERFACE_INCLUDE_DIRECTORIES ${WSE_DEPS_PREFIX}/include/hdf5)
    endforeach()
    set(HDF5_FOUND TRUE)
endif()

# Debian's hdf5.pc points at the MPI flavour; the serial compiler wrappers keep FindHDF5 on serial.
set(HDF5_PREFER_PARALLEL FALSE)
if(EXISTS /usr/bin/h5cc AND NOT HDF5_ROOT)
    set(HDF5_C_COMPILER_EXECUTABLE   /usr/bin/h5cc)
    set(HDF5_CXX_COMPILER_EXECUTABLE /usr/bin/h5c++)
endif()
if(NOT WSE_DEPS_PREFIX)
    find_package(HDF5 REQUIRED COMPONENTS C CXX)
    if(HDF5_IS_PARALLEL)
        message(FATAL_ERROR "FindHDF5 picked the MPI flavour of HDF5; the serial one is required")
    endif()
endif()

find_package(nlohmann_json 3.10 REQUIRED)
find_package(CLI11 QUIET CONFIG)
if(NOT CLI11_FOUND)
    find_path(CLI11_INCLUDE_DIR CLI/CLI.hpp REQUIRED)
    add_library(CLI11::CLI11 INTERFACE IMPORTED)
    target_include_directories(CLI11::CLI11 INTERFACE ${CLI11_INCLUDE_DIR})
endif()
find_package(ZLIB REQUIRED)
# hnswlib (header-only) gives approximate neighbours for large maps; without it (a bare GPU
# machine) neighbour search is exact at every size, only slower.
find_path(HNSWLIB_INCLUDE_DIR hnswlib/hnswlib.h)

if(WSE_BUILD_GUI)
    find_package(Qt6 6.4 REQUIRED COMPONENTS Core Gui Widgets OpenGL OpenGLWidgets Concurrent Svg Charts Test)
    # Debian's VTK config requires Qt 5 unless the components are listed explicitly.
    find_package(VTK 9.1 REQUIRED COMPONENTS
        CommonCore CommonDataModel CommonColor RenderingCore RenderingOpenGL2
        InteractionStyle InteractionWidgets RenderingFreeType RenderingAnnotation)
endif()
