// JSON view-models of the help desk's roster (the API's shapes; pages add labels).
#pragma once

#include "desk/model.hpp"
#include "desk/solver.hpp"
#include "platform/web/web.hpp"

namespace chidoan::desk {

web::Json to_json(const Counter& c);
web::Json to_json(const Template& t);
web::Json to_json(const Period& p);
web::Json to_json(const Shift& s);
web::Json to_json(const Assignment& a);
web::Json to_json(const Request& r);
web::Json to_json(const solver::Shortfall& s);

// "Thứ Hai 01/11" of a date "YYYY-MM-DD".
std::string day_label(const std::string& iso_date);
// "07:30" of an instant (local time).
std::string clock_label(int64_t unix_seconds);

}  // namespace chidoan::desk
