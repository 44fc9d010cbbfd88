package server

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"sshblog/internal/config"
	"sshblog/internal/content"
	"sshblog/internal/render"
)

// Attacks on start-up and on the session limits: a host key that wedges
// every start, idle readers that fill the server, many addresses of one
// subnet, and a client that opens sessions one after another.

// startNew builds a server over keys without serving it.
func startNew(keys string) (*Server, error) {
	cfg := config.Default("h")
	cfg.Listen = "127.0.0.1:0"
	cfg.KeysDir = keys
	return New(cfg, content.NewStore(content.Options{Dir: keys}), render.New(render.Options{}), nil, "test")
}

// startKeysDir sets the keys folder of a test blog.
func startKeysDir(dir string) blogOption { return func(c *config.Config) { c.KeysDir = dir } }

// startBadKey runs one bad-key case: New must fail naming the key's path
// and the way out, and after the operator moves the file away, the blog
// starts with a new key and a fresh reader gets the list.
func startBadKey(t *testing.T, plant func(path string), want string) {
	t.Helper()
	keys := filepath.Join(t.TempDir(), "keys")
	if err := os.MkdirAll(keys, 0o700); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(keys, HostKeyFile)
	plant(path)
	_, err := startNew(keys)
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
	requireFreshReader(t, startBlog(t, nil, startKeysDir(keys)))
}

func TestEmptyHostKeyGivesClearError(t *testing.T) {
	t.Parallel()
	startBadKey(t, func(path string) { startWrite(t, path, "") }, "is empty")
}

func TestTruncatedHostKeyGivesClearError(t *testing.T) {
	t.Parallel()
	good := filepath.Join(t.TempDir(), "keys")
	if _, err := startNew(good); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(good, HostKeyFile))
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
	blog := startBlog(t, nil)
	client := dialSSH(t, blog.addr)
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
	requireFreshReader(t, blog)
}
