package cli

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"sshblog/internal/content"
	"sshblog/internal/defaults"
	"sshblog/internal/render"
)

// LineOptions is what the line-mode reader needs besides an [Env].
type LineOptions struct {
	// In is the reader's keyboard: the raw bytes of a terminal in raw mode
	// (as ssh leaves it when it asks for a PTY), which the reader echoes
	// and edits itself.
	In io.Reader
	// Snapshot is the blog now; every command reads it afresh, so a reload
	// shows at the next prompt. nil: Env.Snapshot throughout.
	Snapshot func() *content.Snapshot
	// Size is the window's columns and rows now: text is wrapped at the
	// columns and paged by the rows. nil or 0 columns: 80; at least 20
	// columns; under 3 rows: no paging.
	Size func() (cols, rows int)
	// MaxWidth is the widest a post is laid out, however wide the window
	// (the reader's --max-width); 0: no cap.
	MaxWidth int
	// Start is the slug of a post to print before the first prompt, or "".
	Start string
	// Notices are lines from the server (a restart notice) to print as
	// they come, while the reader is at the prompt or at --more--: the
	// question and what has been typed are drawn again under the notice.
	// nil: none.
	Notices <-chan string
}

// Prompt is what the line-mode reader asks at every turn.
const Prompt = "read which? (number, slug, q to quit) > "

// morePrompt stops a post at each screenful.
const morePrompt = "--more-- (space: next page, q: stop)"

// lineHelp lists the line-mode reader's commands.
const lineHelp = `Commands:
  NUMBER        read that post of the last list
  SLUG          read the post with that slug
  ls            list every post, newest first
  ls --tag TAG  list the posts tagged TAG
  tags          list the tags
  search WORDS  find posts by their words
  help          show this help
  q             quit (also ctrl+d, ctrl+c)
Long posts stop at each screenful:
space shows more, q stops.
`

// Lines runs the line-mode reader, for a terminal that cannot take the full
// reader (TERM=dumb): a numbered list of the posts, then a prompt; the
// answer prints a post as plain text wrapped at the window's width, a page
// at a time. Output is [Env.Stdout], whose newlines must reach the
// terminal as CR LF (a PTY does that); it holds no escape sequence, only
// text, CR, LF and BS.
//
// Lines returns when the reader quits (nil), the input ends (nil), or ctx
// ends (its error).
func Lines(ctx context.Context, env Env, opts LineOptions) error {
	env.PTY, env.Style = true, render.Plain
	env = withDefaults(env)
	out := &escFree{w: env.Stdout}
	l := &lineReader{env: env, opts: opts, out: bufio.NewWriterSize(out, outBuffer), keys: newKeyboard(ctx, opts.In)}
	l.keys.notices, l.keys.show = opts.Notices, l.notice
	return l.run(ctx)
}

// lineReader is one line-mode session.
type lineReader struct {
	env   Env
	opts  LineOptions
	out   *bufio.Writer
	keys  *keyboard
	shown []*content.Post // the last list printed, for NUMBER
	cr    bool            // the last character was CR: an LF after it is the same enter
	// The unfinished line on the screen while waiting for a key: the
	// question asked and what has been typed after it.
	asked string
	typed []rune
}

// errQuit ends the session at the reader's wish.
var errQuit = errors.New("quit")

func (l *lineReader) run(ctx context.Context) error {
	err := l.command(ctx, nil) // the list
	if err == nil && l.opts.Start != "" {
		err = l.command(ctx, []string{"read", l.opts.Start})
	}
	if err == nil {
		l.say("Type a number or a slug to read a post, help for the commands, q to quit.")
	}
	for err == nil {
		var line string
		if line, err = l.readLine(Prompt); err != nil {
			break
		}
		err = l.answer(ctx, line)
	}
	if errors.Is(err, errQuit) || errors.Is(err, io.EOF) {
		err = nil
	}
	if ferr := l.out.Flush(); err == nil && ctx.Err() == nil {
		err = ferr
	}
	return err
}

