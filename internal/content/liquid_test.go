package content

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// kindsOf are the sentinels of problems, in order.
func kindsOf(problems []Problem) []error {
	out := make([]error, len(problems))
	for i, p := range problems {
		out[i] = errors.Unwrap(p.Err)
	}
	return out
}

func TestExpandTemplatesPlainFolder(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
		problems       []error
	}{
		{"none", "plain *text*", "plain *text*", nil},
		{"highlight", "a\n{% highlight ruby %}\nputs `ls`\n{% endhighlight %}\nb",
			"a\n```ruby\nputs `ls`\n```\n\nb", nil},
		{"highlight linenos", "{% highlight ruby linenos %}\n" + strings.Repeat("x\n", 8) + "\nx\n{% endhighlight %}",
			"```ruby\n 1 │ x\n 2 │ x\n 3 │ x\n 4 │ x\n 5 │ x\n 6 │ x\n 7 │ x\n 8 │ x\n 9 │\n10 │ x\n```\n", nil},
		{"highlight mid-line", "see {% highlight go %}x{% endhighlight %}", "see \n```go\nx\n```\n", nil},
		{"highlight holding a fence", "{% highlight md %}\n```\nx\n```\n{% endhighlight %}",
			"````md\n```\nx\n```\n````\n", nil},
		{"raw", "{% raw %}{{ x }} {% if %}{% endraw %}", "{{ x }} {% if %}", nil},
		{"raw in a fence", "```\n{% raw %}{% if x %}{% endraw %}\n```\n", "```\n{% if x %}\n```\n", nil},
		{"code keeps tags", "`{% if x %}` and\n```\n{{ y }}\n```\n", "`{% if x %}` and\n```\n{{ y }}\n```\n", nil},
		{"post_url", "[a]({% post_url 2010-07-21-my-trip %})", "[a](/my-trip)", nil},
		{"link", "[a]({% link _posts/2016-07-26-name.md %})", "[a](/name)", nil},
		{"site defaults", "![x]({{ site.baseurl }}/img.png){{ site.url }}", "![x](/img.png)", nil},
		{"comment", "a{% comment %}secret {% foo %}{% endcomment %}b", "ab", nil},
		{"assign and filters", `{% assign n = "Ada Lovelace" | split: " " %}{{ n | first | upcase }} {{ n | size }}`, "ADA 2", nil},
		{"capture", "{% capture c %}*{{ 1 | plus: 2 }}*{% endcapture %}[{{ c }}]", "[*3*]", nil},
		{"for and if", "{% for i in (1..4) %}{% if i == 2 %}two{% elsif i > 3 %}big{% else %}{{ i }}{% endif %},{% endfor %}", "1,two,3,big,", nil},
		{"counters", "{% increment n %}{% increment n %}{% decrement n %}{% decrement m %}{% assign n = 9 %}{% increment n %}{{ n }}", "011-119", nil},
		{"unless and case", "{% unless false %}u{% endunless %}{% case 2 %}{% when 1 %}one{% when 2 %}two{% endcase %}", "utwo", nil},
		{"page variables", "{{ page.title }} {{ page.slug }} {{ page.date | date: \"%Y\" }}", "P p 2020", nil},
		{"undefined variable", "a{{ site.repository }}/pull/1 {{ nope }}", "a/pull/1 ",
			[]error{ErrUndefinedVariable, ErrUndefinedVariable}},
		{"guarded variable", "{% if page.next %}{{ page.next.url }}{% endif %}x", "x", nil},
		{"default filter", `{{ page.teaser | default: "none" }}`, "none", nil},
		{"build-only variable", "{{ site.time | date: '%Y' }}", "{{ site.time | date: '%Y' }}", []error{ErrUndefinedVariable}},
		{"unknown tags", "a {% foo bar %} b {%- gist_thing -%}{% octicon x %}c{% endocticon %}", "a  bc",
			[]error{ErrUnknownTag, ErrUnknownTag, ErrUnknownTag}},
		{"unknown filter", `{{ "x" | fancy: 2 | upcase }}`, "X", []error{ErrUnknownFilter}},
		{"unknown include", "a {% include x.html %} b", "a  b", []error{ErrUnknownTag}},
		{"toc include", "{% include toc icon=\"gears\" %}", "", nil},
		{"syntax error", "a {% if x %}\n\nb {{ 'c' }}", "a {% if x %}\n\nb c", []error{ErrLiquid}},
		{"syntax errors on two lines", "{{ 'a' | }}\n{% for %}{% endfor %} {{ 'b' }}\n{{ 'c' }}", "{{ 'a' | }}\n{% for %}{% endfor %} {{ 'b' }}\nc",
			[]error{ErrLiquid, ErrLiquid}},
		{"syntax error keeps raw out", "{% raw %}{{ x }}{% endraw %} {{ 'a' | }}", "{{ x }} {{ 'a' | }}", []error{ErrLiquid}},
		{"hugo figure", `{{< figure src="/a.png" alt="A" caption="The A" >}}`, "![A](</a.png>)\n\n*The A*", nil},
		{"escaped shortcode", `{{</* figure src="x" */>}}`, `{{< figure src="x" >}}`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := parseString("2020-01-02-p.md", "---\ntitle: P\n---\n"+tt.in)
			if res.post == nil {
				t.Fatalf("no post: %v", res.problems)
			}
			if res.post.Body != tt.want {
				t.Errorf("got  %q\nwant %q", res.post.Body, tt.want)
			}
			if got := kindsOf(res.problems); !slices.Equal(got, tt.problems) {
				t.Errorf("problems %v, want kinds %v", res.problems, tt.problems)
			}
		})
	}
}

