package tea

import (
	"reflect"
	"testing"
)

// sshblog patch: firstFrameKey and replayFirstFrame (first_frame.go) name
// cursedRenderer's fields by hand. A field upstream adds is missed by them
// without any compile error, so every field must be listed here with what
// the memo does with it, and this test fails on one it does not know.
var firstFrameFields = map[string]string{
	"w":            "the output: the replay writes to it",
	"buf":          "queued bytes: firstFrameKey.pending",
	"scr":          "its state: firstFrameKey.scr (uv.FreshState), replayed by SetState",
	"lastView":     "must be nil (a first frame); set by the replay",
	"env":          "read only by reset, into scr (its term and capabilities are in the key)",
	"term":         "also in scr's FreshState",
	"width":        "firstFrameKey.width",
	"height":       "firstFrameKey.height",
	"mu":           "held by flush",
	"profile":      "firstFrameKey.profile",
	"logger":       "must be nil",
	"view":         "compared apart (viewEquals)",
	"hardTabs":     "firstFrameKey.hardTabs",
	"backspace":    "firstFrameKey.backspace",
	"mapnl":        "firstFrameKey.mapnl",
	"syncdUpdates": "firstFrameKey.syncdUpdates",
	"starting":     "cleared by flush before the key is taken (its bytes are in scr's pending)",
	"pendingErase": "cleared by flush before the key is taken",
	"noInput":      "firstFrameKey.noInput",
	"method":       "firstFrameKey.method",
	"bounds":       "firstFrameKey.bounds",
	"drawn":        "set by the replay",
	"detached":     "must be false; set by the replay",
	"noModel":      "must be true (no model yet); set by the replay",
	"keepModel":    "must be false (tests)",
	"kept":         "tests only",
	"memo":         "the memo itself",
}

// TestFirstFrameKnowsEveryField fails when cursedRenderer gains a field that
// firstFrameFields (and so firstFrameKey) does not know, or loses one it
// lists: decide whether the new field changes a first frame (then it goes in
// firstFrameKey) and list it.
func TestFirstFrameKnowsEveryField(t *testing.T) {
	typ := reflect.TypeFor[cursedRenderer]()
	seen := map[string]bool{}
	for i := range typ.NumField() {
		name := typ.Field(i).Name
		seen[name] = true
		if _, ok := firstFrameFields[name]; !ok {
			t.Errorf("cursedRenderer.%s is new: firstFrameKey does not know it", name)
		}
	}
	for name := range firstFrameFields {
		if !seen[name] {
			t.Errorf("cursedRenderer.%s is gone: drop it from firstFrameFields and first_frame.go", name)
		}
	}
}
