package cli

import (
	"fmt"
	"sshblog/internal/defaults"

	"errors"
	"flag"
	"io"
	"strings"
)

// newFlagSet returns a flag set that reports errors to us instead of
// printing them: the flag package would echo the client's text unfiltered.
func newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// parseArgs parses args with fs and returns the positional arguments. Flags
// may come before, between or after them ("read my-post --raw"); everything
// after "--" is positional. A flag error becomes a usage error (status 2)
// naming the command and, for an unknown flag, the nearest defined one;
// -h/--help returns flag.ErrHelp.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var flags, pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			pos = append(pos, args[i+1:]...)
			break
		}
		if len(a) < 2 || a[0] != '-' {
			pos = append(pos, a)
			continue
		}
		flags = append(flags, a)
		name := strings.TrimLeft(a, "-")
		if strings.Contains(name, "=") {
			continue
		}
		// A flag that takes a value takes the next argument with it, so
		// "--tag go" does not make "go" positional.
		if f := fs.Lookup(name); f != nil && !isBoolFlag(f) && i+1 < len(args) {
			i++
			flags = append(flags, args[i])
		}
	}
	err := fs.Parse(flags)
	switch {
	case err == nil:
		return pos, nil
	case errors.Is(err, flag.ErrHelp):
		return nil, err
	}
	return nil, flagError(fs, err)
}

func isBoolFlag(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// flagError turns the flag package's message into one clean line.
func flagError(fs *flag.FlagSet, err error) error {
	msg := err.Error()
	const undefined = "flag provided but not defined: -"
	if name, ok := strings.CutPrefix(msg, undefined); ok {
		var names []string
		fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
		hint := ` (try "` + fs.Name() + ` -h")`
		if n := nearest(name, names); n != "" {
			hint = ` — did you mean "--` + n + `"?`
		}
		return usagef("%s: unknown flag %s%s", fs.Name(), quoted("-"+name), hint)
	}
	return usagef("%s: %s (try %q)", fs.Name(), clean(truncate(msg)), fs.Name()+" -h")
}

// truncate cuts a message that may carry a client's string to a sane length.
func truncate(s string) string {
	const limit = 2 * maxEcho
	if len(s) <= limit {
		return s
	}
	return strings.ToValidUTF8(s[:limit], "") + "…"
}

// readFlags are the flags of the read command, shared with [ReaderSlug] so
// the two can never disagree.
type readFlags struct {
	fs    *flag.FlagSet
	width int
	raw   bool
}

func newReadFlags() *readFlags {
	f := &readFlags{fs: newFlagSet("read")}
	f.fs.IntVar(&f.width, "width", defaults.Width, fmt.Sprintf("wrap the text at `N` columns (%d..%d)", defaults.MinWidth, defaults.MaxWidth))
	f.fs.BoolVar(&f.raw, "raw", false, "print the original markdown, front matter included")
	return f
}

// ReaderSlug reports whether args ask to read one post interactively:
// exactly "read <slug>", with no --raw, --width or -h. A server holding a PTY
// session then opens the reader at that post instead of calling [Run]. The
// slug is not looked up: when the Snapshot has no such post, call Run to
// print the "no post" message and exit status.
func ReaderSlug(args []string) (slug string, ok bool) {
	if len(args) < 2 || args[0] != "read" {
		return "", false
	}
	f := newReadFlags()
	pos, err := parseArgs(f.fs, args[1:])
	if err != nil || len(pos) != 1 || f.raw || isSet(f.fs, "width") {
		return "", false
	}
	return pos[0], true
}

// isSet reports whether the flag called name was given on the command line.
func isSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}
