package content

import (
	"strings"
	"testing"
)

func TestNormalizeKramdown(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"none", "plain *text*\n", "plain *text*\n"},
		{"notice after", "**Hi:** there.\n{: .notice}\n", "> [!NOTE]\n> **Hi:** there.\n"},
		{"notice kinds", "a\n{: .notice--info}\n\nb\n{: .notice--danger}\n\nc\n{:.notice--success}\n",
			"> [!INFO]\n> a\n\n> [!DANGER]\n> b\n\n> [!SUCCESS]\n> c\n"},
		{"notice of two lines", "one\ntwo\n{: .notice--warning}\n", "> [!WARNING]\n> one\n> two\n"},
		{"notice before", "{: .notice--primary}\npara\n\nnext\n", "> [!IMPORTANT]\n> para\n\nnext\n"},
		{"notice before at the end", "{: .notice}\npara", "> [!NOTE]\n> para"},
		{"ial ends the paragraph", "one\n{: .x}\ntwo\n", "one\n\ntwo\n"},
		{"unknown classes vanish", "Centred.\n{: style=\"text-align: center;\" .small #id}\n", "Centred.\n"},
		{"standalone ial is ignored", "a\n\n{: .notice}\n\nb\n", "a\n\n\nb\n"},
		{"ald names a notice", "{:warn: .notice--warning}\n\ntext\n{: warn}\n", "\n> [!WARNING]\n> text\n"},
		{"toc list goes", "* toc\n{:toc}\n\n## One\n", "\n## One\n"},
		{"numbered toc list goes", "Intro.\n\n1. Contents\n{:toc}\n", "Intro.\n\n"},
		{"header id", "## Setup {#setup}\n\nSetup {#s2}\n===\n", "## Setup\n\nSetup\n===\n"},
		{"ial in a quote", "> quoted\n> {: .notice}\n", "> quoted\n>\n"},
		{"span ials", "[Go](#){: .btn .btn--primary} ![x](a.png){: .align-left} *e*{:.x} `{: .keep}`\n",
			"[Go](#) ![x](a.png) *e* `{: .keep}`\n"},
		{"fenced code stays", "```\ntext\n{: .notice}\n```\n{: .notice}\n",
			"> [!NOTE]\n> ```\n> text\n> {: .notice}\n> ```\n"},
		{"indented code stays", "text\n\n    {: .notice}\n", "text\n\n    {: .notice}\n"},
		{"comment goes", "a\n{::comment}\nhidden\n{:/comment}\nb\n", "a\nb\n"},
		{"options go", "{::options parse_block_html=\"true\" /}\nb\n", "b\n"},
		{"nomarkdown keeps its content", "{::nomarkdown}\n<b>x</b>\n{:/}\n", "<b>x</b>\n"},
		{"abbreviations go", "CSS.\n\n*[CSS]: Cascading Style Sheets\n", "CSS.\n\n"},
		{"plain folder html is commonmark's", "<div>\n\n*md*\n\n</div>\nafter\n", "<div>\n\n*md*\n\n</div>\nafter\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := normalizeKramdown(tt.in, false); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestKramdownHTMLBlocks(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"ends at its end tag", "<figure>\n  <img src=\"a.png\">\n</figure>\nText *here*.\n",
			"<figure>\n  <img src=\"a.png\">\n</figure>\n\nText *here*.\n"},
		{"holds blank lines", "<div>\n<p>a</p>\n\n    <p>b</p>\n</div>\n",
			"<div>\n<p>a</p>\n<!-- -->\n    <p>b</p>\n</div>\n"},
		{"blank line before", "Text\n<div>x</div>\n", "Text\n\n<div>x</div>\n"},
		{"nested same element", "<div>\n<div>in</div>\n</div>\nafter\n", "<div>\n<div>in</div>\n</div>\n\nafter\n"},
		{"markdown inside", "<div class=\"x\" markdown=\"1\">\n  **md** here\n</div>\n",
			"<div class=\"x\">\n\n**md** here\n\n</div>\n"},
		{"markdown on one line", "<div markdown=\"block\">*x*</div>\n", "<div>\n\n*x*\n\n</div>\n"},
		{"notice div of markdown", "<div class=\"notice--info\" markdown=\"1\">\n**a**\n\n```\nc\n```\n</div>\nz\n",
			"> [!INFO]\n> **a**\n>\n> ```\n> c\n> ```\n\nz\n"},
		{"notice div of html", "<div class=\"notice\">\n  <h4>M</h4>\n\n  <p>B</p>\n</div>\n",
			"> [!NOTE]\n> <h4>M</h4>\n> <!-- -->\n> <p>B</p>\n"},
		{"nested markdown reads ials", "<div markdown=\"1\">\nx\n{: .notice}\n</div>\n",
			"<div>\n\n> [!NOTE]\n> x\n\n</div>\n"},
		{"unclosed is left alone", "<div>\n\ntext\n", "<div>\n\ntext\n"},
		{"inline element is not a block", "<span>a</span>\nb\n", "<span>a</span>\nb\n"},
		{"pre keeps its lines", "<pre>\na\n\n  b\n</pre>\nc\n", "<pre>\na\n<!-- -->\n  b\n</pre>\n\nc\n"},
		{"code stays", "```\n<div>\n```\n", "```\n<div>\n```\n"},
		{"empty notice", "a\n\n<div class=\"notice\">\n  \n</div>\n\nb\n", "a\n\n\nb\n"},
		{"table rules", "| a | b |\n|---|---|\n| 1 | 2 |\n|-------|\n| 3 | 4 |\n|=======|\n| f | g |\n",
			"| a | b |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |\n| f | g |\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := normalizeKramdown(tt.in, true); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestKramdownUnclosedTagsAreLinear: a post of many start tags that never
// close must not cost the square of its size (each would search to the
// end for its end tag): the search reads at most a few times the body.
func TestKramdownUnclosedTagsAreLinear(t *testing.T) {
	body := strings.Repeat("<div>\n", 100_000)
	budget := 8*len(body) + 1024
	k := &kramdown{refs: map[string]string{}, jekyll: true, scan: budget}
	out := strings.Join(k.blocks(strings.Split(body, "\n"), 0), "\n")
	if out != body {
		t.Errorf("unclosed tags changed")
	}
	if read := budget - k.scan; read > budget+len("<div>\n") {
		t.Errorf("read %d bytes looking for end tags, over the budget of %d", read, budget)
	}
}

func TestSiteKindDecidesTypographyAndHTML(t *testing.T) {
	data := []byte("---\ntitle: T\n---\n\n<div>\n\n*x*\n</div>\nafter\n")
	plain := parsePost(source{path: "p.md", data: data}).post
	jekyll := parsePost(source{path: "p.md", data: data, kind: "jekyll"}).post
	hugo := parsePost(source{path: "p.md", data: data, kind: "hugo"}).post
	if plain.Typographer || !jekyll.Typographer || !hugo.Typographer {
		t.Errorf("typographer: plain %v, jekyll %v, hugo %v", plain.Typographer, jekyll.Typographer, hugo.Typographer)
	}
	if plain.Body != hugo.Body || !strings.Contains(jekyll.Body, "<!-- -->") {
		t.Errorf("bodies: plain %q, hugo %q, jekyll %q", plain.Body, hugo.Body, jekyll.Body)
	}
	if plain.Hash == hugo.Hash {
		t.Errorf("the same body with and without typography shares a hash")
	}
}

func TestCalloutMarkerIsNoProse(t *testing.T) {
	res := parsePost(source{path: "p.md", data: []byte("---\ntitle: T\n---\n\n**Hi:** there.\n{: .notice}\n")})
	if res.post.Excerpt != "Hi: there." || strings.Contains(res.post.text, "[!") {
		t.Errorf("excerpt %q, text %q", res.post.Excerpt, res.post.text)
	}
}

// TestHTMLPicturesAreThePosts: a picture a figure or an inline <img> shows
// is one of the post's files (its version keys the render, the watcher
// follows it), as a markdown image's is.
func TestHTMLPicturesAreThePosts(t *testing.T) {
	body := "---\ntitle: T\n---\n\n<figure>\n  <img src=\"/images/a.png\" alt=\"\">\n</figure>\n\nInline <img src='b.png'> too.\n"
	res := parsePost(source{path: "post.md", data: []byte(body), kind: "jekyll"})
	want := []fileRef{{rel: "images/a.png", siteRoot: true}, {rel: "b.png"}}
	if len(res.post.files) != len(want) {
		t.Fatalf("files %+v, want %+v", res.post.files, want)
	}
	for i, f := range want {
		if res.post.files[i] != f {
			t.Errorf("file %d: %+v, want %+v", i, res.post.files[i], f)
		}
	}
}
