package config

import (
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// configurationPage is where the configuration reference lives: one table
// row per flag, with its environment variable.
const configurationPage = "../../docs/configuration.md"

// TestConfigurationPageListsEverySetting keeps the configuration table true:
// every flag appears with its environment variable, and nothing else does.
func TestConfigurationPageListsEverySetting(t *testing.T) {
	page, err := os.ReadFile(configurationPage)
	if err != nil {
		t.Fatalf("read configuration page: %v", err)
	}
	text := string(page)
	cfg := Default()
	FlagSet(&cfg).VisitAll(func(f *flag.Flag) {
		row := "| `--" + f.Name + "` | `" + EnvName(f.Name) + "` |"
		if !hasEnv(f.Name) {
			row = "| `--" + f.Name + "` | |"
		}
		if !strings.Contains(text, row) {
			t.Errorf("%s has no row starting %q", configurationPage, row)
		}
	})
	for _, line := range strings.Split(text, "\n") {
		if !strings.HasPrefix(line, "| `--") {
			continue
		}
		name := strings.TrimPrefix(strings.SplitN(line, "`", 3)[1], "--")
		if FlagSet(&cfg).Lookup(name) == nil {
			t.Errorf("%s documents --%s, which does not exist", configurationPage, name)
		}
	}
}

// commandFlags are the flags of the reader's and authors' commands (ls,
// read, feed, rss, publish, help), which the pages name too: not settings.
var commandFlags = map[string]bool{
	"tag": true, "json": true, "width": true, "raw": true, "summary": true, "draft": true, "help": true,
}

var (
	// flagSpan is a code span that starts with a long flag: "`--max-width`",
	// "`--state \"\"`". A span such as "`ls --tag T`" is a command, not a
	// setting; the pager's "`--more--`" prompt ends in a dash.
	flagSpan = regexp.MustCompile("`--([a-z][a-z0-9-]*[a-z0-9])\\b[^-]")
	// envName is an SSHBLOG_* name; one with an extension is a file
	// (third_party's SSHBLOG_PATCH.md), not a variable.
	envName = regexp.MustCompile(`\b` + EnvPrefix + `[A-Z0-9_]+(\.[a-z]+)?`)
)

// TestDocsNameOnlyRealSettings keeps the README, CONTRIBUTING.md and every
// page in docs/ true about settings: a flag or SSHBLOG_* variable they name
// exists.
func TestDocsNameOnlyRealSettings(t *testing.T) {
	docs, _ := filepath.Glob("../../docs/*.md")
	top, _ := filepath.Glob("../../*.md") // README.md, CONTRIBUTING.md
	pages := append(docs, top...)
	if len(docs) == 0 || len(top) == 0 {
		t.Fatalf("found %d pages in docs/ and %d at the top: run from internal/config", len(docs), len(top))
	}
	cfg := Default()
	fs := FlagSet(&cfg)
	envs := map[string]bool{HostKeyEnv: true}
	fs.VisitAll(func(f *flag.Flag) {
		if hasEnv(f.Name) {
			envs[EnvName(f.Name)] = true
		}
	})
	for _, page := range pages {
		text, err := os.ReadFile(page)
		if err != nil {
			t.Fatalf("read %s: %v", page, err)
		}
		for _, m := range flagSpan.FindAllStringSubmatch(string(text), -1) {
			if fs.Lookup(m[1]) == nil && !commandFlags[m[1]] {
				t.Errorf("%s names --%s, which is no flag of sshblog or its commands", page, m[1])
			}
		}
		for _, name := range envName.FindAllString(string(text), -1) {
			if !envs[name] && !strings.Contains(name, ".") {
				t.Errorf("%s names %s, which sshblog does not read", page, name)
			}
		}
	}
}
