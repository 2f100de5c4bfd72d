# The Classify panel (zero-shot classification of dropped images, filing
# them into albums by label) and the drag-and-drop helpers the window uses.
target_sources(photosearch_ui PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/ClassifyTypes.h
  ${CMAKE_CURRENT_LIST_DIR}/ClassifyWorker.cpp ${CMAKE_CURRENT_LIST_DIR}/ClassifyWorker.h
  ${CMAKE_CURRENT_LIST_DIR}/ClassifyService.cpp ${CMAKE_CURRENT_LIST_DIR}/ClassifyService.h
  ${CMAKE_CURRENT_LIST_DIR}/LabelAlbums.cpp ${CMAKE_CURRENT_LIST_DIR}/LabelAlbums.h
  ${CMAKE_CURRENT_LIST_DIR}/ClassifyTableModel.cpp ${CMAKE_CURRENT_LIST_DIR}/ClassifyTableModel.h
  ${CMAKE_CURRENT_LIST_DIR}/ClassifyPanel.cpp ${CMAKE_CURRENT_LIST_DIR}/ClassifyPanel.h
  ${CMAKE_CURRENT_LIST_DIR}/ImageDrops.cpp ${CMAKE_CURRENT_LIST_DIR}/ImageDrops.h
)
target_include_directories(photosearch_ui PUBLIC ${CMAKE_CURRENT_LIST_DIR})
