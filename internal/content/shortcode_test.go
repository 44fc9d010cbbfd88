package content

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
)

type shortcodeCase struct {
	name, in, want string
	unknown        []string // the unknown shortcodes reported
}

// checkShortcodes runs expandShortcodes over each case with page.
func checkShortcodes(t *testing.T, tests []shortcodeCase, page func() *hugoPage) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, unknown := expandShortcodes(tt.in, 1, page())
			if got != tt.want {
				t.Errorf("expanding\n%s\ngot\n%s\nwant\n%s\n(%q)", tt.in, got, tt.want, got)
			}
			names := slices.Sorted(maps.Keys(unknown))
			if !slices.Equal(names, slices.Sorted(slices.Values(tt.unknown))) {
				t.Errorf("unknown %v, want %v", names, tt.unknown)
			}
		})
	}
}

func noPage() *hugoPage { return &hugoPage{} }

func TestEmbedShortcodes(t *testing.T) {
	checkShortcodes(t, []shortcodeCase{
		{"youtube", "{{< youtube ZJthWmvUzzc >}}", "▶ YouTube: ZJthWmvUzzc · <https://youtu.be/ZJthWmvUzzc>", nil},
		{"youtube named, a title and a start", `{{< youtube id="w7Ft2ymGmfc" title="A *New* Hugo" start=30 >}}`,
			`▶ YouTube: A \*New\* Hugo · <https://youtu.be/w7Ft2ymGmfc?t=30>`, nil},
		{"youtube_simple", "{{< youtube_simple dQw4w9WgXcQ >}}", "▶ YouTube: dQw4w9WgXcQ · <https://youtu.be/dQw4w9WgXcQ>", nil},
		{"youtube without an id", "a{{< youtube >}}b", "ab", nil},
		{"vimeo", "{{< vimeo 146022717 >}}", "▶ Vimeo: 146022717 · <https://vimeo.com/146022717>", nil},
		{"vimeo_simple with a title", `{{< vimeo_simple id="55073825" title="Sunrise" >}}`, "▶ Vimeo: Sunrise · <https://vimeo.com/55073825>", nil},
		{"x", `{{< x user="SanDiegoZoo" id="1453110110599868418" >}}`,
			"▶ Post on X: @SanDiegoZoo · <https://x.com/SanDiegoZoo/status/1453110110599868418>", nil},
		{"twitter positional", "{{< twitter GoHugoIO 1305090583917203457 >}}",
			"▶ Post on X: @GoHugoIO · <https://x.com/GoHugoIO/status/1305090583917203457>", nil},
		{"tweet, the id alone", "{{< tweet 877500564405444608 >}}", "▶ Post on X: 877500564405444608 · <https://x.com/i/status/877500564405444608>", nil},
		{"twitter_simple and x_simple", `{{< twitter_simple user="a" id="1" >}} {{< x_simple user="b" id="2" >}}`,
			"▶ Post on X: @a · <https://x.com/a/status/1> ▶ Post on X: @b · <https://x.com/b/status/2>", nil},
		{"gist", "{{< gist spf13 7896402 >}}", "▶ Gist: spf13/7896402 · <https://gist.github.com/spf13/7896402>", nil},
		{"gist with a file", `{{< gist user="jmooring" id="23932424365401ffa5e9d9810102a477" file="hugo.toml" >}}`,
			"▶ Gist: jmooring/23932424365401ffa5e9d9810102a477, hugo.toml · <https://gist.github.com/jmooring/23932424365401ffa5e9d9810102a477#file-hugo-toml>", nil},
		{"instagram", "{{< instagram CxOWiQNP2MO >}}", "▶ Instagram: CxOWiQNP2MO · <https://www.instagram.com/p/CxOWiQNP2MO/>", nil},
		{"instagram_simple", `{{< instagram_simple id="BWNjjyYFxVx" hidecaption >}}`, "▶ Instagram: BWNjjyYFxVx · <https://www.instagram.com/p/BWNjjyYFxVx/>", nil},
		{"an id is escaped in the address", `{{< youtube "a b>c" >}}`, "▶ YouTube: a b\\>c · <https://youtu.be/a%20b%3Ec>", nil},
		{"video, a page resource", `{{< video src="clips/launch.mp4" >}}`, "▶ Video: [launch.mp4](<clips/launch.mp4>)", nil},
		{"audio with a caption", `{{< audio src="https://example.org/a.ogg" caption="Lift-off" >}}`, "▶ Audio: Lift-off · <https://example.org/a.ogg>", nil},
		{"bilibili", `{{< bilibili "BV1634y1t7xR" >}}`, "▶ Bilibili: BV1634y1t7xR · <https://www.bilibili.com/video/BV1634y1t7xR/>", nil},
		{"pdf", `{{< pdf "https://example.org/docs/a.pdf" >}}`, "▶ PDF: a.pdf · <https://example.org/docs/a.pdf>", nil},
		{"asciinema cast", "{{< asciinema\n  cast=\"demo.cast\"\n  loop=true >}}", "▶ Recording: [demo.cast](<demo.cast>)", nil},
	}, noPage)
}

