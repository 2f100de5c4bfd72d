# An approximate store's hits re-scored exactly from the catalog
# (index/search/ExactRerank.h, issue 15).
photosearch_index_test(test_search_rerank)
