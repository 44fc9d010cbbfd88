package cli

import (
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"sshblog/internal/content"
	"sshblog/internal/defaults"
	"sshblog/internal/goldentest"
	"sshblog/internal/render"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// The list every list-shaped command prints for the test Snapshot: no draft,
// no future post, the hostile title cleaned.
const wantList = `2024-10-04  why-did-i-start-writing-on-my-page  Why did I start writing on my page
2024-01-15  second-post                         Second post
2023-05-01  hello-world                         Hello, world
2022-02-02  control-chars                       Bell and  clear
`

// cliCase is one command line and everything it must produce. Output is
// compared exactly unless a contains field is set instead.
type cliCase struct {
	name       string
	args       []string
	code       int
	stdout     string
	stdoutHas  []string
	stderr     string
	stderrHas  []string
	stdoutLike bool // stdout checked only through stdoutHas
}

func runCases(t *testing.T, env Env, cases []cliCase) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr, code := run(t, env, tt.args...)
			if code != tt.code {
				t.Errorf("exit status %d, want %d (stderr %q)", code, tt.code, stderr)
			}
			if !tt.stdoutLike && len(tt.stdoutHas) == 0 && stdout != tt.stdout {
				t.Errorf("stdout:\n%s\nwant:\n%s", stdout, tt.stdout)
			}
			for _, s := range tt.stdoutHas {
				if !strings.Contains(stdout, s) {
					t.Errorf("stdout lacks %q:\n%s", s, stdout)
				}
			}
			if len(tt.stderrHas) == 0 && stderr != tt.stderr {
				t.Errorf("stderr %q, want %q", stderr, tt.stderr)
			}
			for _, s := range tt.stderrHas {
				if !strings.Contains(stderr, s) {
					t.Errorf("stderr %q lacks %q", stderr, s)
				}
			}
			if stderr != "" && strings.Count(stderr, "\n") != 1 {
				t.Errorf("stderr is not one line: %q", stderr)
			}
			assertClean(t, "stdout", strings.ReplaceAll(stdout, "\t", " "))
			assertClean(t, "stderr", stderr)
			for _, slug := range hiddenSlugs {
				if strings.Contains(stdout, slug) || strings.Contains(stderr, `mean "`+slug) {
					t.Errorf("hidden post %s shown:\n%s%s", slug, stdout, stderr)
				}
			}
		})
	}
}

func TestList(t *testing.T) {
	runCases(t, testEnv(t), []cliCase{
		{name: "no args", args: nil, stdout: wantList},
		{name: "ls", args: []string{"ls"}, stdout: wantList},
		{name: "tag any case", args: []string{"ls", "--tag", "GO"}, stdout: "2024-01-15  second-post  Second post\n2023-05-01  hello-world  Hello, world\n"},
		{name: "tag with =", args: []string{"ls", "--tag=ssh"}, stdout: "2023-05-01  hello-world  Hello, world\n"},
		{name: "unknown tag", args: []string{"ls", "--tag", "og"}, code: 1, stderr: "no tag \"og\" — did you mean \"Go\"?\n"},
		{name: "tag of a draft only", args: []string{"ls", "--tag", "draft-only"}, code: 1, stderrHas: []string{`no tag "draft-only"`}},
		{name: "missing tag value", args: []string{"ls", "--tag"}, code: 2, stderr: "ls: flag needs an argument: -tag (try \"ls -h\")\n"},
		{name: "unknown flag", args: []string{"ls", "--jsno"}, code: 2, stderr: "ls: unknown flag \"-jsno\" — did you mean \"--json\"?\n"},
		{name: "positional", args: []string{"ls", "go"}, code: 2, stderr: "ls: unexpected argument \"go\" (try \"ls --tag TAG\" or \"read SLUG\")\n"},
		{name: "help flag", args: []string{"ls", "-h"}, stdoutHas: []string{"Usage: ssh -p 2222 blog.example.com ls [--tag T] [--json]", "-json", "-tag T"}},
	})
}

