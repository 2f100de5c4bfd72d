#include "ImagePreprocessor.h"
