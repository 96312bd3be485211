#include "desk/assist_rules.hpp"

#include <gtest/gtest.h>

#include "platform/core/date.hpp"

namespace chidoan::desk::assist_rules {
namespace {

int64_t vn(const char* local) { return unix_of_local(local); }

// A good form: a citizen helped on 15/11/2021 at 08:30, dossier submitted online.
RawFields good() {
  return {{"procedure_id", "7"}, {"at", "2021-11-15T08:30"}, {"steps", "scanned,account,fileset,submitted"}, {"outcome", "submitted"}};
}
const int64_t kNow = unix_of_local("2021-11-15T10:00");

std::string field_of(const RawFields& raw) {
  auto r = validate_assist(raw, kNow);
  return r ? std::string("(ok)") : r.error().field;
}

TEST(DeskAssistRules, LevelsInEverySpelling) {
  for (const char* s : {"3", "Mức độ 3", "mức độ 3", "MỨC ĐỘ 3", "muc do 3", "DVC mức độ 3", "Dịch vụ công trực tuyến mức độ 3", " 3 "})
    EXPECT_EQ(parse_level(s).value_or("?"), "3") << s;
  for (const char* s : {"4", "Mức độ 4", "Cấp 4", "level 4"}) EXPECT_EQ(parse_level(s).value_or("?"), "4") << s;
  for (const char* s : {"full", "Toàn trình", "TOÀN TRÌNH", "toan trinh", "DVC trực tuyến toàn trình"})
    EXPECT_EQ(parse_level(s).value_or("?"), "full") << s;
  for (const char* s : {"partial", "Một phần", "một phần", "mot phan", "Dịch vụ công trực tuyến một phần"})
    EXPECT_EQ(parse_level(s).value_or("?"), "partial") << s;
  for (const char* s : {"", "2", "Mức độ 2", "5", "3 4", "mức độ 3 toàn trình", "toàn", "một", "abc", "mức độ"}) {
    auto r = parse_level(s, "muc_do");
    ASSERT_FALSE(r) << s;
    EXPECT_EQ(r.error().kind, ErrorKind::invalid);
    EXPECT_EQ(r.error().field, "muc_do");
  }
  EXPECT_EQ(level_label("3"), "Mức độ 3");
  EXPECT_EQ(level_label("full"), "Toàn trình");
  EXPECT_EQ(level_label("partial"), "Một phần");
}

TEST(DeskAssistRules, OutcomesAndSteps) {
  for (auto o : kOutcomes) EXPECT_TRUE(parse_outcome(o));
  EXPECT_FALSE(parse_outcome("Submitted"));
  EXPECT_FALSE(parse_outcome(""));
  EXPECT_EQ(outcome_label("missing_papers"), "Thiếu giấy tờ");
  auto s = parse_steps("scanned, submitted");
  ASSERT_TRUE(s);
  EXPECT_TRUE(s->scanned && s->submitted && !s->account && !s->fileset);
  EXPECT_EQ(step_names(*s), (std::vector<std::string>{"scanned", "submitted"}));
  EXPECT_TRUE(parse_steps(""));
  EXPECT_TRUE(parse_steps("fileset,,account"));
  auto bad = parse_steps("scanned,printed");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field, "steps");
}

TEST(DeskAssistRules, TimesAreVietnamLocal) {
  EXPECT_EQ(*parse_time("2021-11-15T08:30", "at"), 1636939800);  // 01:30 UTC
  EXPECT_EQ(*parse_time("2021-11-15 08:30", "at"), 1636939800);
  EXPECT_EQ(*parse_time("2021-11-15T08:30:59", "at"), 1636939859);
  EXPECT_EQ(*parse_time("1636939800", "at"), 1636939800);
  for (const char* s : {"2021-02-30T08:00", "2021-11-15T24:00", "2021-11-15T08:60", "15/11/2021 08:30", "2021-11-15", "2021-11-15T8:30", ""})
    EXPECT_FALSE(parse_time(s, "at")) << s;
  EXPECT_EQ(local_seconds(1636939859), "2021-11-15T08:30:59");
  EXPECT_EQ(*parse_time(local_seconds(1636939859), "at"), 1636939859);

  auto year = period_range("2021", "year");
  ASSERT_TRUE(year);
  EXPECT_EQ(year->first, vn("2021-01-01T00:00"));
  EXPECT_EQ(year->second, vn("2022-01-01T00:00"));
  auto dec = period_range("2021-12", "month");
  ASSERT_TRUE(dec);
  EXPECT_EQ(dec->first, vn("2021-12-01T00:00"));
  EXPECT_EQ(dec->second, vn("2022-01-01T00:00"));
  for (const char* s : {"2021-13", "21", "2021-1", "abcd", "1800", ""}) {
    auto r = period_range(s, "month");
    ASSERT_FALSE(r) << s;
    EXPECT_EQ(r.error().field, "month");
  }
  EXPECT_EQ(months_of("2021").size(), 12u);
  EXPECT_EQ(months_of("2021").back(), "2021-12");
  EXPECT_EQ(months_of("2021-11"), std::vector<std::string>{"2021-11"});
  EXPECT_EQ(month_after("2021-12", 1), "2022-01");
  EXPECT_EQ(month_after("2021-01", -1), "2020-12");
  EXPECT_EQ(month_after("2021-11", -13), "2020-10");
}

TEST(DeskAssistRules, AGoodAssist) {
  auto r = validate_assist(good(), kNow);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->procedure_id, 7);
  EXPECT_EQ(r->at, vn("2021-11-15T08:30"));
  EXPECT_TRUE(r->level.empty());  // the procedure's, filled by the store
  EXPECT_TRUE(r->steps.submitted);
  EXPECT_FALSE(r->phone);
  EXPECT_FALSE(r->member_id);
  // No time: now.
  RawFields now = good();
  now.erase("at");
  EXPECT_EQ(validate_assist(now, kNow)->at, kNow);
  // A phone with consent: normalised, consent recorded now.
  RawFields phone = good();
  phone["phone"] = "0912 345 678";
  phone["phone_consent"] = "1";
  phone["level"] = "Toàn trình";
  phone["note"] = "  Hẹn quay lại\nvào thứ Hai  ";
  auto p = validate_assist(phone, kNow);
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(*p->phone, "+84912345678");
  EXPECT_EQ(*p->phone_consent_at, kNow);
  EXPECT_EQ(p->level, "full");
  EXPECT_EQ(p->note, "Hẹn quay lại\nvào thứ Hai");
  // Consent without a phone keeps nothing.
  RawFields consent = good();
  consent["phone_consent"] = "1";
  EXPECT_FALSE(validate_assist(consent, kNow)->phone_consent_at);
  // Text is kept as text.
  RawFields script = good();
  script["note"] = "<script>alert(1)</script>";
  EXPECT_EQ(validate_assist(script, kNow)->note, "<script>alert(1)</script>");
}

