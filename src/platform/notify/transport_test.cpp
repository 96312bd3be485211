// The transports against real receivers: testdata/sink.py runs an SMTP server (Debian's
// python3-aiosmtpd) or an HTTP server as a child process, and writes down what arrived.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sodium.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "platform/notify/dispatcher.hpp"
#include "platform/notify/settings.hpp"
#include "platform/text/text.hpp"
#include "tests/support/test_db.hpp"

namespace chidoan::notify {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr const char* kPython = "/usr/bin/python3";

int free_port() {
  int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  ::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a);
  ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(s);
  return ntohs(a.sin_port);
}

bool accepts(int port) {
  int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = ::connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  ::close(s);
  return ok;
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string unbase64(std::string_view b64) {
  std::string out(b64.size(), '\0');
  size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), b64.data(), b64.size(), "\r\n",
                        &len, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0)
    return "<bad base64>";
  out.resize(len);
  return out;
}

// Decodes the "=?UTF-8?B?...?=" words of a header value; the whitespace between two of them
// vanishes, other text stays.
std::string decode_words(const std::string& value) {
  std::string out;
  size_t pos = 0;
  bool after_word = false;
  for (size_t start; (start = value.find("=?UTF-8?B?", pos)) != std::string::npos;) {
    std::string between = value.substr(pos, start - pos);
    if (!after_word || between.find_first_not_of(" \t\r\n") != std::string::npos) out += between;
    size_t end = value.find("?=", start + 10);
    out += unbase64(std::string_view(value).substr(start + 10, end - start - 10));
    pos = end + 2;
    after_word = true;
  }
  return out + value.substr(pos);
}

struct Email {
  std::string raw;
  std::map<std::string, std::string> headers;  // unfolded
  std::string body;                            // the transfer encoding undone
};

Email parse_email(const std::string& raw) {
  Email e{raw, {}, {}};
  size_t split = raw.find("\r\n\r\n");
  std::string head = raw.substr(0, split);
  for (size_t fold; (fold = head.find("\r\n ")) != std::string::npos;) head.replace(fold, 3, " ");
  std::istringstream lines(head);
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    size_t colon = line.find(": ");
    if (colon != std::string::npos) e.headers[line.substr(0, colon)] = line.substr(colon + 2);
  }
  e.body = unbase64(raw.substr(split + 4));
  return e;
}

// A sink.py child process on a free port, writing into a temporary folder.
class Sink {
 public:
  // Fails the test (never skips) when the receiver cannot start: scripts/test installs it.
  void start(const std::string& kind, std::vector<std::string> extra = {}) {
    if (kind == "smtp") {
      std::string check = std::string(kPython) + " -c 'import aiosmtpd' 2>/dev/null";
      ASSERT_EQ(std::system(check.c_str()), 0)
          << "python3-aiosmtpd is missing: `apt-get install python3-aiosmtpd` (./scripts/test installs it); "
             "the SMTP tests need a real server";
    }
    dir_ = fs::temp_directory_path() / ("chidoan-sink-" + std::to_string(::getpid()) + "-" + kind);
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    port_ = free_port();
    std::vector<std::string> args = {kPython, CHIDOAN_NOTIFY_SINK, kind, std::to_string(port_), dir_.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    pid_ = ::fork();
    if (pid_ == 0) {
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(kPython, argv.data());
      ::_exit(127);
    }
    for (int i = 0; i < 1000; ++i) {
      if (accepts(port_)) return;
      int status = 0;
      ASSERT_EQ(::waitpid(pid_, &status, WNOHANG), 0) << kind << " sink exited early (status " << status << ")";
      std::this_thread::sleep_for(10ms);
    }
    FAIL() << kind << " sink did not listen on port " << port_ << " within 10 s";
  }
  ~Sink() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      ::waitpid(pid_, nullptr, 0);
    }
    if (!dir_.empty()) fs::remove_all(dir_);
  }
  int port() const { return port_; }
  // The n-th received file with this suffix (1-based); "" when absent.
  std::string received(int n, const std::string& suffix) const {
    fs::path p = dir_ / (std::to_string(n) + suffix);
    return fs::exists(p) ? read_file(p) : "";
  }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  fs::path dir_;
};

