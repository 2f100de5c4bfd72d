# The photo detail pane, the large preview and the filter bar (ui/detail).
target_sources(photosearch_ui PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/DetailWorker.cpp ${CMAKE_CURRENT_LIST_DIR}/DetailWorker.h
  ${CMAKE_CURRENT_LIST_DIR}/ElidedLabel.cpp ${CMAKE_CURRENT_LIST_DIR}/ElidedLabel.h
  ${CMAKE_CURRENT_LIST_DIR}/FilterBar.cpp ${CMAKE_CURRENT_LIST_DIR}/FilterBar.h
  ${CMAKE_CURRENT_LIST_DIR}/FolderLabels.cpp ${CMAKE_CURRENT_LIST_DIR}/FolderLabels.h
  ${CMAKE_CURRENT_LIST_DIR}/PreviewDecoder.cpp ${CMAKE_CURRENT_LIST_DIR}/PreviewDecoder.h
  ${CMAKE_CURRENT_LIST_DIR}/ImageView.cpp ${CMAKE_CURRENT_LIST_DIR}/ImageView.h
  ${CMAKE_CURRENT_LIST_DIR}/PhotoDetailPane.cpp ${CMAKE_CURRENT_LIST_DIR}/PhotoDetailPane.h
  ${CMAKE_CURRENT_LIST_DIR}/PhotoDetails.cpp ${CMAKE_CURRENT_LIST_DIR}/PhotoDetails.h
  ${CMAKE_CURRENT_LIST_DIR}/PhotoInfo.h
  ${CMAKE_CURRENT_LIST_DIR}/PhotoInfoText.cpp ${CMAKE_CURRENT_LIST_DIR}/PhotoInfoText.h
  ${CMAKE_CURRENT_LIST_DIR}/PhotoTextView.cpp ${CMAKE_CURRENT_LIST_DIR}/PhotoTextView.h
  ${CMAKE_CURRENT_LIST_DIR}/PreviewDialog.cpp ${CMAKE_CURRENT_LIST_DIR}/PreviewDialog.h
  ${CMAKE_CURRENT_LIST_DIR}/TagList.cpp ${CMAKE_CURRENT_LIST_DIR}/TagList.h)
target_include_directories(photosearch_ui PUBLIC ${CMAKE_CURRENT_LIST_DIR})
