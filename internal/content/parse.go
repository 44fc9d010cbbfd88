package content

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path"
	"strings"
	"time"
	"unicode/utf8"
)

// source is one file as read from disk.
type source struct {
	path     string // relative to the posts folder, slash-separated
	data     []byte
	modTime  time.Time
	draftDir bool           // found under _drafts/
	site     *liquidSite    // the site around the posts folder; nil: none
	zone     *time.Location // the site's time zone (nil: UTC)
	kind     string         // the kind of that site (Site.Kind): its markdown's dialect
}

// parsed is the outcome of parsing one file. post is nil when the file could
// not be used at all; problems may be present either way.
type parsed struct {
	post     *Post
	problems []Problem
	stripped []string // fields that had control characters removed
}

// binarySniff is how much of a file is checked for NUL bytes (as git does).
const binarySniff = 8000

// wordsPerMinute is the reading speed behind Post.ReadingTime.
const wordsPerMinute = 230

// parsePost turns a file into a Post. It never panics on any input and never
// touches the disk: every outcome, good or bad, is in the result.
func parsePost(src source) parsed { return parsePostWith(context.Background(), src, nil) }

// parsePostWith is parsePost under ctx, reusing a goroutine's scratch space:
// the one parse of a post, for the loader and the publish check alike. It
// runs under the loader's budget (analysisBudget, its front matter caps
// included), and when ctx ends it stops, with ctx's error as its only
// problem and no post.
func parsePostWith(ctx context.Context, src source, sc *termScratch) parsed {
	var res parsed
	fail := func(line int, err error) parsed {
		res.post = nil
		res.problems = append(res.problems, Problem{Path: src.path, Line: line, Reason: err.Error(), Err: err})
		return res
	}
	data := src.data
	if len(bytes.TrimSpace(data)) == 0 {
		return fail(0, ErrEmpty)
	}
	if i := bytes.IndexByte(data[:min(len(data), binarySniff)], 0); i >= 0 {
		return fail(lineAt(data, i), ErrBinary)
	}
	text := string(data)
	if !utf8.ValidString(text) {
		if invalidShare(data[:min(len(data), binarySniff)]) > 0.3 {
			return fail(0, ErrBinary)
		}
		line := lineAt(data, firstInvalid(data))
		res.problems = append(res.problems, Problem{Path: src.path, Line: line,
			Reason: ErrInvalidUTF8.Error() + " (bytes replaced with U+FFFD)", Err: ErrInvalidUTF8})
		text = strings.ToValidUTF8(text, "\uFFFD")
	}
	text = strings.TrimPrefix(text, "\uFEFF")

	fm, rawBody, _, err := splitFrontMatter(text)
	if err != nil {
		return fail(1, err)
	}
	lim := analysisBudget.FrontMatter
	if err := checkFrontMatterSize(fm, lim); err != nil {
		return fail(lineOf(err), err)
	}
	fmText, removed := sanitize(fm.text)
	if removed > 0 {
		res.stripped = append(res.stripped, "front matter")
	}
	fm.text = fmText
	fields, err := decodeFrontMatter(fm, lim)
	if err != nil {
		return fail(lineOf(err), err)
	}
	m, caveats, stripped := readMeta(ctx, fields, src.zone)
	for _, p := range caveats {
		p.Path = src.path
		res.problems = append(res.problems, p)
	}
	res.stripped = append(res.stripped, stripped...)

	trimmed := strings.TrimLeft(rawBody, "\r\n")
	body, removed := sanitize(trimmed)
	if removed > 0 {
		res.stripped = append(res.stripped, "body")
	}
	firstLine := strings.Count(text[:len(text)-len(trimmed)], "\n") + 1
	page := &hugoPage{front: fm, site: src.site.hugoSettings()}
	body, found := expandTemplates(body, firstLine, liquidInput{ctx: ctx, site: src.site, src: src, fm: fm, meta: m}, page)
	res.problems = append(res.problems, found...)
	m.math = m.math || page.math
	body = normalizeKramdown(body, src.kind == "jekyll")
	if err := ctx.Err(); err != nil {
		return fail(0, err)
	}
	res.post = buildPost(ctx, src, m, body, text, sc)
	if err := ctx.Err(); err != nil {
		return fail(0, err) // the analysis was cut short: no post
	}
	if r := res.post.Simplified; r != "" {
		res.problems = append(res.problems, Problem{Path: src.path,
			Reason: "shown simplified: " + r, Err: fmt.Errorf("%w: %s", ErrOverBudget, r)})
	}
	return res
}

