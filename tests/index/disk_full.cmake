# A disk that fills up in the middle of an index run (issue 16): a file-size
# limit on the photosearch-cli child stands for the full disk, so the suite
# runs as root too. Runs photosearch-cli as a process.
photosearch_index_test(test_disk_full GeneratedLibrary.cpp GeneratedLibrary.h)
target_compile_definitions(test_disk_full PRIVATE PHOTOSEARCH_CLI="$<TARGET_FILE:photosearch-cli>")
add_dependencies(test_disk_full photosearch-cli)
set_tests_properties(test_disk_full PROPERTIES TIMEOUT 900)
# The window's IndexWorker (removing a folder) is checked in-process.
target_link_libraries(test_disk_full PRIVATE photosearch_ui)
