package publish

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path"
	"strings"
	"time"

	"sshblog/internal/content"
)

// Default limits.
const (
	DefaultMaxPost  = 2 << 20  // the loader's size cap for a post
	DefaultMaxImage = 10 << 20 // an image
	DefaultAtOnce   = 3        // uploads running at once per author
	DefaultPerHour  = 60       // writes per author per hour
	// DefaultMaxFolders caps the folders in the posts folder, past which
	// no author's write makes one: each is one more inotify watch.
	DefaultMaxFolders = 10_000
)

// DraftsDir is where `publish --draft` puts a post: the loader marks every
// post under it a draft.
const DraftsDir = "_drafts"

// Options configure a Publisher.
type Options struct {
	PostsDir string // the posts folder: every write lands inside it
	Authors  string // authorized_keys file of the authors
	AuthorCA string // authorized_keys-format file of CA keys for user certificates; "" for none
	PerHour  int    // writes per author per hour; 0: no limit
	AtOnce   int    // uploads at once per author; 0: DefaultAtOnce
	MaxPost  int64  // 0: DefaultMaxPost
	MaxImage int64  // 0: DefaultMaxImage
	// MaxFolders: no author's write makes a folder once the posts folder
	// holds this many (dot-folders such as .history not counted); 0:
	// DefaultMaxFolders.
	MaxFolders int
	// Find names the file behind a slug (for unpublish): the current
	// Snapshot knows it.
	Find   func(slug string) (file string, ok bool)
	Logger *slog.Logger
	Now    func() time.Time
}

// Publisher is the one pipeline every author's write goes through.
type Publisher struct {
	o       Options
	authors *authors
	quota   *quota
	folders folders
	log     *slog.Logger
}

// New makes a Publisher. It reads nothing yet: the authors file is read
// at the first write, and again whenever it changes.
func New(o Options) *Publisher {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.AtOnce <= 0 {
		o.AtOnce = DefaultAtOnce
	}
	if o.MaxPost <= 0 {
		o.MaxPost = DefaultMaxPost
	}
	if o.MaxImage <= 0 {
		o.MaxImage = DefaultMaxImage
	}
	if o.MaxFolders <= 0 {
		o.MaxFolders = DefaultMaxFolders
	}
	return &Publisher{
		o:       o,
		authors: newAuthors(o.Authors, o.AuthorCA, o.Logger),
		quota:   &quota{perHour: o.PerHour, atOnce: o.AtOnce, now: o.Now, running: map[string]int{}, writes: map[string][]time.Time{}},
		log:     o.Logger,
	}
}

// Author finds the author behind r now. The error wraps ErrNotAuthor and
// says why (a key not in the file; the line that refused it and why).
func (p *Publisher) Author(r Request) (Author, error) {
	return p.authors.lookup(r, p.o.Now())
}

// recheck asks again whether a is an author, against the authors file as
// it is now and at the time now: every write calls it at the moment it
// commits, so that a key removed (or expired, or no longer allowed from
// the client's address) while its session is open writes nothing more. A
// key whose forced command changed meanwhile is refused too: its session
// runs the command it was forced to run when it began.
func (p *Publisher) recheck(a Author) error {
	now, err := p.Author(a.req)
	if err != nil {
		return err
	}
	if now.Command != a.Command {
		return fmt.Errorf("%w: the key's forced command changed while the session was open", ErrNotAuthor)
	}
	return nil
}

// HasAuthors reports whether anyone may write at all.
func (p *Publisher) HasAuthors() bool { return p.authors.any() }

// Begin takes one of an author's upload slots for a file (name: "" for a
// post named after its title; size: the size the client declared, -1 if
// none); call release when the upload ends. It refuses, and logs the
// refusal, an author no longer in the authors file, a name that is not
// one, a declared size over its cap, or an author with too many uploads
// running.
func (p *Publisher) Begin(a Author, name string, size int64) (release func(), err error) {
	defer func() {
		if err != nil {
			p.logWrite(a, Result{Action: "refused", File: name, Bytes: int(max(size, 0))}, err)
		}
	}()
	if err := p.recheck(a); err != nil {
		return nil, err
	}
	if name != "" {
		if _, _, err := CleanName(name); err != nil {
			return nil, err
		}
		if max := p.MaxSize(name); size > max {
			return nil, fmt.Errorf("%w: %s is %d bytes, over %d", ErrTooLarge, name, size, max)
		}
	}
	return p.quota.begin(a.Fingerprint)
}

