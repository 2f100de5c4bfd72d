# The window on a read-only library (issue 16): a search leaves the catalog
# byte for byte unchanged (no query-embedding cache row), and
# `photosearch IMAGE` (the desktop file's %F) shows photos like IMAGE.
# Runs the photosearch and photosearch-cli executables as processes.
add_executable(test_window_read_only ${CMAKE_CURRENT_LIST_DIR}/test_window_read_only.cpp)
target_link_libraries(test_window_read_only PRIVATE photosearch_ui photosearch_test_support Qt6::Test)
target_compile_options(test_window_read_only PRIVATE -Wall -Wextra)
target_compile_definitions(test_window_read_only PRIVATE PHOTOSEARCH_GUI="$<TARGET_FILE:photosearch>"
  PHOTOSEARCH_CLI="$<TARGET_FILE:photosearch-cli>")
add_dependencies(test_window_read_only photosearch photosearch-cli)
add_test(NAME test_window_read_only COMMAND test_window_read_only)
set_tests_properties(test_window_read_only PROPERTIES LABELS ui TIMEOUT 300
  ENVIRONMENT "QT_QPA_PLATFORM=offscreen;PHOTOSEARCH_MODEL=;PHOTOSEARCH_NO_THUMBNAIL_CACHE=1")