const std::string kSubject = "Bạn đã có thể hiến máu trở lại từ 02/06/2021";
const std::string kBody =
    "Chào bạn Nguyễn Thị Hồng Nhung,\n"
    "Bạn đã có thể hiến máu trở lại từ 02/06/2021. Điểm hiến máu gần nhất: Bệnh viện Đa khoa "
    "tỉnh Lâm Đồng, số 4 Phạm Ngọc Thạch, Đà Lạt.\n"
    ".\n"  // a lone dot ends an SMTP message: it must arrive as text
    "Cảm ơn bạn đã đồng hành cùng Câu lạc bộ hiến máu tình nguyện.\n";

Message vietnamese_reminder() {
  return Message{.channel = Channel::email, .recipient = "nhung.nth@example.org", .subject = kSubject,
                 .body = kBody, .kind = "blood.reminder", .ref = "donor:12:2021-06-02"};
}

class NotifyTransportTest : public chidoan::testing::DbTest {
 protected:
  FixedClock clock{std::chrono::sys_days{std::chrono::year{2021} / 6 / 2} + 1h};
  SmtpSettings smtp_settings(int port) {
    return SmtpSettings{.url = "smtp://127.0.0.1:" + std::to_string(port),
                        .from = *parse_mailbox("Chi đoàn Văn phòng UBND tỉnh <chidoan@vp.lamdong.example>"),
                        .timeout = 10s};
  }
  Result<Delivery> deliver(Transports t) { return Dispatcher(clock, t).deliver_pending(*conn); }
};

TEST_P(NotifyTransportTest, SmtpDeliversVietnameseMail) {
  Sink sink;
  ASSERT_NO_FATAL_FAILURE(sink.start("smtp"));
  SmtpTransport smtp(smtp_settings(sink.port()), clock);
  Outbox box(*conn, clock);
  auto id = box.enqueue(vietnamese_reminder());
  ASSERT_TRUE(id) << id.error().message;

  auto d = deliver({.email = &smtp});
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_EQ(d->sent, 1) << box.get(*id)->last_error;
  EXPECT_EQ(box.get(*id)->status, Status::sent);

  std::string envelope = sink.received(1, ".env");
  EXPECT_EQ(envelope, "chidoan@vp.lamdong.example\nnhung.nth@example.org\nlogin=");
  Email mail = parse_email(sink.received(1, ".eml"));
  EXPECT_EQ(decode_words(mail.headers["Subject"]), kSubject);
  EXPECT_EQ(mail.body, "Chào bạn Nguyễn Thị Hồng Nhung,\r\nBạn đã có thể hiến máu trở lại từ 02/06/2021. Điểm hiến máu "
                       "gần nhất: Bệnh viện Đa khoa tỉnh Lâm Đồng, số 4 Phạm Ngọc Thạch, Đà Lạt.\r\n.\r\nCảm ơn bạn "
                       "đã đồng hành cùng Câu lạc bộ hiến máu tình nguyện.\r\n");
  EXPECT_EQ(decode_words(mail.headers["From"]), "Chi đoàn Văn phòng UBND tỉnh <chidoan@vp.lamdong.example>");
  EXPECT_EQ(mail.headers["To"], "<nhung.nth@example.org>");
  EXPECT_EQ(mail.headers["Date"], "Wed, 02 Jun 2021 01:00:00 +0000");
  EXPECT_TRUE(mail.headers["Message-ID"].starts_with("<")) << mail.headers["Message-ID"];
  EXPECT_TRUE(mail.headers["Message-ID"].ends_with("@vp.lamdong.example>")) << mail.headers["Message-ID"];
  EXPECT_EQ(mail.headers["MIME-Version"], "1.0");
  EXPECT_EQ(mail.headers["Content-Type"], "text/plain; charset=UTF-8");
  EXPECT_EQ(mail.headers["Content-Transfer-Encoding"], "base64");
  // 7-bit clean, CRLF only, lines within RFC 5322's 78.
  std::istringstream lines(mail.raw);
  for (std::string line; std::getline(lines, line);) {
    ASSERT_TRUE(line.ends_with("\r")) << line;
    EXPECT_LE(line.size(), 79u) << line;
    EXPECT_TRUE(std::all_of(line.begin(), line.end(), [](unsigned char c) { return c < 0x80; })) << line;
  }
}

