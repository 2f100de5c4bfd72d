# The sidebar room: library folders, auto-albums, the person's albums and
# near-duplicate groups (LibrarySidebar), the browse thread behind it
# (LibraryBrowser, BrowseWorker), and album marking from the grid (AlbumActions).
target_sources(photosearch_ui PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/AlbumActions.cpp ${CMAKE_CURRENT_LIST_DIR}/AlbumActions.h
  ${CMAKE_CURRENT_LIST_DIR}/AlbumPrompts.cpp ${CMAKE_CURRENT_LIST_DIR}/AlbumPrompts.h
  ${CMAKE_CURRENT_LIST_DIR}/BrowseWorker.cpp ${CMAKE_CURRENT_LIST_DIR}/BrowseWorker.h
  ${CMAKE_CURRENT_LIST_DIR}/CollectionReader.cpp ${CMAKE_CURRENT_LIST_DIR}/CollectionReader.h
  ${CMAKE_CURRENT_LIST_DIR}/LibraryBrowser.cpp ${CMAKE_CURRENT_LIST_DIR}/LibraryBrowser.h
  ${CMAKE_CURRENT_LIST_DIR}/LibraryFolders.cpp ${CMAKE_CURRENT_LIST_DIR}/LibraryFolders.h
  ${CMAKE_CURRENT_LIST_DIR}/LibrarySidebar.cpp ${CMAKE_CURRENT_LIST_DIR}/LibrarySidebar.h
  ${CMAKE_CURRENT_LIST_DIR}/SidebarDelegate.cpp ${CMAKE_CURRENT_LIST_DIR}/SidebarDelegate.h
  ${CMAKE_CURRENT_LIST_DIR}/SidebarText.cpp ${CMAKE_CURRENT_LIST_DIR}/SidebarText.h
  ${CMAKE_CURRENT_LIST_DIR}/SidebarTypes.h
)
target_include_directories(photosearch_ui PUBLIC ${CMAKE_CURRENT_LIST_DIR})
