// Text people type (ideas, comments, news posts) as HTML (docs/ideas.md "Discussion and mentoring"): plain text with
// line breaks and links, or a small Markdown subset (CommonMark through Debian's libcmark 0.30:
// emphasis, lists, quotes, code, links). What a member typed is never HTML:
// - raw HTML (`<script>`, `<img onerror=…>`, `<b>`) is shown as the text it is, escaped;
// - links keep only http:, https: and mailto: targets (anything else, javascript: included, is
//   shown as its text without a link) and carry rel="nofollow ugc noopener";
// - images are shown as their alt text (no third-party requests from a page);
// - bare http(s):// addresses in the text become links;
// - a line break is a line break (<br>), as people type in a text area.
// The result is the one piece of user-derived text that templates emit unescaped ({{{…}}}).
#pragma once

#include <string>
#include <string_view>

namespace chidoan::markdown {

// REQUIRES: valid UTF-8 (normalize() input first); invalid bytes become U+FFFD.
std::string to_html(std::string_view text);

// What a reader sees of to_html(text), as plain text: tags removed (a block or line break is a
// space), character references decoded, and characters that show nothing (zero-width spaces and
// joiners, the soft hyphen, the byte-order mark) dropped. For checks of what a page would show.
std::string to_text(std::string_view text);
// The same for text shown as it is (escaped, not Markdown): only the invisible characters dropped.
std::string visible(std::string_view text);

// Is `url` a link target we keep? http://, https://, mailto: (case-insensitive).
bool allowed_url(std::string_view url);

}  // namespace chidoan::markdown
