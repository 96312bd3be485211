#include "scan/papers_routes.hpp"

#include "desk/assist_store.hpp"
#include "desk/assist_views.hpp"
#include "desk/support.hpp"
#include "org/views.hpp"
#include "platform/core/date.hpp"
#include "platform/text/text.hpp"
#include "scan/engine.hpp"
#include "scan/papers_rules.hpp"
#include "scan/papers_store.hpp"
#include "scan/papers_views.hpp"

namespace chidoan::scan {
namespace {

using auth::Action;
using http::Response;
using web::Ctx;
using web::Json;
namespace rules = papers_rules;

// ---- Who may see what

// An assist whose papers the user may see: its volunteer, or a coordinator of its center.
struct AssistCtx {
  desk::Assist assist;
  desk::CenterCtx center;
  desk::Procedure procedure;
};

Result<AssistCtx> load_assist(Ctx& ctx, int64_t assist_id) {
  desk::AssistStore store(ctx.db(), *ctx.services.clock);
  CHIDOAN_TRY(a, store.assist(assist_id));
  CHIDOAN_TRY(l, desk::load_center(ctx, a.center_id, Action::view_desk));
  bool own = ctx.user && ctx.user->member_id && *ctx.user->member_id == a.member_id;
  if (!l.coordinator && !own)
    return fail(ErrorKind::forbidden, "Giấy tờ của người dân chỉ người đã hướng dẫn hồ sơ này và điều phối viên của trung tâm được xem");
  CHIDOAN_TRY(p, store.procedure(a.procedure_id));
  return AssistCtx{a, l, p};
}

struct PaperCtx {
  AssistCtx a;
  Paper paper;
};

Result<PaperCtx> load_paper(Ctx& ctx, int64_t paper_id) {
  CHIDOAN_TRY(p, PaperStore(ctx.db()).paper(paper_id));
  CHIDOAN_TRY(a, load_assist(ctx, p.assist_id));
  return PaperCtx{a, p};
}

Result<std::pair<PageFile, PaperCtx>> load_page(Ctx& ctx) {
  CHIDOAN_TRY(g, PaperStore(ctx.db()).page(ctx.req.param_int("gid")));
  CHIDOAN_TRY(pc, load_paper(ctx, g.paper_id));
  return std::pair{g, pc};
}

int64_t now_of(const Ctx& ctx) { return ctx.services.clock->unix_seconds(); }

std::string papers_path(int64_t assist_id) { return "/desk/assists/" + std::to_string(assist_id) + "/papers"; }
std::string paper_path(int64_t paper_id) { return "/desk/papers/" + std::to_string(paper_id); }

Json error_json(const Error& e) { return {{"message", e.message}, {"field", e.field}, {"kind", kind_name(e.kind)}}; }

// ---- Views

// What both pages show of the assist, its center and the limits.
Json assist_view(Ctx& ctx, const AssistCtx& a) {
  Json v{{"assist", desk::assist_json(a.assist, false)},
         {"center", desk::center_json(a.center.center)},
         {"procedure", desk::procedure_json(a.procedure)},
         {"coordinator", a.center.coordinator},
         {"limits",
          {{"max_pages", rules::kMaxPages}, {"max_file_mb", rules::kMaxFileBytes / (1024 * 1024)},
           {"max_paper_mb", rules::kMaxPaperBytes / (1024 * 1024)}, {"retention_days", rules::kRetentionDays}}}};
  if (ctx.req.wants_json()) return v;
  v["org"] = org::to_json(a.center.org);
  std::string at = v["assist"]["at_local"].get<std::string>();
  v["assist"]["at_vn"] = text::format_date(at.substr(0, 10)) + " " + at.substr(11, 5);
  v["month"] = at.substr(0, 7);
  v["month_label"] = desk::month_label(at.substr(0, 7));
  return v;
}

Json list_view(Ctx& ctx, const AssistCtx& a, const std::vector<Paper>& papers) {
  Json v = assist_view(ctx, a);
  Json items = Json::array();
  for (const auto& p : papers) items.push_back(paper_json(p));
  v["items"] = items;
  if (ctx.req.wants_json()) return v;
  // The procedure's list, each document with its paper if there is one; then the others.
  Json documents = Json::array(), others = Json::array();
  for (size_t i = 0; i < a.procedure.documents.size(); ++i) documents.push_back({{"index", i + 1}, {"name", a.procedure.documents[i]}});
  for (auto& p : v["items"]) {
    add_paper_labels(p);
    if (p["doc_index"].is_null()) others.push_back(p);
    else if (size_t i = p["doc_index"].get<size_t>(); i >= 1 && i <= documents.size()) documents[i - 1]["paper"] = p;
    else others.push_back(p);  // the procedure's list changed since
  }
  v["documents"] = documents;
  v["others"] = others;
  v["has_documents"] = !documents.empty();
  return v;
}

Response list_page(Ctx& ctx, const AssistCtx& a, int status = 200, const std::optional<Error>& err = std::nullopt) {
  PaperStore store(ctx.db());
  CHIDOAN_CHECK(papers, store.papers(a.assist.id));
  Json v = list_view(ctx, a, papers);
  if (err) v["error"] = error_json(*err);
  return web::respond(ctx, "scan/papers", v, status, ctx.t("scan.papers_title"));
}

Response paper_page(Ctx& ctx, const PaperCtx& pc, int status = 200, const std::optional<Error>& err = std::nullopt) {
  PaperStore store(ctx.db());
  CHIDOAN_CHECK(paper, store.paper(pc.paper.id));
  CHIDOAN_CHECK(pages, store.pages(paper.id));
  Json v = assist_view(ctx, pc.a);
  v["paper"] = paper_json(paper);
  Json list = Json::array();
  for (const auto& g : pages) list.push_back(page_json(g));
  v["items"] = list;
  if (ctx.req.wants_json()) return Response::json(status, v.dump());
  add_paper_labels(v["paper"]);
  for (size_t i = 0; i < v["items"].size(); ++i) {
    Json& g = v["items"][i];
    add_page_labels(g);
    g["first"] = i == 0;
    g["last"] = i + 1 == v["items"].size();
  }
  v["can_upload"] = !paper.closed();
  v["can_make"] = !paper.closed() && paper.files > 0;
  if (err) v["error"] = error_json(*err);
  return web::respond(ctx, "scan/paper", v, status, paper.name);
}

// A refused form: the JSON error for the API, else the page again with the error on top.
Response refuse_paper(Ctx& ctx, const PaperCtx& pc, const Error& e) {
  if (ctx.req.wants_json() || ctx.req.is_htmx()) return web::fail_page(ctx, e);
  return paper_page(ctx, pc, http::status_for(e.kind), e);
}

// ---- Uploads

// The files of field "pages", each checked, probed and given a thumbnail; the first bad one
// refuses them all. A part without a file name and without bytes is an unused file input.
// The paper's totals (`pages`, `bytes` already in it) are checked file by file, before the next
// file is decoded: an upload over the limits costs no more than the files within them.
Result<std::vector<NewPage>> prepare_files(http::Form& form, int pages_before = 0, int64_t bytes_before = 0) {
  std::vector<NewPage> out;
  int pages_total = pages_before;
  int64_t bytes_total = bytes_before;
  for (auto& f : form.files) {
    if (f.field != "pages" || (f.filename.empty() && f.data.empty())) continue;
    std::string name = rules::shown_file_name(f.filename, out.size() + 1);
    CHIDOAN_TRY(mime, rules::check_file(name, f.data));
    CHIDOAN_TRY_VOID(rules::check_byte_total(bytes_total, static_cast<int64_t>(f.data.size())));
    bytes_total += static_cast<int64_t>(f.data.size());
    Input in{name, std::move(f.data), 0};
    auto pages = probe(in);
    if (!pages) {
      if (pages.error().kind != ErrorKind::invalid) return std::unexpected(pages.error());
      return std::unexpected(rules::file_error(name, pages.error().message));
    }
    CHIDOAN_TRY_VOID(rules::check_page_total(pages_total, *pages));
    pages_total += *pages;
    auto thumb = thumbnail(in, rules::kThumbnailSide);
    if (!thumb && thumb.error().kind == ErrorKind::invalid) return std::unexpected(rules::file_error(name, thumb.error().message));
    out.push_back(NewPage{name, mime, *pages, std::move(in.bytes), thumb ? std::move(*thumb) : std::string()});
  }
  return out;
}

int page_total(const std::vector<NewPage>& files) {
  int n = 0;
  for (const auto& f : files) n += f.page_count;
  return n;
}

Result<void> audit_upload(Ctx& ctx, const Paper& p, const std::vector<NewPage>& files) {
  return ctx.audit("upload", "scan_paper", p.id, {{"assist_id", p.assist_id}, {"files", files.size()}, {"pages", page_total(files)}});
}

bool is_multipart(const http::Request& req) { return req.header("content-type").starts_with("multipart/form-data"); }

// ---- Handlers: an assist's papers

// GET /desk/assists/{aid}/papers
Response list_papers(Ctx& ctx) {
  CHIDOAN_CHECK(a, load_assist(ctx, ctx.req.param_int("aid")));
  return list_page(ctx, a);
}

// POST /desk/assists/{aid}/papers: document (its number or name) or name (another paper); in a
// multipart form also the first files ("pages"), stored with the paper or not at all.
Response create_paper(Ctx& ctx) {
  CHIDOAN_CHECK(a, load_assist(ctx, ctx.req.param_int("aid")));
  auto refuse = [&](const Error& e) {
    if (ctx.req.wants_json() || ctx.req.is_htmx()) return web::fail_page(ctx, e);
    return list_page(ctx, a, http::status_for(e.kind), e);
  };
  std::vector<NewPage> files;
  RawFields raw;
  if (is_multipart(ctx.req)) {
    CHIDOAN_CHECK(form, ctx.req.form());
    raw = {{"document", form.get("document")}, {"name", form.get("name")}};
    auto prepared = prepare_files(form);
    if (!prepared) return refuse(prepared.error());
    files = std::move(*prepared);
  } else {
    CHIDOAN_CHECK(f, web::fields(ctx.req, {"document", "name"}));
    raw = std::move(f);
  }
  auto name = rules::validate_paper(raw, a.procedure.documents);
  if (!name) return refuse(name.error());
  PaperStore store(ctx.db());
  int64_t id = 0;
  auto written = ctx.write([&]() -> Result<void> {
    const int64_t now = now_of(ctx);
    CHIDOAN_TRY(new_id, store.create(a.assist.id, *name, now));
    id = new_id;
    CHIDOAN_TRY_VOID(ctx.audit("create", "scan_paper", id, {{"assist_id", a.assist.id}, {"doc_index", name->doc_index ? Json(*name->doc_index) : Json()}}));
    if (files.empty()) return {};
    CHIDOAN_TRY_VOID(store.add_pages(id, files, now));
    CHIDOAN_TRY(p, store.paper(id));
    return audit_upload(ctx, p, files);
  });
  if (!written) return refuse(written.error());
  if (!ctx.req.wants_json()) return Response::redirect(paper_path(id));
  CHIDOAN_CHECK(p, store.paper(id));
  return Response::json(201, paper_json(p).dump());
}

// ---- Handlers: one paper

// GET /desk/papers/{pid}
Response show_paper(Ctx& ctx) {
  CHIDOAN_CHECK(pc, load_paper(ctx, ctx.req.param_int("pid")));
  return paper_page(ctx, pc);
}

// POST /desk/papers/{pid}/pages, multipart "pages" (one or more files)
Response upload_pages(Ctx& ctx) {
  CHIDOAN_CHECK(pc, load_paper(ctx, ctx.req.param_int("pid")));
  if (!is_multipart(ctx.req))
    return refuse_paper(ctx, pc, Error{ErrorKind::invalid, "Gửi tệp bằng biểu mẫu multipart/form-data, trường \"pages\"", "pages"});
  if (pc.paper.closed()) return refuse_paper(ctx, pc, closed_error());
  CHIDOAN_CHECK(form, ctx.req.form());
  auto files = prepare_files(form, pc.paper.pages, pc.paper.bytes);
  if (!files) return refuse_paper(ctx, pc, files.error());
  if (files->empty()) return refuse_paper(ctx, pc, Error{ErrorKind::invalid, "Chưa chọn tệp nào", "pages"});
  PaperStore store(ctx.db());
  std::vector<int64_t> ids;
  auto written = ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY(new_ids, store.add_pages(pc.paper.id, *files, now_of(ctx)));
    ids = new_ids;
    return audit_upload(ctx, pc.paper, *files);
  });
  if (!written) return refuse_paper(ctx, pc, written.error());
  if (!ctx.req.wants_json()) return Response::redirect(paper_path(pc.paper.id) + "#pages");
  return paper_page(ctx, pc, 201);
}

