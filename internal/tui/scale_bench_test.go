package tui

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"sshblog/internal/content"
	"sshblog/internal/render"
)

// Benchmarks of what a reader costs the server with 10,000 posts
// of ~3 KB (first screen, first key, "/", a filter or search keystroke, a
// reload). Each runs the model as a Program would, its commands included
// (the filter runs in one), and draws the frame.

var scaleWords = strings.Fields(`quiet busy tangled simple patient hidden early late small vast careful
rough bright slow odd plain garden router kernel letter river compiler window harbour terminal
notebook bridge protocol kitchen library market signal grows breaks waits listens returns drifts`)

var scaleTags = strings.Fields(`go ssh life travel books music linux networks food llm nlp writing
design security terminal history maths games photography notes`)

// scalePosts makes n posts with bodies of about size bytes: titles, tags
// and dates of their own, the newest first in a Snapshot ("Post 00000 …").
func scalePosts(n, size int) []*content.Post {
	rng := rand.New(rand.NewPCG(11, 11))
	word := func() string { return scaleWords[rng.IntN(len(scaleWords))] }
	newest := time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC)
	posts := make([]*content.Post, n)
	for i := range posts {
		var body strings.Builder
		for s := 0; body.Len() < size; s++ {
			if s%3 == 0 {
				fmt.Fprintf(&body, "## The %s %s\n\n", word(), word())
				continue
			}
			for range 6 {
				fmt.Fprintf(&body, "The %s %s %s while a *%s* %s %s. ", word(), word(), word(), word(), word(), word())
			}
			body.WriteString("\n\n")
		}
		title := fmt.Sprintf("Post %05d: the %s %s %s", i, word(), word(), word())
		p := post(fmt.Sprintf("post-%05d", i), title, 1, []string{scaleTags[rng.IntN(len(scaleTags))],
			scaleTags[rng.IntN(len(scaleTags))]}, body.String())
		p.Date = newest.Add(-time.Duration(i) * 7 * time.Hour)
		p.Excerpt = fmt.Sprintf("The %s %s %s, and the %s %s.", word(), word(), word(), word(), word())
		posts[i] = p
	}
	return posts
}

var scaleOnce = struct {
	sync.Once
	a, b *content.Snapshot
}{}

// scaleSnapshots are two Snapshots of 10,000 posts of ~3 KB, b being a
// after a one-file edit (post 5's body changed). Built once per test binary:
// indexing them takes seconds.
func scaleSnapshots() (a, b *content.Snapshot) {
	scaleOnce.Do(func() {
		posts := scalePosts(10000, 3000)
		scaleOnce.a = snapshot(posts...)
		edited := *posts[5]
		edited.Body += "\nEdited.\n"
		next := append([]*content.Post(nil), posts...)
		next[5] = &edited
		scaleOnce.b = snapshot(next...)
	})
	return scaleOnce.a, scaleOnce.b
}

// scaleDriver is a reader of snap at 100×30 sharing shared, after its
// first frame.
func scaleDriver(b *testing.B, snap *content.Snapshot, shared *Shared, r *render.Renderer) *driver {
	b.Helper()
	d := &driver{t: &testing.T{}, m: New(Options{Snapshot: snap, Shared: shared, Renderer: r}), limit: 1 << 30}
	d.send(tea.WindowSizeMsg{Width: 100, Height: 30})
	_ = d.m.View()
	return d
}

// BenchmarkFirstScreen10k is a reader's first screen when no reader of its
// size has been drawn for this snapshot yet (the first after a start or a
// reload): New, the size, and View.
func BenchmarkFirstScreen10k(b *testing.B) {
	snap, _ := scaleSnapshots()
	r := render.New(render.Options{})
	b.ReportAllocs()
	for b.Loop() {
		scaleDriver(b, snap, NewShared(), r)
	}
}

// BenchmarkFirstKey10k is a connected reader's first key ("j"): it gets a
// home list of its own.
func BenchmarkFirstKey10k(b *testing.B) {
	snap, _ := scaleSnapshots()
	shared, r := NewShared(), render.New(render.Options{})
	scaleDriver(b, snap, shared, r)
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		d := scaleDriver(b, snap, shared, r)
		b.StartTimer()
		d.press("j")
		_ = d.m.View()
	}
}

// BenchmarkSlash10k is "/" on the home list, then esc (untimed).
func BenchmarkSlash10k(b *testing.B) {
	snap, _ := scaleSnapshots()
	d := scaleDriver(b, snap, NewShared(), render.New(render.Options{}))
	d.press("j")
	b.ReportAllocs()
	for b.Loop() {
		d.press("/")
		_ = d.m.View()
		b.StopTimer()
		d.press("esc")
		b.StartTimer()
	}
}

// BenchmarkFilterKeystroke10k is one more letter typed in the list filter
// ("gar" → "gard"), the filter's command and the frame; the backspace that
// undoes it is untimed.
func BenchmarkFilterKeystroke10k(b *testing.B) {
	snap, _ := scaleSnapshots()
	d := scaleDriver(b, snap, NewShared(), render.New(render.Options{}))
	d.press("/")
	d.typeText("gar")
	b.ReportAllocs()
	for b.Loop() {
		d.typeText("d")
		_ = d.m.View()
		b.StopTimer()
		d.press("backspace")
		b.StartTimer()
	}
}

// BenchmarkSearchKeystroke10k is one more letter typed in search
// ("harb" → "harbo") and the frame.
func BenchmarkSearchKeystroke10k(b *testing.B) {
	snap, _ := scaleSnapshots()
	d := scaleDriver(b, snap, NewShared(), render.New(render.Options{}))
	d.press("s")
	d.typeText("harb")
	b.ReportAllocs()
	for b.Loop() {
		d.typeText("o")
		_ = d.m.View()
		b.StopTimer()
		d.press("backspace")
		b.StartTimer()
	}
}

// BenchmarkReload10k is 200 readers getting a reload (one post edited) and
// drawing their frames, as a server's are: on the home list after a key,
// reading a post, and pristine (connected, no key yet). ns/reader is the
// cost per reader; what they share (entries, frames) is made once per op.
func BenchmarkReload10k(b *testing.B) {
	a, next := scaleSnapshots()
	r := render.New(render.Options{})
	for _, bc := range []struct {
		name  string
		keys  []string
		share int // readers sharing a frame
	}{
		{"home", []string{"j"}, 200},
		{"reading", []string{"enter"}, 200},
		{"pristine", nil, 200},
	} {
		b.Run(bc.name, func(b *testing.B) {
			shared := NewShared()
			ds := make([]*driver, bc.share)
			for i := range ds {
				ds[i] = scaleDriver(b, a, shared, r)
				ds[i].press(bc.keys...)
			}
			snaps := [2]*content.Snapshot{next, a}
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				for _, d := range ds {
					d.send(SnapshotMsg{Snapshot: snaps[i%2]})
					_ = d.m.View()
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*bc.share), "ns/reader")
		})
	}
}
