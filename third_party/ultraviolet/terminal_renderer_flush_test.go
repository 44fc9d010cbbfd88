package uv

import (
	"bytes"
	"strings"
	"testing"
)

// sshblog patch: Flush keeps a small buffer between frames and drops a big
// one, and the bytes written are the same either way.
func TestFlushDropsBigBuffer(t *testing.T) {
	for _, n := range []int{10, maxKeptOutput / 2, maxKeptOutput * 4} {
		var out bytes.Buffer
		s := NewTerminalRenderer(&out, nil)
		want := strings.Repeat("x", n)
		s.WriteString(want)
		if err := s.Flush(); err != nil {
			t.Fatalf("%d bytes: Flush: %v", n, err)
		}
		if out.String() != want {
			t.Fatalf("%d bytes: wrote %d bytes, want %d", n, out.Len(), n)
		}
		if got := s.buf.Cap(); got > maxKeptOutput {
			t.Errorf("%d bytes: buffer keeps %d bytes after Flush, want at most %d", n, got, maxKeptOutput)
		}
		if n <= maxKeptOutput/2 && s.buf.Cap() == 0 {
			t.Errorf("%d bytes: small buffer dropped, want it kept", n)
		}
		s.WriteString("y")
		if err := s.Flush(); err != nil || out.String() != want+"y" {
			t.Fatalf("%d bytes: after a dropped buffer, wrote %q…, err %v", n, out.String()[len(want):], err)
		}
	}
}