// POST /desk/papers/{pid}/pdf: keep_originals (0/1). Runs the engine on the pages in order
// with their turns, stores the PDF, then deletes the uploaded files unless they are kept.
Response make_pdf(Ctx& ctx) {
  CHIDOAN_CHECK(pc, load_paper(ctx, ctx.req.param_int("pid")));
  CHIDOAN_CHECK(f, web::fields(ctx.req, {"keep_originals"}));
  auto keep = rules::parse_flag(f["keep_originals"], "keep_originals");
  if (!keep) return refuse_paper(ctx, pc, keep.error());
  if (pc.paper.closed())
    return refuse_paper(ctx, pc, Error{ErrorKind::invalid, "Bản gốc đã được xoá sau lần tạo PDF trước: không thể tạo lại", "pages"});
  PaperStore store(ctx.db());
  CHIDOAN_CHECK(files, store.inputs(pc.paper.id));
  if (files.empty()) return refuse_paper(ctx, pc, Error{ErrorKind::invalid, "Giấy tờ chưa có trang nào: hãy tải ảnh lên trước", "pages"});
  std::vector<Input> inputs;
  inputs.reserve(files.size());
  std::vector<PageFile> used;
  for (auto& [g, bytes] : files) {
    inputs.push_back(Input{g.file_name, std::move(bytes), g.rotation});
    used.push_back(g);
  }
  Options options;
  options.title = pc.paper.name;
  options.jobs = 0;
  auto out = scan(inputs, options);
  if (!out) {
    Error e = out.error();
    if (e.kind == ErrorKind::invalid) e.field = "pages";
    return refuse_paper(ctx, pc, e);
  }
  MadePdf made{std::move(out->pdf), static_cast<int>(out->pages.size()), report_text(*out), *keep, page_signature(used)};
  auto written = ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY_VOID(store.save_pdf(pc.paper.id, made, now_of(ctx)));
    return ctx.audit("make", "scan_paper", pc.paper.id,
                     {{"assist_id", pc.paper.assist_id}, {"files", used.size()}, {"pages", made.pages}, {"bytes", made.pdf.size()},
                      {"keep_originals", *keep}});
  });
  if (!written) return refuse_paper(ctx, pc, written.error());
  if (!ctx.req.wants_json()) return Response::redirect(paper_path(pc.paper.id) + "#pdf");
  return paper_page(ctx, pc);
}

