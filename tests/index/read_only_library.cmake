# Read-only libraries answer every reading command and refuse the writing
# ones; the photo folders are never written (issue 16). PHOTOSEARCH_READ_ONLY
# forces the mode, so the suite runs as root too. Runs photosearch-cli as a
# process.
photosearch_index_test(test_read_only_library GeneratedLibrary.cpp GeneratedLibrary.h)
target_compile_definitions(test_read_only_library PRIVATE PHOTOSEARCH_CLI="$<TARGET_FILE:photosearch-cli>")
add_dependencies(test_read_only_library photosearch-cli)
set_tests_properties(test_read_only_library PROPERTIES TIMEOUT 900)
