package deploy

import (
	"io"
	"net"
	"net/netip"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"sigs.k8s.io/yaml"

	"sshblog/internal/config"
)

// composeFile is the part of the Compose format compose.yaml uses; strict
// decoding fails on anything else (a misspelt key).
type composeFile struct {
	Name     string                    `json:"name"`
	Services map[string]composeService `json:"services"`
	Networks map[string]struct {
		IPAM struct {
			Config []struct {
				Subnet string `json:"subnet"`
			} `json:"config"`
		} `json:"ipam"`
	} `json:"networks"`
	Volumes map[string]struct{} `json:"volumes"`
}

type composeService struct {
	Image           string            `json:"image"`
	Build           string            `json:"build"`
	Command         []string          `json:"command"`
	Ports           []string          `json:"ports"`
	Environment     map[string]string `json:"environment"`
	Volumes         []string          `json:"volumes"`
	Networks        any               `json:"networks"`
	DependsOn       []string          `json:"depends_on"`
	ReadOnly        bool              `json:"read_only"`
	StopGracePeriod string            `json:"stop_grace_period"`
}

// TestComposeFile: HAProxy is given this repository's haproxy.cfg and the
// replicas' addresses; each replica's arguments are sshblog flags, it
// trusts PROXY headers from HAProxy's address only, shares the host key,
// and gets a stop grace period covering its drain and shutdown.
func TestComposeFile(t *testing.T) {
	b, err := os.ReadFile("compose.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var f composeFile
	if err := yaml.UnmarshalStrict(b, &f); err != nil {
		t.Fatalf("compose.yaml: %v", err)
	}
	hap, ok := f.Services["haproxy"]
	if !ok {
		t.Fatal("no haproxy service")
	}
	if !mounts(hap, "./haproxy/haproxy.cfg") {
		t.Error("haproxy does not use deploy/haproxy/haproxy.cfg")
	}
	if _, err := os.Stat("haproxy/haproxy.cfg"); err != nil {
		t.Error(err)
	}
	hapAddr := haproxyAddress(t, hap)
	keys, stateURLs := map[string]bool{}, map[string]bool{}
	for _, name := range []string{"replica-a", "replica-b"} {
		r, ok := f.Services[name]
		if !ok {
			t.Fatalf("no service %s", name)
		}
		cfg := config.Default()
		fs := config.FlagSet(&cfg)
		fs.SetOutput(io.Discard)
		if err := fs.Parse(r.Command); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		ranges, err := cfg.ProxyRanges()
		if err != nil || len(ranges) != 1 || ranges[0] != netip.PrefixFrom(hapAddr, 32) {
			t.Errorf("%s trusts PROXY headers from %v, want HAProxy's %s only", name, ranges, hapAddr)
		}
		want := name + ":" + strings.TrimPrefix(cfg.Listen, ":")
		if hap.Environment["SSHBLOG_REPLICA_"+strings.ToUpper(name[len(name)-1:])] != want {
			t.Errorf("haproxy does not send to %s", want)
		}
		keys[r.Environment[config.HostKeyEnv]] = true
		stateURLs[r.Environment[config.EnvName("state-url")]] = true
		grace, err := time.ParseDuration(r.StopGracePeriod)
		if err != nil || grace <= cfg.DrainDelay+cfg.ShutdownTimeout {
			t.Errorf("%s: stop_grace_period %q does not cover drain %v + shutdown %v", name, r.StopGracePeriod, cfg.DrainDelay, cfg.ShutdownTimeout)
		}
		if !r.ReadOnly {
			t.Errorf("%s: root file system writable", name)
		}
	}
	if len(keys) != 1 || keys[""] {
		t.Errorf("replicas do not share one host key: %v", keys)
	}
	if len(stateURLs) != 1 || stateURLs[""] {
		t.Fatalf("replicas do not share one state URL: %v", stateURLs)
	}
	for u := range stateURLs {
		checkStateURL(t, f, u)
	}
}

// checkStateURL: the replicas' database is the compose file's postgres
// service, with its user and database, and the password from the same
// variable.
func checkStateURL(t *testing.T, f composeFile, s string) {
	t.Helper()
	pg, ok := f.Services["postgres"]
	if !ok {
		t.Fatal("no postgres service")
	}
	// Compose fills ${VAR} in; a placeholder stands for it here.
	vars := regexp.MustCompile(`\$\{([A-Z_]+)[^}]*\}`)
	passVar := vars.FindStringSubmatch(pg.Environment["POSTGRES_PASSWORD"])
	u, err := url.Parse(vars.ReplaceAllString(s, "password"))
	if err != nil || passVar == nil {
		t.Fatalf("state URL %q: %v (postgres password %q)", s, err, pg.Environment["POSTGRES_PASSWORD"])
	}
	if got := vars.FindStringSubmatch(s); got == nil || got[1] != passVar[1] {
		t.Errorf("the state URL's password is not the database's ${%s}", passVar[1])
	}
	if u.Scheme != "postgres" || u.Hostname() != "postgres" || u.User.Username() != pg.Environment["POSTGRES_USER"] ||
		strings.TrimPrefix(u.Path, "/") != pg.Environment["POSTGRES_DB"] {
		t.Errorf("state URL %s is not the postgres service's database (user %s, db %s)", u.Redacted(),
			pg.Environment["POSTGRES_USER"], pg.Environment["POSTGRES_DB"])
	}
}

func mounts(s composeService, from string) bool {
	for _, v := range s.Volumes {
		if strings.HasPrefix(v, from+":") {
			return true
		}
	}
	return false
}

// haproxyAddress is the fixed address HAProxy has on the blog network.
func haproxyAddress(t *testing.T, s composeService) netip.Addr {
	t.Helper()
	nets, _ := s.Networks.(map[string]any)
	blog, _ := nets["blog"].(map[string]any)
	a, _ := blog["ipv4_address"].(string)
	ip, err := netip.ParseAddr(a)
	if err != nil || net.ParseIP(a) == nil {
		t.Fatalf("haproxy has no fixed ipv4_address on the blog network (%q)", a)
	}
	return ip
}