func TestHugoBuiltinShortcodes(t *testing.T) {
	checkShortcodes(t, []shortcodeCase{
		{"figure", `{{< figure src="/a.png" alt="A" caption="The A" >}}`, "![A](</a.png>)\n\n*The A*", nil},
		{"figure linked, with a credit", `{{< figure src="b.jpg" title="Bee" link="https://bees.example" attr="Ann" attrlink="https://ann.example" >}}`,
			"[![Bee](<b.jpg>)](<https://bees.example>)\n\n*[Ann](<https://ann.example>)*", nil},
		{"figure in a paragraph", `Look: {{< figure src="/a.png" >}} there.`, "Look: \n\n![](</a.png>)\n\n there.", nil},
		{"highlight", "{{< highlight go >}}\nx := 1\n{{< /highlight >}}", "```go\nx := 1\n```", nil},
		{"highlight with line numbers", "{{< highlight go \"linenos=table\" >}}\na\nb\n{{< / highlight >}}", "```go\n1 │ a\n2 │ b\n```", nil},
		{"line numbers from linenostart, right-aligned", "{{< highlight py \"linenos=inline,hl_lines=2,linenostart=9\" >}}\na\nb\nc\n{{< /highlight >}}",
			"```py\n 9 │ a\n10 │ b\n11 │ c\n```", nil},
		{"a blank line keeps no trailing blank", "{{< highlight go \"linenos=true\" >}}\na\n\nb\n{{< /highlight >}}", "```go\n1 │ a\n2 │\n3 │ b\n```", nil},
		{"linenos=false numbers nothing", "{{< highlight sh \"linenos=false\" >}}\nls\n{{< /highlight >}}", "```sh\nls\n```", nil},
		{"highlight holding a fence", "{{< highlight md >}}\n```\nx\n```\n{{< /highlight >}}", "````md\n```\nx\n```\n````", nil},
		{"highlight keeps tags, shows escaped ones", "{{< highlight go-html-template >}}\n{{ .Title }} {{< x >}} {{</* y */>}}\n{{< /highlight >}}",
			"```go-html-template\n{{ .Title }} {{< x >}} {% raw %}{{< y >}}{% endraw %}\n```", nil},
		{"ref and relref", `[o]({{< ref "posts/trip/index.md#day-2" >}}) [p]({{% relref path="other.md" %}})`, "[o](/trip#day-2) [p](/other)", nil},
		{"relRef in another case", `[q]({{< relRef "third" >}})`, "[q](/third)", nil},
		{"details", "{{< details summary=\"See the details\" >}}\nThe *answer*.\n{{< /details >}}", "**See the details**\n\nThe *answer*.", nil},
		{"details with a positional title", "{{% details \"Why?\" open %}}\nBecause.\n{{% /details %}}", "**Why?**\n\nBecause.", nil},
		{"details without a title", "{{< details >}}x{{< /details >}}", "**Details**\n\nx", nil},
		{"comment goes, content and all", "a {{< comment >}}{{< secret >}} notes{{< /comment >}}b", "a b", nil},
		{"qr", `{{< qr text="https://gohugo.io" />}}`, "QR code: <https://gohugo.io>", nil},
	}, noPage)
}

