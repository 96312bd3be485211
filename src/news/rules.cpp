#include "news/rules.hpp"

#include <algorithm>
#include <charconv>
#include <regex>
#include <unordered_set>

#include "platform/markdown/markdown.hpp"
#include "platform/text/text.hpp"

namespace chidoan::news::rules {
namespace {

const Transition* find_transition(std::string_view from, std::string_view to) {
  for (const auto& t : kTransitions)
    if (t.from == from && t.to == to) return &t;
  return nullptr;
}

Result<std::optional<int64_t>> opt_id(const RawFields& raw, const std::string& field, const std::string& label) {
  std::string s = field_of(raw, field);
  if (s.empty()) return std::optional<int64_t>();
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v <= 0)
    return fail(ErrorKind::invalid, label + " phải là mã số dương", field);
  return std::optional<int64_t>(v);
}

bool is_digit_at(std::string_view s, size_t i) { return i < s.size() && s[i] >= '0' && s[i] <= '9'; }

// Phone numbers and identity numbers in one text.
void numbers_in(const std::string& field, std::string_view text, std::vector<Finding>& out) {
  // A Vietnamese phone number: +84 or 0, then 9 (mobile) or 10 (landline) digits, in groups
  // separated by a space, dot or dash.
  static const std::regex phone(R"((\+84|0)([ .-]?[0-9]){9,10})");
  static const std::regex id_number(R"([0-9]{12}|[0-9]{9})");
  std::string s(text);
  for (auto it = std::sregex_iterator(s.begin(), s.end(), phone); it != std::sregex_iterator(); ++it) {
    size_t from = static_cast<size_t>(it->position()), to = from + static_cast<size_t>(it->length());
    if ((from > 0 && is_digit_at(s, from - 1)) || is_digit_at(s, to)) continue;  // part of a longer number
    out.push_back({field, "số điện thoại " + it->str()});
  }
  for (auto it = std::sregex_iterator(s.begin(), s.end(), id_number); it != std::sregex_iterator(); ++it) {
    size_t from = static_cast<size_t>(it->position()), to = from + static_cast<size_t>(it->length());
    if ((from > 0 && is_digit_at(s, from - 1)) || is_digit_at(s, to)) continue;
    out.push_back({field, "số định danh " + it->str() + " (CCCD/CMND)"});
  }
}

// Folded words of a text: "Đoàn viên Hoàng Thị Lan Anh," -> doan, vien, hoang, thi, lan, anh.
std::vector<std::string> folded_words(std::string_view text) {
  std::string f = text::search_fold(text);
  std::vector<std::string> words;
  std::string w;
  for (char c : f) {
    bool word = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (static_cast<unsigned char>(c) >= 0x80);
    if (word) {
      w += c;
    } else if (!w.empty()) {
      words.push_back(std::move(w));
      w.clear();
    }
  }
  if (!w.empty()) words.push_back(std::move(w));
  return words;
}

std::string join(const std::vector<std::string>& words, size_t from, size_t n) {
  std::string s;
  for (size_t i = from; i < from + n; ++i) {
    if (i > from) s += ' ';
    s += words[i];
  }
  return s;
}

}  // namespace

bool is_state(std::string_view s) { return std::ranges::any_of(kStates, [&](const char* k) { return s == k; }); }

std::string state_label(std::string_view state) {
  if (state == "draft") return "Bản nháp";
  if (state == "awaiting") return "Chờ duyệt";
  if (state == "published") return "Đã đăng";
  if (state == "withdrawn") return "Đã gỡ";
  return std::string(state);
}

std::string move_label(std::string_view to) {
  if (to == "awaiting") return "Gửi duyệt";
  if (to == "draft") return "Sửa lại";
  if (to == "returned") return "Trả lại để sửa";
  if (to == "published") return "Duyệt và đăng";
  if (to == "withdrawn") return "Gỡ bài";
  return std::string(to);
}

std::string_view landing(std::string_view to) { return to == "returned" ? std::string_view("draft") : to; }

std::vector<std::string> moves_from(std::string_view from, unsigned who) {
  std::vector<std::string> out;
  for (const auto& t : kTransitions)
    if (t.from == from && (t.movers & who) != 0) out.emplace_back(t.to);
  return out;
}