// answer acts on one line typed at the prompt.
func (l *lineReader) answer(ctx context.Context, line string) error {
	args, err := Split(line)
	if err != nil {
		l.say(fmt.Sprintf("%v (try: help)", err))
		return nil
	}
	if len(args) == 0 {
		return nil
	}
	switch first := args[0]; {
	case first == "q" || first == "quit" || first == "exit":
		return errQuit
	case first == "help" || first == "?" || first == "h":
		cols, rows := l.size()
		return l.page(lineHelp, cols, rows)
	case isNumber(first) && len(args) == 1:
		return l.readNumber(ctx, first)
	case first == "ls" || first == "list" || first == "tags" || first == "search" || first == "read":
		if first == "list" {
			args[0] = "ls"
		}
		return l.command(ctx, args)
	case len(args) == 1:
		return l.command(ctx, []string{"read", first}) // read explains a slug it cannot find
	default:
		l.say(fmt.Sprintf("unknown command %s (try: help)", quoted(first)))
		return nil
	}
}

func isNumber(s string) bool {
	_, err := strconv.Atoi(s)
	return err == nil
}

// readNumber prints the post numbered n in the last list.
func (l *lineReader) readNumber(ctx context.Context, n string) error {
	i, _ := strconv.Atoi(n)
	if i < 1 || i > len(l.shown) {
		l.say(fmt.Sprintf("no post number %s: the last list has %d (ls lists them again)", n, len(l.shown)))
		return nil
	}
	return l.command(ctx, []string{"read", l.shown[i-1].Slug})
}

// command runs one of the commands (nil: the list) on the current Snapshot,
// with read at the window's width, and pages what it printed.
func (l *lineReader) command(ctx context.Context, args []string) error {
	cols, rows := l.size()
	if len(args) > 0 && args[0] == "read" {
		width := cols
		if l.opts.MaxWidth > 0 {
			width = min(width, l.opts.MaxWidth)
		}
		args = append([]string{"read", "--width", strconv.Itoa(readWidth(width))}, args[1:]...)
	}
	env := l.env
	if l.opts.Snapshot != nil {
		env.Snapshot = l.opts.Snapshot()
	}
	var buf bytes.Buffer
	s := &session{env: env, out: bufio.NewWriter(&buf), shown: &l.shown}
	err := s.dispatch(ctx, args)
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if ferr := s.out.Flush(); err == nil {
		err = ferr
	}
	var ee *exitError
	switch {
	case errors.As(err, &ee):
		buf.WriteString(ee.msg + "\n")
	case err != nil:
		buf.WriteString("sshblog: " + clean(err.Error()) + "\n")
	}
	if err := l.page(buf.String(), cols, rows); err != nil {
		return err
	}
	l.write("\n") // a blank line before the prompt
	return nil
}

// size is the window now, with defaults for an unknown one.
func (l *lineReader) size() (int, int) {
	cols, rows := 0, 0
	if l.opts.Size != nil {
		cols, rows = l.opts.Size()
	}
	switch {
	case cols <= 0:
		cols = defaults.Width
	case cols < defaults.MinWidth:
		cols = defaults.MinWidth // narrower, nothing is readable
	}
	return cols, rows
}

// readWidth is the width a post is laid out at in cols columns: the
// widest step of read's --width that fits.
func readWidth(cols int) int { return quantize(min(max(cols, defaults.MinWidth), defaults.MaxWidth)) }

// page writes text wrapped at cols, stopping after each screenful of rows
// (less one for the prompt) until the reader asks for more.
func (l *lineReader) page(text string, cols, rows int) error {
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	var wrapped []string
	for _, line := range lines {
		wrapped = append(wrapped, strings.Split(ansi.Wrap(line, cols, ""), "\n")...)
	}
	per := rows - 1
	for i, line := range wrapped {
		if per >= 2 && i > 0 && i%per == 0 {
			more, err := l.more()
			if err != nil || !more {
				return err
			}
		}
		l.write(line + "\n")
	}
	return nil
}

// more asks whether to go on after a screenful, and erases the question.
func (l *lineReader) more() (bool, error) {
	l.write(morePrompt)
	l.asked = morePrompt
	defer func() { l.asked = "" }()
	if err := l.out.Flush(); err != nil {
		return false, err
	}
	for {
		c, err := l.next()
		if err != nil {
			return false, err
		}
		switch c {
		case ' ', '\r', '\n', 'f':
			l.write("\r" + strings.Repeat(" ", len(morePrompt)) + "\r")
			return true, nil
		case 'q', 'Q':
			l.write("\r" + strings.Repeat(" ", len(morePrompt)) + "\r")
			return false, nil
		case ctrlC, ctrlD:
			l.write("\n")
			return false, errQuit
		}
	}
}

