#include "scan/pdf_out.hpp"

#include <zlib.h>

#include <cstdio>
#include <stdexcept>

namespace chidoan::scan::pdf_out {
namespace {

std::string deflate(const std::string& in) {
  uLongf size = compressBound(in.size());
  std::string out(size, '\0');
  if (compress2(reinterpret_cast<Bytef*>(out.data()), &size, reinterpret_cast<const Bytef*>(in.data()), in.size(), 9) != Z_OK)
    throw std::runtime_error("zlib compress2 failed");
  out.resize(size);
  return out;
}

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  std::string s = buf;
  while (s.size() > 1 && s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  if (s == "-0") s = "0";
  return s;
}

// Decodes one UTF-8 code point at `i`; U+FFFD for a bad sequence (advancing one byte).
char32_t next_code_point(const std::string& s, size_t& i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = byte(i);
  int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
  if (len == 0 || i + len > s.size()) {
    ++i;
    return 0xFFFD;
  }
  char32_t cp = len == 1 ? c : c & (0x7F >> len);
  for (int k = 1; k < len; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) {
      ++i;
      return 0xFFFD;
    }
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  i += len;
  return cp;
}

constexpr const char* kToUnicode =
    "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
    "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
    "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
    "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
    "1 beginbfrange\n<0000> <FFFF> <0000>\nendbfrange\n"
    "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";

// The width of every glyph of the font, in 1/1000 of the font size (the /DW of the CIDFont).
constexpr double kGlyphWidth = 500;

class Writer {
 public:
  int reserve() {
    offsets_.push_back(0);
    return static_cast<int>(offsets_.size());
  }
  void object(int id, const std::string& body) {
    offsets_[id - 1] = out_.size();
    out_ += std::to_string(id) + " 0 obj\n" + body + "\nendobj\n";
  }
  void stream(int id, std::string dict, const std::string& data) {
    offsets_[id - 1] = out_.size();
    out_ += std::to_string(id) + " 0 obj\n<< " + dict + " /Length " + std::to_string(data.size()) + " >>\nstream\n";
    out_ += data;
    out_ += "\nendstream\nendobj\n";
  }
  std::string finish(int root, int info) {
    size_t xref = out_.size();
    out_ += "xref\n0 " + std::to_string(offsets_.size() + 1) + "\n0000000000 65535 f \n";
    char line[32];
    for (size_t off : offsets_) {
      std::snprintf(line, sizeof line, "%010zu 00000 n \n", off);
      out_ += line;
    }
    out_ += "trailer\n<< /Size " + std::to_string(offsets_.size() + 1) + " /Root " + ref(root) + " /Info " + ref(info) +
            " >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
    return std::move(out_);
  }
  static std::string ref(int id) { return std::to_string(id) + " 0 R"; }
  std::string out_ = "%PDF-1.5\n%\xE2\xE3\xCF\xD3\n";

