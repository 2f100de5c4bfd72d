# Kill resilience (issue 16): photosearch-cli index killed with SIGKILL at
# random moments while photos are added, rewritten, moved and deleted; the
# library must match the disk exactly afterwards. The driver takes
# --photos/--kills/--seed/--keep; packaging/kill-resilience.sh runs it at
# scale (>= 50 kills, a few hundred photos). CTest runs a short version.
add_executable(kill_resilience kill_resilience.cpp KillShelf.cpp KillShelf.h KillRunner.cpp KillRunner.h
  KillChecks.cpp KillChecks.h)
target_link_libraries(kill_resilience PRIVATE photosearch_index photosearch_test_support Qt6::Core)
target_compile_definitions(kill_resilience PRIVATE PHOTOSEARCH_CLI="$<TARGET_FILE:photosearch-cli>")
add_dependencies(kill_resilience photosearch-cli)
# The seed is fixed here so that a CI failure replays; the script draws one.
add_test(NAME kill_resilience COMMAND kill_resilience --photos 60 --kills 8 --samples 3 --seed 16)
set_tests_properties(kill_resilience PROPERTIES LABELS index TIMEOUT 300
  ENVIRONMENT "QT_QPA_PLATFORM=offscreen")
