package config

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sshblog/internal/defaults"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		env     []string
		check   func(Config) bool
		wantErr string
	}{
		{name: "defaults", check: func(c Config) bool {
			return c.Listen == ":2222" && c.PostsDir == "posts" && c.KeysDir == "keys" &&
				c.Title == "" && c.MaxWidth == 80 && !c.Drafts && c.LogFormat == "text" &&
				c.ShutdownTimeout == 10*time.Second && c.MaxSessions == 1000 && c.MaxSessionsPerIP == 10
		}},
		{name: "env sets", env: []string{"SSHBLOG_MAX_WIDTH=100", "SSHBLOG_DRAFTS=true", "SSHBLOG_TITLE=My blog"},
			check: func(c Config) bool { return c.MaxWidth == 100 && c.Drafts && c.Title == "My blog" }},
		{name: "flag beats env", args: []string{"--max-width", "60"}, env: []string{"SSHBLOG_MAX_WIDTH=100"},
			check: func(c Config) bool { return c.MaxWidth == 60 }},
		{name: "other env ignored", env: []string{"MAX_WIDTH=5", "SSHBLOG", "=x"},
			check: func(c Config) bool { return c.MaxWidth == 80 }},
		{name: "durations", args: []string{"--shutdown-timeout=3s", "--idle-timeout=0"},
			check: func(c Config) bool { return c.ShutdownTimeout == 3*time.Second && c.IdleTimeout == 0 }},
		{name: "bad env names var and flag", env: []string{"SSHBLOG_MAX_WIDTH=wide"}, wantErr: "SSHBLOG_MAX_WIDTH (--max-width)"},
		{name: "width too small", args: []string{"--max-width=5"}, wantErr: "--max-width: 5 is out of range"},
		{name: "bad log format", args: []string{"--log-format=xml"}, wantErr: "--log-format"},
		{name: "bad listen", args: []string{"--listen=2222"}, wantErr: "--listen"},
		{name: "bad base url", args: []string{"--base-url=blog"}, wantErr: "--base-url"},
		{name: "zero shutdown", args: []string{"--shutdown-timeout=0s"}, wantErr: "--shutdown-timeout"},
		{name: "negative idle", env: []string{"SSHBLOG_IDLE_TIMEOUT=-1s"}, wantErr: "--idle-timeout"},
		{name: "subnet defaults", check: func(c Config) bool {
			return c.MaxSessionsPerSubnet == 50 && c.SubnetV4 == 24 && c.SubnetV6 == 48 && c.EvictIdle == 5*time.Minute
		}},
		{name: "subnet flags and env", args: []string{"--subnet-v6=64", "--evict-idle=0"},
			env: []string{"SSHBLOG_MAX_SESSIONS_PER_SUBNET=7", "SSHBLOG_SUBNET_V4=16"},
			check: func(c Config) bool {
				return c.MaxSessionsPerSubnet == 7 && c.SubnetV4 == 16 && c.SubnetV6 == 64 && c.EvictIdle == 0
			}},
		{name: "subnet cap zero", args: []string{"--max-sessions-per-subnet=0"}, wantErr: "--max-sessions-per-subnet"},
		{name: "subnet v4 too long", args: []string{"--subnet-v4=33"}, wantErr: "--subnet-v4: 33 is out of range 8-32"},
		{name: "subnet v6 past the ip", args: []string{"--subnet-v6=96"}, wantErr: "--subnet-v6: 96 is out of range 16-64"},
		{name: "negative evict idle", args: []string{"--evict-idle=-1m"}, wantErr: "--evict-idle"},
		{name: "state defaults", check: func(c Config) bool { return c.StateDir == "state" && c.StateTTL == 180*24*time.Hour }},
		{name: "state off", args: []string{"--state", ""}, env: []string{"SSHBLOG_STATE_TTL=24h"},
			check: func(c Config) bool { return c.StateDir == "" && c.StateTTL == 24*time.Hour }},
		{name: "negative state ttl", args: []string{"--state-ttl=-1h"}, wantErr: "--state-ttl"},
		{name: "state max readers default", check: func(c Config) bool { return c.StateMaxReaders == 100_000 }},
		{name: "state max readers from env", env: []string{"SSHBLOG_STATE_MAX_READERS=0"},
			check: func(c Config) bool { return c.StateMaxReaders == 0 }},
		{name: "negative state max readers", args: []string{"--state-max-readers=-1"}, wantErr: "--state-max-readers"},
		{name: "http max conns per ip default", check: func(c Config) bool { return c.HTTPMaxConnsPerIP == 32 }},
		{name: "http max conns per ip zero", args: []string{"--http-max-conns-per-ip=0"}, wantErr: "--http-max-conns-per-ip"},
		{name: "pprof off by default", check: func(c Config) bool { return c.Pprof == "" }},
		{name: "pprof on loopback", args: []string{"--pprof=127.0.0.1:6060"},
			check: func(c Config) bool { return c.Pprof == "127.0.0.1:6060" }},
		{name: "pprof on localhost", env: []string{"SSHBLOG_PPROF=localhost:6060"},
			check: func(c Config) bool { return c.Pprof == "localhost:6060" }},
		{name: "pprof public refused", args: []string{"--pprof=:6060"}, wantErr: "--pprof"},
		{name: "pprof other host refused", args: []string{"--pprof=10.0.0.1:6060"}, wantErr: "--pprof"},
		{name: "metrics off by default", check: func(c Config) bool { return c.Metrics == "" }},
		{name: "metrics on loopback", args: []string{"--metrics=127.0.0.1:9222"},
			check: func(c Config) bool { return c.Metrics == "127.0.0.1:9222" }},
		{name: "metrics from env", env: []string{"SSHBLOG_METRICS=10.0.0.5:9222"},
			check: func(c Config) bool { return c.Metrics == "10.0.0.5:9222" }},
		{name: "metrics without port refused", args: []string{"--metrics=localhost"}, wantErr: "--metrics"},
		{name: "metrics on the SSH address refused", args: []string{"--listen=:2222", "--metrics=:2222"}, wantErr: "--metrics"},
		{name: "metrics on the web address refused", args: []string{"--http=:8080", "--metrics=:8080"}, wantErr: "--metrics"},
		{name: "ctrl-c does not drain by default", check: func(c Config) bool { return !c.DrainOnInterrupt && c.DrainDelay == 5*time.Second }},
		{name: "ctrl-c drains when the delay is given", args: []string{"--drain-delay=5s"}, check: func(c Config) bool { return c.DrainOnInterrupt }},
		{name: "ctrl-c drains when the delay is in the env", env: []string{"SSHBLOG_DRAIN_DELAY=1s"}, check: func(c Config) bool { return c.DrainOnInterrupt }},
		{name: "ctrl-c drains behind a balancer", args: []string{"--proxy-protocol-from=10.0.0.0/8"}, check: func(c Config) bool { return c.DrainOnInterrupt }},
		{name: "unknown flag", args: []string{"--nope"}, wantErr: "flag provided but not defined: -nope"},
		{name: "stray argument", args: []string{"posts"}, wantErr: "unexpected argument"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := Parse(tt.args, tt.env, io.Discard)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want it to contain %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if !tt.check(cfg) {
				t.Errorf("unexpected config: %+v", cfg)
			}
		})
	}
}