TEST(DeskAssistRules, BadAssistsNameTheirField) {
  auto with = [](std::initializer_list<std::pair<const char*, const char*>> changes) {
    RawFields raw = good();
    for (const auto& [k, v] : changes) raw[k] = v;
    return raw;
  };
  EXPECT_EQ(field_of(with({{"level", "5"}})), "level");
  EXPECT_EQ(field_of(with({{"outcome", "approved"}})), "outcome");
  EXPECT_EQ(field_of(with({{"outcome", ""}})), "outcome");
  EXPECT_EQ(field_of(with({{"steps", "scanned,fileset"}})), "steps");                              // submitted without the step
  EXPECT_EQ(field_of(with({{"outcome", "missing_papers"}})), "outcome");                           // the step without "submitted"
  EXPECT_EQ(field_of(with({{"steps", "scanned"}, {"outcome", "missing_papers"}})), "(ok)");
  EXPECT_EQ(field_of(with({{"steps", ""}, {"outcome", "referred"}})), "(ok)");
  EXPECT_EQ(field_of(with({{"steps", "teleported"}})), "steps");
  EXPECT_EQ(field_of(with({{"phone", "0912345678"}})), "phone_consent");                          // no consent
  EXPECT_EQ(field_of(with({{"phone", "0912345678"}, {"phone_consent", "0"}})), "phone_consent");
  EXPECT_EQ(field_of(with({{"phone", "12345"}, {"phone_consent", "1"}})), "phone");
  EXPECT_EQ(field_of(with({{"phone", "0912abc678"}, {"phone_consent", "1"}})), "phone");
  EXPECT_EQ(field_of(with({{"phone", "0912345678"}, {"phone_consent", "maybe"}})), "phone_consent");
  EXPECT_EQ(field_of(with({{"at", "2021-11-15T10:06"}})), "at");  // 6 minutes ahead of the clock
  EXPECT_EQ(field_of(with({{"at", "2021-11-15T10:05"}})), "(ok)");  // within the skew
  EXPECT_EQ(field_of(with({{"at", "2021-11-16T08:00"}})), "at");
  EXPECT_EQ(field_of(with({{"at", "ngày mai"}})), "at");
  EXPECT_EQ(field_of(with({{"procedure_id", ""}})), "procedure_id");
  EXPECT_EQ(field_of(with({{"procedure_id", "0"}})), "procedure_id");
  EXPECT_EQ(field_of(with({{"procedure_id", "-3"}})), "procedure_id");
  EXPECT_EQ(field_of(with({{"member_id", "x"}})), "member_id");
  EXPECT_EQ(field_of(with({{"shift_id", "1.5"}})), "shift_id");
  EXPECT_EQ(field_of(with({{"note", std::string(501, 'a').c_str()}})), "note");
  EXPECT_EQ(field_of(with({{"note", "\x01"}})), "note");
  std::string vietnamese;
  for (int i = 0; i < 500; ++i) vietnamese += "ệ";  // 500 characters, 1500 bytes
  EXPECT_EQ(field_of(with({{"note", vietnamese.c_str()}})), "(ok)");
}