// buildPost applies the fallbacks and derives the computed fields.
func buildPost(ctx context.Context, src source, m meta, body, text string, sc *termScratch) *Post {
	body, heading := dropTitleHeading(ctx, body, m.title)
	doc := analyzeMarkdown(ctx, body, analysisBudget)
	plain := Sanitize(doc.text) // entities may decode to control characters
	stem := fileStem(src.path)
	bundle := bundleDir(src.path)
	if bundle != "" {
		stem = path.Base(bundle) // my-trip/index.md is "my-trip"
	}
	fileDate, rest, hasFileDate := jekyllDate(stem, m.loc)

	p := &Post{
		Title:         m.title,
		TitleRuns:     m.titleRuns,
		NoSearch:      m.noSearch,
		Link:          m.link,
		HeaderImage:   m.header.image,
		HeaderCaption: m.header.caption,
		Date:          m.date,
		Updated:       m.updated,
		Tags:          m.tags,
		Categories:    m.categories,
		Excerpt:       m.excerpt,
		Author:        m.author,
		Draft:         m.draft || src.draftDir,
		Permalink:     m.permalink,
		Aliases:       m.aliases,
		Bundle:        Sanitize(bundle),
		Math:          m.math,
		Body:          body,
		Raw:           []byte(Sanitize(text)),
		Path:          Sanitize(src.path), // file names can hold control characters too
		Simplified:    doc.simplified,
		text:          plain,
	}
	// Jekyll's kramdown and Hugo's Goldmark both make typographic
	// punctuation by default; a plain folder's markdown is shown as
	// written, as GitHub and editors show it.
	p.Typographer = src.kind == "jekyll" || src.kind == "hugo"
	if p.Title == "" {
		p.Title = heading
	}
	if p.Title == "" {
		p.Title, _ = singleLine(doc.heading)
	}
	if p.Title == "" {
		p.Title, _ = singleLine(readableName(rest))
	}
	if p.Title == "" {
		p.Title = "Untitled"
	}
	if p.Date.IsZero() {
		if hasFileDate {
			p.Date = fileDate
		} else {
			p.Date = src.modTime.UTC()
		}
	}
	if p.Excerpt == "" {
		para, _ := singleLine(doc.para)
		p.Excerpt = cutWords(para, excerptLen)
	}
	p.Slug = slugify(m.slug)
	if p.Slug == "" {
		p.Slug = slugify(rest)
	}
	if p.Slug == "" {
		p.Slug = fallbackSlug(src.path)
	}
	p.Words = countWords(plain)
	p.ReadingTime = max(1, (p.Words+wordsPerMinute-1)/wordsPerMinute)
	// The header picture and caption lead the body, after the text was
	// analysed: they are neither the excerpt nor words to count or find.
	images := doc.images
	if h := m.header.markdown(p); h != "" {
		p.Body = h + p.Body
		if p.HeaderImage != "" {
			images = append([]string{p.HeaderImage}, images...)
		}
	}
	h := sha256.New()
	h.Write([]byte(p.Body))
	if p.Typographer {
		h.Write([]byte{0, 't'}) // the same text renders differently
	}
	p.Hash = hex.EncodeToString(h.Sum(nil))
	p.terms = analyzePost(p, plain, sc)
	p.files = postFiles(p, images)
	return p
}

// countWords counts white-space separated words without allocating.
func countWords(s string) int {
	n, in := 0, false
	for _, r := range s {
		space := r == ' ' || r == '\n' || r == '\t' || r == '\u00a0' || r == '\u3000'
		if !space && !in {
			n++
		}
		in = !space
	}
	return n
}

// lineAt is the 1-based line of byte offset i.
func lineAt(data []byte, i int) int { return bytes.Count(data[:i], []byte("\n")) + 1 }

func firstInvalid(data []byte) int {
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return len(data)
}

// invalidShare is the fraction of bytes that are not part of valid UTF-8.
func invalidShare(data []byte) float64 {
	if len(data) == 0 {
		return 0
	}
	bad := 0
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 {
			bad++
		}
		i += size
	}
	return float64(bad) / float64(len(data))
}
