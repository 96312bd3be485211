// The pure rules of the help desk's scanned papers: file kinds by their bytes, the refusal of a
// bad file naming it, paper names against the procedure's list, turns, moves, the download's
// file names and the retention.
#include "scan/papers_rules.hpp"

#include <gtest/gtest.h>

namespace chidoan::scan::papers_rules {
namespace {

TEST(PapersRules, FileKindsAreReadFromTheBytesNotTheName) {
  EXPECT_EQ(sniff_mime("\xFF\xD8\xFF\xE0rest"), "image/jpeg");
  EXPECT_EQ(sniff_mime("\x89PNG\r\n\x1A\nrest"), "image/png");
  EXPECT_EQ(sniff_mime(std::string("II*\0rest", 8)), "image/tiff");
  EXPECT_EQ(sniff_mime(std::string("MM\0*rest", 8)), "image/tiff");
  EXPECT_EQ(sniff_mime("%PDF-1.7\n"), "application/pdf");
  EXPECT_EQ(sniff_mime("Xin chào, đây không phải ảnh"), std::nullopt);
  EXPECT_EQ(sniff_mime(""), std::nullopt);
  EXPECT_EQ(sniff_mime("\x89PN"), std::nullopt);  // truncated signature
}

TEST(PapersRules, ABadFileIsRefusedNamingIt) {
  auto empty = check_file("cccd-mat-truoc.jpg", "");
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().field, "pages");
  EXPECT_NE(empty.error().message.find("\"cccd-mat-truoc.jpg\""), std::string::npos);
  EXPECT_NE(empty.error().message.find("rỗng"), std::string::npos);

  auto text = check_file("anh.jpg", "chỉ là chữ");
  ASSERT_FALSE(text);
  EXPECT_EQ(text.error().kind, ErrorKind::invalid);
  EXPECT_NE(text.error().message.find("\"anh.jpg\""), std::string::npos);

  std::string big(static_cast<size_t>(kMaxFileBytes) + 1, '\0');
  big.replace(0, 3, "\xFF\xD8\xFF");
  auto large = check_file("to.jpg", big);
  ASSERT_FALSE(large);
  EXPECT_NE(large.error().message.find("20 MB"), std::string::npos);

  auto ok = check_file("trang-1.png", "\x89PNG\r\n\x1A\n....");
  ASSERT_TRUE(ok);
  EXPECT_EQ(*ok, "image/png");
}

TEST(PapersRules, AnEngineMessageThatNamesTheFileIsKept) {
  Error named = file_error("a.png", "Ảnh \"a.png\" quá lớn");
  EXPECT_EQ(named.message, "Ảnh \"a.png\" quá lớn");
  EXPECT_EQ(named.field, "pages");
  Error unnamed = file_error("a.png", "không đọc được");
  EXPECT_EQ(unnamed.message, "Tệp \"a.png\": không đọc được");
}

TEST(PapersRules, ShownFileNamesDropPathsAndBadText) {
  EXPECT_EQ(shown_file_name("C:\\Users\\me\\Ảnh 1.jpg", 1), "Ảnh 1.jpg");
  EXPECT_EQ(shown_file_name("/tmp/x/trang.png", 1), "trang.png");
  EXPECT_EQ(shown_file_name("", 3), "tệp 3");
  EXPECT_EQ(shown_file_name("\xFF\xFE", 2), "tệp 2");
  EXPECT_EQ(shown_file_name(std::string(300, 'a') + ".jpg", 1).size(), kMaxFileNameChars);
}

TEST(PapersRules, APaperHoldsAtMostAHundredMegabytes) {
  EXPECT_TRUE(check_byte_total(kMaxPaperBytes - 10, 10));
  auto over = check_byte_total(kMaxPaperBytes - 10, 11);
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().field, "pages");
  EXPECT_NE(over.error().message.find("100 MB"), std::string::npos);
}

TEST(PapersRules, APaperHoldsAtMostSixtyPages) {
  EXPECT_TRUE(check_page_total(58, 2));
  auto over = check_page_total(58, 3);
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().field, "pages");
  EXPECT_NE(over.error().message.find("60"), std::string::npos);
}

