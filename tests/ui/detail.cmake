# The photo detail pane, the large preview and the filter bar (ui/detail)
# against a tiny real library: indexed with a random tiny CLIP, tagged, and
# filtered through the catalog.
add_executable(test_detail_pane ${CMAKE_CURRENT_LIST_DIR}/test_detail_pane.cpp)
target_link_libraries(test_detail_pane PRIVATE photosearch_ui photosearch_test_support Qt6::Test)
target_compile_options(test_detail_pane PRIVATE -Wall -Wextra)
add_test(NAME test_detail_pane COMMAND test_detail_pane)
set_tests_properties(test_detail_pane PROPERTIES LABELS ui TIMEOUT 300
  ENVIRONMENT "QT_QPA_PLATFORM=offscreen;PHOTOSEARCH_MODEL=")
