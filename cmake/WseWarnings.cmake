# Warnings for our own targets only (third-party headers are included as SYSTEM).
add_library(wse_warnings INTERFACE)
target_compile_options(wse_warnings INTERFACE
    -Wall -Wextra -Wpedantic -Wshadow=local -Wnon-virtual-dtor -Wno-unused-parameter)