TEST_P(NotifyTransportTest, SmtpLogsInAndRetriesARefusedLogin) {
  Sink sink;
  ASSERT_NO_FATAL_FAILURE(sink.start("smtp", {"chidoan", "mật-khẩu-đúng"}));
  SmtpSettings settings = smtp_settings(sink.port());
  settings.user = "chidoan";
  settings.password = "sai";
  SmtpTransport wrong(settings, clock);
  Outbox box(*conn, clock);
  auto id = box.enqueue(vietnamese_reminder());

  auto d = deliver({.email = &wrong});
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_EQ(d->retrying, 1);
  auto e = box.get(*id);
  EXPECT_EQ(e->next_attempt_at, clock.unix_seconds() + 60);
  EXPECT_TRUE(e->last_error.starts_with("SMTP: ")) << e->last_error;
  EXPECT_EQ(sink.received(1, ".eml"), "");

  settings.password = "mật-khẩu-đúng";
  SmtpTransport right(settings, clock);
  clock.advance(1min);
  EXPECT_EQ(deliver({.email = &right})->sent, 1);
  EXPECT_EQ(sink.received(1, ".env"), "chidoan@vp.lamdong.example\nnhung.nth@example.org\nlogin=chidoan");
  EXPECT_EQ(box.get(*id)->attempts, 2);
}

TEST_P(NotifyTransportTest, SmtpServerDownIsRetried) {
  SmtpTransport smtp(smtp_settings(free_port()), clock);
  Outbox box(*conn, clock);
  auto id = box.enqueue(vietnamese_reminder());
  EXPECT_EQ(deliver({.email = &smtp})->retrying, 1);
  EXPECT_EQ(box.get(*id)->status, Status::pending);
}

TEST_P(NotifyTransportTest, WebhookPostsJsonWithTheBearerSecret) {
  Sink sink;
  ASSERT_NO_FATAL_FAILURE(sink.start("http"));
  WebhookTransport hook({.url = "http://127.0.0.1:" + std::to_string(sink.port()) + "/sms", .secret = "s3cr3t-123"});
  Outbox box(*conn, clock);
  Message sms{.channel = Channel::webhook, .recipient = "0912345678", .subject = "Cần gấp máu nhóm O",
              .body = "Bệnh viện Đa khoa tỉnh Lâm Đồng cần gấp 3 đơn vị máu nhóm O. Bạn có thể đến trước 17 giờ?",
              .kind = "blood.callout", .ref = "callout:7:0912345678"};
  ASSERT_TRUE(box.enqueue(sms));
  auto d = deliver({.webhook = &hook});
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_EQ(d->sent, 1);

  auto got = nlohmann::json::parse(sink.received(1, ".json"));
  EXPECT_EQ(got["path"], "/sms");
  EXPECT_EQ(got["authorization"], "Bearer s3cr3t-123");
  EXPECT_EQ(got["content_type"], "application/json; charset=utf-8");
  auto body = nlohmann::json::parse(got["body"].get<std::string>());
  EXPECT_EQ(body, (nlohmann::json{{"to", "0912345678"}, {"subject", "Cần gấp máu nhóm O"}, {"text", sms.body},
                                  {"kind", "blood.callout"}}));
}

TEST_P(NotifyTransportTest, WebhookErrorReplyIsRetriedOnSchedule) {
  Sink sink;
  ASSERT_NO_FATAL_FAILURE(sink.start("http"));
  WebhookTransport hook({.url = "http://127.0.0.1:" + std::to_string(sink.port()) + "/sms/500", .secret = "s"});
  Outbox box(*conn, clock);
  auto id = box.enqueue(Message{.channel = Channel::webhook, .recipient = "0912345678", .body = "Cần gấp máu O",
                                .kind = "blood.callout", .ref = "callout:7"});
  for (int64_t wait : {60, 300}) {
    auto d = deliver({.webhook = &hook});
    ASSERT_TRUE(d) << d.error().message;
    EXPECT_EQ(d->retrying, 1);
    auto e = box.get(*id);
    EXPECT_EQ(e->last_error, "webhook: HTTP 500");
    EXPECT_EQ(e->next_attempt_at, clock.unix_seconds() + wait);
    clock.advance(std::chrono::seconds(wait));
  }
  EXPECT_NE(sink.received(2, ".json"), "");  // both tries reached the gateway
}