TEST(DeskAssistRules, CheckAssistHoldsForStoredRows) {
  AssistInput in;
  in.procedure_id = 1;
  in.outcome = "referred";
  EXPECT_EQ(check_assist(in).error().field, "level");
  in.level = "4";
  EXPECT_TRUE(check_assist(in));
  in.phone = "+84912345678";
  EXPECT_EQ(check_assist(in).error().field, "phone_consent");
  in.phone_consent_at = 1;
  EXPECT_TRUE(check_assist(in));
  in.phone = "0912345678";
  EXPECT_EQ(check_assist(in).error().field, "phone");
}

TEST(DeskAssistRules, WithinTheShiftGiveOrTakeAnHour) {
  Shift s;
  s.starts_at = vn("2021-11-15T07:30");
  s.ends_at = vn("2021-11-15T11:30");
  EXPECT_TRUE(check_in_shift(vn("2021-11-15T06:30"), s));
  EXPECT_TRUE(check_in_shift(vn("2021-11-15T09:00"), s));
  EXPECT_TRUE(check_in_shift(vn("2021-11-15T12:30"), s));
  auto early = check_in_shift(vn("2021-11-15T06:29"), s);
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().field, "at");
  EXPECT_NE(early.error().message.find("15/11/2021 07:30–11:30"), std::string::npos) << early.error().message;
  EXPECT_FALSE(check_in_shift(vn("2021-11-15T12:31"), s));
  EXPECT_FALSE(check_in_shift(vn("2021-11-16T09:00"), s));
}

TEST(DeskAssistRules, Procedures) {
  RawFields raw{{"code", " 1.001756 "},
                {"name", "Cấp Phiếu lý lịch tư pháp"},
                {"field", "Lý lịch tư pháp"},
                {"level", "Mức độ 4"},
                {"documents", "Tờ khai; Bản chụp CCCD\n\nBản chụp giấy xác nhận cư trú ;"}};
  auto p = validate_procedure(raw);
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->code, "1.001756");
  EXPECT_EQ(p->level, "4");
  EXPECT_EQ(p->documents, (std::vector<std::string>{"Tờ khai", "Bản chụp CCCD", "Bản chụp giấy xác nhận cư trú"}));
  EXPECT_EQ(join_documents(p->documents), "Tờ khai\nBản chụp CCCD\nBản chụp giấy xác nhận cư trú");
  EXPECT_EQ(documents_of(join_documents(p->documents)), p->documents);
  EXPECT_TRUE(documents_of("").empty());
  EXPECT_TRUE(validate_procedure({{"code", "2.001255.000.00.00.H35"}, {"name", "X"}, {"level", "partial"}}));

  auto field = [&](std::initializer_list<std::pair<const char*, const char*>> changes) {
    RawFields r = raw;
    for (const auto& [k, v] : changes) r[k] = v;
    auto v = validate_procedure(r);
    return v ? std::string("(ok)") : v.error().field;
  };
  EXPECT_EQ(field({{"code", ""}}), "code");
  EXPECT_EQ(field({{"code", "1 000 656"}}), "code");
  EXPECT_EQ(field({{"code", "1.000656<script>"}}), "code");
  EXPECT_EQ(field({{"code", std::string(51, '1').c_str()}}), "code");
  EXPECT_EQ(field({{"name", "  "}}), "name");
  EXPECT_EQ(field({{"level", ""}}), "level");
  EXPECT_EQ(field({{"level", "Mức độ 2"}}), "level");
  EXPECT_EQ(field({{"documents", "Tờ khai; tờ khai"}}), "documents");  // the digitiser names files after them
  EXPECT_EQ(field({{"documents", ""}}), "(ok)");
  EXPECT_EQ(field({{"field", ""}}), "(ok)");
}

