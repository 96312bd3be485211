#include "fund/receipt.hpp"

#include <cstdio>

#include "platform/core/date.hpp"
#include "platform/pdf/pdf.hpp"
#include "platform/text/text.hpp"
#include "platform/text/words.hpp"

namespace chidoan::fund {
namespace {

// Receipt numbers print with at least four digits: "0007".
std::string receipt_number(int64_t no) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04lld", static_cast<long long>(no));
  return buf;
}

bool is_anonymous(const ReceiptData& r) {
  return r.contributor.empty() || r.contributor == "Ẩn danh";
}

}  // namespace

Result<std::string> receipt_pdf(const ReceiptData& r) {
  using namespace chidoan::pdf;
  const std::string number = receipt_number(r.receipt_no);
  const bool dated = parse_date(r.date).has_value();

  Options options{.size = PageSize::a5_portrait(),
                  .margins = Margins::for_page(PageSize::a5_portrait()),
                  .metadata = {.title = "Biên nhận đóng góp số " + number,
                               .author = r.org_name,
                               .subject = r.campaign_name,
                               .created = dated ? r.date : std::string()},
                  .page_numbers = PageNumbers::if_many,  // one page unless the note is a letter
                  .body = {.size = 10.5}};
  Document doc(options);

  // Letterhead as on Union documents: the issuing organisation on the left (its superior above
  // it), the Union's name and the date on the right.
  std::vector<Text> issuer;
  if (!r.parent_name.empty())
    issuer.push_back({r.parent_name, {.size = 8.5, .align = Align::center, .uppercase = true,
                                      .space_after = 0}});
  issuer.push_back({r.org_name, {.size = 9.5, .bold = true, .align = Align::center,
                                 .uppercase = true, .space_after = 0}});
  issuer.push_back({"***", {.size = 9, .align = Align::center}});
  std::vector<Text> union_side = {
      {"ĐOÀN TNCS HỒ CHÍ MINH", {.size = 10, .bold = true, .align = Align::center,
                                 .underline = true, .space_after = 4}}};
  if (dated)
    union_side.push_back({text::capitalize_first(text::date_in_words(r.date)),
                          {.size = 10, .italic = true, .align = Align::center}});
  else if (!r.date.empty())
    union_side.push_back({r.date, {.size = 10, .italic = true, .align = Align::center}});
  // The right side needs only the width of "ĐOÀN TNCS HỒ CHÍ MINH": the rest goes to the left,
  // where a provincial superior's name is long.
  doc.boxes({{1.4, issuer}, {1, union_side}}, 18);

  doc.paragraph("BIÊN NHẬN ĐÓNG GÓP",
                {.size = 15, .bold = true, .align = Align::center, .space_after = 2});
  doc.paragraph("Số: " + number, {.size = 10.5, .align = Align::center, .space_after = 14});

  KeyValueStyle kv{.key_width = mm(33), .key = {.size = 10.5, .space_after = 0},
                   .value = {.size = 10.5, .space_after = 0}, .space_after = 4};
  KeyValueStyle kv_bold = kv;
  kv_bold.value.bold = true;
  KeyValueStyle kv_italic = kv;
  kv_italic.value.italic = true;

  doc.key_value("Cuộc vận động:", r.campaign_name, kv_bold);
  if (!r.round.empty()) doc.key_value("Đợt:", r.round, kv);
  doc.key_value("Người đóng góp:", r.contributor.empty() ? "Ẩn danh" : r.contributor, kv_bold);
  if (!r.contributor_kind_label.empty()) doc.key_value("Đối tượng:", r.contributor_kind_label, kv);
  if (r.in_kind) {
    doc.key_value("Hiện vật:", r.item, kv_bold);
    std::string quantity = r.quantity;
    if (!r.unit.empty()) quantity += (quantity.empty() ? "" : " ") + r.unit;
    doc.key_value("Số lượng:", quantity, kv);
    if (r.value_vnd > 0) {
      doc.key_value("Giá trị ước tính:", text::format_vnd(r.value_vnd), kv);
      doc.key_value("Bằng chữ:", text::vnd_in_words(r.value_vnd), kv_italic);
    }
  } else {
    doc.key_value("Số tiền:", text::format_vnd(r.amount_vnd), kv_bold);
    doc.key_value("Bằng chữ:", text::vnd_in_words(r.amount_vnd), kv_italic);
  }
  if (!r.method.empty()) doc.key_value("Hình thức:", r.method, kv);
  if (!r.note.empty()) doc.key_value("Ghi chú:", r.note, kv);

  doc.spacer(16);
  const Style role{.size = 10, .bold = true, .align = Align::center, .uppercase = true,
                   .space_after = 0};
  const Style hint{.size = 9, .italic = true, .align = Align::center, .space_after = 0};
  const Style name{.size = 10.5, .bold = true, .align = Align::center, .space_before = 48};
  std::vector<Text> giver = {{"Người đóng góp", role}, {"(Ký, ghi rõ họ tên)", hint}};
  giver.push_back({is_anonymous(r) ? std::string() : r.contributor, name});  // signature space
  std::vector<Text> receiver = {{"Người nhận", role}, {"(Ký, ghi rõ họ tên)", hint}};
  receiver.push_back({r.recorded_by, name});
  doc.boxes({{1, giver}, {1, receiver}});

  return doc.finish();
}

}  // namespace chidoan::fund
