package content

import (
	"maps"
	"strings"
	"testing"
)

func TestSlugify(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Hello World", "hello-world"},
		{"  --Hello,   World!!--  ", "hello-world"},
		{"Ça va, Zoë? Straße & Æsir", "ca-va-zoe-strasse-aesir"},
		{"e\u0301te\u0301", "ete"},
		{"Go 1.26 release", "go-1-26-release"},
		{"llm_router", "llm-router"},
		{"日本語", ""},
		{"Привет мир", ""},
		{"", ""},
		{strings.Repeat("word ", 40), strings.TrimSuffix(strings.Repeat("word-", 16), "-")},
	}
	for _, tt := range tests {
		if got := slugify(tt.in); got != tt.want {
			t.Errorf("slugify(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestUniqueSlugs(t *testing.T) {
	tests := []struct {
		name   string
		claims []slugClaim
		want   map[string]string
	}{
		{"distinct", []slugClaim{{"a", "x"}, {"b", "y"}}, map[string]string{"a": "x", "b": "y"}},
		{"collision", []slugClaim{{"old", "x"}, {"new", "x"}}, map[string]string{"old": "x", "new": "x-2"}},
		{"three", []slugClaim{{"a", "x"}, {"b", "x"}, {"c", "x"}}, map[string]string{"a": "x", "b": "x-2", "c": "x-3"}},
		{"suffix owned by a real post", []slugClaim{{"a", "x"}, {"b", "x"}, {"c", "x-2"}}, map[string]string{"a": "x", "b": "x-3", "c": "x-2"}},
	}
	for _, tt := range tests {
		if got := uniqueSlugs(tt.claims); !maps.Equal(got, tt.want) {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestReadableName(t *testing.T) {
	for in, want := range map[string]string{"my-first_post": "My first post", "ça": "Ça", "": "", "--": ""} {
		if got := readableName(in); got != want {
			t.Errorf("readableName(%q) = %q, want %q", in, got, want)
		}
	}
}
