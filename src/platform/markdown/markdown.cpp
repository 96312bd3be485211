#include "platform/markdown/markdown.hpp"

#include <cmark.h>

#include <cstdlib>
#include <memory>
#include <vector>

namespace chidoan::markdown {
namespace {

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != prefix[i]) return false;
  }
  return true;
}

bool inside_link(cmark_node* n) {
  for (cmark_node* p = cmark_node_parent(n); p; p = cmark_node_parent(p))
    if (cmark_node_get_type(p) == CMARK_NODE_LINK) return true;
  return false;
}

cmark_node* text_node(std::string_view s) {
  cmark_node* t = cmark_node_new(CMARK_NODE_TEXT);
  cmark_node_set_literal(t, std::string(s).c_str());
  return t;
}

// Moves the children of `n` before it and frees `n` (a link or image that is not kept).
void unwrap(cmark_node* n) {
  while (cmark_node* child = cmark_node_first_child(n)) cmark_node_insert_before(n, child);
  cmark_node_free(n);
}

// The end of a bare address starting at `at`: up to white space or '<', without the trailing
// punctuation that ends a sentence around it.
size_t url_end(std::string_view s, size_t at) {
  size_t end = at;
  while (end < s.size() && s[end] != ' ' && s[end] != '\t' && s[end] != '\n' && s[end] != '\r' && s[end] != '<' &&
         s[end] != '"')
    ++end;
  while (end > at) {
    char c = s[end - 1];
    if (c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?' || c == '\'' || c == ')') --end;
    else break;
  }
  return end;
}

// The first "http://" or "https://" in `s` from `from`, or npos.
size_t find_url(std::string_view s, size_t from) {
  for (size_t i = from; i < s.size(); ++i) {
    if ((s[i] == 'h' || s[i] == 'H') && (starts_with_ci(s.substr(i), "http://") || starts_with_ci(s.substr(i), "https://"))) {
      size_t scheme = starts_with_ci(s.substr(i), "https://") ? 8 : 7;
      if (url_end(s, i) > i + scheme) return i;
    }
  }
  return std::string_view::npos;
}

// Splits a text node around the bare addresses in it.
void autolink(cmark_node* t) {
  const char* lit = cmark_node_get_literal(t);
  if (!lit) return;
  const std::string s = lit;
  size_t at = find_url(s, 0);
  if (at == std::string::npos) return;
  size_t done = 0;
  while (at != std::string::npos) {
    size_t end = url_end(s, at);
    if (at > done) cmark_node_insert_before(t, text_node(std::string_view(s).substr(done, at - done)));
    std::string url = s.substr(at, end - at);
    cmark_node* link = cmark_node_new(CMARK_NODE_LINK);
    cmark_node_set_url(link, url.c_str());
    cmark_node_append_child(link, text_node(url));
    cmark_node_insert_before(t, link);
    done = end;
    at = find_url(s, done);
  }
  if (done < s.size()) cmark_node_insert_before(t, text_node(std::string_view(s).substr(done)));
  cmark_node_free(t);
}

}  // namespace

bool allowed_url(std::string_view url) {
  return starts_with_ci(url, "http://") || starts_with_ci(url, "https://") || starts_with_ci(url, "mailto:");
}