// GET /desk/papers/{pid}/pdf
Response download_pdf(Ctx& ctx) {
  CHIDOAN_CHECK(pc, load_paper(ctx, ctx.req.param_int("pid")));
  PaperStore store(ctx.db());
  CHIDOAN_CHECK(pdf, store.pdf(pc.paper.id));
  if (!pdf) return web::fail_page(ctx, Error{ErrorKind::not_found, "Giấy tờ này chưa được tạo PDF", "pdf"});
  CHIDOAN_CHECK_VOID(ctx.write([&] {
    return ctx.audit("download", "scan_paper", pc.paper.id, {{"assist_id", pc.paper.assist_id}, {"bytes", pdf->size()}});
  }));
  Response r;
  r.body = std::move(*pdf);
  r.header("Content-Type", "application/pdf");
  r.header("Content-Disposition", rules::content_disposition(pc.paper.name));
  r.header("Cache-Control", "private, no-store");
  return r;
}

// POST /desk/papers/{pid}/delete: the paper, its files and its PDF.
Response delete_paper(Ctx& ctx) {
  CHIDOAN_CHECK(pc, load_paper(ctx, ctx.req.param_int("pid")));
  PaperStore store(ctx.db());
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY_VOID(store.remove(pc.paper.id));
    return ctx.audit("delete", "scan_paper", pc.paper.id,
                     {{"assist_id", pc.paper.assist_id}, {"files", pc.paper.files}, {"made", pc.paper.made()}});
  }));
  if (!ctx.req.wants_json()) return Response::redirect(papers_path(pc.paper.assist_id));
  return Response::json(200, Json{{"id", pc.paper.id}, {"deleted", true}}.dump());
}

