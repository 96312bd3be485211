# chidoan_test(NAME SOURCES... LIBS ...): one GoogleTest executable registered with CTest.
# Tests that touch storage read CHIDOAN_TEST_PG (a postgresql:// URL) from the environment
# and run on both engines when it is set.
function(chidoan_test name)
  cmake_parse_arguments(T "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ${T_LIBS} GTest::gtest GTest::gtest_main)
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 30 PROPERTIES ENVIRONMENT "CHIDOAN_SOURCE_DIR=${CMAKE_SOURCE_DIR};OMP_THREAD_LIMIT=1")
endfunction()
