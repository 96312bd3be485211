#include "platform/render/render.hpp"

#include <gtest/gtest.h>

namespace chidoan::render {
namespace {

TEST(Render, JsonToNodeEscapesAndKeepsLargeIntegers) {
  mstch::node n = to_node(Json{{"name", "<b>Đức</b>"}, {"big", int64_t{9007199254740993}}, {"n", 23}});
  std::string out = mstch::render("{{name}} {{big}} {{n}}", n);
  EXPECT_EQ(out, "&lt;b&gt;Đức&lt;&#x2F;b&gt; 9007199254740993 23");
}

TEST(Render, SectionsOverArraysAndBooleans) {
  Json view{{"items", Json::array({{{"x", "a"}}, {{"x", "b"}}})}, {"empty", false}};
  EXPECT_EQ(mstch::render("{{#items}}[{{x}}]{{/items}}{{^empty}}!{{/empty}}", to_node(view)), "[a][b]!");
}

TEST(Render, TranslationsFallBackToVietnameseAndShowMissingKeys) {
  Renderer r;
  EXPECT_EQ(r.t("vi", "app.name"), r.t("xx", "app.name"));
  EXPECT_EQ(r.t("vi", "no.such.key"), "no.such.key");
  EXPECT_NE(r.t("en", "nav.logout"), r.t("vi", "nav.logout"));
}

TEST(Render, LayoutTemplateExists) {
  Renderer r;
  EXPECT_TRUE(r.has("layout/page"));
  EXPECT_THROW(r.render("no/such", Json::object()), std::out_of_range);
}

}  // namespace
}  // namespace chidoan::render
