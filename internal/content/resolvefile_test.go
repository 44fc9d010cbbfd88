package content

import "testing"

func TestResolveFile(t *testing.T) {
	t.Parallel()
	single := &Post{Path: "2024/my-post.md"}
	bundle := &Post{Path: "my-trip/index.md", Bundle: "my-trip"}
	for _, tc := range []struct {
		p        *Post
		ref, rel string
		root, ok bool
	}{
		{bundle, "pic.png", "my-trip/pic.png", false, true},
		{bundle, "./img/a%20b.png?w=2#x", "my-trip/img/a b.png", false, true},
		{single, "../top.png", "top.png", false, true},
		{single, "/images/caos.png", "images/caos.png", true, true},
		{single, "/../../etc/passwd", "etc/passwd", true, true}, // cleaned; the confined reader decides
		{single, "../../outside.png", "", false, false},
		{single, "https://example.com/x.png", "", false, false},
		{single, "//cdn.example.com/x.png", "", false, false},
		{single, "#top", "", false, false},
		{single, "", "", false, false},
		{single, "/", "", true, false},
	} {
		rel, root, ok := tc.p.ResolveFile(tc.ref)
		if rel != tc.rel || root != tc.root || ok != tc.ok {
			t.Errorf("ResolveFile(%q) from %s = %q, %v, %v; want %q, %v, %v", tc.ref, tc.p.Path, rel, root, ok, tc.rel, tc.root, tc.ok)
		}
	}
}
