#include "platform/tabular/tabular.hpp"

#include <gtest/gtest.h>
#include <zip.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace chidoan::tabular {
namespace {

using Rows = std::vector<std::vector<std::string>>;

std::filesystem::path data_dir() {
  if (const char* src = std::getenv("CHIDOAN_SOURCE_DIR")) {
    return std::filesystem::path(src) / "tests/data/tabular";
  }
  return CHIDOAN_TABULAR_TEST_DATA;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << path;
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Builds a zip archive in memory from (name, content) pairs.
std::string make_zip(const std::vector<std::pair<std::string, std::string>>& files) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* out = zip_source_buffer_create(nullptr, 0, 0, &error);
  zip_t* z = zip_open_from_source(out, ZIP_TRUNCATE, &error);
  EXPECT_NE(z, nullptr);
  zip_source_keep(out);
  for (const auto& [name, content] : files) {
    zip_source_t* s = zip_source_buffer(z, content.data(), content.size(), 0);
    EXPECT_GE(zip_file_add(z, name.c_str(), s, ZIP_FL_ENC_UTF_8), 0);
  }
  EXPECT_EQ(zip_close(z), 0);
  EXPECT_EQ(zip_source_open(out), 0);
  zip_source_seek(out, 0, SEEK_END);
  const zip_int64_t size = zip_source_tell(out);
  zip_source_seek(out, 0, SEEK_SET);
  std::string bytes(static_cast<size_t>(size), '\0');
  EXPECT_EQ(zip_source_read(out, bytes.data(), bytes.size()), size);
  zip_source_close(out);
  zip_source_free(out);
  zip_error_fini(&error);
  return bytes;
}

// One entry of an archive, "" if absent.
std::string unzip_entry(const std::string& bytes, const char* name) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  zip_t* z = zip_open_from_source(src, ZIP_RDONLY, &error);
  zip_error_fini(&error);
  if (!z) {
    zip_source_free(src);
    return {};
  }
  std::string out;
  zip_stat_t st;
  if (zip_stat(z, name, 0, &st) == 0) {
    zip_file_t* f = zip_fopen(z, name, 0);
    out.resize(static_cast<size_t>(st.size));
    zip_fread(f, out.data(), out.size());
    zip_fclose(f);
  }
  zip_discard(z);
  return out;
}

const char* kContentTypes =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>)";
const char* kRootRels =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>)";

// A minimal package whose first sheet is `sheet_xml`; `workbook_pr` goes inside <workbook>.
std::string minimal_xlsx(const std::string& sheet_xml, const std::string& workbook_pr = "",
                         const std::string& shared = "", const std::string& styles = "") {
  std::vector<std::pair<std::string, std::string>> files = {
      {"[Content_Types].xml", kContentTypes},
      {"_rels/.rels", kRootRels},
      {"xl/workbook.xml",
       R"(<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">)" +
           workbook_pr + R"(<sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>)"},
      {"xl/_rels/workbook.xml.rels",
       R"(<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>)"},
      {"xl/worksheets/sheet1.xml",
       R"(<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>)" +
           sheet_xml + "</sheetData></worksheet>"},
  };
  if (!shared.empty()) files.push_back({"xl/sharedStrings.xml", shared});
  if (!styles.empty()) files.push_back({"xl/styles.xml", styles});
  return make_zip(files);
}

