// chidoan: the server and every bulk job, one binary.
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>

#include <CLI/CLI.hpp>

#include "app/jobs.hpp"
#include "app/server.hpp"
#include "blood/notices.hpp"
#include "gen/gen.hpp"
#include "ideas/notices.hpp"
#include "org/bundle.hpp"
#include "org/import.hpp"
#include "org/store.hpp"
#include "platform/auth/audit.hpp"
#include "platform/auth/store.hpp"
#include "platform/db/db.hpp"
#include "platform/tabular/tabular.hpp"
#include "platform/text/text.hpp"
#include "review/report.hpp"
#include "review/routes.hpp"
#include "scan/cli.hpp"

namespace chidoan::app {
namespace {

constexpr const char* kDefaultDb = "sqlite:var/chidoan.db";

// Prints "chidoan: message" and returns the exit code for failures of the job itself.
int report(const Error& e) {
  std::cerr << "chidoan: " << e.message;
  if (!e.field.empty()) std::cerr << " [" << e.field << "]";
  std::cerr << "\n";
  return 1;
}

Result<std::unique_ptr<db::Connection>> open_migrated(const std::string& url) {
  auto parsed = db::parse_url(url);
  if (!parsed) return std::unexpected(parsed.error());
  if (parsed->engine == db::Engine::sqlite && parsed->target != ":memory:") {
    // Create the folder of a new SQLite file (var/ on a fresh checkout).
    auto slash = parsed->target.rfind('/');
    if (slash != std::string::npos) (void)std::system(("mkdir -p '" + parsed->target.substr(0, slash) + "'").c_str());
  }
  CHIDOAN_TRY(conn, db::Connection::open(url));
  CHIDOAN_TRY_VOID(db::migrate(*conn));
  // Under the migrations' lock: several servers starting at once on an empty PostgreSQL
  // database must not all insert the default levels (the losers would fail on their UNIQUE rank).
  CHIDOAN_TRY_VOID(conn->transaction([&]() -> Result<void> {
    if (conn->engine() == db::Engine::postgres)
      CHIDOAN_TRY_VOID(conn->query("SELECT pg_advisory_xact_lock(?1)", {db::kMigrationLockKey}));
    return org::Store(*conn, SystemClock()).install_default_levels();
  }));
  return std::move(conn);
}

Result<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(ErrorKind::invalid, "không đọc được tệp " + path, "file");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// An org given as a numeric id or as its code.
Result<org::Org> find_org(org::Store& store, const std::string& id_or_code) {
  bool numeric = !id_or_code.empty() && id_or_code.find_first_not_of("0123456789") == std::string::npos;
  if (numeric && id_or_code.size() < 19) return store.org(std::stoll(id_or_code));
  CHIDOAN_TRY(o, store.org_by_code(id_or_code));
  if (!o) return fail(ErrorKind::not_found, "không có tổ chức " + id_or_code, "org");
  return *o;
}

// The migrated database at `url` and the org `org_ref` in it: what a command about one org starts with.
struct OrgDb {
  std::unique_ptr<db::Connection> conn;
  org::Org org;
};
Result<OrgDb> open_org(const std::string& url, const std::string& org_ref, const Clock& clock) {
  CHIDOAN_TRY(conn, open_migrated(url));
  org::Store store(*conn, clock);
  CHIDOAN_TRY(o, find_org(store, org_ref));
  return OrgDb{std::move(conn), std::move(o)};
}

int cmd_serve(const std::string& url, const std::string& listen, int workers, int io_threads, const std::string& public_url,
              const std::vector<std::string>& trusted_proxies) {
  {
    auto conn = open_migrated(url);
    if (!conn) return report(conn.error());
  }
  if (io_threads <= 0) io_threads = http::Server::default_io_threads();
  // Handlers run on the I/O threads (quick GETs) and the workers, one connection each, plus the jobs'.
  auto pool = db::Pool::open(url, workers + io_threads + 1);
  if (!pool) return report(pool.error());
  SystemClock clock;
  App app(**pool, clock);
  app.services.public_url = public_url;
  auto notices = notify::settings_from();
  if (!notices) return report(notices.error());
  Jobs jobs(**pool, clock, app.renderer, *notices);
  http::Limits limits = default_limits();
  limits.trusted_proxies = trusted_proxies;
  http::Server server(app.router, limits, app.metrics, workers, io_threads);
  if (auto l = server.listen(listen); !l) return report(l.error());
  std::cerr << "chidoan: serving http://" << listen.substr(0, listen.rfind(':')) << ":" << server.port() << " ("
            << url.substr(0, url.find(':')) << ")\n";
  server.run(true);
  std::cerr << "chidoan: stopped\n";
  return 0;
}

// chidoan notify run: enqueues the day's reminders, then sends what is due once (for cron when
// no server runs, and for checking a mail setup).
int cmd_notify_run(const std::string& url, const std::string& date) {
  auto conn = open_migrated(url);
  if (!conn) return report(conn.error());
  auto settings = notify::settings_from();
  if (!settings) return report(settings.error());
  SystemClock system_clock;
  std::optional<FixedClock> fixed;
  if (!date.empty()) {
    auto d = parse_date(date);
    if (!d) {
      std::cerr << "chidoan: --date: ngày không hợp lệ: " << date << " (YYYY-MM-DD)\n";
      return 2;
    }
    fixed.emplace(std::chrono::sys_days{*d} + std::chrono::hours(2));  // 09:00 in Vietnam
  }
  const Clock& clock = fixed ? static_cast<const Clock&>(*fixed) : system_clock;
  render::Renderer texts;
  int n = 0, digests = 0;
  auto enqueued = (*conn)->transaction([&]() -> Result<void> {
    CHIDOAN_TRY(k, blood::enqueue_reminders(**conn, clock, texts, today(clock)));
    CHIDOAN_TRY(d, ideas::notices::enqueue_digests(**conn, clock, texts, today(clock)));
    n = k;
    digests = d;
    return {};
  });
  if (!enqueued) return report(enqueued.error());
  auto transports = notify::make_transports(*settings, clock);
  notify::Dispatcher dispatcher(clock, transports.transports());
  auto sent = dispatcher.deliver_pending(**conn, 1000);
  if (!sent) return report(sent.error());
  std::cout << digests << " idea digests enqueued\n";
  std::cout << n << " reminders enqueued; " << sent->sent << " sent, " << sent->retrying << " to retry, " << sent->failed
            << " failed\n";
  return 0;
}

int cmd_load(const std::string& url, const std::string& file) {
  auto conn = open_migrated(url);
  if (!conn) return report(conn.error());
  auto text = read_file(file);
  if (!text) return report(text.error());
  auto doc = nlohmann::json::parse(*text, nullptr, false);
  if (doc.is_discarded()) return report(Error{ErrorKind::invalid, "tệp không phải JSON hợp lệ", "$"});
  SystemClock clock;
  auto stats = org::bundle::load(**conn, clock, doc, bundle_sections());
  if (!stats) return report(stats.error());
  std::cout << "loaded " << stats->orgs << " orgs, " << stats->units << " units, " << stats->members << " members\n";
  return 0;
}

// "1,234,567": counts in the progress line.
std::string grouped(int64_t n) { return text::format_int(n, ','); }

std::string minutes(double secs) {
  char b[32];
  if (secs < 60) std::snprintf(b, sizeof b, "%.0f s", secs);
  else std::snprintf(b, sizeof b, "%dm%02ds", static_cast<int>(secs) / 60, static_cast<int>(secs) % 60);
  return b;
}

int cmd_gen(const std::string& url, const std::string& scale_name, uint64_t seed, int activities) {
  auto scale = gen::parse_scale(scale_name);
  if (!scale) return report(Error{ErrorKind::invalid, "scale must be branch, province or nation", "scale"});
  gen::Plan plan = gen::plan_for(*scale);
  if (activities >= 0) plan.province.activities_per_branch = activities;
  auto conn = open_migrated(url);
  if (!conn) return report(conn.error());
  const bool sqlite = (*conn)->engine() == db::Engine::sqlite;
  // A generator's bulk writes: a large page cache on SQLite (the default is 2 MB).
  if (sqlite) (void)(*conn)->exec_script("PRAGMA cache_size=-1048576;");
  const bool tty = isatty(STDERR_FILENO);
  const auto t0 = std::chrono::steady_clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); };
  // The bar: one line redrawn on a terminal, a line per province otherwise (logs).
  auto on_step = [&](const gen::Step& st) {
    if (!st.stage.empty() && !tty) return;
    const int width = 30;
    const int filled = st.of ? width * st.province / st.of : width;
    std::string bar(static_cast<size_t>(filled), '#');
    bar.resize(width, '.');
    double secs = elapsed();
    std::string eta = st.province > 0 && st.province < st.of ? ", ~" + minutes(secs / st.province * (st.of - st.province)) + " left" : "";
    std::string line = "[" + bar + "] " + std::to_string(st.province) + "/" + std::to_string(st.of) + " provinces, " +
                       grouped(st.totals->members) + " members, " + grouped(st.totals->attendance) + " attendance rows, " +
                       minutes(secs) + eta;
    if (!st.stage.empty()) line += " · " + std::string(st.stage);
    if (tty) std::cerr << "\r\033[K" << line << std::flush;
    else std::cerr << line << "\n";
  };
  SystemClock clock;
  auto totals = gen::generate(**conn, clock, seed, plan, on_step);
  if (tty) std::cerr << "\n";
  if (!totals) return report(totals.error());
  // Statistics for the planner, as autovacuum would gather them a little later.
  auto t1 = std::chrono::steady_clock::now();
  auto analysed = (*conn)->exec_script(sqlite ? "ANALYZE; PRAGMA wal_checkpoint(TRUNCATE);" : "ANALYZE");
  if (!analysed) return report(analysed.error());
  const auto& t = *totals;
  std::cout << "generated " << scale_name << " (seed " << seed << ") in " << minutes(elapsed()) << " (ANALYZE "
            << minutes(std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count()) << "): root org "
            << t.root_id << ", " << t.provinces << " provinces, " << grouped(t.branches) << " branches, " << grouped(t.members)
            << " members (" << grouped(t.extras.left) << " left in the year), " << grouped(t.activities) << " activities, " << grouped(t.attendance) << " attendance rows, "
            << grouped(t.extras.events) << " member events, " << grouped(t.extras.dues) << " dues records, "
            << grouped(t.extras.contributions) << " contributions, " << grouped(t.extras.donors) << " donors, "
            << grouped(t.extras.desk_entries) << " help-desk entries\n";
  return 0;
}