tabular::Table table(std::vector<std::string> header, std::vector<std::vector<std::string>> rows) {
  tabular::Table t{std::move(header), std::move(rows), {}};
  for (size_t i = 0; i < t.rows.size(); ++i) t.row_numbers.push_back(i + 2);
  return t;
}

TEST(DeskAssistRules, CatalogueFilesInVietnameseOrEnglish) {
  auto vi = map_procedure_table(table({"STT", "Mã thủ tục", "Tên thủ tục", "Lĩnh vực", "Mức độ", "Thành phần hồ sơ"},
                                      {{"1", "1.001756", "Cấp Phiếu lý lịch tư pháp", "Lý lịch tư pháp", "Mức độ 4", "Tờ khai;Bản chụp CCCD"},
                                       {"2", "1.002809", "Đổi giấy phép lái xe", "Đường bộ", "Toàn trình", ""}}));
  ASSERT_TRUE(vi) << vi.error().message;
  EXPECT_TRUE(vi->errors.empty());
  ASSERT_EQ(vi->rows.size(), 2u);
  EXPECT_EQ(vi->rows[0].in.documents.size(), 2u);
  EXPECT_EQ(vi->rows[1].in.level, "full");
  EXPECT_EQ(vi->rows[1].line, 3u);
  EXPECT_EQ(vi->ignored_headers, std::vector<std::string>{"STT"});

  auto en = map_procedure_table(table({"code", "name", "level"}, {{"1.000656", "Chứng thực", "3"}}));
  ASSERT_TRUE(en);
  EXPECT_EQ(en->rows[0].in.code, "1.000656");
  auto both = map_procedure_table(table({"Mã thủ tục/code", "Tên thủ tục (name)", "MỨC ĐỘ"}, {{"1.000656", "Chứng thực", "Một phần"}}));
  ASSERT_TRUE(both) << both.error().message;
  EXPECT_EQ(both->rows[0].in.level, "partial");
  auto unaccented = map_procedure_table(table({"Ma TTHC", "Ten TTHC", "Muc do DVC", "Ho so"}, {{"1.000656", "Chứng thực", "3", "Bản chính"}}));
  ASSERT_TRUE(unaccented) << unaccented.error().message;

  auto missing = map_procedure_table(table({"Mã thủ tục", "Tên thủ tục"}, {{"1", "x"}}));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().field, "file");
  EXPECT_NE(missing.error().message.find("Mức độ"), std::string::npos);
  EXPECT_FALSE(map_procedure_table(table({"Mã", "code", "Tên", "Mức độ"}, {{"1", "1", "x", "3"}})));  // code twice
  EXPECT_FALSE(map_procedure_table(table({}, {})));
  EXPECT_FALSE(map_procedure_table(table({"Mã", "Tên", "Mức độ"}, {})));
}

TEST(DeskAssistRules, BadRowsAreCollectedWithTheirLines) {
  auto t = map_procedure_table(table({"Mã", "Tên", "Mức độ"}, {{"1.000656", "Chứng thực", "3"},
                                                                 {"", "Không mã", "3"},
                                                                 {"1.001756", "Lý lịch tư pháp", "Mức độ 2"},
                                                                 {"1.000656", "Trùng mã", "4"},
                                                                 {"1.002809", "Đổi GPLX", "4"}}));
  ASSERT_TRUE(t);
  ASSERT_EQ(t->errors.size(), 3u);
  EXPECT_EQ(t->errors[0].line, 3u);
  EXPECT_EQ(t->errors[0].field, "code");
  EXPECT_EQ(t->errors[1].line, 4u);
  EXPECT_EQ(t->errors[1].field, "level");
  EXPECT_EQ(t->errors[2].line, 5u);
  EXPECT_NE(t->errors[2].message.find("dòng 2"), std::string::npos);
  EXPECT_EQ(t->rows.size(), 2u);
  Error e = import_error(t->errors);
  EXPECT_EQ(e.kind, ErrorKind::invalid);
  EXPECT_EQ(e.field, "file");
  EXPECT_TRUE(e.message.starts_with("Dòng 3: ")) << e.message;
  EXPECT_NE(e.message.find("; dòng 4: "), std::string::npos);
  EXPECT_NE(e.message.find("; dòng 5: "), std::string::npos);
  std::vector<RowError> many(14, RowError{9, "code", "Cần mã thủ tục"});
  EXPECT_NE(import_error(many).message.find("và 4 dòng lỗi khác"), std::string::npos);
}

}  // namespace
}  // namespace chidoan::desk::assist_rules
