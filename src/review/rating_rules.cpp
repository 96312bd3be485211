#include "review/rating_rules.hpp"

#include <algorithm>
#include <cstdio>

#include "platform/text/text.hpp"
#include "platform/text/words.hpp"

namespace chidoan::review::rating {
namespace {

constexpr size_t kMaxNoteChars = 1000, kMaxReasonChars = 500;

template <size_t N>
int64_t rank_of(const char* const (&list)[N], std::string_view v) {
  for (size_t i = 0; i < N; ++i)
    if (v == list[i]) return static_cast<int64_t>(i);
  return -1;
}

std::string str(const std::string& s) { return s; }
std::string str(int64_t n) { return std::to_string(n); }

// The pattern with each "{}" replaced by the next argument.
template <class... A>
std::string fill(std::string_view pattern, const A&... args) {
  std::vector<std::string> parts{str(args)...};
  std::string out;
  size_t next = 0;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern.compare(i, 2, "{}") == 0 && next < parts.size()) {
      out += parts[next++];
      ++i;
    } else {
      out += pattern[i];
    }
  }
  return out;
}

// "Tham gia" -> "tham gia": the labels here all start with an ASCII capital.
std::string lower(std::string s) {
  if (!s.empty() && s[0] >= 'A' && s[0] <= 'Z') s[0] = static_cast<char>(s[0] - 'A' + 'a');
  return s;
}

// Whole percent, rounded down (so a shown figure never passes a threshold the real one misses).
int64_t floor_pct(int64_t part, int64_t whole) { return whole == 0 ? 0 : part * 100 / whole; }

// One criterion of a level: met or not, and how to say it either way.
struct Check {
  bool ok = true;
  std::string met;    // "Tham gia 92% hoạt động (≥ 90%)"
  std::string unmet;  // "tham gia 85% hoạt động (cần ≥ 90%)"
};

// A rate criterion: part / whole against min_pct; no data (whole == 0): not counted.
void rate(std::vector<Check>& out, int64_t part, int64_t whole, int64_t min_pct, const std::string& verb, const std::string& what) {
  if (whole == 0) return;
  const int64_t pct = floor_pct(part, whole);
  const bool ok = part * 100 >= min_pct * whole;
  out.push_back({ok, fill("{} {}% {} (≥ {}%)", verb, pct, what, min_pct),
                 fill("{} {}% {} (cần ≥ {}%)", lower(verb), pct, what, min_pct)});
}

std::vector<Check> checks(const RatingThresholds& t, const RatingInputs& in, const RatingJudgement& j) {
  std::vector<Check> out;
  rate(out, in.activities_present, in.activities_recorded, t.min_participation_pct, "Tham gia", "hoạt động của chi đoàn");
  rate(out, in.meetings_present, in.meetings_recorded, t.min_meeting_pct, "Dự", "buổi sinh hoạt chi đoàn");
  if (in.meetings_recorded > 0)
    out.push_back({in.meeting_absences <= t.max_meeting_absences,
                   fill("Vắng sinh hoạt không lý do {} lần (≤ {})", in.meeting_absences, t.max_meeting_absences),
                   fill("vắng sinh hoạt không lý do {} lần (cần ≤ {})", in.meeting_absences, t.max_meeting_absences)});
  rate(out, in.study_completed, in.study_expected, t.min_study_pct, "Hoàn thành", "đợt học tập nghị quyết");
  if (in.dues_kept && in.dues_due_months > 0) {
    const bool ok = in.dues_paid_months * 100 >= t.min_dues_pct * in.dues_due_months;
    out.push_back({ok, fill("Đóng đoàn phí {}/{} tháng (≥ {}%)", in.dues_paid_months, in.dues_due_months, t.min_dues_pct),
                   fill("đóng đoàn phí {}/{} tháng (cần ≥ {}%)", in.dues_paid_months, in.dues_due_months, t.min_dues_pct)});
  }
  if (in.hours_kept && t.min_volunteer_hours > 0) {
    const std::string hours = in.volunteer_minutes % 60 == 0 ? text::format_int(in.volunteer_minutes / 60)
                                                             : text::format_decimal(static_cast<double>(in.volunteer_minutes) / 60.0, 1);
    const bool ok = in.volunteer_minutes >= t.min_volunteer_hours * 60;
    out.push_back({ok, fill("{} giờ tình nguyện (≥ {} giờ)", hours, t.min_volunteer_hours),
                   fill("{} giờ tình nguyện (cần ≥ {} giờ)", hours, t.min_volunteer_hours)});
  }
  const bool discipline_ok = rank_of(kDisciplines, j.discipline) <= rank_of(kDisciplines, t.max_discipline);
  out.push_back({discipline_ok, "Kỷ luật: " + lower(discipline_label(j.discipline)),
                 "kỷ luật: " + lower(discipline_label(j.discipline)) + " (cần: " + lower(discipline_label(t.max_discipline)) +
                     (t.max_discipline == "none" ? ")" : " trở xuống)")});
  const bool conduct_ok = rank_of(kConducts, j.conduct) <= rank_of(kConducts, t.min_conduct);
  out.push_back({conduct_ok, "Phẩm chất chính trị, đạo đức, lối sống: " + lower(conduct_label(j.conduct)),
                 "phẩm chất chính trị, đạo đức, lối sống: " + lower(conduct_label(j.conduct)) + " (cần: " +
                     lower(conduct_label(t.min_conduct)) + (t.min_conduct == "good" ? ")" : " trở lên)")});
  return out;
}

