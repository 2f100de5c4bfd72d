# The Classify panel and drag and drop (ui/classify, ResultsModel's drag
# out) against the shapes CLIP, which tells colours apart, so the answers
# are checked, not only that they come back.
add_executable(test_classify_panel ${CMAKE_CURRENT_LIST_DIR}/test_classify_panel.cpp)
target_link_libraries(test_classify_panel PRIVATE photosearch_ui photosearch_test_support Qt6::Test)
target_compile_options(test_classify_panel PRIVATE -Wall -Wextra)
add_test(NAME test_classify_panel COMMAND test_classify_panel)
set_tests_properties(test_classify_panel PROPERTIES LABELS ui TIMEOUT 300
  ENVIRONMENT "QT_QPA_PLATFORM=offscreen;PHOTOSEARCH_MODEL=;OMP_WAIT_POLICY=PASSIVE")
photosearch_use_shapes_clip(test_classify_panel test_classify_panel)
