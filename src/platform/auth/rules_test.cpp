#include "platform/auth/rules.hpp"

#include <gtest/gtest.h>

#include <set>
#include <sstream>
#include <vector>

#include "platform/core/assets.hpp"

namespace chidoan::auth {
namespace {

TEST(Username, NormalisesAndValidates) {
  EXPECT_EQ(normalize_username("  Nguyen.Van_A-1 \t").value(), "nguyen.van_a-1");
  EXPECT_EQ(normalize_username("abc").value(), "abc");
  EXPECT_EQ(normalize_username(std::string(32, 'x')).value(), std::string(32, 'x'));
  for (std::string bad : std::vector<std::string>{"", "ab", "  ab ", std::string(33, 'x'), "nguyễn", "a b c", "user@mail", "x/y", "tên"}) {
    auto r = normalize_username(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().kind, ErrorKind::invalid);
    EXPECT_EQ(r.error().field, "username");
    EXPECT_FALSE(r.error().message.empty());
  }
}

TEST(Username, LoggableFormIsAsciiAndBounded) {
  EXPECT_EQ(loggable_username(" Admin "), "admin");
  EXPECT_EQ(loggable_username("tên@x"), "t??n@x");
  EXPECT_EQ(loggable_username(std::string(1000, 'a')).size(), 64u);
  EXPECT_EQ(loggable_username("\xff\xfe"), "??");
}

TEST(Utf8, CountsCodePointsAndRejectsInvalid) {
  EXPECT_EQ(utf8_length("").value(), 0u);
  EXPECT_EQ(utf8_length("abc").value(), 3u);
  EXPECT_EQ(utf8_length("Đoàn Thanh niên").value(), 15u);
  EXPECT_EQ(utf8_length("😀").value(), 1u);
  EXPECT_FALSE(utf8_length("\xC0\x80"));          // overlong NUL
  EXPECT_FALSE(utf8_length("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(utf8_length("\xE1\xBB"));          // truncated
  EXPECT_FALSE(utf8_length("\xF4\x90\x80\x80"));  // above U+10FFFF
}

TEST(CommonPasswords, ListIsTheTop1000) {
  auto data = assets::find("data/common/common-passwords.txt");
  ASSERT_TRUE(data) << "data/common/common-passwords.txt is not embedded";
  std::istringstream in{std::string(*data)};
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  EXPECT_EQ(lines.size(), 1000u);
  EXPECT_EQ(std::set<std::string>(lines.begin(), lines.end()).size(), 1000u) << "duplicates";
  EXPECT_EQ(lines.front(), "123456");
  for (const auto& l : lines) {
    EXPECT_FALSE(l.empty());
    EXPECT_NE(l[0], '#') << "comment line left in the list";
  }
}

TEST(CommonPasswords, KnownEntriesAnyCase) {
  for (const char* p : {"123456", "password", "qwertyuiop", "1234567890", "1q2w3e4r5t", "q1w2e3r4t5",
                        "password123", "1qaz2wsx3edc", "PassWord", "QWERTYUIOP", "iloveyou"})
    EXPECT_TRUE(is_common_password(p)) << p;
  EXPECT_FALSE(is_common_password("Chi đoàn xuất sắc năm 2021"));
  EXPECT_FALSE(is_common_password("correct horse battery staple"));
}

TEST(PasswordPolicy, Rules) {
  auto expect_invalid = [](std::string_view pw, std::string_view user, std::string_view fragment) {
    auto r = check_password(pw, user);
    ASSERT_FALSE(r) << pw;
    EXPECT_EQ(r.error().kind, ErrorKind::invalid);
    EXPECT_EQ(r.error().field, "password");
    EXPECT_NE(r.error().message.find(fragment), std::string::npos) << r.error().message;
  };
  expect_invalid("short", "abc", "ít nhất 10 ký tự");
  expect_invalid("Đoàn viên", "abc", "ít nhất 10 ký tự");  // 9 code points, 13 bytes
  expect_invalid("1234567890", "abc", "phổ biến");
  expect_invalid("QwertyUiop", "abc", "phổ biến");
  expect_invalid("password123", "abc", "phổ biến");
  expect_invalid("nguyen.van.a", "nguyen.van.a", "tên đăng nhập");
  expect_invalid("Nguyen.Van.A", "nguyen.van.a", "tên đăng nhập");
  expect_invalid(std::string(257, 'x'), "abc", "256");
  expect_invalid("abcdefghij\xff", "abc", "không hợp lệ");

  EXPECT_TRUE(check_password("Tuổi trẻ Lâm Đồng sáng tạo", "bithu"));
  EXPECT_TRUE(check_password("Đoàn viên!", "abc"));  // exactly 10 code points
  EXPECT_TRUE(check_password(std::string(256, 'x'), "abc"));
}

TEST(PasswordPolicy, PreparedPasswordsAreNfc) {
  const std::string composed = "Tu\xE1\xBB\x95i tr\xE1\xBA\xBB";            // "Tuổi trẻ", precomposed
  const std::string decomposed = "Tuo\xCC\x82\xCC\x89i tre\xCC\x89";        // o + ^ + hook, e + hook
  ASSERT_NE(composed, decomposed);
  EXPECT_EQ(prepare_password(decomposed).value(), composed);
  EXPECT_EQ(prepare_password(composed).value(), composed);
  EXPECT_EQ(prepare_password("plain ascii").value(), "plain ascii");
  auto bad = prepare_password("\xC0\x80");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field, "password");
}

TEST(Hashing, RoundTrip) {
  auto h = hash_password("Tuổi trẻ Lâm Đồng", HashParams::min());
  ASSERT_TRUE(h) << h.error().message;
  EXPECT_TRUE(h->starts_with("$argon2id$"));
  EXPECT_TRUE(verify_password("Tuổi trẻ Lâm Đồng", *h));
  EXPECT_FALSE(verify_password("Tuổi trẻ Lâm Đồng ", *h));
  EXPECT_FALSE(verify_password("", *h));
  EXPECT_FALSE(verify_password("x", ""));
  EXPECT_FALSE(verify_password("x", "not a hash"));
  auto h2 = hash_password("Tuổi trẻ Lâm Đồng", HashParams::min());
  EXPECT_NE(*h, *h2) << "salted";
  EXPECT_FALSE(needs_rehash(*h, HashParams::min()));
  EXPECT_TRUE(needs_rehash(*h, HashParams::interactive()));
}

TEST(Hashing, DummyHashIsStableAndRejectsEverything) {
  const std::string& d = dummy_hash(HashParams::min());
  EXPECT_TRUE(d.starts_with("$argon2id$"));
  EXPECT_EQ(&d, &dummy_hash(HashParams::min()));
  EXPECT_FALSE(verify_password("password", d));
}

TEST(Tokens, RandomBase64UrlAndHashed) {
  std::string a = random_token(), b = random_token();
  EXPECT_EQ(a.size(), 43u);
  EXPECT_NE(a, b);
  for (char c : a) EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') << c;
  std::string t = new_api_token();
  EXPECT_TRUE(t.starts_with("cd_"));
  EXPECT_EQ(t.size(), 46u);
  // SHA-256 test vector.
  EXPECT_EQ(token_hash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(token_hash(a).size(), 64u);
}

TEST(Tokens, CsrfCompare) {
  std::string t = random_token();
  EXPECT_TRUE(csrf_equal(t, std::string(t)));
  std::string other = t;
  other.back() = other.back() == 'A' ? 'B' : 'A';
  EXPECT_FALSE(csrf_equal(t, other));
  EXPECT_FALSE(csrf_equal(t, t.substr(1)));
  EXPECT_FALSE(csrf_equal(t, ""));
  EXPECT_FALSE(csrf_equal("", ""));
}

TEST(Sessions, SlidingAndAbsoluteExpiry) {
  AuthConfig cfg;
  const int64_t t0 = 1'700'000'000;
  EXPECT_EQ(session_expiry(t0, t0, cfg), t0 + 12 * 3600);
  EXPECT_EQ(session_expiry(t0, t0 + 7 * 86400 - 3600, cfg), t0 + 7 * 86400);

  SessionTimes s{t0, t0, t0 + 12 * 3600};
  auto c = check_session(s, t0 + 30, cfg);
  EXPECT_TRUE(c.valid);
  EXPECT_FALSE(c.refresh) << "less than a minute since last seen";
  c = check_session(s, t0 + 60, cfg);
  EXPECT_TRUE(c.valid);
  EXPECT_TRUE(c.refresh);
  EXPECT_EQ(c.expires_at, t0 + 60 + 12 * 3600);
  c = check_session(s, t0 + 12 * 3600 - 1, cfg);
  EXPECT_TRUE(c.valid);
  c = check_session(s, t0 + 12 * 3600, cfg);
  EXPECT_FALSE(c.valid);
  // A stored expiry beyond the absolute limit (config lowered) is capped.
  SessionTimes long_lived{t0, t0 + 7 * 86400 - 10, t0 + 8 * 86400};
  EXPECT_FALSE(check_session(long_lived, t0 + 7 * 86400, cfg).valid);
}

TEST(Sessions, Cookies) {
  AuthConfig cfg;
  CookieSpec c = session_cookie("tok", false, cfg);
  EXPECT_EQ(c.name, "chidoan_session");
  EXPECT_EQ(c.value, "tok");
  EXPECT_EQ(c.path, "/");
  EXPECT_TRUE(c.http_only);
  EXPECT_FALSE(c.secure);
  EXPECT_EQ(c.same_site, "Lax");
  EXPECT_EQ(c.max_age, 7 * 86400);
  EXPECT_TRUE(session_cookie("tok", true, cfg).secure);
  CookieSpec gone = expired_session_cookie(true);
  EXPECT_EQ(gone.name, "chidoan_session");
  EXPECT_EQ(gone.max_age, 0);
  EXPECT_TRUE(gone.secure);
  EXPECT_TRUE(gone.value.empty());
}

TEST(Throttle, WaitUntilTheLimitDropsBelow) {
  const int64_t now = 10'000;
  std::vector<int64_t> four{9990, 9980, 9970, 9960};
  EXPECT_FALSE(throttle_wait(four, 5, 900, now));
  std::vector<int64_t> five{9990, 9980, 9970, 9960, 9500};
  EXPECT_EQ(throttle_wait(five, 5, 900, now).value(), 9500 + 900 - now);
  std::vector<int64_t> old{9990, 9980, 9970, 9960, 9100};  // the fifth is outside the window
  EXPECT_FALSE(throttle_wait(old, 5, 900, now));
  EXPECT_EQ(throttle_message(400), "Bạn đã đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 7 phút.");
  EXPECT_NE(throttle_message(1).find("1 phút"), std::string::npos);
  EXPECT_NE(throttle_message(900).find("15 phút"), std::string::npos);
}

TEST(Roles, NamesRoundTrip) {
  for (Role r : {Role::system_admin, Role::org_manager, Role::branch_secretary, Role::member})
    EXPECT_EQ(parse_role(role_name(r)).value(), r);
  EXPECT_FALSE(parse_role("admin"));
}

}  // namespace
}  // namespace chidoan::auth
