# The models room: first-run page, model manager and the download panel they
# share, on top of index/models (KnownModels, ModelStore, ModelDownloader).
# QtConcurrent runs the disk reads (installed models, folder checks, removal)
# off the GUI thread.
target_sources(photosearch_ui PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/DownloadPanel.cpp ${CMAKE_CURRENT_LIST_DIR}/DownloadPanel.h
  ${CMAKE_CURRENT_LIST_DIR}/DownloadText.cpp ${CMAKE_CURRENT_LIST_DIR}/DownloadText.h
  ${CMAKE_CURRENT_LIST_DIR}/FirstRunPage.cpp ${CMAKE_CURRENT_LIST_DIR}/FirstRunPage.h
  ${CMAKE_CURRENT_LIST_DIR}/FolderImporter.cpp ${CMAKE_CURRENT_LIST_DIR}/FolderImporter.h
  ${CMAKE_CURRENT_LIST_DIR}/ModelManagerDialog.cpp ${CMAKE_CURRENT_LIST_DIR}/ModelManagerDialog.h
  ${CMAKE_CURRENT_LIST_DIR}/ModelScan.cpp ${CMAKE_CURRENT_LIST_DIR}/ModelScan.h
)
target_include_directories(photosearch_ui PUBLIC ${CMAKE_CURRENT_LIST_DIR})
target_link_libraries(photosearch_ui PRIVATE Qt6::Concurrent)
