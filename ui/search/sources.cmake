# The search bar: the field (typing, history, dropped images) and the line
# above the grid (how many good matches, show more, order).
target_sources(photosearch_ui PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/ResultsHeader.cpp ${CMAKE_CURRENT_LIST_DIR}/ResultsHeader.h
  ${CMAKE_CURRENT_LIST_DIR}/SearchField.cpp ${CMAKE_CURRENT_LIST_DIR}/SearchField.h
)
target_include_directories(photosearch_ui PUBLIC ${CMAKE_CURRENT_LIST_DIR})