func TestHelp(t *testing.T) {
	var out strings.Builder
	_, err := Parse([]string{"-h"}, nil, &out)
	if !IsHelp(err) {
		t.Fatalf("err = %v, want help", err)
	}
	if !strings.Contains(out.String(), "-max-width") {
		t.Errorf("usage does not list flags:\n%s", out.String())
	}
}

func TestEnvName(t *testing.T) {
	if got := EnvName("max-sessions-per-ip"); got != "SSHBLOG_MAX_SESSIONS_PER_IP" {
		t.Errorf("EnvName = %q", got)
	}
}

// TestPostsMustBeAFolder: --posts naming a file stops the start with a
// clear error; a folder that does not exist yet is fine (it is watched).
func TestPostsMustBeAFolder(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "post.md")
	if err := os.WriteFile(file, []byte("# hi\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args    []string
		wantErr string
	}{
		{[]string{"--posts", file}, "--posts: \"" + file + "\" is a file, not a folder of posts"},
		{[]string{"--posts", filepath.Join(file, "sub")}, "is inside a file"},
		{[]string{"--posts", "/dev/null"}, "is a special file"},
		{[]string{"--keys", file}, "--keys: \"" + file + "\" is a file"},
		{[]string{"--posts", filepath.Join(dir, "not-yet")}, ""},
		{[]string{"--posts", dir}, ""},
	}
	for _, tt := range tests {
		_, err := Parse(tt.args, nil, io.Discard)
		if tt.wantErr == "" {
			if err != nil {
				t.Errorf("%v: %v", tt.args, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("%v: err = %v, want %q", tt.args, err, tt.wantErr)
		}
	}
}

func TestWithSite(t *testing.T) {
	site := Site{Title: "Ana's notes", Description: "NLP", Author: "Ana", BaseURL: "https://ana.example.com/blog"}
	got := Default().WithSite(site)
	if got.Title != site.Title || got.Description != "NLP" || got.Author != "Ana" || got.BaseURL != site.BaseURL {
		t.Errorf("site settings not used: %+v", got)
	}
	cfg, err := Parse([]string{"--title", "Mine", "--base-url", "https://x.example"}, []string{"SSHBLOG_AUTHOR=Bo"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	got = cfg.WithSite(site)
	if got.Title != "Mine" || got.Author != "Bo" || got.BaseURL != "https://x.example" || got.Description != "NLP" {
		t.Errorf("flags and env must win over the site: %+v", got)
	}
	if got := Default().WithSite(Site{BaseURL: "/"}); got.Title != defaults.Title || got.BaseURL != "" {
		t.Errorf("no site: title %q, base %q", got.Title, got.BaseURL)
	}
	if got := Default().WithSite(Site{Math: true}); !got.Math {
		t.Error("a site that renders math on every page did not turn --math on")
	}
	if got := Default().WithSite(Site{}); got.Math {
		t.Error("math is on with neither the flag nor the site")
	}
}

// TestStateURL: the database URL comes from SSHBLOG_STATE_URL (or the
// flag), must be postgres://…/db, and a bad one is refused without its
// password in the message.
func TestStateURL(t *testing.T) {
	const good = "postgres://blog:s3cret@db.example:5432/sshblog?sslmode=require"
	c, err := Parse(nil, []string{"SSHBLOG_STATE_URL=" + good}, io.Discard)
	if err != nil || c.StateURL != good {
		t.Fatalf("from the environment: %q, %v", c.StateURL, err)
	}
	if _, err := Parse([]string{"--state-url=postgres://blog@/sshblog?host=/run/postgresql"}, nil, io.Discard); err != nil {
		t.Fatalf("a unix socket URL: %v", err)
	}
	for _, bad := range []string{
		"mysql://blog:s3cret@db/sshblog",
		"postgres://blog:s3cret@db:5432",
		"postgres://blog:s3cret@db:port/x",
	} {
		_, err := Parse(nil, []string{"SSHBLOG_STATE_URL=" + bad}, io.Discard)
		if err == nil || !strings.Contains(err.Error(), "--state-url") {
			t.Errorf("%s: err = %v, want a --state-url error", bad, err)
		} else if strings.Contains(err.Error(), "s3cret") {
			t.Errorf("the error shows the password: %v", err)
		}
	}
}

// TestValidateReportsEveryProblemAtOnce: an operator with three mistakes
// hears of all three in one run, each naming its flag.
func TestValidateReportsEveryProblemAtOnce(t *testing.T) {
	c := Default()
	c.MaxWidth, c.LogFormat, c.HTTPMaxConnsPerIP = 5, "xml", 0
	err := c.Validate()
	if err == nil {
		t.Fatal("no error")
	}
	lines := strings.Split(err.Error(), "\n")
	want := []string{"--max-width: 5 is out of range 20-1000", `--log-format: "xml" is not text or json`, "--http-max-conns-per-ip: 0 must be at least 1"}
	if len(lines) != len(want) {
		t.Fatalf("got %d errors, want %d:\n%v", len(lines), len(want), err)
	}
	for i := range want {
		if lines[i] != want[i] {
			t.Errorf("error %d: %q, want %q", i, lines[i], want[i])
		}
	}
	if err := Default().Validate(); err != nil {
		t.Errorf("the defaults: %v", err)
	}
}

// TestEveryRuleNamesAFlag: a rule's message names a flag the operator can
// find in --help.
func TestEveryRuleNamesAFlag(t *testing.T) {
	cfg := Default()
	fs := FlagSet(&cfg)
	for _, r := range rules {
		if fs.Lookup(r.flag) == nil {
			t.Errorf("rule for --%s, which is not a flag", r.flag)
		}
	}
}
