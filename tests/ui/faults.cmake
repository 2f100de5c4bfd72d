# The real window against a hostile environment: files that are not files
# (FIFOs) dropped in, and the app's --screenshot option with a library it
# cannot use; nothing may hang, and errors are one clear sentence.
add_executable(test_window_faults ${CMAKE_CURRENT_LIST_DIR}/test_window_faults.cpp)
target_link_libraries(test_window_faults PRIVATE photosearch_ui photosearch_test_support Qt6::Test)
target_compile_options(test_window_faults PRIVATE -Wall -Wextra)
target_compile_definitions(test_window_faults PRIVATE PHOTOSEARCH_GUI="$<TARGET_FILE:photosearch>")
add_dependencies(test_window_faults photosearch)
add_test(NAME test_window_faults COMMAND test_window_faults)
set_tests_properties(test_window_faults PROPERTIES LABELS ui TIMEOUT 300
  ENVIRONMENT "QT_QPA_PLATFORM=offscreen;PHOTOSEARCH_MODEL=;PHOTOSEARCH_NO_THUMBNAIL_CACHE=1")