// The fixture: two sheets where the FIRST in workbook order lives in sheet2.xml (so the reader
// must follow the relationships, not the file names); shared strings with rich text runs and
// a phonetic run; inline strings; formula strings; numbers; booleans; built-in, custom and
// time formats; skipped cells and rows; a cell without a reference; a blank row.
std::string fixture_xlsx() {
  const std::string workbook =
      R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><workbookPr/><sheets><sheet name="Đoàn viên" sheetId="2" r:id="rId7"/><sheet name="Khác" sheetId="1" r:id="rId1"/></sheets></workbook>)";
  const std::string rels =
      R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/sheet2.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>)";
  const std::string shared =
      R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="7" uniqueCount="7">)"
      R"(<si><r><rPr><b/></rPr><t>Họ và</t></r><r><t xml:space="preserve"> tên</t></r></si>)"  // 0
      R"(<si><t>CCCD</t></si>)"                                                               // 1
      R"(<si><t>Ngày sinh</t></si>)"                                                          // 2
      R"(<si><t>Số tiền</t></si>)"                                                            // 3
      R"(<si><t>Ghi chú</t><rPh sb="0" eb="1"><t>ふりがな</t></rPh></si>)"                   // 4
      R"(<si><t>001203000456</t></si>)"                                                       // 5
      R"(<si><t xml:space="preserve">  Đoàn viên &amp; "Hội"  </t></si>)"                    // 6
      R"(<si><t>Tab_x0009_here</t></si>)"                                                     // 7
      "</sst>";
  const std::string styles =
      R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="2"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/><numFmt numFmtId="165" formatCode="#,##0&quot; đ&quot;;[Red]\-#,##0&quot; đ&quot;"/></numFmts>)"
      R"(<cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/><xf numFmtId="164" applyNumberFormat="1"/><xf numFmtId="165" applyNumberFormat="1"/><xf numFmtId="20" applyNumberFormat="1"/></cellXfs></styleSheet>)";
  const std::string decoy =
      R"(<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>WRONG SHEET</t></is></c></row></sheetData></worksheet>)";
  const std::string sheet =
      R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>)"
      R"(<row r="1"><c r="B1" t="inlineStr"><is><t>   </t></is></c></row>)"
      R"(<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" t="s"><v>1</v></c><c r="C2" t="s"><v>2</v></c><c r="D2" t="s"><v>3</v></c><c r="E2" t="s"><v>4</v></c><c r="F2" t="inlineStr"><is><r><t>Đoàn</t></r><r><t xml:space="preserve"> viên</t></r></is></c></row>)"
      R"(<row r="3"><c r="A3" t="inlineStr"><is><t>Nguyễn Văn An</t></is></c><c r="B3"><v>79203000123</v></c><c r="C3" s="1"><v>37136</v></c><c r="D3" s="3"><v>1500000</v></c><c r="F3" t="b"><v>1</v></c></row>)"
      R"(<row r="5"><c r="A5" t="str"><f>CONCAT("Trần ","Thị Bình")</f><v>Trần Thị Bình</v></c><c r="B5" t="s"><v>5</v></c><c r="C5" s="2"><v>36526.75</v></c><c><v>0.30000000000000004</v></c><c r="F5" t="b"><v>0</v></c></row>)"
      R"(<row r="6"><c r="A6" t="s"><v>6</v></c><c r="C6" s="4"><v>0.5</v></c><c r="D6"><v>-12.5</v></c><c r="E6" t="s"><v>7</v></c></row>)"
      R"(<row r="7"><c r="A7" t="e"><v>#N/A</v></c><c r="C7" s="1"><v>61</v></c><c r="D7" s="1"><v>59</v></c><c r="E7"><v>1E+20</v></c></row>)"
      R"(<row r="8"><c r="A8" t="inlineStr"><is><t> </t></is></c><c r="D8"/></row>)"
      "</sheetData></worksheet>";
  return make_zip({
      {"[Content_Types].xml", kContentTypes},
      {"_rels/.rels", kRootRels},
      {"xl/workbook.xml", workbook},
      {"xl/_rels/workbook.xml.rels", rels},
      {"xl/sharedStrings.xml", shared},
      {"xl/styles.xml", styles},
      {"xl/worksheets/sheet1.xml", decoy},
      {"xl/worksheets/sheet2.xml", sheet},
  });
}

// ---------------------------------------------------------------- CSV reading

