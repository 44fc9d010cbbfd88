package tui

import (
	"image/color"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
)

// Tests of what keeps a reader cheap: the frame cache, screens
// built on first use, shared styles.

func TestFrameCacheSurvivesOnlyInertMessages(t *testing.T) {
	tests := []struct {
		name  string
		msg   tea.Msg
		inert bool
	}{
		{"environment", tea.EnvMsg{"TERM=xterm"}, true},
		{"mode report", tea.ModeReportMsg{Mode: ansi.ModeSynchronizedOutput}, true},
		{"keyboard enhancements", tea.KeyboardEnhancementsMsg{}, true},
		{"raw sequence", tea.RawMsg{Msg: "\x1b[?1007h"}, true},
		{"Bubble Tea's own request", tea.RequestBackgroundColor(), true},
		{"same dark background", tea.BackgroundColorMsg{Color: color.Black}, true},
		{"same colour profile", tea.ColorProfileMsg{Profile: colorprofile.TrueColor}, true},
		{"same size", tea.WindowSizeMsg{Width: 80, Height: 24}, true},
		{"light background", tea.BackgroundColorMsg{Color: color.White}, false},
		{"no colour", tea.ColorProfileMsg{Profile: colorprofile.NoTTY}, false},
		{"new size", tea.WindowSizeMsg{Width: 81, Height: 24}, false},
		{"a key", keyMsg("j"), false},
		{"reload", SnapshotMsg{Snapshot: snapshot(threePosts()...)}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newDriver(t, Options{Snapshot: snapshot(threePosts()...)}, 80, 24)
			before := d.m.View().Content
			if !d.m.frame.valid {
				t.Fatal("View did not fill the frame cache")
			}
			d.send(tt.msg)
			if d.m.frame.valid != tt.inert {
				t.Fatalf("frame cache valid = %v after %T, want %v", d.m.frame.valid, tt.msg, tt.inert)
			}
			if tt.inert && d.m.View().Content != before {
				t.Error("an inert message changed the screen")
			}
		})
	}
}

func TestTeaInternal(t *testing.T) {
	tests := []struct {
		msg  tea.Msg
		want bool
	}{
		{tea.RequestBackgroundColor(), true},
		{tea.RequestForegroundColor(), true},
		{tea.QuitMsg{}, false},
		{tea.KeyPressMsg{}, false},
		{SnapshotMsg{}, false},
		{nil, false},
	}
	for _, tt := range tests {
		if got := teaInternal(tt.msg); got != tt.want {
			t.Errorf("teaInternal(%T) = %v, want %v", tt.msg, got, tt.want)
		}
	}
}

func TestScreensAreBuiltOnFirstUse(t *testing.T) {
	d := newDriver(t, Options{Snapshot: snapshot(threePosts()...)}, 80, 24)
	if d.m.tags != nil || d.m.tagged != nil || d.m.search != nil {
		t.Fatal("a reader who only looks at the list built the other screens")
	}
	d.press("t")
	if d.m.tags == nil || d.m.tags.list.Width() != d.m.laidW || d.m.tags.list.Height() != d.m.laidH {
		t.Fatalf("tag index not built at the laid-out size %dx%d", d.m.laidW, d.m.laidH)
	}
	d.press("enter")
	if d.m.tagged == nil || d.m.tagged.list.Width() != d.m.laidW {
		t.Fatal("a tag's posts were not built at the laid-out size")
	}
	d.press("esc", "esc", "s")
	if d.m.search == nil || d.m.search.width != d.m.laidW || d.m.search.height != d.m.laidH {
		t.Fatal("search not built at the laid-out size")
	}
}

func TestSessionsShareStyles(t *testing.T) {
	a := newDriver(t, Options{}, 80, 24)
	b := newDriver(t, Options{}, 80, 24)
	if a.m.styles != b.m.styles || a.m.styles != stylesFor(true, false, false) {
		t.Fatal("two dark sessions do not share the dark styles")
	}
	b.send(tea.BackgroundColorMsg{Color: color.White})
	if b.m.styles != stylesFor(false, false, false) || b.m.reader.styles != b.m.styles || b.m.home.styles != b.m.styles {
		t.Fatal("a light terminal did not switch every screen to the shared light styles")
	}
	if a.m.styles != stylesFor(true, false, false) {
		t.Fatal("one session's background changed another's styles")
	}
	b.send(tea.ColorProfileMsg{Profile: colorprofile.NoTTY})
	if b.m.styles != stylesFor(false, true, false) {
		t.Fatal("no terminal did not switch to the shared plain styles")
	}
	b.send(tea.ColorProfileMsg{Profile: colorprofile.ASCII})
	if b.m.styles != stylesFor(false, false, true) || b.m.styles == stylesFor(false, true, false) {
		t.Fatal("NO_COLOR did not switch to the shared mono styles")
	}
}
