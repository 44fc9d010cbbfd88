package server_test

import (
	"flag"
	"os"
	"runtime"
	"strconv"
	"testing"
)

// TestMain runs more end-to-end tests at once than go test's default, one
// per core: they spend most of their time waiting on the network, on a
// limit's timer or on a drain, not on the cores, so one per core leaves
// the machine idle. -parallel on the command line still decides.
func TestMain(m *testing.M) {
	flag.Parse()
	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == "test.parallel" })
	if !given {
		_ = flag.Set("test.parallel", strconv.Itoa(4*runtime.GOMAXPROCS(0)))
	}
	os.Exit(m.Run())
}
