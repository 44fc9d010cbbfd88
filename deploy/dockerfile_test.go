package deploy

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/moby/patternmatcher"
	"github.com/moby/patternmatcher/ignorefile"
)

// There is no Docker daemon on the machines that run the tests, so these
// tests read ../Dockerfile and ../.dockerignore and do what `docker build`
// would: the context is the repository less what .dockerignore names
// (matched by moby's own pattern matcher), and the build stage's COPY and
// RUN run in order in a temporary folder standing for the stage's WORKDIR.
// The parser below knows only the instructions the Dockerfile uses
// (buildkit's parser is a large module for eight instructions); one it
// does not know fails the test, so it cannot be silently skipped.

// instruction is one Dockerfile instruction: its upper-case name, its
// --flags and the rest of its words.
type instruction struct {
	line  int
	name  string
	flags map[string]string
	args  []string
	raw   string // the text after the name and flags, for RUN
}

// stage is a FROM and the instructions under it.
type stage struct {
	name, image string
	steps       []instruction
}

func TestDockerfileBuildStageBuildsAsDockerWould(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary from a copy of the context: not in -short")
	}
	t.Parallel()
	stages := parseDockerfile(t, "../Dockerfile")
	if len(stages) != 2 {
		t.Fatalf("want a build stage and an image stage, got %d stages", len(stages))
	}
	build, image := stages[0], stages[1]
	context := dockerContext(t, "..")
	root := t.TempDir() // the build stage's file system, as far as its steps touch it
	env := os.Environ()
	workdir := "/"
	for _, in := range build.steps {
		switch in.name {
		case "WORKDIR":
			workdir = path.Join(workdir, in.args[0])
			if err := os.MkdirAll(filepath.Join(root, workdir), 0o755); err != nil {
				t.Fatal(err)
			}
		case "ENV":
			env = append(env, envPairs(t, in)...)
		case "COPY":
			dockerCopy(t, context, filepath.Join(root, workdir), in)
		case "RUN":
			if abs := regexp.MustCompile(`(^|[\s=])/[A-Za-z]`).FindString(in.raw); abs != "" {
				t.Fatalf("Dockerfile:%d: RUN names an absolute path (%q): the simulation maps only WORKDIR, so keep RUN paths relative to it", in.line, abs)
			}
			cmd := exec.Command("sh", "-c", in.raw)
			cmd.Dir = filepath.Join(root, workdir)
			cmd.Env = env
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("Dockerfile:%d: RUN %s: %v\n%s", in.line, in.raw, err, out)
			}
		default:
			t.Fatalf("Dockerfile:%d: %s in the build stage: teach this test what Docker does with it", in.line, in.name)
		}
	}

	// Everything the image stage takes from the build stage is there.
	for _, in := range image.steps {
		if in.name != "COPY" || in.flags["from"] != build.name {
			continue
		}
		if _, err := os.Stat(filepath.Join(root, in.args[0])); err != nil {
			t.Errorf("Dockerfile:%d: COPY --from=%s %s: not made by the build stage: %v", in.line, build.name, in.args[0], err)
		}
	}
	bin := filepath.Join(root, "src/out/sshblog")
	out, err := exec.Command(bin, "--version").CombinedOutput()
	if err != nil || !strings.HasPrefix(string(out), "sshblog ") {
		t.Fatalf("the built binary: --version said %q (%v)", out, err)
	}
	if _, err := os.Stat(filepath.Join(root, "src/out/posts/2024-10-04-why-did-i-start-writing-on-my-page.md")); err != nil {
		t.Errorf("the bundled posts are not in the image: %v", err)
	}
}

