// Ownership of leptonica images: PixPtr frees with pixDestroy.
#pragma once

#include <leptonica/allheaders.h>

#include <memory>

namespace chidoan::scan {

struct PixDeleter {
  void operator()(PIX* p) const { pixDestroy(&p); }
};
using PixPtr = std::unique_ptr<PIX, PixDeleter>;

inline PixPtr own(PIX* p) { return PixPtr(p); }

}  // namespace chidoan::scan
