# The window's search worker takes the model only when a query needs it: none
# for a query the catalog has cached, the text tower alone for a new text.
add_executable(test_search_worker ${CMAKE_CURRENT_LIST_DIR}/test_search_worker.cpp)
target_link_libraries(test_search_worker PRIVATE photosearch_ui photosearch_test_support Qt6::Test)
target_compile_options(test_search_worker PRIVATE -Wall -Wextra)
target_compile_definitions(test_search_worker PRIVATE PHOTOSEARCH_CLI="$<TARGET_FILE:photosearch-cli>")
add_dependencies(test_search_worker photosearch-cli)
add_test(NAME test_search_worker COMMAND test_search_worker)
set_tests_properties(test_search_worker PROPERTIES LABELS ui TIMEOUT 300
  ENVIRONMENT "QT_QPA_PLATFORM=offscreen;PHOTOSEARCH_MODEL=")
