package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"sshblog/internal/content"
)

// cacheControl lets browsers and proxies keep a page or feed a few
// minutes; after that they revalidate (ETag, Last-Modified) for a 304.
const cacheControl = "public, max-age=300"

// minGzip is the smallest body worth compressing.
const minGzip = 512

// resp is one answer built from a Snapshot (a page, a feed): its bytes,
// their validators and, made on first demand, their gzip form.
type resp struct {
	body    []byte
	ctype   string
	modTime time.Time
	etag    string // strong, quoted: a digest of body

	gzOnce sync.Once
	gz     []byte
}

func newResp(body []byte, ctype string, modTime time.Time) *resp {
	sum := sha256.Sum256(body)
	return &resp{body: body, ctype: ctype, modTime: modTime, etag: `"` + hex.EncodeToString(sum[:12]) + `"`}
}

// gzipped is body compressed, made once.
func (r *resp) gzipped() []byte {
	r.gzOnce.Do(func() {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		_, _ = zw.Write(r.body)
		_ = zw.Close()
		r.gz = buf.Bytes()
	})
	return r.gz
}

// serve writes r for req: 304 when the client's copy is current, gzip
// when it is asked for, with validators and a short Cache-Control.
func (r *resp) serve(w http.ResponseWriter, req *http.Request) {
	h := w.Header()
	h.Set("Cache-Control", cacheControl)
	h.Set("Vary", "Accept-Encoding")
	if !r.modTime.IsZero() {
		h.Set("Last-Modified", r.modTime.UTC().Format(http.TimeFormat))
	}
	body, etag := r.body, r.etag
	gz := len(r.body) >= minGzip && acceptsGzip(req)
	if gz {
		// Another encoding is another representation: its own strong ETag.
		etag = strings.TrimSuffix(r.etag, `"`) + `-gz"`
	}
	h.Set("ETag", etag)
	if notModified(req, r.modTime, etag, r.etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	if gz {
		body = r.gzipped()
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("Content-Type", r.ctype)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if req.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
}

// notModified applies RFC 9110's preconditions: If-None-Match (either
// encoding's tag matches: the representations hold the same document)
// wins over If-Modified-Since.
func notModified(req *http.Request, modTime time.Time, etags ...string) bool {
	inm := req.Header.Get("If-None-Match")
	if inm != "" {
		for _, t := range strings.Split(inm, ",") {
			t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
			if t == "*" {
				return true
			}
			for _, e := range etags {
				if t == e {
					return true
				}
			}
		}
		return false
	}
	ims, err := http.ParseTime(req.Header.Get("If-Modified-Since"))
	return err == nil && !modTime.IsZero() && !modTime.Truncate(time.Second).After(ims)
}

// acceptsGzip reports whether the request's Accept-Encoding allows gzip.
func acceptsGzip(req *http.Request) bool {
	for _, part := range strings.Split(req.Header.Get("Accept-Encoding"), ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(name), "gzip") && strings.TrimSpace(name) != "*" {
			continue
		}
		q := strings.ReplaceAll(params, " ", "")
		return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
	}
	return false
}

// maxCachedResps bounds a respCache; when full it starts over.
const maxCachedResps = 1024

// respCache keeps the answers built from the latest Snapshot, each built
// once however many ask at the same time. Only what exists is built (a
// 404 is never cached), so the keys are bounded by the blog.
type respCache = content.Memo[string, *resp]

func newRespCache() *respCache { return content.NewMemo[string, *resp](maxCachedResps) }
