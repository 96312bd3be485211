#include "scan/input.hpp"

#include <qpdf/QPDF.hh>
#include <qpdf/QPDFExc.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFPageObjectHelper.hh>
#include <qpdf/Pipeline.hh>

#include <cstring>
#include <set>

#include "platform/core/sniff.hpp"

namespace chidoan::scan::input {
namespace {

const l_uint8* bytes_of(const std::string& s) { return reinterpret_cast<const l_uint8*>(s.data()); }

std::unexpected<Error> refuse(const std::string& name, const std::string& message) {
  return fail(ErrorKind::invalid, message, name);
}

std::string quoted(const std::string& name) { return "\"" + name + "\""; }

Result<void> check_size(const std::string& name, int w, int h) {
  if (w <= 0 || h <= 0) return refuse(name, "Ảnh " + quoted(name) + " không có kích thước hợp lệ");
  if (static_cast<int64_t>(w) * h > kMaxPixels || w > 30000 || h > 30000)
    return refuse(name, "Ảnh " + quoted(name) + " quá lớn: " + std::to_string(w) + " × " + std::to_string(h) +
                            " điểm ảnh (tối đa " + std::to_string(kMaxPixels / 1'000'000) + " triệu điểm ảnh một trang)");
  return {};
}

// ---- PDF ------------------------------------------------------------------------------------

// Collects a decoded stream up to `limit` bytes; beyond, it stops (and tells qpdf to stop):
// a small compressed stream may inflate to gigabytes.
class Capped : public Pipeline {
 public:
  explicit Capped(size_t limit) : Pipeline("capped", nullptr), limit_(limit) {}
  void write(unsigned char const* data, size_t len) override {
    if (over || out.size() + len > limit_) {
      over = true;
      throw std::length_error("stream larger than declared");
    }
    out.append(reinterpret_cast<const char*>(data), len);
  }
  void finish() override {}
  std::string out;
  bool over = false;

