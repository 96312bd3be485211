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
  # Nor is a test's own code what the fuzzers explore: no coverage instrumentation for it.
  if(CHIDOAN_FUZZ)
    target_compile_options(${name} PRIVATE -fno-sanitize=fuzzer-no-link)
  endif()
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 30 PROPERTIES ENVIRONMENT "CHIDOAN_SOURCE_DIR=${CMAKE_SOURCE_DIR};OMP_THREAD_LIMIT=1")
endfunction()
