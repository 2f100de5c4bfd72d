#pragma once
// Words the sidebar room shares between its list (LibrarySidebar) and the
// messages about album edits (BrowseWorker), so both count photos alike.
//
// Thread rule: pure functions; any thread (translation is thread-safe).

#include <QString>

namespace photosearch {

// "1 photo", "12 photos".
QString photosText(qint64 n);

} // namespace photosearch
