# The models room (ui/models): the first-run page and the model manager driven
# through their real widgets against the loopback Hugging Face server
# (HttpTestServer) serving a tiny CLIP model; HF_ENDPOINT and
# PHOTOSEARCH_MODELS are set by the suite itself, per case.
add_executable(test_first_run ${CMAKE_CURRENT_LIST_DIR}/test_first_run.cpp)
target_link_libraries(test_first_run PRIVATE photosearch_ui photosearch_test_support Qt6::Test)
target_compile_options(test_first_run PRIVATE -Wall -Wextra)
add_test(NAME test_first_run COMMAND test_first_run)
set_tests_properties(test_first_run PROPERTIES LABELS ui TIMEOUT 300
  ENVIRONMENT "QT_QPA_PLATFORM=offscreen;PHOTOSEARCH_MODEL=")
