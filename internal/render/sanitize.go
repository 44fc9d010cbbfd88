package render

import (
	"regexp"

	"github.com/microcosm-cc/bluemonday"
)

// htmlPolicy is the one policy HTML leaving this package passes, for the
// feeds and the web pages alike: bluemonday's policy for user content
// (no scripts, styles, frames, forms or event handlers; links and images
// only to http, https, mailto or relative URLs), plus what the converter
// itself writes and posts hold that means something to a reader:
//   - <address>, <kbd>, <figure>/<figcaption>, <details>/<summary>, <sub>,
//     <sup>, <q>, <ins> (most of them already allowed);
//   - a code block's language class (class="language-go");
//   - a table cell's alignment (style="text-align: …", GFM's);
//   - a callout's classes (markdown-alert, markdown-alert-KIND,
//     markdown-alert-title) and footnotes' (footnotes, footnote-ref,
//     footnote-backref), which the web page's stylesheet draws;
//   - task list checkboxes (<input type="checkbox" disabled>).
//
// Links carry no rel="nofollow": the posts are the author's own words,
// not strangers' comments.
//
// A Policy is safe for concurrent use once built.
func htmlPolicy() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	p.RequireNoFollowOnLinks(false)
	p.AllowElements("address", "kbd", "figure", "figcaption", "details", "summary", "sub", "sup", "q", "ins")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^language-[\w+#.-]{1,40}$`)).OnElements("code")
	p.AllowStyles("text-align").MatchingEnum("left", "right", "center").OnElements("th", "td")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^(?:markdown-alert markdown-alert-[a-z]{1,20}|footnotes)$`)).OnElements("div")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^markdown-alert-title$`)).OnElements("p")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^footnote-(?:ref|backref)$`)).OnElements("a")
	p.AllowAttrs("type").Matching(regexp.MustCompile(`^checkbox$`)).OnElements("input")
	p.AllowAttrs("checked", "disabled").Matching(regexp.MustCompile(`^(?:|checked|disabled)$`)).OnElements("input")
	return p
}