TEST(ReadCsv, SimpleCommaWithRowNumbers) {
  auto t = read_csv("a,b,c\n1,2,3\n4,5,6\n");
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(t->header, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(t->rows, (Rows{{"1", "2", "3"}, {"4", "5", "6"}}));
  EXPECT_EQ(t->row_numbers, (std::vector<size_t>{2, 3}));
}

TEST(ReadCsv, QuotesDoubledQuotesEmbeddedNewlinesCrlf) {
  auto t = read_csv("name,note\r\n\"Lê, Văn\",\"nói \"\"xin chào\"\"\"\r\n\"x\",\"dòng 1\r\ndòng 2\ndòng 3\"\r\nlast,\"\"\r\n");
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(t->rows, (Rows{{"Lê, Văn", "nói \"xin chào\""},
                           {"x", "dòng 1\ndòng 2\ndòng 3"},
                           {"last", ""}}));
  // The embedded newlines push the next record's line number down.
  EXPECT_EQ(t->row_numbers, (std::vector<size_t>{2, 3, 6}));
}

TEST(ReadCsv, NoTrailingNewlineAndLoneCr) {
  auto t = read_csv("a;b\r1;2\r3;4");
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(t->header, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(t->rows, (Rows{{"1", "2"}, {"3", "4"}}));
}

TEST(ReadCsv, SemicolonExcelExportWithBom) {
  auto t = read_csv(read_file(data_dir() / "members_semicolon.csv"));
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(t->header,
            (std::vector<std::string>{"Họ và tên", "Ngày sinh", "Địa chỉ", "Số điện thoại"}));
  EXPECT_EQ(t->rows, (Rows{{"Nguyễn Văn An", "02/09/2001", "Số 1; ngõ 2\nPhường Bạch Đằng",
                            "0912345678"},
                           {"Trần Thị Bình", "15/03/1999", "Thôn \"Đông\", xã Hòa",
                            "+84 987 654 321"}}));
  EXPECT_EQ(t->row_numbers, (std::vector<size_t>{2, 5}));
}

TEST(ReadCsv, DelimiterDetection) {
  // Two tabs beat one comma.
  auto tab2 = read_csv("a\tb\tc, d\n1\t2\t3, 4\n");
  ASSERT_TRUE(tab2) << tab2.error().message;
  EXPECT_EQ(tab2->header, (std::vector<std::string>{"a", "b", "c, d"}));
  EXPECT_EQ(tab2->rows, (Rows{{"1", "2", "3, 4"}}));

  // Delimiters inside quotes in the header do not count.
  auto semi = read_csv("\"a,b,c\";d\n1;2\n");
  ASSERT_TRUE(semi) << semi.error().message;
  EXPECT_EQ(semi->header, (std::vector<std::string>{"a,b,c", "d"}));

  // Leading blank lines are skipped before detection; a single column defaults to ','.
  auto single = read_csv("\n\nHọ tên\nAn\n");
  ASSERT_TRUE(single) << single.error().message;
  EXPECT_EQ(single->header, (std::vector<std::string>{"Họ tên"}));
  EXPECT_EQ(single->row_numbers, (std::vector<size_t>{4}));

  // Excel's "sep=" hint wins.
  auto hint = read_csv("sep=;\r\na,b;c\r\n1,5;2\r\n");
  ASSERT_TRUE(hint) << hint.error().message;
  EXPECT_EQ(hint->header, (std::vector<std::string>{"a,b", "c"}));
  EXPECT_EQ(hint->rows, (Rows{{"1,5", "2"}}));
  EXPECT_EQ(hint->row_numbers, (std::vector<size_t>{3}));
}

TEST(ReadCsv, BlankRowsSkippedCellsTrimmedRowsPadded) {
  auto t = read_csv("\xEF\xBB\xBF a , b ,c,,\n\n , , \n x ,y\n\t\n1,2,3,,\n");
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(t->header, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(t->rows, (Rows{{"x", "y", ""}, {"1", "2", "3"}}));
  EXPECT_EQ(t->row_numbers, (std::vector<size_t>{4, 6}));
}

TEST(ReadCsv, EmptyInputGivesEmptyTable) {
  for (std::string_view in : {"", "\xEF\xBB\xBF", "\r\n\r\n", " , \n"}) {
    auto t = read_csv(in);
    ASSERT_TRUE(t) << t.error().message;
    EXPECT_TRUE(t->header.empty());
    EXPECT_TRUE(t->rows.empty());
  }
}

TEST(ReadCsv, RejectsNonUtf8) {
  const std::vector<std::string> bad = {
      "H\xE4 v\xE0 t\xEAn\nNguy\xEA\xF2n\n",   // Windows-1258 bytes
      std::string("\xFF\xFEH\0a\0", 6),         // UTF-16LE with BOM
      std::string("a,b\n1,\0\n", 8),            // NUL byte
      "a\n\xC0\xAF\n",                           // overlong '/'
      "a\n\xED\xA0\x80\n",                       // UTF-16 surrogate
      "a\n\xF4\x90\x80\x80\n",                   // above U+10FFFF
      "a\nabc\xE1\xBB",                          // truncated sequence at the end
  };
  for (const auto& in : bad) {
    auto t = read_csv(in);
    ASSERT_FALSE(t);
    EXPECT_EQ(t.error().kind, ErrorKind::invalid);
    EXPECT_NE(t.error().message.find("Tệp CSV phải dùng mã UTF-8"), std::string::npos)
        << t.error().message;
  }
  auto line = read_csv("a\nb\nc\xE9\n");
  ASSERT_FALSE(line);
  EXPECT_NE(line.error().message.find("dòng 3"), std::string::npos) << line.error().message;
}

TEST(ReadCsv, UnterminatedQuoteNamesItsLine) {
  auto t = read_csv("a,b\n1,2\n3,\"không đóng\n4,5\n");
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().kind, ErrorKind::invalid);
  EXPECT_NE(t.error().message.find("dòng 3"), std::string::npos) << t.error().message;
}

TEST(ReadCsv, ExtraCellsAreRefusedWithLine) {
  auto t = read_csv("Họ tên,Ngày sinh\nLê Văn A,01/01/2000\nNguyễn, Văn B,02/02/2000\n");
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().kind, ErrorKind::invalid);
  EXPECT_NE(t.error().message.find("Dòng 3"), std::string::npos) << t.error().message;
}

TEST(ReadCsv, Limits) {
  auto rows = read_csv("a\n1\n2\n3\n4\n", Limits{.max_rows = 3});
  ASSERT_FALSE(rows);
  EXPECT_EQ(rows.error().kind, ErrorKind::too_large);
  auto ok = read_csv("a\n1\n2\n", Limits{.max_rows = 3});
  EXPECT_TRUE(ok);

  auto bytes = read_csv(std::string(2048, 'x'), Limits{.max_bytes = 1024});
  ASSERT_FALSE(bytes);
  EXPECT_EQ(bytes.error().kind, ErrorKind::too_large);

  // A very wide header times many rows is bounded by max_cells.
  std::string wide = "h" + std::string(999, ',') + "z\n";
  for (int i = 0; i < 20; ++i) wide += "x\n";
  auto cells = read_csv(wide + "x\n", Limits{.max_cells = 10'000});
  ASSERT_FALSE(cells);
  EXPECT_EQ(cells.error().kind, ErrorKind::too_large);

  auto columns = read_csv(std::string(20'000, ',') + "\n");
  ASSERT_FALSE(columns);
  EXPECT_EQ(columns.error().kind, ErrorKind::invalid);
}

// ---------------------------------------------------------------- CSV writing

Table sample_table() {
  Table t;
  t.header = {"Họ và tên", "CCCD", "Điện thoại", "Ghi chú"};
  t.rows = {
      {"Nguyễn Văn An", "001203000456", "+84 912 345 678", "bình thường"},
      {"Lê, Thị \"Bé\"", "079203000123", "0912345678", "dòng 1\ndòng 2"},
      {"=HYPERLINK(\"http://x\")", "@SUM(A1)", "-12,5", "-2+3+cmd|' /C calc'!A0"},
      {"+A1", "-", "", "  khoảng trắng  "},
  };
  return t;
}

TEST(WriteCsv, MatchesGoldenFile) {
  const std::string out = write_csv(sample_table());
  const auto golden = data_dir() / "export_golden.csv";
  if (std::getenv("CHIDOAN_UPDATE_GOLDEN")) {
    std::ofstream(golden, std::ios::binary) << out;
  }
  EXPECT_EQ(out, read_file(golden));
}

TEST(WriteCsv, BomCrlfQuotingAndFormulaGuard) {
  const std::string out = write_csv(sample_table());
  EXPECT_EQ(out.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_NE(out.find("Họ và tên,CCCD,Điện thoại,Ghi chú\r\n"), std::string::npos);
  EXPECT_NE(out.find("\"Lê, Thị \"\"Bé\"\"\""), std::string::npos);
  EXPECT_NE(out.find("\"dòng 1\ndòng 2\""), std::string::npos);
  EXPECT_NE(out.find("\"'=HYPERLINK(\"\"http://x\"\")\",'@SUM(A1),\"-12,5\","), std::string::npos);
  EXPECT_NE(out.find("'-2+3+cmd|' /C calc'!A0"), std::string::npos);
  EXPECT_NE(out.find("'+A1,-,,"), std::string::npos);
  EXPECT_NE(out.find(",+84 912 345 678,"), std::string::npos);
}

TEST(WriteCsv, RoundTripsThroughReader) {
  Table t = sample_table();
  t.rows.pop_back();
  t.rows.erase(t.rows.begin() + 2);  // the guarded row comes back with apostrophes, by design
  auto back = read_csv(write_csv(t));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->header, t.header);
  EXPECT_EQ(back->rows, t.rows);
}

// ---------------------------------------------------------------- XLSX reading

TEST(ReadXlsx, FixtureWithAllCellKinds) {
  auto t = read_xlsx(fixture_xlsx());
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(t->header, (std::vector<std::string>{"Họ và tên", "CCCD", "Ngày sinh", "Số tiền",
                                                 "Ghi chú", "Đoàn viên"}));
  EXPECT_EQ(t->rows,
            (Rows{
                {"Nguyễn Văn An", "79203000123", "2001-09-02", "1500000", "", "TRUE"},
                {"Trần Thị Bình", "001203000456", "2000-01-01", "0.3", "", "FALSE"},
                {"Đoàn viên & \"Hội\"", "", "0.5", "-12.5", "Tab\there", ""},
                {"#N/A", "", "1900-03-01", "1900-02-28", "1E+20", ""},
            }));
  EXPECT_EQ(t->row_numbers, (std::vector<size_t>{3, 5, 6, 7}));
}

TEST(ReadXlsx, Date1904AndPrefixedNamespaces) {
  const std::string sheet =
      R"(<row r="1"><c r="A1" t="inlineStr"><is><t>Ngày</t></is></c></row><row r="2"><c r="A2" s="1"><v>0</v></c></row>)";
  const std::string styles =
      R"(<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cellXfs><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs></styleSheet>)";
  auto t = read_xlsx(minimal_xlsx(sheet, R"(<workbookPr date1904="1"/>)", "", styles));
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(t->rows, (Rows{{"1904-01-01"}}));

  // .NET OpenXML SDK style: every element prefixed.
  const std::string prefixed_sheet =
      R"(<?xml version="1.0"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData><x:row r="1"><x:c r="B1" t="inlineStr"><x:is><x:t>Tên</x:t></x:is></x:c></x:row><x:row r="2"><x:c r="B2"><x:v>42</x:v></x:c></x:row></x:sheetData></x:worksheet>)";
  auto bytes = make_zip({
      {"_rels/.rels", kRootRels},
      {"xl/workbook.xml",
       R"(<x:workbook xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><x:sheets><x:sheet name="S" sheetId="1" r:id="R1"/></x:sheets></x:workbook>)"},
      {"xl/_rels/workbook.xml.rels",
       R"(<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="R1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>)"},
      {"xl/worksheets/sheet1.xml", prefixed_sheet},
  });
  auto p = read_xlsx(bytes);
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->header, (std::vector<std::string>{"", "Tên"}));
  EXPECT_EQ(p->rows, (Rows{{"", "42"}}));
}

TEST(ReadXlsx, DataOutsideHeaderColumnsIsRefused) {
  const std::string sheet =
      R"(<row r="1"><c r="A1" t="inlineStr"><is><t>Tên</t></is></c></row><row r="4"><c r="A4" t="inlineStr"><is><t>An</t></is></c><c r="XFD4"><v>1</v></c></row>)";
  auto t = read_xlsx(minimal_xlsx(sheet));
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().kind, ErrorKind::invalid);
  EXPECT_NE(t.error().message.find("XFD4"), std::string::npos) << t.error().message;
}

TEST(ReadXlsx, NotAnXlsx) {
  for (const std::string& bytes :
       {std::string("PK\x03\x04garbage", 11), std::string("hello"),
        make_zip({{"word/document.xml", "<w:document/>"}}),
        minimal_xlsx("<row><c t=\"s\"><v>9</v></c></row>"),  // shared string index out of range
        make_zip({{"xl/workbook.xml", "<workbook><sheets>"}})}) {
    auto t = read_xlsx(bytes);
    ASSERT_FALSE(t);
    EXPECT_EQ(t.error().kind, ErrorKind::invalid);
    EXPECT_NE(t.error().message.find("Tệp không phải XLSX hợp lệ"), std::string::npos)
        << t.error().message;
  }
}

TEST(ReadXlsx, ZipBombIsTooLarge) {
  // 51 MB of spaces inflate from a few tens of kB.
  const std::string huge(51u * 1024 * 1024, ' ');
  const std::string bomb = minimal_xlsx(huge);
  EXPECT_LT(bomb.size(), 1u << 20);
  auto t = read_xlsx(bomb);
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().kind, ErrorKind::too_large);
}

TEST(ReadXlsx, TooManyRows) {
  std::string sheet = R"(<row r="1"><c r="A1" t="inlineStr"><is><t>h</t></is></c></row>)";
  for (int r = 2; r <= 12; ++r) sheet += "<row r=\"" + std::to_string(r) + "\"/>";
  auto t = read_xlsx(minimal_xlsx(sheet), Limits{.max_rows = 10});
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().kind, ErrorKind::too_large);
  EXPECT_TRUE(read_xlsx(minimal_xlsx(sheet), Limits{.max_rows = 12}));
}

// ---------------------------------------------------------------- XLSX writing

TEST(WriteXlsx, RoundTripKeepsVietnameseAndLeadingZeros) {
  Table t = sample_table();
  t.rows.push_back({"Phạm Thị Ánh Nguyệt", "", "084912345678", "0.50"});
  auto bytes = write_xlsx(t, "Đoàn viên [2024]/A");
  ASSERT_TRUE(bytes) << bytes.error().message;
  ASSERT_EQ(bytes->substr(0, 4), std::string("PK\x03\x04", 4));

  auto back = read_xlsx(*bytes);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->header, t.header);
  Table expected = t;
  expected.rows[3][3] = "khoảng trắng";  // readers trim
  EXPECT_EQ(back->rows, expected.rows);  // formulas stay text, no apostrophes in XLSX
  EXPECT_EQ(back->row_numbers, (std::vector<size_t>{2, 3, 4, 5, 6}));

  const std::string workbook = unzip_entry(*bytes, "xl/workbook.xml");
  EXPECT_NE(workbook.find("name=\"Đoàn viên _2024__A\""), std::string::npos) << workbook;
  const std::string sheet = unzip_entry(*bytes, "xl/worksheets/sheet1.xml");
  EXPECT_NE(sheet.find("ySplit=\"1\""), std::string::npos) << "header row frozen";
  EXPECT_NE(sheet.find("<autoFilter"), std::string::npos);
  EXPECT_NE(sheet.find("<col "), std::string::npos) << "column widths set";
  EXPECT_EQ(sheet.find("<f>"), std::string::npos) << "nothing written as a formula";
  EXPECT_NE(unzip_entry(*bytes, "xl/styles.xml").find("<b/>"), std::string::npos);
}

