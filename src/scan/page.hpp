// One page through the image pipeline (leptonica), before OCR and encoding:
//
//   1. a person's quarter turns;
//   2. background normalisation: the paper's own shade, shadows and lighting become white
//      (pixBackgroundNorm, then a gamma map to white), colour casts go with it;
//   3. orientation: tesseract OSD on the bi-level page (when no person turned it), confident
//      answers only;
//   4. deskew: the skew of the text lines (leptonica's sweep and binary search over ±7°) is
//      rotated away with area mapping, bringing in white;
//   5. borders: dark regions touching the image edge (a scanner's lid, the desk under a phone
//      photo, the shadow of the book's spine) are whitened;
//   6. classification: colour when enough saturated pixels, gray when many mid-tones remain
//      (photos, stamps in gray, ID cards), else bi-level text;
//   7. the bi-level image for OCR (and for the PDF of text pages), without specks.
#pragma once

#include <functional>
#include <string>

#include "scan/engine.hpp"
#include "scan/pix.hpp"

namespace chidoan::scan::page {

struct Cleaned {
  PixPtr bilevel;     // 1 bpp, for OCR and for bi-level pages
  PixPtr tone;        // 8 or 32 bpp, for gray and colour pages (null for bi-level)
  PageKind kind = PageKind::bilevel;
  int turned = 0;     // degrees clockwise applied
  double skew = 0;    // degrees
  bool blank = false;
};

// Returns the orientation of a bi-level page as degrees clockwise to turn it upright (0, 90,
// 180, 270), or 0 when unsure. Supplied by the OCR worker (tesseract OSD).
using Orient = std::function<int(PIX* bilevel, int dpi)>;

// `dpi` is the page's resolution; `auto_orient` false keeps the orientation as given.
Cleaned clean(PixPtr pix, int dpi, int user_turn, bool auto_orient, const Orient& orient);

// The sheet of paper in a photo: the bounding box of the largest bright region of the image,
// when it covers 30% to 97% of it and has a clearly darker surround (a desk, a table).
// Returns null when there is no such sheet (a scanner's image, a photo filled by the page).
PixPtr crop_to_paper(PIX* pix);

// Turns a page by quarter turns clockwise.
PixPtr turn(PIX* pix, int degrees);

}  // namespace chidoan::scan::page
