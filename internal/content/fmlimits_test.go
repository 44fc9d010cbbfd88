package content

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

// billionLaughs is a YAML front matter whose last lines stand for 9^9 tags
// built from nine-item lists of aliases; the list first standing for over
// 10,000 values is e's, on line 7.
func billionLaughs() string {
	s := "---\ntitle: lol\na: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
	prev := "a"
	for _, c := range "bcdefghi" {
		s += fmt.Sprintf("%c: &%c [%s]\n", c, c, strings.TrimSuffix(strings.Repeat("*"+prev+", ", 9), ", "))
		prev = string(c)
	}
	return s + "tags: *i\n---\nbody\n"
}

// numbered is "prefix0, prefix1, …" with n items.
func numbered(prefix string, n int) string {
	items := make([]string, n)
	for i := range items {
		items[i] = fmt.Sprintf("%s%d", prefix, i)
	}
	return strings.Join(items, ", ")
}

// quoted is `"prefix0", "prefix1", …` with n items.
func quoted(prefix string, n int) string {
	return `"` + strings.ReplaceAll(numbered(prefix, n), ", ", `", "`) + `"`
}

// lineOfByte is the file line holding src[i].
func lineOfByte(src string, i int) int { return 1 + strings.Count(src[:i], "\n") }

// nestedMaps is a YAML block of n maps, each the only value of the last.
func nestedMaps(n int) string {
	var b strings.Builder
	for i := range n - 1 {
		b.WriteString(strings.Repeat("  ", i) + "a:\n")
	}
	return b.String() + strings.Repeat("  ", n-1) + "a: x\n"
}

// bigNotes is a YAML field of about n bytes over lines of 64 bytes.
func bigNotes(n int) string {
	return "notes: |\n" + strings.Repeat("  "+strings.Repeat("x", 61)+"\n", n/64)
}

// Every front matter cap, YAML and TOML, refuses the post at the line that
// passes it; the loader and the publish check share this parse.
func TestFrontMatterBombsAreRefusedAtTheirLine(t *testing.T) {
	bigYAML := "---\ntitle: x\n" + bigNotes(70<<10) + "---\nbody\n"
	bigTOML := "+++\ntitle = \"x\"\n" + strings.Repeat("# "+strings.Repeat("x", 61)+"\n", (70<<10)/64) + "+++\nbody\n"
	tests := []struct {
		name, src string
		line      int
		reason    string // in the problem's reason
	}{
		{"yaml billion laughs", billionLaughs(), 7, "aliases expanded"},
		{"yaml alias holding itself", "---\ntitle: x\nloop: &l [a, *l]\n---\nbody\n", 3, "holds itself"},
		{"yaml alias holding itself in a map", "---\ntitle: x\nloop: &l {a: 1, b: *l}\n---\nbody\n", 3, "holds itself"},
		{"yaml lists nested 17 deep", "---\ntitle: x\nx: " + strings.Repeat("[", 16) + strings.Repeat("]", 16) + "\n---\nbody\n", 3, "nested 17 deep"},
		{"yaml maps nested 17 deep", "---\ntitle: x\n" + nestedMaps(17) + "---\nbody\n", 19, "nested 17 deep"},
		{"yaml alias nesting a deep value deeper", "---\nd: &d " + strings.Repeat("[", 14) + strings.Repeat("]", 14) + "\nx: [[*d]]\n---\nbody\n", 3, "nested 17 deep"},
		{"yaml 10,001 values", "---\ntitle: x\nv: [" + numbered("", 9999) + "]\n---\nbody\n", 3, "over 10000 values"},
		{"yaml over 64 KiB", bigYAML, lineOfByte(bigYAML, len("---\n")+64<<10), "at most 64.0 KiB"},
		{"yaml 101 tags", "---\ntitle: x\ntags: [" + numbered("t", 101) + "]\n---\nbody\n", 3, "tags has 101 items, at most 100"},
		{"yaml 101 categories in one string", "---\ntitle: x\n\ncategories: \"" + numbered("c", 101) + "\"\n---\nbody\n", 4, "categories has 101 items"},
		{"yaml 101 tags split at spaces", "---\ntitle: x\ntag: " + strings.ReplaceAll(numbered("t", 101), ",", "") + "\n---\nbody\n", 3, "tag has 101 items"},
		{"yaml tag of 101 characters", "---\ntitle: x\ntags:\n  - ok\n  - " + strings.Repeat("é", 101) + "\n---\nbody\n", 5, "an item of 101 characters"},
		{"toml arrays nested 17 deep", "+++\ntitle = \"x\"\nx = " + strings.Repeat("[", 16) + strings.Repeat("]", 16) + "\n+++\nbody\n", 3, "x is nested over 16 deep"},
		{"toml tables nested 17 deep", "+++\ntitle = \"x\"\n\n[" + strings.TrimSuffix(strings.Repeat("t.", 16), ".") + "]\nk = 1\n+++\nbody\n", 4, "t is nested over 16 deep"},
		{"toml 10,001 values", "+++\ntitle = \"x\"\nv = [" + numbered("", 9999) + "]\n+++\nbody\n", 3, "over 10000 values"},
		{"toml over 64 KiB", bigTOML, lineOfByte(bigTOML, len("+++\n")+64<<10), "at most 64.0 KiB"},
		{"toml 101 tags", "+++\ntitle = \"x\"\ntags = [" + quoted("t", 101) + "]\n+++\nbody\n", 3, "tags has 101 items"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := parseString("bomb.md", tt.src)
			if res.post != nil {
				t.Fatalf("loaded as %q with %d tags; want it refused", res.post.Title, len(res.post.Tags))
			}
			if len(res.problems) != 1 {
				t.Fatalf("problems %v, want one", res.problems)
			}
			p := res.problems[0]
			if !errors.Is(p.Err, ErrFrontMatterLimit) || !strings.Contains(p.Reason, tt.reason) {
				t.Errorf("problem %q (%v), want %v saying %q", p, p.Err, ErrFrontMatterLimit, tt.reason)
			}
			if want := fmt.Sprintf("bomb.md:%d: front matter over its limit: ", tt.line); !strings.HasPrefix(p.String(), want) {
				t.Errorf("problem %q, want it to start %q", p, want)
			}
		})
	}
}

