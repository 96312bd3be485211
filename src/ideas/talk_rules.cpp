#include "ideas/talk_rules.hpp"

#include <algorithm>
#include <charconv>
#include <set>

#include "ideas/rules.hpp"

namespace chidoan::ideas::talk_rules {
namespace {

std::string get(const RawFields& raw, std::string_view name) {
  auto it = raw.find(name);
  return it == raw.end() ? "" : it->second;
}

// Words that say little about what an idea is ("va", "cho", "cua", "cac", "nhung", ...), folded.
const std::set<std::string, std::less<>>& stop_words() {
  static const std::set<std::string, std::less<>> words = {
      "va", "cho", "cua", "cac", "nhung", "mot", "trong", "de", "voi", "la", "o", "tai", "tu", "den", "ve", "theo",
      "nham", "bang", "khi", "thi", "ma", "nay", "do", "duoc", "co", "the", "cung", "tren", "duoi", "nguoi", "viec"};
  return words;
}

std::vector<std::string> all_words(std::string_view folded) {
  std::vector<std::string> out;
  std::string w;
  for (char c : folded) {
    bool word_char = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (static_cast<unsigned char>(c) >= 0x80);
    if (word_char) {
      w += c;
    } else if (!w.empty()) {
      out.push_back(w);
      w.clear();
    }
  }
  if (!w.empty()) out.push_back(w);
  return out;
}

}  // namespace

bool is_thread(std::string_view t) { return t == "comment" || t == "mentor"; }

Result<CommentInput> validate_comment(const RawFields& raw) {
  CommentInput in;
  CHIDOAN_TRY(body, rules::clean_text(get(raw, "body"), "body", "Nội dung", kMaxBodyChars, true));
  if (body.empty()) return fail(ErrorKind::invalid, "Cần viết nội dung", "body");
  in.body = body;
  std::string p = get(raw, "parent_id");
  if (!p.empty()) {
    int64_t id = 0;
    auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), id);
    if (ec != std::errc() || end != p.data() + p.size() || id <= 0)
      return fail(ErrorKind::invalid, "Bình luận được trả lời không hợp lệ", "parent_id");
    in.parent_id = id;
  }
  return in;
}

bool open_for_talk(std::string_view state) { return state != "draft" && state != "archived"; }

Result<void> may_post(std::string_view thread, std::string_view state, bool idea_hidden, const Writer& w, int64_t idea_id,
                      const std::optional<Comment>& parent) {
  if (!is_thread(thread)) return fail(ErrorKind::invalid, "Luồng thảo luận không hợp lệ", "thread");
  if (!w.may_view && !w.mentor && !w.author) return fail(ErrorKind::forbidden, "Bạn không xem được ý tưởng này");
  if (idea_hidden) return fail(ErrorKind::conflict, "Ý tưởng đang bị ẩn chờ kiểm duyệt, chưa thể thảo luận");
  if (!open_for_talk(state))
    return fail(ErrorKind::conflict, state == "draft" ? "Ý tưởng còn là bản nháp, chưa mở thảo luận" : "Ý tưởng đã lưu trữ, thảo luận đã đóng");
  if (parent) {
    if (parent->idea_id != idea_id || parent->thread != thread)
      return fail(ErrorKind::invalid, "Bình luận được trả lời không thuộc luồng này", "parent_id");
    if (parent->parent_id) return fail(ErrorKind::invalid, "Chỉ trả lời được bình luận gốc (bình luận chỉ có một cấp)", "parent_id");
    if (parent->hidden) return fail(ErrorKind::conflict, "Bình luận này đang bị ẩn, không trả lời được", "parent_id");
  }
  if (thread == "mentor") {
    if (w.mentor) return {};
    if (!w.author) return fail(ErrorKind::forbidden, "Chỉ người hướng dẫn của diễn đàn và tác giả ý tưởng được viết trong luồng hướng dẫn");
    if (!parent) return fail(ErrorKind::invalid, "Tác giả trả lời góp ý của người hướng dẫn: chọn góp ý để trả lời", "parent_id");
  }
  return {};
}

bool is_target(std::string_view t) { return t == "idea" || t == "comment"; }

Result<std::string> validate_reason(const RawFields& raw, const std::string& field) {
  CHIDOAN_TRY(reason, rules::clean_text(get(raw, field), field, "Lý do", kMaxReasonChars, true));
  if (reason.empty()) return fail(ErrorKind::invalid, "Cần ghi lý do", field);
  return reason;
}

bool hides(int64_t pending_reports) { return pending_reports >= kHideAfterReports; }

std::vector<std::string> key_words(std::string_view folded) {
  std::vector<std::string> out;
  for (auto& w : all_words(folded)) {
    if (w.size() < 2 || stop_words().contains(w)) continue;
    if (std::find(out.begin(), out.end(), w) == out.end()) out.push_back(std::move(w));
  }
  return out;
}

double likeness(std::string_view query_folded, std::string_view title_folded) {
  auto q = key_words(query_folded);
  if (q.empty()) return 0;
  auto t = key_words(title_folded);
  size_t common = 0;
  for (const auto& w : q) common += std::find(t.begin(), t.end(), w) != t.end() ? 1 : 0;
  double share = static_cast<double>(common) / static_cast<double>(q.size());
  // The query's words as a phrase of the title ("so hoa ho so" in "ung dung so hoa ho so").
  auto qa = all_words(query_folded), ta = all_words(title_folded);
  bool phrase = qa.size() >= 2 && std::search(ta.begin(), ta.end(), qa.begin(), qa.end()) != ta.end();
  return std::min(1.0, share + (phrase ? 0.25 : 0.0));
}

bool alike(std::string_view query_folded, std::string_view title_folded) {
  auto q = key_words(query_folded), t = key_words(title_folded);
  if (q.size() < 2) return false;
  auto qa = all_words(query_folded), ta = all_words(title_folded);
  if (std::search(ta.begin(), ta.end(), qa.begin(), qa.end()) != ta.end()) return true;
  size_t common = 0;
  for (const auto& w : q) common += std::find(t.begin(), t.end(), w) != t.end() ? 1 : 0;
  return common >= 2 && likeness(query_folded, title_folded) >= 0.5;
}

std::string excerpt(std::string_view s, size_t max_chars) {
  std::string out;
  size_t chars = 0;
  bool space = false;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
      space = !out.empty();
      continue;
    }
    if ((c & 0xC0) != 0x80) {
      if (chars == max_chars) return out + "…";
      if (space) {
        out += ' ';
        ++chars;
        space = false;
        if (chars == max_chars) return out + "…";
      }
      ++chars;
    }
    out += s[i];
  }
  return out;
}

}  // namespace chidoan::ideas::talk_rules
