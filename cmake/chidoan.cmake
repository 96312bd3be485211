# The unit tests ./scripts/test runs in the sanitizer build too (label "sanitize"): those of the
# code that reads bytes from outside (HTTP, forms, cookies, CSV and XLSX, templates, Markdown,
# text, images, PDFs, bundles) or holds a C library's memory (SQLite, libpq, leptonica, tesseract,
# cairo, libzip, libsodium), and the whole application through its server (hostile_test,
# security_test). The others (the modules' rules, stores and routes) run once, in the optimised
# build, on both engines: compiling and running every test twice was half of ./scripts/test's
# time. CHIDOAN_ASAN_TESTS=all runs every test under the sanitizers (docs/reliability.md).
set(CHIDOAN_SANITIZER_TESTS
  auth_test chart_test core_test db_test http_test markdown_test notify_test pdf_test render_test
  tabular_test text_test words_test org_bundle_test fund_receipt_test news_photo_test scan_cli_test
  scan_engine_test scan_papers_routes_test review_report_render_test hostile_test security_test web_cache_test)

# chidoan_test(NAME SOURCES... LIBS ...): one GoogleTest executable registered with CTest.
# Tests that touch storage read CHIDOAN_TEST_PG (a postgresql:// URL) from the environment
# and run on both engines when it is set.
function(chidoan_test name)
  cmake_parse_arguments(T "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ${T_LIBS} GTest::gtest GTest::gtest_main)
  # Under CHIDOAN_SANITIZE the test's own file is built with ASan only: UBSan's checks belong to the
  # code under test (the libraries keep both), and on GoogleTest's and nlohmann's templates they
  # cost a third of the sanitizer build's time.
  if(CHIDOAN_SANITIZE)
    target_compile_options(${name} PRIVATE -fno-sanitize=undefined)
  endif()
  # A test's own code at -O1 in the optimised builds: the code under test keeps the build's -O2,
  # and GoogleTest's and nlohmann's templates in a test file compile in a quarter less time.
  if(NOT CHIDOAN_SANITIZE)
    target_compile_options(${name} PRIVATE $<$<CONFIG:Release,RelWithDebInfo>:-O1>)
  endif()
  # Nor is a test's own code what the fuzzers explore: no coverage instrumentation for it.
  if(CHIDOAN_FUZZ)
    target_compile_options(${name} PRIVATE -fno-sanitize=fuzzer-no-link)
  endif()
  set(environment "CHIDOAN_SOURCE_DIR=${CMAKE_SOURCE_DIR};OMP_THREAD_LIMIT=1")
  if(name IN_LIST CHIDOAN_SANITIZER_TESTS)
    set_property(GLOBAL APPEND PROPERTY CHIDOAN_SANITIZER_TARGETS ${name})
    gtest_discover_tests(${name} DISCOVERY_TIMEOUT 30 PROPERTIES LABELS sanitize ENVIRONMENT "${environment}")
  else()
    gtest_discover_tests(${name} DISCOVERY_TIMEOUT 30 PROPERTIES ENVIRONMENT "${environment}")
  endif()
endfunction()

# chidoan_sanitizer_checks(): the target sanitizer_checks, what ./scripts/test builds of the
# sanitizer build: the tests of CHIDOAN_SANITIZER_TESTS and the fuzz targets.
function(chidoan_sanitizer_checks)
  if(NOT CHIDOAN_SANITIZE)
    return()
  endif()
  foreach(t ${CHIDOAN_SANITIZER_TESTS})
    if(NOT TARGET ${t})
      message(FATAL_ERROR "CHIDOAN_SANITIZER_TESTS names ${t}, which is not a test")
    endif()
  endforeach()
  get_property(targets GLOBAL PROPERTY CHIDOAN_SANITIZER_TARGETS)
  add_custom_target(sanitizer_checks)
  add_dependencies(sanitizer_checks ${targets})
endfunction()

# chidoan_precompile_headers(): under clang (the sanitizer build), every static library of the
# project with two or more sources compiles the standard headers and nlohmann/json once, as a
# precompiled header, instead of once a file: at -O0 parsing is most of a file's time, and the
# libraries compile in a quarter less (the ideas module: 52 s without, 40 s with, on one core).
# Not under g++ 12: at -O2 the code generation is the time (the same module: 61 s, 56 s), and
# with a precompiled <string> g++ 12 reports its own -Warray-bounds false positive (GCC bug
# 105651) from inside the header. Called once, from the top-level CMakeLists.txt, after every
# module is added, so that a new module gets it too. (Tests are one file each: a header compiled
# for one file saves nothing.)
option(CHIDOAN_PCH "Precompiled headers for the libraries (clang builds)" ON)
set(CHIDOAN_PCH_HEADERS
  <algorithm> <chrono> <cstdint> <functional> <map> <memory> <optional> <set> <sstream>
  <string> <string_view> <vector> <nlohmann/json.hpp>)

function(chidoan_collect_targets dir out)
  get_property(targets DIRECTORY ${dir} PROPERTY BUILDSYSTEM_TARGETS)
  get_property(subdirs DIRECTORY ${dir} PROPERTY SUBDIRECTORIES)
  foreach(sub ${subdirs})
    chidoan_collect_targets(${sub} more)
    list(APPEND targets ${more})
  endforeach()
  set(${out} ${targets} PARENT_SCOPE)
endfunction()

# chidoan_multi_source_libraries(OUT): the project's static libraries of two or more .cpp files.
function(chidoan_multi_source_libraries out)
  chidoan_collect_targets(${CMAKE_SOURCE_DIR} targets)
  set(libraries)
  foreach(t ${targets})
    get_target_property(type ${t} TYPE)
    get_target_property(sources ${t} SOURCES)
    list(FILTER sources INCLUDE REGEX "\\.cpp$")
    list(LENGTH sources n)
    if(type STREQUAL "STATIC_LIBRARY" AND n GREATER_EQUAL 2)
      list(APPEND libraries ${t})
    endif()
  endforeach()
  set(${out} ${libraries} PARENT_SCOPE)
endfunction()

function(chidoan_precompile_headers)
  if(NOT CHIDOAN_PCH OR NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    return()
  endif()
  chidoan_multi_source_libraries(libraries)
  foreach(t ${libraries})
    target_precompile_headers(${t} PRIVATE ${CHIDOAN_PCH_HEADERS})
  endforeach()
endfunction()

# chidoan_unity_libraries(): with CHIDOAN_UNITY (./scripts/test and ./scripts/demo turn it on),
# every static library of the project with two or more sources compiles as one file (a unity
# build, all its sources in one batch). Most of a file's time at -O2 is spent on what the files of
# a module share: nlohmann/json's and the standard library's templates, instantiated and
# optimised once per file. Six files of the desk module took 44 s one by one, 19 s as one. One
# batch a library, not CMake's default of 8, so that two files of a module that use one name in
# their anonymous namespaces fail every build, not only the one whose batches put them together:
# such helpers carry the name of their file (validate_dues, not validate). Off by default: a
# developer's incremental build recompiles one file, not its whole module. Tests are one file
# each, so it changes nothing for them.
option(CHIDOAN_UNITY "Unity builds of the libraries (one compile a library)" OFF)

function(chidoan_unity_libraries)
  if(NOT CHIDOAN_UNITY)
    return()
  endif()
  chidoan_multi_source_libraries(libraries)
  foreach(t ${libraries})
    set_target_properties(${t} PROPERTIES UNITY_BUILD ON UNITY_BUILD_BATCH_SIZE 0)
  endforeach()
endfunction()
