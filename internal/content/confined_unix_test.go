//go:build unix

package content

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestConfinedRefusesFIFOWithoutBlocking(t *testing.T) {
	posts := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(posts, "pipe.md"), 0o644); err != nil {
		t.Skip("mkfifo:", err)
	}
	c := filesConfined(t, posts, confinedOptions{Timeout: time.Hour})
	// Called directly, past the walk that would not even open it: the open
	// must not wait for a writer, nor the read for data.
	_, err := c.ReadFile(context.Background(), "pipe.md", 1<<20)
	if !errors.Is(err, ErrNotRegular) || !errors.Is(err, ErrUnreadable) || !strings.Contains(err.Error(), "named pipe") {
		t.Errorf("err %v", err)
	}
}
