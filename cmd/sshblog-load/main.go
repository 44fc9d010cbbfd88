// Command sshblog-load measures an SSH server the way readers load it: it
// holds many PTY sessions open, timing each from TCP connect to the first
// frame that shows a marker text, and reads the server's RSS and CPU from
// /proc. Its "bare" command is the baseline: a minimal x/crypto/ssh server
// drawing one fixed screen; "compare" runs the same load against the blog
// and the bare server and prints each figure with its ratio.
//
// It only ever dials or listens on loopback.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"
)

const usage = `usage:
  sshblog-load [flags]            load a running server (-addr, -pid)
  sshblog-load bare [-listen A]   run the bare x/crypto/ssh baseline server
  sshblog-load compare [flags]    same load against the blog and a bare server child
  sshblog-load gen -dir D [-n N]  write N generated posts (~3 KB each) into D
  sshblog-load probe [flags]      one reader: first frame, first key, "/", filter keystrokes
run a command with -help for its flags`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run returns the exit status: 0 done (even if interrupted), 1 failed, 2 usage.
func run(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	cmd := "load"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	var err error
	switch cmd {
	case "load":
		err = runLoadCmd(ctx, args, stdout, logger)
	case "bare":
		err = runBareCmd(ctx, args, stdout, logger)
	case "compare":
		err = runCompareCmd(ctx, args, stdout, stderr, logger)
	case "gen":
		err = runGenCmd(ctx, args, stdout)
	case "probe":
		err = runProbeCmd(ctx, args, stdout)
	default:
		err = fmt.Errorf("%w: unknown command %q\n%s", errUsage, cmd, usage)
	}
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		fmt.Fprintln(stderr, "sshblog-load:", err)
		return 2
	default:
		fmt.Fprintln(stderr, "sshblog-load:", err)
		return 1
	}
}

// errUsage marks errors in how the command was called.
var errUsage = errors.New("usage")

// output is the -json switch shared by load and compare.
type output struct{ json bool }

func runLoadCmd(ctx context.Context, args []string, stdout io.Writer, logger *slog.Logger) error {
	fs := flag.NewFlagSet("sshblog-load", flag.ContinueOnError)
	o, out := defaultOptions(100, 0), &output{}
	fs.StringVar(&o.Addr, "addr", "127.0.0.1:2222", "server `address` (loopback only)")
	fs.IntVar(&o.PID, "pid", 0, "server `pid`, to read its RSS and CPU from /proc")
	fs.BoolVar(&o.Scroll, "scroll", false, "scroll during the hold instead of sitting idle")
	fs.DurationVar(&o.ScrollEvery, "scroll-every", 100*time.Millisecond, "each session presses a scroll key this often")
	scrollKeys := fs.String("scroll-keys", "j", "keys pressed in turn when scrolling (Go escapes allowed)")
	prelude := fs.String("prelude", "", `keys each session sends once all are up, before the hold, e.g. "\r" to open a post`)
	fs.DurationVar(&o.PreludeWait, "prelude-wait", time.Second, "pause after the prelude")
	fs.StringVar(&o.Edit, "edit", "", "append a line to this post `file` as the hold starts (the hold's CPU is then the cost of one live edit)")
	bindCommon(fs, &o, out)
	if err := parse(fs, args); err != nil {
		return err
	}
	var err error
	if o.ScrollKeys, err = unescape(*scrollKeys); err != nil {
		return fmt.Errorf("%w: -scroll-keys: %v", errUsage, err)
	}
	if o.Prelude, err = unescape(*prelude); err != nil {
		return fmt.Errorf("%w: -prelude: %v", errUsage, err)
	}
	if err := validate(o); err != nil {
		return err
	}
	res, err := runLoad(ctx, o, logger)
	if err != nil {
		return err
	}
	if out.json {
		return writeJSON(stdout, res)
	}
	return writeResult(stdout, res)
}

func runCompareCmd(ctx context.Context, args []string, stdout, stderr io.Writer, logger *slog.Logger) error {
	fs := flag.NewFlagSet("sshblog-load compare", flag.ContinueOnError)
	o, out := defaultOptions(200, 20), &output{}
	fs.StringVar(&o.Addr, "blog-addr", "127.0.0.1:2222", "blog `address` (loopback only)")
	fs.IntVar(&o.PID, "blog-pid", 0, "blog `pid`, to read its RSS and CPU (without it only times are compared)")
	bindCommon(fs, &o, out)
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := validate(o); err != nil {
		return err
	}
	cmp, err := runCompare(ctx, o, stderr, logger)
	if err != nil {
		return err
	}
	if out.json {
		return writeJSON(stdout, cmp)
	}
	return writeComparison(stdout, cmp)
}

