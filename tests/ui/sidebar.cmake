# The sidebar room against a real library: a generated folder (distinct
# scenes plus copies of one) indexed with the tiny random CLIP; folders,
# albums made and edited through the browse thread, few-shot marking,
# duplicate groups, the grid's album menu, and a rendering of the sidebar.
add_executable(test_sidebar ${CMAKE_CURRENT_LIST_DIR}/test_sidebar.cpp)
target_link_libraries(test_sidebar PRIVATE photosearch_ui photosearch_test_support Qt6::Test)
target_compile_options(test_sidebar PRIVATE -Wall -Wextra)
add_test(NAME test_sidebar COMMAND test_sidebar)
set_tests_properties(test_sidebar PROPERTIES LABELS ui TIMEOUT 300
  ENVIRONMENT "QT_QPA_PLATFORM=offscreen;PHOTOSEARCH_MODEL=")
