package cli

import (
	"context"
	"io"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// keyboard turns a terminal's raw input into characters for the line-mode
// reader: UTF-8 decoded, escape sequences (arrow keys, function keys, a
// terminal's answers) dropped whole, and every wait cut short by ctx.
// Every wait for a key also shows the notices that come meanwhile.
type keyboard struct {
	ctx    context.Context
	chunks chan []byte
	err    error // why the input ended; written before chunks is closed
	buf    []byte

	notices <-chan string      // lines from the server; nil: none
	show    func(string) error // prints one notice where the reader is
}

// Bounds on what one escape sequence may swallow: a CSI is a few bytes, a
// string sequence (OSC, DCS…) from a terminal at most a few hundred.
const (
	maxCSI    = 64
	maxString = 4 << 10
)

// newKeyboard starts reading in. The goroutine reading ends when in does
// (the session's input closes when the session ends).
func newKeyboard(ctx context.Context, in io.Reader) *keyboard {
	k := &keyboard{ctx: ctx, chunks: make(chan []byte)}
	go k.pump(in)
	return k
}

func (k *keyboard) pump(in io.Reader) {
	defer close(k.chunks)
	for {
		b := make([]byte, 512)
		n, err := in.Read(b)
		if n > 0 {
			select {
			case k.chunks <- b[:n]:
			case <-k.ctx.Done():
				k.err = k.ctx.Err()
				return
			}
		}
		if err != nil {
			k.err = err
			return
		}
	}
}

// idle reports whether every byte received so far has been taken.
func (k *keyboard) idle() bool { return len(k.buf) == 0 }

// byte returns the next input byte, waiting for it.
func (k *keyboard) byte() (byte, error) {
	for len(k.buf) == 0 {
		select {
		case <-k.ctx.Done():
			return 0, k.ctx.Err()
		case text, ok := <-k.notices:
			if !ok {
				k.notices = nil
				continue
			}
			if err := k.show(text); err != nil {
				return 0, err
			}
		case b, ok := <-k.chunks:
			if !ok {
				if k.err == nil {
					return 0, io.EOF
				}
				return 0, k.err
			}
			k.buf = b
		}
	}
	c := k.buf[0]
	k.buf = k.buf[1:]
	return c, nil
}

// unread puts c back in front of the input.
func (k *keyboard) unread(c byte) { k.buf = append([]byte{c}, k.buf...) }

// char returns the next character: a rune, or a control byte as a rune.
// Escape sequences and invalid UTF-8 are dropped.
func (k *keyboard) char() (rune, error) {
	for {
		c, err := k.byte()
		if err != nil {
			return 0, err
		}
		switch {
		case c == ansi.ESC:
			if err := k.skipSequence(); err != nil {
				return 0, err
			}
		case c < utf8.RuneSelf:
			return rune(c), nil
		default:
			if r, ok, err := k.decode(c); err != nil || ok {
				return r, err
			}
		}
	}
}

// decode completes the UTF-8 character that starts with lead.
func (k *keyboard) decode(lead byte) (rune, bool, error) {
	p := []byte{lead}
	for !utf8.FullRune(p) {
		c, err := k.byte()
		if err != nil {
			return 0, false, err
		}
		if c&0xc0 != 0x80 { // not a continuation: the character is broken
			k.unread(c)
			return 0, false, nil
		}
		p = append(p, c)
	}
	r, _ := utf8.DecodeRune(p)
	return r, r != utf8.RuneError, nil
}

// skipSequence drops the rest of an escape sequence whose ESC was just read.
// A lone ESC (nothing follows in what has arrived) or ESC before an
// ordinary key (alt+key) drops only the ESC.
func (k *keyboard) skipSequence() error {
	if len(k.buf) == 0 {
		return nil
	}
	switch k.buf[0] {
	case '[':
		k.buf = k.buf[1:]
		return k.skipUntil(maxCSI, func(c byte) bool { return c >= 0x40 && c <= 0x7e })
	case 'O': // SS3: one more byte
		k.buf = k.buf[1:]
		_, err := k.byte()
		return err
	case ']', 'P', '_', '^', 'X': // string sequences end with BEL or ESC \
		k.buf = k.buf[1:]
		prev := byte(0)
		return k.skipUntil(maxString, func(c byte) bool {
			end := c == ansi.BEL || (prev == ansi.ESC && c == '\\')
			prev = c
			return end
		})
	}
	return nil
}

// skipUntil drops bytes up to and including the first for which last
// reports true, and at most limit bytes.
func (k *keyboard) skipUntil(limit int, last func(byte) bool) error {
	for range limit {
		c, err := k.byte()
		if err != nil {
			return err
		}
		if last(c) {
			return nil
		}
	}
	return nil
}
