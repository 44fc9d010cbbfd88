package mathtext

import (
	"errors"
	"strings"
	"testing"
)

func TestInline(t *testing.T) {
	t.Parallel()
	tests := []struct{ tex, want string }{
		{`x^2 + y^2 = z^2`, "x² + y² = z²"},
		{`e^{i\pi} + 1 = 0`, "e^(iπ) + 1 = 0"},
		{`\alpha \leq \beta`, "α ≤ β"},
		{`-x + -1`, "−x + −1"},
		{`a = -b`, "a = −b"},
		{`f \colon X \to Y`, "f: X → Y"},
		{`p \Rightarrow q \iff r`, "p ⇒ q ⟺ r"},
		{`\mathbb{R}^n`, "ℝⁿ"},
		{`\mathcal{L}`, "ℒ"},
		{`\mathbf{v}_1`, "𝐯₁"},
		{`\mathrm{d}x`, "dx"},
		{`x_i^2`, "xᵢ²"},
		{`a_{ij}`, "aᵢⱼ"},
		{`A^T`, "Aᵀ"},
		{`x^{-1}`, "x⁻¹"},
		{`x_{\max}`, "xₘₐₓ"},
		{`f'(x)`, "f′(x)"},
		{`f''`, "f′′"},
		{`2^q`, "2^q"},
		{`x_{i,j}`, "x_(i,j)"},
		{`90^\circ`, "90°"},
		{`\frac{1}{2}`, "1/2"},
		{`\frac12`, "1/2"},
		{`\frac{a+b}{c}`, "(a + b)/c"},
		{`\frac{\partial f}{\partial x}`, "∂f/∂x"},
		{`\sqrt{2}`, "√2"},
		{`\sqrt[3]{x}`, "∛x"},
		{`\sqrt[n]{x}`, "ⁿ√x"},
		{`\sqrt{x^2+y^2}`, "√(x² + y²)"},
		{`\sum_{i=1}^{n} i`, "∑ᵢ₌₁ⁿ i"},
		{`\int_0^1 x\,dx`, "∫₀¹ x dx"},
		{`\lim_{x \to 0} \frac{\sin x}{x}`, "lim_(x→0) (sin x)/x"},
		{`\sin(x) + \log x`, "sin(x) + log x"},
		{`2\sin x`, "2 sin x"},
		{`\left( \frac{a}{b} \right)`, "(a/b)"},
		{`\left\{ x \right.`, "{x"},
		{`\begin{pmatrix} 1 & 2 \\ 3 & 4 \end{pmatrix}`, "(1, 2; 3, 4)"},
		{`\begin{aligned} a &= b \\ &= c \end{aligned}`, "a = b; = c"},
		{`\begin{cases} 1 & x > 0 \\ 0 & \text{otherwise} \end{cases}`, "{1, x > 0; 0, otherwise"},
		{`\text{if } x`, "if x"},
		{`\hat{x}`, "x̂"},
		{`\vec{v}`, "v⃗"},
		{`\not\in`, "∉"},
		{`a \not= b`, "a ≠ b"},
		{`\binom{n}{k}`, "(n choose k)"},
		{`\overset{def}{=}`, "=ᵈᵉᶠ"},
		{`\overset{?}{=}`, "=^?"},
		{`a \pmod{n}`, "a (mod n)"},
		{`x \quad y`, "x  y"},
		{`\{1, 2\}`, "{1, 2}"},
		{`\| x \|`, "‖x‖"},
		{`\operatorname{rank} A`, "rank A"},
		{`\color{red} x`, "x"},
		{`a \\ b`, "a; b"},
		{`50\%`, "50%"},
		{`x % comment`, "x"},
		{`\sum\limits_i x_i`, "∑ᵢ xᵢ"},
		{`\displaystyle \int f`, "∫ f"},
		{`é ∞`, "é∞"},
	}
	for _, tt := range tests {
		got, err := Inline(tt.tex)
		if err != nil || got != tt.want {
			t.Errorf("Inline(%q) = %q, %v; want %q", tt.tex, got, err, tt.want)
		}
	}
}