func TestLsJSON(t *testing.T) {
	env := testEnv(t)
	for _, args := range [][]string{{"ls", "--json"}, {"ls", "--tag", "go", "--json"}, {"ls", "--json", "--tag", "go"}} {
		stdout, stderr, code := run(t, env, args...)
		if code != 0 || stderr != "" {
			t.Fatalf("%q: status %d, stderr %q", args, code, stderr)
		}
		var got []postJSON
		for line := range strings.Lines(stdout) {
			var raw map[string]any
			if err := json.Unmarshal([]byte(line), &raw); err != nil {
				t.Fatalf("%q: line %q: %v", args, line, err)
			}
			for _, key := range []string{"slug", "title", "date", "tags", "excerpt", "reading_time_minutes", "words"} {
				if _, ok := raw[key]; !ok {
					t.Errorf("%q: line lacks %q: %s", args, key, line)
				}
			}
			if raw["tags"] == nil {
				t.Errorf("%q: tags is null: %s", args, line)
			}
			var p postJSON
			if err := json.Unmarshal([]byte(line), &p); err != nil {
				t.Fatal(err)
			}
			got = append(got, p)
		}
		want := env.Snapshot.Posts()
		if len(args) > 2 {
			want = env.Snapshot.Tagged("go")
		}
		if len(got) != len(want) {
			t.Fatalf("%q: %d lines, want %d", args, len(got), len(want))
		}
		for i, p := range want {
			if got[i].Slug != p.Slug || got[i].Words != p.Words || got[i].ReadingTimeMinutes != p.ReadingTime {
				t.Errorf("%q line %d = %+v, want post %s", args, i, got[i], p.Slug)
			}
		}
	}
	stdout, _, _ := run(t, env, "ls", "--json")
	lines := strings.Split(stdout, "\n")
	if want := `{"slug":"hello-world","title":"Hello, world","date":"2023-05-01T00:00:00Z","updated":"2024-12-01T00:00:00Z","tags":["go","ssh"],"categories":[],"excerpt":"A first <post> & more.","reading_time_minutes":1,"words":10,"author":"Ana"}`; lines[2] != want {
		t.Errorf("hello-world line:\n%s\nwant:\n%s", lines[2], want)
	}
	if strings.Contains(lines[1], "updated") {
		t.Errorf("post without Updated has an updated field: %s", lines[1])
	}
	if strings.Contains(lines[3], `\u001b`) || strings.Contains(lines[3], `\u0007`) {
		t.Errorf("control characters reach JSON strings: %s", lines[3])
	}
}

func TestRead(t *testing.T) {
	env := testEnv(t)
	raw, err := os.ReadFile(filepath.Join("..", "..", "posts", "2024-10-04-"+seedSlug+".md"))
	if err != nil {
		t.Fatal(err)
	}
	runCases(t, env, []cliCase{
		{name: "raw", args: []string{"read", seedSlug, "--raw"}, stdout: string(raw)},
		{name: "raw first", args: []string{"read", "--raw", seedSlug}, stdout: string(raw)},
		{name: "double dash", args: []string{"read", "--raw", "--", seedSlug}, stdout: string(raw)},
		{name: "header", args: []string{"read", "second-post"},
			stdoutHas: []string{"Second post\n2024-01-15 · 1 min read · Go\n\n", "Terminals are fun."}},
		{name: "prefix typo", args: []string{"read", "why-did-i-start"}, code: 1,
			stderr: "no post \"why-did-i-start\" — did you mean \"why-did-i-start-writing-on-my-page\"?\n"},
		{name: "edit typo", args: []string{"read", "secnod-post"}, code: 1, stderr: "no post \"secnod-post\" — did you mean \"second-post\"?\n"},
		{name: "path", args: []string{"read", "../../etc/passwd"}, code: 1, stderr: "no post \"../../etc/passwd\" — try \"ls\" for the list\n"},
		{name: "draft", args: []string{"read", "secret-draft"}, code: 1, stderrHas: []string{`no post "secret-`}},
		{name: "future", args: []string{"read", "from-the-future"}, code: 1, stderrHas: []string{`no post "from-the-`}},
		{name: "missing slug", args: []string{"read"}, code: 2, stderr: "read: missing slug (try \"ls\" for the list)\n"},
		{name: "two slugs", args: []string{"read", "a", "b"}, code: 2, stderr: "read: one slug at a time, got 2 arguments\n"},
		{name: "too narrow", args: []string{"read", seedSlug, "--width", "19"}, code: 2, stderr: "read: --width 19 out of range 20..1000\n"},
		{name: "too wide", args: []string{"read", seedSlug, "--width=1001"}, code: 2, stderr: "read: --width 1001 out of range 20..1000\n"},
		{name: "bad width", args: []string{"read", seedSlug, "--width", "wide"}, code: 2,
			stderr: "read: invalid value \"wide\" for flag -width: parse error (try \"read -h\")\n"},
		{name: "unknown flag", args: []string{"read", seedSlug, "--rwa"}, code: 2, stderr: "read: unknown flag \"-rwa\" — did you mean \"--raw\"?\n"},
		{name: "help flag", args: []string{"read", "-h"}, stdoutHas: []string{"read <slug> [--width N] [--raw]", "-width N", "(default 80)", "-raw"}},
	})
}

