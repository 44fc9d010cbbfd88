package render

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"
)

func nestedQuote(depth int) string { return strings.Repeat("> ", depth) + "deep thought\n" }

func nestedList(depth int) string {
	var b strings.Builder
	for i := range depth {
		b.WriteString(strings.Repeat("  ", i) + "- level\n")
	}
	return b.String()
}

func TestBudget(t *testing.T) {
	tests := []struct {
		name   string
		opts   Options
		body   string
		reason string // "" when the post renders normally
	}{
		{"quote at the depth limit", Options{}, nestedQuote(16), ""},
		{"quote of 100 levels", Options{}, nestedQuote(100), reasonDepth},
		{"list of 40 levels", Options{}, nestedList(40), reasonDepth},
		{"lower depth limit", Options{MaxDepth: 2}, nestedQuote(3), reasonDepth},
		{"size over the limit", Options{MaxBytes: 1024}, strings.Repeat("word ", 300), reasonSize},
		{"size at the limit", Options{MaxBytes: 1500}, strings.Repeat("word ", 300), ""},
		{"quote chain on one line", Options{}, strings.Repeat("> ", 50000) + "x\n", reasonDepth},
		{"list chain on one line", Options{}, strings.Repeat("- ", 50000) + "x\n", reasonDepth},
		{"thematic break is no chain", Options{}, strings.Repeat("- ", 40) + "\n", ""},
		{"inline nesting", Options{}, strings.Repeat("*a _b ", 40) + "x" + strings.Repeat(" b_ a*", 40), reasonDepth},
		{"link definitions", Options{}, strings.Repeat("[a]: b\n", 2000) + "[a]\n", reasonComplex},
		{"table too wide", Options{}, "|" + strings.Repeat("a|", 100) + "\n|" + strings.Repeat("-|", 100) + "\n", reasonComplex},
		{"table too long", Options{}, "| a | b |\n|---|---|\n" + strings.Repeat("| x | y |\n", 5000), reasonComplex},
		{"table within limits", Options{}, "| a | b |\n|---|---|\n" + strings.Repeat("| x | y |\n", 50), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			opts := tt.opts
			if opts.Timeout == 0 {
				opts.Timeout = time.Hour // a budget fallback here is never a timeout
			}
			opts.Logger = slog.New(slog.NewTextHandler(&logs, nil))
			r := New(opts)
			for _, style := range []Style{Dark, Plain} {
				out, err := r.Render(context.Background(), post("p", tt.body), 30, style)
				if err != nil {
					t.Fatal(err)
				}
				checkWidth(t, out, 30, tt.body)
				note := "(shown simplified: " + tt.reason + ")"
				if tt.reason == "" {
					if strings.Contains(out, "shown simplified") {
						t.Errorf("%s: simplified: %q", style, out)
					}
					continue
				}
				if !strings.Contains(words(out), note) {
					t.Errorf("%s: no note %q in %q", style, note, out)
				}
				if strings.Contains(out, "\x1b") {
					t.Errorf("%s: simplified form has escape sequences", style)
				}
			}
			if tt.reason != "" && !strings.Contains(logs.String(), `slug=p reason="`+tt.reason+`"`) {
				t.Errorf("log lacks the fallback line: %s", logs.String())
			}
		})
	}
}

// expireNow makes the render of k run out of time at once (tests stand in
// for the clock this way, so nothing depends on timing).
func expireNow(r *Renderer, k key) {
	r.mu.Lock()
	f := r.flights[k]
	r.mu.Unlock()
	f.timer.Reset(0)
}