std::vector<std::string> unmet_of(const std::vector<Check>& cs) {
  std::vector<std::string> out;
  for (const auto& c : cs)
    if (!c.ok) out.push_back(c.unmet);
  return out;
}

}  // namespace

std::string level_label(std::string_view level) {
  if (level == "excellent") return "Hoàn thành xuất sắc nhiệm vụ";
  if (level == "good") return "Hoàn thành tốt nhiệm vụ";
  if (level == "completed") return "Hoàn thành nhiệm vụ";
  if (level == "not_completed") return "Không hoàn thành nhiệm vụ";
  return std::string(level);
}

std::string level_in_sentence(std::string_view level) { return lower(level_label(level)); }

std::string discipline_label(std::string_view d) {
  if (d == "none") return "Không vi phạm";
  if (d == "reminded") return "Bị nhắc nhở, phê bình";
  if (d == "disciplined") return "Bị kỷ luật";
  return std::string(d);
}

std::string conduct_label(std::string_view c) {
  if (c == "good") return "Tốt";
  if (c == "fair") return "Khá";
  if (c == "poor") return "Chưa tốt";
  return std::string(c);
}

std::string state_label(std::string_view s) {
  if (s.empty() || s == "draft") return "Đang đánh giá";
  if (s == "confirmed") return "Chi đoàn đã xác nhận";
  if (s == "approved") return "Cấp trên đã phê duyệt";
  if (s == "returned") return "Cấp trên trả lại";
  return std::string(s);
}

bool is_level(std::string_view level) { return rank_of(kRatingLevels, level) >= 0; }

Result<RatingGuideline> guideline_for(int64_t year, const std::vector<RatingGuideline>& guidelines) {
  for (const auto& g : guidelines)
    if (g.from_year <= year && (!g.to_year || year <= *g.to_year)) return g;
  return fail(ErrorKind::invalid, "Chưa có hướng dẫn đánh giá, xếp loại đoàn viên áp dụng cho năm " + std::to_string(year), "year");
}

std::string month_of(int year, int month) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", year, month);
  return buf;
}

bool within(const std::vector<std::pair<std::string, std::string>>& periods, const std::string& date) {
  return std::any_of(periods.begin(), periods.end(), [&](const auto& p) { return p.first <= date && (p.second.empty() || date < p.second); });
}

int64_t months_in_year(const std::vector<std::pair<std::string, std::string>>& periods, int year) {
  int64_t n = 0;
  for (int m = 1; m <= 12; ++m) n += within(periods, month_of(year, m) + "-15");
  return n;
}

Tenure tenure_of(const RatingInputs& in, int64_t min_months) {
  if (!in.in_branch_at_year_end) return Tenure::not_rated_here;
  if (in.months_in_branch >= min_months) return Tenure::rated;
  return in.previous_branch.empty() ? Tenure::not_rated_here : Tenure::rated_with_old_comments;
}

RatingProposal propose(const RatingGuideline& g, const RatingInputs& in, const RatingJudgement& j) {
  RatingProposal p;
  p.tenure = tenure_of(in, g.min_months);
  if (p.tenure == Tenure::not_rated_here) {
    p.reasons.push_back(in.in_branch_at_year_end
                            ? fill("Sinh hoạt tại chi đoàn {} tháng (dưới {} tháng), đoàn viên mới: chưa đánh giá, xếp loại năm nay",
                                          in.months_in_branch, g.min_months)
                            : "Không còn sinh hoạt tại chi đoàn đến cuối năm: chi đoàn nơi đoàn viên sinh hoạt đánh giá, xếp loại");
    return p;
  }
  if (p.tenure == Tenure::rated_with_old_comments)
    p.reasons.push_back(fill("Sinh hoạt tại chi đoàn {} tháng (dưới {} tháng): đánh giá có ý kiến nhận xét của {}", in.months_in_branch,
                                    g.min_months, in.previous_branch));
  std::vector<std::string> short_of_above;
  std::string above;
  for (const auto& t : g.thresholds) {
    auto cs = checks(t, in, j);
    auto unmet = unmet_of(cs);
    if (unmet.empty()) {
      p.level = t.level;
      for (const auto& c : cs) p.reasons.push_back(c.met);
      break;
    }
    short_of_above = std::move(unmet);
    above = t.level;
  }
  if (!p.level) p.level = "not_completed";
  if (!above.empty())
    p.reasons.push_back("Chưa đạt mức \u201C" + level_label(above) + "\u201D: " + text::join(short_of_above, "; ", "; "));
  return p;
}