func TestThemeShortcodes(t *testing.T) {
	checkShortcodes(t, []shortcodeCase{
		{"tabs (Hugo Book)", "{{< tabs >}}\n\n{{% tab \"macOS\" %}}\n```shell\nbrew install hugo\n```\n{{% /tab %}}\n\n{{% tab \"Linux\" %}}\nsnap\n{{% /tab %}}\n\n{{< /tabs >}}",
			"**macOS**\n\n```shell\nbrew install hugo\n```\n\n**Linux**\n\nsnap", nil},
		{"tabs (Hextra), indented", "{{< tabs >}}\n  {{< tab name=\"JSON\" >}}\n  ```json\n  {}\n  ```\n  {{< /tab >}}\n  {{< tab name=\"YAML\" >}}**YAML** it is.{{< /tab >}}\n{{< /tabs >}}",
			"**JSON**\n\n```json\n{}\n```\n\n**YAML**\n\n**YAML** it is.", nil},
		{"tabs naming its tabs from items", "{{< tabs items=\"A,B\" >}}\n{{< tab >}}one{{< /tab >}}\n{{< tab >}}two{{< /tab >}}\n{{< /tabs >}}",
			"**A**\n\none\n\n**B**\n\ntwo", nil},
		{"hint", "{{% hint info %}}\n**Info**  \nRead this.\n{{% /hint %}}", "> [!NOTE]\n> **Info**  \n> Read this.", nil},
		{"hint kinds", "{{% hint success %}}a{{% /hint %}}\n\n{{% hint warning %}}b{{% /hint %}}\n\n{{% hint danger %}}c{{% /hint %}}",
			"> [!TIP]\n> a\n\n> [!WARNING]\n> b\n\n> [!CAUTION]\n> c", nil},
		{"notice", "{{% notice tip %}}\nA tip\n{{% /notice %}}", "> [!TIP]\n> A tip", nil},
		{"notice with a title", "{{% notice style=\"warning\" title=\"Careful\" %}}\nHot.\n{{% /notice %}}", "> [!WARNING]\n> **Careful**\n>\n> Hot.", nil},
		{"callout", "{{< callout type=\"error\" >}}\n  A **callout**.\n{{< /callout >}}", "> [!CAUTION]\n> A **callout**.", nil},
		{"callout of no type", "{{< callout emoji=\"👾\" >}}x{{< /callout >}}", "> [!NOTE]\n> x", nil},
		{"alert (Docsy)", "{{% alert title=\"Heads up\" color=\"primary\" %}}\nSee.\n{{% /alert %}}", "> [!NOTE]\n> **Heads up**\n>\n> See.", nil},
		{"admonition (LoveIt)", "{{< admonition tip \"Try it\" >}}\nNow.\n{{< /admonition >}}", "> [!TIP]\n> **Try it**\n>\n> Now.", nil},
		{"an empty callout is nothing", "a\n{{< callout >}}{{< /callout >}}\nb", "a\n\nb", nil},
		{"columns (Hugo Book, old)", "{{< columns >}}\n## Left\nl\n<--->\n## Right\nr\n{{< /columns >}}", "## Left\nl\n\n## Right\nr", nil},
		{"columns of a list", "{{% columns %}}\n- ### One\n  a\n- ### Two\n  b\n{{% /columns %}}", "- ### One\n  a\n- ### Two\n  b", nil},
		{"steps", "{{% steps %}}\n\n### Step 1\n\nDo.\n\n{{% /steps %}}", "### Step 1\n\nDo.", nil},
		{"button", `{{< button href="https://example.org" >}}Get it{{< /button >}}`, "[Get it](<https://example.org>)", nil},
		{"button to a post", `{{< button relref="/docs/intro" >}}Start{{< /button >}}`, "[Start](</intro>)", nil},
		{"button without an address", `{{% button %}}Plain{{% /button %}}`, "Plain", nil},
		{"expand", "{{%expand%}}Lorem.{{% /expand%}}", "**Expand me...**\n\nLorem.", nil},
		{"expand with a title", "{{%expand \"Does it?\" %}}Yes !{{% /expand%}}", "**Does it?**\n\nYes !", nil},
		{"collapse with a styled summary", "{{< collapse summary=\"**Method 1**\" >}}\nGit.\n{{< /collapse >}}", "**Method 1**\n\nGit.", nil},
		{"mermaid", "{{<mermaid align=\"left\">}}\ngraph LR;\n    A --> B\n{{< /mermaid >}}", "```mermaid\ngraph LR;\n    A --> B\n```", nil},
		{"cards", "{{< cards >}}\n  {{< card link=\"../callout\" title=\"Callout\" icon=\"warning\" >}}\n  {{< card link=\"/\" title=\"Home\" subtitle=\"Start *here*\" >}}\n{{< /cards >}}",
			"- [Callout](<../callout>)\n- [Home](</>): Start \\*here\\*", nil},
		{"quote", "{{< quote author=\"A person\" source=\"Their book\" url=\"https://example.org/book\" >}}\nWords.\n{{< /quote >}}",
			"> Words.\n>\n> — A person, [Their book](<https://example.org/book>)", nil},
		{"filetree", "{{< filetree/container >}}\n  {{< filetree/folder name=\"content\" >}}\n    {{< filetree/file name=\"_index.md\" >}}\n    {{< filetree/folder name=\"docs\" state=\"closed\" >}}\n      {{< filetree/file name=\"intro.md\" >}}\n    {{< /filetree/folder >}}\n  {{< /filetree/folder >}}\n  {{< filetree/file name=\"hugo.toml\" >}}\n{{< /filetree/container >}}",
			"- content/\n  - \\_index.md\n  - docs/\n    - intro.md\n- hugo.toml", nil},
		{"badge and icon", `{{< badge "new" >}} {{< badge content="Releases" link="https://example.org/r" icon="github" >}} {{< icon "github" >}}`,
			"new [Releases](<https://example.org/r>) ", nil},
		{"image (Hugo Book)", `{{< image src="chart.svg" alt="A chart" title="Click to expand" loading="lazy" >}}`, "![A chart](<chart.svg>)\n\n*Click to expand*", nil},
		{"inTextImg (PaperMod)", `Install {{< inTextImg url="https://example.org/logo.png" height="14" >}} first.`, "Install ![](<https://example.org/logo.png>) first.", nil},
		{"new-feature (Hextra)", `{{< new-feature version="v0.9.0" >}}`, "*New in v0.9.0*", nil},
		{"term", `A {{< term "static site generator" >}} builds.`, "A static site generator builds.", nil},
	}, noPage)
}

