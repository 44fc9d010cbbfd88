package mathtext

// font is a math alphabet: \mathbf, \mathbb and kin.
type font uint8

const (
	fontNone font = iota
	fontBold
	fontItalic
	fontBoldItalic
	fontScript // \mathcal, \mathscr
	fontFraktur
	fontDouble // \mathbb
	fontSans
	fontMono
)

// fonts maps the font commands to their alphabets; \mathrm and kin keep
// the letters as they are (terminal text is upright already).
var fonts = map[string]font{
	"mathbf": fontBold, "bf": fontBold, "textbf": fontBold, "bm": fontBoldItalic, "boldsymbol": fontBoldItalic,
	"mathit": fontItalic, "textit": fontItalic, "mathcal": fontScript, "mathscr": fontScript,
	"mathfrak": fontFraktur, "mathbb": fontDouble, "Bbb": fontDouble, "mathsf": fontSans,
	"textsf": fontSans, "mathtt": fontMono, "texttt": fontMono,
	"mathrm": fontNone, "rm": fontNone, "mathnormal": fontNone, "textrm": fontNone,
}

// alphabet is where a font's capitals, small letters and digits start in
// Unicode's Mathematical Alphanumeric Symbols (0: the font has none).
type alphabet struct{ upper, lower, digit rune }

var alphabets = [...]alphabet{
	fontBold:       {0x1D400, 0x1D41A, 0x1D7CE},
	fontItalic:     {0x1D434, 0x1D44E, 0},
	fontBoldItalic: {0x1D468, 0x1D482, 0x1D7CE},
	fontScript:     {0x1D49C, 0x1D4B6, 0},
	fontFraktur:    {0x1D504, 0x1D51E, 0},
	fontDouble:     {0x1D538, 0x1D552, 0x1D7D8},
	fontSans:       {0x1D5A0, 0x1D5BA, 0x1D7E2},
	fontMono:       {0x1D670, 0x1D68A, 0x1D7F6},
}

// holes are the letters Unicode encoded before the math alphabets, in the
// Letterlike Symbols block; the math alphabets leave their places empty.
var holes = map[font]map[rune]rune{
	fontItalic:  {'h': 'ℎ'},
	fontScript:  {'B': 'ℬ', 'E': 'ℰ', 'F': 'ℱ', 'H': 'ℋ', 'I': 'ℐ', 'L': 'ℒ', 'M': 'ℳ', 'R': 'ℛ', 'e': 'ℯ', 'g': 'ℊ', 'o': 'ℴ'},
	fontFraktur: {'C': 'ℭ', 'H': 'ℌ', 'I': 'ℑ', 'R': 'ℜ', 'Z': 'ℨ'},
	fontDouble:  {'C': 'ℂ', 'H': 'ℍ', 'N': 'ℕ', 'P': 'ℙ', 'Q': 'ℚ', 'R': 'ℝ', 'Z': 'ℤ'},
}

// restyle returns r in font f, or r itself when f has no such character.
func restyle(r rune, f font) rune {
	if f == fontNone || int(f) >= len(alphabets) {
		return r
	}
	if h, ok := holes[f][r]; ok {
		return h
	}
	a := alphabets[f]
	switch {
	case r >= 'A' && r <= 'Z':
		return a.upper + r - 'A'
	case r >= 'a' && r <= 'z':
		return a.lower + r - 'a'
	case r >= '0' && r <= '9' && a.digit != 0:
		return a.digit + r - '0'
	}
	return r
}

// restyleString applies restyle to every character of s.
func restyleString(s string, f font) string {
	if f == fontNone {
		return s
	}
	out := make([]rune, 0, len(s))
	for _, r := range s {
		out = append(out, restyle(r, f))
	}
	return string(out)
}
