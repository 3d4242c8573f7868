# Run at every build (cmake -P): writes generated_buildinfo.h with the version and the checkout's commit,
# touching the file only when they changed, so that a new commit recompiles one file.
execute_process(COMMAND git rev-parse --short HEAD WORKING_DIRECTORY "${SOURCE_DIR}"
                OUTPUT_VARIABLE commit OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
execute_process(COMMAND git status --porcelain --untracked-files=no WORKING_DIRECTORY "${SOURCE_DIR}"
                OUTPUT_VARIABLE changes OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(NOT commit)
    set(commit "unknown") # built from a source archive
elseif(changes)
    set(commit "${commit}-modified")
endif()
set(content "#pragma once\n#define WSE_BUILD_VERSION \"${VERSION}\"\n#define WSE_BUILD_COMMIT \"${commit}\"\n")
if(EXISTS "${OUTPUT}")
    file(READ "${OUTPUT}" previous)
endif()
if(NOT "${previous}" STREQUAL "${content}")
    file(WRITE "${OUTPUT}" "${content}")
endif()
