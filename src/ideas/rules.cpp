#include "ideas/rules.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>

#include "platform/core/sniff.hpp"
#include "platform/text/text.hpp"

namespace chidoan::ideas::rules {
namespace {

Result<std::optional<std::string>> opt_date(const RawFields& raw, const std::string& field, const std::string& label) {
  std::string s = field_of(raw, field);
  if (s.empty()) return std::optional<std::string>();
  if (!parse_date(s)) return fail(ErrorKind::invalid, label + " phải viết dạng YYYY-MM-DD và là một ngày có thật", field);
  return std::optional<std::string>(s);
}

Result<std::string> one_of(const RawFields& raw, const std::string& field, std::initializer_list<const char*> values,
                           const std::string& fallback, const std::string& message) {
  std::string s = field_of(raw, field);
  if (s.empty()) return fallback;
  for (const char* v : values)
    if (s == v) return s;
  return fail(ErrorKind::invalid, message, field);
}

const Transition* find_transition(std::string_view from, std::string_view to) {
  for (const auto& t : kTransitions)
    if (t.from == from && t.to == to) return &t;
  return nullptr;
}

}  // namespace

// ---- The life cycle

bool is_state(std::string_view s) {
  return std::any_of(std::begin(kStates), std::end(kStates), [&](const char* k) { return s == k; });
}

std::string state_label(std::string_view state) {
  if (state == "draft") return "Bản nháp";
  if (state == "submitted") return "Đã gửi";
  if (state == "mentoring") return "Đang được hướng dẫn";
  if (state == "accepted") return "Được chấp nhận";
  if (state == "rejected") return "Không được chấp nhận";
  if (state == "implemented") return "Đã thực hiện";
  if (state == "withdrawn") return "Đã rút";
  if (state == "archived") return "Lưu trữ";
  return std::string(state);
}

std::string move_label(std::string_view to) {
  if (to == "submitted") return "Gửi ý tưởng";
  if (to == "mentoring") return "Nhận hướng dẫn";
  if (to == "accepted") return "Chấp nhận";
  if (to == "rejected") return "Không chấp nhận";
  if (to == "implemented") return "Ghi nhận đã thực hiện";
  if (to == "withdrawn") return "Rút ý tưởng";
  if (to == "archived") return "Lưu trữ";
  return std::string(to);
}

std::vector<std::string> moves_from(std::string_view from, unsigned who) {
  std::vector<std::string> out;
  for (const auto& t : kTransitions)
    if (t.from == from && (t.movers & who) != 0) out.emplace_back(t.to);
  return out;
}

Result<void> check_move(std::string_view from, std::string_view to, unsigned who) {
  if (!is_state(to)) return fail(ErrorKind::invalid, "Trạng thái không hợp lệ: " + std::string(to.substr(0, 40)), "to_state");
  const Transition* t = find_transition(from, to);
  if (!t)
    return fail(ErrorKind::conflict,
                "Không thể chuyển ý tưởng từ “" + state_label(from) + "” sang “" + state_label(to) + "”", "to_state");
  if ((t->movers & who) == 0) {
    std::string whom = t->movers == kAuthor ? "tác giả của ý tưởng"
                       : (t->movers & kMentor) != 0 ? "người hướng dẫn của diễn đàn hoặc Ban Chấp hành"
                                                    : "Ban Chấp hành";
    return fail(ErrorKind::forbidden, "Chỉ " + whom + " được chuyển ý tưởng sang “" + state_label(to) + "”", "to_state");
  }
  return {};
}

Result<StateChange> validate_move(const RawFields& raw, Date today) {
  StateChange c;
  c.to = field_of(raw, "to_state");
  if (c.to.empty()) return fail(ErrorKind::invalid, "Chọn trạng thái mới", "to_state");
  if (!is_state(c.to)) return fail(ErrorKind::invalid, "Trạng thái không hợp lệ: " + c.to.substr(0, 40), "to_state");
  CHIDOAN_TRY(answer, clean_text(field_of(raw, "answer"), "answer", "Câu trả lời", kMaxAnswerChars, true));
  c.answer = answer;
  CHIDOAN_TRY(outcome, clean_text(field_of(raw, "outcome"), "outcome", "Kết quả thực hiện", kMaxAnswerChars, true));
  c.outcome = outcome;
  CHIDOAN_TRY(on, opt_date(raw, "implemented_on", "Ngày thực hiện"));
  c.implemented_on = on;
  if (c.to == "implemented" && c.implemented_on && *c.implemented_on > to_iso(today))
    return fail(ErrorKind::invalid, "Ngày thực hiện không được ở tương lai", "implemented_on");
  if (c.to == "accepted" || c.to == "rejected" || c.to == "implemented")
    CHIDOAN_TRY_VOID(check_record(c.to, c.answer, c.outcome, c.implemented_on));
  return c;
}

Result<void> check_record(std::string_view state, const std::string& answer, const std::string& outcome,
                          const std::optional<std::string>& implemented_on) {
  if (!is_state(state)) return fail(ErrorKind::invalid, "Trạng thái không hợp lệ: " + std::string(state.substr(0, 40)), "state");
  if ((state == "accepted" || state == "rejected") && answer.empty())
    return fail(ErrorKind::invalid, "Cần câu trả lời cho tác giả khi chấp nhận hoặc không chấp nhận ý tưởng", "answer");
  if (state == "implemented") {
    if (outcome.empty()) return fail(ErrorKind::invalid, "Cần ghi kết quả thực hiện ý tưởng", "outcome");
    if (!implemented_on) return fail(ErrorKind::invalid, "Cần ngày thực hiện ý tưởng", "implemented_on");
  }
  if (implemented_on && !parse_date(*implemented_on))
    return fail(ErrorKind::invalid, "Ngày thực hiện phải viết dạng YYYY-MM-DD", "implemented_on");
  return {};
}

// ---- Ideas

Result<IdeaInput> validate_idea(const RawFields& raw) {
  IdeaInput in;
  CHIDOAN_TRY(title, clean_text(field_of(raw, "title"), "title", "Tên ý tưởng", kMaxTitleChars, false));
  if (title.empty()) return fail(ErrorKind::invalid, "Cần tên ý tưởng", "title");
  in.title = title;
  CHIDOAN_TRY(problem, clean_text(field_of(raw, "problem"), "problem", "Vấn đề", kMaxTextChars, true));
  in.problem = problem;
  CHIDOAN_TRY(proposal, clean_text(field_of(raw, "proposal"), "proposal", "Giải pháp đề xuất", kMaxTextChars, true));
  in.proposal = proposal;
  CHIDOAN_TRY(benefit, clean_text(field_of(raw, "benefit"), "benefit", "Hiệu quả dự kiến", kMaxTextChars, true));
  in.benefit = benefit;
  return in;
}

Result<void> check_complete(const Idea& idea) {
  if (idea.problem.empty()) return fail(ErrorKind::invalid, "Cần nêu vấn đề ý tưởng giải quyết trước khi gửi", "problem");
  if (idea.proposal.empty()) return fail(ErrorKind::invalid, "Cần nêu giải pháp đề xuất trước khi gửi", "proposal");
  return {};
}

bool editable(std::string_view state) { return state == "draft" || state == "submitted"; }

// ---- Forums

Result<ForumInput> validate_forum(const RawFields& raw) {
  ForumInput f;
  CHIDOAN_TRY(title, clean_text(field_of(raw, "title"), "title", "Tên diễn đàn", kMaxForumTitleChars, false));
  if (title.empty()) return fail(ErrorKind::invalid, "Cần tên diễn đàn", "title");
  f.title = title;
  CHIDOAN_TRY(description, clean_text(field_of(raw, "description"), "description", "Giới thiệu", kMaxTextChars, true));
  f.description = description;
  CHIDOAN_TRY(kind, one_of(raw, "kind", {"event", "standing"}, "event", "Loại diễn đàn phải là sự kiện hoặc thường xuyên"));
  f.kind = kind;
  CHIDOAN_TRY(held, opt_date(raw, "held_on", "Ngày tổ chức"));
  f.held_on = held;
  if (f.kind == "event" && !f.held_on) return fail(ErrorKind::invalid, "Diễn đàn là một sự kiện thì cần ngày tổ chức", "held_on");
  if (f.kind == "standing") f.held_on.reset();
  CHIDOAN_TRY(opens, opt_date(raw, "opens_on", "Ngày mở"));
  if (!opens) return fail(ErrorKind::invalid, "Cần ngày bắt đầu nhận ý tưởng", "opens_on");
  f.opens_on = *opens;
  CHIDOAN_TRY(closes, opt_date(raw, "closes_on", "Ngày đóng"));
  f.closes_on = closes;
  if (f.closes_on && *f.closes_on < f.opens_on)
    return fail(ErrorKind::invalid, "Ngày đóng không được trước ngày mở (" + text::format_date(f.opens_on) + ")", "closes_on");
  const std::string scope_message = "Phạm vi phải là mọi đoàn viên (members) hoặc chỉ Ban Chấp hành (committee)";
  CHIDOAN_TRY(post, one_of(raw, "post_scope", {"members", "committee"}, "members", scope_message));
  f.post_scope = post;
  CHIDOAN_TRY(support, one_of(raw, "support_scope", {"members", "committee"}, "members", scope_message));
  f.support_scope = support;
  std::string threshold = field_of(raw, "support_threshold");
  if (!threshold.empty()) {
    int64_t n = 0;
    auto [end, ec] = std::from_chars(threshold.data(), threshold.data() + threshold.size(), n);
    if (ec != std::errc() || end != threshold.data() + threshold.size() || n < 0 || n > kMaxThreshold)
      return fail(ErrorKind::invalid, "Ngưỡng ủng hộ phải là số nguyên từ 0 đến " + text::format_int(kMaxThreshold), "support_threshold");
    f.support_threshold = n;
  }
  std::string self = field_of(raw, "self_support");
  if (self == "1" || self == "true" || self == "on") f.self_support = true;
  else if (!self.empty() && self != "0" && self != "false" && self != "off")
    return fail(ErrorKind::invalid, "Tự ủng hộ ý tưởng của mình: có (1) hoặc không (0)", "self_support");
  std::string activity = field_of(raw, "activity_id");
  if (!activity.empty()) {
    int64_t id = 0;
    auto [end, ec] = std::from_chars(activity.data(), activity.data() + activity.size(), id);
    if (ec != std::errc() || end != activity.data() + activity.size() || id <= 0)
      return fail(ErrorKind::invalid, "Mã hoạt động không hợp lệ", "activity_id");
    f.activity_id = id;
  }
  return f;
}

std::string kind_label(std::string_view kind) { return kind == "standing" ? "Diễn đàn thường xuyên" : "Sự kiện"; }
std::string scope_label(std::string_view scope) { return scope == "committee" ? "Chỉ Ban Chấp hành" : "Mọi đoàn viên"; }

std::string forum_phase(const Forum& f, Date today) {
  std::string d = to_iso(today);
  if (d < f.opens_on) return "upcoming";
  if (f.closes_on && d > *f.closes_on) return "closed";
  return "open";
}

bool is_open(const Forum& f, Date today) { return forum_phase(f, today) == "open"; }

std::string phase_label(std::string_view phase) {
  if (phase == "upcoming") return "Sắp mở";
  if (phase == "open") return "Đang nhận ý tưởng";
  return "Đã đóng";
}

std::string role_label(std::string_view role) { return role == "author" ? "Tác giả" : "Đồng tác giả"; }

Result<void> check_open(const Forum& f, Date today, const std::string& field) {
  std::string phase = forum_phase(f, today);
  if (phase == "upcoming")
    return fail(ErrorKind::conflict, "Diễn đàn chưa mở (mở từ ngày " + text::format_date(f.opens_on) + ")", field);
  if (phase == "closed")
    return fail(ErrorKind::conflict, "Diễn đàn đã đóng (nhận ý tưởng đến hết ngày " + text::format_date(*f.closes_on) + ")", field);
  return {};
}

namespace {

Result<void> check_scope(std::string_view scope, const Asker& a, const std::string& what, const std::string& field) {
  if (a.committee) return {};
  if (scope == "committee") return fail(ErrorKind::forbidden, "Diễn đàn này chỉ cho Ban Chấp hành " + what, field);
  if (!a.member_in_scope) return fail(ErrorKind::forbidden, "Chỉ đoàn viên thuộc tổ chức của diễn đàn được " + what, field);
  return {};
}

}  // namespace

Result<void> may_post(const Forum& f, const Asker& a, Date today) {
  CHIDOAN_TRY_VOID(check_scope(f.post_scope, a, "gửi ý tưởng", "forum"));
  return check_open(f, today, "forum");
}

bool supportable(std::string_view state) { return state == "submitted" || state == "mentoring" || state == "accepted"; }

Result<void> may_support(const Forum& f, const Idea& idea, const Asker& a, bool is_author, Date today) {
  if (!a.member_in_scope)
    return fail(ErrorKind::forbidden, "Chỉ đoàn viên thuộc tổ chức của diễn đàn được ủng hộ ý tưởng (mỗi đoàn viên một lần)", "support");
  if (f.support_scope == "committee" && !a.committee)
    return fail(ErrorKind::forbidden, "Diễn đàn này chỉ cho Ban Chấp hành ủng hộ ý tưởng", "support");
  if (is_author && !f.self_support)
    return fail(ErrorKind::forbidden, "Diễn đàn này không cho tác giả tự ủng hộ ý tưởng của mình", "support");
  if (!supportable(idea.state))
    return fail(ErrorKind::conflict, "Không thể ủng hộ ý tưởng ở trạng thái “" + state_label(idea.state) + "”", "support");
  return check_open(f, today, "support");
}

Result<void> may_withdraw_support(const Forum& f, Date today) { return check_open(f, today, "support"); }

int progress_percent(int64_t supports, int64_t threshold) {
  if (threshold <= 0 || supports <= 0) return 0;
  if (supports >= threshold) return 100;
  return static_cast<int>(supports * 100 / threshold);
}

// ---- Attachments

std::optional<std::string> sniff_mime(std::string_view b) {
  auto type = sniff_type(b);
  if (!type || *type == "image/tiff") return std::nullopt;  // browsers show no TIFF
  return std::string(*type);
}

Result<AttachmentInput> check_attachment(std::string_view file_name, std::string_view bytes, size_t already) {
  if (already >= kMaxAttachments)
    return fail(ErrorKind::invalid, "Mỗi ý tưởng đính kèm tối đa " + std::to_string(kMaxAttachments) + " tệp", "file");
  if (bytes.empty()) return fail(ErrorKind::invalid, "Chưa chọn tệp hoặc tệp rỗng", "file");
  if (bytes.size() > kMaxAttachmentBytes)
    return fail(ErrorKind::invalid, "Tệp quá lớn: tối đa " + std::to_string(kMaxAttachmentBytes / (1024 * 1024)) + " MB mỗi tệp", "file");
  auto mime = sniff_mime(bytes);
  if (!mime)
    return fail(ErrorKind::invalid, "Chỉ nhận ảnh JPEG, PNG, WebP hoặc tệp PDF (nội dung tệp không phải các định dạng này)", "file");
  std::string_view base = file_name;
  if (auto slash = base.find_last_of("/\\"); slash != std::string_view::npos) base.remove_prefix(slash + 1);
  CHIDOAN_TRY(name, clean_text(base, "file", "Tên tệp", kMaxFileNameChars, false));
  if (name.empty()) name = *mime == "application/pdf" ? "tep-dinh-kem.pdf" : "anh-dinh-kem";
  return AttachmentInput{name, *mime};
}

// ---- Text

Result<std::string> clean_text(std::string_view raw, const std::string& field, const std::string& label, size_t max_chars,
                               bool keep_lines) {
  return text::clean_field(raw, field, label, max_chars, keep_lines);
}

std::string local_seconds(int64_t unix_seconds) { return chidoan::local_seconds(unix_seconds); }

Result<int64_t> parse_local_seconds(std::string_view s, const std::string& field) {
  auto t = chidoan::parse_local_seconds(s);
  if (!t) return fail(ErrorKind::invalid, "thời điểm phải viết dạng YYYY-MM-DDTHH:MM:SS (giờ Việt Nam)", field);
  return *t;
}

}  // namespace chidoan::ideas::rules
