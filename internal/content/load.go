package content

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Options configure Load and Store. Zero values pick defaults.
type Options struct {
	Dir         string           // the posts folder (default "posts")
	ShowDrafts  bool             // author's preview: show drafts (and load _drafts/)
	MaxFileSize int64            // default 2 MiB; bigger files become a Problem
	Debounce    time.Duration    // default 100ms
	Logger      *slog.Logger     // default: discard
	Now         func() time.Time // default time.Now (tests inject)
	// Private folders are never read, even when they lie inside Dir (or a
	// symlink in Dir leads into them): the keys folder.
	Private []string
	// ReadTimeout bounds the read of one file (default 10s): a file on a
	// hung mount, or a special file that blocks, becomes a Problem
	// ([ErrReadTimeout]) instead of stalling the loader.
	ReadTimeout time.Duration
	// Static are the folders a site-root image address ("/images/x.png")
	// is looked up in, first match wins, as the renderer's images Library
	// does it (default: Dir alone). A post's version covers the files its
	// images name there and beside it, and the watcher follows them.
	Static []string
	// MaxWatches bounds the folders Run watches (default
	// [DefaultMaxWatches]); changes in folders past it show at the next
	// reload.
	MaxWatches int
	// Site is the site around the posts folder ([LoadSite]): a Jekyll
	// site's posts run their Liquid as Jekyll does, with site.* from its
	// settings and its own _includes. Zero: a folder of posts. Its kind
	// also picks the markdown's dialect where the sites' renderers differ:
	// kramdown's HTML blocks on Jekyll sites, typography on Jekyll and
	// Hugo sites (Post.Typographer).
	Site Site
	// Zone is where a date written without a zone is, in a post whose
	// front matter names no timezone of its own: the site's
	// ([Site.Location]). nil is UTC.
	Zone *time.Location
}

// Defaults for the zero Options.
const (
	DefaultDir         = "posts"
	DefaultMaxFileSize = 2 << 20
	DefaultDebounce    = 100 * time.Millisecond
	DefaultReadTimeout = 10 * time.Second
)

