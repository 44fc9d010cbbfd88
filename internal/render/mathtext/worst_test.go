package mathtext

import (
	"strings"
	"testing"
)

// worstCases are formulas built to cost the most within the budget; the
// benchmark shows what one costs (BenchmarkWorst), and the fuzz target's
// corpus has them too.
var worstCases = map[string]string{
	"nested fractions": strings.Repeat(`\frac{1}{`, 15) + "x" + strings.Repeat("}", 15),
	"nested roots":     strings.Repeat(`\sqrt{`, 30) + "x" + strings.Repeat("}", 30),
	"nested fences":    strings.Repeat(`\left(\frac{a}{b}`, 15) + strings.Repeat(`\right)`, 15),
	"nested scripts":   strings.Repeat(`x^{\frac{1}{`, 10) + "y" + strings.Repeat("}}", 10),
	"wide row":         strings.Repeat(`\frac{a}{b}+`, 80),
	"big matrix":       `\begin{matrix}` + strings.Repeat(strings.Repeat("x&", 20)+`x\\`, 50) + `\end{matrix}`,
	"long flat":        strings.Repeat("x+", MaxBytes/2-1),
	"unclosed braces":  strings.Repeat("{", MaxBytes),
}

func BenchmarkWorst(b *testing.B) {
	for name, tex := range worstCases {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				_, _ = Inline(tex)
				_, _ = Display(tex)
			}
		})
	}
}
