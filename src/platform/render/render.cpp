#include "platform/render/render.hpp"

#include <limits>
#include <stdexcept>

#include "platform/core/assets.hpp"

namespace chidoan::render {

mstch::node to_node(const Json& j) {
  switch (j.type()) {
    case Json::value_t::null:
    case Json::value_t::discarded:
      return nullptr;
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
      a.reserve(j.size());
      for (const auto& e : j) a.push_back(to_node(e));
      return a;
    }
    case Json::value_t::object: {
      mstch::map m;
      for (auto it = j.begin(); it != j.end(); ++it) m.emplace(it.key(), to_node(it.value()));
      return m;
    }
    case Json::value_t::binary:
      break;
  }
  return nullptr;
}

Renderer::Renderer() {
  constexpr std::string_view kPrefix = "templates/";
  constexpr std::string_view kExt = ".mustache";
  for (const auto& a : assets::under(kPrefix)) {
    std::string_view name = a.path.substr(kPrefix.size());
    if (!name.ends_with(kExt)) continue;
    name.remove_suffix(kExt.size());
    partials_.emplace(std::string(name), std::string(a.data));
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
}

bool Renderer::has(std::string_view name) const { return partials_.contains(std::string(name)); }

std::string Renderer::render(std::string_view name, const Json& view) const {
  auto it = partials_.find(std::string(name));
  if (it == partials_.end()) throw std::out_of_range("no template " + std::string(name));
  return mstch::render(it->second, to_node(view), partials_);
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
