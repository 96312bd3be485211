// Pages from mustache templates (mustache.hpp). A view-model is built once as JSON: the API returns
// it as is, and the page renders it through a template, so the two cannot drift apart.
//
// Templates are embedded assets under templates/; a template is named by its path without the
// folder and extension ("org/branch" for templates/org/branch.mustache) and every template can
// be used as a partial under that name ({{> org/member_rows}}).
// Thread-safety: a Renderer is immutable after construction and safe to share.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "platform/render/mustache.hpp"

namespace chidoan::render {

using Json = nlohmann::json;

class Renderer {
 public:
  Renderer();
  // Renders one template with `view`. Unknown template: throws std::out_of_range (a bug).
  std::string render(std::string_view name, const Json& view) const;
  // The same with the translations of `lang` as "t" ({{t.nav.logout}}): they are looked up
  // where the view has no "t", never copied into it.
  std::string render(std::string_view name, const Json& view, std::string_view lang) const;
  bool has(std::string_view name) const;

  // Translations: i18n/<lang>.json and i18n/<lang>/<module>.json, nested objects addressed by
  // dotted keys ("member.status.active"). Unknown lang falls back to "vi";
  // unknown key returns the key itself (visible in tests, never silently empty).
  const Json& strings(std::string_view lang) const;
  std::string t(std::string_view lang, std::string_view key) const;

 private:
  Templates templates_;
  std::map<std::string, Json, std::less<>> strings_;
  std::map<std::string, Json, std::less<>> globals_;  // lang -> {"t": strings}
};

}  // namespace chidoan::render