CHIDOAN_INSTANTIATE_DB_TEST(NotifyTransportTest);

TEST(NotifySmtpFormat, LongSubjectsSplitIntoWholeCharacters) {
  std::string subject;
  for (int i = 0; i < 6; ++i) subject += "Thư mời tham gia Ngày hội hiến máu tình nguyện Giọt hồng Đà Lạt ";
  std::string encoded = encode_header_text(subject);
  EXPECT_EQ(decode_words(encoded), subject);
  std::istringstream words(encoded);
  for (std::string w; words >> w;) {
    EXPECT_LE(w.size(), 64u);
    EXPECT_TRUE(text::is_valid_utf8(unbase64(w.substr(10, w.size() - 12))));
  }
  EXPECT_EQ(encode_header_text("Monthly digest"), "Monthly digest");
  EXPECT_EQ(encode_header_text("=?x?= trap"), "=?UTF-8?B?PT94Pz0gdHJhcA==?=");
}

TEST(NotifySmtpFormat, Mailboxes) {
  auto m = parse_mailbox("\"Chi đoàn\" <a@example.org>");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->name, "Chi đoàn");
  EXPECT_EQ(m->address, "a@example.org");
  EXPECT_EQ(parse_mailbox("a@example.org")->name, "");
  EXPECT_FALSE(parse_mailbox("Chi đoàn"));
  EXPECT_FALSE(parse_mailbox(""));
}

TEST(NotifySettings, FromEnvironment) {
  std::map<std::string, std::string> env;
  auto get = [&](const char* name) { return env.count(name) ? env[name] : std::string(); };
  auto none = settings_from(get);
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->smtp);
  EXPECT_FALSE(none->webhook);

  env = {{"CHIDOAN_SMTP_URL", "smtps://mail.example.org:465"},
         {"CHIDOAN_SMTP_FROM", "Chi đoàn <noreply@example.org>"},
         {"CHIDOAN_SMTP_USER", "u"},
         {"CHIDOAN_SMTP_PASSWORD", "p"},
         {"CHIDOAN_SMTP_STARTTLS", "1"},
         {"CHIDOAN_WEBHOOK_URL", "https://sms.example.org/send"},
         {"CHIDOAN_WEBHOOK_SECRET", "s3"}};
  auto all = settings_from(get);
  ASSERT_TRUE(all) << all.error().message;
  EXPECT_EQ(all->smtp->from.address, "noreply@example.org");
  EXPECT_EQ(all->smtp->user, "u");
  EXPECT_TRUE(all->smtp->starttls);
  EXPECT_EQ(all->webhook->secret, "s3");
  FixedClock clock{std::chrono::sys_days{std::chrono::year{2021} / 6 / 2}};
  auto owned = make_transports(*all, clock);
  EXPECT_NE(owned.transports().email, nullptr);
  EXPECT_NE(owned.transports().webhook, nullptr);
  EXPECT_EQ(make_transports(*none, clock).email, nullptr);

  auto field_when = [&](const char* name, const char* value) {
    auto saved = env;
    env[name] = value;
    auto r = settings_from(get);
    env = saved;
    return r ? std::string() : r.error().field;
  };
  EXPECT_EQ(field_when("CHIDOAN_SMTP_URL", "http://mail"), "CHIDOAN_SMTP_URL");
  EXPECT_EQ(field_when("CHIDOAN_SMTP_FROM", ""), "CHIDOAN_SMTP_FROM");
  EXPECT_EQ(field_when("CHIDOAN_SMTP_STARTTLS", "yes"), "CHIDOAN_SMTP_STARTTLS");
  EXPECT_EQ(field_when("CHIDOAN_WEBHOOK_URL", "ftp://x"), "CHIDOAN_WEBHOOK_URL");
  EXPECT_EQ(field_when("CHIDOAN_WEBHOOK_SECRET", ""), "CHIDOAN_WEBHOOK_SECRET");
  EXPECT_EQ(field_when("CHIDOAN_WEBHOOK_SECRET", "bí mật"), "CHIDOAN_WEBHOOK_SECRET");
}

}  // namespace
}  // namespace chidoan::notify
