package blogtest

import (
	"io"
	"net/http"
	"testing"
)

// Get fetches url as a web client (a browser, a feed reader, a metrics
// scraper) would, and returns the body; a status other than status is an
// error of the test, an unreachable url fails it.
func Get(t testing.TB, url string, status int) string {
	t.Helper()
	client := &http.Client{Timeout: Patience}
	resp, err := client.Get(url)
	if err != nil {
		t.Fatalf("get %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read %s: %v", url, err)
	}
	if resp.StatusCode != status {
		t.Errorf("GET %s = %d, want %d", url, resp.StatusCode, status)
	}
	return string(body)
}
