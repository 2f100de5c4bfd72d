# The scanner stays in the photo tree (issue 16): links to /proc, /sys and
# procfs magic links (/proc/self/root) are not followed; ordinary links are.
photosearch_index_test(test_scan_pseudo_links)
set_tests_properties(test_scan_pseudo_links PROPERTIES TIMEOUT 120)