func TestReadGolden(t *testing.T) {
	stdout, stderr, code := run(t, testEnv(t), "read", seedSlug)
	if code != 0 || stderr != "" {
		t.Fatalf("status %d, stderr %q", code, stderr)
	}
	goldentest.Check(t, filepath.Join("testdata", "read-seed.golden"), stdout, *update)
}

// TestReadWidth checks the wrap width reaches the renderer: no line of the
// body is wider than asked.
func TestReadWidth(t *testing.T) {
	for _, width := range []int{20, 40, 80, 120} {
		stdout, _, code := run(t, testEnv(t), "read", seedSlug, "--width", strconv.Itoa(width))
		if code != 0 {
			t.Fatalf("width %d: status %d", width, code)
		}
		longest := 0
		for line := range strings.Lines(stdout) {
			longest = max(longest, len([]rune(strings.TrimRight(line, "\n"))))
		}
		if longest > width || longest < width/2 {
			t.Errorf("width %d: longest line %d columns", width, longest)
		}
	}
}

// TestReadStyle checks colour appears only with a PTY that asked for it.
func TestReadStyle(t *testing.T) {
	tests := []struct {
		pty   bool
		style render.Style
		esc   bool
	}{
		{pty: false, style: render.Dark, esc: false}, // no PTY: Plain whatever the style says
		{pty: true, style: render.Plain, esc: false}, // TERM=dumb
		{pty: true, style: render.Mono, esc: true},   // NO_COLOR: attributes, no colour
		{pty: true, style: render.Dark, esc: true},
	}
	for _, tt := range tests {
		env := testEnv(t)
		env.PTY, env.Style = tt.pty, tt.style
		stdout, _, code := run(t, env, "read", "hello-world", "--width", "60")
		if code != 0 {
			t.Fatalf("status %d", code)
		}
		if got := strings.Contains(stdout, "\x1b"); got != tt.esc {
			t.Errorf("pty %v style %v: escape sequences %v, want %v:\n%q", tt.pty, tt.style, got, tt.esc, stdout)
		}
	}
}

func TestTags(t *testing.T) {
	runCases(t, testEnv(t), []cliCase{
		{name: "tags", args: []string{"tags"}, stdout: "2 Go\n1 llm\n1 llm-router\n1 nlp\n1 ssh\n"},
		{name: "argument", args: []string{"tags", "go"}, code: 2, stderr: "tags: takes no arguments, got \"go\"\n"},
		{name: "flag", args: []string{"tags", "--json"}, code: 2, stderr: "tags: unknown flag \"-json\" (try \"tags -h\")\n"},
		{name: "help flag", args: []string{"tags", "--help"}, stdoutHas: []string{"Usage: ssh -p 2222 blog.example.com tags\n"}},
	})
}

