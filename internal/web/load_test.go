package web

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestLoad sends 10,000 requests, half to /feed.xml and half to the seed
// post's page, from 16 clients over loopback, and reports requests per
// second, latency percentiles and the process's RSS before, between and
// after two rounds (it should stay flat). A measurement, not an assertion:
// it runs only with SSHBLOG_WEB_LOAD=1.
func TestLoad(t *testing.T) {
	if os.Getenv("SSHBLOG_WEB_LOAD") == "" {
		t.Skip("set SSHBLOG_WEB_LOAD=1 to measure")
	}
	b := startTestBlog(t, blogFiles(t), func(o *Options) { o.Limits.Rate, o.Limits.Burst = 1e9, 1e9 })
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64, DisableCompression: true}}
	t.Logf("RSS at start: %s", rss())
	for round := 1; round <= 2; round++ {
		lat, elapsed, errs := hammer(client, b.url, 10000, 16)
		slices.Sort(lat)
		pct := func(p float64) time.Duration { return lat[int(p*float64(len(lat)-1))] }
		runtime.GC()
		t.Logf("round %d: %d requests in %v: %.0f req/s, p50 %v, p99 %v, max %v, %d errors; RSS %s",
			round, len(lat), elapsed.Round(time.Millisecond), float64(len(lat))/elapsed.Seconds(),
			pct(0.50), pct(0.99), lat[len(lat)-1], errs, rss())
	}
}

// hammer sends n requests from c clients, alternating the two paths.
func hammer(client *http.Client, base string, n, c int) ([]time.Duration, time.Duration, int) {
	paths := []string{"/feed.xml", "/" + seedSlug + "/"}
	lat := make([]time.Duration, n)
	var mu sync.Mutex
	errs := 0
	next := make(chan int, n)
	for i := range n {
		next <- i
	}
	close(next)
	start := time.Now()
	var wg sync.WaitGroup
	for range c {
		wg.Go(func() {
			for i := range next {
				t0 := time.Now()
				resp, err := client.Get(base + paths[i%2])
				if err == nil {
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
				lat[i] = time.Since(t0)
				if err != nil || resp.StatusCode != 200 {
					mu.Lock()
					errs++
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	return lat, time.Since(start), errs
}

// rss is the process's resident set size from /proc (Linux).
func rss() string {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "?"
	}
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.Atoi(f[1])
			return fmt.Sprintf("%.1f MB", float64(kb)/1024)
		}
	}
	return "?"
}

// BenchmarkPageAndFeed measures one request over loopback, the page and
// the feed alternately, after the first builds them.
func BenchmarkPageAndFeed(b *testing.B) {
	blog := startTestBlog(b, blogFiles(b), func(o *Options) { o.Limits.Rate, o.Limits.Burst = 1e9, 1e9 }).url
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64, DisableCompression: true}}
	paths := []string{blog + "/feed.xml", blog + "/" + seedSlug + "/"}
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			resp, err := client.Get(paths[i%2])
			if err != nil {
				b.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			i++
		}
	})
}