TEST(PapersRules, APaperIsADocumentOfTheListOrAnotherOne) {
  std::vector<std::string> docs = {"Tờ khai đăng ký khai sinh", "Giấy chứng sinh"};
  auto by_number = validate_paper({{"document", "2"}}, docs);
  ASSERT_TRUE(by_number);
  EXPECT_EQ(by_number->name, "Giấy chứng sinh");
  EXPECT_EQ(by_number->doc_index, 2);
  auto by_name = validate_paper({{"document", " Tờ khai đăng ký khai sinh "}}, docs);
  ASSERT_TRUE(by_name);
  EXPECT_EQ(by_name->doc_index, 1);
  // NFD input is the same name.
  auto nfd = validate_paper({{"document", "Gia\xCC\x82\xCC\x81y chu\xCC\x9B\xCC\x81ng sinh"}}, docs);
  ASSERT_TRUE(nfd) << nfd.error().message;
  EXPECT_EQ(nfd->doc_index, 2);

  auto other = validate_paper({{"name", "Sổ hộ khẩu (bản chụp)"}}, docs);
  ASSERT_TRUE(other);
  EXPECT_EQ(other->name, "Sổ hộ khẩu (bản chụp)");
  EXPECT_FALSE(other->doc_index);
  auto unnamed = validate_paper({}, docs);
  ASSERT_TRUE(unnamed);
  EXPECT_EQ(unnamed->name, "Giấy tờ khác");

  struct Case {
    RawFields raw;
    std::string field;
  };
  for (const auto& c : std::vector<Case>{{{{"document", "3"}}, "document"},
                                         {{{"document", "0"}}, "document"},
                                         {{{"document", "Hộ chiếu"}}, "document"},
                                         {{{"document", "1"}, {"name", "khác"}}, "name"},
                                         {{{"name", std::string(201, 'x')}}, "name"},
                                         {{{"name", "a\x01"}}, "name"}}) {
    auto r = validate_paper(c.raw, docs);
    ASSERT_FALSE(r) << c.field;
    EXPECT_EQ(r.error().field, c.field);
    EXPECT_FALSE(r.error().message.empty());
  }
}

TEST(PapersRules, Flags) {
  EXPECT_EQ(parse_flag("", "keep_originals"), false);
  EXPECT_EQ(parse_flag("1", "keep_originals"), true);
  EXPECT_EQ(parse_flag("on", "keep_originals"), true);
  EXPECT_EQ(parse_flag("0", "keep_originals"), false);
  auto bad = parse_flag("có", "keep_originals");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field, "keep_originals");
}

TEST(PapersRules, TurnsAreQuarterTurns) {
  EXPECT_EQ(parse_turn("90"), 90);
  EXPECT_EQ(parse_turn("-90"), -90);
  EXPECT_EQ(parse_turn("180"), 180);
  for (const char* bad : {"0", "45", "360", "-360", "x", "", "90.0"}) {
    auto r = parse_turn(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().field, "by");
  }
  EXPECT_EQ(turned(0, 90), 90);
  EXPECT_EQ(turned(0, -90), 270);
  EXPECT_EQ(turned(270, 90), 0);
  EXPECT_EQ(turned(90, 180), 270);
  EXPECT_EQ(turned(180, -270), 270);
}

TEST(PapersRules, Moves) {
  EXPECT_EQ(parse_move("up", 3, 4), 2);
  EXPECT_EQ(parse_move("up", 1, 4), 1);
  EXPECT_EQ(parse_move("down", 4, 4), 4);
  EXPECT_EQ(parse_move("down", 2, 4), 3);
  EXPECT_EQ(parse_move("first", 3, 4), 1);
  EXPECT_EQ(parse_move("last", 1, 4), 4);
  EXPECT_EQ(parse_move("2", 4, 4), 2);
  for (const char* bad : {"0", "5", "len", ""}) {
    auto r = parse_move(bad, 1, 4);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().field, "to");
  }
  EXPECT_EQ(moved({1, 2, 3, 4}, 3, 1), (std::vector<int64_t>{3, 1, 2, 4}));
  EXPECT_EQ(moved({1, 2, 3, 4}, 1, 4), (std::vector<int64_t>{2, 3, 4, 1}));
  EXPECT_EQ(moved({1, 2, 3, 4}, 2, 3), (std::vector<int64_t>{1, 3, 2, 4}));
  EXPECT_EQ(moved({1, 2, 3, 4}, 4, 99), (std::vector<int64_t>{1, 2, 3, 4}));
  EXPECT_EQ(moved({1, 2}, 7, 1), (std::vector<int64_t>{1, 2}));
}

TEST(PapersRules, DownloadNames) {
  EXPECT_EQ(file_stem("Tờ khai đăng ký khai sinh"), "to-khai-dang-ky-khai-sinh");
  EXPECT_EQ(file_stem("Bản chụp CCCD, hộ chiếu"), "ban-chup-cccd-ho-chieu");
  EXPECT_EQ(file_stem("Đơn đề nghị (mẫu 01/ĐK)"), "don-de-nghi-mau-01-dk");
  EXPECT_EQ(file_stem("…"), "giay-to");
  EXPECT_LE(file_stem(std::string(200, 'a')).size(), 80u);
  EXPECT_EQ(content_disposition("Tờ khai"),
            "attachment; filename=\"to-khai.pdf\"; filename*=UTF-8''T%E1%BB%9D%20khai.pdf");
  // Characters that cannot be in a file name, and quotes, never reach the header raw.
  std::string h = content_disposition("a/b\"c\r\n");
  EXPECT_EQ(h.find('\r'), std::string::npos);
  EXPECT_NE(h.find("filename*=UTF-8''a-b-c--.pdf"), std::string::npos);
  EXPECT_NE(h.find("filename=\"a-b-c.pdf\""), std::string::npos);
}

TEST(PapersRules, EverythingIsKeptSevenDays) {
  EXPECT_EQ(expires_after(1'000'000), 1'000'000 + 7 * 86'400);
}

}  // namespace
}  // namespace chidoan::scan::papers_rules