std::string to_html(std::string_view text) {
  const int options = CMARK_OPT_VALIDATE_UTF8 | CMARK_OPT_HARDBREAKS;
  std::unique_ptr<cmark_node, decltype(&cmark_node_free)> doc(cmark_parse_document(text.data(), text.size(), options),
                                                               &cmark_node_free);
  if (!doc) return "";
  cmark_consolidate_text_nodes(doc.get());

  // Collect first: the tree is changed afterwards, never while iterating.
  std::vector<cmark_node*> html_blocks, html_inlines, images, links;
  {
    std::unique_ptr<cmark_iter, decltype(&cmark_iter_free)> it(cmark_iter_new(doc.get()), &cmark_iter_free);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it.get())) != CMARK_EVENT_DONE) {
      if (ev != CMARK_EVENT_ENTER) continue;
      cmark_node* n = cmark_iter_get_node(it.get());
      switch (cmark_node_get_type(n)) {
        case CMARK_NODE_HTML_BLOCK: html_blocks.push_back(n); break;
        case CMARK_NODE_HTML_INLINE: html_inlines.push_back(n); break;
        case CMARK_NODE_IMAGE: images.push_back(n); break;
        case CMARK_NODE_LINK: links.push_back(n); break;
        default: break;
      }
    }
  }
  // Raw HTML is text: a block becomes a paragraph of its lines, an inline tag its literal.
  for (cmark_node* n : html_blocks) {
    std::string lit = cmark_node_get_literal(n) ? cmark_node_get_literal(n) : "";
    while (!lit.empty() && (lit.back() == '\n' || lit.back() == '\r')) lit.pop_back();
    cmark_node* p = cmark_node_new(CMARK_NODE_PARAGRAPH);
    size_t from = 0;
    for (size_t nl = lit.find('\n'); ; nl = lit.find('\n', from)) {
      std::string_view line = std::string_view(lit).substr(from, nl == std::string::npos ? std::string::npos : nl - from);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      cmark_node_append_child(p, text_node(line));
      if (nl == std::string::npos) break;
      cmark_node_append_child(p, cmark_node_new(CMARK_NODE_LINEBREAK));
      from = nl + 1;
    }
    cmark_node_replace(n, p);
    cmark_node_free(n);
  }
  for (cmark_node* n : html_inlines) {
    cmark_node* t = text_node(cmark_node_get_literal(n) ? cmark_node_get_literal(n) : "");
    cmark_node_replace(n, t);
    cmark_node_free(n);
  }
  // Images inside a kept link are unwrapped before the link is looked at: children first.
  for (auto it = images.rbegin(); it != images.rend(); ++it) unwrap(*it);
  for (auto it = links.rbegin(); it != links.rend(); ++it) {
    const char* url = cmark_node_get_url(*it);
    if (!url || !allowed_url(url)) unwrap(*it);
  }
  // Bare addresses, in what was typed as text or as HTML: the text nodes as they are now.
  std::vector<cmark_node*> texts;
  {
    std::unique_ptr<cmark_iter, decltype(&cmark_iter_free)> it(cmark_iter_new(doc.get()), &cmark_iter_free);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it.get())) != CMARK_EVENT_DONE)
      if (ev == CMARK_EVENT_ENTER && cmark_node_get_type(cmark_iter_get_node(it.get())) == CMARK_NODE_TEXT)
        texts.push_back(cmark_iter_get_node(it.get()));
  }
  for (cmark_node* t : texts)
    if (!inside_link(t)) autolink(t);

  char* html = cmark_render_html(doc.get(), options);
  std::string out = html ? html : "";
  std::free(html);
  // Links are the only "<a " in the output: everything typed was escaped.
  const std::string from = "<a href=\"", to = "<a rel=\"nofollow ugc noopener\" href=\"";
  for (size_t pos = out.find(from); pos != std::string::npos; pos = out.find(from, pos + to.size()))
    out.replace(pos, from.size(), to);
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

namespace {

// Appends the UTF-8 of code point `cp`.
void put_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x110000) {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// U+200B..U+200D, U+2060, U+FEFF (3 bytes) and U+00AD (2 bytes) at `i`: their length, else 0.
size_t invisible_at(std::string_view s, size_t i) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
  if (i + 1 < s.size() && b(0) == 0xC2 && b(1) == 0xAD) return 2;
  if (i + 2 >= s.size()) return 0;
  if (b(0) == 0xE2 && b(1) == 0x80 && b(2) >= 0x8B && b(2) <= 0x8D) return 3;
  if (b(0) == 0xE2 && b(1) == 0x81 && b(2) == 0xA0) return 3;
  if (b(0) == 0xEF && b(1) == 0xBB && b(2) == 0xBF) return 3;
  return 0;
}

}  // namespace

std::string visible(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    if (size_t n = invisible_at(text, i)) {
      i += n;
      continue;
    }
    out += text[i++];
  }
  return out;
}

std::string to_text(std::string_view text) {
  std::string html = to_html(visible(text)), out;
  out.reserve(html.size());
  for (size_t i = 0; i < html.size();) {
    char c = html[i];
    if (c == '<') {  // a tag: inline ones (em, strong, code, a) join, the others separate words
      size_t end = html.find('>', i);
      if (end == std::string::npos) break;
      std::string_view tag(html.data() + i + 1, end - i - 1);
      if (!tag.empty() && tag[0] == '/') tag.remove_prefix(1);
      tag = tag.substr(0, tag.find_first_of(" /"));
      bool inline_tag = tag == "em" || tag == "strong" || tag == "code" || tag == "a";
      if (!inline_tag) out += ' ';
      i = end + 1;
    } else if (c == '&') {
      size_t end = html.find(';', i);
      if (end == std::string::npos || end - i > 10) {
        out += c;
        ++i;
        continue;
      }
      std::string_view ref(html.data() + i + 1, end - i - 1);
      if (ref == "amp") out += '&';
      else if (ref == "lt") out += '<';
      else if (ref == "gt") out += '>';
      else if (ref == "quot") out += '"';
      else if (!ref.empty() && ref[0] == '#') {
        bool hex = ref.size() > 1 && (ref[1] == 'x' || ref[1] == 'X');
        uint32_t cp = static_cast<uint32_t>(std::strtoul(std::string(ref.substr(hex ? 2 : 1)).c_str(), nullptr, hex ? 16 : 10));
        put_utf8(out, cp);
      } else {
        out.append(html, i, end - i + 1);
      }
      i = end + 1;
    } else if (c == '\n') {
      out += ' ';
      ++i;
    } else {
      out += c;
      ++i;
    }
  }
  return visible(out);
}

}  // namespace chidoan::markdown