func TestSearch(t *testing.T) {
	runCases(t, testEnv(t), []cliCase{
		{name: "one word", args: []string{"search", "Writing"}, stdoutHas: []string{
			"2024-10-04  why-did-i-start-writing-on-my-page  Why did I start writing on my page\n    ", "writing"}},
		{name: "hidden posts never match", args: []string{"search", "zebra"}, code: 1,
			stderr: "no posts match \"zebra\" (try fewer words, or \"tags\")\n"},
		{name: "words joined", args: []string{"search", "Terminals", "are"}, stdoutHas: []string{"second-post", "\n    Terminals are fun.\n"}},
		{name: "missing words", args: []string{"search"}, code: 2, stderr: "search: missing words (try \"search writing\")\n"},
		{name: "dash word", args: []string{"search", "--", "-zebra"}, code: 1, stderrHas: []string{`no posts match "-zebra"`}},
		{name: "too long", args: []string{"search", strings.Repeat("a", 2000)}, code: 2, stderr: "search: query too long (2000 bytes, at most 1024)\n"},
	})
}

func TestHelpAndVersion(t *testing.T) {
	env := testEnv(t)
	help, _, _ := run(t, env, "help")
	var has []string
	for _, c := range commands() {
		has = append(has, "  "+c.name, c.summary, "e.g. ssh -p 2222 blog.example.com "+strings.Fields(c.example)[0])
	}
	has = append(has, "read "+seedSlug+" | less", "ssh -T -p 2222 blog.example.com", "DATE  SLUG  TITLE")
	runCases(t, env, []cliCase{
		{name: "help", args: []string{"help"}, stdoutHas: has},
		{name: "--help", args: []string{"--help"}, stdout: help},
		{name: "-h", args: []string{"-h"}, stdout: help},
		{name: "help read", args: []string{"help", "read"}, stdoutHas: []string{"Usage: ssh -p 2222 blog.example.com read <slug>", "-width N"}},
		{name: "help alias", args: []string{"help", "atom"}, stdoutHas: []string{"feed [--summary]", "Also: atom."}},
		{name: "help unknown", args: []string{"help", "raed"}, code: 2, stderr: "help: unknown command \"raed\" — did you mean \"read\"?\n"},
		{name: "help too many", args: []string{"help", "a", "b"}, code: 2, stderrHas: []string{"help: too many arguments"}},
		{name: "version", args: []string{"version"}, stdout: "sshblog v1.2.3\n"},
		{name: "--version", args: []string{"--version"}, stdout: "sshblog v1.2.3\n"},
		{name: "version argument", args: []string{"version", "x"}, code: 2, stderr: "version: takes no arguments, got \"x\"\n"},
	})
	env.Host, env.Version = "", ""
	runCases(t, env, []cliCase{
		{name: "no host", args: []string{"help"}, stdoutHas: []string{"e.g. ssh HOST read " + seedSlug + " | less"}},
		{name: "no version", args: []string{"version"}, stdout: "sshblog dev\n"},
	})
	env.Host = "blog.example.com:22"
	runCases(t, env, []cliCase{{name: "port 22", args: []string{"help"}, stdoutHas: []string{"e.g. ssh blog.example.com ls"}}})
}

func TestUnknownCommand(t *testing.T) {
	runCases(t, testEnv(t), []cliCase{
		{name: "nothing close", args: []string{"nosuch"}, code: 2, stderr: "unknown command \"nosuch\" — try \"help\"\n"},
		{name: "typo", args: []string{"lss"}, code: 2, stderr: "unknown command \"lss\" — did you mean \"ls\"?\n"},
		{name: "prefix", args: []string{"sea"}, code: 2, stderr: "unknown command \"sea\" — did you mean \"search\"?\n"},
		{name: "slug without read", args: []string{"second-post"}, code: 2,
			stderr: "unknown command \"second-post\" — did you mean \"read second-post\"?\n"},
		{name: "escape sequences", args: []string{"\x1b[2J\x1b]0;pwned\a\u202eevil\r\nmore"}, code: 2,
			stderr: "unknown command \"evil more\" — try \"help\"\n"},
		{name: "long", args: []string{strings.Repeat("x", 100000)}, code: 2,
			stderr: "unknown command \"" + strings.Repeat("x", maxEcho) + "…\" — try \"help\"\n"},
		{name: "slug escapes", args: []string{"read", "\x1b[31mred"}, code: 1, stderr: "no post \"red\" — try \"ls\" for the list\n"},
	})
}

