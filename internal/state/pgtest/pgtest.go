// Package pgtest starts a real PostgreSQL for tests of the shared state
// store: initdb into a fresh folder, then postgres listening only on a
// unix socket in that folder, fsync off. Each test gets a database of its
// own ([Server.NewDB]), so tests share one server and still run in
// parallel; a test that stops the server (the database going away) starts
// its own with [Start].
//
// PostgreSQL refuses to run as root: as root the server runs as the
// postgres user, in a folder made outside the test's 0700 temporary
// folders. Without the binaries tests are skipped, except under CI (the
// environment variable CI set), where that is a failure: .ci/run installs
// Debian's postgresql.
package pgtest

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"sshblog/internal/testwait"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5"
)

// port names the socket file (.s.PGSQL.5432); nothing listens on TCP.
const port = 5432

// Server is one PostgreSQL server run by a test.
type Server struct {
	bin  string // folder of initdb and postgres
	dir  string // data/ and the socket
	cred *syscall.Credential

	mu   sync.Mutex
	cmd  *exec.Cmd
	exit chan struct{} // closed when cmd ends
	log  *testwait.Buffer

	dbs atomic.Int64
}

// Start runs a server of the test's own, stopped and removed at cleanup.
func Start(tb testing.TB) *Server {
	tb.Helper()
	s, err := start(binDir(tb))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(s.Remove)
	return s
}

var (
	sharedOnce sync.Once
	shared     *Server
	sharedErr  error
)

// Shared is the test binary's one server, started at the first call; the
// package's TestMain calls [Main] to remove it at the end.
func Shared(tb testing.TB) *Server {
	tb.Helper()
	bin := binDir(tb)
	sharedOnce.Do(func() { shared, sharedErr = start(bin) })
	if sharedErr != nil {
		tb.Fatal(sharedErr)
	}
	return shared
}

// Main runs the tests, then stops the shared server if one was started.
func Main(m *testing.M) {
	code := m.Run()
	if shared != nil {
		shared.Remove()
	}
	os.Exit(code)
}

// binDir finds PostgreSQL's binaries: on PATH, else Debian's
// /usr/lib/postgresql/N/bin (newest N). It skips the test when there are
// none, or fails it under CI.
func binDir(tb testing.TB) string {
	tb.Helper()
	if testing.Short() {
		tb.Skip("a real PostgreSQL: not in -short")
	}
	if p, err := exec.LookPath("postgres"); err == nil {
		return filepath.Dir(p)
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	slices.SortFunc(dirs, func(a, b string) int { return version(b) - version(a) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "postgres")); err == nil {
			return d
		}
	}
	msg := "PostgreSQL is not installed (apt-get install postgresql): the shared state store is not tested"
	if os.Getenv("CI") != "" {
		tb.Fatal(msg)
	}
	tb.Skip(msg)
	return ""
}

func version(binDir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return n
}

func start(bin string) (*Server, error) {
	// A short folder (a socket path has ~107 bytes) that the postgres user
	// can reach when the tests run as root: /tmp rather than a TMPDIR that
	// may be long or inside root's 0700 home.
	base := os.TempDir()
	if os.Geteuid() == 0 || len(base) > 60 {
		base = "/tmp"
	}
	dir, err := os.MkdirTemp(base, "pg")
	if err != nil {
		return nil, err
	}
	s := &Server{bin: bin, dir: dir}
	if err := s.init(); err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	if err := s.Start(); err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	return s, nil
}

// init makes the folder the server's (the postgres user's, as root) and
// runs initdb in it.
func (s *Server) init() error {
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return fmt.Errorf("running as root, PostgreSQL needs the postgres user: %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		s.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		if err := os.Chown(s.dir, uid, gid); err != nil {
			return err
		}
	}
	var out bytes.Buffer
	cmd := s.command("initdb", "-D", s.data(), "-U", "postgres", "-A", "trust",
		"-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions")
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("initdb: %w\n%s", err, out.Bytes())
	}
	return nil
}

func (s *Server) data() string { return filepath.Join(s.dir, "data") }

func (s *Server) command(name string, args ...string) *exec.Cmd {
	cmd := exec.Command(filepath.Join(s.bin, name), args...)
	cmd.Dir = s.dir
	// The server dies with the test binary, whatever happens to it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: s.cred, Pdeathsig: syscall.SIGKILL}
	return cmd
}

// Start starts the server (again, after Stop) on the same folder and
// socket, and returns once it accepts connections.
func (s *Server) Start() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd != nil {
		return errors.New("postgres is already running")
	}
	cmd := s.command("postgres", "-D", s.data(), "-k", s.dir, "-p", strconv.Itoa(port),
		"-c", "listen_addresses=", "-c", "fsync=off", "-c", "synchronous_commit=off",
		"-c", "full_page_writes=off", "-c", "max_connections=200")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start postgres: %w", err)
	}
	s.log = &testwait.Buffer{}
	ready := make(chan struct{})
	go watch(stderr, s.log, ready)
	exit := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exit) }()
	select {
	case <-ready:
	case <-exit:
		return fmt.Errorf("postgres exited at start:\n%s", s.log)
	}
	s.cmd, s.exit = cmd, exit
	return nil
}

// watch copies the server's log and says when it is ready: its own line,
// a signal rather than a poll.
func watch(r io.Reader, log *testwait.Buffer, ready chan struct{}) {
	sc := bufio.NewScanner(r)
	once := sync.Once{}
	for sc.Scan() {
		line := sc.Text()
		_, _ = io.WriteString(log, line+"\n")
		if strings.Contains(line, "database system is ready to accept connections") {
			once.Do(func() { close(ready) })
		}
	}
}

// Stop shuts the server down at once ("fast" shutdown: clients are
// disconnected) and waits for it to end. The data stay for Start.
func (s *Server) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Signal(syscall.SIGINT)
	<-s.exit
	s.cmd = nil
}

// Remove stops the server and deletes its folder.
func (s *Server) Remove() {
	s.Stop()
	_ = os.RemoveAll(s.dir)
}

// URL is the address of the database named db.
func (s *Server) URL(db string) string {
	return fmt.Sprintf("postgres://postgres@/%s?host=%s&port=%d&sslmode=disable", db, s.dir, port)
}

// NewDB makes an empty database for one test and returns its URL.
func (s *Server) NewDB(tb testing.TB) string {
	tb.Helper()
	name := fmt.Sprintf("t%d_%s", s.dbs.Add(1), strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		if r >= 'A' && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return '_'
	}, tb.Name()))
	name = name[:min(len(name), 60)]
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, s.URL("postgres"))
	if err != nil {
		tb.Fatalf("connect to the test server: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		tb.Fatalf("create database %s: %v", name, err)
	}
	return s.URL(name)
}