// Uploads is the number of uploads holding a slot now, all authors
// together, and a channel closed when that number next changes: a test
// (or a gauge) waits on it instead of guessing when uploads have begun.
func (p *Publisher) Uploads() (running int, changed <-chan struct{}) { return p.quota.uploads() }

// MaxSize is the cap on a file of kind name's extension.
func (p *Publisher) MaxSize(name string) int64 {
	if _, kind, err := CleanName(name); err == nil && kind == kindImage {
		return p.o.MaxImage
	}
	return p.o.MaxPost
}

// Upload says what to do with a file.
type Upload struct {
	Name  string // "" for a post: named after its slug
	Draft bool   // land under DraftsDir
	Check bool   // check only, write nothing
	// Size is how many bytes the client said it would send (scp's C
	// line); an upload that ends with another count is refused. 0: none
	// said.
	Size int64
}

// Result is what happened, for the reply to the author.
type Result struct {
	Action   string // "published", "updated", "draft", "checked", "unpublished", "uploaded"
	File     string // relative to the posts folder
	Slug     string
	Title    string
	Bytes    int
	Kept     string            // where the previous version went, if any
	Errors   []content.Problem // why it was refused
	Warnings []content.Problem
}

// Put runs a file through the pipeline: size cap, name, checks, then (unless
// u.Check) the author again, the hourly allowance and the atomic write that
// keeps the previous version. It reads r only up to the cap, and not at all
// when the size declared (u.Size) is over it or the name is refused; a file
// shorter than declared is refused. Every call logs one "author write" line.
func (p *Publisher) Put(ctx context.Context, a Author, u Upload, r io.Reader) (res Result, err error) {
	defer func() { p.logWrite(a, res, err) }()
	name, kind := u.Name, kindPost
	if name != "" {
		if name, kind, err = CleanName(name); err != nil {
			return Result{Action: "refused", File: u.Name}, err
		}
	}
	max := p.o.MaxPost
	if kind == kindImage {
		max = p.o.MaxImage
	}
	if u.Size > max {
		return Result{Action: "refused", File: name}, fmt.Errorf("%w: %d bytes, over %d", ErrTooLarge, u.Size, max)
	}
	data, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return Result{Action: "refused", File: name, Bytes: len(data)}, fmt.Errorf("read upload: %w", err)
	}
	if int64(len(data)) > max {
		return Result{Action: "refused", File: name, Bytes: len(data)}, fmt.Errorf("%w: over %d bytes", ErrTooLarge, max)
	}
	if u.Size > 0 && int64(len(data)) != u.Size {
		return Result{Action: "refused", File: name, Bytes: len(data)},
			fmt.Errorf("%w: %d of the %d bytes declared arrived", ErrIncomplete, len(data), u.Size)
	}
	return p.putBytes(ctx, a, u, data)
}

// PutBytes is Put for data already read and within its cap (scp, SFTP).
func (p *Publisher) PutBytes(ctx context.Context, a Author, u Upload, data []byte) (res Result, err error) {
	defer func() { p.logWrite(a, res, err) }()
	return p.putBytes(ctx, a, u, data)
}

