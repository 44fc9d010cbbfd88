package content

import "testing"

func TestHugoSiteMath(t *testing.T) {
	tests := []struct {
		name, file, text string
		math             bool
	}{
		{"passthrough (Hextra)", "hugo.yaml", "markup:\n  goldmark:\n    extensions:\n      passthrough:\n        delimiters:\n          inline: [['\\(', '\\)']]\n        enable: true\n", true},
		{"passthrough off", "hugo.toml", "[markup.goldmark.extensions.passthrough]\nenable = false\n", false},
		{"params.math", "config.toml", "[params]\nmath = true\n", true},
		{"params.katex, any case", "hugo.yaml", "Params:\n  KaTeX: true\n", true},
		{"Stack's article.math", "hugo.toml", "[params.article]\nmath = true\n", true},
		{"math = false", "hugo.toml", "[params]\nmath = false\n", false},
		{"none", "hugo.toml", "title = 'x'\n", false},
		{"a Jekyll site is not asked", "_config.yml", "params:\n  math: true\n", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kind := "hugo"
			if tt.file == "_config.yml" {
				kind = "jekyll"
			}
			s, err := parseSite(kind, tt.file, []byte(tt.text))
			if err != nil {
				t.Fatal(err)
			}
			if s.Math != tt.math {
				t.Errorf("Math %v, want %v", s.Math, tt.math)
			}
		})
	}
}
