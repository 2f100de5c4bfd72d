# Pages shown before there is anything to search: no folder yet.
target_sources(photosearch_ui PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/AddFoldersPage.cpp ${CMAKE_CURRENT_LIST_DIR}/AddFoldersPage.h
)
target_include_directories(photosearch_ui PUBLIC ${CMAKE_CURRENT_LIST_DIR})