// putBytes is the pipeline after reading: checks, then the commit.
func (p *Publisher) putBytes(ctx context.Context, a Author, u Upload, data []byte) (Result, error) {
	res := Result{Bytes: len(data), File: u.Name}
	name, kind := u.Name, kindPost
	var err error
	if name != "" {
		if name, kind, err = CleanName(name); err != nil {
			res.Action = "refused"
			return res, err
		}
	}
	if kind == kindImage {
		if data, err = p.checkImage(name, data); err != nil {
			res.Action = "refused"
			return res, err
		}
		res.Action, res.Bytes = "uploaded", len(data)
	} else {
		checkName := name
		if checkName == "" {
			checkName = "stdin.md"
		}
		c, err := content.Check(ctx, checkName, data, p.o.Now())
		if err != nil {
			res.Action = "refused"
			return res, fmt.Errorf("check post: %w", err)
		}
		res.Errors, res.Warnings = c.Errors, c.Warnings
		if c.Post != nil {
			res.Slug, res.Title = c.Post.Slug, c.Post.Title
			if len(c.Post.Tags) == 0 {
				res.Warnings = append(res.Warnings, content.Problem{Path: checkName, Reason: "no tags (add tags: [one, two] to the front matter)"})
			}
		}
		if len(res.Errors) > 0 {
			res.Action = "refused"
			return res, ErrInvalid
		}
		if name == "" {
			slug := content.Slugify(res.Title)
			if slug == "" {
				res.Action = "refused"
				return res, fmt.Errorf("%w: the post has no title to name it by: give a name (publish NAME.md)", ErrName)
			}
			name = slug + ".md"
			named, err := content.Check(ctx, name, data, p.o.Now())
			if err != nil {
				res.Action = "refused"
				return res, fmt.Errorf("check post: %w", err)
			}
			if named.Post != nil {
				res.Slug = named.Post.Slug // a slug: field still wins
			}
		}
		res.Action = "published"
		res.Warnings = append(res.Warnings, p.missingImages(name, c.Post)...)
	}
	if u.Draft {
		if strings.Contains(name, "/") {
			res.Action = "refused"
			return res, fmt.Errorf("%w: a draft is one file, not a bundle", ErrName)
		}
		name = DraftsDir + "/" + name
		res.Action = "draft"
	}
	res.File = name
	if u.Check {
		res.Action = "checked"
		return res, nil
	}
	if err := ctx.Err(); err != nil {
		return res, err
	}
	if err := p.recheck(a); err != nil { // the commit: is the author still one, now?
		res.Action = "refused"
		return res, err
	}
	if err := p.quota.spend(a.Fingerprint); err != nil {
		res.Action = "refused"
		return res, err
	}
	replaced, kept, err := p.write(name, historyKey(res.Slug, name), data)
	if err != nil {
		res.Action = "failed"
		return res, err
	}
	if replaced && res.Action == "published" {
		res.Action = "updated"
	}
	res.Kept = kept
	return res, nil
}

// checkImage checks an image's bytes match its extension and strips its
// metadata (location, camera, time: metadata.go). It is the one place a
// picture passes on its way to disk, whichever way it came.
func (p *Publisher) checkImage(name string, data []byte) ([]byte, error) {
	ext := strings.ToLower(path.Ext(name))
	if !imageMagic(ext, data) {
		return nil, fmt.Errorf("%w: %s is not a %s image", ErrInvalid, name, strings.TrimPrefix(ext, "."))
	}
	out, err := stripMetadata(ext, data)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrInvalid, name, err)
	}
	return out, nil
}

// historyKey names the folder under .history that keeps a file's old
// versions: the post's slug, else the file name.
func historyKey(slug, name string) string {
	if slug != "" {
		return slug
	}
	return strings.ReplaceAll(name, "/", "_")
}

// Unpublish moves the post behind slug (or a file name) out of the posts
// folder into .history, where it is kept.
func (p *Publisher) Unpublish(a Author, slug string) (res Result, err error) {
	res = Result{Action: "unpublished", Slug: slug}
	defer func() { p.logWrite(a, res, err) }()
	file := ""
	if p.o.Find != nil {
		file, _ = p.o.Find(slug)
	}
	if file == "" {
		if clean, _, err := CleanName(slug); err == nil {
			file = clean
		}
	}
	if file == "" {
		res.Action = "refused"
		return res, fmt.Errorf("%w: %q", ErrNotFound, slug)
	}
	res.File = file
	if err := p.recheck(a); err != nil {
		res.Action = "refused"
		return res, err
	}
	if err := p.quota.spend(a.Fingerprint); err != nil {
		res.Action = "refused"
		return res, err
	}
	key := slug
	if _, kind, err := CleanName(slug); err == nil && kind == kindPost {
		key = strings.TrimSuffix(path.Base(slug), path.Ext(slug)) // a file name: its stem
	}
	kept, err := p.remove(file, historyKey(key, file))
	if err != nil {
		res.Action = "failed"
		return res, err
	}
	res.Kept = kept
	return res, nil
}

// logWrite is the audit log: every write attempt, from every way in,
// refusals included, is one "author write" line: who (the key's
// fingerprint and name, the client's address), what, which file, how big,
// how it ended.
func (p *Publisher) logWrite(a Author, res Result, err error) {
	result := "ok"
	level := slog.LevelInfo
	if err != nil {
		result, level = err.Error(), slog.LevelWarn
		if errors.Is(err, ErrInvalid) && len(res.Errors) > 0 {
			result = res.Errors[0].String()
		}
	}
	remote := ""
	if a.req.Remote.IsValid() {
		remote = a.req.Remote.Unmap().String()
	}
	p.log.Log(context.Background(), level, "author write", "author", a.Fingerprint, "name", a.Name,
		"action", res.Action, "file", res.File, "bytes", res.Bytes, "result", result, "remote", remote)
}
