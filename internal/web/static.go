package web

import (
	"bytes"
	"errors"
	"io/fs"
	"net/http"
	"path"
	"strconv"
	"time"

	"sshblog/internal/content"
	"sshblog/internal/feed"
)

// staticTypes are the files served from the posts folder, by extension,
// with their content types: images and media only. Markdown (drafts!),
// settings files and anything else there are never served as files.
var staticTypes = map[string]string{
	".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
	".webp": "image/webp", ".avif": "image/avif", ".svg": "image/svg+xml", ".ico": "image/x-icon",
	".pdf": "application/pdf", ".mp3": "audio/mpeg", ".mp4": "video/mp4", ".webm": "video/webm",
}

// static serves the file at the site path rest: the file of that path in
// the posts folder, or, under a page bundle's page (a bundle with a
// permalink), the bundle's own file. Every read is confined to the folder.
func (s *Server) static(w http.ResponseWriter, r *http.Request, rest, ctype string) {
	if s.opts.Files == nil {
		s.notFound(w, r)
		return
	}
	data, mod, err := s.opts.Files.ReadFile(r.Context(), rest, s.opts.Limits.MaxFileBytes)
	if errors.Is(err, fs.ErrNotExist) {
		if rel, ok := bundleFile(s.snapshot(), rest); ok {
			data, mod, err = s.opts.Files.ReadFile(r.Context(), rel, s.opts.Limits.MaxFileBytes)
		}
	}
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) && r.Context().Err() == nil {
			s.opts.Logger.Info("static file refused", "path", rest, "reason", err)
		}
		s.notFound(w, r) // refused or missing: the same answer
		return
	}
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Cache-Control", "public, max-age=3600")
	h.Set("ETag", `"`+strconv.FormatInt(mod.UnixNano(), 36)+"-"+strconv.Itoa(len(data))+`"`)
	http.ServeContent(w, r, "", mod.Truncate(time.Second), bytes.NewReader(data))
}

// bundleFile maps a file under a page bundle's page ("/2024/trip/a.jpg"
// for a bundle "my-trip" with that permalink) to its place in the posts
// folder ("my-trip/a.jpg").
func bundleFile(snap *content.Snapshot, rest string) (string, bool) {
	dir, name := path.Split(rest)
	p, ok := snap.Find(dir)
	if !ok || p.Bundle == "" || feed.PagePath(p) != "/"+dir {
		return "", false
	}
	return p.Bundle + "/" + name, true
}