// ---- Handlers: one page

// GET /desk/pages/{gid}/thumbnail: a small JPEG (turned by the page's CSS, not here).
Response page_thumbnail(Ctx& ctx) {
  CHIDOAN_CHECK(gp, load_page(ctx));
  CHIDOAN_CHECK(jpeg, PaperStore(ctx.db()).thumbnail(gp.first.id));
  if (!jpeg) return web::fail_page(ctx, Error{ErrorKind::not_found, "Trang này không có ảnh thu nhỏ"});
  Response r;
  r.body = std::move(*jpeg);
  r.header("Content-Type", "image/jpeg");
  r.header("Cache-Control", "private, no-store");
  return r;
}

// The answer to a change of one page: the paper's page (JSON) or back to it.
Response page_changed(Ctx& ctx, const PaperCtx& pc, int64_t page_id) {
  if (!ctx.req.wants_json()) return Response::redirect(paper_path(pc.paper.id) + "#page-" + std::to_string(page_id));
  return paper_page(ctx, pc);
}

// Runs one change of a page's paper, refused on a closed paper.
Response change_page(Ctx& ctx, const char* field, const std::function<Result<void>(const PageFile&, const PaperCtx&, const std::string&)>& change) {
  CHIDOAN_CHECK(gp, load_page(ctx));
  auto& [g, pc] = gp;
  CHIDOAN_CHECK(f, web::fields(ctx.req, {field}));
  auto written = ctx.write([&]() { return change(g, pc, f[field]); });
  if (!written) return refuse_paper(ctx, pc, written.error());
  return page_changed(ctx, pc, g.id);
}

