package content

import (
	"fmt"
	"net/url"
	"strings"
)

// Built-in includes: markdown equivalents of the theme includes posts use
// most, with Minimal Mistakes' parameters (a theme's _includes are not in
// the posts folder). A site's own _includes/NAME wins over these.
//
//   - gallery [id=NAME] [caption=…]: each picture of page.gallery (or
//     page[NAME]), linked to its full size, its title below it in
//     italics; then the gallery's caption;
//   - figure image_path=… alt=… caption=…: the picture, its caption below;
//   - video id=… provider=youtube|vimeo|google-drive|bilibili: one line,
//     "▶ YouTube: ID · <https://youtu.be/ID>", the address a link in the
//     reader's list (Hugo's youtube shortcode gives the same line);
//   - feature_row [id=NAME]: each item of page.feature_row (or page[NAME]):
//     its picture, title, excerpt and button link;
//   - toc: nothing (the reader has its own outline);
//   - note, tip, warning, important, callout content=… (the notices of the
//     documentation themes): a quote headed by the kind.

// builtinInclude is the markdown of the built-in include name (with or
// without ".html"), or false when there is none.
func builtinInclude(name string, params, page map[string]any) (string, bool) {
	switch strings.TrimSuffix(name, ".html") {
	case "gallery":
		return galleryMarkdown(params, page), true
	case "figure":
		return figureMarkdown(params), true
	case "video":
		return videoMarkdown(params)
	case "feature_row":
		return featureRowMarkdown(params, page), true
	case "toc":
		return "", true
	case "note", "tip", "warning", "important", "callout":
		return noticeMarkdown(strings.TrimSuffix(name, ".html"), params), true
	}
	return "", false
}

// text is a parameter or field as text ("" when absent).
func text(m map[string]any, key string) string {
	v, ok := m[key]
	if !ok || v == nil {
		return ""
	}
	return strings.TrimSpace(fmt.Sprint(v))
}

// items are the maps of a page list: page[params.id], else page[def].
func items(params, page map[string]any, def string) []map[string]any {
	key := text(params, "id")
	if key == "" {
		key = def
	}
	list, _ := page[key].([]any)
	var out []map[string]any
	for _, it := range list {
		if m, ok := it.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

// image is a markdown picture, its address in <> so spaces and ")" hold.
func image(alt, src string) string {
	return fmt.Sprintf("![%s](<%s>)", escapeLinkText(alt), strings.ReplaceAll(src, ">", "%3E"))
}

// link is a markdown link to addr.
func link(label, addr string) string {
	return fmt.Sprintf("[%s](<%s>)", label, strings.ReplaceAll(addr, ">", "%3E"))
}

func galleryMarkdown(params, page map[string]any) string {
	var parts []string
	for _, it := range items(params, page, "gallery") {
		src := firstNonEmpty(text(it, "image_path"), text(it, "url"))
		if src == "" {
			continue
		}
		title := text(it, "title")
		alt := firstNonEmpty(text(it, "alt"), title)
		pic := image(alt, src)
		if full := text(it, "url"); full != "" && full != src {
			pic = link(pic, full)
		}
		if title != "" && title != alt {
			pic += "\n\n" + emphasised(escapeLinkText(title)) // below it, as the theme's caption
		}
		parts = append(parts, pic)
	}
	if c := text(params, "caption"); c != "" {
		parts = append(parts, c)
	}
	return strings.Join(parts, "\n\n")
}

func figureMarkdown(params map[string]any) string {
	src := text(params, "image_path")
	if src == "" {
		return ""
	}
	caption := text(params, "caption")
	out := image(firstNonEmpty(text(params, "alt"), caption), src)
	if full := text(params, "url"); full != "" {
		out = link(out, full)
	}
	if caption != "" {
		out += "\n\n" + emphasised(caption)
	}
	return out
}

// emphasised is markdown in italics, unless it has emphasis of its own.
func emphasised(md string) string {
	if strings.ContainsAny(md, "*_\n") {
		return md
	}
	return "*" + md + "*"
}

// videoSites are the providers of Minimal Mistakes' video include: the
// name shown, and the address of a video by its id.
var videoSites = map[string]struct{ name, addr string }{
	"youtube":      {"YouTube", "https://youtu.be/%s"},
	"vimeo":        {"Vimeo", "https://vimeo.com/%s"},
	"google-drive": {"Google Drive", "https://drive.google.com/file/d/%s/view"},
	"bilibili":     {"bilibili", "https://www.bilibili.com/video/%s"},
}

func videoMarkdown(params map[string]any) (string, bool) {
	site, ok := videoSites[strings.ToLower(text(params, "provider"))]
	id := text(params, "id")
	if !ok || id == "" {
		return "", false
	}
	addr := fmt.Sprintf(site.addr, url.PathEscape(id))
	title := firstNonEmpty(text(params, "title"), id)
	return fmt.Sprintf("▶ %s: %s · <%s>", site.name, escapeLinkText(title), addr), true
}

func featureRowMarkdown(params, page map[string]any) string {
	var parts []string
	for _, it := range items(params, page, "feature_row") {
		if src := text(it, "image_path"); src != "" {
			parts = append(parts, image(firstNonEmpty(text(it, "alt"), text(it, "title")), src))
		}
		if t := text(it, "title"); t != "" {
			parts = append(parts, "**"+escapeLinkText(t)+"**")
		}
		if ex := text(it, "excerpt"); ex != "" {
			parts = append(parts, ex)
		}
		if addr := text(it, "url"); addr != "" {
			parts = append(parts, link(escapeLinkText(firstNonEmpty(text(it, "btn_label"), "Learn more")), addr))
		}
	}
	return strings.Join(parts, "\n\n")
}

// noticeKinds are the callouts of the documentation themes' notices (as
// kramdown's notice classes are, noticeClasses); callout's type names one
// of them or stands alone.
var noticeKinds = map[string]string{"note": "NOTE", "tip": "TIP", "warning": "WARNING", "important": "IMPORTANT",
	"info": "INFO", "danger": "DANGER", "success": "SUCCESS", "primary": "IMPORTANT", "default": "NOTE"}

// noticeMarkdown is a notice include as the callout it is: a GitHub alert,
// which every renderer draws.
func noticeMarkdown(kind string, params map[string]any) string {
	alert := noticeKinds[kind]
	if kind == "callout" {
		alert = firstNonEmpty(noticeKinds[strings.ToLower(text(params, "type"))], "NOTE")
	}
	return strings.Join(alertLines(alert, strings.Split(text(params, "content"), "\n")), "\n")
}
