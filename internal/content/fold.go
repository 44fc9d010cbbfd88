package content

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Folding makes "Café", "CAFE" and "cafe" the same word for search and slugs:
// lower case, and Latin letters lose their diacritics (é → e, ç → c, ß → ss).
// Other scripts are only lower-cased.

// latinFold maps the Latin-1 Supplement and Latin Extended-A/B and Additional
// blocks to ASCII. Built once at start-up and read-only afterwards.
var latinFold = buildLatinFold()

// foldRanges are the blocks latinFold covers.
var foldRanges = [...][2]rune{{0x00c0, 0x024f}, {0x1e00, 0x1eff}}

// specialFold covers letters NFD does not decompose.
var specialFold = map[rune]string{
	'ß': "ss", 'ẞ': "ss", 'æ': "ae", 'Æ': "ae", 'œ': "oe", 'Œ': "oe",
	'ø': "o", 'Ø': "o", 'đ': "d", 'Đ': "d", 'ð': "d", 'Ð': "d",
	'ł': "l", 'Ł': "l", 'þ': "th", 'Þ': "th", 'ı': "i", 'ħ': "h", 'Ħ': "h",
}

func buildLatinFold() map[rune]string {
	m := make(map[rune]string, 700)
	for _, rg := range foldRanges {
		for r := rg[0]; r <= rg[1]; r++ {
			if s, ok := specialFold[r]; ok {
				m[r] = s
				continue
			}
			var ascii []byte
			for _, d := range norm.NFD.String(string(unicode.ToLower(r))) {
				if unicode.Is(unicode.Mn, d) {
					continue
				}
				if d >= utf8.RuneSelf {
					ascii = nil
					break
				}
				ascii = append(ascii, byte(d))
			}
			if len(ascii) > 0 {
				m[r] = string(ascii)
			}
		}
	}
	return m
}

// appendFolded appends the folded form of r to dst.
func appendFolded(dst []byte, r rune) []byte {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		return append(dst, byte(r))
	}
	if s, ok := latinFold[r]; ok {
		return append(dst, s...)
	}
	if unicode.Is(unicode.Mn, r) {
		return dst // a combining accent: "e\u0301" folds like "é", to "e"
	}
	return utf8.AppendRune(dst, unicode.ToLower(r))
}

// isWordRune reports the runes words are made of.
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') || ('0' <= r && r <= '9')
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}
