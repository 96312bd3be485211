#include "scan/test_pages.hpp"

#include <pango/pangocairo.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace chidoan::scan::testing {

PixPtr render(const PageSpec& spec) {
  const int w = static_cast<int>(spec.width_mm / 25.4 * spec.dpi), h = static_cast<int>(spec.height_mm / 25.4 * spec.dpi);
  cairo_surface_t* surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
  cairo_t* cr = cairo_create(surface);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  cairo_scale(cr, spec.dpi / 72.0, spec.dpi / 72.0);
  if (spec.red_stamp) {
    cairo_set_source_rgb(cr, 0.85, 0.1, 0.1);
    cairo_arc(cr, spec.width_mm / 25.4 * 72 * 0.75, spec.height_mm / 25.4 * 72 * 0.5, 40, 0, 2 * M_PI);
    cairo_fill(cr);
  }
  cairo_set_source_rgb(cr, 0, 0, 0);
  PangoLayout* layout = pango_cairo_create_layout(cr);
  PangoFontDescription* font = pango_font_description_from_string("Noto Serif");
  pango_font_description_set_size(font, static_cast<int>(spec.font_pt * PANGO_SCALE));
  pango_layout_set_font_description(layout, font);
  std::string text;
  for (const auto& l : spec.lines) text += (text.empty() ? "" : "\n") + l;
  pango_layout_set_text(layout, text.c_str(), -1);
  cairo_move_to(cr, 36, 36);
  pango_cairo_show_layout(cr, layout);
  pango_font_description_free(font);
  g_object_unref(layout);
  cairo_destroy(cr);
  cairo_surface_flush(surface);

  PixPtr pix = own(pixCreate(w, h, 32));
  const unsigned char* data = cairo_image_surface_get_data(surface);
  const int stride = cairo_image_surface_get_stride(surface);
  for (int y = 0; y < h; ++y) {
    const auto* row = reinterpret_cast<const uint32_t*>(data + static_cast<size_t>(y) * stride);
    l_uint32* line = pixGetData(pix.get()) + static_cast<size_t>(y) * pixGetWpl(pix.get());
    for (int x = 0; x < w; ++x) line[x] = (row[x] & 0xFFFFFF) << 8;
  }
  cairo_surface_destroy(surface);
  pixSetResolution(pix.get(), spec.dpi, spec.dpi);
  if (std::fabs(spec.tilt) > 0) {
    pix = own(pixRotate(pix.get(), spec.tilt * M_PI / 180, L_ROTATE_AREA_MAP, L_BRING_IN_WHITE, 0, 0));
    pixSetResolution(pix.get(), spec.dpi, spec.dpi);
  }
  if (spec.turn % 360) {
    pix = own(pixRotateOrth(pix.get(), (spec.turn / 90) % 4));
    pixSetResolution(pix.get(), spec.dpi, spec.dpi);
  }
  return pix;
}

std::string encode(PIX* pix, Encoding encoding) {
  l_uint8* data = nullptr;
  size_t size = 0;
  int rc = 1;
  switch (encoding) {
    case Encoding::png: rc = pixWriteMemPng(&data, &size, pix, 0); break;
    case Encoding::jpeg: rc = pixWriteMemJpeg(&data, &size, pix, 85, 0); break;
    case Encoding::tiff_g4: {
      PixPtr bin = own(pixGetDepth(pix) == 1 ? pixClone(pix) : pixConvertTo1(pix, 128));
      pixSetResolution(bin.get(), pixGetXRes(pix), pixGetYRes(pix));
      rc = pixWriteMemTiff(&data, &size, bin.get(), IFF_TIFF_G4);
      break;
    }
  }
  if (rc != 0) throw std::runtime_error("encoding a test page failed");
  std::string out(reinterpret_cast<const char*>(data), size);
  lept_free(data);
  return out;
}

std::string page(const PageSpec& spec, Encoding encoding) {
  PixPtr pix = render(spec);
  return encode(pix.get(), encoding);
}

std::string multipage_tiff(const std::vector<PIX*>& pages) {
  PIXA* pixa = pixaCreate(0);
  for (PIX* p : pages) pixaAddPix(pixa, p, L_CLONE);
  l_uint8* data = nullptr;
  size_t size = 0;
  int rc = pixaWriteMemMultipageTiff(&data, &size, pixa);
  pixaDestroy(&pixa);
  if (rc != 0) throw std::runtime_error("writing a multi-page TIFF failed");
  std::string out(reinterpret_cast<const char*>(data), size);
  lept_free(data);
  return out;
}

std::string pdf_text(const std::string& pdf, int page) {
  char path[] = "/tmp/chidoan-scan-test-XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) throw std::runtime_error("mkstemp failed");
  if (write(fd, pdf.data(), pdf.size()) != static_cast<ssize_t>(pdf.size())) throw std::runtime_error("write failed");
  close(fd);
  std::string cmd = "pdftotext -enc UTF-8 ";
  if (page > 0) cmd += "-f " + std::to_string(page) + " -l " + std::to_string(page) + " ";
  cmd += std::string(path) + " - 2>/dev/null";
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  char buf[4096];
  size_t n;
  while (p && (n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  if (p) pclose(p);
  unlink(path);
  return out;
}

}  // namespace chidoan::scan::testing