 private:
  std::vector<size_t> offsets_;
};

std::string image_dict(const Image& img) {
  std::string d = "/Type /XObject /Subtype /Image /Width " + std::to_string(img.width) + " /Height " +
                  std::to_string(img.height);
  if (img.filter == Image::Filter::g4) {
    d += " /ColorSpace /DeviceGray /BitsPerComponent 1 /Filter /CCITTFaxDecode /DecodeParms << /K -1 /Columns " +
         std::to_string(img.width) + " /Rows " + std::to_string(img.height) + " >>";
  } else {
    d += std::string(" /ColorSpace ") + (img.components == 3 ? "/DeviceRGB" : "/DeviceGray") +
         " /BitsPerComponent 8 /Filter /DCTDecode";
  }
  return d;
}

std::string content(const Page& page) {
  std::string c = "q " + num(page.width) + " 0 0 " + num(page.height) + " 0 0 cm /Im0 Do Q\n";
  if (page.words.empty()) return c;
  c += "BT\n3 Tr\n";
  for (const Word& w : page.words) {
    std::string text = w.text + (w.space_after ? " " : "");
    std::string hex = utf16be_hex(text);
    size_t units = hex.size() / 4;
    if (units == 0 || w.height <= 0) continue;
    double size = w.height;
    double natural = static_cast<double>(units) * kGlyphWidth / 1000.0 * size;
    double scale = 100.0 * w.width / natural;
    c += "/F0 " + num(size) + " Tf " + num(scale) + " Tz 1 0 0 1 " + num(w.x) + " " + num(page.height - w.baseline) +
         " Tm <" + hex + "> Tj\n";
  }
  c += "ET\n";
  return c;
}

std::string text_string(const std::string& utf8) { return "<FEFF" + utf16be_hex(utf8) + ">"; }

}  // namespace

std::string utf16be_hex(const std::string& utf8) {
  static const char* digits = "0123456789ABCDEF";
  std::string out;
  auto unit = [&](unsigned u) {
    for (int shift = 12; shift >= 0; shift -= 4) out += digits[(u >> shift) & 0xF];
  };
  for (size_t i = 0; i < utf8.size();) {
    char32_t cp = next_code_point(utf8, i);
    if (cp >= 0x10000) {
      cp -= 0x10000;
      unit(0xD800 + (cp >> 10));
      unit(0xDC00 + (cp & 0x3FF));
    } else {
      unit(static_cast<unsigned>(cp));
    }
  }
  return out;
}

std::string write(const std::vector<Page>& pages, const Metadata& meta, const std::string& font) {
  Writer w;
  int catalog = w.reserve(), info = w.reserve(), tree = w.reserve();
  int type0 = w.reserve(), cidfont = w.reserve(), descriptor = w.reserve(), font_file = w.reserve(),
      to_unicode = w.reserve(), cid_to_gid = w.reserve();

  std::vector<int> page_ids;
  std::string kids;
  for (size_t i = 0; i < pages.size(); ++i) {
    page_ids.push_back(w.reserve());
    kids += (i ? " " : "") + Writer::ref(page_ids.back());
  }
  w.object(catalog, "<< /Type /Catalog /Pages " + Writer::ref(tree) + " /Lang " + text_string(meta.lang) + " >>");
  std::string info_dict = "<< /Producer " + text_string(meta.producer);
  if (!meta.title.empty()) info_dict += " /Title " + text_string(meta.title);
  if (!meta.created.empty()) info_dict += " /CreationDate (" + meta.created + ")";
  w.object(info, info_dict + " >>");
  w.object(tree, "<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(pages.size()) + " >>");

  w.object(type0, "<< /Type /Font /Subtype /Type0 /BaseFont /GlyphLessFont /Encoding /Identity-H /DescendantFonts [" +
                      Writer::ref(cidfont) + "] /ToUnicode " + Writer::ref(to_unicode) + " >>");
  w.object(cidfont, "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /GlyphLessFont /CIDSystemInfo << /Registry "
                    "(Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor " +
                        Writer::ref(descriptor) + " /CIDToGIDMap " + Writer::ref(cid_to_gid) + " /DW " +
                        num(kGlyphWidth) + " >>");
  w.object(descriptor, "<< /Type /FontDescriptor /FontName /GlyphLessFont /Flags 5 /FontBBox [0 0 " + num(kGlyphWidth) +
                           " 1000] /ItalicAngle 0 /Ascent 1000 /Descent 0 /CapHeight 1000 /StemV 80 /FontFile2 " +
                           Writer::ref(font_file) + " >>");
  w.stream(font_file, "/Length1 " + std::to_string(font.size()) + " /Filter /FlateDecode", deflate(font));
  w.stream(to_unicode, "/Filter /FlateDecode", deflate(kToUnicode));
  // Every code maps to glyph 1, the font's empty glyph.
  std::string map(2 * 65536, '\0');
  for (size_t i = 1; i < map.size(); i += 2) map[i] = 1;
  w.stream(cid_to_gid, "/Filter /FlateDecode", deflate(map));

  for (size_t i = 0; i < pages.size(); ++i) {
    const Page& p = pages[i];
    int image = w.reserve(), contents = w.reserve();
    w.object(page_ids[i], "<< /Type /Page /Parent " + Writer::ref(tree) + " /MediaBox [0 0 " + num(p.width) + " " +
                              num(p.height) + "] /Resources << /XObject << /Im0 " + Writer::ref(image) +
                              " >> /Font << /F0 " + Writer::ref(type0) + " >> >> /Contents " + Writer::ref(contents) +
                              " >>");
    w.stream(image, image_dict(p.image), p.image.data);
    w.stream(contents, "/Filter /FlateDecode", deflate(content(p)));
  }
  return w.finish(catalog, info);
}

}  // namespace chidoan::scan::pdf_out