// Writes `text` to the file `out`, or to stdout for "-"; 0, or the error's exit code.
int write_output(const std::string& text, const std::string& out) {
  if (out == "-") {
    std::cout << text;
    return 0;
  }
  std::ofstream f(out, std::ios::binary);
  f << text;
  if (!f) return report(Error{ErrorKind::unavailable, "không ghi được " + out, "output"});
  return 0;
}

// chidoan report year: the year-end report of an org as JSON, one printable HTML document, a PDF
// or an XLSX workbook. PDF and XLSX are binary: written to -o FILE, or to stdout only when it is
// not a terminal (a pipe or a redirection); to a terminal they are refused with exit code 2.
int cmd_report(const std::string& url, const std::string& org_ref, int year, const std::string& format, const std::string& out) {
  if ((format == "pdf" || format == "xlsx") && out == "-" && isatty(STDOUT_FILENO)) {
    std::cerr << "chidoan: --format " << format << " writes a binary file: give -o FILE or redirect stdout\n";
    return 2;
  }
  SystemClock clock;
  auto at = open_org(url, org_ref, clock);
  if (!at) return report(at.error());
  auto doc = review::year_report(*at->conn, clock, at->org.id, year);
  if (!doc) return report(doc.error());
  render::Renderer renderer;
  auto bytes = review::render_report(*at->conn, clock, renderer, *doc, format);
  if (!bytes) return report(bytes.error());
  return write_output(*bytes, out);
}

