package tui

import (
	"testing"

	tea "charm.land/bubbletea/v2"
	uv "github.com/charmbracelet/ultraviolet"
	"github.com/charmbracelet/x/ansi/kitty"

	"sshblog/internal/render"
)

func TestTerminalAnswersPickTheProtocol(t *testing.T) {
	t.Parallel()
	kittyOK := uv.KittyGraphicsEvent{Options: kitty.Options{ID: kittyQueryID}, Payload: []byte("OK")}
	for _, tc := range []struct {
		name    string
		answers []tea.Msg
		want    render.Protocol
	}{
		{"plain xterm-256color", []tea.Msg{uv.PrimaryDeviceAttributesEvent{62, 1, 6, 22}}, render.HalfBlocks},
		{"xterm -ti vt340", []tea.Msg{tea.TerminalVersionMsg{Name: "XTerm(390)"}, uv.PrimaryDeviceAttributesEvent{63, 1, 2, 4, 6, 9, 15, 22}}, render.Sixel},
		{"kitty", []tea.Msg{tea.TerminalVersionMsg{Name: "kitty(0.35.2)"}, kittyOK, uv.PrimaryDeviceAttributesEvent{62, 52, 4}}, render.Kitty},
		{"kitty OK after DA1", []tea.Msg{uv.PrimaryDeviceAttributesEvent{62, 4}, kittyOK}, render.Kitty},
		{"WezTerm", []tea.Msg{tea.TerminalVersionMsg{Name: "WezTerm 20240203-110809-5046fc22"}, kittyOK, uv.PrimaryDeviceAttributesEvent{65, 4, 6, 18, 22}}, render.ITerm2},
		{"iTerm2", []tea.Msg{tea.TerminalVersionMsg{Name: "iTerm2 3.5.0"}, uv.PrimaryDeviceAttributesEvent{62, 4}}, render.ITerm2},
	} {
		var a termAnswers
		got := render.HalfBlocks
		for _, msg := range tc.answers {
			g, ok := a.answer(msg)
			if !ok {
				t.Errorf("%s: %T not taken as an answer", tc.name, msg)
			}
			if g != nil {
				got = g.(graphicsMsg).proto
			}
		}
		if got != tc.want {
			t.Errorf("%s: protocol %d, want %d", tc.name, got, tc.want)
		}
	}
	if _, ok := new(termAnswers).answer(tea.KeyPressMsg{}); ok {
		t.Errorf("a key taken as a terminal's answer")
	}
}
