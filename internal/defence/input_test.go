package defence

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestInputFilter(t *testing.T) {
	t0 := time.Unix(1_700_000_000, 0)
	big := strings.Repeat("x", 100)
	cases := []struct {
		name       string
		rate       float64
		burst      float64
		pasteCap   int
		reads      []string
		gaps       []time.Duration // before each read after the first
		want       string
		wantDroppd int
	}{
		{name: "typing passes", rate: 10, burst: 10, pasteCap: 10,
			reads: []string{"jjk", "\x1b"}, want: "jjk\x1b"},
		{name: "beyond the burst is dropped", rate: 1, burst: 4, pasteCap: 100,
			reads: []string{"abcdefgh"}, want: "abcd", wantDroppd: 4},
		{name: "the bucket refills", rate: 2, burst: 4, pasteCap: 100,
			reads: []string{"abcdef", "ghijkl"}, gaps: []time.Duration{time.Second}, want: "abcdgh", wantDroppd: 6},
		{name: "a paste is cut at the cap and still ends", rate: 1000, burst: 1000, pasteCap: 5,
			reads: []string{pasteStart + "0123456789" + pasteEnd + "q"},
			want:  pasteStart + "01234" + pasteEnd + "q", wantDroppd: 5 + len(pasteEnd)},
		{name: "an end marker split across reads", rate: 1000, burst: 1000, pasteCap: 3,
			reads: []string{pasteStart + "abcdef\x1b[2", "01~z"},
			want:  pasteStart + "abc" + pasteEnd + "z", wantDroppd: 3 + len(pasteEnd)},
		{name: "the end gets through when the rate ran out", rate: 0.001, burst: 10, pasteCap: 100,
			reads: []string{pasteStart + "abcd" + big + pasteEnd},
			want:  pasteStart + "abcd" + pasteEnd, wantDroppd: 100 + len(pasteEnd)},
		{name: "a start marker that was dropped starts no paste", rate: 0.001, burst: 3, pasteCap: 100,
			reads: []string{"ab" + pasteStart + "cd" + pasteEnd},
			want:  "ab\x1b", wantDroppd: len(pasteStart) - 1 + 2 + len(pasteEnd)},
		{name: "escape sequences outside a paste pass", rate: 100, burst: 100, pasteCap: 1,
			reads: []string{"\x1b[A\x1b[B\x1b[201~x"}, want: "\x1b[A\x1b[B\x1b[201~x"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := NewInputFilter(tc.rate, tc.burst, tc.pasteCap)
			now := t0
			var got []byte
			for i, r := range tc.reads {
				if i > 0 && i-1 < len(tc.gaps) {
					now = now.Add(tc.gaps[i-1])
				}
				got = f.Filter(got, []byte(r), now)
			}
			if string(got) != tc.want {
				t.Errorf("kept %q, want %q", got, tc.want)
			}
			if d := f.Dropped(); d != int64(tc.wantDroppd) {
				t.Errorf("dropped %d, want %d", d, tc.wantDroppd)
			}
		})
	}
}

func TestInputFilterBoundsAFlood(t *testing.T) {
	f := NewInputFilter(InputRate, InputBurst, pasteCap)
	now := time.Unix(1_700_000_000, 0)
	chunk := bytes.Repeat([]byte("j"), 4096)
	kept := 0
	var out []byte
	// 5 MB over 10 simulated seconds.
	for i := range 5 << 20 / len(chunk) {
		out = f.Filter(out[:0], chunk, now.Add(time.Duration(i)*10*time.Second/time.Duration(5<<20/len(chunk))))
		kept += len(out)
	}
	if most := InputBurst + 11*InputRate; kept > most {
		t.Fatalf("kept %d bytes of a 5 MB flood over 10 s, want at most %d", kept, most)
	}
}

// FuzzInputFilter checks that whatever a client sends, the filter keeps no
// more than it was given plus one synthesized end marker per paste end,
// never leaves a paste open after an end marker, and never panics.
func FuzzInputFilter(f *testing.F) {
	f.Add([]byte(pasteStart+"hello"+pasteEnd), uint8(3))
	f.Add([]byte("\x1b\x1b[20\x1b[200~\x1b[201~"), uint8(1))
	f.Add([]byte("jjjjkkkk\r"), uint8(100))
	f.Fuzz(func(t *testing.T, in []byte, split uint8) {
		filt := NewInputFilter(50, 20, 8)
		now := time.Unix(1_700_000_000, 0)
		cut := 0
		if len(in) > 0 {
			cut = int(split) % (len(in) + 1)
		}
		out := filt.Filter(nil, in[:cut], now)
		out = filt.Filter(out, in[cut:], now.Add(100*time.Millisecond))
		ends := bytes.Count(in, []byte(pasteEnd))
		if len(out) > len(in)+ends*len(pasteEnd) {
			t.Fatalf("kept %d bytes of %d", len(out), len(in))
		}
		if bytes.HasSuffix(in, []byte(pasteEnd)) && filt.inPaste {
			t.Fatal("a paste is open after its end marker")
		}
	})
}