func (o Options) withDefaults() Options {
	if o.Dir == "" {
		o.Dir = DefaultDir
	}
	// Absolute, so watcher event names and walked paths agree, and a later
	// change of working directory cannot move the blog.
	if abs, err := filepath.Abs(o.Dir); err == nil {
		o.Dir = abs
	}
	if o.MaxFileSize <= 0 {
		o.MaxFileSize = DefaultMaxFileSize
	}
	if o.Debounce <= 0 {
		o.Debounce = DefaultDebounce
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.ReadTimeout <= 0 {
		o.ReadTimeout = DefaultReadTimeout
	}
	o.Private = slices.Clone(o.Private)
	if len(o.Static) == 0 {
		o.Static = []string{o.Dir}
	}
	static := make([]string, len(o.Static))
	for i, d := range o.Static {
		static[i] = d
		if abs, err := filepath.Abs(d); err == nil {
			static[i] = abs
		}
	}
	o.Static = static
	return o
}

// Load reads every post under opts.Dir once. It never fails: files that
// cannot be used, and a missing or unreadable folder, become Problems (each
// logged once), and a folder without posts gives an empty Snapshot.
func Load(opts Options) *Snapshot {
	snap, _ := newLoader(opts).load(context.Background())
	return snap
}

// loader turns the posts folder into Snapshots, remembering every file it
// read so that a reload re-reads only what changed. Not safe for concurrent
// use: a Store's Run goroutine owns it.
type loader struct {
	opts     Options
	files    map[string]*fileState // by relative path
	dirs     []Problem             // unreadable subfolders, from the last walk
	plog     *problemLog           // what reaches the log
	renamed  map[string]string     // path → slug last given after a collision
	stuck    *stuckReads           // reads abandoned at their deadline, across scans
	stall    func(rel string)      // tests: see confinedDir.stall
	site     *liquidSite           // during a scan: the site, for the Liquid pass
	siteBase *liquidSite           // the same without the scan's folders, made once
	gen      uint64
	built    bool
	noFolder bool // the last Snapshot says the folder was unavailable

	// The files posts show (see postfiles.go), from the last scan.
	sigs      map[fileRef]string // their versions
	fileDirs  map[string]bool    // folders holding them, to watch
	fileNames map[string]bool    // their paths in those folders
}

// fileState is what the loader knows about one file.
type fileState struct {
	size     int64
	modTime  time.Time
	post     *Post     // the last version that parsed; kept while a newer one does not
	shown    *Post     // post as placed in the last Snapshot (a copy if its slug changed)
	problems []Problem // from the latest read

	// ver is shown with a Hash covering its files' versions verSig; verOf
	// is the post it was made from (see loader.version).
	ver, verOf *Post
	verSig     string
}

func newLoader(opts Options) *loader {
	opts = opts.withDefaults()
	return &loader{
		opts:    opts,
		files:   make(map[string]*fileState),
		plog:    newProblemLog(opts.Logger),
		renamed: make(map[string]string),
		stuck:   newStuckReads(),
	}
}

// load is the first scan. When the folder itself is unavailable it still
// returns a Snapshot (empty but for the Problem), and the error. When ctx
// ends first it returns an empty Snapshot and ctx's error.
func (l *loader) load(ctx context.Context) (*Snapshot, error) {
	snap, _, _, err := l.scan(ctx, nil, true)
	switch {
	case ctx.Err() != nil:
		return l.snapshot(nil, nil), ctx.Err()
	case err != nil:
		p := Problem{Path: ".", Reason: err.Error(), Err: err}
		l.plog.report(".", []Problem{p}, nil, false)
		l.plog.flush()
		l.noFolder = true
		return l.snapshot(nil, []Problem{p}), err
	}
	return snap, nil
}

// scan walks the folder and re-reads the files that are new, named in dirty,
// or whose size or time changed (all: every file). It returns a new Snapshot
// only when something changed (nil otherwise), the folders it walked, and an
// error when the posts folder itself is unavailable (then nothing changes),
// or ctx's when it ended (then what was read so far is kept, unpublished).
func (l *loader) scan(ctx context.Context, dirty map[string]bool, all bool) (*Snapshot, bool, []string, error) {
	defer l.plog.flush()
	c, err := l.openPosts()
	if err != nil {
		return nil, false, nil, err
	}
	defer c.Close()
	t, err := l.walk(ctx, c)
	if err != nil {
		return nil, false, nil, err
	}
	dropBundleResources(t.files)
	var reads []string
	for rel, cand := range t.files {
		st := l.files[rel]
		if all || st == nil || dirty[rel] || cand.problem != nil || cand.size < 0 || st.size < 0 || statChanged(st, cand) {
			reads = append(reads, rel)
		}
	}
	slices.Sort(reads) // log in a stable order
	closeSite := l.openSite(c)
	results, err := l.readAll(ctx, c, reads, t)
	closeSite()
	if err != nil {
		return nil, false, nil, err
	}
	if rootMoved(l.opts.Dir, c) {
		// git-sync (or a deploy script) pointed the folder's link at a new
		// tree while this scan read the old one, which may be half deleted
		// by now: publish nothing, read the new tree whole.
		return nil, false, nil, errRootMoved
	}
	changed := false
	for _, r := range results {
		if r.gone {
			delete(t.files, r.rel)
			continue
		}
		changed = l.apply(r) || changed
	}
	for rel := range l.files {
		if _, ok := t.files[rel]; !ok && !under(rel, t.unreadable) {
			delete(l.files, rel)
			l.plog.forget(rel)
			delete(l.renamed, rel)
			changed = true
		}
	}
	if !problemsEqual(l.dirs, t.problems) {
		for _, p := range t.problems {
			l.plog.report(p.Path, []Problem{p}, nil, false)
		}
		l.dirs = t.problems
		changed = true
	}
	if l.noFolder {
		l.noFolder = false // the folder is back: drop its Problem
		l.plog.forget(".")
		changed = true
	}
	if l.checkFiles(c) {
		changed = true // a picture changed: its posts get a new version
	}
	if !changed && l.built {
		return nil, false, l.watchDirs(t.dirs), nil
	}
	return l.assemble(), true, l.watchDirs(t.dirs), nil
}

// statChanged reports a file whose size or modification time moved since it
// was read.
func statChanged(st *fileState, c candidate) bool {
	return c.size != st.size || !c.modTime.Equal(st.modTime)
}

// apply records one read; reports whether the Snapshot must change.
func (l *loader) apply(r readResult) bool {
	st := l.files[r.rel]
	if st == nil {
		st = &fileState{size: -1}
		l.files[r.rel] = st
	}
	if r.modTime.IsZero() {
		st.size = -1 // could not even stat it: read again next time
	} else {
		st.size, st.modTime = r.size, r.modTime
	}
	old, next := st.post, r.parsed.post
	if next != nil && old != nil && samePost(old, next) {
		next = old // unchanged content: keep the pointer other caches know
	}
	kept := next == nil && old != nil
	if next != nil {
		st.post = next
	}
	changed := st.post != old || !problemsEqual(st.problems, r.parsed.problems)
	st.problems = r.parsed.problems
	l.plog.report(r.rel, r.parsed.problems, r.parsed.stripped, kept)
	return changed
}

func samePost(a, b *Post) bool {
	return bytes.Equal(a.Raw, b.Raw) && a.Date.Equal(b.Date) && a.Draft == b.Draft && a.Path == b.Path
}

func problemsEqual(a, b []Problem) bool {
	return slices.EqualFunc(a, b, func(x, y Problem) bool {
		return x.Path == y.Path && x.Line == y.Line && x.Reason == y.Reason
	})
}

// under reports whether rel lies in one of the folders.
func under(rel string, folders []string) bool {
	for _, f := range folders {
		if strings.HasPrefix(rel, f+"/") {
			return true
		}
	}
	return false
}

// assemble builds a Snapshot from what the loader holds, without reading
// anything: after a scan, or when a scheduled post comes due.
func (l *loader) assemble() *Snapshot {
	type item struct {
		rel string
		st  *fileState
	}
	var items []item
	var problems []Problem
	for rel, st := range l.files {
		problems = append(problems, st.problems...)
		if st.post != nil {
			items = append(items, item{rel, st})
		}
	}
	// Older posts claim their slug first: a new post never takes an
	// existing post's address.
	slices.SortFunc(items, func(a, b item) int {
		return cmp.Or(a.st.post.Date.Compare(b.st.post.Date), strings.Compare(a.rel, b.rel))
	})
	claims := make([]slugClaim, len(items))
	for i, it := range items {
		claims[i] = slugClaim{path: it.rel, base: it.st.post.Slug}
	}
	slugs := uniqueSlugs(claims)
	posts := make([]*Post, len(items))
	for i, it := range items {
		posts[i] = l.version(it.st, l.place(it.rel, it.st, slugs[it.rel]))
		if s := posts[i].Slug; s != it.st.post.Slug {
			err := fmt.Errorf("%w: %q is used by an older post; this one is %q", ErrSlugTaken, it.st.post.Slug, s)
			problems = append(problems, Problem{Path: it.rel, Reason: err.Error(), Err: err})
		}
	}
	problems = append(problems, l.dirs...)
	l.plog.flush()
	return l.snapshot(posts, problems)
}

// place returns the post as it goes into a Snapshot: itself, or a copy under
// the slug it was given (the cached post is never modified: older Snapshots
// share it).
func (l *loader) place(rel string, st *fileState, slug string) *Post {
	p := st.post
	if slug == p.Slug {
		delete(l.renamed, rel)
		st.shown = p
		return p
	}
	if l.renamed[rel] != slug {
		l.renamed[rel] = slug
		l.plog.warn(ErrSlugTaken.Error(), "slug collision", "file", rel, "slug", p.Slug, "renamed", slug)
	}
	if st.shown == nil || st.shown.Slug != slug || st.shown.Hash != p.Hash || !samePost(st.shown, p) {
		cp := *p
		cp.Slug = slug
		st.shown = &cp
	}
	return st.shown
}

func (l *loader) snapshot(posts []*Post, problems []Problem) *Snapshot {
	for i := range problems {
		problems[i].Path = Sanitize(problems[i].Path)
	}
	slices.SortFunc(problems, func(a, b Problem) int {
		return cmp.Or(strings.Compare(a.Path, b.Path), cmp.Compare(a.Line, b.Line))
	})
	if l.built {
		l.gen++
	}
	l.built = true
	return NewSnapshot(posts, SnapshotOptions{
		Now:        l.opts.Now(),
		ShowDrafts: l.opts.ShowDrafts,
		Generation: l.gen,
		Problems:   problems,
	})
}
