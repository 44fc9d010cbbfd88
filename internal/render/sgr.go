package render

import "strings"

// sgrState follows the SGR attributes that make a blank cell visible, so
// that trimPadding knows which trailing spaces it may drop.
type sgrState struct {
	dirty bool // some attribute is set since the last reset
	shown bool // a set attribute shows on a blank cell (background, reverse, lines)
}

// visibleBlank reports whether a space written now would show.
func (s *sgrState) visibleBlank() bool { return s.shown }

// apply updates the state with the parameters of one SGR sequence. It runs
// for every sequence of every render, so it does not allocate.
func (s *sgrState) apply(params string) {
	if isReset(params) {
		*s = sgrState{}
		return
	}
	s.dirty = true
	skip := 0
	for params != "" {
		var p string
		p, params, _ = strings.Cut(params, ";")
		if skip > 0 { // arguments of an extended colour
			skip--
			continue
		}
		code, sub, _ := strings.Cut(p, ":")
		switch code {
		case "", "0":
			*s = sgrState{dirty: params != ""}
		case "4", "7", "9", "53": // underline, reverse, strike-through, overline
			s.shown = s.shown || sub != "0"
		case "48":
			s.shown = true
			skip = extendedColourArgs(params, sub)
		case "38", "58": // foreground and underline colours: invisible on a blank
			skip = extendedColourArgs(params, sub)
		default:
			if isBackground(code) {
				s.shown = true
			}
		}
	}
}

// extendedColourArgs is how many of the parameters in rest (those after a
// 38, 48 or 58) belong to its extended colour (5;n or 2;r;g;b); none when
// they come as ':' sub-parameters.
func extendedColourArgs(rest, sub string) int {
	if sub != "" {
		return 0
	}
	switch kind, _, _ := strings.Cut(rest, ";"); kind {
	case "5":
		return 2
	case "2":
		return 4
	}
	return 0
}

// isBackground reports whether p sets a background colour (40–47, 100–107).
func isBackground(p string) bool {
	return (len(p) == 2 && p[0] == '4' && p[1] >= '0' && p[1] <= '7') ||
		(len(p) == 3 && p[0] == '1' && p[1] == '0' && p[2] >= '0' && p[2] <= '7')
}

// isReset reports whether SGR parameters reset every attribute.
func isReset(params string) bool { return params == "" || params == "0" }
