package haproxy

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"sshblog/internal/blogtest"
)

// needHAProxy is the haproxy binary; the test is skipped without it, and
// fails without it in CI (.ci/run installs it).
func needHAProxy(t *testing.T) string {
	t.Helper()
	blogtest.SkipInShort(t) // a real HAProxy and two replicas
	path, err := exec.LookPath("haproxy")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("haproxy is not installed (apt-get install haproxy); CI needs it")
		}
		t.Skip("haproxy is not installed")
	}
	return path
}

var (
	buildOnce sync.Once
	binary    string
	buildErr  error
	buildDir  string
)

// sshblogBinary builds cmd/sshblog once per test binary.
func sshblogBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		buildDir, buildErr = os.MkdirTemp("", "sshblog-haproxy-")
		if buildErr != nil {
			return
		}
		binary = filepath.Join(buildDir, "sshblog")
		out, err := exec.Command("go", "build", "-o", binary, "../../cmd/sshblog").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binary
}

func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		_ = os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// waitLogged waits for want in either replica's log: a process's log
// reaches the test through a pipe, some time after what it logs.
func (c *cluster) waitLogged(t *testing.T, want string) {
	t.Helper()
	logs := func() string { return c.replicas[0].logs.String() + c.replicas[1].logs.String() }
	if !blogtest.Until(blogtest.Patience, func() bool { return strings.Contains(logs(), want) }) {
		t.Fatalf("%q not logged:\n%s", want, logs())
	}
}

// replica is one sshblog process.
type replica struct {
	addr string
	args []string
	env  []string
	cmd  *exec.Cmd
	logs *blogtest.Buffer
	done chan struct{}
}

func (r *replica) start(t *testing.T) {
	t.Helper()
	r.logs = &blogtest.Buffer{}
	r.cmd = exec.Command(sshblogBinary(t), r.args...)
	r.cmd.Env = append(os.Environ(), r.env...)
	r.cmd.Stderr = r.logs
	if err := r.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	r.done = make(chan struct{})
	cmd, done := r.cmd, r.done
	go func() { _ = cmd.Wait(); close(done) }()
	t.Cleanup(func() { _ = cmd.Process.Kill(); <-done })
	r.logs.WaitFor(t, "msg=listening")
}

// stop sends SIGTERM and waits for the process to exit.
func (r *replica) stop(t *testing.T) {
	t.Helper()
	if err := r.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-r.done:
	case <-time.After(blogtest.Patience):
		t.Fatalf("replica %s still running %v after SIGTERM:\n%s", r.addr, blogtest.Patience, r.logs.String())
	}
}

// cluster is HAProxy (deploy/haproxy/haproxy.cfg, as it is) in front of
// two replicas that share a host key and trust PROXY headers from
// 127.0.0.1, HAProxy's source address.
type cluster struct {
	front    string
	replicas [2]*replica
	haproxy  *blogtest.Buffer
}

func startCluster(t *testing.T, extra ...string) *cluster {
	t.Helper()
	return startClusterWith(t, "haproxy.cfg", extra...)
}

// startClusterWith is startCluster with another HAProxy configuration.
func startClusterWith(t *testing.T, cfg string, extra ...string) *cluster {
	t.Helper()
	haproxy := needHAProxy(t)
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	block, err := gossh.MarshalPrivateKey(key, "")
	if err != nil {
		t.Fatal(err)
	}
	hostKey := "SSHBLOG_HOST_KEY=" + string(pem.EncodeToMemory(block))
	c := &cluster{front: blogtest.FreeAddr(t), haproxy: &blogtest.Buffer{}}
	for i := range c.replicas {
		addr := blogtest.FreeAddr(t)
		args := append([]string{"--listen", addr, "--posts", blogtest.PostsDir(), "--keys", t.TempDir(),
			"--state", "", "--proxy-protocol-from", "127.0.0.1/32"}, extra...)
		c.replicas[i] = &replica{addr: addr, args: args, env: []string{hostKey}}
		c.replicas[i].start(t)
	}
	cmd := exec.Command(haproxy, "-db", "-f", cfg)
	cmd.Env = append(os.Environ(), "SSHBLOG_BIND="+c.front,
		"SSHBLOG_REPLICA_A="+c.replicas[0].addr, "SSHBLOG_REPLICA_B="+c.replicas[1].addr)
	cmd.Stdout, cmd.Stderr = c.haproxy, c.haproxy
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	t.Cleanup(func() { _ = cmd.Process.Kill(); <-exited })
	// Up when a reader gets through to each replica.
	for i := range c.replicas {
		c.waitServed(t, i)
	}
	return c
}

// waitServed runs commands through HAProxy until replica i has served one.
func (c *cluster) waitServed(t *testing.T, i int) {
	t.Helper()
	served := func() bool {
		if strings.Contains(c.replicas[i].logs.String(), `msg="session end"`) {
			return true
		}
		_, _ = blogtest.OutputFrom("127.0.0.1", c.front, "help")
		return false
	}
	if !blogtest.Until(blogtest.Patience, served) {
		t.Fatalf("replica %d never served through HAProxy:\n%s\nhaproxy:\n%s", i, c.replicas[i].logs.String(), c.haproxy.String())
	}
}

