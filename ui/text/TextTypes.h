#pragma once
// The text pass's values (index/text/TextPass.h) as queued-signal arguments:
// they cross from the text thread to the GUI thread.

#include "TextPass.h"

#include <QMetaType>

Q_DECLARE_METATYPE(photosearch::TextPassOptions)
Q_DECLARE_METATYPE(photosearch::TextPassProgress)
Q_DECLARE_METATYPE(photosearch::TextPassSummary)
