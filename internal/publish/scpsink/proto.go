package scpsink

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"sshblog/internal/termtext"
)

// The legacy scp protocol as the receiving end (`scp -t`) reads it; see
// sink() in OpenSSH's scp.c. The client sends control lines, each ended by
// a newline and answered by one byte (0: go on; 1 and a message line: this
// one failed, go on; 2 and a message: stop):
//
//	T<mtime> 0 <atime> 0     times of the next entry
//	C<mode> <size> <name>    a file: then <size> bytes, then a status byte
//	D<mode> 0 <name>         a folder: the entries after it are inside
//	E                        the end of the folder last opened
//
// wish's scp package reads the same protocol, but reads a control line
// without bound (a 300 MB line with no newline grew the server to 703 MB),
// hands the handler a file before its status byte arrives (OpenSSH sends a
// file it could not finish reading padded with zeros, and then an error),
// and tells the handler nothing of E (so a second folder landed inside the
// first). sshblog reads it here instead: bounded lines, exact sizes, and a
// stack of folders.

// maxLine bounds a control line, newline not counted. OpenSSH's own
// sink stops at 2 KiB; names are at most 255 bytes.
const maxLine = 4 << 10

var (
	// errLine means a control line ran past maxLine.
	errLine = fmt.Errorf("control line over %d bytes", maxLine)
	// errProtocol means the client sent something the protocol has no
	// place for.
	errProtocol = errors.New("protocol error")
	// errNoStatus means the stream ended after a file's bytes, before
	// the status byte that says whether they are the file.
	errNoStatus = errors.New("the client did not confirm the file")
)

// clientError is an error the client reported: a status byte 1 (this
// file failed) or 2 (stop), and its message.
type clientError struct {
	fatal bool
	msg   string // sanitised: it reaches the log
}

func (e *clientError) Error() string { return "the client reported: " + e.msg }

// reader reads a client's scp stream.
type reader struct{ br *bufio.Reader }

// newReader reads r through a buffer one control line long: a longer line
// fills it and is refused, so no line is ever held whole.
func newReader(r io.Reader) *reader {
	return &reader{br: bufio.NewReaderSize(r, maxLine+1)}
}

// line reads one control line, without its newline. io.EOF means the
// stream ended between lines: the client is done.
func (in *reader) line() (string, error) {
	b, err := in.br.ReadSlice('\n')
	switch {
	case err == nil:
		return string(b[:len(b)-1]), nil
	case errors.Is(err, bufio.ErrBufferFull):
		return "", errLine
	case errors.Is(err, io.EOF) && len(b) == 0:
		return "", io.EOF
	case errors.Is(err, io.EOF):
		return "", fmt.Errorf("read control line: %w", io.ErrUnexpectedEOF)
	}
	return "", fmt.Errorf("read control line: %w", err)
}

// message reads the message line after a status byte of 1 or 2.
func (in *reader) message(fatal bool) error {
	msg, err := in.line()
	if err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	return &clientError{fatal: fatal, msg: termtext.ClientString(msg)}
}

// entry is what a C or D line says; the mode is checked and dropped
// (the pipeline decides a file's mode).
type entry struct {
	size int64
	name string
}

// parseEntry parses "C0644 1234 name" or "D0755 0 name" (the kind byte
// already read): an octal mode, a decimal size, and one name that is not
// "", "." or "..", holding no slash (as OpenSSH's sink checks it).
func parseEntry(line string) (entry, error) {
	bad := func(why string) (entry, error) {
		return entry{}, fmt.Errorf("%w: %s in %q", errProtocol, why, termtext.ClientString(line))
	}
	mode, rest, ok := strings.Cut(line[1:], " ")
	if !ok {
		return bad("no size")
	}
	if _, err := strconv.ParseUint(mode, 8, 32); err != nil || mode == "" {
		return bad("bad mode")
	}
	size, name, ok := strings.Cut(rest, " ")
	if !ok {
		return bad("no name")
	}
	n, err := strconv.ParseInt(size, 10, 64)
	if err != nil || n < 0 || strings.HasPrefix(size, "+") {
		return bad("bad size")
	}
	if name == "" || name == "." || name == ".." || strings.Contains(name, "/") {
		return bad("bad name")
	}
	return entry{size: n, name: name}, nil
}

// fileReader reads one file's bytes, as many as its C line declared, then
// the status byte after them. The client is told to send (go) at the first
// Read, so a pipeline that refuses a file before reading it costs no
// transfer. It ends in io.EOF only after a status of 0: a stream that ends
// early ends the file early (the pipeline compares the count with the
// declared size), and a file the client reports failed ends in that error.
type fileReader struct {
	in      *reader
	goAhead func() error
	left    int64
	started bool
	err     error // sticky: io.EOF once the status byte said 0
}

func (in *reader) file(size int64, goAhead func() error) *fileReader {
	return &fileReader{in: in, goAhead: goAhead, left: size}
}

func (f *fileReader) Read(p []byte) (int, error) {
	if f.err != nil {
		return 0, f.err
	}
	if !f.started {
		f.started = true
		if err := f.goAhead(); err != nil {
			f.err = fmt.Errorf("answer the client: %w", err)
			return 0, f.err
		}
	}
	if f.left == 0 {
		f.err = f.status()
		return 0, f.err
	}
	if int64(len(p)) > f.left {
		p = p[:f.left]
	}
	n, err := f.in.br.Read(p)
	f.left -= int64(n)
	if err != nil {
		f.err = err // io.EOF: the stream ended inside the file
	}
	return n, f.err
}

// status reads the byte after a file's data: io.EOF for 0 (the file is
// whole), the client's error for 1 or 2.
func (f *fileReader) status() error {
	b, err := f.in.br.ReadByte()
	switch {
	case errors.Is(err, io.EOF):
		return errNoStatus
	case err != nil:
		return err
	case b == 0:
		return io.EOF
	case b == 1 || b == 2:
		return f.in.message(b == 2)
	}
	return fmt.Errorf("%w: status byte %d after a file", errProtocol, b)
}

// finish reads what a reader left of the file (nothing, when it read to
// the end) and reports whether the stream can go on: the client was never
// told to send, or the status byte was read and was not a fatal one.
func (f *fileReader) finish() bool {
	if !f.started {
		return true
	}
	if f.err == nil {
		_, _ = io.Copy(io.Discard, f)
	}
	var client *clientError
	if errors.As(f.err, &client) {
		return !client.fatal
	}
	return errors.Is(f.err, io.EOF) && f.left == 0
}