int cmd_dump(const std::string& url, const std::string& org_ref, const std::string& out) {
  SystemClock clock;
  auto at = open_org(url, org_ref, clock);
  if (!at) return report(at.error());
  auto doc = org::bundle::dump(*at->conn, clock, at->org.id, bundle_sections());
  if (!doc) return report(doc.error());
  std::string text = doc->dump(2) + "\n";
  return write_output(text, out);
}

int cmd_user_add(const std::string& url, const std::string& username, const std::string& role_name,
                 const std::string& org_ref, const std::string& member, const std::string& display) {
  auto role = auth::parse_role(role_name);
  if (!role) {
    std::cerr << "chidoan: --role must be one of system_admin, org_manager, branch_secretary, member\n";
    return 2;
  }
  std::string password;
  if (isatty(STDIN_FILENO)) std::cerr << "Mật khẩu (password): ";
  std::getline(std::cin, password);
  auto conn = open_migrated(url);
  if (!conn) return report(conn.error());
  SystemClock clock;
  org::Store store(**conn, clock);
  auto o = find_org(store, org_ref);
  if (!o) return report(o.error());
  auth::NewUser u;
  u.username = username;
  u.password = password;
  u.role = *role;
  u.org_id = o->id;
  u.display_name = display;
  if (!member.empty()) {
    auto m = store.member(std::stoll(member));
    if (!m) return report(m.error());
    u.member_id = m->id;
  }
  auth::AuthStore auth_store(**conn, clock);
  Result<int64_t> id = fail(ErrorKind::internal, "");
  auto w = (*conn)->transaction([&]() -> Result<void> {
    id = auth_store.create_user(u, auth::Actor::system("cli"));
    return id ? Result<void>() : std::unexpected(id.error());
  });
  if (!w) return report(w.error());
  std::cout << "user " << username << " (#" << *id << ") created\n";
  return 0;
}

