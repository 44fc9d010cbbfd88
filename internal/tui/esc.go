package tui

import (
	"unicode"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
)

// A terminal sends esc as the byte ESC and alt+j as ESC j, so an esc
// followed quickly by j (within the decoder's 50 ms escape timeout, or in
// the same packet, as over SSH) arrives as alt+j. The reader binds no alt
// keys of its own, so an alt+KEY the active screen has no binding for is
// read as what the reader most likely typed: esc, then KEY. Text fields
// keep their alt bindings (alt+b, alt+f, alt+d, alt+backspace…).

// escThenKey splits msg into esc and the key without alt when msg is an
// alt+KEY the active screen does not bind.
func (m Model) escThenKey(msg tea.KeyPressMsg) (esc, next tea.KeyPressMsg, ok bool) {
	k := msg.Key()
	if k.Mod&tea.ModAlt == 0 || m.bindsKey(msg) {
		return esc, next, false
	}
	k.Mod &^= tea.ModAlt
	if k.Mod&^tea.ModShift == 0 && k.Text == "" {
		// The decoder drops the text of an alt key; a printable key gets
		// it back, shifted if it was.
		r := k.Code
		if k.ShiftedCode != 0 {
			r = k.ShiftedCode
		}
		if unicode.IsPrint(r) {
			k.Text = string(r)
		}
	}
	return tea.KeyPressMsg{Code: tea.KeyEscape}, tea.KeyPressMsg(k), true
}

// bindsKey reports whether the active screen has a binding for msg: one
// of its key map's, or a text field's while it takes the keys.
func (m Model) bindsKey(msg tea.KeyPressMsg) bool {
	keys := m.activeKeys()
	for _, column := range keys.FullHelp() {
		if key.Matches(msg, column...) {
			return true
		}
	}
	if key.Matches(msg, keys.ShortHelp()...) {
		return true
	}
	if !m.typing() {
		return false
	}
	t := textinput.DefaultKeyMap()
	return key.Matches(msg, t.WordForward, t.WordBackward, t.DeleteWordBackward, t.DeleteWordForward)
}