func TestMathShortcodes(t *testing.T) {
	tests := []struct {
		name, in, want string
		math           bool
	}{
		{"katex alone turns math on", "{{< katex />}}\n\nText.", "\n\nText.", true},
		{"katex inline, in a table cell", "| {{< katex >}}\\pi(x){{< /katex >}} |", `| \(\pi(x)\) |`, true},
		{"katex display", "{{< katex display=true >}}\nf(x) = \\int_{-\\infty}^\\infty g\n{{< /katex >}}",
			"$$\nf(x) = \\int_{-\\infty}^\\infty g\n$$", true},
		{"katex [display]", "{{< katex display >}}x^2{{< /katex >}}", "$$\nx^2\n$$", true},
		{"math holding its delimiters", "{{< math >}}$$a_1 + b_2$${{< /math >}}", "$$a_1 + b_2$$", true},
		{"math inline with its delimiters", "so {{< math >}}$x_i${{< /math >}} is", "so $x_i$ is", true},
		{"math without delimiters", "{{< math >}}x_i{{< /math >}}", `\(x_i\)`, true},
		{"math.inline (Hugo's example site)", "{{< math.inline >}}\n{{ if or .Page.Params.math .Site.Params.math }}\n<link rel=\"stylesheet\" href=\"k.css\">\n<script defer src=\"k.js\"></script>\n{{ end }}\n{{</ math.inline >}}\n\n{{< math.inline >}}\n<p>\nInline math: \\(\\varphi = 1.618\\)\n</p>\n{{</ math.inline >}}",
			"\n\nInline math: \\(\\varphi = 1.618\\)", true},
		{"css.inline is page styling: nothing", "a\n\n{{< css.inline >}}\n<style>\n.x { color: red }\n</style>\n{{< /css.inline >}}\n\nb", "a\n\n\n\nb", false},
		{"no math shortcode", "{{< youtube x >}}", "▶ YouTube: x · <https://youtu.be/x>", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page := &hugoPage{}
			got, unknown := expandShortcodes(tt.in, 1, page)
			if got != tt.want || len(unknown) != 0 {
				t.Errorf("got %q (unknown %v), want %q", got, unknown, tt.want)
			}
			if page.math != tt.math {
				t.Errorf("math %v, want %v", page.math, tt.math)
			}
		})
	}
}

