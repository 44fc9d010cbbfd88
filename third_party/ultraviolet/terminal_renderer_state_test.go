package uv

import (
	"reflect"
	"testing"
)

// sshblog patch: Fresh, CopyState and SetState (terminal_renderer_state.go)
// name TerminalRenderer's fields by hand. A field upstream adds is missed by
// them without any compile error, so every field must be listed here with
// what the memo does with it, and this test fails on one it does not know.
var stateFields = map[string]string{
	"w":           "writer: kept by SetState, dropped by CopyState",
	"buf":         "queued bytes: FreshState.pending; dropped by CopyState and SetState",
	"curbuf":      "screen model: Fresh needs none; dropped by CopyState and SetState",
	"logger":      "Fresh needs none; kept by SetState",
	"tabs":        "FreshState.tabs; deep-copied",
	"hasher":      "copied (seeds the copied line hashes)",
	"oldhash":     "Fresh needs it empty; deep-copied",
	"newhash":     "Fresh needs it empty; deep-copied",
	"hashtab":     "Fresh needs it empty; deep-copied",
	"oldnum":      "Fresh needs it empty; deep-copied",
	"cur":         "FreshState.cur; Fresh needs a blank cell",
	"saved":       "FreshState.saved; Fresh needs a blank cell",
	"flags":       "FreshState.flags",
	"method":      "FreshState.method",
	"term":        "FreshState.term",
	"clear":       "FreshState.clear",
	"caps":        "FreshState.caps",
	"atPhantom":   "Fresh needs false",
	"noWrapLine":  "Fresh needs false",
	"driftRows":   "Fresh needs it empty; deep-copied",
	"termW":       "FreshState.termW",
	"termH":       "FreshState.termH",
	"termResized": "FreshState.termResized",
	"damaged":     "Fresh needs it empty; deep-copied",
	"profile":     "FreshState.profile",
}

// TestStateKnowsEveryField fails when TerminalRenderer gains a field that
// stateFields (and so Fresh, CopyState, SetState) does not know, or loses
// one it lists: decide where the new field goes (the FreshState key, a
// condition of Fresh, a deep copy in copyState) and list it.
func TestStateKnowsEveryField(t *testing.T) {
	typ := reflect.TypeFor[TerminalRenderer]()
	seen := map[string]bool{}
	for i := range typ.NumField() {
		name := typ.Field(i).Name
		seen[name] = true
		if _, ok := stateFields[name]; !ok {
			t.Errorf("TerminalRenderer.%s is new: Fresh, CopyState and SetState do not know it", name)
		}
	}
	for name := range stateFields {
		if !seen[name] {
			t.Errorf("TerminalRenderer.%s is gone: drop it from stateFields and terminal_renderer_state.go", name)
		}
	}
}
