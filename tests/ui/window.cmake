# The real main window driven end to end (offscreen): first run → download →
# folder → search, image drops on the search field and the grid, the
# keyboard preview and Delete in an album, and the app's --screenshot option
# run as a separate process. Each case sets its own HOME, XDG_* and
# PHOTOSEARCH_MODELS temporary folders itself.
add_executable(test_window_flows ${CMAKE_CURRENT_LIST_DIR}/test_window_flows.cpp)
target_link_libraries(test_window_flows PRIVATE photosearch_ui photosearch_test_support Qt6::Test)
target_compile_options(test_window_flows PRIVATE -Wall -Wextra)
target_compile_definitions(test_window_flows PRIVATE PHOTOSEARCH_GUI="$<TARGET_FILE:photosearch>")
add_dependencies(test_window_flows photosearch)
add_test(NAME test_window_flows COMMAND test_window_flows)
set_tests_properties(test_window_flows PROPERTIES LABELS ui TIMEOUT 300
  ENVIRONMENT "QT_QPA_PLATFORM=offscreen;PHOTOSEARCH_MODEL=;PHOTOSEARCH_NO_THUMBNAIL_CACHE=1")
