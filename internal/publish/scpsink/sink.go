package scpsink

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"sshblog/internal/publish"
	"sshblog/internal/termtext"
)

// ErrSkipped means an entry was not received, because the pipeline refused
// it or the client reported it failed, and the upload went on with the
// rest: the client and the author have been told, and the command ends
// with a status of 1.
var ErrSkipped = errors.New("an entry was skipped")

// Upload is one `scp -t` command: who sends, where to, and how they hear
// what the pipeline made of each file.
type Upload struct {
	Author    publish.Author
	Target    string // from [Target]: "" for the posts folder
	Recursive bool   // scp -r: D and E lines open and close folders
	// Tell gives the author the pipeline's reply for one file, for
	// people (the protocol's own answers go to the client on w).
	Tell func(res publish.Result, err error)
}

// Receive reads an upload's stream from r and answers the client on w,
// until the client is done. A nil error means every entry was received;
// [ErrSkipped] that some were refused and the rest received. Any other
// error ended the upload, because the stream could no longer be followed:
// the client has been sent a status of 2 and the reason, as OpenSSH's sink
// does, which it prints before it exits.
func Receive(ctx context.Context, pub *publish.Publisher, up Upload, r io.Reader, w io.Writer) error {
	k := &sink{
		ctx: ctx, pub: pub, a: up.Author, in: newReader(r), out: w,
		target: up.Target, single: !up.Recursive, tell: up.Tell,
	}
	if err := k.run(); err != nil {
		fmt.Fprintf(w, "\x02scp: %s\n", termtext.ClientString(err.Error()))
		return err
	}
	if k.failed {
		return ErrSkipped
	}
	return nil
}

// Target is the folder (or file name) an scp command names, inside the
// posts folder: "", ".", "/" and "~" all mean the posts folder itself.
func Target(p string) (string, error) {
	p = filepath.ToSlash(p)
	if slices.Contains(strings.Split(p, "/"), "..") {
		return "", fmt.Errorf("%w: %q: no .. in paths", publish.ErrName, p)
	}
	p = strings.TrimPrefix(strings.TrimPrefix(p, "~"), "/")
	p = strings.Trim(path.Clean("/"+p), "/")
	return p, nil
}

// sink receives one scp upload (see proto.go for the protocol).
type sink struct {
	ctx    context.Context
	pub    *publish.Publisher
	a      publish.Author
	in     *reader
	out    io.Writer                           // the answers, on the session's stdout
	tell   func(res publish.Result, err error) // the pipeline's reply, for people
	target string                              // "" for the posts folder
	single bool                                // not -r: the target may name the file itself
	dirs   []string                            // folders opened by D and not yet closed by E
	failed bool                                // an entry was refused: exit status 1
}

// run reads entries until the client is done. Refusing one file or folder
// goes on with the next (the client skips it); an error returned ends the
// upload, because the stream can no longer be followed.
func (k *sink) run() error {
	if err := k.ok(); err != nil {
		return err
	}
	for {
		line, err := k.in.line()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if line == "" {
			return fmt.Errorf("%w: empty control line", errProtocol)
		}
		switch line[0] {
		case 'T': // times: the pipeline keeps its own
			err = k.ok()
		case 'C':
			err = k.file(line)
		case 'D':
			err = k.folder(line)
		case 'E':
			err = k.endFolder()
		case 1, 2: // the client failed at something of its own
			k.failed = true
			if line[0] == 2 {
				return nil
			}
		default:
			return fmt.Errorf("%w: unknown control line %q", errProtocol, termtext.ClientString(line[:1]))
		}
		if err != nil {
			return err
		}
	}
}

// dest is where an entry named name lands: in the target folder, under
// the folders open now; or the target itself when a plain scp names the
// file.
func (k *sink) dest(name string) string {
	if k.single && k.target != "" && path.Ext(k.target) != "" {
		return k.target
	}
	return strings.TrimPrefix(path.Join(k.target, path.Join(k.dirs...), name), "/")
}

// folder makes the folder a D line opens; the entries after it go inside
// until its E.
func (k *sink) folder(line string) error {
	if k.single {
		return fmt.Errorf("%w: a folder without -r", errProtocol)
	}
	e, err := parseEntry(line)
	if err != nil {
		return err
	}
	dir := k.dest(e.name)
	if err := k.pub.Mkdir(k.a, dir); err != nil && !errors.Is(err, fs.ErrExist) {
		return k.refuse(err.Error()) // the client skips the folder, E and all
	}
	k.dirs = append(k.dirs, e.name)
	return k.ok()
}

// endFolder closes the folder last opened: what follows lands beside it.
func (k *sink) endFolder() error {
	if len(k.dirs) == 0 {
		return fmt.Errorf("%w: E with no folder open", errProtocol)
	}
	k.dirs = k.dirs[:len(k.dirs)-1]
	return k.ok()
}

// file runs a C line's file through the pipeline, which reads exactly the
// bytes declared and nothing is published unless they all came and the
// client's status byte after them said they are the file.
func (k *sink) file(line string) error {
	e, err := parseEntry(line)
	if err != nil {
		return err
	}
	name := k.dest(e.name)
	release, err := k.pub.Begin(k.a, name, e.size) // the author now, the name, the declared size, a slot
	if err != nil {
		k.tell(publish.Result{File: name}, err)
		return k.refuse(name + ": not published")
	}
	defer release()
	f := k.in.file(e.size, k.ok)
	res, err := k.pub.Put(k.ctx, k.a, publish.Upload{Name: name, Size: e.size}, f)
	k.tell(res, err)
	if !f.finish() {
		return fmt.Errorf("upload of %s cut short: %w", name, f.err)
	}
	if err != nil {
		return k.refuse(name + ": not published")
	}
	return k.ok()
}

// ok answers a line: go on.
func (k *sink) ok() error {
	if _, err := k.out.Write([]byte{0}); err != nil {
		return fmt.Errorf("answer the client: %w", err)
	}
	return nil
}

// refuse answers a line with a status of 1 and why: the client prints it,
// skips that entry, and goes on.
func (k *sink) refuse(why string) error {
	k.failed = true
	if _, err := fmt.Fprintf(k.out, "\x01scp: %s\n", termtext.ClientString(why)); err != nil {
		return fmt.Errorf("answer the client: %w", err)
	}
	return nil
}