// TestDockerImageRunsAsItShould checks the image stage: not root, both
// ports exposed, a health check the binary itself answers, and the web
// side on, since the health check asks it.
func TestDockerImageRunsAsItShould(t *testing.T) {
	t.Parallel()
	stages := parseDockerfile(t, "../Dockerfile")
	image := stages[len(stages)-1]
	got := map[string][]instruction{}
	for _, in := range image.steps {
		got[in.name] = append(got[in.name], in)
	}
	if u := got["USER"]; len(u) == 0 || strings.HasPrefix(u[len(u)-1].args[0], "root") || strings.HasPrefix(u[len(u)-1].args[0], "0") {
		t.Errorf("the image runs as root: USER %v", u)
	}
	var exposed []string
	for _, in := range got["EXPOSE"] {
		exposed = append(exposed, in.args...)
	}
	for _, port := range []string{"2222", "8080"} {
		if !slices.Contains(exposed, port) {
			t.Errorf("port %s is not exposed (EXPOSE %v)", port, exposed)
		}
	}
	hc := got["HEALTHCHECK"]
	if len(hc) != 1 || !slices.Equal(hc[0].args, []string{"CMD", "/sshblog", "health"}) {
		t.Errorf("want HEALTHCHECK CMD [\"/sshblog\", \"health\"], got %+v", hc)
	}
	env := map[string]string{}
	for _, in := range got["ENV"] {
		for _, kv := range envPairs(t, in) {
			k, v, _ := strings.Cut(kv, "=")
			env[k] = v
		}
	}
	if env["SSHBLOG_HTTP"] != ":8080" || env["SSHBLOG_LISTEN"] != ":2222" {
		t.Errorf("the image's ENV must serve SSH on :2222 and the web side (which the health check asks) on :8080: %v", env)
	}
	if e := got["ENTRYPOINT"]; len(e) != 1 || !slices.Equal(e[0].args, []string{"/sshblog"}) {
		t.Errorf("ENTRYPOINT: %+v", e)
	}
}

// TestDockerContextLeavesSecretsOut: the host key, the authors file,
// readers' memory, git history and build output never reach the builder.
func TestDockerContextLeavesSecretsOut(t *testing.T) {
	t.Parallel()
	pm := ignoreMatcher(t, "..")
	for _, p := range []string{
		"keys/ssh_host_ed25519_key", "keys/authorized_keys", "keys/README.md",
		"state/memory.db", ".git/config", ".git", "sshblog", "sshblog-load",
		"internal/server/server.test", "cpu.prof", "posts/old_key", "deploy/tls.pem",
	} {
		if ok, _ := pm.MatchesOrParentMatches(p); !ok {
			t.Errorf(".dockerignore lets %s into the build context", p)
		}
	}
	for _, p := range []string{"go.mod", "go.sum", "third_party/bubbletea/go.mod", "cmd/sshblog/main.go", "posts/2024-10-04-why-did-i-start-writing-on-my-page.md"} {
		if ok, _ := pm.MatchesOrParentMatches(p); ok {
			t.Errorf(".dockerignore leaves out %s, which the build needs", p)
		}
	}
}

// parseDockerfile reads the stages of a Dockerfile: comments and blank
// lines dropped, lines ending in a backslash joined.
func parseDockerfile(t *testing.T, name string) []stage {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var (
		stages  []stage
		pending string
		start   int
	)
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if pending == "" && (line == "" || strings.HasPrefix(line, "#")) {
			continue
		}
		if pending == "" {
			start = n
		}
		if cont, ok := strings.CutSuffix(line, "\\"); ok {
			pending += cont + " "
			continue
		}
		in := parseInstruction(t, start, pending+line)
		pending = ""
		if in.name == "FROM" {
			st := stage{image: in.args[0]}
			if len(in.args) == 3 && strings.EqualFold(in.args[1], "AS") {
				st.name = in.args[2]
			}
			stages = append(stages, st)
			continue
		}
		if len(stages) == 0 {
			t.Fatalf("%s:%d: %s before FROM", name, start, in.name)
		}
		stages[len(stages)-1].steps = append(stages[len(stages)-1].steps, in)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return stages
}

// parseInstruction splits one instruction into its name, --flags and
// arguments; a JSON array argument (exec form) is decoded.
func parseInstruction(t *testing.T, line int, text string) instruction {
	t.Helper()
	name, rest, _ := strings.Cut(text, " ")
	in := instruction{line: line, name: strings.ToUpper(name), flags: map[string]string{}}
	rest = strings.TrimSpace(rest)
	for strings.HasPrefix(rest, "--") {
		var flag string
		flag, rest, _ = strings.Cut(rest, " ")
		k, v, _ := strings.Cut(strings.TrimPrefix(flag, "--"), "=")
		in.flags[k] = v
		rest = strings.TrimSpace(rest)
	}
	in.raw = rest
	if in.name == "HEALTHCHECK" {
		cmd, form, ok := strings.Cut(rest, " ")
		if !ok || cmd != "CMD" {
			t.Fatalf("Dockerfile:%d: HEALTHCHECK %s: want CMD [...]", line, rest)
		}
		in.args = append([]string{cmd}, execForm(t, line, form)...)
		return in
	}
	if strings.HasPrefix(rest, "[") {
		in.args = execForm(t, line, rest)
		return in
	}
	in.args = strings.Fields(rest)
	return in
}