// TestLimitsSeeRealClients: behind HAProxy, each reader is limited by its
// own address: 127.0.0.2 runs out of new connections while 127.0.0.3 does
// not, and the replicas log the real addresses. A PROXY header sent to a
// replica directly from an untrusted address is refused.
func TestLimitsSeeRealClients(t *testing.T) {
	t.Parallel()
	c := startCluster(t, "--conn-burst", "3", "--conn-rate", "0.001")
	refused := false
	for range 10 { // 3 per replica at most
		if _, err := blogtest.OutputFrom("127.0.0.2", c.front, "help"); err != nil {
			refused = true
			break
		}
	}
	if !refused {
		t.Fatal("127.0.0.2 was never limited")
	}
	if out, err := blogtest.OutputFrom("127.0.0.3", c.front, "help"); err != nil || !strings.Contains(out, "ssh") {
		t.Fatalf("127.0.0.3 limited together with 127.0.0.2: %v", err)
	}
	// The client has its answer before the replica's log line arrives.
	for _, want := range []string{"remote=127.0.0.3:", "reason=conn-rate source=127.0.0.2"} {
		c.waitLogged(t, want)
	}

	// Straight to a replica, from 127.0.0.4, claiming to be 198.51.100.1.
	conn, err := blogtest.TCPFrom("127.0.0.4", c.replicas[0].addr)
	if err != nil {
		t.Fatal(err)
	}
	if err := blogtest.SendProxyHeader(conn, "198.51.100.1:1"); err != nil {
		_ = conn.Close()
		t.Fatal(err)
	}
	if client, err := blogtest.ClientOver(conn, c.replicas[0].addr, blogtest.ClientConfig()); err == nil {
		_ = client.Close()
		t.Fatal("a PROXY header from an untrusted address was accepted")
	}
	c.replicas[0].logs.WaitFor(t, "reason=proxy-header peer=127.0.0.4:")
}

// openReaderOn opens an 80×24 reader straight on the replica at addr, as
// HAProxy would: a PROXY header naming 192.0.2.1 comes first.
func openReaderOn(t *testing.T, addr string) *blogtest.Screen {
	t.Helper()
	client, err := blogtest.DialProxied("127.0.0.1", addr, "192.0.2.1:1")
	if err != nil {
		t.Fatal(err)
	}
	return blogtest.OpenScreenOn(t, client, 80, 24)
}

// homeList is the start of the bundled post's title, on the home list
// (the whole title may not fit 80 columns).
const homeList = "Why did I start"

// TestRollingRestartFailsNoConnection: SIGTERM one replica, start it again,
// then the other, while new connections keep coming through HAProxy: none
// fails, and the readers on each stopping replica are told to reconnect.
func TestRollingRestartFailsNoConnection(t *testing.T) {
	t.Parallel()
	c := startCluster(t, "--conn-burst", "100000", "--conn-rate", "100000", "--max-sessions-per-ip", "1000",
		"--max-sessions-per-subnet", "1000", "--shutdown-timeout", "12s") // readers linger 2 s
	var ok, failed atomic.Int64
	var firstErr atomic.Value
	stop := make(chan struct{})
	var load sync.WaitGroup
	for w := range 4 {
		load.Add(1)
		go func() {
			defer load.Done()
			from := fmt.Sprintf("127.0.0.%d", 10+w)
			for {
				select {
				case <-stop:
					return
				default:
				}
				out, err := blogtest.OutputFrom(from, c.front, "help")
				if err == nil && !strings.Contains(out, "ssh") {
					err = fmt.Errorf("help printed %q", out)
				}
				if err != nil {
					failed.Add(1)
					firstErr.CompareAndSwap(nil, err)
					continue
				}
				ok.Add(1)
			}
		}()
	}
	for i, r := range c.replicas {
		onThis := openReaderOn(t, r.addr)
		onThis.WaitFor(homeList)
		r.stop(t)
		// The notice is on the screen's bottom line until the goodbye
		// replaces the screen: Raw keeps it, and has it soon after the
		// replica's exit.
		const told = "this server is restarting; reconnect to continue"
		if !blogtest.Until(blogtest.Patience, func() bool { return strings.Contains(onThis.Raw.String(), told) }) {
			t.Errorf("reader on replica %d was not told to reconnect:\n%s", i, onThis.Raw.String())
		}
		r.start(t)
		c.waitServed(t, i)
	}
	close(stop)
	load.Wait()
	t.Logf("rolling restart: %d connections ok, %d failed", ok.Load(), failed.Load())
	if failed.Load() != 0 || ok.Load() == 0 {
		t.Fatalf("%d of %d connections failed (first: %v)\nhaproxy:\n%s", failed.Load(), failed.Load()+ok.Load(), firstErr.Load(), c.haproxy.String())
	}
}

// TestIdleReaderStaysThroughBalancerTimeouts: HAProxy cuts connections
// idle for its client/server timeouts (here 2 s instead of the file's 1 h,
// as a cloud balancer's 60 s would); a reader who only reads for three
// times that stays connected, kept alive by the replicas' keepalives.
func TestIdleReaderStaysThroughBalancerTimeouts(t *testing.T) {
	t.Parallel()
	cfg, err := os.ReadFile("haproxy.cfg")
	if err != nil {
		t.Fatal(err)
	}
	short := string(cfg)
	for _, k := range []string{"client", "server", "tunnel"} {
		short = strings.Replace(short, "timeout "+k+" 1h", "timeout "+k+" 2s", 1)
	}
	if strings.Contains(short, " 1h") {
		t.Fatal("haproxy.cfg timeouts changed; update this test")
	}
	path := filepath.Join(t.TempDir(), "haproxy.cfg")
	if err := os.WriteFile(path, []byte(short), 0o600); err != nil {
		t.Fatal(err)
	}
	c := startClusterWith(t, path, "--keepalive", "500ms")
	r := blogtest.OpenScreen(t, c.front, 80, 24)
	r.WaitFor(homeList)
	time.Sleep(6 * time.Second) // three balancer timeouts without a key: the idling is the test
	select {
	case err := <-r.Done:
		t.Fatalf("the balancer cut an idle reader: %v", err)
	default:
	}
	r.Send("\r") // open the post: the connection still carries keys
	r.WaitFor("how my brain works")
}