func runBareCmd(ctx context.Context, args []string, stdout io.Writer, logger *slog.Logger) error {
	fs := flag.NewFlagSet("sshblog-load bare", flag.ContinueOnError)
	listen := fs.String("listen", "127.0.0.1:2223", "`address` to listen on (loopback only)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := checkLoopback(*listen); err != nil {
		return fmt.Errorf("%w: -listen: %v", errUsage, err)
	}
	srv, err := newBareServer(logger)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	fmt.Fprintln(stdout, bareReady+ln.Addr().String())
	return srv.serve(ctx, ln)
}

// defaultOptions are the flags' defaults; compare asks for more sessions
// and a sequential phase by default (the figures in docs/performance.md).
func defaultOptions(sessions, seq int) options {
	return options{
		ProcRoot: "/proc", Sessions: sessions, Seq: seq, Ramp: 50,
		Hold: 30 * time.Second, Timeout: 30 * time.Second, Baseline: time.Second,
		Width: 100, Height: 30, Want: "Why did I start",
		ScrollEvery: 100 * time.Millisecond, ScrollKeys: "j", PreludeWait: time.Second,
	}
}

// bindCommon adds the flags load and compare share.
func bindCommon(fs *flag.FlagSet, o *options, out *output) {
	fs.IntVar(&o.Sessions, "c", o.Sessions, "concurrent `sessions` to open and hold")
	fs.IntVar(&o.Ramp, "ramp", o.Ramp, "at most this many sessions between dial and first frame at once")
	fs.IntVar(&o.Seq, "seq", o.Seq, "first open this many sessions one after another, each closed before the next")
	fs.DurationVar(&o.Hold, "hold", o.Hold, "how long to hold the sessions once all are up")
	fs.DurationVar(&o.Timeout, "timeout", o.Timeout, "per session, from dial to first frame")
	fs.DurationVar(&o.Baseline, "baseline", o.Baseline, "how long to watch the idle server before connecting (with a pid)")
	fs.IntVar(&o.Width, "w", o.Width, "terminal `columns`")
	fs.IntVar(&o.Height, "h", o.Height, "terminal `rows`")
	fs.BoolVar(&o.Vary, "vary", false, "give each session a window size of its own, from 60x20 up to -w x -h")
	fs.StringVar(&o.Want, "want", o.Want, "`text` whose appearance on screen is the first frame")
	fs.BoolVar(&out.json, "json", false, "print one JSON object instead of a table")
}

func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	}
	return nil
}

// validate refuses options that would not stop by themselves or would load
// another host.
func validate(o options) error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: "+format, append([]any{errUsage}, a...)...)
	}
	switch {
	case checkLoopback(o.Addr) != nil:
		return bad("%v", checkLoopback(o.Addr))
	case o.Sessions < 0 || o.Seq < 0:
		return bad("-c and -seq must not be negative")
	case o.Sessions == 0 && o.Seq == 0:
		return bad("nothing to do: -c and -seq are both 0")
	case o.Ramp < 1:
		return bad("-ramp must be at least 1")
	case o.Timeout <= 0 || o.Hold < 0 || o.Baseline < 0 || o.PreludeWait < 0:
		return bad("-timeout must be positive; -hold, -baseline and -prelude-wait not negative")
	case o.Width < 1 || o.Width > 1000 || o.Height < 1 || o.Height > 500:
		return bad("window %dx%d outside 1..1000 x 1..500", o.Width, o.Height)
	case o.Want == "":
		return bad("-want must not be empty")
	case o.ScrollEvery <= 0 || o.ScrollKeys == "":
		return bad("-scroll-every must be positive and -scroll-keys not empty")
	}
	return nil
}

// checkLoopback refuses any address but 127.0.0.0/8, ::1 and localhost:
// this tool is for loading your own machine, never someone else's.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("address %q: %w", addr, err)
	}
	if strings.EqualFold(host, "localhost") {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("address %q is not loopback: only 127.0.0.0/8, ::1 or localhost may be loaded", addr)
}

// unescape reads Go escapes (\r, \x1b) so keys can be given on a command line.
func unescape(s string) (string, error) {
	if !strings.Contains(s, `\`) {
		return s, nil
	}
	u, err := strconv.Unquote(`"` + strings.ReplaceAll(s, `"`, `\"`) + `"`)
	if err != nil {
		return "", fmt.Errorf("unescape %q: %w", s, err)
	}
	return u, nil
}
