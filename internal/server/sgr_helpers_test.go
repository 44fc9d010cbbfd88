package server_test

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var sgrSeq = regexp.MustCompile(`\x1b\[([0-9;:]*)m`)

// colourSGRs returns the SGR sequences in raw that set a colour: a
// foreground, background or underline colour, basic, bright, 256 or true
// colour, in any parameter position. Resets to the default colour (39, 49,
// 59) and attributes such as bold are not colours.
func colourSGRs(raw string) []string {
	var found []string
	for _, m := range sgrSeq.FindAllStringSubmatch(raw, -1) {
		if setsColour(m[1]) {
			found = append(found, m[0])
		}
	}
	return found
}

// setsAttribute reports whether an SGR sequence of raw sets attribute n
// (1 bold, 3 italic, 4 underline) as a code of its own.
func setsAttribute(raw string, n int) bool {
	for _, m := range sgrSeq.FindAllStringSubmatch(raw, -1) {
		for _, p := range strings.Split(m[1], ";") {
			if p == strconv.Itoa(n) {
				return true
			}
		}
	}
	return false
}

// setsColour reports whether an SGR parameter list sets a colour. The
// arguments of 38, 48 and 58 come after the code itself, which already
// counts, so every parameter can be read as a code.
func setsColour(params string) bool {
	for _, p := range strings.Split(params, ";") {
		code, _, _ := strings.Cut(p, ":") // 38:2::r:g:b
		n, err := strconv.Atoi(code)
		if err != nil {
			continue
		}
		switch {
		case n >= 30 && n <= 38, n >= 40 && n <= 48, n == 58,
			n >= 90 && n <= 97, n >= 100 && n <= 107:
			return true
		}
	}
	return false
}

func TestColourSGRs(t *testing.T) {
	for _, tc := range []struct {
		raw  string
		want int
	}{
		{"\x1b[31m", 1},
		{"\x1b[38;5;203mx\x1b[m", 1},
		{"\x1b[1;38;2;10;20;30m", 1},
		{"\x1b[38:2::1:2:3m", 1},
		{"\x1b[48;5;1m\x1b[97m", 2},
		{"\x1b[107m", 1},
		{"\x1b[58;5;3m", 1},
		{"\x1b[1m\x1b[0m\x1b[m\x1b[4;7m", 0},
		{"\x1b[39;49;59m", 0},
		{"\x1b[2J\x1b[31;1H", 0}, // not SGR
	} {
		if got := colourSGRs(tc.raw); len(got) != tc.want {
			t.Errorf("colourSGRs(%q) = %q, want %d", tc.raw, got, tc.want)
		}
	}
}