func TestEscapedShortcodes(t *testing.T) {
	checkShortcodes(t, []shortcodeCase{
		{"escaped", `{{</* figure src="x" */>}}`, `{% raw %}{{< figure src="x" >}}{% endraw %}`, nil},
		{"escaped, markdown form", "{{%/* notice tip */%}}", "{% raw %}{{% notice tip %}}{% endraw %}", nil},
		{"escaped without blanks", "{{%/*expand*/%}}", "{% raw %}{{%expand%}}{% endraw %}", nil},
		{"escaped, blanks around the comment", "{{< /* tab */ >}}", "{% raw %}{{< tab >}}{% endraw %}", nil},
		{"escaped in a code span", "`{{</* katex >}}\\pi(x){{< /katex */>}}` | {{< katex >}}\\pi(x){{< /katex >}}",
			"`{% raw %}{{< katex >}}\\pi(x){{< /katex >}}{% endraw %}` | \\(\\pi(x)\\)", nil},
		{"escaped in a fence", "```tpl\n{{</* tabs */>}}\n{{%/* tab \"First\" */%}} Markdown {{%/* /tab */%}}\n{{</* /tabs */>}}\n```\n",
			"```tpl\n{% raw %}{{< tabs >}}{% endraw %}\n{% raw %}{{% tab \"First\" %}}{% endraw %} Markdown {% raw %}{{% /tab %}}{% endraw %}\n{% raw %}{{< /tabs >}}{% endraw %}\n```\n", nil},
		{"code keeps its shortcodes", "`{{< youtube x >}}`\n\n```\n{{< notice >}}\n```\n", "`{{< youtube x >}}`\n\n```\n{{< notice >}}\n```\n", nil},
		{"escaped over lines", "{{</* asciinema\n  cast=\"a.cast\" */>}}", "{% raw %}{{< asciinema\n  cast=\"a.cast\" >}}{% endraw %}", nil},
	}, noPage)
}

func TestUnknownShortcodes(t *testing.T) {
	checkShortcodes(t, []shortcodeCase{
		{"a pair keeps its content", "{{< fancy >}}kept{{< /fancy >}} and {{% plain %}}", "kept and ", []string{"{{< fancy >}}", "{{< plain >}}"}},
		{"once per name", "{{< sparkle \"a\" >}} {{< sparkle \"b\" >}}", " ", []string{"{{< sparkle >}}"}},
		{"inside a known pair", "{{< tabs >}}\n{{< tab \"T\" >}}{{< sparkle \"new\" >}} text{{< /tab >}}\n{{< /tabs >}}", "**T**\n\ntext", []string{"{{< sparkle >}}"}},
		{"its content expanded", "{{< box >}}\n{{< youtube x >}}\n{{< /box >}}", "\n▶ YouTube: x · <https://youtu.be/x>\n", []string{"{{< box >}}"}},
		{"a name with a folder", "{{< charts/bar >}}\n", "\n", []string{"{{< charts/bar >}}"}},
	}, noPage)
}