// POST /desk/pages/{gid}/rotate: by = 90, 180, 270, -90, …
Response rotate_page(Ctx& ctx) {
  return change_page(ctx, "by", [&](const PageFile& g, const PaperCtx&, const std::string& raw) -> Result<void> {
    CHIDOAN_TRY(by, rules::parse_turn(raw));
    return PaperStore(ctx.db()).rotate(g.id, rules::turned(g.rotation, by), now_of(ctx));
  });
}

// POST /desk/pages/{gid}/move: to = up, down, first, last or a position
Response move_page(Ctx& ctx) {
  return change_page(ctx, "to", [&](const PageFile& g, const PaperCtx& pc, const std::string& raw) -> Result<void> {
    CHIDOAN_TRY(to, rules::parse_move(raw, g.position, pc.paper.files));
    return PaperStore(ctx.db()).move(g.id, to, now_of(ctx));
  });
}

// POST /desk/pages/{gid}/delete
Response delete_page(Ctx& ctx) {
  CHIDOAN_CHECK(gp, load_page(ctx));
  auto& [g, pc] = gp;
  auto written = ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY_VOID(PaperStore(ctx.db()).remove_page(g.id, now_of(ctx)));
    return ctx.audit("delete_page", "scan_paper", pc.paper.id, {{"assist_id", pc.paper.assist_id}, {"page_id", g.id}});
  });
  if (!written) return refuse_paper(ctx, pc, written.error());
  if (!ctx.req.wants_json()) return Response::redirect(paper_path(pc.paper.id) + "#pages");
  return paper_page(ctx, pc);
}

}  // namespace

void add_paper_routes(http::Router& r, const web::Services& s) {
  web::Routes routes(r, s);
  routes.both("GET", "/desk/assists/{aid:int}/papers", list_papers);
  routes.both("POST", "/desk/assists/{aid:int}/papers", create_paper);
  routes.both("GET", "/desk/papers/{pid:int}", show_paper);
  routes.both("POST", "/desk/papers/{pid:int}/pages", upload_pages);
  routes.both("POST", "/desk/papers/{pid:int}/pdf", make_pdf);
  routes.both("GET", "/desk/papers/{pid:int}/pdf", download_pdf);
  routes.both("POST", "/desk/papers/{pid:int}/delete", delete_paper);
  routes.both("GET", "/desk/pages/{gid:int}/thumbnail", page_thumbnail);
  routes.both("POST", "/desk/pages/{gid:int}/rotate", rotate_page);
  routes.both("POST", "/desk/pages/{gid:int}/move", move_page);
  routes.both("POST", "/desk/pages/{gid:int}/delete", delete_page);
}

}  // namespace chidoan::scan
