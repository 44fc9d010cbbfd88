package web

import (
	"context"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

var updateScreenshots = flag.Bool("update-screenshots", false, "write the screenshots to testdata/screenshots")

// chromium finds a Chromium to drive, or skips (fails under CI, whose
// .ci/run installs it).
func chromium(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("a real browser: not in -short")
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium is not installed (.ci/run installs it)")
	}
	t.Skip("chromium is not installed: apt-get install -y chromium to see the pages in a real browser")
	return ""
}

// screenshotPosts is the seed post with a real image where it points.
func screenshotPosts(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "posts")
	seed, err := os.ReadFile(filepath.Join("..", "..", "posts", "2024-10-04-"+seedSlug+".md"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "images"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "2024-10-04-"+seedSlug+".md"), seed, 0o644); err != nil {
		t.Fatal(err)
	}
	img := image.NewRGBA(image.Rect(0, 0, 480, 200))
	for y := range 200 {
		for x := range 480 {
			img.Set(x, y, color.RGBA{uint8(x * 255 / 480), uint8(y * 255 / 200), 160, 255})
		}
	}
	f, err := os.Create(filepath.Join(dir, "images", "caos.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestScreenshots opens / and the seed post in headless Chromium at a
// phone's and a desktop's width, dark and light, and checks what it drew:
// the page's background follows prefers-color-scheme and nothing is
// wider than the window. With -update-screenshots the PNGs are kept in
// testdata/screenshots for people to look at.
func TestScreenshots(t *testing.T) {
	bin := chromium(t)
	b := startTestBlog(t, screenshotPosts(t), func(o *Options) { o.BaseURL = "" })
	out := t.TempDir()
	if *updateScreenshots {
		out = filepath.Join("testdata", "screenshots")
		if err := os.MkdirAll(out, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	sizes := []struct {
		name string
		w, h int
	}{{"phone", 390, 844}, {"desktop", 1200, 900}}
	for _, page := range []struct{ name, path string }{{"home", "/"}, {"post", "/" + seedSlug + "/"}} {
		for _, size := range sizes {
			for _, scheme := range []struct {
				name  string
				value int // blink's PreferredColorScheme: 0 dark, 1 light
				dark  bool
			}{{"dark", 0, true}, {"light", 1, false}} {
				file := filepath.Join(out, fmt.Sprintf("%s-%s-%s.png", page.name, size.name, scheme.name))
				shoot(t, bin, b.url+page.path, file, size.w, size.h, scheme.value)
				img := readPNG(t, file)
				if got := img.Bounds().Dx(); got != size.w {
					t.Errorf("%s: %d pixels wide, want %d", file, got, size.w)
				}
				r, g, bl, _ := img.At(2, img.Bounds().Dy()-2).RGBA()
				if lum := (r + g + bl) / 3 >> 8; (lum < 128) != scheme.dark {
					t.Errorf("%s: background luminance %d does not match %s", file, lum, scheme.name)
				}
			}
		}
	}
}

func shoot(t *testing.T, bin, url, file string, w, h, scheme int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "--headless", "--no-sandbox", "--disable-gpu",
		"--disable-background-networking", "--no-first-run", "--hide-scrollbars",
		"--user-data-dir="+t.TempDir(), "--force-device-scale-factor=1",
		fmt.Sprintf("--blink-settings=preferredColorScheme=%d", scheme),
		fmt.Sprintf("--window-size=%d,%d", w, h), "--screenshot="+file, url)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("chromium %s: %v\n%s", url, err, out)
	}
}

func readPNG(t *testing.T, file string) image.Image {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return img
}