func TestShortcodeShapes(t *testing.T) {
	checkShortcodes(t, []shortcodeCase{
		{"a block set off from the text around it", "Before\n{{% notice note %}}\nIn.\n{{% /notice %}}\nAfter",
			"Before\n\n> [!NOTE]\n> In.\n\nAfter", nil},
		{"text after the closing tag", "{{% hint %}}In.{{% /hint %}} After", "> [!NOTE]\n> In.\n\n After", nil},
		{"a block in a list item", "1. Step\n   {{< hint warning >}}\n   Careful.\n   {{< /hint >}}\n2. Next",
			"1. Step\n   \n   > [!WARNING]\n   > Careful.\n\n2. Next", nil},
		{"a block in a block quote", "> {{< details \"More\" >}}\n> Hidden.\n> {{< /details >}}\n\nOut",
			"> **More**\n>\n> Hidden.\n\nOut", nil},
		{"quoted tag, content indented (PaperMod)", "1. Get it\n\n   > {{< collapse summary=\"Git\" >}}\n\n   Clone.\n\n   {{< /collapse >}}\n\n2. Done",
			"1. Get it\n\n   > **Git**\n   >\n   > Clone.\n\n2. Done", nil},
		{"nested blocks", "{{< tabs >}}\n{{% tab \"One\" %}}\n{{% hint danger %}}\nHot.\n{{% /hint %}}\n{{% /tab %}}\n{{< /tabs >}}",
			"**One**\n\n> [!CAUTION]\n> Hot.", nil},
		{"an opener never closed is standalone", "{{< hint >}}\n{{< details \"D\" >}}body{{< /details >}}", "\n**D**\n\nbody", nil},
		{"a close with no opener goes", "a {{< /tab >}} b", "a  b", nil},
		{"a close pairs the nearest opener of its name", "{{< box >}}{{< tab \"A\" >}}x{{< /box >}}", "\n\n**A**\n\nx", []string{"{{< box >}}"}},
		{"not a tag across a blank line", "{{< youtube\n\nx >}}", "{{< youtube\n\nx >}}", nil},
		{"not a name", "{{< >}} {{<?x>}} {{% 'a' %}}", "{{< >}} {{<?x>}} {{% 'a' %}}", nil},
		{"a Go template is not a shortcode", "{{ .Title }} {{- x -}}", "{{ .Title }} {{- x -}}", nil},
	}, noPage)
}

func TestParamShortcode(t *testing.T) {
	yamlPage := func() *hugoPage {
		return &hugoPage{
			front: frontMatter{format: yamlFrontMatter, text: "title: T\nAccent: teal\nparams:\n  author:\n    name: Ana\ncount: 3\n"},
			site:  map[string]any{"params": map[string]any{"editURL": "https://x.example/edit/", "accent": "red"}},
		}
	}
	checkShortcodes(t, []shortcodeCase{
		{"a front matter field, any case", `{{< param "accent" >}}`, "teal", nil},
		{"the page wins over the site", `{{< param accent >}}`, "teal", nil},
		{"a front matter param, by path", `{{< param "author.name" >}}`, "Ana", nil},
		{"a number", `{{< param count >}}`, "3", nil},
		{"a site param", `{{% param "editurl" %}}`, "https://x.example/edit/", nil},
		{"siteparam reads the site alone", `{{% siteparam "accent" %}}`, "red", nil},
		{"missing", `a{{< param "nope" >}}b`, "ab", []string{`{{< param "nope" >}}`}},
	}, yamlPage)
	tomlPage := func() *hugoPage {
		return &hugoPage{front: frontMatter{format: tomlFrontMatter, text: "title = 'T'\n[params]\nmood = 'calm'\n"}}
	}
	checkShortcodes(t, []shortcodeCase{
		{"toml front matter", `{{< param mood >}}`, "calm", nil},
		{"no site", `{{< siteparam mood >}}`, "", []string{`{{< siteparam "mood" >}}`}},
	}, tomlPage)
}

