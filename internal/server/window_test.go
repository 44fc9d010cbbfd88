package server

import (
	"context"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"charm.land/ssh"
	gossh "golang.org/x/crypto/ssh"
)

func TestClampWindow(t *testing.T) {
	cases := []struct {
		in         ssh.Window
		w, h       int
		wasClamped bool
	}{
		{ssh.Window{Width: 80, Height: 24}, 80, 24, false},
		{ssh.Window{Width: 0, Height: 0}, 1, 1, true},
		{ssh.Window{Width: -5, Height: 3}, 1, 3, true},
		{ssh.Window{Width: 65535, Height: 65535}, maxCols, maxRows, true},
		{ssh.Window{Width: maxCols, Height: maxRows}, maxCols, maxRows, false},
		{ssh.Window{Width: 1, Height: 1}, 1, 1, false},
		{ssh.Window{Width: 1 << 40, Height: 1 << 40}, maxCols, maxRows, true},
	}
	for _, tc := range cases {
		w, h := clampWindow(tc.in)
		if w != tc.w || h != tc.h {
			t.Errorf("clampWindow(%dx%d) = %dx%d, want %dx%d", tc.in.Width, tc.in.Height, w, h, tc.w, tc.h)
		}
		if got := windowClamped(tc.in); got != tc.wasClamped {
			t.Errorf("windowClamped(%dx%d) = %v", tc.in.Width, tc.in.Height, got)
		}
	}
}

func windowChangePayload(w, h uint32) []byte {
	return gossh.Marshal(struct{ W, H, Wpx, Hpx uint32 }{w, h, 0, 0})
}

// FuzzWindowChange feeds arbitrary window-change payloads through the path
// a client's request takes: decode, clamp, the window box and the
// forwarder. Whatever arrives, the program is told a size within bounds, and
// a well-formed request's size arrives clamped.
func FuzzWindowChange(f *testing.F) {
	f.Add(windowChangePayload(80, 24))
	f.Add(windowChangePayload(0, 0))
	f.Add(windowChangePayload(65535, 65535))
	f.Add(windowChangePayload(1<<32-1, 1<<31))
	f.Add([]byte{0, 0, 0})
	f.Fuzz(func(t *testing.T, payload []byte) {
		win, ok := parseWindowChange(payload)
		if !ok {
			return
		}
		var box windowBox
		box.init()
		box.put(ssh.Window{Width: 50, Height: 10})
		box.put(win) // only the latest counts
		ctx, cancel := context.WithCancel(context.Background())
		var got [][2]int
		forwardWindows(ctx, &box, [2]int{-1, -1}, 0, func(w, h int, _ ssh.Window) {
			got = append(got, [2]int{w, h})
			cancel()
		})
		if len(got) != 1 {
			t.Fatalf("forwarded %v for one size", got)
		}
		w, h := got[0][0], got[0][1]
		if w < 1 || w > maxCols || h < 1 || h > maxRows {
			t.Fatalf("%dx%d forwarded for %dx%d", w, h, win.Width, win.Height)
		}
		if cw, ch := clampWindow(win); cw != w || ch != h {
			t.Fatalf("forwarded %dx%d, want %dx%d", w, h, cw, ch)
		}
	})
}

// TestForwardWindowsCoalesces runs in a bubble: synctest.Wait returns once
// the forwarding goroutine is blocked, so no wait depends on the machine.
func TestForwardWindowsCoalesces(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var box windowBox
		box.init()
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		var mu sync.Mutex
		var sent [][2]int
		release := make(chan struct{})
		done := make(chan struct{})
		go func() {
			defer close(done)
			forwardWindows(ctx, &box, [2]int{80, 24}, 0, func(w, h int, _ ssh.Window) {
				mu.Lock()
				sent = append(sent, [2]int{w, h})
				first := len(sent) == 1
				mu.Unlock()
				if first {
					<-release // the program is busy with the first size
				}
			})
		}()
		box.put(ssh.Window{Width: 80, Height: 24}) // the size it started with: dropped
		box.put(ssh.Window{Width: 100, Height: 30})
		synctest.Wait() // the first size is sent; the sender is busy with it
		for i := range 10_000 {
			box.put(ssh.Window{Width: 10 + i%500, Height: 5 + i%100})
		}
		box.put(ssh.Window{Width: 90, Height: 25})
		close(release)
		synctest.Wait() // the latest size is sent
		cancel()
		<-done
		want := [][2]int{{100, 30}, {90, 25}}
		mu.Lock()
		defer mu.Unlock()
		if len(sent) != len(want) || sent[0] != want[0] || sent[1] != want[1] {
			t.Fatalf("sent %v, want %v", sent, want)
		}
	})
}

func TestForwardWindowsWaitsTheGap(t *testing.T) {
	var box windowBox
	box.init()
	ctx, cancel := context.WithCancel(context.Background())
	sent := make(chan [2]int, 10)
	done := make(chan struct{})
	go func() {
		defer close(done)
		forwardWindows(ctx, &box, [2]int{1, 1}, time.Hour, func(w, h int, _ ssh.Window) { sent <- [2]int{w, h} })
	}()
	box.put(ssh.Window{Width: 100, Height: 30})
	if got := <-sent; got != [2]int{100, 30} {
		t.Fatalf("first size %v", got)
	}
	box.put(ssh.Window{Width: 90, Height: 25})
	cancel() // ends the wait: nothing more is sent
	<-done
	if len(sent) != 0 {
		t.Fatalf("sent %v during the gap", <-sent)
	}
}
