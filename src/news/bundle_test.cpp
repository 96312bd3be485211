// The "news" bundle section on both engines: the demo's posts load after the sections they link
// to and dump back exactly as the file has them (with no figure the data does not give and no
// personal data), a bundle with photos, a consent and an author round-trips byte for byte through
// two databases, and bad input is refused with its JSON path and nothing written.
#include "news/bundle.hpp"

#include <gtest/gtest.h>
#include <leptonica/allheaders.h>

#include <cctype>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "activity/bundle.hpp"
#include "activity/store.hpp"
#include "fund/bundle.hpp"
#include "fund/produce_bundle.hpp"
#include "ideas/bundle.hpp"
#include "news/draft.hpp"
#include "news/rules.hpp"
#include "news/store.hpp"
#include "org/bundle.hpp"
#include "org/store.hpp"
#include "platform/core/date.hpp"
#include "platform/text/text.hpp"
#include "platform/web/web.hpp"
#include "tests/support/demo.hpp"
#include "tests/support/route_world.hpp"
#include "tests/support/test_db.hpp"
#include "tests/support/world_test.hpp"

namespace chidoan::news {
namespace {

using nlohmann::json;

// The sections the news section's links name, in the order the CLI loads them, then news.
std::vector<chidoan::bundle::Section> linked_sections() {
  return {activity::bundle_section(), fund::bundle_section(), fund::produce_bundle_section(), ideas::bundle_section()};
}
std::vector<chidoan::bundle::Section> all_sections() {
  auto s = linked_sections();
  s.push_back(bundle_section());
  return s;
}

// A small w × h JPEG (a gradient, so the coder has something to do), or PNG.
std::string image(int w, int h, bool png = false) {
  PIX* pix = pixCreate(w, h, 32);
  l_uint32* data = pixGetData(pix);
  const int wpl = pixGetWpl(pix);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) composeRGBPixel(40 + x * 150 / w, 60 + y * 150 / h, 90 + ((x / 8 + y / 8) % 2) * 60, data + y * wpl + x);
  l_uint8* bytes = nullptr;
  size_t size = 0;
  int rc = png ? pixWriteMemPng(&bytes, &size, pix, 0.0f) : pixWriteMemJpeg(&bytes, &size, pix, 85, 0);
  pixDestroy(&pix);
  EXPECT_EQ(rc, 0);
  std::string out(reinterpret_cast<const char*>(bytes), size);
  lept_free(bytes);
  return out;
}

// The figures of a text: runs of digits with the separators inside them ("5.160.000", "220,9",
// "01/11/2021"); "COVID-19" gives "19".
std::set<std::string> figures(const std::string& text) {
  std::set<std::string> out;
  std::string cur;
  auto flush = [&] {
    while (!cur.empty() && !std::isdigit(static_cast<unsigned char>(cur.back()))) cur.pop_back();
    if (!cur.empty()) out.insert(cur);
    cur.clear();
  };
  for (char c : text) {
    if (std::isdigit(static_cast<unsigned char>(c)) || (!cur.empty() && (c == '.' || c == ',' || c == '/'))) cur += c;
    else flush();
  }
  flush();
  return out;
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

class NewsBundleTest : public chidoan::testing::WorldTest {
 protected:
  FixedClock clock{std::chrono::sys_days{std::chrono::year{2022} / 1 / 15}};

  int64_t org_id(const char* code) { return (*org::Store(*conn, clock).org_by_code(code))->id; }
  int64_t count(const char* table) { return (*conn->query_one(std::string("SELECT COUNT(*) FROM ") + table))->i64(0); }
  int64_t epoch() { return *Store(*conn, clock).epoch(); }

  // The demo's org part, the OTHER branch (outside the Đoàn khối) and the sections news links to,
  // and what a bundle of the demo would know and refer to.
  void prepare() {
    load_world(clock, linked_sections());
    if (HasFatalFailure()) return;
    other_branch = world.other_branch;
    auto names = chidoan::testing::demo_names(*conn);
    ASSERT_TRUE(names) << names.error().message;
    known = names->known;
    refs = names->refs;
  }
  // Loads `section` as a bundle's "news" after the rest is in: validated, then loaded in one
  // transaction, as org::bundle::load does.
  Result<void> load_news(const json& section) {
    auto s = bundle_section();
    CHIDOAN_TRY_VOID(s.validate(*conn, section, known));
    return conn->transaction([&]() -> Result<void> { return s.load(*conn, clock, section, refs); });
  }
  Result<json> dump_news(db::Connection& c, const char* root = "TW") {
    auto id = org::Store(c, clock).org_by_code(root);
    if (!id || !*id) return fail(ErrorKind::not_found, root);
    CHIDOAN_TRY(doc, org::bundle::dump(c, clock, (*id)->id, {bundle_section()}));
    return doc.contains("news") ? doc["news"] : json(nullptr);
  }

  // A post of VPUBND by the first member of the demo (who consented), withdrawn, linked to an
  // activity of the Đoàn khối that VPUBND took part in, with two photos.
  json photo_post() {
    auto act = conn->query_one("SELECT a.title, a.starts_at FROM activities a JOIN orgs o ON o.id = a.org_id JOIN activity_orgs ao "
                               "ON ao.activity_id = a.id JOIN orgs b ON b.id = ao.org_id WHERE o.code = 'DKCQ' AND b.code = 'VPUBND' "
                               "ORDER BY a.starts_at LIMIT 1");
    EXPECT_TRUE(act && *act);
    json photo1{{"alt", "Đoàn viên trồng cây tại khu Trung tâm hành chính tỉnh"}, {"width", 64}, {"height", 48},
                {"large", web::base64_encode(large)}, {"small_width", 32}, {"small_height", 24}, {"small", web::base64_encode(small)}};
    json photo2 = photo1;
    photo2["alt"] = "Cây xanh sau buổi trồng";
    photo2["large"] = web::base64_encode(second);
    photo2["width"] = 48;
    photo2["height"] = 64;
    return {{"org", "VPUBND"},
            {"title", "Chủ nhật xanh cùng Đoàn khối"},
            {"summary", "Đoàn viên Chi đoàn cùng trồng cây."},
            {"body", "Sáng Chủ nhật, đoàn viên cùng trồng cây.\n\nCảm ơn các bạn đã tham gia!"},
            {"state", "withdrawn"},
            {"author_member", first_member()},
            {"activity", {{"org", "DKCQ"}, {"title", act && *act ? (*act)->str(0) : ""}, {"starts_at", act && *act ? (*act)->str(1) : ""}}},
            {"campaign", nullptr},
            {"forum", nullptr},
            {"produce_cycle", nullptr},
            {"created_at", "2021-05-16T12:00:00"},
            {"updated_at", "2021-05-20T09:30:00"},
            {"submitted_at", "2021-05-16T13:00:05"},
            {"published_at", "2021-05-17T08:00:00"},
            {"withdrawn_at", "2021-05-20T09:30:00"},
            {"note", "Gỡ để bổ sung ảnh"},
            {"photos", {photo1, photo2}}};
  }
  static std::string first_member() { return chidoan::testing::demo_bundle_full()["members"][0]["ref"]; }
  // The demo's news with a consent and the photo post after its posts.
  json section() {
    json s = chidoan::testing::demo_bundle_full()["news"];
    s["consents"].push_back({{"member", first_member()}, {"given_at", "2021-05-01T08:00:00"}});
    s["posts"].push_back(photo_post());
    return s;
  }
  // The error of loading section() changed by `fn`; nothing of it may be written.
  Error refused(const std::function<void(json&)>& fn) {
    json s = section();
    fn(s);
    int64_t before = epoch();
    auto r = load_news(s);
    EXPECT_FALSE(r) << "loaded: " << s.dump().substr(0, 200);
    EXPECT_EQ(count("news_posts"), 0);
    EXPECT_EQ(count("news_photos"), 0);
    EXPECT_EQ(count("news_consents"), 0);
    EXPECT_EQ(epoch(), before);
    return r ? Error{} : r.error();
  }

  std::string large = image(64, 48), small = image(32, 24), second = image(48, 64);
  int64_t other_branch = 0;
  chidoan::bundle::Known known;
  chidoan::bundle::Refs refs;
};

TEST_P(NewsBundleTest, TheDemosPostsLoadAfterWhatTheyLinkToAndDumpAsTheyAre) {
  json d = chidoan::testing::demo_bundle({"activity", "fund", "produce", "ideas", "news"});
  ASSERT_TRUE(d.contains("news"));
  auto r = org::bundle::load(*conn, clock, d, all_sections());
  ASSERT_TRUE(r) << r.error().field << ": " << r.error().message;
  auto dumped = dump_news(*conn);
  ASSERT_TRUE(dumped) << dumped.error().message;
  EXPECT_EQ(*dumped, d["news"]);
  EXPECT_EQ(dumped->dump(2), d["news"].dump(2));

  // Four published posts of VPUBND in 2021, each linked to its source, with no photo, byline or consent.
  int64_t vpubnd = org_id("VPUBND");
  Store store(*conn, clock);
  EXPECT_EQ(*store.published_count(vpubnd), 4);
  EXPECT_EQ(count("news_consents"), 0);
  EXPECT_EQ(count("news_photos"), 0);
  EXPECT_GE(*store.epoch(), 1);
  auto posts = store.posts(vpubnd, {});
  ASSERT_TRUE(posts);
  ASSERT_EQ(posts->size(), 4u);
  // Every member's name, none of whom consented.
  std::vector<std::string> names;
  auto everyone = conn->query("SELECT id, family_name, middle_name, given_name FROM members");
  ASSERT_TRUE(everyone);
  for (const auto& row : *everyone) names.push_back(org::full_name_of(row, 1));
  ASSERT_GT(names.size(), 20u);
  auto members = conn->query("SELECT COALESCE(phone, ''), COALESCE(cccd, ''), birth_date FROM members");
  ASSERT_TRUE(members);
  std::set<std::string> kinds;
  for (const Post& p : *posts) {
    SCOPED_TRACE(p.title);
    EXPECT_EQ(p.state, "published");
    EXPECT_FALSE(p.author_member_id);
    EXPECT_FALSE(p.author_id);
    EXPECT_LE(text::utf8_chars(p.title), rules::kMaxTitleChars);
    EXPECT_FALSE(p.summary.empty());
    ASSERT_TRUE(p.submitted_at && p.published_at);
    EXPECT_LE(p.created_at, *p.submitted_at);
    EXPECT_LE(*p.submitted_at, *p.published_at);
    EXPECT_EQ(p.updated_at, *p.published_at);
    EXPECT_GE(*p.published_at, unix_of_local("2021-01-01T00:00"));
    EXPECT_LT(*p.published_at, unix_of_local("2022-01-01T00:00"));
    // The source, and the generator's paragraph the post starts from: every figure of the post is one of its figures.
    Source src;
    if (p.links.activity_id) src = {"activity", *p.links.activity_id};
    if (p.links.campaign_id) src = {"campaign", *p.links.campaign_id};
    if (p.links.forum_id) src = {"forum", *p.links.forum_id};
    if (p.links.produce_cycle_id) src = {"produce", *p.links.produce_cycle_id};
    ASSERT_FALSE(src.kind.empty()) << "no link";
    kinds.insert(src.kind);
    auto draft = draft_from(*conn, clock, vpubnd, src);
    ASSERT_TRUE(draft) << draft.error().message;
    EXPECT_EQ(draft->links, p.links);
    const std::string first_sentence = draft->body.substr(0, draft->body.find(" tổ chức"));
    EXPECT_TRUE(p.body.starts_with(first_sentence)) << first_sentence << "\n" << p.body;
    const auto given = figures(draft->title + "\n" + draft->summary + "\n" + draft->body);
    for (const auto& f : figures(p.title + "\n" + p.summary + "\n" + p.body)) EXPECT_TRUE(given.contains(f)) << f;
    // Nothing personal: no phone or identity number, no member named, no birth date.
    auto found = rules::personal_data({{"title", p.title}, {"summary", p.summary}, {"body", p.body}}, names);
    for (const auto& f : found) ADD_FAILURE() << f.field << ": " << f.what;
    for (const auto& m : *members) {
      const std::string all = p.title + p.summary + p.body;
      if (!m.str(0).empty()) {
        EXPECT_FALSE(has(all, m.str(0)));
      }
      if (!m.str(1).empty()) {
        EXPECT_FALSE(has(all, m.str(1)));
      }
      EXPECT_FALSE(has(all, m.str(2)));
      EXPECT_FALSE(has(all, text::format_date(m.str(2))));
    }
  }
  EXPECT_EQ(kinds, (std::set<std::string>{"activity", "campaign", "forum", "produce"}));
}

TEST_P(NewsBundleTest, PhotosConsentsAndAuthorsRoundTripByteForByte) {
  json d = chidoan::testing::demo_bundle({"activity", "fund", "produce", "ideas"});
  auto r0 = org::bundle::load(*conn, clock, d, linked_sections());
  ASSERT_TRUE(r0) << r0.error().field << ": " << r0.error().message;
  // The section as a file would carry it, loaded with the whole bundle into a fresh database.
  json news{{"consents", {{{"member", first_member()}, {"given_at", "2021-05-01T08:00:00"}}}}, {"posts", {photo_post()}}};
  ASSERT_NE(large, second);
  auto fresh = chidoan::testing::FreshDatabase::create(GetParam(), /*migrated=*/true);
  ASSERT_TRUE(fresh);
  auto one = db::Connection::open(fresh->url());
  ASSERT_TRUE(one);
  d["news"] = news;
  auto r1 = org::bundle::load(**one, clock, d, all_sections());
  ASSERT_TRUE(r1) << r1.error().field << ": " << r1.error().message;
  auto first = dump_news(**one);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->dump(), news.dump());
  // The bytes themselves, from the database and from the dump.
  auto post_id = (*one)->query_one("SELECT id FROM news_posts");
  ASSERT_TRUE(post_id && *post_id);
  Store store(**one, clock);
  auto photos = store.photos((*post_id)->i64(0));
  ASSERT_TRUE(photos);
  ASSERT_EQ(photos->size(), 2u);
  EXPECT_EQ(*store.photo_bytes((*photos)[0].id, "large"), large);
  EXPECT_EQ(*store.photo_bytes((*photos)[0].id, "small"), small);
  EXPECT_EQ(*store.photo_bytes((*photos)[1].id, "large"), second);
  EXPECT_EQ((*photos)[1].alt, "Cây xanh sau buổi trồng");
  EXPECT_EQ(*web::base64_decode((*first)["posts"][0]["photos"][0]["large"].get<std::string>()), large);
  auto post = store.post((*post_id)->i64(0));
  ASSERT_TRUE(post);
  EXPECT_EQ(post->state, "withdrawn");
  ASSERT_TRUE(post->withdrawn_at && post->submitted_at && post->author_member_id);
  EXPECT_EQ(*post->withdrawn_at, unix_of_local("2021-05-20T09:30"));
  EXPECT_EQ(*post->submitted_at, unix_of_local("2021-05-16T13:00") + 5);
  EXPECT_TRUE(*store.consented(*post->author_member_id));
  ASSERT_TRUE(post->links.activity_id);

  // The whole first database's bundle into a second one: the same section again.
  auto whole = org::bundle::dump(**one, clock, (*org::Store(**one, clock).org_by_code("TW"))->id, all_sections());
  ASSERT_TRUE(whole) << whole.error().message;
  auto again = chidoan::testing::FreshDatabase::create(GetParam(), /*migrated=*/true);
  ASSERT_TRUE(again);
  auto two = db::Connection::open(again->url());
  ASSERT_TRUE(two);
  auto r2 = org::bundle::load(**two, clock, *whole, all_sections());
  ASSERT_TRUE(r2) << r2.error().field << ": " << r2.error().message;
  auto second_dump = dump_news(**two);
  ASSERT_TRUE(second_dump);
  EXPECT_EQ(second_dump->dump(), news.dump());
  auto photo2 = (*two)->query_one("SELECT large, small FROM news_photos ORDER BY position LIMIT 1");
  ASSERT_TRUE(photo2 && *photo2);
  EXPECT_EQ((*photo2)->str(0), large);
  EXPECT_EQ((*photo2)->str(1), small);
  // Only the subtree's posts: VPDBQH's bundle has none (the consent goes with the member, who was
  // in VPDBQH before the split).
  auto vpdbqh = dump_news(**two, "VPDBQH");
  ASSERT_TRUE(vpdbqh);
  ASSERT_TRUE(vpdbqh->is_object()) << vpdbqh->dump();
  EXPECT_EQ((*vpdbqh)["posts"], json::array());
  EXPECT_EQ((*vpdbqh)["consents"], news["consents"]);
  one->reset();
  two->reset();
}

TEST_P(NewsBundleTest, TheBaseOfTheRefusalsLoads) {
  // What the refusals below change loads as it is, and dumps as it is.
  prepare();
  json s = section();
  auto r = load_news(s);
  ASSERT_TRUE(r) << r.error().field << ": " << r.error().message;
  EXPECT_EQ(count("news_posts"), 5);
  EXPECT_EQ(count("news_photos"), 2);
  EXPECT_EQ(count("news_consents"), 1);
  auto dumped = dump_news(*conn);
  ASSERT_TRUE(dumped);
  EXPECT_EQ(*dumped, s);
}

TEST_P(NewsBundleTest, BadInputNamesItsPathAndWritesNothing) {
  prepare();
  json base = section();
  const size_t last = base["posts"].size() - 1;
  const std::string post = "$.news.posts[" + std::to_string(last) + "]";
  auto edit = [&](const std::function<void(json&)>& fn) { return refused([&](json& s) { fn(s["posts"][last]); }); };

  EXPECT_EQ(edit([](json& p) { p["colour"] = "red"; }).field, post + ".colour");
  EXPECT_EQ(refused([](json& s) { s["authors"] = json::array(); }).field, "$.news.authors");
  EXPECT_EQ(edit([](json& p) { p.erase("title"); }).field, post + ".title");
  EXPECT_EQ(edit([](json& p) { p["title"] = "  "; }).field, post + ".title");
  EXPECT_EQ(edit([](json& p) { p["title"] = std::string(201, 'a'); }).field, post + ".title");
  EXPECT_EQ(edit([](json& p) { p["state"] = "archived"; }).field, post + ".state");
  EXPECT_EQ(edit([](json& p) { p["state"] = "published";
    p["published_at"] = nullptr;
   }).field, post + ".published_at");
  EXPECT_EQ(edit([](json& p) { p["withdrawn_at"] = nullptr; }).field, post + ".withdrawn_at");
  EXPECT_EQ(edit([](json& p) { p["created_at"] = "2021-05-16T12:00"; }).field, post + ".created_at");
  // Photos: a PNG is not a JPEG, nor is text; every photo says what it shows.
  const std::string png = web::base64_encode(image(64, 48, true));
  EXPECT_EQ(edit([&](json& p) { p["photos"][1]["large"] = png; }).field, post + ".photos[1].large");
  EXPECT_EQ(edit([](json& p) { p["photos"][0]["small"] = "bm90IGEgcGljdHVyZQ=="; }).field, post + ".photos[0].small");
  EXPECT_EQ(edit([](json& p) { p["photos"][0].erase("alt"); }).field, post + ".photos[0].alt");
  EXPECT_EQ(edit([](json& p) { p["photos"][1]["alt"] = ""; }).field, post + ".photos[1].alt");
  // A JPEG that still carries metadata (here an EXIF block with a camera's name), or is not the
  // size it claims, is not what chidoan stores.
  EXPECT_EQ(edit([](json& p) {
    std::string jpeg = *web::base64_decode(p["photos"][0]["large"].get<std::string>());
    const std::string exif = std::string("\xFF\xE1\x00\x0E", 4) + std::string("Exif\0\0Canon", 11) + std::string(1, '\0');
    jpeg.insert(2, exif.substr(0, 4 + 12));
    p["photos"][0]["large"] = web::base64_encode(jpeg);
  }).field, post + ".photos[0].large");
  EXPECT_EQ(edit([](json& p) { p["photos"][0]["width"] = p["photos"][0]["width"].get<int>() + 1; }).field, post + ".photos[0].large");
  // A published post goes public as it is loaded: personal data in it is refused there.
  const size_t first = 0;
  Error phone = refused([&](json& s) { s["posts"][first]["body"] = s["posts"][first]["body"].get<std::string>() + " Liên hệ 0972 222 874."; });
  EXPECT_EQ(phone.field, "$.news.posts[0].body");
  EXPECT_TRUE(has(phone.message, "số điện thoại")) << phone.message;
  // People: a consent or an author must be a member of the bundle.
  EXPECT_EQ(refused([](json& s) { s["consents"].push_back({{"member", "M9999"}, {"given_at", "2021-05-01T08:00:00"}}); }).field,
            "$.news.consents[1].member");
  EXPECT_EQ(refused([](json& s) { s["consents"].push_back(s["consents"][0]); }).field, "$.news.consents[1].member");
  EXPECT_EQ(edit([](json& p) { p["author_member"] = "M9999"; }).field, post + ".author_member");
  // Links: what does not exist (refused at load, after the other posts were written: all rolled back).
  Error missing = edit([](json& p) { p["activity"]["title"] = "Không có hoạt động này"; });
  EXPECT_EQ(missing.field, post + ".activity");
  EXPECT_TRUE(has(missing.message, "Không có hoạt động này")) << missing.message;
  EXPECT_EQ(edit([](json& p) { p["forum"] = {{"org", "VPUBND"}, {"title", "Tuổi trẻ chi đoàn Văn phòng UBND tỉnh với Ý tưởng sáng tạo trẻ"},
                                             {"opens_on", "2021-11-03"}}; }).field,
            post + ".forum");
  EXPECT_EQ(edit([](json& p) { p["activity"]["org"] = "NOWHERE"; }).field, post + ".activity.org");
  EXPECT_EQ(edit([](json& p) { p["activity"]["date"] = "2021-05-16"; }).field, post + ".activity.date");
}

TEST_P(NewsBundleTest, LinksOutsideThePostsSubtreeAreRefused) {
  prepare();
  // An activity of OTHER, outside the Đoàn khối: it exists, but VPUBND's post may not link to it.
  activity::Store acts(*conn, clock);
  org::Store orgs(*conn, clock);
  ASSERT_TRUE(conn->transaction([&]() -> Result<void> {
    activity::ActivityInput in;
    in.type_id = (*acts.type_by_code("volunteer"))->id;
    in.title = "Chủ nhật xanh của Công ty Điện lực";
    in.place = "Công viên Yersin";
    in.starts_at = "2021-12-05T07:00";
    in.ends_at = "2021-12-05T10:00";
    CHIDOAN_TRY(o, orgs.org(other_branch));
    CHIDOAN_TRY_VOID(acts.create(o, in));
    return {};
  }));
  json link{{"org", "OTHER"}, {"title", "Chủ nhật xanh của Công ty Điện lực"}, {"starts_at", "2021-12-05T07:00"}};
  const std::string post = "$.news.posts[" + std::to_string(section()["posts"].size() - 1) + "]";
  Error e = refused([&](json& s) { s["posts"].back()["activity"] = link; });
  EXPECT_EQ(e.kind, ErrorKind::invalid);
  EXPECT_EQ(e.field, post + ".activity");
  EXPECT_EQ(e.message, "Hoạt động này không thuộc Chi đoàn Văn phòng UBND tỉnh; chỉ liên kết được hoạt động của tổ chức mình");
  // The demo's campaign of the Đoàn khối is not VPUBND's either.
  Error campaign = refused([](json& s) {
    s["posts"].back()["campaign"] = {{"org", "DKCQ"}, {"name", "Chương trình \"Một triệu túi an sinh\""}, {"starts_on", "2021-08-01"}};
  });
  EXPECT_EQ(campaign.field, post + ".campaign");
  // The same activity in a post of OTHER itself loads.
  json mine = section();
  mine["posts"].back()["org"] = "OTHER";
  mine["posts"].back()["activity"] = link;
  auto ok = load_news(mine);
  ASSERT_TRUE(ok) << ok.error().field << ": " << ok.error().message;
  EXPECT_EQ(count("news_posts"), static_cast<int64_t>(mine["posts"].size()));
}

CHIDOAN_INSTANTIATE_DB_TEST(NewsBundleTest);

}  // namespace
}  // namespace chidoan::news
