package server_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"sshblog/internal/blogtest"
	"sshblog/internal/config"
	"sshblog/internal/content"
	"sshblog/internal/hostkey"
	"sshblog/internal/render"
	"sshblog/internal/server"
)

// Attacks on start-up and on the session limits: a host key that wedges
// every start, idle readers that fill the server, many addresses of one
// subnet, and a client that opens sessions one after another.

// startNew builds a server over keys without serving it, as cmd/sshblog
// does: the host keys first, whose error stops the start.
func startNew(t *testing.T, keys string) (*server.Server, error) {
	cfg := config.Default()
	cfg.Listen = "127.0.0.1:0"
	cfg.KeysDir = keys
	cfg.StateDir = "" // no memory folder in the package directory
	if _, err := blogtest.HostKeys(cfg); err != nil {
		return nil, err
	}
	return server.New(cfg, blogtest.Deps(t, cfg, content.NewStore(content.Options{Dir: keys}), render.New(render.Options{Timeout: blogtest.RenderBudget}), nil))
}

// startKeysDir sets the keys folder of a test blog.
func startKeysDir(dir string) blogtest.Option { return func(c *config.Config) { c.KeysDir = dir } }

// startBadKey runs one bad-key case: New must fail naming the key's path
// and the way out, and after the operator moves the file away, the blog
// starts with a new key and a fresh reader gets the list.
func startBadKey(t *testing.T, plant func(path string), want string) {
	t.Helper()
	keys := filepath.Join(t.TempDir(), "keys")
	if err := os.MkdirAll(keys, 0o700); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(keys, hostkey.File)
	plant(path)
	_, err := startNew(t, keys)
	if err == nil {
		t.Fatal("the server started with a bad host key")
	}
	for _, w := range []string{path, want, "move it away"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not say %q", err, w)
		}
	}
	if err := os.Rename(path, path+".bad"); err != nil {
		t.Fatal(err)
	}
	blogtest.Start(t, nil, startKeysDir(keys)).RequireFreshReader(t)
}

func TestEmptyHostKeyGivesClearError(t *testing.T) {
	t.Parallel()
	startBadKey(t, func(path string) { startWrite(t, path, "") }, "is empty")
}

func TestTruncatedHostKeyGivesClearError(t *testing.T) {
	t.Parallel()
	good := filepath.Join(t.TempDir(), "keys")
	if _, err := startNew(t, good); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(good, hostkey.File))
	if err != nil {
		t.Fatal(err)
	}
	startBadKey(t, func(path string) { startWrite(t, path, string(b[:len(b)/2])) }, "not a private key")
}

func TestGarbageHostKeyGivesClearError(t *testing.T) {
	t.Parallel()
	startBadKey(t, func(path string) { startWrite(t, path, "hello\n") }, "not a private key")
}

// TestHostKeyLinkedToDevZeroIsRefused: a key linked to an endless device
// must not be read into memory (nor hang the start).
func TestHostKeyLinkedToDevZeroIsRefused(t *testing.T) {
	t.Parallel()
	startBadKey(t, func(path string) {
		if err := os.Symlink("/dev/zero", path); err != nil {
			t.Fatal(err)
		}
	}, "not a regular file")
}

// TestHostKeyFIFODoesNotHang: opening a FIFO for reading waits for a writer
// unless opened without blocking.
func TestHostKeyFIFODoesNotHang(t *testing.T) {
	t.Parallel()
	startBadKey(t, func(path string) {
		if err := syscall.Mkfifo(path, 0o600); err != nil {
			t.Skipf("mkfifo: %v", err)
		}
	}, "not a regular file")
}

func TestHostKeyFolderIsRefused(t *testing.T) {
	t.Parallel()
	startBadKey(t, func(path string) {
		if err := os.Mkdir(path, 0o700); err != nil {
			t.Fatal(err)
		}
	}, "not a regular file")
}

// TestHugeHostKeyIsNotRead: a sparse file of a gigabyte is refused by its
// size, before a byte is read.
func TestHugeHostKeyIsNotRead(t *testing.T) {
	t.Parallel()
	startBadKey(t, func(path string) {
		startWrite(t, path, "")
		if err := os.Truncate(path, 1<<30); err != nil {
			t.Fatal(err)
		}
	}, "more than a key ever has")
}

