# Damage the first repair did not see (issue 16, QA pass): another
# database's -wal beside the catalog, an empty or missing catalog beside its
# copies, special files in its place, a schema SQLite cannot parse, stale
# temporary copies, and a damaged catalog of a newer schema. Runs the CLI as
# a process.
photosearch_index_test(test_catalog_damage GeneratedLibrary.cpp GeneratedLibrary.h RawCatalogFile.cpp RawCatalogFile.h)
target_compile_definitions(test_catalog_damage PRIVATE PHOTOSEARCH_CLI="$<TARGET_FILE:photosearch-cli>")
add_dependencies(test_catalog_damage photosearch-cli)
