package images

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"sshblog/internal/content"
)

// slowLibrary is a Library over slow.png (40×20) and quick.png (30×30)
// whose decodes of slow.png wait for release; it logs to logs.
func slowLibrary(t *testing.T, decoders int, release <-chan struct{}, calls *atomic.Int32, logs *bytes.Buffer) *Library {
	t.Helper()
	lib := testLibrary(t, map[string][]byte{
		"slow.png":  pngBytes(t, testPicture(40, 20)),
		"slow2.png": pngBytes(t, testPicture(41, 20)),
		"quick.png": pngBytes(t, testPicture(30, 30)),
	}, nil)
	lib.opts.Decoders, lib.decoders = decoders, make(chan struct{}, decoders)
	lib.opts.Logger = slog.New(slog.NewTextHandler(logs, nil))
	lib.decodeFn = func(data []byte, hash string, h header) (*Image, error) {
		if h.cfg.Height == 20 {
			calls.Add(1)
			<-release
		}
		return decode(data, hash, h)
	}
	return lib
}

// A file that takes long to decode holds one slot of the pool: another
// reader's picture decodes in the next slot meanwhile, and a render never
// waits for either (Start).
func TestSlowDecodeDoesNotStarveOtherPictures(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		release := make(chan struct{})
		defer close(release)
		var calls atomic.Int32
		lib := slowLibrary(t, 2, release, &calls, new(bytes.Buffer))
		p := &content.Post{Slug: "a", Path: "a.md"}
		img, slow, err := lib.Start(context.Background(), p, "slow.png")
		if !errors.Is(err, ErrPending) || img != nil || slow == nil {
			t.Fatalf("Start(slow.png) = %v, %v, %v; want it pending at once", img, slow, err)
		}
		_, quick, err := lib.Start(context.Background(), p, "quick.png")
		if !errors.Is(err, ErrPending) {
			t.Fatalf("Start(quick.png): %v", err)
		}
		<-quick
		img, _, err = lib.Start(context.Background(), p, "quick.png")
		if err != nil || img == nil {
			t.Fatalf("quick.png after its decode: %v", err)
		}
		select {
		case <-slow:
			t.Errorf("slow.png done before its decode")
		default:
		}
	})
}

// Go's decoders cannot be stopped: at its deadline a decode is given up,
// logged once and refused from then on (never decoded again for that
// file's content), and it keeps its slot until it really ends, so the pool
// bounds what runs.
func TestDecodePastItsDeadlineIsGivenUpOnceAndKeepsItsSlot(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		release := make(chan struct{})
		var calls atomic.Int32
		var logs bytes.Buffer
		lib := slowLibrary(t, 1, release, &calls, &logs)
		p := &content.Post{Slug: "a", Path: "a.md"}
		_, slow, _ := lib.Start(context.Background(), p, "slow.png")
		start := time.Now()
		<-slow // all else blocked: the clock moves to the deadline
		if waited := time.Since(start); waited != DefaultDecodeTimeout {
			t.Errorf("given up after %v, want the deadline %v", waited, DefaultDecodeTimeout)
		}
		for range 3 {
			if _, _, err := lib.Start(context.Background(), p, "slow.png"); !errors.Is(err, ErrDecodeTime) {
				t.Errorf("slow.png after its deadline: %v, want ErrDecodeTime", err)
			}
		}
		if n := calls.Load(); n != 1 {
			t.Errorf("slow.png decoded %d times, want once", n)
		}
		if n := strings.Count(logs.String(), "image not shown"); n != 1 {
			t.Errorf("%d log lines, want one:\n%s", n, logs.String())
		}
		// The given-up decode still runs in the only slot: the next file
		// waits for it, and its own deadline starts when it gets the slot.
		_, quick, _ := lib.Start(context.Background(), p, "quick.png")
		synctest.Wait()
		if s := lib.Stats(); s.Running != 1 || s.GivenUp != 1 || s.Decodes != 1 {
			t.Errorf("stats %+v, want the given-up decode alone running", s)
		}
		close(release)
		<-quick
		if img, _, err := lib.Start(context.Background(), p, "quick.png"); err != nil || img == nil {
			t.Errorf("quick.png once the slot freed: %v", err)
		}
		if s := lib.Stats(); s.Running != 0 || s.Decodes != 2 {
			t.Errorf("stats %+v after both ended", s)
		}
	})
}

// Load waits for the decode Start begins: one decode for any number of
// callers at once.
func TestConcurrentLoadsShareOneDecode(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		release := make(chan struct{})
		var calls atomic.Int32
		lib := slowLibrary(t, 2, release, &calls, new(bytes.Buffer))
		p := &content.Post{Slug: "a", Path: "a.md"}
		done := make(chan error, 4)
		for range 4 {
			go func() {
				_, err := lib.Load(context.Background(), p, "slow2.png")
				done <- err
			}()
		}
		synctest.Wait()
		close(release)
		for range 4 {
			if err := <-done; err != nil {
				t.Errorf("Load: %v", err)
			}
		}
		if n := calls.Load(); n != 1 {
			t.Errorf("%d decodes for four loads at once, want one", n)
		}
	})
}