int cmd_token_create(const std::string& url, const std::string& username, const std::string& name) {
  auto conn = open_migrated(url);
  if (!conn) return report(conn.error());
  SystemClock clock;
  auto row = (*conn)->query_one("SELECT id FROM users WHERE username = ?1", {username});
  if (!row) return report(row.error());
  if (!*row) return report(Error{ErrorKind::not_found, "không có người dùng " + username, "user"});
  auth::AuthStore store(**conn, clock);
  Result<std::string> token = fail(ErrorKind::internal, "");
  auto w = (*conn)->transaction([&]() -> Result<void> {
    token = store.create_api_token((*row)->i64(0), name, auth::Actor::system("cli"));
    return token ? Result<void>() : std::unexpected(token.error());
  });
  if (!w) return report(w.error());
  std::cout << *token << "\n";
  return 0;
}

// chidoan user grant: gives a task (auth::Grant) over an org's subtree, e.g. blood_coordinator.
int cmd_user_grant(const std::string& url, const std::string& username, const std::string& grant_text, const std::string& org_ref) {
  auto grant = auth::parse_grant(grant_text);
  if (!grant) {
    std::cerr << "chidoan: --grant: không có nhiệm vụ " << grant_text << " (blood_coordinator)\n";
    return 2;
  }
  auto conn = open_migrated(url);
  if (!conn) return report(conn.error());
  SystemClock clock;
  auto row = (*conn)->query_one("SELECT id FROM users WHERE username = ?1", {username});
  if (!row) return report(row.error());
  if (!*row) return report(Error{ErrorKind::not_found, "không có người dùng " + username, "user"});
  org::Store orgs(**conn, clock);
  auto o = find_org(orgs, org_ref);
  if (!o) return report(o.error());
  auth::AuthStore store(**conn, clock);
  auto done = store.add_grant((*row)->i64(0), *grant, o->id, auth::Actor::system("cli"));
  if (!done) return report(done.error());
  std::cout << username << ": " << grant_text << " @ " << o->code << "\n";
  return 0;
}