func TestDisplay(t *testing.T) {
	t.Parallel()
	tests := []struct {
		tex  string
		want []string
	}{
		{`x^2`, []string{"x²"}},
		{`\frac{a+b}{c}`, []string{
			" a + b ",
			"───────",
			"   c   ",
		}},
		{`\sum_{i=1}^{n} i`, []string{
			"  n    ",
			"  ∑   i",
			"i = 1  ",
		}},
		{`e^{i\pi}`, []string{
			" iπ",
			"e  ",
		}},
		{`\sqrt{x+1}`, []string{
			" _____",
			"√x + 1",
		}},
		{`\left( \frac{1}{2} \right)^2`, []string{
			"⎛ 1 ⎞²",
			"⎜───⎟ ",
			"⎝ 2 ⎠ ",
		}},
		{`\begin{pmatrix} 1 & 2 \\ 3 & 4 \end{pmatrix}`, []string{
			"⎛1  2⎞",
			"⎝3  4⎠",
		}},
		{`\begin{aligned} a &= b + c \\ &= d \end{aligned}`, []string{
			"a = b + c",
			"  = d    ",
		}},
		{`|x| = \begin{cases} x & x \ge 0 \\ -x & \text{else} \end{cases}`, []string{
			"|x| = ⎧x   x ≥ 0",
			"      ⎩−x  else ",
		}},
		{`\lim_{n \to \infty} a_n`, []string{
			" lim  aₙ",
			"n → ∞   ",
		}},
		{`\int_{-\infty}^{\infty} f`, []string{
			" ∞   ",
			"∫   f",
			" −∞  ",
		}},
		{`a \\ b + c`, []string{
			"  a  ",
			"b + c",
		}},
	}
	for _, tt := range tests {
		got, err := Display(tt.tex)
		if err != nil || strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
			t.Errorf("Display(%q) = %v\n%s\nwant\n%s", tt.tex, err, strings.Join(got, "|\n"), strings.Join(tt.want, "|\n"))
		}
		checkBlock(t, tt.tex, got)
	}
}

// checkBlock checks what every display promises: lines of one width.
func checkBlock(t *testing.T, tex string, lines []string) {
	t.Helper()
	for _, l := range lines {
		if width(l) != width(lines[0]) {
			t.Errorf("Display(%q): lines of different widths: %q", tex, lines)
			return
		}
	}
}

func TestErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		tex  string
		want error
	}{
		{`\frobnicate{x}`, ErrUnsupported},
		{`\begin{tikzpicture}\end{tikzpicture}`, ErrUnsupported},
		{`{x`, ErrUnsupported},
		{`x}`, ErrUnsupported},
		{`\left( x`, ErrUnsupported},
		{`x^2^3`, ErrUnsupported},
		{`a & b`, ErrUnsupported},
		{`\frac{1}`, ErrUnsupported},
		{`\begin{matrix} a \end{pmatrix}`, ErrUnsupported},
		{strings.Repeat("x", MaxBytes+1), ErrTooLarge},
		{strings.Repeat("{", 40) + "x" + strings.Repeat("}", 40), ErrTooLarge},
		{strings.Repeat(`\frac{1}{`, 40) + "x" + strings.Repeat("}", 40), ErrTooLarge},
	}
	for _, tt := range tests {
		if _, err := Inline(tt.tex); !errors.Is(err, tt.want) {
			t.Errorf("Inline(%.40q) error = %v, want %v", tt.tex, err, tt.want)
		}
		if _, err := Display(tt.tex); !errors.Is(err, tt.want) {
			t.Errorf("Display(%.40q) error = %v, want %v", tt.tex, err, tt.want)
		}
	}
}

// TestDisplayBudget: a display that would be too high or too wide for any
// terminal is refused, not built.
func TestDisplayBudget(t *testing.T) {
	t.Parallel()
	tall := `\begin{matrix}` + strings.Repeat(`x \\ `, 200) + `\end{matrix}`
	if _, err := Display(tall); !errors.Is(err, ErrTooLarge) {
		t.Errorf("a 200-row matrix: error = %v, want ErrTooLarge", err)
	}
	wide := strings.Repeat(`\frac{xx}{yy}`, 300)
	if _, err := Display(wide); !errors.Is(err, ErrTooLarge) {
		t.Errorf("300 fractions in a row: error = %v, want ErrTooLarge", err)
	}
	if _, err := Inline(wide); err != nil {
		t.Errorf("the same inline: %v", err)
	}
}
