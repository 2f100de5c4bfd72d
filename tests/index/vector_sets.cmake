# Vectors of different precision never mix: the set id carries the
# precision, an index run follows the library's set, readers find it
# (issue 15). Runs photosearch-cli as a process.
photosearch_index_test(test_vector_sets GeneratedLibrary.cpp GeneratedLibrary.h)
target_compile_definitions(test_vector_sets PRIVATE PHOTOSEARCH_CLI="$<TARGET_FILE:photosearch-cli>")
add_dependencies(test_vector_sets photosearch-cli)
set_tests_properties(test_vector_sets PROPERTIES TIMEOUT 900)
