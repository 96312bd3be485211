#include "scan/page.hpp"

#include <algorithm>
#include <cmath>

namespace chidoan::scan::page {
namespace {

constexpr int kThreshold = 150;  // after normalisation: background 255, ink near 0

PixPtr to_gray(PIX* pix) {
  return own(pixGetDepth(pix) == 32 ? pixConvertRGBToLuminance(pix) : pixClone(pix));
}

PixPtr binarize(PIX* tone) {
  PixPtr gray = to_gray(tone);
  return own(pixThresholdToBinary(gray.get(), kThreshold));
}

// Whitens what touches the image's edge: the dark border of a scanner lid or of the desk.
void whiten_borders(PixPtr& bilevel, PixPtr& tone) {
  PixPtr border = own(pixExtractBorderConnComps(bilevel.get(), 8));
  if (!border) return;
  l_int32 count = 0;
  pixCountPixels(border.get(), &count, nullptr);
  if (count == 0) return;
  PixPtr rest = own(pixSubtract(nullptr, bilevel.get(), border.get()));
  if (rest) bilevel = std::move(rest);
  if (tone) {
    PixPtr mask = own(pixDilateBrick(nullptr, border.get(), 7, 7));
    pixSetMasked(tone.get(), mask.get(), pixGetDepth(tone.get()) == 32 ? 0xffffff00 : 255);
  }
}

PageKind classify(PIX* tone, PIX* bilevel) {
  const double area = static_cast<double>(pixGetWidth(tone)) * pixGetHeight(tone);
  if (pixGetDepth(tone) == 32) {
    l_float32 mid = 0, colour = 0;
    if (pixColorFraction(tone, 40, 230, 60, 4, &mid, &colour) == 0 && mid * colour > 0.004) return PageKind::color;
  }
  // Mid-tones that are not the anti-aliased edges of ink: photos, gray stamps, ID cards.
  PixPtr gray = to_gray(tone);
  NUMA* hist = pixGetGrayHistogram(gray.get(), 2);
  if (!hist) return PageKind::bilevel;
  double mid = 0, sampled = 0;
  for (int v = 0; v < 256; ++v) {
    l_float32 n = 0;
    numaGetFValue(hist, v, &n);
    sampled += n;
    if (v >= 70 && v < 200) mid += n;
  }
  numaDestroy(&hist);
  l_int32 ink = 0;
  pixCountPixels(bilevel, &ink, nullptr);
  double mid_fraction = sampled > 0 ? mid / sampled : 0;
  double ink_fraction = ink / area;
  return mid_fraction > 0.06 && mid_fraction > 1.5 * ink_fraction ? PageKind::gray : PageKind::bilevel;
}

}  // namespace

PixPtr crop_to_paper(PIX* pix) {
  if (pixGetDepth(pix) == 1) return nullptr;
  PixPtr gray = to_gray(pix);
  const int w = pixGetWidth(gray.get()), h = pixGetHeight(gray.get());
  const l_float32 factor = std::min(1.0f, 512.0f / std::max(w, h));
  PixPtr small = own(pixScale(gray.get(), factor, factor));
  if (!small) return nullptr;
  l_int32 threshold = 0, fg = 0, bg = 0;
  if (pixSplitDistributionFgBg(small.get(), 0.1f, 1, &threshold, &fg, &bg, nullptr) != 0 || bg - fg < 40) return nullptr;
  // Bright (paper) as foreground, text holes closed so the sheet is one region.
  PixPtr dark = own(pixThresholdToBinary(small.get(), threshold));
  if (!dark) return nullptr;
  PixPtr paper = own(pixInvert(nullptr, dark.get()));
  PixPtr closed = own(pixCloseBrick(nullptr, paper.get(), 9, 9));
  BOXA* boxes = pixConnComp(closed.get(), nullptr, 8);
  if (!boxes) return nullptr;
  BOX* best = nullptr;
  int64_t best_area = 0;
  for (int i = 0; i < boxaGetCount(boxes); ++i) {
    BOX* b = boxaGetBox(boxes, i, L_CLONE);
    l_int32 bx, by, bw, bh;
    boxGetGeometry(b, &bx, &by, &bw, &bh);
    if (static_cast<int64_t>(bw) * bh > best_area) {
      best_area = static_cast<int64_t>(bw) * bh;
      boxDestroy(&best);
      best = b;
    } else {
      boxDestroy(&b);
    }
  }
  boxaDestroy(&boxes);
  PixPtr out;
  const double area = static_cast<double>(pixGetWidth(small.get())) * pixGetHeight(small.get());
  if (best && best_area >= 0.3 * area && best_area <= 0.97 * area) {
    l_int32 bx, by, bw, bh;
    boxGetGeometry(best, &bx, &by, &bw, &bh);
    BOX* full = boxCreate(static_cast<l_int32>(bx / factor), static_cast<l_int32>(by / factor),
                          static_cast<l_int32>(bw / factor), static_cast<l_int32>(bh / factor));
    out = own(pixClipRectangle(pix, full, nullptr));
    boxDestroy(&full);
  }
  boxDestroy(&best);
  return out;
}

PixPtr turn(PIX* pix, int degrees) {
  int quads = ((degrees / 90) % 4 + 4) % 4;
  return own(quads == 0 ? pixClone(pix) : pixRotateOrth(pix, quads));
}

Cleaned clean(PixPtr pix, int dpi, int user_turn, bool auto_orient, const Orient& orient) {
  Cleaned out;
  if (user_turn % 360 != 0) {
    pix = turn(pix.get(), user_turn);
    out.turned = ((user_turn % 360) + 360) % 360;
  }
  PixPtr tone, bilevel;
  if (pixGetDepth(pix.get()) == 1) {
    bilevel = std::move(pix);
  } else {
    tone = own(pixCleanBackgroundToWhite(pix.get(), nullptr, nullptr, 1.0, 70, 190));
    if (!tone) tone = std::move(pix);
    bilevel = binarize(tone.get());
  }
  whiten_borders(bilevel, tone);

  if (auto_orient && orient) {
    int degrees = orient(bilevel.get(), dpi);
    if (degrees != 0) {
      bilevel = turn(bilevel.get(), degrees);
      if (tone) tone = turn(tone.get(), degrees);
      out.turned = (out.turned + degrees) % 360;
    }
  }

  l_float32 angle = 0, confidence = 0;
  if (pixFindSkew(bilevel.get(), &angle, &confidence) == 0 && confidence >= 2.5 && std::fabs(angle) >= 0.05) {
    const double radians = angle * M_PI / 180.0;
    if (tone) {
      PixPtr straight = own(pixRotate(tone.get(), radians, L_ROTATE_AREA_MAP, L_BRING_IN_WHITE, 0, 0));
      if (straight) {
        tone = std::move(straight);
        bilevel = binarize(tone.get());
        whiten_borders(bilevel, tone);
        out.skew = angle;
      }
    } else {
      PixPtr straight = own(pixRotate(bilevel.get(), radians, L_ROTATE_SHEAR, L_BRING_IN_WHITE, 0, 0));
      if (straight) {
        bilevel = std::move(straight);
        out.skew = angle;
      }
    }
  }

  // Specks smaller than a third of a millimetre go (a dot on an i is larger).
  const int speck = std::max(2, dpi / 90);
  PixPtr clean = own(pixSelectBySize(bilevel.get(), speck, speck, 8, L_SELECT_IF_EITHER, L_SELECT_IF_GTE, nullptr));
  if (clean) bilevel = std::move(clean);

  l_int32 ink = 0;
  pixCountPixels(bilevel.get(), &ink, nullptr);
  const double area = static_cast<double>(pixGetWidth(bilevel.get())) * pixGetHeight(bilevel.get());
  out.blank = ink < area * 0.0002;
  out.kind = tone && !out.blank ? classify(tone.get(), bilevel.get()) : PageKind::bilevel;
  if (out.kind == PageKind::gray && pixGetDepth(tone.get()) == 32) tone = own(pixConvertRGBToLuminance(tone.get()));
  if (out.kind == PageKind::bilevel) tone.reset();
  out.bilevel = std::move(bilevel);
  out.tone = std::move(tone);
  return out;
}

}  // namespace chidoan::scan::page
