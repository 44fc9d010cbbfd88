package config

import (
	"flag"
	"os"
	"strings"
	"testing"
)

// TestREADMEListsEverySetting keeps the README's configuration table true:
// every flag appears with its environment variable, and nothing else does.
func TestREADMEListsEverySetting(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatalf("read README: %v", err)
	}
	text := string(readme)
	cfg := Default()
	FlagSet(&cfg).VisitAll(func(f *flag.Flag) {
		row := "| `--" + f.Name + "` | `" + EnvName(f.Name) + "` |"
		if !hasEnv(f.Name) {
			row = "| `--" + f.Name + "` | |"
		}
		if !strings.Contains(text, row) {
			t.Errorf("README has no row starting %q", row)
		}
	})
	for _, line := range strings.Split(text, "\n") {
		if !strings.HasPrefix(line, "| `--") {
			continue
		}
		name := strings.TrimPrefix(strings.SplitN(line, "`", 3)[1], "--")
		if FlagSet(&cfg).Lookup(name) == nil {
			t.Errorf("README documents --%s, which does not exist", name)
		}
	}
}