int cmd_members_import(const std::string& url, const std::string& file, const std::string& branch_ref, bool dry_run) {
  auto conn = open_migrated(url);
  if (!conn) return report(conn.error());
  SystemClock clock;
  org::Store store(**conn, clock);
  auto branch = find_org(store, branch_ref);
  if (!branch) return report(branch.error());
  auto bytes = read_file(file);
  if (!bytes) return report(bytes.error());
  auto table = tabular::read_any(file, *bytes);
  if (!table) return report(table.error());
  auto plan = org::plan_import(*table, store, branch->id, today(clock));
  if (!plan) return report(plan.error());
  for (const auto& row : plan->rows)
    if (row.error) std::cerr << "dòng " << row.line << " [" << row.error->field << "]: " << row.error->message << "\n";
  std::cout << plan->rows.size() << " rows, " << plan->bad << " with errors\n";
  if (!plan->ok()) return 1;
  if (dry_run) return 0;
  bool tty = isatty(STDERR_FILENO);
  auto progress = [&](size_t done, size_t total) {
    if (!tty || (done % 50 != 0 && done != total)) return;
    int width = 40, filled = static_cast<int>(width * done / total);
    std::cerr << "\r[" << std::string(filled, '#') << std::string(width - filled, ' ') << "] " << done << "/" << total << std::flush;
    if (done == total) std::cerr << "\n";
  };
  // The import is one transaction that writes the members' indexes all over: with SQLite's
  // default 2 MB page cache, dirty pages spill to the WAL (and are read back, and spilled again)
  // long before the commit. Up to 256 MiB for this command's connection.
  if ((*conn)->engine() == db::Engine::sqlite) {
    auto cache = (*conn)->exec_script("PRAGMA cache_size = -262144; PRAGMA temp_store = MEMORY");
    if (!cache) return report(cache.error());
  }
  size_t inserted = 0;
  const std::string fingerprint = org::file_fingerprint(*bytes);
  auto w = (*conn)->transaction([&]() -> Result<void> {
    CHIDOAN_TRY_VOID(org::check_not_imported(store, **conn, branch->id, fingerprint));
    CHIDOAN_TRY(n, org::commit_import(*plan, store, branch->id, progress));
    inserted = n;
    audit::AuditEntry e{std::nullopt, "cli", "import", "org", branch->id,
                        nlohmann::json{{"rows", n}, {"file", file}, {"sha256", fingerprint}}.dump(), "", ""};
    return audit::record(**conn, clock, e);
  });
  if (!w) return report(w.error());
  std::cout << "imported " << inserted << " members into " << branch->name << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"chidoan — phần mềm quản lý chi đoàn (Ho Chi Minh Communist Youth Union branch management)"};
  app.require_subcommand(1);
  app.set_help_all_flag("--help-all");
  std::string url = kDefaultDb;
  auto add_db = [&](CLI::App* sub) { sub->add_option("--db", url, "Database URL: sqlite:PATH or postgresql://user@host:port/db")->capture_default_str(); };

  auto* serve = app.add_subcommand("serve", "Serve the web application and the JSON API");
  add_db(serve);
  std::string listen = "127.0.0.1:8080";
  int workers = 4;
  serve->add_option("--listen", listen, "HOST:PORT to listen on")->capture_default_str();
  serve->add_option("--workers", workers,
                    "Threads for requests that may take long: writes, uploads, reports, exports, and every route until "
                    "it has proved quick")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  int io_threads = 0;
  serve->add_option("--io-threads", io_threads,
                    "Threads that own the connections and run quick GET handlers inline; 0: one per CPU, at least 4, at most 16")
      ->check(CLI::Range(0, 64))
      ->capture_default_str();
  std::vector<std::string> trusted_proxies;
  serve->add_option("--trusted-proxy", trusted_proxies,
                    "Address of a reverse proxy (e.g. 127.0.0.1) whose X-Forwarded-For names the client: the sign-in "
                    "throttle, the log and the audit then see the client's address; repeat for several");
  std::string public_url;
  serve->add_option("--public-url", public_url,
                    "The site's address for links that leave it (news share cards, feeds), e.g. https://tin.doan.vn; default: "
                    "the request's Host")
      ->check([](const std::string& v) {
        bool ok = (v.starts_with("https://") || v.starts_with("http://")) && !v.ends_with("/") &&
                  v.find_first_of(" \"'<>") == std::string::npos;
        return ok ? std::string() : std::string("an http:// or https:// address without a trailing slash");
      });

  auto* dbcmd = app.add_subcommand("db", "Database maintenance");
  dbcmd->require_subcommand(1);
  auto* migrate = dbcmd->add_subcommand("migrate", "Apply pending migrations");
  add_db(migrate);
  auto* backup = dbcmd->add_subcommand("backup", "Copy the database (SQLite online backup)");
  add_db(backup);
  std::string backup_to;
  backup->add_option("--to", backup_to, "Target file")->required();
  auto* restore = dbcmd->add_subcommand("restore", "Restore an SQLite backup into a new database file (--db)");
  add_db(restore);
  std::string restore_from;
  restore->add_option("--from", restore_from, "The backup file")->required()->check(CLI::ExistingFile);

  auto* load = app.add_subcommand("load", "Load a bundle (JSON) into the database");
  add_db(load);
  std::string bundle_file;
  load->add_option("file", bundle_file, "Bundle file")->required()->check(CLI::ExistingFile);

  auto* dump = app.add_subcommand("dump", "Write an organisation subtree as a bundle");
  add_db(dump);
  std::string dump_org, dump_out = "-";
  dump->add_option("--org", dump_org, "Root org: id or code")->required();
  dump->add_option("-o,--output", dump_out, "Output file (- for stdout)")->capture_default_str();

  auto* gen_cmd = app.add_subcommand("gen", "Generate synthetic Union data (docs/operations.md): a branch, a province or the nation");
  add_db(gen_cmd);
  std::string gen_scale = "branch";
  uint64_t gen_seed = 2021;
  int gen_activities = -1;
  gen_cmd->add_option("--scale", gen_scale, "branch (25 members), province (~100,000) or nation (~6.4 million)")
      ->check(CLI::IsMember({"branch", "province", "nation"}))
      ->capture_default_str();
  gen_cmd->add_option("--seed", gen_seed, "The same seed on an empty database gives the same data")->capture_default_str();
  gen_cmd->add_option("--activities-per-branch", gen_activities, "Override the scale's activities per branch and year (0–50)")
      ->check(CLI::Range(0, 50));

  auto* user = app.add_subcommand("user", "User accounts");
  user->require_subcommand(1);
  auto* user_add = user->add_subcommand("add", "Add a user; the password is read from stdin");
  add_db(user_add);
  std::string username, role, user_org, member, display;
  user_add->add_option("--username", username, "Login name")->required();
  user_add->add_option("--role", role, "system_admin | org_manager | branch_secretary | member")->required();
  user_add->add_option("--org", user_org, "Root of the user's scope: org id or code")->required();
  user_add->add_option("--member", member, "Own member profile id (role member)");
  user_add->add_option("--name", display, "Display name");

  auto* user_grant = user->add_subcommand("grant", "Give a user a task over an org's subtree (e.g. blood_coordinator)");
  add_db(user_grant);
  std::string grant_user, grant_name, grant_org;
  user_grant->add_option("--username", grant_user, "Login name")->required();
  user_grant->add_option("--grant", grant_name, "blood_coordinator")->required();
  user_grant->add_option("--org", grant_org, "Org: id or code")->required();

  auto* token = app.add_subcommand("token", "API tokens");
  token->require_subcommand(1);
  auto* token_create = token->add_subcommand("create", "Create a bearer token for a user and print it");
  add_db(token_create);
  std::string token_user, token_name = "cli";
  token_create->add_option("--user", token_user, "Login name")->required();
  token_create->add_option("--name", token_name, "Label of the token")->capture_default_str();

  auto* members = app.add_subcommand("members", "Member roll");
  members->require_subcommand(1);
  auto* import = members->add_subcommand("import", "Import members from CSV or XLSX (all or nothing)");
  add_db(import);
  std::string import_file, import_branch;
  bool dry_run = false;
  import->add_option("file", import_file, "CSV or XLSX file")->required()->check(CLI::ExistingFile);
  import->add_option("--branch", import_branch, "Branch: id or code")->required();
  import->add_flag("--dry-run", dry_run, "Validate and report; write nothing");

  auto* notify_cmd = app.add_subcommand("notify", "Notifications (e-mail, SMS/Zalo webhook)");
  notify_cmd->require_subcommand(1);
  auto* notify_run = notify_cmd->add_subcommand("run", "Enqueue the day's blood-club reminders and idea digests and send what is due, once");
  add_db(notify_run);
  std::string notify_date;
  notify_run->add_option("--date", notify_date, "The day (YYYY-MM-DD) instead of today");

  auto* report_cmd = app.add_subcommand("report", "Reports of an organisation");
  report_cmd->require_subcommand(1);
  auto* report_year = report_cmd->add_subcommand("year", "The year-end report, computed from the data (docs/review.md)");
  add_db(report_year);
  std::string report_org, report_format = "json", report_out = "-";
  int report_year_no = 0;
  report_year->add_option("--org", report_org, "Org: id or code")->required();
  report_year->add_option("--year", report_year_no, "Year (YYYY)")->required()->check(CLI::Range(1930, 2100));
  report_year->add_option("--format", report_format, "json, html, pdf or xlsx (pdf/xlsx: -o FILE, or stdout when not a terminal)")
      ->check(CLI::IsMember({"json", "html", "pdf", "xlsx"}))
      ->capture_default_str();
  report_year->add_option("-o,--output", report_out, "Output file (- for stdout)")->capture_default_str();

  auto* scan_cmd = app.add_subcommand("scan", "Scanned pages (JPEG, PNG, TIFF, image PDF) to one searchable PDF; exit codes in docs/scan.md");
  scan::CliArgs scan_args;
  scan_cmd->add_option("pages", scan_args.pages, "Page files, in order")->required();
  scan_cmd->add_option("-o,--output", scan_args.out, "The PDF to write")->required();
  scan_cmd->add_option("--lang", scan_args.lang, "Tesseract languages")->capture_default_str();
  scan_cmd->add_option("--dpi", scan_args.dpi, "Resolution of the inputs, overriding the files (default: theirs, else an A4 fit)")
      ->check(CLI::Range(50, 2400));
  scan_cmd->add_option("--max-bytes", scan_args.max_bytes, "Largest PDF accepted; photo pages are reduced first")
      ->check(CLI::Range(int64_t{1000}, int64_t{1} << 40));
  scan_cmd->add_option("--jobs", scan_args.jobs, "Pages in parallel (default: the number of cores)")->check(CLI::Range(1, 64));
  scan_cmd->add_option("--title", scan_args.title, "Title in the PDF's metadata");
  scan_cmd->add_flag("-q,--quiet", scan_args.quiet, "No progress bar and no page report");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::string msg = e.what();
    if (msg.empty()) msg = e.get_name();
    std::cerr << "chidoan: " << msg << " (see chidoan --help)\n";
    return 2;
  }

  if (*serve) return cmd_serve(url, listen, workers, io_threads, public_url, trusted_proxies);
  if (*migrate) {
    auto conn = open_migrated(url);
    if (!conn) return report(conn.error());
    std::cout << "database is up to date\n";
    return 0;
  }
  if (*backup) {
    auto r = db::backup(url, backup_to);
    if (!r) return report(r.error());
    std::cout << "backup written to " << backup_to << "\n";
    return 0;
  }
  if (*restore) {
    auto r = db::restore(restore_from, url);
    if (!r) return report(r.error());
    // A backup made by an older chidoan is brought up to this one's schema.
    auto conn = open_migrated(url);
    if (!conn) return report(conn.error());
    std::cout << "restored " << restore_from << " into " << url << "\n";
    return 0;
  }
  if (*load) return cmd_load(url, bundle_file);
  if (*gen_cmd) return cmd_gen(url, gen_scale, gen_seed, gen_activities);
  if (*dump) return cmd_dump(url, dump_org, dump_out);
  if (*report_year) return cmd_report(url, report_org, report_year_no, report_format, report_out);
  if (*user_add) return cmd_user_add(url, username, role, user_org, member, display);
  if (*user_grant) return cmd_user_grant(url, grant_user, grant_name, grant_org);
  if (*token_create) return cmd_token_create(url, token_user, token_name);
  if (*import) return cmd_members_import(url, import_file, import_branch, dry_run);
  if (*notify_run) return cmd_notify_run(url, notify_date);
  if (*scan_cmd) return scan::run_cli(scan_args);
  return 2;
}

}  // namespace chidoan::app

int main(int argc, char** argv) {
  // libgomp reads OMP_THREAD_LIMIT when it loads, before main(): set it and start again, so that
  // tesseract's OpenMP threads do not fight the digitiser's own page workers (src/scan/engine.hpp).
  if (!getenv("OMP_THREAD_LIMIT")) {
    setenv("OMP_THREAD_LIMIT", "1", 1);
    execv("/proc/self/exe", argv);
  }
  return chidoan::app::main(argc, argv);
}
