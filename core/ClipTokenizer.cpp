#include "ClipTokenizer.h"
