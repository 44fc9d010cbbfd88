package server_test

import (
	"bytes"
	"context"
	"image"
	_ "image/jpeg"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"sshblog/internal/blogtest"
	"sshblog/internal/content"
	"sshblog/internal/publish/phototest"
	"sshblog/internal/publish/publishtest"
	"sshblog/internal/web"
)

// picWeb serves b's posts folder over HTTP as cmd/sshblog's --http does
// (web.Server reading files through content.Files) and returns its URL.
func picWeb(t *testing.T, b *blogtest.Blog) string {
	t.Helper()
	files, err := content.OpenFiles(b.PostsDir, nil)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := web.New(web.Options{Source: b.Store, Feeds: b.Deps.Feeds, Files: files, Limits: web.Limits{Rate: 1000, Burst: 1000}})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
		if err := <-served; err != nil {
			t.Errorf("web serve: %v", err)
		}
		_ = files.Close()
	})
	return "http://" + ln.Addr().String()
}

// TestPhonePhotoPublishedAnyWayIsServedWithoutGPS is the attack end to
// end: an author uploads a phone photo (EXIF with a GPS IFD, XMP, MPF,
// IPTC, a comment, and a second JPEG with its own GPS after the EOI) by
// SFTP, by legacy scp and through `publish NAME` on a pipe; the web side
// then serves each copy to anyone. None may say where it was taken, and
// each must still be the same picture, the right way up.
func TestPhonePhotoPublishedAnyWayIsServedWithoutGPS(t *testing.T) {
	t.Parallel()
	b := pubStart(t)
	photo := phototest.PhoneJPEG(64, 48)
	author := pubDial(t, b.Addr, gossh.PublicKeys(b.author))
	c, err := pubSFTP(t, author)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Mkdir("trip"); err != nil {
		t.Fatal(err)
	}
	if err := pubPut(c, "trip/by-sftp.jpg", photo.Data); err != nil {
		t.Fatalf("sftp: %v", err)
	}
	// One session a connection: scp and the pipe dial their own.
	if errOut, code := pubSCP(t, pubDial(t, b.Addr, gossh.PublicKeys(b.author)), "trip", "by-scp.jpg", photo.Data); code != 0 {
		t.Fatalf("scp: %d %q", code, errOut)
	}
	if _, errOut, code := pubRun(t, pubDial(t, b.Addr, gossh.PublicKeys(b.author)), "publish trip/by-pipe.jpg", bytes.NewReader(photo.Data)); code != 0 {
		t.Fatalf("publish: %d %q", code, errOut)
	}

	site := picWeb(t, b.Blog)
	for _, name := range []string{"by-sftp.jpg", "by-scp.jpg", "by-pipe.jpg"} {
		resp, err := http.Get(site + "/trip/" + name)
		if err != nil {
			t.Fatal(err)
		}
		served, err := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("GET /trip/%s: %d %v", name, resp.StatusCode, err)
		}
		if leaks := phototest.Leaks(served); len(leaks) > 0 {
			t.Errorf("%s as served (%d of %d bytes) says where it was taken: %s", name, len(served), len(photo.Data), strings.Join(leaks, "; "))
		}
		cfg, _, err := image.DecodeConfig(bytes.NewReader(served))
		if err != nil || cfg.Width != photo.Width || cfg.Height != photo.Height {
			t.Errorf("%s decodes as %dx%d (%v)", name, cfg.Width, cfg.Height, err)
		}
		if o, err := phototest.Orientation(served); err != nil || o != photo.Orientation {
			t.Errorf("%s: orientation %d (%v), want %d", name, o, err, photo.Orientation)
		}
		if icc, err := phototest.ICCOf(served); err != nil || !bytes.Equal(icc, photo.ICC) {
			t.Errorf("%s: ICC profile of %d bytes (%v), want the original %d", name, len(icc), err, len(photo.ICC))
		}
	}
	if stored := publishtest.Files(filepath.Join(b.PostsDir, "trip")); len(stored) != 3 {
		t.Errorf("stored: %v", stored)
	}
}
