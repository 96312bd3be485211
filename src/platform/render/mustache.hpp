// Mustache templates parsed once and rendered straight from the JSON view-model.
//
// The templates were written against mstch 1.0.2, which parses every template and partial again
// on each render (≈ 12 ms for a page of 50 members). This engine keeps mstch's output byte for
// byte (render_test compares the two on every template with random views):
// - tags: {{name}} (HTML-escaped: & ' " < > /), {{{name}}} and {{&name}} (raw), {{#name}},
//   {{^name}}, {{/name}}, {{> partial}}, {{! comment}}; no delimiter changes;
// - a name is looked up from the innermost context outwards; "a.b" finds "a" so, then "b" in it
//   only; "." is the current value (objects have none);
// - a section is skipped for null, false, 0, "" and []; an array renders it once per element,
//   anything else once with the value as the context; an inverted section renders on exactly
//   those empty values;
// - values print as mstch prints them: integers in full, floats as printf's %g, true/false,
//   null, objects and arrays as nothing;
// - a line holding only section/partial/comment tags and whitespace is dropped, and a partial on
//   such a line is indented by that line's leading whitespace on each of its lines.
// Thread-safety: immutable after build(); render is safe from any number of threads.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace chidoan::render {

class Templates {
 public:
  Templates();
  ~Templates();
  Templates(Templates&&) noexcept;
  Templates& operator=(Templates&&) noexcept;

  // Adds a template's text under `name` (also its name as a partial). Throws std::invalid_argument
  // naming the template on a malformed one (unclosed or mismatched section, delimiter change).
  void add(std::string name, std::string_view text);
  // Resolves partials, once every template is added. Throws std::invalid_argument for a
  // partial that no template provides.
  void build();

  bool has(std::string_view name) const;
  // Appends the rendering of `name` with `view` to `out`. Names the view does not have are
  // looked up in `base` (shared values such as the translations), as if it were a context
  // around the view. Unknown name: std::out_of_range.
  void render(std::string_view name, const nlohmann::json& view, std::string& out, const nlohmann::json* base = nullptr) const;

  struct Token;
  struct Node;
  using Tree = std::vector<Node>;

 private:
  const Tree& compiled(const std::string& name, const std::string& indent);

  std::map<std::string, std::vector<Token>, std::less<>> sources_;
  // (name, indent) -> tree; std::map keeps the trees where partial nodes point at them.
  std::map<std::pair<std::string, std::string>, std::unique_ptr<Tree>> trees_;
};

}  // namespace chidoan::render
