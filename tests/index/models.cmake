# The model downloader and `photosearch-cli models` against a loopback
# Hugging Face look-alike (tests/support/HttpTestServer.h); no real network.
photosearch_index_test(test_model_download)
target_link_libraries(test_model_download PRIVATE Qt6::Network)
target_compile_definitions(test_model_download PRIVATE PHOTOSEARCH_CLI="$<TARGET_FILE:photosearch-cli>")
add_dependencies(test_model_download photosearch-cli)