func TestShortcodeProblemsNameTheirLine(t *testing.T) {
	res := parsePost(source{path: "p.md", data: []byte("---\ntitle: T\n---\n\nline one\n\n{{< fancy >}}\nkept\n{{< /fancy >}}\n{{< fancy >}}\n")})
	if res.post == nil || !strings.Contains(res.post.Body, "kept") || strings.Contains(res.post.Body, "fancy") {
		t.Fatalf("post %+v", res.post)
	}
	if len(res.problems) != 1 || res.problems[0].Line != 7 || !strings.Contains(res.problems[0].Reason, "{{< fancy >}}") {
		t.Fatalf("problems %+v, want one naming {{< fancy >}} on line 7", res.problems)
	}
}

func TestMathShortcodeTurnsThePostsMathOn(t *testing.T) {
	for _, tt := range []struct {
		body string
		math bool
	}{
		{"{{< katex >}}x{{< /katex >}}", true},
		{"{{< math.inline >}}<p>\\(x\\)</p>{{< /math.inline >}}", true},
		{"{{< youtube x >}} $x$", false},
	} {
		res := parsePost(source{path: "p.md", data: []byte("---\ntitle: T\n---\n" + tt.body + "\n")})
		if res.post == nil || res.post.Math != tt.math {
			t.Errorf("%q: math %v, want %v", tt.body, res.post != nil && res.post.Math, tt.math)
		}
	}
}

func TestShortcodesOnHostileInput(t *testing.T) {
	// Deep nesting stops at maxShortcodeDepth: the prefixes a callout puts
	// on its lines cannot multiply without bound.
	deep := strings.Repeat("{{% hint %}}", 5000) + "x" + strings.Repeat("{{% /hint %}}", 5000)
	got, _ := expandShortcodes(deep, 1, nil)
	if n := strings.Count(got, "[!NOTE]"); n != maxShortcodeDepth {
		t.Errorf("%d callouts, want %d", n, maxShortcodeDepth)
	}
	if len(got) > 100*len(deep) {
		t.Errorf("expansion of %d bytes grew to %d", len(deep), len(got))
	}
	// Openers that never close, and ends never found, stay text once
	// each (the searches for an end are memoised, so this is one scan).
	open := strings.Repeat("{{< a ", 50000)
	if got, _ := expandShortcodes(open, 1, nil); got != open {
		t.Error("openers without an end changed")
	}
	esc := strings.Repeat("{{</* a ", 50000)
	if got, _ := expandShortcodes(esc, 1, nil); got != esc {
		t.Error("escapes without an end changed")
	}
	var names strings.Builder
	for i := range 5000 {
		fmt.Fprintf(&names, "{{< made-up-%d >}}\n", i)
	}
	if _, unknown := expandShortcodes(names.String(), 1, nil); len(unknown) != maxUnknownShortcodes+1 {
		t.Errorf("%d names reported, want %d and one for the rest", len(unknown), maxUnknownShortcodes)
	} else if unknown["{{< made-up-31 >}}"] != 32 || unknown["{{< … >}} (more names)"] != 33 {
		t.Errorf("lines: %v", unknown)
	}
	unclosed := strings.Repeat("{{< fancy >}}", 50000)
	if got, unknown := expandShortcodes(unclosed, 1, nil); got != "" || len(unknown) != 1 {
		t.Errorf("unclosed openers: %d bytes left, unknown %v", len(got), unknown)
	}
}
