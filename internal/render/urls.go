package render

import (
	"bytes"
	"hash/fnv"
	"strconv"
	"strings"

	xansi "github.com/charmbracelet/x/ansi"
	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
)

// Whole URLs. Glamour wraps a paragraph between words and at hyphens, and
// cuts a word wider than the column; a URL is one word full of hyphens, so
// it came out in pieces no terminal recognises and no reader can copy.
// Instead, every URL Glamour prints (a link's address, a bare or <auto>
// link, an image's address) enters it as a marker: a word without a break
// in it, as wide as the URL or, when the URL is wider than the room its
// block has, that room. After the walk the URL takes the marker's place
// (restoreURLs), and finish leaves its line uncut. A URL wider than its
// room also gets a line of its own (hard line breaks around it): it goes
// whole on its own line, even past the column.
//
// A marker is a scheme of two letters the post's text does not hold (so
// Glamour takes it as an absolute address and prints it as it is, and no
// text of the post is taken for one), the URL's index in capital letters,
// then "x" up to its width. It is ASCII because it is also the address of
// a hyperlink (OSC 8), and the wrapping counts bytes outside ASCII there as
// text. Glamour ends every address it prints with a hyperlink's end (ESC
// or BEL follows it).
const (
	urlBase = 26  // index digits: A to Z
	urlPad  = 'x' // after the digits, up to the marker's width
	// urlLine marks, on both sides, a URL put back in the visible text: its
	// line may pass the column (finish drops the marks). A noncharacter,
	// which no post holds (cleanSource removes them).
	urlLine = '\uFDED'
)

// urlSchemes are the schemes markers may use; a render takes the first its
// source does not hold.
var urlSchemes = []string{"zq:", "qz:", "zx:", "xz:", "qx:", "xq:", "jq:", "qj:"}

// urlDigits is URL i's index in base urlBase, most significant first.
func urlDigits(i int) string {
	var digits []byte
	for {
		digits = append([]byte{byte('A' + i%urlBase)}, digits...)
		i /= urlBase
		if i == 0 {
			return string(digits)
		}
	}
}

// urlMarker is the marker of URL i under scheme, width cells wide (at
// least as wide as its scheme and digits).
func urlMarker(scheme string, i, width int) string {
	m := scheme + urlDigits(i)
	if n := width - len(m); n > 0 {
		m += strings.Repeat(string(urlPad), n)
	}
	return m
}

// urlRoomMin is the least room a marker is given: its scheme and two
// digits fit.
const urlRoomMin = 5

// urlRoom is how wide a word in n can be without Glamour cutting it: the
// column less what the blocks around n indent it by, reckoned generously
// (a quote's bar, a list's indent and its widest number, a heading's
// marks), so that a marker is never cut.
func urlRoom(n ast.Node, width int) int {
	room := width
	for p := n.Parent(); p != nil; p = p.Parent() {
		switch p.Kind() {
		case ast.KindBlockquote:
			room -= 4
		case ast.KindList:
			room -= 6
		case ast.KindHeading:
			room -= 8
		}
	}
	return max(room, urlRoomMin)
}

