package content

import (
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"
)

const (
	// problemBurst is how many lines of one kind a scan logs before it only
	// counts them (50,000 empty files give 5 lines and a count).
	problemBurst = 5
	// problemRepeat is how long a file's problems, once logged, are not
	// logged again when they come back (a file rewritten every 100 ms that
	// is caught half-written every other time).
	problemRepeat = time.Minute
	// problemMemory is how many distinct problem sets a file remembers.
	problemMemory = 4
)

// problemLog decides which problems reach the log, so that neither a folder
// of broken files nor a file that keeps changing can flood it. A file's
// problems are logged when they change, and not again if the same ones come
// back within problemRepeat; within one scan, each kind of problem logs at
// most problemBurst lines, and [problemLog.flush] then logs one line with the
// count of the rest.
type problemLog struct {
	log    *slog.Logger
	now    func() time.Time
	files  map[string]*fileLog // by relative path
	shown  map[string]int      // this scan: kind → lines logged
	hidden map[string]int      // this scan: kind → lines held back
}

// fileLog is what was logged about one file.
type fileLog struct {
	current string          // the problems standing now, as a key; "" for none
	recent  []loggedProblem // the last few logged, oldest first
}

type loggedProblem struct {
	key string
	at  time.Time
}

func newProblemLog(log *slog.Logger) *problemLog {
	return &problemLog{log: log, now: time.Now, files: make(map[string]*fileLog),
		shown: make(map[string]int), hidden: make(map[string]int)}
}

// report logs a file's problems and stripped fields, unless they stand
// unchanged or were logged lately. kept says a previous good version stays.
func (pl *problemLog) report(rel string, problems []Problem, stripped []string, kept bool) {
	key := problemKey(problems, stripped)
	f := pl.files[rel]
	if key == "" {
		if f != nil {
			f.current = ""
		}
		return
	}
	if f == nil {
		f = &fileLog{}
		pl.files[rel] = f
	}
	if f.current == key {
		return
	}
	f.current = key
	if !f.remember(key, pl.now()) {
		return
	}
	for _, p := range problems {
		args := []any{"file", p.Path, "line", p.Line, "reason", p.Reason}
		if kept {
			args = append(args, "kept", "previous version")
		}
		pl.warnUpTo(problemKind(p), burstOf(p), "post problem", args...)
	}
	for _, field := range stripped {
		pl.warn("stripped control characters", "stripped control characters", "file", rel, "field", field)
	}
}

// remember notes key as logged at now; false if it was logged within
// problemRepeat (then it is not logged again).
func (f *fileLog) remember(key string, now time.Time) bool {
	for i, r := range f.recent {
		if r.key != key {
			continue
		}
		if now.Sub(r.at) < problemRepeat {
			return false
		}
		f.recent = slices.Delete(f.recent, i, i+1)
		break
	}
	if len(f.recent) == problemMemory {
		f.recent = f.recent[1:]
	}
	f.recent = append(f.recent, loggedProblem{key, now})
	return true
}

// forget drops what was logged about a file that is gone.
func (pl *problemLog) forget(rel string) { delete(pl.files, rel) }

// warn logs one line of a kind, or counts it once the kind had its burst.
func (pl *problemLog) warn(kind, msg string, args ...any) {
	pl.warnUpTo(kind, problemBurst, msg, args...)
}

// warnUpTo is warn with a burst of its own.
func (pl *problemLog) warnUpTo(kind string, burst int, msg string, args ...any) {
	if pl.shown[kind] >= burst {
		pl.hidden[kind]++
		return
	}
	pl.shown[kind]++
	pl.log.Warn(msg, args...)
}

// flush ends a scan: one line per kind that had lines held back.
func (pl *problemLog) flush() {
	kinds := make([]string, 0, len(pl.hidden))
	for k := range pl.hidden {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	for _, k := range kinds {
		pl.log.Warn("more post problems", "kind", k, "count", pl.hidden[k], "logged", pl.shown[k])
	}
	clear(pl.shown)
	clear(pl.hidden)
}

// burstOf is how many lines a problem's kind logs per scan. A plugin's
// tag or filter, or a theme's include, is in many posts of a site: one
// line names it and the first file and line, the count follows.
func burstOf(p Problem) int {
	if errors.Is(p.Err, ErrUnknownTag) || errors.Is(p.Err, ErrUnknownFilter) {
		return 1
	}
	return problemBurst
}

// problemKey identifies a set of problems and stripped fields.
func problemKey(problems []Problem, stripped []string) string {
	if len(problems) == 0 && len(stripped) == 0 {
		return ""
	}
	var b strings.Builder
	for _, p := range problems {
		fmt.Fprintf(&b, "%d:%s\n", p.Line, p.Reason)
	}
	for _, f := range stripped {
		fmt.Fprintf(&b, "stripped:%s\n", f)
	}
	return b.String()
}

// problemKinds classify problems for the summary, most specific first.
var problemKinds = []error{
	ErrOutside, ErrPrivate, ErrNotRegular, ErrReadTimeout, ErrFolder, ErrTooLarge,
	ErrEmpty, ErrBinary, ErrInvalidUTF8, ErrUnclosedFrontMatter, ErrFrontMatterNotMap,
	ErrFrontMatterSyntax, ErrBadField, ErrSlugTaken, ErrUnreadable,
}

// problemKind names a problem's kind: its sentinel's text, else its reason.
func problemKind(p Problem) string {
	for _, k := range problemKinds {
		if errors.Is(p.Err, k) {
			return k.Error()
		}
	}
	return p.Reason
}
