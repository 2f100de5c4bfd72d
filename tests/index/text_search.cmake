# Search with text written in photos (issue 17): the merge of written text
# and CLIP as pure logic, then through SearchEngine and photosearch-cli on a
# library whose text rows are put straight into the store (no Tesseract).
photosearch_index_test(test_text_ranking)
photosearch_index_test(test_text_search GeneratedLibrary.cpp GeneratedLibrary.h)
target_compile_definitions(test_text_search PRIVATE PHOTOSEARCH_CLI="$<TARGET_FILE:photosearch-cli>")
add_dependencies(test_text_search photosearch-cli)
set_tests_properties(test_text_search PROPERTIES TIMEOUT 600)
