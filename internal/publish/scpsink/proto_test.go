package scpsink

import (
	"errors"
	"io"
	"strings"
	"testing"
)

// endless serves one byte forever and counts what it served.
type endless struct {
	b      byte
	served int
}

func (e *endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = e.b
	}
	e.served += len(p)
	return len(p), nil
}

// TestSCPInRefusesLongLine: a control line is refused once it passes 4 KiB,
// having read no more than one buffer of it.
func TestSCPInRefusesLongLine(t *testing.T) {
	t.Parallel()
	src := &endless{b: 'a'}
	in := newReader(io.MultiReader(strings.NewReader("C0644 "), src))
	if _, err := in.line(); !errors.Is(err, errLine) {
		t.Fatalf("line: %v, want %v", err, errLine)
	}
	if src.served > 2*maxLine {
		t.Fatalf("read %d bytes of one line, want at most %d", src.served, 2*maxLine)
	}
	ok := strings.Repeat("x", maxLine)
	in = newReader(strings.NewReader(ok + "\n"))
	if got, err := in.line(); err != nil || got != ok {
		t.Fatalf("a line of exactly %d bytes: %d bytes, %v", maxLine, len(got), err)
	}
	if _, err := in.line(); !errors.Is(err, io.EOF) {
		t.Fatalf("after the last line: %v, want EOF", err)
	}
	in = newReader(strings.NewReader("E"))
	if _, err := in.line(); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("a line cut short: %v, want %v", err, io.ErrUnexpectedEOF)
	}
}

func TestParseSCPEntry(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		line string
		want entry
		ok   bool
	}{
		{"C0644 12 post.md", entry{12, "post.md"}, true},
		{"D0755 0 trip", entry{0, "trip"}, true},
		{"C0644 0 with space.md", entry{0, "with space.md"}, true},
		{"C0644 12", entry{}, false},
		{"C0644 -1 x.md", entry{}, false},
		{"C0644 +1 x.md", entry{}, false},
		{"C0644 99999999999999999999 x.md", entry{}, false},
		{"C0999 1 x.md", entry{}, false},
		{"C 1 x.md", entry{}, false},
		{"C0644 1 ", entry{}, false},
		{"C0644 1 ..", entry{}, false},
		{"C0644 1 a/b.md", entry{}, false},
		{"D0755 0 .", entry{}, false},
	} {
		got, err := parseEntry(tc.line)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("parseEntry(%q) = %+v, %v; want %+v, ok=%v", tc.line, got, err, tc.want, tc.ok)
		}
	}
}

// TestSCPFileReadsExactlyTheDeclaredBytes: a file is its declared bytes
// and a status of 0; anything else is an error or an early end, and the
// client is told to send only once something reads.
func TestSCPFileReadsExactlyTheDeclaredBytes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		stream   string
		size     int64
		data     string
		err      error // the error after data; io.EOF for a whole file
		goesOn   bool  // finish: the stream can be followed after it
		nextLine string
	}{
		{"whole", "hello\x00E\n", 5, "hello", io.EOF, true, "E"},
		{"empty", "\x00E\n", 0, "", io.EOF, true, "E"},
		{"short", "hel", 5, "hel", io.EOF, false, ""},
		{"no status", "hello", 5, "hello", errNoStatus, false, ""},
		{"client failed", "hel\x00\x00\x01scp: post.md: Input/output error\nE\n", 5, "hel\x00\x00", &clientError{}, true, "E"},
		{"client stopped", "hello\x02scp: stop\n", 5, "hello", &clientError{}, false, ""},
		{"bad status", "hello\x07", 5, "hello", errProtocol, false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			in := newReader(strings.NewReader(tc.stream))
			asked := 0
			f := in.file(tc.size, func() error { asked++; return nil })
			data, err := io.ReadAll(f)
			if string(data) != tc.data {
				t.Errorf("data %q, want %q", data, tc.data)
			}
			var client *clientError
			switch {
			case tc.err == io.EOF:
				if err != nil || !errors.Is(f.err, io.EOF) {
					t.Errorf("ReadAll: %v (file: %v), want a whole file", err, f.err)
				}
			case errors.As(tc.err, &client):
				if !errors.As(err, &client) {
					t.Errorf("ReadAll: %v, want the client's error", err)
				}
			case !errors.Is(err, tc.err):
				t.Errorf("ReadAll: %v, want %v", err, tc.err)
			}
			if asked != 1 {
				t.Errorf("the client was told to send %d times, want once", asked)
			}
			if got := f.finish(); got != tc.goesOn {
				t.Errorf("finish = %v, want %v", got, tc.goesOn)
			}
			if tc.goesOn {
				if line, err := in.line(); err != nil || line != tc.nextLine {
					t.Errorf("next line %q %v, want %q", line, err, tc.nextLine)
				}
			}
		})
	}
	unread := newReader(strings.NewReader("hello\x00")).file(5, func() error { t.Error("told to send a file nobody read"); return nil })
	if !unread.finish() {
		t.Error("a file never asked for stops the stream")
	}
}
