package render

import (
	"context"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestHTMLMarkdown(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"figure takes its caption", `<figure><img src="/a.png" alt=""><figcaption>The <em>caption</em>.</figcaption></figure>`,
			"![The caption\\.](/a.png)"},
		{"figure of two", `<figure><img src="a.png" alt="A"><img src="b.png" alt="B"><figcaption>Both</figcaption></figure>`,
			"![A](a.png)\n\n![B](b.png)\n\n*Both*"},
		{"address keeps its lines", "<address>\n  1 Road<br> Town<br/>\n</address>", "1 Road\\\nTown"},
		{"pre keeps its lines", "<pre>\na\n  b *c*\n</pre>", "```text\na\n  b *c*\n```"},
		{"pre's language", `<pre><code class="language-go">x := 1</code></pre>`, "```go\nx := 1\n```"},
		{"text is escaped", "<p>*not* [a](link) #1 `x`</p>", "\\*not\\* \\[a\\]\\(link\\) \\#1 \\`x\\`"},
		{"line starts are escaped", "<p>a<br>= b<br>: c</p>", "a\\\n&#61; b\\\n&#58; c"},
		{"inline elements", `<p><em>e</em> <strong>s</strong> <code>c</code> <a href="https://x.org/">l</a> <del>d</del></p>`,
			"*e* **s** `c` [l](https://x.org/) ~~d~~"},
		{"javascript link is text", `<p><a href="javascript:alert(1)">x</a></p>`, "x"},
		{"scripts", `<p>a</p><script>alert(1)</script><style>p{}</style>`, "a"},
		{"sub and sup", "<p>H<sub>2</sub>O x<sup>n+1</sup> x<sup>q</sup></p>", "H₂O xⁿ⁺¹ xq"},
		{"quote", "<p><q>hi</q></p>", "“hi”"},
		{"heading", "<h3>A <em>title</em></h3>", "### A *title*"},
		{"lists", "<ul><li>a</li><li>b<ul><li>c</li></ul></li></ul><ol start=\"3\"><li>x</li></ol>",
			"- a\n- b\n\n  - c\n\n3. x"},
		{"quote block", "<blockquote><p>a</p><p>b</p></blockquote>", "> a\n>\n> b"},
		{"details", "<details><summary>More</summary><p>Hidden.</p></details>", "**More**\n\nHidden\\."},
		{"table", "<table><tr><th>a</th><th>b</th></tr><tr><td>1</td><td>2|3</td></tr></table>",
			"| a | b |\n| --- | --- |\n| 1 | 2\\|3 |"},
		{"definitions", "<dl><dt>T</dt><dd>D</dd></dl>", "T\n: D"},
		{"video becomes a link", `<video src="https://v.example/a.mp4" title="Talk"></video>`, "[Talk](https://v.example/a.mp4)"},
		{"comment", "<!-- note --><p>x</p>", "x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := htmlMarkdown(tt.in); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestHTMLBlocksInTheTerminal: what an HTML block holds is drawn as
// markdown, in the container it sits in, and never runs into the text
// around it.
func TestHTMLBlocksInTheTerminal(t *testing.T) {
	r := New(Options{Timeout: testRenderBudget})
	body := "Text before.\n<div>\n<p>First <b>bold</b>.</p>\n</div>\n\n" +
		"> <p>Quoted <i>html</i></p>\n> <p>Second</p>\n\n" +
		"- <p>In a list</p>\n\nA<br>B and x<sup>2</sup>.\n"
	out, err := r.Render(context.Background(), post("html", body), 60, Plain)
	if err != nil {
		t.Fatal(err)
	}
	want := "Text before.\n\nFirst **bold**.\n\n| Quoted *html*\n|\n| Second\n\n• In a list\n\nA\nB and x²."
	if out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}

func TestHTMLIsSanitisedOnce(t *testing.T) {
	body := "<figure onclick=\"x()\"><img src=\"pic.png\" onerror=\"alert(1)\"><figcaption>Cap</figcaption></figure>\n\n" +
		"<script>alert(1)</script>\n\n<p style=\"color: red\">styled</p>\n\n<a href=\"javascript:alert(1)\">js</a>\n\n" +
		"<details open><summary>S</summary>in</details>\n\n<address>A<br>B</address>\n\n" +
		"| l | r |\n|:--|--:|\n| 1 | 2 |\n\n```go\nx\n```\n\n<iframe src=\"https://evil.example/\"></iframe>\n"
	p := post("hostile", body)
	out, err := PostHTML(context.Background(), p, "https://blog.example.com/")
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"onclick", "onerror", "<script", "style=\"color", "javascript:", "<iframe"} {
		if strings.Contains(out, bad) {
			t.Errorf("%q survived:\n%s", bad, out)
		}
	}
	for _, good := range []string{"<figure>", "<figcaption>Cap</figcaption>", `<img src="https://blog.example.com/`,
		"<details open", "<summary>S</summary>", "<address>A<br>B</address>", `style="text-align: left"`,
		`style="text-align: right"`, `class="language-go"`} {
		if !strings.Contains(out, good) {
			t.Errorf("%q is missing:\n%s", good, out)
		}
	}
}

func TestScripted(t *testing.T) {
	for in, want := range map[string]string{"2": "²", "n+1": "ⁿ⁺¹", "th": "ᵗʰ", "x": "ˣ", "q": "", "": ""} {
		got, ok := scripted(in, true)
		if (want != "") != ok || got != want {
			t.Errorf("superscript %q: %q %v, want %q", in, got, ok, want)
		}
	}
	if got, ok := scripted("2e", false); !ok || got != "₂ₑ" {
		t.Errorf("subscript 2e: %q %v", got, ok)
	}
}

// TestTypographyKeepsCode: a post whose site makes typographic
// punctuation gets it in its text, and never in code.
func TestTypographyKeepsCode(t *testing.T) {
	r := New(Options{Timeout: testRenderBudget})
	p := post("typo", "\"Quoted\" -- and --- then... `a -- \"b\"`\n")
	p.Typographer = true
	p.Hash += "t"
	out, err := r.Render(context.Background(), p, 60, Plain)
	if err != nil {
		t.Fatal(err)
	}
	if want := "“Quoted” – and — then… `a -- \"b\"`"; ansi.Strip(out) != want {
		t.Errorf("got %q, want %q", out, want)
	}
	h, err := PostHTML(context.Background(), p, "")
	if err != nil || !strings.Contains(h, "“Quoted” – and — then… <code>a -- &#34;b&#34;</code>") {
		t.Errorf("html %q %v", h, err)
	}
}

// TestDeepHTMLStaysWithinTheBudget: HTML nested deeper than markdown may
// be (the parse budget refuses quotes and lists nested past MaxDepth) is
// converted no deeper than maxHTMLDepth, so the post renders in full,
// its innermost text kept, and a deep quote is still drawn as quotes.
func TestDeepHTMLStaysWithinTheBudget(t *testing.T) {
	r := New(Options{Timeout: testRenderBudget})
	for name, tt := range map[string]struct{ body, want string }{
		"quotes": {strings.Repeat("<blockquote>", 300) + "deep text" + strings.Repeat("</blockquote>", 300) + "\n",
			strings.Repeat("| ", maxHTMLDepth-1) + "deep text"},
		"divs":   {"<div>\n" + strings.Repeat("<div><ul><li>", 300) + "deep text\n</div>\n", "deep text"},
		"inline": {"<p>" + strings.Repeat("<em><b>", 200) + "deep text</p>\n", "deep text"},
	} {
		out, err := r.Render(context.Background(), post("deep-"+name, tt.body), 200, Plain)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(out, "shown simplified") || !strings.Contains(out, tt.want) {
			t.Errorf("%s: no %q in %.300q", name, tt.want, out)
		}
	}
}
