package content

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// The files a post shows (its images) are part of what a reader sees, so a
// post's version covers them: the loader stats each one (through the
// confined folders, never reading or decoding it), and a post whose files
// changed gets a new [Post.Hash]. Every cache keyed by the hash (the
// renders) then misses, and open readers re-render, exactly as when the
// post itself changes. The watcher also watches the folders those files
// sit in, when they lie outside the walked posts folder (--static, a Hugo
// site's static/).

// maxPostFiles bounds the images of one post the loader follows (the
// renderer draws at most 64 pictures a post).
const maxPostFiles = 64

// fileRef is a local file a post's image names, as [Post.ResolveFile]
// resolves it.
type fileRef struct {
	rel      string // slash-separated
	siteRoot bool   // looked up in the static folders; else in the posts folder
}

// postFiles resolves a post's image addresses to local files, dropping
// remote ones and repeats.
func postFiles(p *Post, addrs []string) []fileRef {
	var out []fileRef
	for _, a := range addrs {
		rel, site, ok := p.ResolveFile(a)
		if !ok {
			continue
		}
		if ref := (fileRef{rel, site}); !slices.Contains(out, ref) {
			out = append(out, ref)
		}
	}
	return out
}

// folder is one folder files are looked up in: its path as configured
// (watches and event names use it) and its confined reader.
type folder struct {
	dir string
	c   *confinedDir
}

// staticFolders opens the static folders for one scan; the posts folder,
// when one of them, is posts itself. A folder that cannot be opened is nil:
// its files count as missing. done closes what was opened.
func (l *loader) staticFolders(posts *confinedDir) (out []folder, done func()) {
	var opened []*confinedDir
	for _, dir := range l.opts.Static {
		if dir == l.opts.Dir {
			out = append(out, folder{dir, posts})
			continue
		}
		c, err := openConfined(dir, confinedOptions{
			Name: "static folder", Private: l.opts.Private, Timeout: l.opts.ReadTimeout, Stuck: l.stuck,
		})
		if err != nil {
			l.opts.Logger.Debug("static folder unavailable", "dir", dir, "err", err)
			out = append(out, folder{dir, nil})
			continue
		}
		opened = append(opened, c)
		out = append(out, folder{dir, c})
	}
	return out, func() {
		for _, c := range opened {
			_ = c.Close()
		}
	}
}

// checkFiles stats every file a loaded post shows and notes the folders to
// watch for them; reports whether any file changed since the last scan.
func (l *loader) checkFiles(posts *confinedDir) bool {
	static, done := l.staticFolders(posts)
	defer done()
	own := []folder{{l.opts.Dir, posts}}
	sigs := make(map[fileRef]string)
	dirs := make(map[string]bool)
	names := make(map[string]bool)
	found := make(map[string]string) // watchDir's answers: posts share folders
	for _, st := range l.files {
		if st.post == nil {
			continue
		}
		for _, ref := range st.post.files {
			if _, done := sigs[ref]; done {
				continue
			}
			folders := own
			if ref.siteRoot {
				folders = static
			}
			sigs[ref] = fileSig(folders, ref.rel)
			for _, f := range folders {
				if d, ok := watchDirOnce(found, f, ref.rel); ok {
					dirs[d] = true
					// The file, and the folders on its way that may be
					// created (or moved) before it.
					for p := ref.rel; p != "."; p = path.Dir(p) {
						names[filepath.Join(f.dir, filepath.FromSlash(p))] = true
					}
				}
			}
		}
	}
	changed := !maps.Equal(sigs, l.sigs)
	l.sigs, l.fileDirs, l.fileNames = sigs, dirs, names
	return changed
}

// fileSig is the version of the file rel in the first folder holding it,
// as the images Library looks it up: "" when none does. A file that is
// refused (private, outside, unreadable) ends the look-up there, as it
// does for the Library.
func fileSig(folders []folder, rel string) string {
	for i, f := range folders {
		if f.c == nil {
			continue
		}
		if f.c.PrivateDir(rel) {
			return fmt.Sprintf("%d private", i)
		}
		fi, err := f.c.Stat(rel)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return fmt.Sprintf("%d %s", i, errText(err))
		}
		return fmt.Sprintf("%d %d %d %s", i, fi.Size(), fi.ModTime().UnixNano(), fileID(fi))
	}
	return ""
}

// watchDirOnce is watchDir, asked once per folder in found ("" when none).
func watchDirOnce(found map[string]string, f folder, rel string) (string, bool) {
	key := filepath.Join(f.dir, filepath.FromSlash(path.Dir(rel)))
	d, ok := found[key]
	if !ok {
		d, _ = watchDir(f, rel)
		found[key] = d
	}
	return d, d != ""
}

// watchDir is the folder to watch for the file rel of f: the one it is or
// would be in, else the nearest one above that exists (where its folder
// will be created), inside f (symlinks followed only while they stay
// inside) and not private.
func watchDir(f folder, rel string) (string, bool) {
	if f.c == nil {
		return "", false
	}
	for d := path.Dir(rel); ; d = path.Dir(d) {
		if d == "." {
			return f.dir, true
		}
		if f.c.PrivateDir(d) {
			return "", false
		}
		if fi, err := f.c.Stat(d); err == nil && fi.IsDir() {
			return filepath.Join(f.dir, filepath.FromSlash(d)), true
		}
	}
}

// watchDirs are the folders the watcher follows: the walked ones, then
// those holding the posts' files.
func (l *loader) watchDirs(walked []string) []string {
	out := slices.Clone(walked)
	for _, d := range slices.Sorted(maps.Keys(l.fileDirs)) {
		if !slices.Contains(walked, d) {
			out = append(out, d)
		}
	}
	return out
}

// showsFile reports whether name (an event's path) is a file a post shows,
// or a folder holding one.
func (l *loader) showsFile(name string) bool {
	return l.fileNames[name] || l.fileDirs[name]
}

// version is p with a Hash that also covers the files it shows: p itself
// when it shows none, else a copy, kept in st while neither p nor its
// files change (so caches keyed by the pointer keep working).
func (l *loader) version(st *fileState, p *Post) *Post {
	if len(p.files) == 0 {
		return p
	}
	var b strings.Builder
	b.WriteString(p.Hash)
	for _, ref := range p.files {
		b.WriteByte(0)
		b.WriteString(l.sigs[ref])
	}
	sig := b.String()
	if st.ver != nil && st.verOf == p && st.verSig == sig {
		return st.ver
	}
	cp := *p
	sum := sha256.Sum256([]byte(sig))
	cp.Hash = hex.EncodeToString(sum[:])
	st.ver, st.verOf, st.verSig = &cp, p, sig
	return &cp
}