Result<void> check_move(std::string_view from, std::string_view to, unsigned who) {
  if (!is_state(to) && to != "returned")
    return fail(ErrorKind::invalid, "Trạng thái không hợp lệ: " + std::string(to.substr(0, 40)), "to_state");
  const Transition* t = find_transition(from, to);
  if (!t) {
    if (to == "published")
      return fail(ErrorKind::conflict, "Chỉ đăng được bài đang chờ duyệt: bài “" + state_label(from) + "” cần được gửi duyệt và Ban Chấp hành duyệt trước",
                  "to_state");
    return fail(ErrorKind::conflict, "Không thể chuyển bài từ “" + state_label(from) + "” sang “" + state_label(landing(to)) + "”",
                "to_state");
  }
  if ((t->movers & who) == 0) {
    std::string whom = t->movers == kAuthor ? "người viết bài" : t->movers == kCommittee ? "Ban Chấp hành" : "người viết bài hoặc Ban Chấp hành";
    return fail(ErrorKind::forbidden, "Chỉ " + whom + " được thực hiện “" + move_label(to) + "”", "to_state");
  }
  return {};
}

Result<std::string> check_note(std::string_view to, std::string_view raw_note) {
  CHIDOAN_TRY(note, text::clean_field(raw_note, "note", "Lý do", kMaxNoteChars, true));
  const Transition* t = nullptr;
  for (const auto& k : kTransitions)
    if (k.to == to) t = &k;
  if (t && t->needs_note && note.empty())
    return fail(ErrorKind::invalid, to == "withdrawn" ? "Cần ghi lý do gỡ bài" : "Cần ghi lý do trả lại để người viết sửa", "note");
  return note;
}

bool may_edit(std::string_view state, unsigned who) {
  if (state == "draft" || state == "awaiting") return (who & (kAuthor | kCommittee)) != 0;
  if (state == "published") return (who & kCommittee) != 0;
  return false;
}

Result<PostInput> validate_post(const RawFields& raw) {
  PostInput in;
  CHIDOAN_TRY(title, text::clean_field(field_of(raw, "title"), "title", "Tiêu đề", kMaxTitleChars, false));
  if (title.empty()) return fail(ErrorKind::invalid, "Cần tiêu đề bài viết", "title");
  in.title = title;
  CHIDOAN_TRY(summary, text::clean_field(field_of(raw, "summary"), "summary", "Tóm tắt", kMaxSummaryChars, false));
  in.summary = summary;
  CHIDOAN_TRY(body, text::clean_field(field_of(raw, "body"), "body", "Nội dung", kMaxBodyChars, true));
  in.body = body;
  CHIDOAN_TRY(activity, opt_id(raw, "activity_id", "Hoạt động"));
  CHIDOAN_TRY(campaign, opt_id(raw, "campaign_id", "Chiến dịch"));
  CHIDOAN_TRY(forum, opt_id(raw, "forum_id", "Diễn đàn"));
  CHIDOAN_TRY(cycle, opt_id(raw, "produce_cycle_id", "Đợt đặt hàng nông sản"));
  in.links = {activity, campaign, forum, cycle};
  return in;
}

Result<std::string> validate_alt(std::string_view raw) {
  CHIDOAN_TRY(alt, text::clean_field(raw, "alt", "Mô tả ảnh", kMaxAltChars, false));
  if (alt.empty())
    return fail(ErrorKind::invalid, "Cần mô tả ảnh (chữ thay thế) cho người không xem được ảnh, ví dụ “Đoàn viên trao quà tại khu cách ly”", "alt");
  return alt;
}

Result<std::pair<std::string, int64_t>> parse_source(std::string_view raw) {
  const std::string message = "Chọn hoạt động, chiến dịch, diễn đàn hoặc đợt đặt hàng để viết bài từ số liệu";
  auto colon = raw.find(':');
  if (colon == std::string_view::npos) return fail(ErrorKind::invalid, message, "source");
  std::string kind(raw.substr(0, colon));
  if (kind != "activity" && kind != "campaign" && kind != "forum" && kind != "produce") return fail(ErrorKind::invalid, message, "source");
  int64_t id = 0;
  auto rest = raw.substr(colon + 1);
  auto [p, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), id);
  if (ec != std::errc() || p != rest.data() + rest.size() || id <= 0) return fail(ErrorKind::invalid, message, "source");
  return std::pair{kind, id};
}

