package content

import (
	"net/url"
	"regexp"
	"strings"
)

// Embeds: a video, a post on a social site, a gist. A terminal cannot play
// them and the web pages never load a third party's frame, so each becomes
// one line a reader can follow: "▶ YouTube: title · https://youtu.be/ID",
// the address an autolink, so it is in the reader's list of links and a
// plain link on the web.

// embedLine is an embed's line: what it is, a label, and its address.
func embedLine(kind, label, addr string) scOut {
	if addr == "" {
		return inlineOut("")
	}
	if label == "" {
		label = addr
	}
	if !hasScheme(addr) || strings.ContainsAny(addr, " \t\n<>") {
		// An autolink needs a scheme (and no blanks): a page resource is a
		// plain link, which the reader resolves like any other.
		return inlineOut("▶ " + kind + ": [" + markdownText(label) + "](<" + strings.ReplaceAll(addr, ">", "%3E") + ">)")
	}
	return inlineOut("▶ " + kind + ": " + markdownText(label) + " · <" + addr + ">")
}

var schemeRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]{1,31}:`)

func hasScheme(s string) bool { return schemeRE.MatchString(s) }

// markdownText escapes s so markdown shows it as written, on one line.
var markdownText = strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`,
	"<", `\<`, ">", `\>`, "`", "\\`", "|", `\|`, "\n", " ", "\r", "").Replace

// pathPart escapes an id an author gave for a path segment of an address.
func pathPart(s string) string { return url.PathEscape(strings.TrimSpace(s)) }

func youtube(c *scCall) scOut {
	id := c.arg(0, "id")
	if id == "" {
		return inlineOut("")
	}
	addr := "https://youtu.be/" + pathPart(id)
	if start := c.arg(-1, "start"); isDigits(start) {
		addr += "?t=" + start
	}
	return embedLine("YouTube", firstNonEmpty(c.arg(-1, "title"), id), addr)
}

func vimeo(c *scCall) scOut {
	id := c.arg(0, "id")
	if id == "" {
		return inlineOut("")
	}
	return embedLine("Vimeo", firstNonEmpty(c.arg(-1, "title"), id), "https://vimeo.com/"+pathPart(id))
}

// xPost is x, twitter and tweet: user and id, named or in that order (an
// old tweet gives the id alone).
func xPost(c *scCall) scOut {
	user, id := c.arg(-1, "user"), c.arg(-1, "id")
	switch {
	case len(c.attrs.pos) >= 2:
		user, id = firstNonEmpty(user, c.attrs.pos[0]), firstNonEmpty(id, c.attrs.pos[1])
	case len(c.attrs.pos) == 1:
		id = firstNonEmpty(id, c.attrs.pos[0])
	}
	if id == "" {
		return inlineOut("")
	}
	label, who := id, "i"
	if user != "" {
		label, who = "@"+strings.TrimPrefix(user, "@"), pathPart(strings.TrimPrefix(user, "@"))
	}
	return embedLine("Post on X", label, "https://x.com/"+who+"/status/"+pathPart(id))
}

func gist(c *scCall) scOut {
	user, id, file := c.arg(0, "user"), c.arg(1, "id"), c.arg(2, "file")
	if user == "" || id == "" {
		return inlineOut("")
	}
	label := user + "/" + id
	addr := "https://gist.github.com/" + pathPart(user) + "/" + pathPart(id)
	if file != "" {
		label += ", " + file
		addr += "#file-" + gistAnchor(file)
	}
	return embedLine("Gist", label, addr)
}

// gistAnchor is the fragment GitHub gives a gist's file: "hugo.toml" is
// "hugo-toml".
func gistAnchor(file string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(file) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		} else {
			b.WriteByte('-')
		}
	}
	return b.String()
}

func instagram(c *scCall) scOut {
	id := c.arg(0, "id")
	if id == "" {
		return inlineOut("")
	}
	return embedLine("Instagram", id, "https://www.instagram.com/p/"+pathPart(id)+"/")
}

// media is video and audio: a file (often the page's own) or an address.
func media(kind string) func(c *scCall) scOut {
	return func(c *scCall) scOut {
		src := c.arg(0, "src", "url", "file", "cast")
		label := firstNonEmpty(c.arg(-1, "title", "caption", "name"), pathBase(src))
		return embedLine(kind, label, src)
	}
}

// site is an embed whose address is pattern with the id in place of %s:
// bilibili, tencent, gitlab snippets, PDFs (their id the address itself).
func site(kind, pattern string) func(c *scCall) scOut {
	return func(c *scCall) scOut {
		id := c.arg(0, "id", "src", "url")
		if id == "" {
			return inlineOut("")
		}
		addr := id
		if pattern != "" {
			addr = strings.Replace(pattern, "%s", pathPart(id), 1)
		}
		return embedLine(kind, firstNonEmpty(c.arg(-1, "title"), pathBase(id)), addr)
	}
}

func pathBase(s string) string {
	s = strings.TrimRight(s, "/")
	return s[strings.LastIndexByte(s, '/')+1:]
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