// Front matter at every cap still loads: the caps refuse only what is
// over them.
func TestFrontMatterAtItsCapsLoads(t *testing.T) {
	long := strings.Repeat("é", 100)
	tags := make([]string, 100)
	for i := range tags {
		tags[i] = fmt.Sprintf("%s%03d", long[:len(long)-6], i) // 100 characters, all different
	}
	src := "---\ntitle: At the caps\ntags: [" + strings.Join(tags, ", ") + "]\n" +
		"categories: [a, b]\nx: " + strings.Repeat("[", 15) + strings.Repeat("]", 15) + "\n" +
		"d: &d [1, 2]\ne: [*d, *d]\n" + nestedMaps(16) + "---\nbody\n"
	res := parseString("caps.md", src)
	if res.post == nil {
		t.Fatalf("refused: %v", res.problems)
	}
	if len(res.post.Tags) != 100 || len(res.post.Labels()) != 102 {
		t.Errorf("%d tags, %d labels; want 100 and 102", len(res.post.Tags), len(res.post.Labels()))
	}
}

// A post over a front matter cap on disk is skipped with a log line naming
// file, line and reason, as the publish check refuses it: one code path.
func TestLoaderSkipsPostsOverFrontMatterCaps(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "many-tags.md", post("Many", "2024-01-01", "tags: ["+numbered("t", 1000)+"]"))
	writeFile(t, dir, "laughs.md", billionLaughs())
	writeFile(t, dir, "a.md", post("Alpha", "2024-01-02"))
	rec := &logRecorder{}
	snap, err := newLoader(Options{Dir: dir, Logger: slog.New(rec)}).load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := snap.Post("a"); !ok || snap.Len() != 1 {
		t.Fatalf("posts %d, want only a.md", snap.Len())
	}
	want := map[string]int{"many-tags.md": 4, "laughs.md": 7}
	for _, r := range rec.find("post problem") {
		file, _ := r.attrs["file"].(string)
		line, ok := want[file]
		if !ok {
			continue
		}
		reason, _ := r.attrs["reason"].(string)
		if r.attrs["line"] != int64(line) || !strings.HasPrefix(reason, ErrFrontMatterLimit.Error()) {
			t.Errorf("%s logged at line %v: %q; want line %d, %q", file, r.attrs["line"], reason, line, ErrFrontMatterLimit)
		}
		delete(want, file)
	}
	if len(want) > 0 {
		t.Errorf("no log line for %v", want)
	}
}

// TOML keys' lines are found in one pass, tables included.
func TestTOMLKeyLines(t *testing.T) {
	fm := frontMatter{format: tomlFrontMatter, line: 2, text: "title = \"x\"\ntags= [\"a\"]\n# c = 1\n\n[params]\nk = 1\n[[extra.more]]\ntitle = \"shadowed\"\n"}
	got := tomlKeyLines(fm)
	for k, want := range map[string]int{"title": 2, "tags": 3, "params": 6, "extra": 8, "k": 0} {
		if got[k] != want {
			t.Errorf("line of %s = %d, want %d (all: %v)", k, got[k], want, got)
		}
	}
}

// Tags, categories and labels drop the items strings.EqualFold finds
// equal to an earlier one, in a short list and in a long one alike.
func TestFoldSetAgreesWithEqualFold(t *testing.T) {
	words := []string{"Go", "go", "GO", "K", "k", "\u212a", "s", "S", "\u017f", "Σ", "σ", "ς", "straße", "STRASSE", "ǅ", "ǆ", "Ǆ", "é", "É", "e"}
	for i, a := range words {
		for _, b := range words[i:] {
			if got := foldKey(a) == foldKey(b); got != strings.EqualFold(a, b) {
				t.Errorf("foldKey(%q) == foldKey(%q) is %v; EqualFold says %v", a, b, got, !got)
			}
		}
	}
	for _, n := range []int{3, foldSetScan, 5 * foldSetScan} {
		var in, want []string
		for i := range n {
			in = append(in, fmt.Sprintf("tag%d", i), fmt.Sprintf("TAG%d", i))
			want = append(want, fmt.Sprintf("tag%d", i))
		}
		p := &Post{Tags: in, Categories: []string{"Tag0", "new"}}
		got := p.Labels()
		if want = append(want, "new"); strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("%d tags: labels %v, want %v", n, got, want)
		}
	}
}