func TestEmptyBlog(t *testing.T) {
	runCases(t, Env{}, []cliCase{
		{name: "list", args: nil},
		{name: "tags", args: []string{"tags"}},
		{name: "read", args: []string{"read", "x"}, code: 1, stderr: "no post \"x\" — try \"ls\" for the list\n"},
		{name: "help", args: []string{"help"}, stdoutHas: []string{"sshblog, read over SSH.", "ssh HOST read my-post | less"}},
	})
}

func TestCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, args := range [][]string{nil, {"ls", "--json"}, {"feed"}, {"rss"}, {"read", seedSlug}} {
		env := testEnv(t)
		var out, errOut strings.Builder
		env.Stdout, env.Stderr = &out, &errOut
		if code := Run(ctx, withParts(env), args); code != StatusNotFound || errOut.Len() != 0 {
			t.Errorf("%q after cancel: status %d, stderr %q", args, code, errOut.String())
		}
	}
}

func TestReaderSlug(t *testing.T) {
	tests := []struct {
		args []string
		slug string
		ok   bool
	}{
		{args: []string{"read", "my-post"}, slug: "my-post", ok: true},
		{args: []string{"read", "--", "my-post"}, slug: "my-post", ok: true},
		{args: []string{"read", "my-post", "--raw"}},
		{args: []string{"read", "--raw", "my-post"}},
		{args: []string{"read", "my-post", "--width", "80"}},
		{args: []string{"read", "my-post", "--width=60"}},
		{args: []string{"read", "my-post", "-h"}},
		{args: []string{"read", "my-post", "--bogus"}},
		{args: []string{"read"}},
		{args: []string{"read", "a", "b"}},
		{args: []string{"ls"}},
		{args: nil},
		{args: []string{"help", "read"}},
	}
	for _, tt := range tests {
		slug, ok := ReaderSlug(tt.args)
		if slug != tt.slug || ok != tt.ok {
			t.Errorf("ReaderSlug(%q) = %q, %v; want %q, %v", tt.args, slug, ok, tt.slug, tt.ok)
		}
	}
}