func TestUnknownTagIsAProblemWithItsLine(t *testing.T) {
	t.Parallel()
	res := parsePost(source{path: "p.md", data: []byte("---\ntitle: T\n---\n\nline one\n{% include x.html %}\n{{ a | nofilter }}\n```\ncode\n```\n")})
	if res.post == nil {
		t.Fatalf("no post: %v", res.problems)
	}
	want := []struct {
		kind error
		line int
	}{{ErrUnknownTag, 6}, {ErrUnknownFilter, 7}, {ErrUndefinedVariable, 7}}
	if len(res.problems) != len(want) {
		t.Fatalf("problems %+v, want %v", res.problems, want)
	}
	for i, w := range want {
		if p := res.problems[i]; !errors.Is(p.Err, w.kind) || p.Line != w.line {
			t.Errorf("problem %d: %s on line %d, want %v on line %d", i, p.Reason, p.Line, w.kind, w.line)
		}
	}
	if !strings.Contains(string(res.post.Raw), "{% include x.html %}") {
		t.Error("Raw lost the tag: read --raw must show the file as written")
	}
}

func TestLiquidLinesAfterCodeAndMultilineTags(t *testing.T) {
	t.Parallel()
	// Code taken out while Liquid runs keeps its lines; so does a filter
	// left out of an output that spans lines.
	body := "```\n{{ a }}\n\n```\n{% assign x = 'x' |\n  nofilter %}{{ x }}\n`{{ b }}`\n{% nope %}"
	res := parseString("p.md", "---\ntitle: T\n---\n"+body)
	var lines []int
	for _, p := range res.problems {
		lines = append(lines, p.Line)
	}
	if !slices.Equal(lines, []int{8, 11}) {
		t.Errorf("problem lines %v (%v), want [8 11]", lines, res.problems)
	}
	if want := "```\n{{ a }}\n\n```\nx\n`{{ b }}`\n"; res.post.Body != want {
		t.Errorf("body %q, want %q", res.post.Body, want)
	}
}

func TestLiquidSyntaxErrorShowsThePostAsWritten(t *testing.T) {
	t.Parallel()
	// Jekyll's default error mode warns and goes on: the line the engine
	// names shows as written, the rest runs.
	res := parseString("p.md", "---\ntitle: T\n---\nSome text.\n\n{{ page.title }} {% for x in %}\n{% raw %}{{ kept }}{% endraw %} {{ page.title }}\n")
	if want := "Some text.\n\n{{ page.title }} {% for x in %}\n{{ kept }} T\n"; res.post == nil || res.post.Body != want {
		t.Fatalf("post %+v, want body %q", res.post, want)
	}
	if len(res.problems) != 1 || !errors.Is(res.problems[0].Err, ErrLiquid) || res.problems[0].Line != 6 {
		t.Errorf("problems %v, want one template error on line 6", res.problems)
	}
	// Past maxLaxRetries lines, or an error on no line of the post, the
	// whole post shows as written.
	body := strings.Repeat("{% if %}\n", maxLaxRetries+1) + "{{ page.title }}"
	res = parseString("p.md", "---\ntitle: T\n---\n"+body)
	if res.post == nil || res.post.Body != body {
		t.Fatalf("post %+v, want the body as written", res.post)
	}
	if len(res.problems) != 1 || !errors.Is(res.problems[0].Err, ErrLiquid) {
		t.Errorf("problems %v, want one template error", res.problems)
	}
}

func TestRenderWithLiquidFalse(t *testing.T) {
	t.Parallel()
	res := parseString("p.md", "---\ntitle: T\nrender_with_liquid: false\n---\n{{ page.title }} {% if %}")
	if res.post.Body != "{{ page.title }} {% if %}" || len(res.problems) != 0 {
		t.Errorf("body %q, problems %v", res.post.Body, res.problems)
	}
}
