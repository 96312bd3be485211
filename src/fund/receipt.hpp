// The printable receipt (biên nhận) of one contribution: an A5 PDF in Vietnamese, the amount
// also in words. Pure rendering: the caller gathers the data.
#pragma once

#include <cstdint>
#include <string>

#include "platform/core/result.hpp"

namespace chidoan::fund {

struct ReceiptData {
  std::string org_name;        // the organising org, e.g. "Chi đoàn Văn phòng UBND tỉnh"
  std::string parent_name;     // its superior org, printed above it (may be empty)
  std::string campaign_name;
  int64_t receipt_no = 0;      // gapless per campaign
  std::string date;            // ISO date of the contribution
  std::string contributor;     // name, or "Ẩn danh"
  std::string contributor_kind_label;  // "Đoàn viên", "Đơn vị công tác", "Cơ quan, tổ chức", "Cá nhân", "Ẩn danh"
  std::string round;           // "Đợt 1", or ""
  bool in_kind = false;
  int64_t amount_vnd = 0;      // money
  std::string item;            // in kind
  std::string quantity;        // in kind, as shown ("50", "2,5")
  std::string unit;            // in kind ("kg", "thùng")
  int64_t value_vnd = 0;       // in kind: estimated value
  std::string method;          // "Tiền mặt", "Chuyển khoản", "Hiện vật"
  std::string recorded_by;     // who recorded the entry
  std::string note;
};

// PDF bytes of the receipt. Fonts: Noto Sans/Serif (fonts-noto-core).
Result<std::string> receipt_pdf(const ReceiptData& r);

}  // namespace chidoan::fund
