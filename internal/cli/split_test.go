package cli

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestSplit(t *testing.T) {
	tests := []struct {
		in      string
		want    []string
		wantErr error
	}{
		{in: "", want: nil},
		{in: "   \t\n ", want: nil},
		{in: "ls", want: []string{"ls"}},
		{in: "  read   my-post  --raw ", want: []string{"read", "my-post", "--raw"}},
		{in: "search 'two words'", want: []string{"search", "two words"}},
		{in: `search "two words"`, want: []string{"search", "two words"}},
		{in: `a'b'"c"d`, want: []string{"abcd"}},
		{in: `'' ""`, want: []string{"", ""}},
		{in: `x ''`, want: []string{"x", ""}},
		{in: `'it''s'`, want: []string{"its"}},
		{in: `"it's"`, want: []string{"it's"}},
		{in: `'say "hi"'`, want: []string{`say "hi"`}},
		{in: `'back\slash'`, want: []string{`back\slash`}},
		{in: `"a \" b"`, want: []string{`a " b`}},
		{in: `"\\ \$ \` + "`" + ` \n"`, want: []string{`\ $ ` + "`" + ` \n`}},
		{in: "\"line\\\ncontinued\"", want: []string{"linecontinued"}},
		{in: `two\ words`, want: []string{"two words"}},
		{in: `\'`, want: []string{"'"}},
		{in: "a\\\nb", want: []string{"ab"}},
		{in: `$HOME *.md ~ $(id) ; rm -rf / | cat`, want: []string{"$HOME", "*.md", "~", "$(id)", ";", "rm", "-rf", "/", "|", "cat"}},
		{in: `"$HOME" '$(id)'`, want: []string{"$HOME", "$(id)"}},
		{in: "read ../../etc/passwd", want: []string{"read", "../../etc/passwd"}},
		{in: "café 日本", want: []string{"café", "日本"}},
		{in: "bad\xffutf8", want: []string{"bad\xffutf8"}},
		{in: "a\rb", want: []string{"a", "b"}},
		{in: "'open", wantErr: ErrUnterminatedQuote},
		{in: `"open`, wantErr: ErrUnterminatedQuote},
		{in: `"open \"`, wantErr: ErrUnterminatedQuote},
		{in: `ls 'a' "b`, wantErr: ErrUnterminatedQuote},
		{in: `trailing\`, wantErr: ErrTrailingBackslash},
	}
	for _, tt := range tests {
		got, err := Split(tt.in)
		if tt.wantErr != nil {
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("Split(%q) error = %v, want %v", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("Split(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

// shellQuote quotes one argument so a POSIX shell (and Split) reads it back.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// FuzzSplit checks properties that must hold for every input: no panic;
// quoting what Split returned and splitting again gives the same arguments;
// and without quotes or backslashes, Split is plain whitespace splitting.
func FuzzSplit(f *testing.F) {
	for _, s := range []string{
		"", "ls", "read my-post --raw", `search "two words"`, `'it'\''s'`,
		`a'b'"c"`, `"\"\\\$"`, "x\\\ny", `'open`, `"open`, `end\`, "café\xff",
		`$(id) ; | & > <`, "\t\r\n", `""''`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		args, err := Split(s)
		if err != nil {
			if !errors.Is(err, ErrUnterminatedQuote) && !errors.Is(err, ErrTrailingBackslash) {
				t.Fatalf("Split(%q): unexpected error %v", s, err)
			}
			return
		}
		quoted := make([]string, len(args))
		for i, a := range args {
			quoted[i] = shellQuote(a)
		}
		again, err := Split(strings.Join(quoted, " "))
		if err != nil || !slices.Equal(again, args) {
			t.Fatalf("round trip of %q: %q -> %q, %v", s, args, again, err)
		}
		if !strings.ContainsAny(s, `'"\`) {
			want := strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(" \t\n\r", r) })
			if len(want) == 0 {
				want = nil
			}
			if !slices.Equal(args, want) {
				t.Fatalf("Split(%q) = %q, want fields %q", s, args, want)
			}
		}
	})
}