namespace {
constexpr size_t kMaxNameWords = 6;

// What a reader would see: the body as rendered (Markdown emphasis inside a number or a name,
// character references and invisible characters undone), the other fields as they are shown.
std::vector<std::pair<std::string, std::string>> as_seen(const std::vector<std::pair<std::string, std::string>>& raw_texts) {
  std::vector<std::pair<std::string, std::string>> texts;
  for (const auto& [field, t] : raw_texts) {
    texts.emplace_back(field, markdown::visible(t));
    if (field == "body") texts.emplace_back(field, markdown::to_text(t));
  }
  return texts;
}

std::unordered_set<std::string> grams_of(const std::string& text) {
  auto words = folded_words(text);
  std::unordered_set<std::string> grams;
  for (size_t i = 0; i < words.size(); ++i)
    for (size_t n = 2; n <= kMaxNameWords && i + n <= words.size(); ++n) grams.insert(join(words, i, n));
  return grams;
}
}  // namespace

std::vector<std::string> name_candidates(const std::vector<std::pair<std::string, std::string>>& raw_texts) {
  std::unordered_set<std::string> all;
  for (const auto& [field, t] : as_seen(raw_texts)) all.merge(grams_of(t));
  std::vector<std::string> out(all.begin(), all.end());
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<Finding> personal_data(const std::vector<std::pair<std::string, std::string>>& raw_texts,
                                   const std::vector<std::string>& names) {
  auto texts = as_seen(raw_texts);
  std::vector<Finding> found;
  for (const auto& [field, t] : texts) numbers_in(field, t, found);
  // Every run of 2..6 folded words of each text; a name is found when its folded words are one.
  for (const auto& [field, t] : texts) {
    if (names.empty()) break;
    auto grams = grams_of(t);
    if (grams.empty()) continue;
    std::unordered_set<std::string> reported;
    for (const auto& name : names) {
      auto nw = folded_words(name);
      if (nw.size() < 2 || nw.size() > kMaxNameWords) continue;
      std::string key = join(nw, 0, nw.size());
      if (grams.contains(key) && reported.insert(key).second)
        found.push_back({field, "tên đoàn viên " + name + " (chưa đồng ý được nêu tên trong tin bài)"});
    }
  }
  // The raw and the rendered body often find the same thing once each.
  std::vector<Finding> out;
  for (auto& f : found)
    if (std::ranges::none_of(out, [&](const Finding& o) { return o.field == f.field && o.what == f.what; })) out.push_back(std::move(f));
  return out;
}

Result<void> check_publishable(const std::vector<Finding>& findings) {
  if (findings.empty()) return {};
  std::string what;
  for (size_t i = 0; i < findings.size() && i < 5; ++i) {
    if (i > 0) what += "; ";
    what += findings[i].what;
  }
  if (findings.size() > 5) what += "; và " + std::to_string(findings.size() - 5) + " chỗ khác";
  return fail(ErrorKind::invalid, "Trang tin công khai không được có thông tin cá nhân của đoàn viên: " + what, findings.front().field);
}

std::string excerpt(std::string_view body, size_t max_chars) {
  std::string plain;
  plain.reserve(body.size());
  for (size_t i = 0; i < body.size(); ++i) {
    char c = body[i];
    if (c == ']' && i + 1 < body.size() && body[i + 1] == '(') {  // [text](url): keep the text
      auto close = body.find(')', i);
      if (close != std::string_view::npos) {
        i = close;
        continue;
      }
    }
    if (c == '#' || c == '*' || c == '_' || c == '`' || c == '>' || c == '[' || c == ']') continue;
    bool space = c == '\n' || c == '\r' || c == '\t' || c == ' ';
    if (space) {
      if (!plain.empty() && plain.back() != ' ') plain += ' ';
    } else {
      plain += c;
    }
  }
  while (!plain.empty() && plain.back() == ' ') plain.pop_back();
  if (text::utf8_chars(plain) <= max_chars) return plain;
  // Cut at the last space before max_chars characters.
  size_t chars = 0, cut = 0, last_space = 0;
  for (size_t i = 0; i < plain.size(); ++i) {
    if ((static_cast<unsigned char>(plain[i]) & 0xC0) == 0x80) continue;
    if (chars == max_chars) {
      cut = i;
      break;
    }
    if (plain[i] == ' ') last_space = i;
    ++chars;
  }
  if (last_space > 0) cut = last_space;
  std::string out = plain.substr(0, cut);
  while (!out.empty() && (out.back() == ' ' || out.back() == ',' || out.back() == '.' || out.back() == ';')) out.pop_back();
  return out + "…";
}

std::string description(const Post& p) { return p.summary.empty() ? excerpt(p.body, 200) : p.summary; }

}  // namespace chidoan::news::rules
