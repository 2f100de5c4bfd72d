# Privacy checks (issue 16): a model folder's links cannot make the app read
# outside it; names and queries that look like SQL stay data (bound parameters).
photosearch_index_test(test_model_folder_links)
photosearch_index_test(test_sql_quoting)
target_compile_definitions(test_sql_quoting PRIVATE PHOTOSEARCH_CLI="$<TARGET_FILE:photosearch-cli>")
add_dependencies(test_sql_quoting photosearch-cli)
