# An index run with nothing to read loads no model weights: the CLI, the
# Indexer in-process and the window's IndexWorker (issue 15, rescans).
photosearch_index_test(test_index_lazy_model)
target_compile_definitions(test_index_lazy_model PRIVATE PHOTOSEARCH_CLI="$<TARGET_FILE:photosearch-cli>")
add_dependencies(test_index_lazy_model photosearch-cli)
target_link_libraries(test_index_lazy_model PRIVATE photosearch_ui)
