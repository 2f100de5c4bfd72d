# Thumbnails (ui/grid): the loader with the freedesktop.org disk cache,
# against a temporary XDG_CACHE_HOME (the suite sets it itself).
add_executable(test_thumbnails ${CMAKE_CURRENT_LIST_DIR}/test_thumbnails.cpp)
target_link_libraries(test_thumbnails PRIVATE photosearch_ui Qt6::Test)
target_compile_options(test_thumbnails PRIVATE -Wall -Wextra)
add_test(NAME test_thumbnails COMMAND test_thumbnails)
set_tests_properties(test_thumbnails PROPERTIES LABELS ui TIMEOUT 120
  ENVIRONMENT "QT_QPA_PLATFORM=offscreen")