func execForm(t *testing.T, line int, s string) []string {
	t.Helper()
	var args []string
	if err := json.Unmarshal([]byte(s), &args); err != nil {
		t.Fatalf("Dockerfile:%d: %s: %v", line, s, err)
	}
	return args
}

// envPairs are an ENV instruction's KEY=value pairs (values unquoted).
func envPairs(t *testing.T, in instruction) []string {
	t.Helper()
	var kv []string
	for _, a := range in.args {
		k, v, ok := strings.Cut(a, "=")
		if !ok {
			t.Fatalf("Dockerfile:%d: ENV %s: write KEY=value", in.line, a)
		}
		kv = append(kv, k+"="+strings.Trim(v, `"`))
	}
	return kv
}

// ignoreMatcher is .dockerignore's patterns, as Docker reads them.
func ignoreMatcher(t *testing.T, dir string) *patternmatcher.PatternMatcher {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, ".dockerignore"))
	if err != nil {
		t.Fatalf("no .dockerignore: the host key and readers' memory would go into the image's build context: %v", err)
	}
	defer f.Close()
	patterns, err := ignorefile.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	pm, err := patternmatcher.New(patterns)
	if err != nil {
		t.Fatal(err)
	}
	return pm
}

// dockerContext copies the files Docker would send as the build context
// (the tree at dir less .dockerignore) into a temporary folder.
func dockerContext(t *testing.T, dir string) string {
	t.Helper()
	pm := ignoreMatcher(t, dir)
	out := t.TempDir()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if rel == "." {
			return nil
		}
		if skip, _ := pm.MatchesOrParentMatches(filepath.ToSlash(rel)); skip {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(out, rel), 0o755)
		}
		return copyFile(p, filepath.Join(out, rel))
	})
	if err != nil {
		t.Fatalf("build context: %v", err)
	}
	return out
}

// dockerCopy does COPY SRC... DEST from the context into the stage: a
// folder's contents go into DEST; files go into DEST when it ends in "/"
// or there are several, else become DEST.
func dockerCopy(t *testing.T, context, workdir string, in instruction) {
	t.Helper()
	if len(in.args) < 2 || in.flags["from"] != "" {
		t.Fatalf("Dockerfile:%d: COPY %s: want SRC... DEST from the context", in.line, in.raw)
	}
	srcs, dest := in.args[:len(in.args)-1], in.args[len(in.args)-1]
	destDir := strings.HasSuffix(dest, "/") || len(srcs) > 1 || dest == "."
	dest = filepath.Join(workdir, dest)
	for _, s := range srcs {
		src := filepath.Join(context, s)
		st, err := os.Stat(src)
		if err != nil {
			t.Fatalf("Dockerfile:%d: COPY %s: not in the build context (after .dockerignore): %v", in.line, s, err)
		}
		if err := copyInto(src, st, dest, destDir); err != nil {
			t.Fatalf("Dockerfile:%d: COPY %s: %v", in.line, s, err)
		}
	}
}

func copyInto(src string, st fs.FileInfo, dest string, destDir bool) error {
	if !st.IsDir() {
		if destDir {
			dest = filepath.Join(dest, filepath.Base(src))
		}
		return copyFile(src, dest)
	}
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dest, rel), 0o755)
		}
		return copyFile(p, filepath.Join(dest, rel))
	})
}

func copyFile(src, dest string) error {
	st, err := os.Lstat(src)
	if err != nil {
		return err
	}
	if !st.Mode().IsRegular() {
		return nil // Docker copies links as links; the repository has none it needs
	}
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dest), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(dest, b, st.Mode().Perm()); err != nil {
		return fmt.Errorf("copy %s: %w", src, err)
	}
	return nil
}
