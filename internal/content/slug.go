package content

import (
	"crypto/sha256"
	"encoding/hex"
	"path"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxSlugLen keeps slugs short enough to type after "read ".
const maxSlugLen = 80

// slugify makes s a slug: folded to lower-case ASCII letters and digits with
// single dashes between words ("Ça va, Zoë?" → "ca-va-zoe"). Letters of
// scripts without an ASCII folding are dropped; the result may be empty.
func slugify(s string) string {
	var word []byte
	b := make([]byte, 0, len(s))
	dash := false
	for _, r := range s {
		word = appendFolded(word[:0], r)
		for _, c := range word {
			if ('a' <= c && c <= 'z') || ('0' <= c && c <= '9') {
				if dash && len(b) > 0 {
					b = append(b, '-')
				}
				dash = false
				b = append(b, c)
			} else {
				dash = true
			}
		}
		if len(word) == 0 && !unicode.Is(unicode.Mn, r) {
			dash = true
		}
	}
	if len(b) > maxSlugLen {
		b = b[:maxSlugLen]
		if i := strings.LastIndexByte(string(b), '-'); i > maxSlugLen/2 {
			b = b[:i]
		}
		b = []byte(strings.TrimRight(string(b), "-"))
	}
	return string(b)
}

// fallbackSlug names a post whose title and file name have nothing
// sluggable (a title in Cyrillic, say): stable, derived from its path.
func fallbackSlug(relPath string) string {
	sum := sha256.Sum256([]byte(relPath))
	return "post-" + hex.EncodeToString(sum[:4])
}

// fileStem is the file name without folder and extension.
func fileStem(relPath string) string {
	base := path.Base(relPath)
	return strings.TrimSuffix(base, path.Ext(base))
}

// readableName turns a file stem into a title: "my-first_post" → "My first post".
func readableName(stem string) string {
	s := strings.Join(strings.FieldsFunc(stem, func(r rune) bool {
		return r == '-' || r == '_' || unicode.IsSpace(r)
	}), " ")
	r, size := utf8.DecodeRuneInString(s)
	if size == 0 {
		return ""
	}
	return string(unicode.ToUpper(r)) + s[size:]
}

// slugClaim is one post asking for a slug, in priority order.
type slugClaim struct {
	path string
	base string
}

// uniqueSlugs gives every claim a distinct slug. Claims come in priority
// order (the caller puts older posts first, so a new post never takes an
// existing post's address). Every base slug is reserved for its first
// claimant before any suffix is handed out, so "hello" colliding never takes
// the slug of a post really named "hello-2". Returns slug by path.
func uniqueSlugs(claims []slugClaim) map[string]string {
	owner := make(map[string]string, len(claims))
	for _, c := range claims {
		if _, taken := owner[c.base]; !taken {
			owner[c.base] = c.path
		}
	}
	out := make(map[string]string, len(claims))
	for _, c := range claims {
		if owner[c.base] == c.path {
			out[c.path] = c.base
			continue
		}
		for n := 2; ; n++ {
			s := c.base + "-" + strconv.Itoa(n)
			if _, taken := owner[s]; !taken {
				owner[s] = c.path
				out[c.path] = s
				break
			}
		}
	}
	return out
}
