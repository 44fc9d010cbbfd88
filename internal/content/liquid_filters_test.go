package content

import (
	"context"
	"testing"
	"time"
)

// jekyllExpand runs body's Liquid as a post of a Jekyll site with these
// settings, the post dated 2008-11-07 13:07:54 -0800.
func jekyllExpand(t *testing.T, settings map[string]any, fm, body string) (string, []Problem) {
	t.Helper()
	site := newLiquidSite(Site{Kind: "jekyll", File: "/site/_config.yml", Vars: settings}, "/site/_posts")
	date := time.Date(2008, 11, 7, 13, 7, 54, 0, time.FixedZone("", -8*3600))
	in := liquidInput{ctx: context.Background(), site: site, src: source{path: "2008-11-07-p.md"},
		fm: frontMatter{format: yamlFrontMatter, text: fm}, meta: meta{title: "P", date: date, tags: []string{"a", "b"}, loc: time.UTC}}
	return expandLiquid(body, 1, in)
}

func TestJekyllFilters(t *testing.T) {
	t.Parallel()
	settings := map[string]any{"url": "https://x.example", "baseurl": "/blog", "title": "X",
		"people": []any{map[string]any{"name": "Ana", "team": "a"}, map[string]any{"name": "Bo", "team": "b"},
			map[string]any{"name": "Cy", "team": "a"}}}
	tests := []struct{ in, want string }{
		{`{{ "/a/b.png" | relative_url }} {{ "c" | relative_url }} {{ "https://o.example/x" | relative_url }}`, "/blog/a/b.png /blog/c https://o.example/x"},
		{`{{ "/a" | absolute_url }}`, "https://x.example/blog/a"},
		{`{{ "*hi*" | markdownify }}`, "<p><em>hi</em></p>\n"},
		{`{% capture s %}"Hi" -- it's here...{% endcapture %}{{ s | smartify }}`, "“Hi” – it’s here…"},
		{`{{ "Hello, World!" | slugify }} {{ "Hello, World!" | slugify: "raw" }} {{ "Ça va" | slugify: "latin" }} {{ "Ça va" | slugify: "ascii" }}`,
			"hello-world hello,-world! ca-va a-va"},
		{`{{ page.date | date_to_string }}|{{ page.date | date_to_string: "ordinal", "US" }}|{{ page.date | date_to_long_string }}`,
			"07 Nov 2008|Nov 7th, 2008|07 November 2008"},
		{`{{ page.date | date_to_xmlschema }} {{ page.date | date_to_rfc822 }}`, "2008-11-07T13:07:54-08:00 Fri, 07 Nov 2008 13:07:54 -0800"},
		{`{{ page.date | date: "%Y/%m/%d" }}`, "2008/11/07"},
		{`{{ "<a href='x'>&</a>" | xml_escape }}`, "&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;"},
		{`{{ "a b&c/d" | cgi_escape }} {{ "a b/é?x=1" | uri_escape }}`, "a+b%26c%2Fd a%20b/%C3%A9?x=1"},
		{`{{ site.people | first | jsonify }}`, `{"name":"Ana","team":"a"}`},
		{`{{ site.people | where: "team", "a" | map: "name" | join: "," }}`, "Ana,Cy"},
		{`{{ site.people | where_exp: "p", "p.name contains 'o'" | map: "name" | join: "," }}`, "Bo"},
		{`{% assign b = site.people | find: "name", "Bo" %}{{ b.team }}`, "b"},
		{`{% assign g = site.people | group_by: "team" %}{% for x in g %}{{ x.name }}={{ x.size }} {% endfor %}`, "a=2 b=1 "},
		{`{{ site.people | sort: "name" | reverse | map: "name" | join: "," }}`, "Cy,Bo,Ana"},
		{`{{ page.nothing | default: "none" }} {{ "<b>x</b> y" | strip_html }}`, "none x y"},
		{"{% capture s %}one  two\nthree{% endcapture %}{{ s | number_of_words }} {{ s | normalize_whitespace }}", "3 one two three"},
		{`{{ page.tags | array_to_sentence_string }} {{ page.tags | push: "c" | array_to_sentence_string: "or" }}`, "a and b a, b, or c"},
		{`{{ "42" | to_integer | plus: 1 }} {{ page.tags | pop | size }} {{ page.tags | shift | first }} {{ page.tags | unshift: "z" | first }}`, "43 1 b z"},
		{`{{ "aaa" | replace: "a", "bb" }} {{ page.tags | join: "+" }}`, "bbbbbb a+b"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, problems := jekyllExpand(t, settings, "", tt.in)
			if got != tt.want || len(problems) > 0 {
				t.Errorf("got %q (problems %v), want %q", got, problems, tt.want)
			}
		})
	}
}

