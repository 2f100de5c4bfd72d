# Path arguments that are FIFOs (issue 16): a vocabulary, prompt templates or
# a model folder's config.json / vocab.json / merges.txt /
# preprocessor_config.json that is a named pipe is refused by type, never
# opened (opening a FIFO waits for a writer for ever). Runs photosearch-cli.
photosearch_index_test(test_cli_fifo_inputs GeneratedLibrary.cpp GeneratedLibrary.h)
target_compile_definitions(test_cli_fifo_inputs PRIVATE PHOTOSEARCH_CLI="$<TARGET_FILE:photosearch-cli>")
add_dependencies(test_cli_fifo_inputs photosearch-cli)
