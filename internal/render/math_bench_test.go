package render

import (
	"strings"
	"testing"

	"sshblog/internal/content"
)

// mathFixture is the golden math post, front matter cut off, math on.
func mathFixture(b *testing.B) *content.Post {
	body := readFixture(b, "golden/2024-11-02-math-in-posts.md")
	if _, after, ok := strings.Cut(strings.TrimPrefix(body, "---\n"), "\n---\n"); ok {
		body = after
	}
	return mathPost("math", body)
}

// BenchmarkRenderMath renders the math fixture cold, with math and (for
// comparison) without: the difference is what math costs.
func BenchmarkRenderMath(b *testing.B) {
	on := mathFixture(b)
	off := post("math", on.Body)
	for _, style := range []Style{Dark, Plain} {
		b.Run("math/"+style.String(), func(b *testing.B) { benchRender(b, on, style) })
		b.Run("nomath/"+style.String(), func(b *testing.B) { benchRender(b, off, style) })
	}
}

// BenchmarkRenderMathCached is the math fixture served from the cache.
func BenchmarkRenderMathCached(b *testing.B) { benchCached(b, mathFixture(b)) }
