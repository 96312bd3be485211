#include "review/classification_rules.hpp"

#include <algorithm>

#include "platform/text/text.hpp"
#include "platform/text/whole.hpp"
#include "platform/text/words.hpp"

namespace chidoan::review::classification {
namespace {

constexpr size_t kMaxNoteChars = 500;

// Basis points as a percent: 10000 -> "100%", 4750 -> "47,5%", 6667 -> "66,67%".
std::string bp_text(int64_t bp) {
  const double ratio = static_cast<double>(bp) / 10000.0;
  if (bp % 100 == 0) return text::format_percent(ratio, 0);
  if (bp % 10 == 0) return text::format_percent(ratio, 1);
  return text::format_percent(ratio, 2);
}

const LevelRule* rule_of(const Scheme& s, std::string_view level) {
  for (const auto& l : s.levels)
    if (l.level == level) return &l;
  return nullptr;
}

}  // namespace

const MeasureInfo* measure_info(std::string_view code) {
  for (const auto& m : kMeasures)
    if (code == m.code) return &m;
  return nullptr;
}

std::string measure_text(std::string_view code, int64_t value) {
  const MeasureInfo* m = measure_info(code);
  return m && m->rate ? bp_text(value) : text::format_int(value);
}

const Scheme* scheme_for_year(const std::vector<Scheme>& schemes, int64_t year) {
  const Scheme* best = nullptr;
  for (const auto& s : schemes) {
    if (year < s.valid_from || (s.valid_to && year > *s.valid_to)) continue;
    if (!best || s.valid_from > best->valid_from) best = &s;
  }
  return best;
}

int64_t points_for(const Criterion& c, int64_t value) {
  if (c.full_at <= 0 || value <= 0) return 0;
  const int64_t v = std::min(value, c.full_at);
  return (2 * c.max_points * v + c.full_at) / (2 * c.full_at);
}

std::vector<Line> live_lines(const Scheme& s, const Measures& m, const std::map<int64_t, Entered>& entered) {
  std::vector<Line> out;
  for (const auto& c : s.criteria) {
    Line l{c, "entered", std::nullopt, std::nullopt, ""};
    auto value = c.source == "computed" ? m.values.find(c.measure) : m.values.end();
    if (value != m.values.end()) {
      l.source = "computed";
      l.value = value->second;
      l.points = points_for(c, value->second);
    } else if (auto e = entered.find(c.id); e != entered.end()) {
      l.points = e->second.points;
      l.note = e->second.note;
    }
    out.push_back(std::move(l));
  }
  return out;
}

Proposal propose(const Scheme& s, const std::vector<Line>& lines, const Measures& m) {
  Proposal p;
  std::vector<std::string> unscored;
  for (const auto& l : lines) {
    p.max_score += l.criterion.max_points;
    if (l.points)
      p.score += *l.points;
    else
      unscored.push_back("\u201C" + l.criterion.name + "\u201D");
  }
  p.missing = static_cast<int64_t>(unscored.size());
  p.reasons.push_back("Tổng điểm: " + text::format_int(p.score) + "/" + text::format_int(p.max_score) + ".");
  if (!unscored.empty()) {
    p.reasons.push_back("Còn " + std::to_string(unscored.size()) + " tiêu chí Ban Chấp hành chưa chấm điểm: " +
                        text::join(unscored, ", ", " và ") + "; chấm đủ thì hệ thống mới đề xuất mức xếp loại.");
    return p;
  }
  for (const auto& rule : s.levels) {
    if (p.score < rule.min_score) continue;
    const std::string reached = "đạt " + text::format_int(p.score) + " điểm (mức " + rule.name + " cần từ " +
                                text::format_int(rule.min_score) + " điểm)";
    if (rule.max_not_completed_bp) {
      // Compared exactly (not the rounded share): at most max_bp / 10000 of the rated members.
      const int64_t share = m.rated > 0 ? basis_points(m.not_completed, m.rated) : 0;
      if (m.rated == 0) {
        p.reasons.push_back("Chưa có kết quả xếp loại đoàn viên của năm: điều kiện mức " + rule.name +
                            " (đoàn viên không hoàn thành nhiệm vụ không quá " + bp_text(*rule.max_not_completed_bp) +
                            ") chưa kiểm tra được, cấp trên xem xét khi duyệt.");
      } else if (m.not_completed * 10000 > *rule.max_not_completed_bp * m.rated) {
        p.reasons.push_back("Chưa đủ điều kiện mức " + rule.name + " dù " + reached + ": " + bp_text(share) +
                            " đoàn viên được xếp loại không hoàn thành nhiệm vụ, vượt mức cho phép " +
                            bp_text(*rule.max_not_completed_bp) + ".");
        continue;
      } else {
        p.level = rule.level;
        p.reasons.push_back("Đề xuất xếp loại " + rule.name + ": " + reached + "; đoàn viên không hoàn thành nhiệm vụ " +
                            bp_text(share) + " (không quá " + bp_text(*rule.max_not_completed_bp) + ").");
        return p;
      }
    }
    p.level = rule.level;
    p.reasons.push_back("Đề xuất xếp loại " + rule.name + ": " + reached + ".");
    return p;
  }
  return p;
}

std::string level_name(const Scheme& s, std::string_view level) {
  const LevelRule* r = rule_of(s, level);
  return r ? r->name : std::string(level);
}

bool is_level(const Scheme& s, std::string_view level) { return rule_of(s, level) != nullptr; }

int64_t basis_points(int64_t a, int64_t b) { return (20000 * a + b) / (2 * b); }

std::string reasons_text(const std::vector<std::string>& reasons) {
  std::string out;
  for (const auto& r : reasons) out += r + "\n";
  return out;
}

std::vector<std::string> reasons_of(std::string_view text) {
  std::vector<std::string> out;
  for (size_t from = 0, to; from < text.size(); from = to + 1) {
    to = text.find('\n', from);
    if (to == std::string_view::npos) to = text.size();
    if (to > from) out.emplace_back(text.substr(from, to - from));
  }
  return out;
}

Result<std::pair<const Criterion*, Entered>> validate_entered(const Scheme& s, const Measures& m, std::string_view code,
                                                              std::string_view points, std::string_view note) {
  const Criterion* c = nullptr;
  for (const auto& x : s.criteria)
    if (x.code == code) c = &x;
  if (!c) return fail(ErrorKind::invalid, "Chọn một tiêu chí của bảng điểm", "criterion");
  if (c->source == "computed" && m.values.contains(c->measure))
    return fail(ErrorKind::invalid, "Tiêu chí \u201C" + c->name + "\u201D được tính từ số liệu của năm, không chấm tay", "criterion");
  const auto v = text::parse_whole(points, 0, c->max_points);
  if (!v) return fail(ErrorKind::invalid, "Điểm phải là số nguyên từ 0 đến " + std::to_string(c->max_points), "points");
  CHIDOAN_TRY(clean, text::clean_field(note, "note", "Ghi chú", kMaxNoteChars, true));
  return std::pair{c, Entered{*v, clean}};
}

Result<void> check_step(std::string_view state, std::string_view step) {
  const bool branch_step = step == "score" || step == "confirm";
  const bool upper_step = step == "approve" || step == "return";
  if (branch_step && (state == "draft" || state == "returned")) return {};
  if (upper_step && state == "confirmed") return {};
  if (branch_step)
    return fail(ErrorKind::conflict, "Bảng điểm đang ở trạng thái \u201C" + state_label(state) + "\u201D: chỉ sửa hoặc xác nhận được khi đang chấm hoặc bị trả lại", "state");
  if (upper_step)
    return fail(ErrorKind::conflict, "Bảng điểm đang ở trạng thái \u201C" + state_label(state) + "\u201D: chỉ duyệt hoặc trả lại được khi chi đoàn đã xác nhận", "state");
  return fail(ErrorKind::invalid, "Bước không hợp lệ", "step");
}

std::string state_label(std::string_view state) {
  if (state == "draft") return "Đang chấm";
  if (state == "confirmed") return "Chi đoàn đã xác nhận, chờ cấp trên duyệt";
  if (state == "approved") return "Cấp trên đã duyệt";
  if (state == "returned") return "Cấp trên trả lại";
  if (state == "none") return "Chưa chấm";
  return std::string(state);
}

Result<Decision> validate_decision(const Scheme& s, std::string_view step, std::string_view proposed_level, std::string_view level,
                                   std::string_view note) {
  CHIDOAN_TRY(clean, text::clean_field(note, "note", "Lý do", kMaxNoteChars, true));
  Decision d{std::string(), clean};
  if (step == "return") {
    if (clean.empty()) return fail(ErrorKind::invalid, "Cần lý do trả lại để chi đoàn sửa", "note");
    return d;
  }
  d.level = level.empty() ? std::string(proposed_level) : std::string(level);
  if (!is_level(s, d.level)) {
    std::vector<std::string> codes;
    for (const auto& l : s.levels) codes.push_back(l.level);
    return fail(ErrorKind::invalid, "Mức xếp loại phải là một trong: " + text::join(codes, ", ", ", "), "level");
  }
  if (d.level != proposed_level && clean.empty())
    return fail(ErrorKind::invalid, "Duyệt ở mức khác mức chi đoàn đã xác nhận thì cần ghi lý do", "note");
  return d;
}

std::string narrative(int64_t year, const std::string& label, int64_t score, int64_t max_score, std::string_view state,
                      const std::string& approved_by, const std::string& approved_on) {
  const bool approved = state == "approved";
  const std::string points = " (" + text::format_int(score) + "/" + text::format_int(max_score) + " điểm)";
  std::string n = "Năm " + std::to_string(year) + (approved ? ", Chi đoàn được xếp loại " : ", Chi đoàn tự đánh giá, đề xuất xếp loại ") +
                  "\u201C" + label + "\u201D" + points;
  if (approved)
    n += ", được " + approved_by + " công nhận ngày " + text::format_date(approved_on);
  else
    n += ", đang chờ cấp trên duyệt";
  return n + ".";
}

}  // namespace chidoan::review::classification
