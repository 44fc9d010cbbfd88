package main

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sshblog/internal/blogtest"
	"strings"
	"syscall"
	"testing"
	"testing/synctest"
	"time"
)

// brokenWriter fails every write, as stderr does once its reader is gone.
type brokenWriter struct{}

func (brokenWriter) Write([]byte) (int, error) { return 0, syscall.EPIPE }

// stalledWriter blocks every write until released, as a full pipe does.
type stalledWriter struct{ release chan struct{} }

func (w stalledWriter) Write(p []byte) (int, error) { <-w.release; return len(p), nil }

func TestLogQueueNeverFailsNorBlocks(t *testing.T) {
	broken := newLogQueue(brokenWriter{})
	if n, err := broken.Write([]byte("line\n")); n != 5 || err != nil {
		t.Fatalf("write to a broken stderr: %d, %v", n, err)
	}
	broken.flush(time.Minute) // returns once the line was tried
	if broken.dropped.Load() != 1 {
		t.Fatalf("dropped %d lines, want 1", broken.dropped.Load())
	}

	stalled := stalledWriter{release: make(chan struct{})}
	defer close(stalled.release)
	q := newLogQueue(stalled)
	for range logQueueLen + 100 { // one in the writer, the queue full, the rest dropped
		if _, err := q.Write([]byte("line\n")); err != nil {
			t.Fatal(err)
		}
	}
	if q.dropped.Load() < 99 {
		t.Fatalf("dropped %d lines of a stalled stderr, want at least 99", q.dropped.Load())
	}
	q.flush(10 * time.Millisecond) // gives up on a stalled stderr
}

// TestLogFlushGivesUpOnAStalledStderrAtItsWait: at exit the last lines get
// logFlushWait to reach stderr, and not a moment more, whatever stderr does.
// In a synctest bubble the wait is the clock's, not the machine's.
func TestLogFlushGivesUpOnAStalledStderrAtItsWait(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		stalled := stalledWriter{release: make(chan struct{})}
		q := newLogQueue(stalled)
		if _, err := q.Write([]byte("last words\n")); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		q.flush(logFlushWait)
		if took := time.Since(start); took != logFlushWait {
			t.Errorf("flush of a stalled stderr took %v, want %v", took, logFlushWait)
		}
		close(stalled.release) // the writer goroutine ends before the bubble does
		<-q.done
	})
}

// TestBrokenStderrPipeDoesNotKillTheServer runs the built binary with
// stderr a pipe whose reader has gone: every log line then meets EPIPE,
// and, without SIGPIPE handled, Go kills a program that writes to a broken
// fd 2. The server must go on answering.
func TestBrokenStderrPipeDoesNotKillTheServer(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	t.Parallel()
	// No clock of its own: a cold build on a busy machine takes minutes,
	// and go test's -timeout is the guard.
	ctx := t.Context()
	bin := filepath.Join(t.TempDir(), "sshblog")
	if out, err := exec.CommandContext(ctx, "go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(ctx, bin, "--listen", "127.0.0.1:0", "--posts", blogtest.PostsDir(), "--keys", t.TempDir(), "--state", "")
	cmd.Stderr = w
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	_ = w.Close()
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
	})

	addr := readListenAddr(t, r)
	_ = r.Close() // from now on every log line meets a broken pipe

	for i := range 3 { // each session logs its start and end
		out, err := blogtest.OutputFrom("127.0.0.1", addr, "ls")
		if err != nil || !strings.Contains(out, "why-did-i-start-writing-on-my-page") {
			select {
			case werr := <-exited:
				t.Fatalf("ls %d: the server died: %v", i, werr)
			default:
			}
			t.Fatalf("ls %d: %v, %q", i, err, out)
		}
	}
	select {
	case err := <-exited:
		t.Fatalf("the server exited: %v", err)
	default:
	}
}

// readListenAddr reads the server's log until it says where it listens.
func readListenAddr(t *testing.T, r *os.File) string {
	t.Helper()
	_ = r.SetReadDeadline(time.Now().Add(blogtest.Patience))
	re := regexp.MustCompile(`msg=listening addr=(\S+)`)
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		if m := re.FindStringSubmatch(sc.Text()); m != nil {
			return m[1]
		}
	}
	t.Fatalf("no listening line: %v", sc.Err())
	return ""
}