func (l *lineReader) write(s string) { _, _ = l.out.WriteString(s) }

// say writes a message line wrapped at the window's width.
func (l *lineReader) say(s string) {
	cols, _ := l.size()
	l.write(ansi.Wrap(s, cols, "") + "\n")
}

// Control bytes the line editor knows.
const (
	ctrlC     = 0x03
	ctrlD     = 0x04
	backspace = 0x08
	ctrlU     = 0x15
	del       = 0x7f
)

// maxLine bounds a typed line, in runes: a slug or a few search words.
const maxLine = 256

// readLine asks prompt and reads one line, echoing what it keeps:
// printable characters, backspace (BS or DEL), ctrl+u to erase the line,
// enter to end it, ctrl+c (or ctrl+d on an empty line) to quit. Other
// control bytes and escape sequences (arrow keys) are dropped.
func (l *lineReader) readLine(prompt string) (string, error) {
	l.write(prompt)
	l.asked = prompt
	defer func() { l.asked, l.typed = "", nil }()
	if err := l.out.Flush(); err != nil {
		return "", err
	}
	var line []rune
	for {
		r, err := l.next()
		if err != nil {
			return "", err
		}
		switch {
		case r == '\r' || r == '\n':
			l.write("\n")
			return string(line), l.out.Flush()
		case r == ctrlC || (r == ctrlD && len(line) == 0):
			l.write("\n")
			_ = l.out.Flush()
			return "", errQuit
		case r == backspace || r == del:
			if len(line) > 0 {
				l.erase(line[len(line)-1:])
				line = line[:len(line)-1]
			}
		case r == ctrlU:
			l.erase(line)
			line = line[:0]
		case printable(r) && len(line) < maxLine:
			line = append(line, r)
			l.write(string(r))
		}
		l.typed = line
		if l.keys.idle() {
			if err := l.out.Flush(); err != nil {
				return "", err
			}
		}
	}
}

// notice prints a line from the server where the reader is waiting: the
// unfinished line (a question and what has been typed) is erased when it
// fits on one row, else ended, and drawn again under the notice.
func (l *lineReader) notice(text string) error {
	current := l.asked + string(l.typed)
	cols, _ := l.size()
	switch w := ansi.StringWidth(current); {
	case w > 0 && w < cols:
		l.write("\r" + strings.Repeat(" ", w) + "\r")
	case w > 0:
		l.write("\n")
	}
	l.say(clean(text))
	l.write(current)
	return l.out.Flush()
}

// next is the next character typed, an LF right after a CR skipped: CR
// LF is one enter.
func (l *lineReader) next() (rune, error) {
	for {
		r, err := l.keys.char()
		if err != nil {
			return 0, err
		}
		afterCR := l.cr
		l.cr = r == '\r'
		if r != '\n' || !afterCR {
			return r, nil
		}
	}
}

// erase rubs out the echo of runes with BS, space, BS per column.
func (l *lineReader) erase(runes []rune) {
	for _, r := range runes {
		l.write(strings.Repeat("\b \b", max(1, ansi.StringWidth(string(r)))))
	}
}

// printable reports whether r may be echoed: it must draw a glyph (no
// control, format or bidirectional character).
func printable(r rune) bool {
	return r != 0xfffd && clean(string(r)) == string(r) && (r == ' ' || ansi.StringWidth(string(r)) > 0)
}

// escFree drops every ESC byte on its way out: the text written is
// sanitised already, and this makes "no escape sequence" hold whatever a
// later change forgets.
type escFree struct{ w io.Writer }

func (e *escFree) Write(p []byte) (int, error) {
	if bytes.IndexByte(p, ansi.ESC) < 0 {
		return e.w.Write(p)
	}
	if _, err := e.w.Write(bytes.ReplaceAll(p, []byte{ansi.ESC}, nil)); err != nil {
		return 0, err
	}
	return len(p), nil
}
