# The CLI against hostile files and libraries (the reliability issue): pipes
# and devices given as images, truncated JPEGs, read-only libraries,
# non-UTF-8 names, a full disk. Runs photosearch-cli as a process.
photosearch_index_test(test_cli_reliability GeneratedLibrary.cpp GeneratedLibrary.h)
target_compile_definitions(test_cli_reliability PRIVATE PHOTOSEARCH_CLI="$<TARGET_FILE:photosearch-cli>")
add_dependencies(test_cli_reliability photosearch-cli)