TEST(WriteXlsx, EmptyTableAndBadInput) {
  auto empty = write_xlsx(Table{}, "");
  ASSERT_TRUE(empty) << empty.error().message;
  auto back = read_xlsx(*empty);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_TRUE(back->header.empty());

  Table bad;
  bad.header = {"a"};
  bad.rows = {{"ok"}, {"H\xE0 N\xF4i"}};
  auto r = write_xlsx(bad, "S");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::invalid);
  EXPECT_NE(r.error().message.find("A3"), std::string::npos) << r.error().message;

  Table longcell;
  longcell.header = {std::string(32768, 'x')};
  auto l = write_xlsx(longcell, "S");
  ASSERT_FALSE(l);
  EXPECT_EQ(l.error().kind, ErrorKind::invalid);
}

TEST(WriteXlsx, SeveralSheetsWithNumbersAndUniqueNames) {
  Sheet people{"Đoàn viên", sample_table(), {}};
  Sheet figures{"Hồ sơ trực tuyến mức độ 3, 4 của năm 2021", {}, {}};  // 42 characters: cut to 31
  figures.table.header = {"Nội dung", "Số liệu"};
  figures.table.rows = {{"Hồ sơ trực tuyến", "47.416"}, {"Tỷ lệ", "47,64%"}, {"Ghi chú", "không phải số"}};
  figures.numbers = {{std::nullopt, Number{47416, "#,##0"}}, {std::nullopt, Number{0.4764, "0.00%"}}};  // the third row: text only
  Sheet again{"Đoàn viên", {{"a"}, {{"1"}}, {}}, {}};
  auto bytes = write_xlsx(std::vector<Sheet>{people, figures, again});
  ASSERT_TRUE(bytes) << bytes.error().message;

  const std::string workbook = unzip_entry(*bytes, "xl/workbook.xml");
  const size_t first = workbook.find("name=\"Đoàn viên\"");
  const size_t second = workbook.find("name=\"Hồ sơ trực tuyến mức độ 3, 4 củ\"");
  const size_t third = workbook.find("name=\"Đoàn viên (2)\"");
  EXPECT_NE(first, std::string::npos) << workbook;
  EXPECT_NE(second, std::string::npos) << workbook;
  EXPECT_NE(third, std::string::npos) << workbook;
  EXPECT_TRUE(first < second && second < third);

  // The first sheet reads back as write_xlsx(table) writes it: strings.
  auto back = read_xlsx(*bytes);
  ASSERT_TRUE(back) << back.error().message;
  Table expected = sample_table();
  expected.rows[3][3] = "khoảng trắng";  // readers trim
  EXPECT_EQ(back->rows, expected.rows);
  // The second: numbers with their formats, text where there is no number; frozen header.
  const std::string sheet = unzip_entry(*bytes, "xl/worksheets/sheet2.xml");
  EXPECT_NE(sheet.find("<c r=\"B2\" s=\""), std::string::npos) << sheet;
  EXPECT_NE(sheet.find("<v>47416</v>"), std::string::npos) << sheet;
  EXPECT_NE(sheet.find("<v>0.4764</v>"), std::string::npos);
  EXPECT_NE(sheet.find("<c r=\"B4\" t=\"s\""), std::string::npos) << "no number: a string";
  EXPECT_NE(sheet.find("ySplit=\"1\""), std::string::npos);
  const std::string styles = unzip_entry(*bytes, "xl/styles.xml");
  EXPECT_NE(styles.find("formatCode=\"0.00%\""), std::string::npos) << styles;
  EXPECT_NE(styles.find("formatCode=\"#,##0\""), std::string::npos);

  // Bad input in any sheet fails the workbook.
  Sheet bad{"S", {{"a"}, {{"H\xE0 N\xF4i"}}, {}}, {}};
  auto r = write_xlsx(std::vector<Sheet>{people, bad});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::invalid);
}

