package blogtest

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// SeedTitle is the title of the author's seed post in the bundled posts,
// what every reader's list shows first.
const SeedTitle = "Why did I start writing on my page"

// PostsDir is the repository's bundled posts folder, wherever the test
// runs from.
func PostsDir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "posts")
}

// CopyDir copies the files (not the folders) of from into to.
func CopyDir(t testing.TB, from, to string) {
	t.Helper()
	entries, err := os.ReadDir(from)
	if err != nil {
		t.Fatalf("read %s: %v", from, err)
	}
	if err := os.MkdirAll(to, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(from, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		WriteFile(t, filepath.Join(to, e.Name()), string(b))
	}
}

// WriteFile writes body to path, making its folders.
func WriteFile(t testing.TB, path, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}
