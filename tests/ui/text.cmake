# Text in photos in the window (ui/text, ui/detail's text section, the
# settings): the detail pane shows what the text pass stored, the text
# controller runs, pauses, cancels and resumes a real pass (Tesseract on
# images the suite draws), a read-only library refuses, the window runs the
# pass after an index run and from its menu, and Settings keeps the options.
add_executable(test_text_window ${CMAKE_CURRENT_LIST_DIR}/test_text_window.cpp)
target_link_libraries(test_text_window PRIVATE photosearch_ui photosearch_test_support Qt6::Test)
target_compile_options(test_text_window PRIVATE -Wall -Wextra)
add_test(NAME test_text_window COMMAND test_text_window)
set_tests_properties(test_text_window PROPERTIES LABELS ui TIMEOUT 600
  ENVIRONMENT "QT_QPA_PLATFORM=offscreen;PHOTOSEARCH_MODEL=")
