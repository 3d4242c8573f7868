# wse_buildinfo: a target that refreshes ${CMAKE_BINARY_DIR}/generated/generated_buildinfo.h (version and
# commit) at every build; core/common/buildinfo.cpp includes it.
set(WSE_BUILDINFO_DIR ${CMAKE_BINARY_DIR}/generated)
add_custom_target(wse_buildinfo
    COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${CMAKE_SOURCE_DIR} -DVERSION=${PROJECT_VERSION}
            -DOUTPUT=${WSE_BUILDINFO_DIR}/generated_buildinfo.h -P ${CMAKE_SOURCE_DIR}/cmake/write-buildinfo.cmake
    BYPRODUCTS ${WSE_BUILDINFO_DIR}/generated_buildinfo.h
    COMMENT "Version and commit for buildinfo.h"
    VERBATIM)
