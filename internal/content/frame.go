package content

import (
	"strings"
)

// What a post's front matter puts around its text besides the title and
// the meta line: a link post's target (Jekyll's link:, shown by the
// reader) and a header picture with its caption (Minimal Mistakes'
// header:), which become the first lines of the body so that every way of
// reading the post (the reader, read, the web page, the feeds) shows them
// where the theme would, drawn as a picture where pictures are drawn.

// pictureHeader is Minimal Mistakes' header map, the parts of it a reader
// sees: the picture above the post and its caption (markdown).
type pictureHeader struct {
	image, alt, caption string
}

// headerImageKeys are the header's picture fields, first found wins: the
// header image, the image under an overlaid title, and the teaser (the
// thumbnail archives show, the post's only picture when it has no other).
var headerImageKeys = []string{"image", "overlay_image", "teaser"}

// header reads the front matter's header map. Anything but a map is
// ignored: other themes use "header" for other things.
func (r *metaReader) header() pictureHeader {
	f, ok := r.fields["header"]
	if !ok || f.sub == nil {
		return pictureHeader{}
	}
	var h pictureHeader
	for _, k := range headerImageKeys {
		if v := r.clean("header", f.sub[k]); v != "" {
			h.image = v
			break
		}
	}
	h.alt = r.clean("header", f.sub["image_description"])
	h.caption = r.clean("header", f.sub["caption"])
	return h
}

// markdown is the header as the first blocks of p's body: the picture as
// a paragraph of its own (the renderer draws those), then the caption as a
// paragraph; "" when the header has neither. Only a picture on disk is
// there: a remote one (an overlay behind a web page's title) cannot be
// drawn, and its address atop every post would be noise.
func (h pictureHeader) markdown(p *Post) string {
	var b strings.Builder
	if _, _, local := p.ResolveFile(h.image); local {
		b.WriteString("![")
		b.WriteString(escapeMarkdown(h.alt))
		b.WriteString("](<")
		b.WriteString(angleDestination(h.image))
		b.WriteString(">)\n\n")
	}
	if h.caption != "" {
		b.WriteString(h.caption)
		b.WriteString("\n\n")
	}
	return b.String()
}

// escapeMarkdown backslash-escapes the punctuation that could end or
// change an image's alt text.
func escapeMarkdown(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(`\[]()*_`+"`"+`<>!&`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// angleDestination is an address as a "<…>" link destination, which
// may hold spaces and parentheses but no angle brackets or line breaks.
func angleDestination(s string) string {
	return strings.NewReplacer("<", "%3C", ">", "%3E", "\n", "", "\r", "").Replace(s)
}