 private:
  size_t limit_;
};

// A page's content streams together (text and drawing operators) are small; 4 MB is generous.
constexpr size_t kMaxContentBytes = 4 * 1024 * 1024;

// What a page's content stream does: the operators that paint, and whether text is visible.
struct ContentCheck : QPDFObjectHandle::ParserCallbacks {
  int images = 0;
  bool vector = false;
  bool visible_text = false;
  int render_mode = 0;
  double last_number = 0;
  void handleObject(QPDFObjectHandle o) override {
    if (o.isNumber()) {
      last_number = o.getNumericValue();
      return;
    }
    if (!o.isOperator()) return;
    static const std::set<std::string> paint = {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh", "BI", "d0", "d1"};
    static const std::set<std::string> show = {"Tj", "TJ", "'", "\""};
    std::string op = o.getOperatorValue();
    if (op == "Do") ++images;
    else if (op == "Tr") render_mode = static_cast<int>(last_number);
    else if (paint.count(op)) vector = true;
    else if (show.count(op) && render_mode != 3) visible_text = true;
  }
  void handleEOF() override {}
};

std::string filter_of(QPDFObjectHandle dict) {
  QPDFObjectHandle f = dict.getKey("/Filter");
  if (f.isName()) return f.getName();
  if (f.isArray() && f.getArrayNItems() == 1 && f.getArrayItem(0).isName()) return f.getArrayItem(0).getName();
  if (f.isArray() && f.getArrayNItems() > 1) return "chain";
  return "";
}

QPDFObjectHandle parms_of(QPDFObjectHandle dict) {
  QPDFObjectHandle p = dict.getKey("/DecodeParms");
  if (p.isArray() && p.getArrayNItems() == 1) p = p.getArrayItem(0);
  return p.isDictionary() ? p : QPDFObjectHandle::newDictionary();
}

int int_key(QPDFObjectHandle dict, const char* key, int otherwise) {
  QPDFObjectHandle v = dict.getKey(key);
  return v.isInteger() ? v.getIntValueAsInt() : otherwise;
}

Result<std::vector<Source>> pdf_pages(const Input& in, size_t index) {
  std::vector<Source> out;
  try {
    QPDF pdf;
    pdf.setSuppressWarnings(true);
    pdf.processMemoryFile(in.name.c_str(), in.bytes.data(), in.bytes.size());
    if (pdf.isEncrypted())
      return refuse(in.name, "Tệp PDF " + quoted(in.name) + " được mã hoá hoặc đặt mật khẩu: hãy gỡ bảo vệ rồi gửi lại");
    auto pages = QPDFPageDocumentHelper(pdf).getAllPages();
    if (pages.empty()) return refuse(in.name, "Tệp PDF " + quoted(in.name) + " không có trang nào");
    int n = 0;
    for (auto& page : pages) {
      ++n;
      std::string where = "Trang " + std::to_string(n) + " của " + quoted(in.name);
      Capped contents(kMaxContentBytes);
      try {
        page.pipeContents(&contents);
      } catch (const std::length_error&) {
      }
      if (contents.over) return refuse(in.name, where + " có nội dung quá lớn, không phải một ảnh quét");
      ContentCheck check;
      page.parseContents(&check);
      auto images = page.getImages();
      if (check.vector || check.visible_text || check.images != 1 || images.size() != 1)
        return refuse(in.name, where + " không phải một ảnh quét (có chữ, hình vẽ dạng vector hoặc nhiều ảnh): chỉ nhận PDF gồm ảnh quét");
      QPDFObjectHandle img = images.begin()->second;
      QPDFObjectHandle dict = img.getDict();
      Source s;
      s.name = in.name + "#" + std::to_string(n);
      s.input = index;
      s.rotation = in.rotation;
      s.width = int_key(dict, "/Width", 0);
      s.height = int_key(dict, "/Height", 0);
      CHIDOAN_TRY_VOID(check_size(s.name, s.width, s.height));
      if (dict.getKey("/ImageMask").isBool() && dict.getKey("/ImageMask").getBoolValue())
        return refuse(in.name, where + " dùng ảnh mặt nạ (image mask), chưa hỗ trợ");
      QPDFObjectHandle::Rectangle box = page.getMediaBox().getArrayAsRectangle();
      double width_pt = box.urx - box.llx;
      if (width_pt > 0) s.dpi = static_cast<int>(s.width * 72.0 / width_pt + 0.5);
      int rotate = int_key(page.getObjectHandle(), "/Rotate", 0);
      s.rotation = ((s.rotation + rotate) % 360 + 360) % 360;
      std::string filter = filter_of(dict);
      QPDFObjectHandle cs = dict.getKey("/ColorSpace");
      std::string space = cs.isName() ? cs.getName() : "";
      s.bpc = int_key(dict, "/BitsPerComponent", 8);
      QPDFObjectHandle decode = dict.getKey("/Decode");
      s.inverted = decode.isArray() && decode.getArrayNItems() >= 2 && decode.getArrayItem(0).getNumericValue() > 0.5;
      if (filter == "/DCTDecode") {
        s.kind = Source::Kind::pdf_jpeg;
        auto raw = img.getRawStreamData();
        s.data.assign(reinterpret_cast<const char*>(raw->getBuffer()), raw->getSize());
        // Decoded at the size its own header says: that must be the size the PDF declares.
        l_int32 jw = 0, jh = 0, spp = 0, ycck = 0, cmyk = 0;
        if (readHeaderMemJpeg(bytes_of(s.data), s.data.size(), &jw, &jh, &spp, &ycck, &cmyk) != 0 || jw != s.width || jh != s.height)
          return refuse(in.name, where + ": ảnh JPEG bên trong bị hỏng hoặc khác kích thước khai báo");
      } else if (filter == "/CCITTFaxDecode") {
        QPDFObjectHandle parms = parms_of(dict);
        if (int_key(parms, "/K", 0) >= 0)
          return refuse(in.name, where + " nén CCITT nhóm 3, chưa hỗ trợ (chỉ nhận nhóm 4)");
        s.kind = Source::Kind::pdf_g4;
        bool black_is_1 = parms.getKey("/BlackIs1").isBool() && parms.getKey("/BlackIs1").getBoolValue();
        s.black_is_black = black_is_1 == s.inverted;
        auto raw = img.getRawStreamData();
        s.data.assign(reinterpret_cast<const char*>(raw->getBuffer()), raw->getSize());
      } else if (filter.empty() || filter == "/FlateDecode" || filter == "/LZWDecode" || filter == "/RunLengthDecode") {
        if (space == "/DeviceGray" || space == "/CalGray") s.components = 1;
        else if (space == "/DeviceRGB" || space == "/CalRGB") s.components = 3;
        else return refuse(in.name, where + " dùng không gian màu chưa hỗ trợ");
        if (!(s.bpc == 8 || (s.bpc == 1 && s.components == 1)))
          return refuse(in.name, where + " có " + std::to_string(s.bpc) + " bit mỗi thành phần màu, chưa hỗ trợ");
        s.kind = Source::Kind::pdf_raw;
        size_t row = s.bpc == 1 ? (static_cast<size_t>(s.width) + 7) / 8 : static_cast<size_t>(s.width) * s.components;
        // Decoded through a cap at the declared size (and a little slack for padding).
        Capped data(row * static_cast<size_t>(s.height) + 4096);
        bool ok = false;
        try {
          ok = img.pipeStreamData(&data, nullptr, 0, qpdf_dl_generalized, true, false);
        } catch (const std::length_error&) {
        }
        if (data.over) return refuse(in.name, where + ": dữ liệu ảnh lớn hơn kích thước khai báo");
        s.data = std::move(data.out);
        if (!ok || s.data.size() < row * static_cast<size_t>(s.height))
          return refuse(in.name, where + ": dữ liệu ảnh bị thiếu (tệp hỏng)");
      } else {
        return refuse(in.name, where + " nén ảnh kiểu " + filter.substr(filter.empty() ? 0 : 1) + ", chưa hỗ trợ");
      }
      out.push_back(std::move(s));
    }
  } catch (const QPDFExc& e) {
    if (e.getErrorCode() == qpdf_e_password)
      return refuse(in.name, "Tệp PDF " + quoted(in.name) + " được mã hoá hoặc đặt mật khẩu: hãy gỡ bảo vệ rồi gửi lại");
    return refuse(in.name, "Tệp PDF " + quoted(in.name) + " bị hỏng, không đọc được");
  } catch (const std::exception&) {
    return refuse(in.name, "Tệp PDF " + quoted(in.name) + " bị hỏng, không đọc được");
  }
  return out;
}

// A little-endian TIFF around one CCITT G4 strip, so leptonica (libtiff) decodes it.
std::string g4_tiff(const Source& s) {
  std::string t = "II*";
  t += '\0';
  auto u16 = [&](unsigned v) {
    t += static_cast<char>(v & 0xFF);
    t += static_cast<char>((v >> 8) & 0xFF);
  };
  auto u32 = [&](uint32_t v) {
    for (int i = 0; i < 4; ++i) t += static_cast<char>((v >> (8 * i)) & 0xFF);
  };
  u32(8);
  const unsigned entries = 10;
  const uint32_t data_at = 8 + 2 + entries * 12 + 4;
  u16(entries);
  auto entry = [&](unsigned tag, unsigned type, uint32_t value) {
    u16(tag);
    u16(type);
    u32(1);
    if (type == 3) {
      u16(value);
      u16(0);
    } else {
      u32(value);
    }
  };
  entry(256, 4, s.width);
  entry(257, 4, s.height);
  entry(258, 3, 1);
  entry(259, 3, 4);                         // CCITT T.6
  entry(262, 3, s.black_is_black ? 0 : 1);  // WhiteIsZero: black runs print black
  entry(273, 4, data_at);
  entry(277, 3, 1);
  entry(278, 4, s.height);
  entry(279, 4, static_cast<uint32_t>(s.data.size()));
  entry(293, 4, 0);
  u32(0);
  t += s.data;
  return t;
}

PixPtr raw_pix(const Source& s) {
  PixPtr pix = own(pixCreate(s.width, s.height, s.bpc == 1 ? 1 : s.components == 3 ? 32 : 8));
  if (!pix) return nullptr;
  const auto* src = reinterpret_cast<const unsigned char*>(s.data.data());
  for (int y = 0; y < s.height; ++y) {
    l_uint32* line = pixGetData(pix.get()) + static_cast<size_t>(y) * pixGetWpl(pix.get());
    if (s.bpc == 1) {
      const unsigned char* row = src + static_cast<size_t>(y) * ((s.width + 7) / 8);
      for (int x = 0; x < s.width; ++x) {
        bool bit = (row[x / 8] >> (7 - x % 8)) & 1;
        // DeviceGray 1-bit: 0 is black; leptonica 1-bit: 1 is black.
        if (bit == s.inverted) SET_DATA_BIT(line, x);
      }
    } else if (s.components == 1) {
      const unsigned char* row = src + static_cast<size_t>(y) * s.width;
      for (int x = 0; x < s.width; ++x) SET_DATA_BYTE(line, x, s.inverted ? 255 - row[x] : row[x]);
    } else {
      const unsigned char* row = src + static_cast<size_t>(y) * s.width * 3;
      for (int x = 0; x < s.width; ++x) {
        l_uint32 px = 0;
        composeRGBPixel(row[3 * x], row[3 * x + 1], row[3 * x + 2], &px);
        line[x] = px;
      }
    }
  }
  return pix;
}

PixPtr read_jpeg(const std::string& data) {
  l_int32 warnings = 0;
  return own(pixReadMemJpeg(bytes_of(data), data.size(), 0, 1, &warnings, 0));  // hint 0: damaged data fails
}

// 8-bit gray, 32-bit RGB or 1-bit, without colormap or alpha.
PixPtr canonical(PixPtr pix) {
  if (!pix) return pix;
  if (pixGetColormap(pix.get())) pix = own(pixRemoveColormap(pix.get(), REMOVE_CMAP_BASED_ON_SRC));
  if (!pix) return pix;
  int d = pixGetDepth(pix.get());
  if (d == 1 || d == 8) return pix;
  if (d == 32) {
    if (pixGetSpp(pix.get()) == 4) {
      PixPtr flat = own(pixAlphaBlendUniform(pix.get(), 0xffffff00));
      if (flat) pixSetSpp(flat.get(), 3);
      return flat;
    }
    return pix;
  }
  if (d == 16) return own(pixConvert16To8(pix.get(), L_MS_BYTE));
  return own(pixConvertTo8(pix.get(), 0));
}

}  // namespace

Format sniff(std::string_view b) {
  auto type = sniff_type(b);
  if (type == "image/jpeg") return Format::jpeg;
  if (type == "image/png") return Format::png;
  if (type == "image/tiff") return Format::tiff;
  if (type == "application/pdf") return Format::pdf;
  return Format::unknown;
}

Result<std::vector<Source>> pages_of(const Input& in, size_t index) {
  if (in.bytes.empty()) return refuse(in.name, "Tệp " + quoted(in.name) + " rỗng (0 byte)");
  Format f = sniff(in.bytes);
  if (f == Format::unknown)
    return refuse(in.name, "Tệp " + quoted(in.name) + " không phải ảnh JPEG, PNG, TIFF hay tệp PDF");
  if (f == Format::pdf) return pdf_pages(in, index);
  std::vector<Source> out;
  auto add = [&](int subpage, int w, int h, const std::string& name) -> Result<void> {
    CHIDOAN_TRY_VOID(check_size(name, w, h));
    Source s;
    s.name = name;
    s.input = index;
    s.subpage = subpage;
    s.width = w;
    s.height = h;
    s.rotation = in.rotation;
    out.push_back(std::move(s));
    return {};
  };
  l_int32 w = 0, h = 0, bps = 0, spp = 0, cmap = 0, res = 0, format = 0;
  if (f == Format::jpeg) {
    // The image ends with EOI after its last scan (a marker that cannot occur inside the
    // entropy-coded data): a truncated file is refused here, before libjpeg sees it.
    size_t sos = in.bytes.rfind("\xFF\xDA");
    if (sos == std::string::npos || in.bytes.find("\xFF\xD9", sos) == std::string::npos)
      return refuse(in.name, "Ảnh JPEG " + quoted(in.name) + " bị hỏng hoặc không trọn vẹn (thiếu phần cuối)");
    l_int32 ycck = 0, cmyk = 0;
    if (readHeaderMemJpeg(bytes_of(in.bytes), in.bytes.size(), &w, &h, &spp, &ycck, &cmyk) != 0)
      return refuse(in.name, "Ảnh JPEG " + quoted(in.name) + " bị hỏng, không đọc được");
    CHIDOAN_TRY_VOID(add(0, w, h, in.name));
  } else if (f == Format::png) {
    if (in.bytes.size() < 33) return refuse(in.name, "Ảnh PNG " + quoted(in.name) + " bị hỏng hoặc không trọn vẹn");
    // The IHDR chunk, read by hand: leptonica's reader refuses huge sizes with a generic error.
    auto be32 = [&](size_t at) {
      const auto* p = bytes_of(in.bytes) + at;
      return static_cast<int64_t>(p[0]) << 24 | p[1] << 16 | p[2] << 8 | p[3];
    };
    if (in.bytes.compare(12, 4, "IHDR") != 0) return refuse(in.name, "Ảnh PNG " + quoted(in.name) + " bị hỏng");
    const bool complete = in.bytes.find("IEND", in.bytes.size() >= 12 ? in.bytes.size() - 12 : 0) != std::string::npos;
    int64_t pw = be32(16), ph = be32(20);
    if (pw > 30000 || ph > 30000) {
      return refuse(in.name, "Ảnh " + quoted(in.name) + " quá lớn: " + std::to_string(pw) + " × " + std::to_string(ph) +
                                 " điểm ảnh (tối đa " + std::to_string(kMaxPixels / 1'000'000) + " triệu điểm ảnh một trang)");
    }
    if (!complete) return refuse(in.name, "Ảnh PNG " + quoted(in.name) + " bị hỏng hoặc không trọn vẹn (thiếu phần cuối)");
    CHIDOAN_TRY_VOID(add(0, static_cast<int>(pw), static_cast<int>(ph), in.name));
  } else {
    for (int n = 0; n < 1000; ++n) {
      if (readHeaderMemTiff(bytes_of(in.bytes), in.bytes.size(), n, &w, &h, &bps, &spp, &res, &cmap, &format) != 0) break;
      CHIDOAN_TRY_VOID(add(n, w, h, n == 0 ? in.name : in.name + "#" + std::to_string(n + 1)));
    }
    if (out.empty()) return refuse(in.name, "Ảnh TIFF " + quoted(in.name) + " bị hỏng, không đọc được");
    if (out.size() > 1) out[0].name = in.name + "#1";
  }
  return out;
}

Result<PixPtr> decode(const Input& in, const Source& s) {
  PixPtr pix;
  switch (s.kind) {
    case Source::Kind::file:
      switch (sniff(in.bytes)) {
        case Format::jpeg: pix = read_jpeg(in.bytes); break;
        case Format::png: pix = own(pixReadMemPng(bytes_of(in.bytes), in.bytes.size())); break;
        case Format::tiff: pix = own(pixReadMemTiff(bytes_of(in.bytes), in.bytes.size(), s.subpage)); break;
        default: break;
      }
      break;
    case Source::Kind::pdf_jpeg: pix = read_jpeg(s.data); break;
    case Source::Kind::pdf_g4: {
      std::string tiff = g4_tiff(s);
      pix = own(pixReadMemTiff(bytes_of(tiff), tiff.size(), 0));
      break;
    }
    case Source::Kind::pdf_raw: pix = raw_pix(s); break;
  }
  if (!pix || pixGetWidth(pix.get()) != s.width || pixGetHeight(pix.get()) != s.height)
    return refuse(in.name, "Ảnh " + quoted(s.name) + " bị hỏng hoặc không trọn vẹn, không đọc được");
  pix = canonical(std::move(pix));
  if (!pix) return refuse(in.name, "Ảnh " + quoted(s.name) + " có định dạng màu chưa hỗ trợ");
  if (s.dpi > 0) pixSetResolution(pix.get(), s.dpi, s.dpi);
  return pix;
}

}  // namespace chidoan::scan::input
