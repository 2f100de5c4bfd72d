# Preferences: what is kept in QSettings and the dialog that edits it.
target_sources(photosearch_ui PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/AppSettings.cpp ${CMAKE_CURRENT_LIST_DIR}/AppSettings.h
  ${CMAKE_CURRENT_LIST_DIR}/SettingsDialog.cpp ${CMAKE_CURRENT_LIST_DIR}/SettingsDialog.h
  ${CMAKE_CURRENT_LIST_DIR}/TextLanguageList.cpp ${CMAKE_CURRENT_LIST_DIR}/TextLanguageList.h
)
target_include_directories(photosearch_ui PUBLIC ${CMAKE_CURRENT_LIST_DIR})
