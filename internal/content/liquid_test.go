package content

import (
	"errors"
	"strings"
	"testing"
)

func TestExpandTemplates(t *testing.T) {
	tests := []struct {
		name, in, want string
		unknown        []string
	}{
		{"none", "plain *text*", "plain *text*", nil},
		{"highlight", "a\n{% highlight ruby linenos %}\nputs `ls`\n{% endhighlight %}\nb",
			"a\n```ruby\nputs `ls`\n```\n\nb", nil},
		{"highlight holding a fence", "{% highlight md %}\n```\nx\n```\n{% endhighlight %}",
			"````md\n```\nx\n```\n````\n", nil},
		{"raw", "{% raw %}{{ x }} {% if %}{% endraw %}", "{{ x }} {% if %}", nil},
		{"raw in a fence", "```\n{% raw %}{% if x %}{% endraw %}\n```\n", "```\n{% if x %}\n```\n", nil},
		{"code keeps tags", "`{% if x %}` and\n```\n{{ y }}\n```\n", "`{% if x %}` and\n```\n{{ y }}\n```\n", nil},
		{"post_url", "[a]({% post_url 2010-07-21-my-trip %})", "[a](/my-trip)", nil},
		{"link", "[a]({% link _posts/2016-07-26-name.md %})", "[a](/name)", nil},
		{"output", "![x]({{ site.baseurl }}/img.png)", "![x](/img.png)", nil},
		{"comment", "a{% comment %}secret{% endcomment %}b", "ab", nil},
		{"unknown liquid", "a {% include x.html %} b {%- foo -%}", "a  b ", []string{"{% include %}", "{% foo %}"}},
		{"unclosed", "a {% if x\n\nb %}", "a {% if x\n\nb %}", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, unknown := expandTemplates(tt.in, 1, nil)
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			if len(unknown) != len(tt.unknown) {
				t.Errorf("unknown %v, want %v", unknown, tt.unknown)
			}
			for _, u := range tt.unknown {
				if _, ok := unknown[u]; !ok {
					t.Errorf("unknown %v lacks %s", unknown, u)
				}
			}
		})
	}
}

func TestUnknownTagIsAProblemWithItsLine(t *testing.T) {
	res := parsePost(source{path: "p.md", data: []byte("---\ntitle: T\n---\n\nline one\n{% include x.html %}\n")})
	if res.post == nil || strings.Contains(res.post.Body, "{%") {
		t.Fatalf("post %+v", res.post)
	}
	if len(res.problems) != 1 || !errors.Is(res.problems[0].Err, ErrUnknownTag) || res.problems[0].Line != 6 {
		t.Fatalf("problems %+v, want one ErrUnknownTag on line 6", res.problems)
	}
	if !strings.Contains(string(res.post.Raw), "{% include x.html %}") {
		t.Error("Raw lost the tag: read --raw must show the file as written")
	}
}
