# Several Catalogs on one file in one process never drop SQLite's locks for
# each other (CatalogUseLock keeps one descriptor per file): another process
# closing the catalog must not take itself for its last user and delete the
# -wal under a live connection. Runs photosearch-cli stats as that process.
photosearch_index_test(test_catalog_shared_locks)
target_compile_definitions(test_catalog_shared_locks PRIVATE PHOTOSEARCH_CLI="$<TARGET_FILE:photosearch-cli>")
add_dependencies(test_catalog_shared_locks photosearch-cli)
