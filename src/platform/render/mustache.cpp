#include "platform/render/mustache.hpp"

#include <cstdio>
#include <stdexcept>

namespace chidoan::render {

using Json = nlohmann::json;

// ---- Tokens: the template as mstch reads it, with whitespace-only tag lines already dropped.

struct Templates::Token {
  enum class Kind { text, var, raw, section, inverted, close, partial, comment };
  Kind kind = Kind::text;
  std::string text;    // the text, or the tag's name
  std::string indent;  // a partial alone on its line: the whitespace before it
  bool eol = false;    // text ending a line
  bool blank = false;  // text of spaces, tabs and newlines only (or none)
};

struct Templates::Node {
  Token::Kind kind = Token::Kind::text;
  std::string text;               // text; a partial's name
  std::vector<std::string> path;  // a name split at its dots ({"."} for the current value)
  Tree children;                  // a section's body
  const Tree* partial = nullptr;
};

namespace {

using Token = Templates::Token;
using Kind = Token::Kind;

bool is_blank(std::string_view s) { return s.find_first_not_of(" \n\t") == std::string_view::npos; }

Token text_token(std::string_view s) {
  return Token{Kind::text, std::string(s), {}, !s.empty() && s.back() == '\n', is_blank(s)};
}

// Text becomes one token per line, each but the last ending with its '\n'.
void add_text(std::vector<Token>& out, std::string_view s) {
  while (!s.empty()) {
    auto nl = s.find('\n');
    size_t n = nl == std::string_view::npos ? s.size() : nl + 1;
    out.push_back(text_token(s.substr(0, n)));
    s.remove_prefix(n);
  }
}

std::string_view trim_spaces(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

// `inner` is what lies between "{{" and "}}" ("{x}" for a triple mustache).
Token tag_token(std::string_view inner, const std::string& name) {
  Token t;
  if (inner.size() >= 2 && inner.front() == '{' && inner.back() == '}') {
    t.kind = Kind::raw;
    t.text = trim_spaces(inner.substr(1, inner.size() - 2));
    return t;
  }
  inner = trim_spaces(inner);
  char c = inner.empty() ? '\0' : inner.front();
  switch (c) {
    case '>': t.kind = Kind::partial; break;
    case '^': t.kind = Kind::inverted; break;
    case '/': t.kind = Kind::close; break;
    case '&': t.kind = Kind::raw; break;
    case '#': t.kind = Kind::section; break;
    case '!': t.kind = Kind::comment; break;
    case '=': throw std::invalid_argument("template " + name + ": delimiter changes are not supported");
    default: t.kind = Kind::var; break;
  }
  if (t.kind != Kind::var) inner = trim_spaces(inner.substr(1));
  t.text = inner;
  return t;
}

std::vector<Token> tokenize(std::string_view s, const std::string& name) {
  std::vector<Token> out;
  size_t cur = 0;
  while (cur < s.size()) {
    size_t open = s.find("{{", cur);
    if (open == std::string_view::npos) {
      add_text(out, s.substr(cur));
      break;
    }
    size_t close = s.find("}}", open + 1);
    if (close == std::string_view::npos) {
      add_text(out, s.substr(cur));
      break;
    }
    if (open + 2 < s.size() && s[open + 2] == '{' && close + 2 < s.size() && s[close + 2] == '}') ++close;
    add_text(out, s.substr(cur, open - cur));
    out.push_back(tag_token(s.substr(open + 2, close - open - 2), name));
    cur = close + 2;
    if (cur == s.size()) out.push_back(Token{Kind::text, {}, {}, true, true});
  }
  return out;
}

// A line with a section, partial or comment tag and nothing else but whitespace is dropped but
// for its tags; a partial on it keeps the whitespace before it as its indent.
std::vector<Token> strip_tag_lines(std::vector<Token> in) {
  std::vector<Token> out;
  out.reserve(in.size());
  size_t line = 0;
  bool tag = false, visible = false;
  for (size_t i = 0; i < in.size(); ++i) {
    Kind k = in[i].kind;
    if (k != Kind::text && k != Kind::var && k != Kind::raw) tag = true;
    else if (k != Kind::text || !in[i].blank) visible = true;
    if (!in[i].eol) continue;
    if (tag && !visible) {
      for (size_t j = line; j <= i; ++j) {
        if (in[j].kind == Kind::partial && j != line && in[j - 1].kind == Kind::text && in[j - 1].blank) {
          in[j].indent = in[j - 1].text;
        }
      }
      for (size_t j = line; j <= i; ++j) {
        if (!(in[j].kind == Kind::text && in[j].blank)) out.push_back(std::move(in[j]));
      }
    } else {
      for (size_t j = line; j <= i; ++j) out.push_back(std::move(in[j]));
    }
    tag = visible = false;
    line = i + 1;
  }
  for (size_t j = line; j < in.size(); ++j) out.push_back(std::move(in[j]));
  return out;
}

std::vector<std::string> split_path(const std::string& name) {
  if (name == ".") return {name};
  std::vector<std::string> out;
  size_t start = 0;
  for (;;) {
    size_t dot = name.find('.', start);
    out.push_back(name.substr(start, dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return out;
}

// ---- Rendering

const Json kNull;  // what an inverted section pushes

struct Context {
  std::vector<const Json*> stack;  // innermost last
};

const Json* find_in(const std::string& name, const Json* const* first, const Json* const* last) {
  for (auto it = last; it != first;) {
    const Json* node = *--it;
    if (node->is_object()) {
      auto found = node->find(name);
      if (found != node->end()) return &*found;
    } else if (name == ".") {
      return node;
    }
  }
  return nullptr;
}

const Json* lookup(const std::vector<std::string>& path, const Context& ctx) {
  const Json* node = find_in(path[0], ctx.stack.data(), ctx.stack.data() + ctx.stack.size());
  for (size_t i = 1; i < path.size(); ++i) {
    if (node == nullptr) return nullptr;
    node = find_in(path[i], &node, &node + 1);
  }
  return node;
}

bool is_empty(const Json* v) {
  if (v == nullptr) return true;
  switch (v->type()) {
    case Json::value_t::null:
    case Json::value_t::discarded:
    case Json::value_t::binary:
      return true;
    case Json::value_t::boolean:
      return !v->get<bool>();
    case Json::value_t::number_integer:
      return v->get<int64_t>() == 0;
    case Json::value_t::number_unsigned:
      return v->get<uint64_t>() == 0;
    case Json::value_t::number_float:
      return v->get<double>() == 0;
    case Json::value_t::string:
      return v->get_ref<const std::string&>().empty();
    case Json::value_t::array:
      return v->empty();
    case Json::value_t::object:
      return false;
  }
  return true;
}

void append_escaped(std::string& out, std::string_view s) {
  size_t from = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const char* rep;
    switch (s[i]) {
      case '&': rep = "&amp;"; break;
      case '\'': rep = "&#39;"; break;
      case '"': rep = "&quot;"; break;
      case '<': rep = "&lt;"; break;
      case '>': rep = "&gt;"; break;
      case '/': rep = "&#x2F;"; break;
      default: continue;
    }
    out.append(s.substr(from, i - from));
    out.append(rep);
    from = i + 1;
  }
  out.append(s.substr(from));
}

void append_value(std::string& out, const Json* v, bool escape) {
  if (v == nullptr) return;
  switch (v->type()) {
    case Json::value_t::string: {
      const auto& s = v->get_ref<const std::string&>();
      if (escape) append_escaped(out, s);
      else out.append(s);
      return;
    }
    case Json::value_t::number_integer:
      out.append(std::to_string(v->get<int64_t>()));
      return;
    case Json::value_t::number_unsigned:
      out.append(std::to_string(v->get<uint64_t>()));
      return;
    case Json::value_t::number_float: {
      char buf[64];
      int n = std::snprintf(buf, sizeof buf, "%g", v->get<double>());
      out.append(buf, static_cast<size_t>(n));
      return;
    }
    case Json::value_t::boolean:
      out.append(v->get<bool>() ? "true" : "false");
      return;
    default:
      return;
  }
}

void render_tree(const Templates::Tree& tree, Context& ctx, std::string& out);

void render_with(const Templates::Tree& body, const Json* value, Context& ctx, std::string& out) {
  ctx.stack.push_back(value);
  render_tree(body, ctx, out);
  ctx.stack.pop_back();
}

void render_tree(const Templates::Tree& tree, Context& ctx, std::string& out) {
  for (const auto& n : tree) {
    switch (n.kind) {
      case Kind::text:
        out.append(n.text);
        break;
      case Kind::var:
      case Kind::raw:
        append_value(out, lookup(n.path, ctx), n.kind == Kind::var);
        break;
      case Kind::section: {
        const Json* v = lookup(n.path, ctx);
        if (is_empty(v)) break;
        if (v->is_array()) {
          for (const auto& e : *v) render_with(n.children, &e, ctx, out);
        } else {
          render_with(n.children, v, ctx, out);
        }
        break;
      }
      case Kind::inverted:
        if (is_empty(lookup(n.path, ctx))) render_with(n.children, &kNull, ctx, out);
        break;
      case Kind::partial:
        render_tree(*n.partial, ctx, out);
        break;
      case Kind::close:
      case Kind::comment:
        break;
    }
  }
}

}  // namespace

Templates::Templates() = default;
Templates::~Templates() = default;
Templates::Templates(Templates&&) noexcept = default;
Templates& Templates::operator=(Templates&&) noexcept = default;

void Templates::add(std::string name, std::string_view text) {
  auto tokens = strip_tag_lines(tokenize(text, name));
  // Check the nesting now, so that a malformed template fails at start-up, not on a page.
  std::vector<const std::string*> open;
  for (const auto& t : tokens) {
    if (t.kind == Kind::section || t.kind == Kind::inverted) open.push_back(&t.text);
    if (t.kind != Kind::close) continue;
    if (open.empty() || *open.back() != t.text) {
      throw std::invalid_argument("template " + name + ": {{/" + t.text + "}} closes " +
                                  (open.empty() ? std::string("nothing") : "{{#" + *open.back() + "}}"));
    }
    open.pop_back();
  }
  if (!open.empty()) throw std::invalid_argument("template " + name + ": {{#" + *open.back() + "}} is never closed");
  sources_.insert_or_assign(std::move(name), std::move(tokens));
  trees_.clear();
}

void Templates::build() {
  trees_.clear();
  for (const auto& [name, tokens] : sources_) compiled(name, "");
}

const Templates::Tree& Templates::compiled(const std::string& name, const std::string& indent) {
  auto key = std::make_pair(name, indent);
  if (auto it = trees_.find(key); it != trees_.end()) return *it->second;
  auto src = sources_.find(name);
  if (src == sources_.end()) throw std::invalid_argument("no template " + name + " for a partial");
  Tree& root = *trees_.emplace(key, std::make_unique<Tree>()).first->second;
  // Each section's body is built in place; `open` holds the trees being filled.
  std::vector<Tree*> open{&root};
  bool line_start = true;
  for (const auto& t : src->second) {
    if (!indent.empty() && line_start) open.back()->push_back(Node{Kind::text, indent, {}, {}, nullptr});
    line_start = t.eol;
    switch (t.kind) {
      case Kind::text:
        if (!t.text.empty()) open.back()->push_back(Node{Kind::text, t.text, {}, {}, nullptr});
        break;
      case Kind::var:
      case Kind::raw:
        open.back()->push_back(Node{t.kind, {}, split_path(t.text), {}, nullptr});
        break;
      case Kind::section:
      case Kind::inverted:
        open.back()->push_back(Node{t.kind, {}, split_path(t.text), {}, nullptr});
        open.push_back(&open.back()->back().children);
        break;
      case Kind::close:
        open.pop_back();
        break;
      case Kind::partial: {
        const Tree* tree = &compiled(t.text, t.indent);
        open.back()->push_back(Node{Kind::partial, t.text, {}, {}, tree});
        break;
      }
      case Kind::comment:
        break;
    }
  }
  return root;
}

bool Templates::has(std::string_view name) const { return sources_.find(name) != sources_.end(); }

void Templates::render(std::string_view name, const Json& view, std::string& out, const Json* base) const {
  auto it = trees_.find(std::make_pair(std::string(name), std::string()));
  if (it == trees_.end()) throw std::out_of_range("no template " + std::string(name));
  Context ctx;
  ctx.stack.reserve(16);
  if (base != nullptr) ctx.stack.push_back(base);
  ctx.stack.push_back(&view);
  render_tree(*it->second, ctx, out);
}

}  // namespace chidoan::render