// keepURLs puts a marker in place of every URL Glamour would print in doc
// (see Whole URLs), and records the URLs in l.urls. A URL wider than its
// room goes on a line of its own: hard line breaks around it, and a link's
// text stays before them, styled as a link (its address is below it).
func (l *layout) keepURLs(doc ast.Node) {
	for _, sc := range urlSchemes {
		if !bytes.Contains(l.src, []byte(sc)) {
			l.urlScheme = sc
			break
		}
	}
	if l.urlScheme == "" {
		return // a post that holds every scheme: its URLs wrap as Glamour likes
	}
	var links []*ast.Link
	var autos []*ast.AutoLink
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *east.Table:
			return ast.WalkSkipChildren, nil // a table lists its links itself
		case *ast.Link:
			if printsURL(string(n.Destination)) {
				links = append(links, n)
			}
		case *ast.AutoLink:
			if n.AutoLinkType == ast.AutoLinkURL {
				autos = append(autos, n)
			}
		case *ast.Image: // one not drawn: "alt → URL"
			if u := string(n.Destination); printsURL(u) {
				n.Destination = []byte(l.urlMarker(u, n))
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	for _, n := range links {
		u := string(n.Destination)
		if !l.long(u, n) {
			n.Destination = []byte(l.urlMarker(u, n))
			continue
		}
		// The text alone ("#" is an address Glamour prints nothing for),
		// then the address as an autolink on its own line.
		n.Destination = []byte("#")
		addr := ast.NewAutoLink(ast.AutoLinkURL, ast.NewTextSegment(l.add(l.urlMarker(u, n))))
		n.Parent().InsertAfter(n.Parent(), n, addr)
		l.ownLine(addr)
	}
	for _, a := range autos {
		u := string(a.URL(l.src))
		if !printsURL(u) || a.Parent() == nil {
			continue
		}
		m := ast.NewAutoLink(ast.AutoLinkURL, ast.NewTextSegment(l.add(l.urlMarker(u, a))))
		a.Parent().ReplaceChild(a.Parent(), a, m)
		if l.long(u, m) {
			l.ownLine(m)
		}
	}
}

// long reports whether u is wider than the room a word has in n's block;
// a heading keeps its URL in its line (it is one line of its own).
func (l *layout) long(u string, n ast.Node) bool {
	for p := n.Parent(); p != nil; p = p.Parent() {
		if p.Kind() == ast.KindHeading {
			return false
		}
	}
	return shownWidth(u) > urlRoom(n, l.width)
}

// shownWidth is how wide u shows: without the mark of a relative link
// (links.go), which finish takes off.
func shownWidth(u string) int { return xansi.StringWidth(strings.TrimPrefix(u, relMark)) }

// ownLine puts inline n on a line of its own: a hard line break ends the
// text before it and n itself, and the text after it loses its leading
// blanks.
func (l *layout) ownLine(n ast.Node) {
	parent := n.Parent()
	if prev := n.PreviousSibling(); prev != nil {
		if t, ok := prev.(*ast.Text); ok && !t.IsRaw() {
			t.Segment = t.Segment.TrimRightSpace(l.src)
			t.SetHardLineBreak(true)
		} else {
			br := l.textNode("")
			br.SetHardLineBreak(true)
			parent.InsertBefore(parent, n, br)
		}
	}
	next := n.NextSibling()
	if next == nil {
		return
	}
	br := l.textNode("")
	br.SetHardLineBreak(true)
	parent.InsertAfter(parent, n, br)
	for c := next; c != nil; c = c.NextSibling() {
		t, ok := c.(*ast.Text)
		if !ok || t.IsRaw() {
			return
		}
		t.Segment = t.Segment.TrimLeftSpace(l.src)
		if t.Segment.Len() > 0 || t.HardLineBreak() {
			return
		}
	}
}

// printsURL reports whether Glamour prints u after a link's text: not for
// an address that is only a fragment of this post.
func printsURL(u string) bool { return u != "" && !strings.HasPrefix(u, "#") }

// urlMarker records u and returns its marker for a link in n: as wide as
// u, or as the room its block has when u is wider (Glamour would cut a
// wider word; the URL takes its line whole once it is back).
func (l *layout) urlMarker(u string, n ast.Node) string {
	i := len(l.urls)
	l.urls = append(l.urls, u)
	w := min(shownWidth(u), urlRoom(n, l.width))
	return urlMarker(l.urlScheme, i, w)
}

// restoreURLs puts each URL back in raw, Glamour's output, in place of its
// marker under scheme: as it is in a hyperlink's address (OSC 8, with the
// id Glamour gives it), between urlLine marks in the visible text. One
// pass, however many links a post has.
func restoreURLs(raw, scheme string, urls []string) string {
	if len(urls) == 0 {
		return raw
	}
	var b strings.Builder
	b.Grow(len(raw) + len(raw)/8)
	for {
		i := strings.Index(raw, scheme)
		if i < 0 {
			break
		}
		rest := raw[i+len(scheme):]
		idx, n := markerIndex(rest)
		rest = strings.TrimLeft(rest[n:], string(urlPad))
		if idx < 0 || idx >= len(urls) || (rest != "" && rest[0] != 0x1b && rest[0] != 0x07) {
			b.WriteString(raw[:i+len(scheme)]) // not a marker: the scheme is the post's only
			raw = raw[i+len(scheme):]
			continue
		}
		if j := strings.LastIndex(raw[:i], "\x1b]8;"); j >= 0 && strings.HasSuffix(raw[:i], ";") &&
			strings.HasPrefix(rest, "\x07") && !strings.ContainsAny(raw[j+4:i], "\x1b\x07") {
			b.WriteString(raw[:j])
			b.WriteString(xansi.SetHyperlink(urls[idx], hyperlinkID(urls[idx])))
			raw = rest[1:]
			continue
		}
		b.WriteString(raw[:i])
		b.WriteRune(urlLine)
		b.WriteString(urls[idx])
		b.WriteRune(urlLine)
		raw = rest
	}
	b.WriteString(raw)
	return b.String()
}

// hyperlinkID is the id Glamour gives a hyperlink to u.
func hyperlinkID(u string) string {
	h := fnv.New32a()
	_, _ = h.Write([]byte(u))
	return "id=" + strconv.FormatUint(uint64(h.Sum32()), 10)
}

// markerIndex reads the index digits at the start of s: the index and the
// bytes they take, or -1 when there are none.
func markerIndex(s string) (idx, n int) {
	idx = -1
	for ; n < len(s) && s[n] >= 'A' && s[n] < 'A'+urlBase; n++ {
		idx = max(idx, 0)*urlBase + int(s[n]-'A')
	}
	return idx, n
}

// holdsURL reports whether a sanitised line holds a URL restoreURLs put
// back, and returns it without the marks.
func holdsURL(line string) (string, bool) {
	if !strings.ContainsRune(line, urlLine) {
		return line, false
	}
	return strings.ReplaceAll(line, string(urlLine), ""), true
}
