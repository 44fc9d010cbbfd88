package mathtext

import (
	"errors"
	"strings"
	"testing"
	"unicode"
)

// seeds are formulas for the fuzz targets' corpus: the subset and the ways
// it can go wrong.
var seeds = []string{
	`x^2 + y^2 = z^2`, `\frac{a+b}{c}`, `\sqrt[3]{\frac{1}{x}}`, `\sum_{i=1}^{n} i`,
	`\int_{-\infty}^{\infty} e^{-x^2}\,dx`, `\left( \frac{1}{2} \right)^{\frac{a}{b}}`,
	`\begin{pmatrix} 1 & 2 \\ 3 & 4 \end{pmatrix}`, `\begin{cases} a & b \\ c \end{cases}`,
	`\begin{aligned} a &= b \\ &= c \end{aligned}`, `\begin{array}{c|l} a & b \end{array}`,
	`\mathbb{R} \mathcal{F} \mathbf{x} \hat{x} \not\in`, `f''(x)^2_1`, `\lim_{x\to0}`,
	`{{{{x}}}}`, `\left\langle x \right\rangle`, `a \\ b \\ c`, `x^{y^{z^{w}}}`,
	`\frac{\frac{\frac{1}{2}}{3}}{4}`, `\sqrt{\sqrt{\sqrt{x}}}`, `\binom{n}{k}`,
	`\overset{!}{=}`, `\text{a } b`, "\x1b[31m x", `\`, `{`, `}`, `^`, `_`, `&`, `\\`,
	`\begin{matrix}`, `\end{matrix}`, `\left(`, `\right)`, `\sqrt[`, `%`, `x'^'`,
}

func FuzzFormula(f *testing.F) {
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		for _, display := range []bool{false, true} {
			var lines []string
			var err error
			if display {
				lines, err = Display(src)
			} else {
				var s string
				s, err = Inline(src)
				lines = []string{s}
				if err == nil && len(s) > 16*len(src)+16 {
					t.Fatalf("Inline(%.200q): %d bytes of output", src, len(s))
				}
			}
			if err != nil {
				if !errors.Is(err, ErrUnsupported) && !errors.Is(err, ErrTooLarge) {
					t.Fatalf("%.200q: unexpected error %v", src, err)
				}
				continue
			}
			if len(lines) == 0 || len(lines) > maxHeight {
				t.Fatalf("%.200q: %d lines", src, len(lines))
			}
			for _, l := range lines {
				if display && (width(l) != width(lines[0]) || width(l) > maxWidth) {
					t.Fatalf("%.200q: uneven or too wide lines %.200q", src, lines)
				}
				if strings.IndexFunc(l, unicode.IsControl) >= 0 {
					t.Fatalf("%.200q: control character in %.200q", src, l)
				}
			}
		}
	})
}

func FuzzScan(f *testing.F) {
	for _, s := range []string{
		"a $x$ b", "$5 and $10", "`$x$` $y$", `\(a\) \[b\] \\(c\\)`, "$$x$$", `\$`,
		"$a `b$` c", "``` $ ``", "$$ $$ $$", "$a$$b$",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		last := 0
		for _, s := range Scan(text) {
			if s.Start < last || s.End <= s.Start || s.End > len(text) {
				t.Fatalf("Scan(%.200q): span %d:%d after %d", text, s.Start, s.End, last)
			}
			if !s.Dollar && (!strings.Contains(text[s.Start:s.End], s.TeX) || strings.TrimSpace(s.TeX) == "" || len(s.TeX) > MaxBytes) {
				t.Fatalf("Scan(%.200q): span %d:%d with TeX %.200q", text, s.Start, s.End, s.TeX)
			}
			last = s.End
		}
	})
}
