# What the fuzz targets found (tests/fuzz/regressions), replayed on every run.
photosearch_index_test(test_fuzz_regressions)
target_compile_definitions(test_fuzz_regressions PRIVATE
  PHOTOSEARCH_FUZZ_REGRESSIONS="${CMAKE_SOURCE_DIR}/tests/fuzz/regressions")