Result<RatingEntry> validate_entry(const RawFields& raw) {
  RatingEntry e;
  e.judgement.discipline = field_of(raw, "discipline").empty() ? "none" : field_of(raw, "discipline");
  if (rank_of(kDisciplines, e.judgement.discipline) < 0)
    return fail(ErrorKind::invalid, "Kỷ luật phải là một trong: none (không vi phạm), reminded (nhắc nhở, phê bình), disciplined (bị kỷ luật)",
                "discipline");
  e.judgement.conduct = field_of(raw, "conduct").empty() ? "good" : field_of(raw, "conduct");
  if (rank_of(kConducts, e.judgement.conduct) < 0)
    return fail(ErrorKind::invalid, "Phẩm chất chính trị, đạo đức, lối sống phải là một trong: good (tốt), fair (khá), poor (chưa tốt)", "conduct");
  CHIDOAN_TRY(note, text::clean_field(field_of(raw, "note"), "note", "Nhận xét", kMaxNoteChars, true));
  e.judgement.note = note;
  const std::string level = field_of(raw, "level");
  if (!level.empty()) {
    if (!is_level(level))
      return fail(ErrorKind::invalid, "Mức xếp loại phải là một trong: excellent, good, completed, not_completed", "level");
    e.chosen_level = level;
  }
  CHIDOAN_TRY(reason, text::clean_field(field_of(raw, "level_reason"), "level_reason", "Lý do chọn mức khác đề xuất", kMaxReasonChars, true));
  e.level_reason = reason;
  return e;
}

Result<RatingEntry> against_proposal(RatingEntry e, const std::optional<std::string>& proposed) {
  if (!proposed) {
    if (e.chosen_level) return fail(ErrorKind::invalid, "Đoàn viên này không do chi đoàn đánh giá, xếp loại năm nay", "level");
    return e;
  }
  if (e.chosen_level && *e.chosen_level == *proposed) e.chosen_level.reset();
  if (!e.chosen_level) {
    e.level_reason.clear();
    return e;
  }
  if (e.level_reason.empty())
    return fail(ErrorKind::invalid, "Cần lý do khi Ban Chấp hành chọn mức khác mức hệ thống đề xuất (" + level_label(*proposed) + ")",
                "level_reason");
  return e;
}

Result<GuidelineInput> validate_guideline(const RawFields& raw) {
  GuidelineInput g;
  CHIDOAN_TRY(code, text::clean_field(field_of(raw, "code"), "code", "Số hiệu hướng dẫn", 60, false));
  if (code.empty()) return fail(ErrorKind::invalid, "Cần số hiệu hướng dẫn (ví dụ: HD 33-HD/TWĐTN-BTC)", "code");
  CHIDOAN_TRY(title, text::clean_field(field_of(raw, "title"), "title", "Tên hướng dẫn", 300, false));
  if (title.empty()) return fail(ErrorKind::invalid, "Cần tên hướng dẫn", "title");
  CHIDOAN_TRY(note, text::clean_field(field_of(raw, "note"), "note", "Ghi chú", kMaxNoteChars, true));
  g.code = code;
  g.title = title;
  g.note = note;
  return g;
}

bool may_edit(std::string_view state) { return state.empty() || state == "draft" || state == "returned"; }
bool may_confirm(std::string_view state) { return may_edit(state); }
bool may_decide(std::string_view state) { return state == "confirmed"; }

Result<std::string> check_decision(std::string_view to, std::string_view reason) {
  if (to != "approved" && to != "returned") return fail(ErrorKind::invalid, "Chọn phê duyệt (approved) hoặc trả lại (returned)", "to");
  CHIDOAN_TRY(r, text::clean_field(reason, "reason", "Lý do trả lại", kMaxReasonChars, true));
  if (to == "returned" && r.empty()) return fail(ErrorKind::invalid, "Cần lý do trả lại để chi đoàn đánh giá lại", "reason");
  return to == "approved" ? std::string() : r;
}

}  // namespace chidoan::review::rating
