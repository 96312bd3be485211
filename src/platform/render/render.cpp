#include "platform/render/render.hpp"

#include <stdexcept>

#include "platform/core/assets.hpp"

namespace chidoan::render {

Renderer::Renderer() {
  constexpr std::string_view kPrefix = "templates/";
  constexpr std::string_view kExt = ".mustache";
  for (const auto& a : assets::under(kPrefix)) {
    std::string_view name = a.path.substr(kPrefix.size());
    if (!name.ends_with(kExt)) continue;
    name.remove_suffix(kExt.size());
    templates_.add(std::string(name), a.data);
  }
  // i18n/<lang>.json, plus one file per module in i18n/<lang>/*.json, merged.
  for (const auto& a : assets::under("i18n/")) {
    std::string_view file = a.path.substr(5);
    if (!file.ends_with(".json")) continue;
    auto slash = file.find('/');
    std::string lang(slash == std::string_view::npos ? file.substr(0, file.size() - 5) : file.substr(0, slash));
    strings_[lang].merge_patch(Json::parse(a.data));
  }
  if (!strings_.contains("vi")) strings_.emplace("vi", Json::object());
  for (const auto& [lang, s] : strings_) globals_.emplace(lang, Json{{"t", s}});
  templates_.build();
}

bool Renderer::has(std::string_view name) const { return templates_.has(name); }

std::string Renderer::render(std::string_view name, const Json& view) const {
  std::string out;
  out.reserve(16 * 1024);
  templates_.render(name, view, out);
  return out;
}

std::string Renderer::render(std::string_view name, const Json& view, std::string_view lang) const {
  auto g = globals_.find(lang);
  if (g == globals_.end()) g = globals_.find(std::string_view("vi"));
  std::string out;
  out.reserve(16 * 1024);
  templates_.render(name, view, out, &g->second);
  return out;
}

const Json& Renderer::strings(std::string_view lang) const {
  auto it = strings_.find(lang);
  if (it == strings_.end()) it = strings_.find(std::string_view("vi"));
  return it->second;
}

std::string Renderer::t(std::string_view lang, std::string_view key) const {
  // Keys are dotted paths into nested objects: "nav.logout" -> {"nav": {"logout": …}}.
  const Json* node = &strings(lang);
  std::string_view rest = key;
  while (!rest.empty()) {
    auto dot = rest.find('.');
    auto part = rest.substr(0, dot);
    if (!node->is_object()) return std::string(key);
    auto it = node->find(std::string(part));
    if (it == node->end()) return std::string(key);
    node = &*it;
    rest = dot == std::string_view::npos ? std::string_view() : rest.substr(dot + 1);
  }
  return node->is_string() ? node->get<std::string>() : std::string(key);
}

}  // namespace chidoan::render
