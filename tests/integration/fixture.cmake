# The loopback HTTP fixture and test helpers, shared by tests/unit and tests/integration.
include_guard(GLOBAL)
add_library(tp_test_fixture STATIC ${CMAKE_CURRENT_LIST_DIR}/fixture.c ${CMAKE_CURRENT_LIST_DIR}/testutil.c)
target_include_directories(tp_test_fixture PUBLIC ${CMAKE_CURRENT_LIST_DIR} ${PROJECT_SOURCE_DIR}/include)
target_link_libraries(tp_test_fixture PUBLIC turso_platform Threads::Threads)

# tp_cmocka_test(<name> <label> <sources...>): one CMocka executable, one ctest test.
pkg_check_modules(TPT_CMOCKA IMPORTED_TARGET GLOBAL cmocka)
pkg_check_modules(TPT_CJSON IMPORTED_TARGET GLOBAL libcjson)
function(tp_cmocka_test name label)
  add_executable(${name} ${ARGN})
  target_link_libraries(${name} PRIVATE tp_test_fixture PkgConfig::TPT_CMOCKA PkgConfig::TPT_CJSON)
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES LABELS ${label} TIMEOUT 120)
endfunction()