func TestNearest(t *testing.T) {
	slugs := []string{"why-did-i-start-writing-on-my-page", "second-post", "hello-world"}
	tests := []struct {
		in, want string
	}{
		{"why-did", "why-did-i-start-writing-on-my-page"},
		{"WHY-DID", "why-did-i-start-writing-on-my-page"},
		{"helo-world", "hello-world"},
		{"hello-wrld-x", "hello-world"},
		{"second-post-2", "second-post"},
		{"zzz", ""},
		{"", ""},
		{"../../etc/passwd", ""},
		{strings.Repeat("a", maxSuggest+1), ""},
	}
	for _, tt := range tests {
		if got := nearest(tt.in, slugs); got != tt.want {
			t.Errorf("nearest(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := nearest("x", nil); got != "" {
		t.Errorf("nearest with no candidates = %q", got)
	}
}

// TestSnapshotIsTheOnlySource makes sure read never touches the file system:
// a post whose Path names a real file is still served from its Body.
func TestSnapshotIsTheOnlySource(t *testing.T) {
	p := withBody(&content.Post{Slug: "p", Title: "P", Date: date("2024-01-01"), Path: "../../go.mod"}, "from the snapshot\n")
	env := Env{Snapshot: content.NewSnapshot([]*content.Post{p}, content.SnapshotOptions{Now: testNow})}
	stdout, _, code := run(t, env, "read", "p")
	if code != 0 || !strings.Contains(stdout, "from the snapshot") || strings.Contains(stdout, "module") {
		t.Errorf("status %d, stdout %q", code, stdout)
	}
}

// TestReadWidthSprayIsQuantised checks that every width read accepts maps
// to few renders, none wider than asked: a client looping over widths
// cannot make the renderer lay a post out once per width.
func TestReadWidthSprayIsQuantised(t *testing.T) {
	seen := map[int]bool{}
	for w := defaults.MinWidth; w <= defaults.MaxWidth; w++ {
		q := quantize(w)
		if q > w || q < defaults.MinWidth || w-q >= wideWidthStep {
			t.Errorf("quantize(%d) = %d", w, q)
		}
		seen[q] = true
	}
	if len(seen) > 40 {
		t.Errorf("%d distinct render widths, want at most 40", len(seen))
	}
}

// TestReadFrame: read shows a link post's target under the title, whole
// on its line; a long URL in the body is whole on its own line too; a
// NO_COLOR terminal gets bold and italic, no colour and no raw markers; the
// list shows a title with markdown as plain text.
func TestReadFrame(t *testing.T) {
	target := "https://example.org/a/rather-long/path/to-another-site/index.html"
	inBody := "https://example.com/docs/a-very-long-path-name/with-hyphens-in-it/page.html"
	p := withBody(&content.Post{Slug: "elsewhere", Title: "Look elsewhere", Date: date("2024-03-01"), Link: target,
		TitleRuns: []content.TitleRun{{Text: "Look "}, {Text: "elsewhere", Emph: true}}},
		"The *full* text is at "+inBody+" for **now**.\n")
	env := testEnv(t)
	env.Snapshot = content.NewSnapshot([]*content.Post{p}, content.SnapshotOptions{Now: testNow})
	stdout, _, code := run(t, env, "read", "elsewhere", "--width", "40")
	if code != 0 {
		t.Fatalf("status %d", code)
	}
	if !strings.HasPrefix(stdout, "Look elsewhere\n→ "+target+"\n2024-03-01 · 1 min read\n\n") {
		t.Errorf("header:\n%s", stdout)
	}
	if !strings.Contains(stdout, "\n"+inBody+"\n") {
		t.Errorf("the body's URL is not whole on a line of its own:\n%s", stdout)
	}
	env.PTY, env.Style = true, render.Mono
	stdout, _, _ = run(t, env, "read", "elsewhere", "--width", "40")
	if !strings.Contains(stdout, "\x1b[1m") || !strings.Contains(stdout, "\x1b[3m") || strings.Contains(stdout, "\x1b[38") {
		t.Errorf("NO_COLOR read: want bold and italic, no colour:\n%q", stdout)
	}
	if strings.Contains(stdout, "*full*") || strings.Contains(stdout, "**now**") {
		t.Errorf("NO_COLOR read shows markers:\n%s", stdout)
	}
	if out, _, _ := run(t, env, "ls"); !strings.Contains(out, "Look elsewhere\n") {
		t.Errorf("ls: %q", out)
	}
}

// TestReadKeepsCodeWhole checks read prints code lines and wide tables whole
// (for `read SLUG | less -S`), keeps hard breaks, and shows footnotes as
// [n] markers with the notes at the end.
func TestReadKeepsCodeWhole(t *testing.T) {
	code := `        fmt.Println("a code line far wider than the forty columns asked for", err)`
	body := "A line  \nbroken hard, a note[^1].\n\n```go\n" + code + "\n```\n\n" +
		"| metric | value |\n|---|---|\n| a very long metric name here | 1.22 |\n\n[^1]: The note.\n"
	env := testEnv(t)
	env.Snapshot = content.NewSnapshot([]*content.Post{withBody(&content.Post{Slug: "wide", Title: "Wide",
		Date: date("2024-01-01")}, body)}, content.SnapshotOptions{Now: testNow})
	stdout, _, status := run(t, env, "read", "wide", "--width", "40")
	if status != 0 {
		t.Fatalf("status %d", status)
	}
	for _, want := range []string{"  " + code + "\n", "A line\nbroken hard, a note[1].\n", "| 1.22", "[1] The note."} {
		if !strings.Contains(stdout, want) {
			t.Errorf("read lacks %q:\n%s", want, stdout)
		}
	}
}