func TestSiteAndPageVariables(t *testing.T) {
	t.Parallel()
	settings := map[string]any{"repository": "ana/notes", "url": "https://x.example", "baseurl": "/blog",
		"social": map[string]any{"links": []any{"https://a.example", "https://b.example"}}, "empty": nil}
	fm := "title: P\ngallery:\n  - image_path: /a.png\n    alt: A\nseries: {name: S}\n"
	tests := []struct {
		in, want string
		problems int
	}{
		{"{{ site.repository }}/pull/1944", "ana/notes/pull/1944", 0},
		{"{{ site.social.links[1] }} {{ site.social.links.size }} {{ site.social.links.first }}", "https://b.example 2 https://a.example", 0},
		{"[{{ site.empty }}]", "[]", 0},
		{"{{ page.gallery[0].alt }} {{ page.series.name }} {{ page.title }} {{ page.slug }} {{ page.url }}", "A S P p /p", 0},
		{"{{ page.tags | join: ',' }} {{ page.path }} {{ jekyll.environment }}", "a,b _posts/2008-11-07-p.md production", 0},
		// Jekyll's site shows an address in a link as the blog's root path.
		{"[a]({{ site.url }}{{ site.baseurl }}/x/) ![b]({{ '/y.png' | relative_url }}) <img src=\"{{ '/z.png' | absolute_url }}\"> {{ site.url }}{{ site.baseurl }}/w",
			"[a](/x/) ![b](/y.png) <img src=\"/z.png\"> https://x.example/blog/w", 0},
		{"[{{ site.repo }}] [{{ page.gallery[3].alt }}] [{{ site.social.links.nope }}]", "[] [] []", 3},
		{"{{ site.posts | size }} {{ page.next.url }} {{ paginator.page }}",
			"{{ site.posts | size }} {{ page.next.url }} {{ paginator.page }}", 3},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, problems := jekyllExpand(t, settings, fm, tt.in)
			if got != tt.want || len(problems) != tt.problems {
				t.Errorf("got %q (problems %v), want %q and %d problems", got, problems, tt.want, tt.problems)
			}
		})
	}
}

func TestLeadingPath(t *testing.T) {
	t.Parallel()
	tests := []struct{ expr, ref, rest string }{
		{"site.url", "site.url", ""},
		{"page.gallery[0].alt | upcase", "page.gallery.0.alt", " | upcase"},
		{`site["my key"].x`, "site.my key.x", ""},
		{"site.data[page.lang].title", "site.data", ""},
		{`"text" | upcase`, "", `"text" | upcase`},
		{"(1..3)", "", "(1..3)"},
		{"true", "", "true"},
		{"notice-2 | markdownify", "notice-2", " | markdownify"},
	}
	for _, tt := range tests {
		ref, rest := leadingPath(tt.expr)
		if ref != tt.ref || rest != tt.rest {
			t.Errorf("leadingPath(%q) = %q, %q; want %q, %q", tt.expr, ref, rest, tt.ref, tt.rest)
		}
	}
}