func startWrite(t *testing.T, path, body string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestSecondSessionOnSameConnectionIsServed: sessions one after another on
// one connection are served at once, whoever closes first; only sessions
// at the same time are limited.
func TestSecondSessionOnSameConnectionIsServed(t *testing.T) {
	t.Parallel()
	blog := blogtest.Start(t, nil)
	client := blogtest.Dial(t, blog.Addr)
	defer client.Close()
	for i := range 20 {
		// The server ends the session (the command's exit), and the client
		// opens the next as soon as it has seen the end.
		sess, err := client.NewSession()
		if err != nil {
			t.Fatalf("session %d after the client closed one: %v", i, err)
		}
		out, err := sess.Output("ls")
		if err != nil || !strings.Contains(string(out), seedSlug) {
			t.Fatalf("session %d: %v %q", i, err, out)
		}
		// The client ends the session before it runs anything.
		sess, err = client.NewSession()
		if err != nil {
			t.Fatalf("session %d after a command: %v", i, err)
		}
		_ = sess.Close()
	}
	blog.RequireFreshReader(t)
}

// startEvictIdle sets how long a reader must be idle to make room.
func startEvictIdle(d time.Duration) blogtest.Option {
	return func(c *config.Config) { c.EvictIdle = d }
}

// startSubnetCap sets --max-sessions-per-subnet.
func startSubnetCap(n int) blogtest.Option {
	return func(c *config.Config) { c.MaxSessionsPerSubnet = n }
}

// startLightFrom opens a reader from src that reads but never types (and,
// having no terminal, answers no query): idle from its first byte.
func startLightFrom(t *testing.T, src, addr string) *blogtest.LightReader {
	t.Helper()
	client, err := blogtest.DialFrom(src, addr)
	if err != nil {
		t.Fatal(err)
	}
	r, err := blogtest.StartLight(client, 100, 30, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Close)
	if !r.WaitOutput(seedTitle) {
		t.Fatalf("reader from %s got no list: %q", src, r.Out.String())
	}
	return r
}

// TestFullServerEvictsLongestIdle: on a full server the reader idle longest
// is told the blog is busy and closed, so a new reader gets in; a reader who
// typed since stays, though they connected first.
func TestFullServerEvictsLongestIdle(t *testing.T) {
	t.Parallel()
	// A nanosecond stands for --evict-idle's minutes: every reader is idle
	// past it, and the longest idle goes first.
	blog := blogtest.Start(t, nil, limits(2, 1000, 1000, 1000), startEvictIdle(time.Nanosecond))
	active := blogtest.OpenScreen(t, blog.Addr, 100, 30)
	active.WaitFor(seedTitle)
	idle := startLightFrom(t, "127.0.0.1", blog.Addr)
	active.Send("s") // typed after idle connected: idle has waited longest
	active.WaitFor("Type to search every post")

	blog.RequireFreshReader(t)
	if !idle.WaitOutput(server.Busy) {
		t.Fatalf("the idle reader was not told %q: %q", server.Busy, idle.Out.String())
	}
	if code := blogtest.ExitStatus(idle.Done); code != 0 {
		t.Errorf("evicted reader: exit status %d, want 0 (the reader ended)", code)
	}
	blog.WaitLog(t, `msg="blog full; closing the reader idle longest" reason=max-sessions`, "reason=evicted")
	active.Send("\x1b") // the reader who typed goes on
	active.WaitFor(seedTitle)
	select {
	case err := <-active.Done:
		t.Fatalf("the active reader was closed: %v", err)
	default:
	}
}

// TestIdleReadersFromManyAddressesCannotLockOut: readers that connect from
// many addresses and sit idle fill the server; new readers still get in,
// each in place of the reader idle longest.
func TestIdleReadersFromManyAddressesCannotLockOut(t *testing.T) {
	t.Parallel()
	const addrs, each, newcomers = 4, 3, 3
	blog := blogtest.Start(t, nil, limits(addrs*each, each, 1000, 1000), startEvictIdle(time.Nanosecond))
	var held []*blogtest.LightReader
	for i := range addrs {
		for range each {
			held = append(held, startLightFrom(t, fmt.Sprintf("127.0.0.%d", 10+i), blog.Addr))
		}
	}
	for i := range newcomers { // they stay, so each needs a place
		startLightFrom(t, fmt.Sprintf("127.0.0.%d", 30+i), blog.Addr)
	}
	blog.RequireFreshReader(t)
	// Nobody typed: those who connected first have been idle longest.
	for i, r := range held[:newcomers+1] {
		if !r.WaitOutput(server.Busy) {
			t.Fatalf("idle reader %d was not told %q: %q", i, server.Busy, r.Out.String())
		}
		if code := blogtest.ExitStatus(r.Done); code != 0 {
			t.Errorf("idle reader %d: exit status %d, want 0", i, code)
		}
	}
	for i, r := range held[newcomers+1:] {
		select {
		case err := <-r.Done:
			t.Errorf("idle reader %d, not the longest idle, was closed: %v %q", newcomers+1+i, err, r.Out.String())
		default:
		}
	}
}

// TestSubnetCapAppliesAcrossAddresses: addresses of one /24 share
// --max-sessions-per-subnet; another subnet is not affected.
func TestSubnetCapAppliesAcrossAddresses(t *testing.T) {
	t.Parallel()
	blog := blogtest.Start(t, nil, startSubnetCap(2))
	first := startLightFrom(t, "127.0.0.3", blog.Addr)
	startLightFrom(t, "127.0.0.4", blog.Addr)

	_, stderr, code := blogtest.RunFrom(t, "127.0.0.5", blog.Addr, "ls")
	if code != 1 || strings.TrimSpace(stderr) != server.Full {
		t.Errorf("third address of the subnet: exit %d, stderr %q; want 1 and %q", code, stderr, server.Full)
	}
	blog.WaitLog(t, `msg="blog full; telling the reader" reason=max-sessions-per-subnet source=127.0.0.5`)
	stdout, _, code := blogtest.RunFrom(t, "127.0.1.5", blog.Addr, "ls")
	if code != 0 || !strings.Contains(stdout, seedSlug) {
		t.Errorf("another subnet: exit %d, %q", code, stdout)
	}
	first.Close()
	blogtest.Settle(func() bool { n, _ := blog.Server.OpenConns(); return n == 1 })
	blog.RequireFreshReader(t)
}
