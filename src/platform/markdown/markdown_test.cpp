// The Markdown subset of ideas and comments: what a member typed never becomes HTML (scripts,
// event handlers, javascript: links are shown as text or dropped), plain text keeps its line
// breaks and its bare addresses become links.
#include "platform/markdown/markdown.hpp"

#include <gtest/gtest.h>

namespace chidoan::markdown {
namespace {

bool has(const std::string& html, const std::string& part) { return html.find(part) != std::string::npos; }

TEST(IdeasMarkdown, PlainTextKeepsLineBreaksAndEscapes) {
  EXPECT_EQ(to_html("Dòng một\nDòng hai"), "<p>Dòng một<br />\nDòng hai</p>");
  EXPECT_EQ(to_html("Đoạn một\n\nĐoạn hai"), "<p>Đoạn một</p>\n<p>Đoạn hai</p>");
  EXPECT_EQ(to_html("a < b && c > d"), "<p>a &lt; b &amp;&amp; c &gt; d</p>");
  EXPECT_EQ(to_html(""), "");
}

TEST(IdeasMarkdown, ScriptIsShownAsText) {
  for (const char* attack : {"<script>alert(1)</script>", "Xin chào <script>alert('x')</script> bạn",
                             "<img src=x onerror=alert(1)>", "<iframe src=\"https://evil.example\"></iframe>",
                             "<b onmouseover=alert(1)>đậm</b>", "<!-- chú thích --><style>body{}</style>",
                             "<a href=\"javascript:alert(1)\">bấm</a>"}) {
    std::string html = to_html(attack);
    EXPECT_FALSE(has(html, "<script")) << attack << " -> " << html;
    EXPECT_FALSE(has(html, "<img")) << attack << " -> " << html;
    EXPECT_FALSE(has(html, "<iframe")) << attack << " -> " << html;
    EXPECT_FALSE(has(html, "<b ")) << attack << " -> " << html;
    EXPECT_FALSE(has(html, "<style")) << attack << " -> " << html;
    EXPECT_FALSE(has(html, "href=\"javascript")) << attack << " -> " << html;
    EXPECT_FALSE(has(html, "raw HTML omitted")) << attack << " -> " << html;  // shown, not silently dropped
  }
  EXPECT_EQ(to_html("<script>alert(1)</script>"), "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>");
  EXPECT_TRUE(has(to_html("Xin chào <script>x</script> bạn"), "Xin chào &lt;script&gt;x&lt;/script&gt; bạn"));
  // A line that starts as HTML keeps its links; the next line stays apart.
  EXPECT_EQ(to_html("<script>x</script> xem https://a.vn\nCảm ơn"),
            "<p>&lt;script&gt;x&lt;/script&gt; xem <a rel=\"nofollow ugc noopener\" href=\"https://a.vn\">https://a.vn</a></p>\n<p>Cảm ơn</p>");
  EXPECT_EQ(to_html("<div>\nmột\nhai\n</div>"), "<p>&lt;div&gt;<br />\nmột<br />\nhai<br />\n&lt;/div&gt;</p>");
}

TEST(IdeasMarkdown, LinksKeepOnlySafeTargets) {
  EXPECT_EQ(to_html("[Cổng dịch vụ công](https://dichvucong.gov.vn)"),
            "<p><a rel=\"nofollow ugc noopener\" href=\"https://dichvucong.gov.vn\">Cổng dịch vụ công</a></p>");
  EXPECT_EQ(to_html("[bấm](javascript:alert(1))"), "<p>bấm</p>");
  EXPECT_EQ(to_html("[bấm](JaVaScRiPt:alert(1))"), "<p>bấm</p>");
  EXPECT_EQ(to_html("[x](data:text/html;base64,PHNjcmlwdD4=)"), "<p>x</p>");
  EXPECT_EQ(to_html("[x](vbscript:msgbox)"), "<p>x</p>");
  EXPECT_EQ(to_html("<javascript:alert(1)>"), "<p>javascript:alert(1)</p>");
  EXPECT_TRUE(has(to_html("[thư](mailto:chidoan@example.vn)"), "href=\"mailto:chidoan@example.vn\""));
  EXPECT_TRUE(allowed_url("HTTPS://a.vn"));
  EXPECT_FALSE(allowed_url("/relative"));
  EXPECT_FALSE(allowed_url(" javascript:x"));
}

TEST(IdeasMarkdown, ImagesBecomeTheirText) {
  EXPECT_EQ(to_html("![sơ đồ](https://example.com/a.png)"), "<p>sơ đồ</p>");
  EXPECT_EQ(to_html("![x](javascript:alert(1))"), "<p>x</p>");
}

TEST(IdeasMarkdown, BareAddressesBecomeLinks) {
  EXPECT_EQ(to_html("Xem https://dichvucong.gov.vn/p/home. Cảm ơn"),
            "<p>Xem <a rel=\"nofollow ugc noopener\" href=\"https://dichvucong.gov.vn/p/home\">https://dichvucong.gov.vn/p/home</a>. Cảm ơn</p>");
  std::string two = to_html("http://a.vn và (https://b.vn/x?y=1&z=2)");
  EXPECT_TRUE(has(two, "href=\"http://a.vn\""));
  EXPECT_TRUE(has(two, "href=\"https://b.vn/x?y=1&amp;z=2\""));
  EXPECT_EQ(to_html("https://"), "<p>https://</p>");
  // An address already in a link is not linked twice.
  EXPECT_EQ(to_html("[https://a.vn](https://a.vn)"), "<p><a rel=\"nofollow ugc noopener\" href=\"https://a.vn\">https://a.vn</a></p>");
  EXPECT_EQ(to_html("<https://a.vn>"), "<p><a rel=\"nofollow ugc noopener\" href=\"https://a.vn\">https://a.vn</a></p>");
}

TEST(IdeasMarkdown, TheSubset) {
  EXPECT_EQ(to_html("*nghiêng* và **đậm**"), "<p><em>nghiêng</em> và <strong>đậm</strong></p>");
  EXPECT_EQ(to_html("- một\n- hai"), "<ul>\n<li>một</li>\n<li>hai</li>\n</ul>");
  EXPECT_EQ(to_html("`<b>`"), "<p><code>&lt;b&gt;</code></p>");
  EXPECT_EQ(to_html("> trích"), "<blockquote>\n<p>trích</p>\n</blockquote>");
}

TEST(Markdown, TextIsWhatAReaderSees) {
  EXPECT_EQ(to_text("Ng**uy**ễn *Văn* `An`"), " Nguyễn Văn An ");
  EXPECT_EQ(to_text("Một\nhai"), " Một  hai ");
  EXPECT_EQ(to_text("a &amp; b &#50; &#x41; &lt;x&gt;"), " a & b 2 A <x> ");
  EXPECT_EQ(to_text("<b>đậm</b>"), " <b>đậm</b> ");  // raw HTML is text, also here
  EXPECT_EQ(visible("09\u200B72\u00AD22\uFEFF"), "097222");
}

}  // namespace
}  // namespace chidoan::markdown