func TestRenderOutOfTime(t *testing.T) {
	var logs bytes.Buffer
	r := New(Options{Timeout: time.Hour, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	p := post("slow", "# Title\n\nSome text.\n")
	stuck, finished := make(chan struct{}), make(chan error, 1)
	var once sync.Once
	r.hooks.node = func() { // the render has started, and cannot finish before its deadline
		once.Do(func() { expireNow(r, keyOf(p, 40, Dark)) })
		<-stuck
	}
	r.hooks.done = func(err error) { finished <- err }
	out, err := r.Render(context.Background(), p, 40, Dark)
	if err != nil || !strings.Contains(words(out), "(shown simplified: "+reasonTime+")") || !strings.Contains(out, "Some text.") {
		t.Fatalf("Render = %q, %v; want the simplified form", out, err)
	}
	close(stuck)
	if err := <-finished; !errors.Is(err, context.Canceled) {
		t.Errorf("the late render ended with %v, want it cancelled", err)
	}
	if cached, ok := r.Cached(p, 40, Dark); !ok || cached != out {
		t.Error("the simplified form was not cached, or the late render replaced it")
	}
	if !strings.Contains(logs.String(), `reason="`+reasonTime+`"`) {
		t.Errorf("no log line: %s", logs.String())
	}
}

func TestQueuedRenderOutOfTimeIsNotCached(t *testing.T) {
	r := New(Options{Timeout: time.Hour, MaxRenders: 1})
	entered, stuck := make(chan struct{}), make(chan struct{})
	var once sync.Once
	r.hooks.node = func() { // the first render holds the only slot
		once.Do(func() { close(entered); <-stuck })
	}
	first, second := post("first", "one"), post("second", "two")
	firstDone := make(chan string, 1)
	go func() {
		out, _ := r.Render(context.Background(), first, 40, Plain)
		firstDone <- out
	}()
	<-entered
	secondDone := make(chan string, 1)
	go func() {
		out, _ := r.Render(context.Background(), second, 40, Plain)
		secondDone <- out
	}()
	waitForWaiters(r, keyOf(second, 40, Plain), 1)
	expireNow(r, keyOf(second, 40, Plain))
	if out := <-secondDone; !strings.Contains(words(out), reasonTime) {
		t.Fatalf("queued render: %q, want the simplified form", out)
	}
	if _, ok := r.Cached(second, 40, Plain); ok {
		t.Error("a render that never started cached its simplified form")
	}
	close(stuck)
	if out := <-firstDone; out != "one" {
		t.Errorf("first render: %q", out)
	}
	if out, err := r.Render(context.Background(), second, 40, Plain); err != nil || out != "two" {
		t.Errorf("second render once the slot is free: %q, %v", out, err)
	}
}

func TestSimplifiedKeepsTheText(t *testing.T) {
	body := nestedQuote(100) + "\nSome **text** with a https://example.com/" + strings.Repeat("x", 100) + "\n"
	out := simplified(body, 40, reasonDepth)
	checkWidth(t, out, 40, "")
	if !strings.Contains(out, "deep thought") || !strings.Contains(out, "Some **text** with a") {
		t.Errorf("simplified form lost text: %q", out)
	}
	huge := simplified(strings.Repeat("word ", maxSimplified/4), 80, reasonSize)
	if len(huge) > maxSimplified*11/10 || !strings.HasSuffix(huge, "(…cut short)") {
		t.Errorf("huge body: %d bytes, ends %q", len(huge), huge[len(huge)-20:])
	}
}

func TestRenderPanicFallsBack(t *testing.T) {
	var logs bytes.Buffer
	r := New(Options{Timeout: testRenderBudget, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	r.hooks.node = func() { panic("boom") }
	out, err := r.Render(context.Background(), post("p", "hello"), 40, Dark)
	if err != nil || !strings.Contains(words(out), reasonError) || !strings.Contains(out, "hello") {
		t.Fatalf("Render = %q, %v", out, err)
	}
	if !strings.Contains(logs.String(), "boom") {
		t.Errorf("panic not logged: %s", logs.String())
	}
}

func TestOptionsDefaults(t *testing.T) {
	o := Options{}.withDefaults()
	if o.CacheBytes != 64<<20 || o.MaxBytes != 512<<10 || o.MaxDepth != 16 || o.Timeout != 2*time.Second || o.Logger == nil {
		t.Errorf("defaults = %+v", o)
	}
	set := Options{CacheBytes: 1, MaxBytes: 2, MaxDepth: 3, Timeout: 4}.withDefaults()
	if set.CacheBytes != 1 || set.MaxBytes != 2 || set.MaxDepth != 3 || set.Timeout != 4 {
		t.Errorf("explicit options changed: %+v", set)
	}
}
