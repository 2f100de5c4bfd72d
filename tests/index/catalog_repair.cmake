# A damaged catalog.sqlite (issue 16): the copy taken before a schema
# upgrade, the upgrade refused without it, the sentence a damaged file gives,
# and `photosearch-cli repair` restoring or salvaging it. Runs the CLI as a
# process.
photosearch_index_test(test_catalog_repair GeneratedLibrary.cpp GeneratedLibrary.h RawCatalogFile.cpp RawCatalogFile.h)
target_compile_definitions(test_catalog_repair PRIVATE PHOTOSEARCH_CLI="$<TARGET_FILE:photosearch-cli>")
add_dependencies(test_catalog_repair photosearch-cli)