// ---------------------------------------------------------------- read_any

TEST(ReadAny, DispatchesByMagicThenExtension) {
  auto csv = read_any("DanhSach.CSV", "a;b\n1;2\n");
  ASSERT_TRUE(csv) << csv.error().message;
  EXPECT_EQ(csv->rows, (Rows{{"1", "2"}}));

  auto xlsx_bytes = write_xlsx(sample_table(), "S");
  ASSERT_TRUE(xlsx_bytes);
  for (const char* name : {"x.xlsx", "wrongly-named.csv", "no-extension"}) {
    auto x = read_any(name, *xlsx_bytes);
    ASSERT_TRUE(x) << name << ": " << x.error().message;
    EXPECT_EQ(x->header, sample_table().header);
  }
}

TEST(ReadAny, RejectsOtherFiles) {
  const std::string pdf = "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n";
  const std::string png("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
  const std::string xls("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0", 10);
  std::mt19937 gen(1234);
  std::string random(4096, '\0');
  for (char& c : random) c = static_cast<char>(gen() & 0xFF);
  random[0] = '\x01';

  for (const auto& [name, bytes] : std::vector<std::pair<std::string, std::string>>{
           {"ds.pdf", pdf}, {"ds.csv", pdf}, {"ds.xlsx", png}, {"ds.xls", xls},
           {"ds.csv", xls}, {"ds.bin", random}, {"ds", "a,b\n"}, {"ds.txt", "a,b\n"}}) {
    auto t = read_any(name, bytes);
    ASSERT_FALSE(t) << name;
    EXPECT_EQ(t.error().kind, ErrorKind::invalid);
    EXPECT_EQ(t.error().message, "Chỉ nhận tệp CSV hoặc XLSX") << name;
  }

  auto random_csv = read_any("ds.csv", random);
  ASSERT_FALSE(random_csv);
  EXPECT_NE(random_csv.error().message.find("UTF-8"), std::string::npos);

  auto fake_xlsx = read_any("ds.xlsx", "a,b\n1,2\n");
  ASSERT_FALSE(fake_xlsx);
  EXPECT_EQ(fake_xlsx.error().message, "Tệp không phải XLSX hợp lệ");
}

}  // namespace
}  // namespace chidoan::tabular
