package haproxy

import (
	"bufio"
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/charmbracelet/x/vt"
	"github.com/pires/go-proxyproto"
	gossh "golang.org/x/crypto/ssh"
)

// needHAProxy is the haproxy binary; the test is skipped without it, and
// fails without it in CI (.ci/run installs it).
func needHAProxy(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("a real HAProxy and two replicas: not in -short")
	}
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

// freePort is a loopback address nothing listens on just now.
func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// syncBuffer collects a process's output.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// waitLogged waits up to 20 s for want in either replica's log.
func (c *cluster) waitLogged(t *testing.T, want string) {
	t.Helper()
	waitText(t, func() string { return c.replicas[0].logs.String() + c.replicas[1].logs.String() }, want)
}

// waitLog waits up to 20 s for want in b.
func waitLog(t *testing.T, b *syncBuffer, want string) {
	t.Helper()
	waitText(t, b.String, want)
}

// waitText waits up to 20 s for want in what text returns: a process's
// log reaches the test through a pipe, some time after what it logs.
func waitText(t *testing.T, text func() string, want string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(text(), want) {
		if time.Now().After(deadline) {
			t.Fatalf("%q not logged:\n%s", want, text())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// replica is one sshblog process.
type replica struct {
	addr string
	args []string
	env  []string
	cmd  *exec.Cmd
	logs *syncBuffer
	done chan struct{}
}

func (r *replica) start(t *testing.T) {
	t.Helper()
	r.logs = &syncBuffer{}
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
	waitLog(t, r.logs, "msg=listening")
}

// stop sends SIGTERM and waits for the process to exit.
func (r *replica) stop(t *testing.T) {
	t.Helper()
	if err := r.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-r.done:
	case <-time.After(30 * time.Second):
		t.Fatalf("replica %s still running 30 s after SIGTERM:\n%s", r.addr, r.logs.String())
	}
}

// cluster is HAProxy (deploy/haproxy/haproxy.cfg, as it is) in front of
// two replicas that share a host key and trust PROXY headers from
// 127.0.0.1, HAProxy's source address.
type cluster struct {
	front    string
	replicas [2]*replica
	haproxy  *syncBuffer
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
	c := &cluster{front: freePort(t), haproxy: &syncBuffer{}}
	for i := range c.replicas {
		addr := freePort(t)
		args := append([]string{"--listen", addr, "--posts", "../../posts", "--keys", t.TempDir(),
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
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(c.replicas[i].logs.String(), "msg=\"session end\"") {
		if time.Now().After(deadline) {
			t.Fatalf("replica %d never served through HAProxy:\n%s\nhaproxy:\n%s", i, c.replicas[i].logs.String(), c.haproxy.String())
		}
		_, _ = runFrom("127.0.0.1", c.front, "help")
		time.Sleep(50 * time.Millisecond)
	}
}

func clientConfig() *gossh.ClientConfig {
	return &gossh.ClientConfig{User: "reader", HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 10 * time.Second}
}

// dialFrom opens an SSH connection to addr from the local address from.
func dialFrom(from, addr string) (*gossh.Client, error) { return dial(from, addr, false) }

// dial opens an SSH connection to addr from the local address from; as a
// balancer would when proxied (a PROXY v2 header naming 192.0.2.1).
func dial(from, addr string, proxied bool) (*gossh.Client, error) {
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}, Timeout: 10 * time.Second}
	c, err := d.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	if proxied {
		src := &net.TCPAddr{IP: net.ParseIP("192.0.2.1"), Port: 1}
		if _, err := proxyproto.HeaderProxyFromAddrs(2, src, c.RemoteAddr()).WriteTo(c); err != nil {
			_ = c.Close()
			return nil, err
		}
	}
	_ = c.SetDeadline(time.Now().Add(20 * time.Second))
	sc, chans, reqs, err := gossh.NewClientConn(c, addr, clientConfig())
	if err != nil {
		_ = c.Close()
		return nil, err
	}
	_ = c.SetDeadline(time.Time{})
	return gossh.NewClient(sc, chans, reqs), nil
}

// runFrom runs cmd through a new connection from the local address from.
func runFrom(from, addr, cmd string) (string, error) {
	client, err := dialFrom(from, addr)
	if err != nil {
		return "", err
	}
	defer client.Close()
	sess, err := client.NewSession()
	if err != nil {
		return "", err
	}
	defer sess.Close()
	out, err := sess.Output(cmd)
	return string(out), err
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
		if _, err := runFrom("127.0.0.2", c.front, "help"); err != nil {
			refused = true
			break
		}
	}
	if !refused {
		t.Fatal("127.0.0.2 was never limited")
	}
	if out, err := runFrom("127.0.0.3", c.front, "help"); err != nil || !strings.Contains(out, "ssh") {
		t.Fatalf("127.0.0.3 limited together with 127.0.0.2: %v", err)
	}
	// The client has its answer before the replica's log line arrives.
	for _, want := range []string{"remote=127.0.0.3:", "reason=conn-rate source=127.0.0.2"} {
		c.waitLogged(t, want)
	}

	// Straight to a replica, from 127.0.0.4, claiming to be 198.51.100.1.
	conn, err := (&net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP("127.0.0.4")}}).Dial("tcp", c.replicas[0].addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	src := &net.TCPAddr{IP: net.ParseIP("198.51.100.1"), Port: 1}
	if _, err := proxyproto.HeaderProxyFromAddrs(2, src, conn.RemoteAddr()).WriteTo(conn); err != nil {
		t.Fatal(err)
	}
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	if _, _, _, err := gossh.NewClientConn(conn, c.replicas[0].addr, clientConfig()); err == nil {
		t.Fatal("a PROXY header from an untrusted address was accepted")
	}
	waitLog(t, c.replicas[0].logs, "reason=proxy-header peer=127.0.0.4:")
}

// reader is an open reader on a PTY, its screen kept by a terminal
// emulator.
type reader struct {
	mu    sync.Mutex
	emu   *vt.Emulator
	seen  strings.Builder // every screen the reader was shown, as text
	done  chan struct{}
	stdin io.Writer
}

// send types keys.
func (r *reader) send(t *testing.T, keys string) {
	t.Helper()
	if _, err := io.WriteString(r.stdin, keys); err != nil {
		t.Fatalf("type %q: %v", keys, err)
	}
}

// openReaderOn opens a reader on the replica at addr, as HAProxy would.
func openReaderOn(t *testing.T, addr string) *reader {
	t.Helper()
	return startReader(t, addr, true)
}

// openReader opens a reader through the balancer at addr.
func openReader(t *testing.T, addr string) *reader {
	t.Helper()
	return startReader(t, addr, false)
}

func startReader(t *testing.T, addr string, proxied bool) *reader {
	t.Helper()
	client, err := dial("127.0.0.1", addr, proxied)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = client.Close() })
	sess, err := client.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.RequestPty("xterm-256color", 24, 80, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	r := &reader{emu: vt.NewEmulator(80, 24), done: make(chan struct{}), stdin: nil}
	stdout, err := sess.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdin, err := sess.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	r.stdin = stdin
	go func() { _, _ = io.Copy(stdin, r.emu) }()
	go func() {
		defer close(r.done)
		br := bufio.NewReader(stdout)
		buf := make([]byte, 4096)
		for {
			n, err := br.Read(buf)
			if n > 0 {
				r.mu.Lock()
				_, _ = r.emu.Write(buf[:n])
				r.seen.WriteString(r.emu.String())
				r.seen.Write(buf[:n]) // the goodbye is printed after the screen is left
				r.mu.Unlock()
			}
			if err != nil {
				return
			}
		}
	}()
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	return r
}

// waitFor waits up to 20 s for the reader to be shown want.
func waitFor(t *testing.T, r *reader, want string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !r.saw(want) {
		if time.Now().After(deadline) {
			t.Fatalf("reader never shown %q", want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (r *reader) saw(want string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return strings.Contains(r.seen.String(), want)
}

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
				out, err := runFrom(from, c.front, "help")
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
		waitFor(t, onThis, "Why did I start") // the bundled post's title, on the home list
		r.stop(t)
		if !onThis.saw("this server is restarting; reconnect to continue") {
			t.Errorf("reader on replica %d was not told to reconnect:\n%s", i, onThis.seen.String())
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
	r := openReader(t, c.front)
	waitFor(t, r, "Why did I start")
	time.Sleep(6 * time.Second) // three balancer timeouts without a key
	select {
	case <-r.done:
		t.Fatal("the balancer cut an idle reader")
	default:
	}
	r.send(t, "\r") // open the post: the connection still carries keys
	waitFor(t, r, "how my brain works")
}
