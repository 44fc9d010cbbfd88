package render

import "github.com/charmbracelet/x/ansi"

// sgrState follows the SGR attributes that make a blank cell visible, so
// that dropPadding knows which trailing spaces it may drop. Parameters are
// read by x/ansi's parser, the same tokenizer that sanitised the text.
type sgrState struct {
	dirty bool // some attribute is set since the last reset
	shown bool // a set attribute shows on a blank cell (background, reverse, lines)

	p *ansi.Parser // made on first use, kept across resets
}

// visibleBlank reports whether a space written now would show.
func (s *sgrState) visibleBlank() bool { return s.shown }

// reset forgets every attribute, as SGR 0 does.
func (s *sgrState) reset() { s.dirty, s.shown = false, false }

// apply updates the state with one SGR sequence (ESC [ params m). It runs
// for every sequence of every render, so it does not allocate after the
// parser is made.
func (s *sgrState) apply(seq string) {
	if s.p == nil {
		s.p = new(ansi.Parser)
		s.p.SetParamsSize(2 * maxSGRParamCount)
		s.p.SetDataSize(1) // CSI only: no string data (the default is 64 KiB)
	}
	ansi.DecodeSequence(seq, ansi.NormalState, s.p)
	params := s.p.Params()
	if len(params) == 0 {
		s.reset()
		return
	}
	s.dirty = true
	for i := 0; i < len(params); i++ {
		code := params[i].Param(0)
		switch {
		case code == 0:
			s.reset()
			s.dirty = i < len(params)-1
		case code == 4 || code == 7 || code == 9 || code == 53: // underline, reverse, strike-through, overline
			off := params[i].HasMore() && i+1 < len(params) && params[i+1].Param(0) == 0 // 4:0
			s.shown = s.shown || !off
		case code == 48, code >= 40 && code <= 47, code >= 100 && code <= 107: // backgrounds
			s.shown = true
		}
		// 38 and 58 (foreground and underline colours) are invisible on a
		// blank; their arguments are skipped like every code's.
		i += argumentsOf(params, i, code)
	}
}

// maxSGRParamCount is more parameters than a kept SGR sequence (at most 64
// bytes of them) can hold.
const maxSGRParamCount = 33

// argumentsOf is how many parameters after params[i] belong to it: its
// ':' sub-parameters, or the 5;n or 2;r;g;b of an extended colour written
// with ';'.
func argumentsOf(params ansi.Params, i, code int) int {
	if params[i].HasMore() {
		n := 0
		for i+n < len(params) && params[i+n].HasMore() {
			n++
		}
		return n
	}
	if (code == 38 || code == 48 || code == 58) && i+1 < len(params) {
		switch params[i+1].Param(-1) {
		case 5:
			return 2
		case 2:
			return 4
		}
	}
	return 0
}

// isReset reports whether SGR parameters reset every attribute.
func isReset(params string) bool { return params == "" || params == "0" }
