# Thumbnails (ui/grid): the loader with the freedesktop.org disk cache,
# against a temporary XDG_CACHE_HOME (the suite sets it itself).
add_executable(test_thumbnails ${CMAKE_CURRENT_LIST_DIR}/test_thumbnails.cpp)
target_link_libraries(test_thumbnails PRIVATE photosearch_ui Qt6::Test)
target_compile_options(test_thumbnails PRIVATE -Wall -Wextra)
add_test(NAME test_thumbnails COMMAND test_thumbnails)
set_tests_properties(test_thumbnails PROPERTIES LABELS ui TIMEOUT 120
  ENVIRONMENT "QT_QPA_PLATFORM=offscreen")

# The other window suites make ThumbnailLoaders too: keep them out of the
# real ~/.cache/thumbnails (test photos there would outlive the run). Applies
# to the suites defined before this file; later ones should set it themselves.
get_property(photosearch_ui_tests DIRECTORY PROPERTY TESTS)
foreach(suite ${photosearch_ui_tests})
  if(NOT suite STREQUAL "test_thumbnails")
    set_property(TEST ${suite} APPEND PROPERTY ENVIRONMENT "PHOTOSEARCH_NO_THUMBNAIL_CACHE=1")
  endif()
endforeach()
