#include "platform/render/render.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <map>
#include <random>
#include <regex>
#include <set>

#include <mstch/mstch.hpp>

#include "platform/core/assets.hpp"

namespace chidoan::render {
namespace {

// ---- mstch, the reference: the templates were written for it, and the engine must print what
// it prints. JSON becomes mstch's context as the old renderer made it.

mstch::node to_node(const Json& j) {
  switch (j.type()) {
    case Json::value_t::boolean:
      return j.get<bool>();
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned: {
      auto v = j.get<int64_t>();
      if (v >= std::numeric_limits<int>::min() && v <= std::numeric_limits<int>::max()) return static_cast<int>(v);
      return std::to_string(v);
    }
    case Json::value_t::number_float:
      return j.get<double>();
    case Json::value_t::string:
      return j.get<std::string>();
    case Json::value_t::array: {
      mstch::array a;
      for (const auto& e : j) a.push_back(to_node(e));
      return a;
    }
    case Json::value_t::object: {
      mstch::map m;
      for (auto it = j.begin(); it != j.end(); ++it) m.emplace(it.key(), to_node(it.value()));
      return m;
    }
    default:
      return nullptr;
  }
}

std::string ours(const std::map<std::string, std::string>& templates, const std::string& name, const Json& view) {
  Templates t;
  for (const auto& [n, text] : templates) t.add(n, text);
  t.build();
  std::string out;
  t.render(name, view, out);
  return out;
}

std::string reference(const std::map<std::string, std::string>& templates, const std::string& name, const Json& view) {
  return mstch::render(templates.at(name), to_node(view), templates);
}

struct Case {
  const char* what;
  std::map<std::string, std::string> templates;  // "main" is rendered
  Json view;
};

TEST(Mustache, PrintsWhatMstchPrints) {
  Json people = Json::array({{{"name", "An"}, {"age", 23}}, {{"name", "Bình <b>"}, {"age", 0}}});
  std::vector<Case> cases = {
      {"escaping", {{"main", "{{s}}|{{{s}}}|{{&s}}|{{ s }}"}}, {{"s", "<a href=\"/x\">&'</a> Đức"}}},
      {"numbers and booleans",
       {{"main", "{{i}} {{big}} {{neg}} {{f}} {{g}} {{h}} {{t}} {{n}} {{o}} {{a}} {{u}}"}},
       {{"i", 23}, {"big", int64_t{9007199254740993}}, {"neg", -5}, {"f", 47.63907}, {"g", 0.5}, {"h", 1234567.0},
        {"t", true}, {"n", nullptr}, {"o", {{"x", 1}}}, {"a", Json::array({1, 2})}, {"u", uint64_t{4000000000}}}},
      {"sections over arrays, objects, scalars",
       {{"main", "{{#people}}[{{name}}:{{age}}{{#age}}+{{/age}}{{^age}}0{{/age}}]{{/people}}"
                 "{{#o}}{{x}}{{top}}{{/o}}{{#s}}<{{.}}>{{/s}}{{#i}}({{.}}){{/i}}{{#f}}f{{/f}}"}},
       {{"people", people}, {"o", {{"x", "X"}}}, {"top", "T"}, {"s", "str"}, {"i", 7}, {"f", 0.0}}},
      {"empty values", {{"main", "{{#e}}no{{/e}}{{^e}}yes{{/e}}{{^z}}z{{/z}}{{^m}}m{{/m}}{{^s}}s{{/s}}{{^o}}o{{/o}}"}},
       {{"e", Json::array()}, {"z", 0}, {"s", ""}, {"o", Json::object()}}},
      {"dotted names", {{"main", "{{a.b.c}}|{{#a}}{{b.c}}{{/a}}|{{a.x}}|{{#a.b}}{{c}}{{d}}{{/a.b}}|{{q.r}}"}},
       {{"a", {{"b", {{"c", "C"}}}}}, {"d", "D"}}},
      {"the current value", {{"main", "{{#l}}{{.}},{{/l}}|{{#o}}[{{.}}]{{/o}}|{{^n}}<{{.}}>{{/n}}|{{#ll}}{{#.}}{{.}};{{/.}}|{{/ll}}"}},
       {{"l", {"a", 1, true}}, {"o", {{"k", 1}}}, {"ll", Json::array({Json::array({1, 2}), Json::array({3})})}}},
      {"standalone lines",
       {{"main", "<ul>\n  {{#l}}\n  <li>{{.}}</li>\n  {{/l}}\n</ul>\n{{^l}}\nnone\n{{/l}}\n  {{! note }}\nend {{#l}}x{{/l}}\n"}},
       {{"l", {"a", "b"}}}},
      {"partials with indentation",
       {{"main", "<div>\n  {{> row}}\n  <p>{{> row}}</p>\n{{#l}}\n    {{> row}}\n{{/l}}\n</div>"},
        {"row", "<span>\n{{x}}\n</span>\n{{#x}}\n  {{> leaf}}\n{{/x}}\n"},
        {"leaf", "leaf {{x}}\nsecond\n"}},
       {{"x", "X"}, {"l", Json::array({{{"x", "1"}}, {{"x", ""}}})}}},
      {"a tag at the very end", {{"main", "a\n{{#s}}b{{/s}}"}}, {{"s", true}}},
      {"text without tags and odd braces", {{"main", "plain { } {{ and }} no tag\n{x}"}}, Json::object()},
      {"a template ending without a newline after a standalone tag", {{"main", "x\n  {{#s}}\n  y\n  {{/s}}"}}, {{"s", 1}}},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(ours(c.templates, "main", c.view), reference(c.templates, "main", c.view)) << c.what;
  }
}

TEST(Mustache, RejectsMalformedTemplatesAtStart) {
  Templates t;
  EXPECT_THROW(t.add("a", "{{#x}}open"), std::invalid_argument);
  EXPECT_THROW(t.add("b", "{{#x}}{{/y}}"), std::invalid_argument);
  EXPECT_THROW(t.add("c", "{{/x}}"), std::invalid_argument);
  EXPECT_THROW(t.add("d", "{{=<% %>=}}"), std::invalid_argument);
  t.add("e", "{{> missing}}");
  EXPECT_THROW(t.build(), std::invalid_argument);
}

// ---- Every real template, with random views built from the names it uses.

struct Names {
  std::vector<std::string> parts;  // every name and dotted part the templates use
  // Sections around a template's own partial (a tree's "has_children" and "children"): every
  // object has them, as arrays that end in [] at some depth, or the recursion would not end.
  std::vector<std::string> recursive;
};

Json random_value(std::mt19937& rng, const Names& names, int depth);

Json random_object(std::mt19937& rng, const Names& names, int depth) {
  // The root holds most names; a nested object a few, so the views stay small.
  Json o = Json::object();
  if (depth == 0) {
    std::bernoulli_distribution present(0.7);
    for (const auto& n : names.parts) {
      if (present(rng)) o[n] = random_value(rng, names, depth + 1);
    }
    return o;
  }
  std::uniform_int_distribution<size_t> pick(0, names.parts.size() - 1);
  for (int i = 0; i < 8; ++i) o[names.parts[pick(rng)]] = random_value(rng, names, depth + 1);
  return o;
}

Json with_recursion(std::mt19937& rng, const Names& names, Json o, int depth) {
  for (const auto& n : names.recursive) {
    Json a = Json::array();
    int count = depth < 3 ? std::uniform_int_distribution<int>(0, 2)(rng) : 0;
    for (int i = 0; i < count; ++i) a.push_back(with_recursion(rng, names, random_object(rng, names, depth + 1), depth + 1));
    o[n] = a;
  }
  for (auto& [k, v] : o.items()) {
    if (v.is_object()) v = with_recursion(rng, names, v, depth + 1);
    if (v.is_array() && std::find(names.recursive.begin(), names.recursive.end(), k) == names.recursive.end()) {
      for (auto& e : v) {
        if (e.is_object()) e = with_recursion(rng, names, e, depth + 1);
      }
    }
  }
  return o;
}

Json random_value(std::mt19937& rng, const Names& names, int depth) {
  static const char* strings[] = {"", "Nguyễn Thị Hà", "<script>x</script>", "a/b & \"c\" 'd'", "0", "dòng 1\ndòng 2"};
  int kinds = depth >= 3 ? 6 : 8;
  switch (std::uniform_int_distribution<int>(0, kinds - 1)(rng)) {
    case 0: return strings[std::uniform_int_distribution<size_t>(0, std::size(strings) - 1)(rng)];
    case 1: return std::uniform_int_distribution<int>(-1, 2)(rng) * 1000000007LL;
    case 2: return std::uniform_int_distribution<int>(0, 3)(rng);
    case 3: return std::uniform_int_distribution<int>(0, 2)(rng) * 0.375;
    case 4: return std::bernoulli_distribution(0.5)(rng);
    case 5: return nullptr;
    case 6: {
      Json a = Json::array();
      int n = std::uniform_int_distribution<int>(0, 3)(rng);
      for (int i = 0; i < n; ++i) a.push_back(random_object(rng, names, depth + 1));
      return a;
    }
    default: return random_object(rng, names, depth + 1);
  }
}

TEST(Mustache, EveryTemplateRendersAsWithMstch) {
  std::map<std::string, std::string> templates;
  constexpr std::string_view kPrefix = "templates/", kExt = ".mustache";
  for (const auto& a : assets::under(kPrefix)) {
    std::string_view name = a.path.substr(kPrefix.size());
    if (!name.ends_with(kExt)) continue;
    name.remove_suffix(kExt.size());
    templates.emplace(std::string(name), std::string(a.data));
  }
  ASSERT_GT(templates.size(), 50u);
  Templates engine;
  for (const auto& [n, text] : templates) engine.add(n, text);
  engine.build();

  // The names each template uses and the partials it pulls in (mstch parses every partial it is
  // given on each render, so it gets only those).
  static const std::regex tag(R"(\{\{\{?\s*([#^/>&]?)\s*([^}\s]+)\s*\}?\}\})");
  std::map<std::string, std::set<std::string>> parts, uses;
  std::vector<std::string> recursive;
  for (const auto& [n, text] : templates) {
    std::vector<std::string> open;  // the sections around the tag
    for (std::sregex_iterator it(text.begin(), text.end(), tag), end; it != end; ++it) {
      std::string kind = (*it)[1], name = (*it)[2];
      if (kind == "#" || kind == "^") open.push_back(name);
      if (kind == "/" && !open.empty()) open.pop_back();
      if (kind == ">") {
        uses[n].insert(name);
        if (name == n) {
          for (const auto& s : open) {
            if (std::find(recursive.begin(), recursive.end(), s) == recursive.end()) recursive.push_back(s);
          }
        }
        continue;
      }
      for (size_t start = 0;;) {
        size_t dot = name.find('.', start);
        if (dot != start) parts[n].insert(name.substr(start, dot - start));
        if (dot == std::string::npos) break;
        start = dot + 1;
      }
    }
  }
  std::mt19937 rng(2021);
  int compared = 0;
  for (const auto& [n, text] : templates) {
    // The template, the partials it pulls in and the names they use.
    std::map<std::string, std::string> needed{{n, text}};
    Names names{{}, recursive};
    std::set<std::string> used, visited;
    std::vector<std::string> pending{n};
    while (!pending.empty()) {
      std::string p = pending.back();
      pending.pop_back();
      if (!templates.contains(p) || !visited.insert(p).second) continue;
      needed.emplace(p, templates.at(p));
      used.insert(parts[p].begin(), parts[p].end());
      pending.insert(pending.end(), uses[p].begin(), uses[p].end());
    }
    names.parts.assign(used.begin(), used.end());
    for (int i = 0; i < 6; ++i) {
      Json view = with_recursion(rng, names, random_object(rng, names, 0), 0);
      std::string got;
      engine.render(n, view, got);
      ASSERT_EQ(got, reference(needed, n, view)) << "template " << n << " view " << view.dump();
      ++compared;
    }
  }
  EXPECT_EQ(compared, static_cast<int>(templates.size()) * 6);
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
