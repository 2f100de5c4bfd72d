# Text in photos (ui/text): the text pass on its own thread, its controller
# and its status-bar progress; the pass itself is index/text/TextPass.
target_sources(photosearch_ui PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/TextController.cpp ${CMAKE_CURRENT_LIST_DIR}/TextController.h
  ${CMAKE_CURRENT_LIST_DIR}/TextProgressBar.cpp ${CMAKE_CURRENT_LIST_DIR}/TextProgressBar.h
  ${CMAKE_CURRENT_LIST_DIR}/TextReport.cpp ${CMAKE_CURRENT_LIST_DIR}/TextReport.h
  ${CMAKE_CURRENT_LIST_DIR}/TextTypes.h
  ${CMAKE_CURRENT_LIST_DIR}/TextWorker.cpp ${CMAKE_CURRENT_LIST_DIR}/TextWorker.h
)
target_include_directories(photosearch_ui PUBLIC ${CMAKE_CURRENT_LIST_DIR})
