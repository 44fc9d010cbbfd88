package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"io"
	"log/slog"
	"time"

	"sshblog/internal/content"
	"sshblog/internal/defaults"
	"sshblog/internal/feed"
	"sshblog/internal/render"
)

// Env is what a command needs from its session.
type Env struct {
	// Snapshot is the blog as this session sees it. nil reads as an empty blog.
	Snapshot *content.Snapshot
	// Renderer renders post bodies for read: the server's one, so that its
	// cache is shared. Required.
	Renderer *render.Renderer
	// Stdout and Stderr are the session's streams; nil discards.
	Stdout, Stderr io.Writer
	// Title is the blog's title (feeds, help). Empty: "sshblog".
	Title string
	// Description says what the blog is about (the feeds' subtitle).
	// Empty: Title + ", read over SSH".
	Description string
	// Author is the blog's author, the feeds' author when a post names
	// none. Empty: Title.
	Author string
	// BaseURL is where the blog lives on the web, used for feed links
	// (BaseURL + "/" + the post's permalink, else slug) and for the feeds'
	// relative links and images. Empty: links are "ssh://" + Host + "/" + slug,
	// e.g. ssh://blog.example.com:2222/my-post, which names the post but is
	// not a URL an SSH client opens.
	BaseURL string
	// Host is host[:port] as readers dial it; used in help examples, in
	// feed links when BaseURL is empty, and (without the port) in entry ids.
	Host string
	// PTY reports a terminal is attached; without one, output is Plain
	// whatever Style says.
	PTY bool
	// Style is the session's look (Plain for TERM=dumb or no PTY, Mono
	// for NO_COLOR).
	Style render.Style
	// Version is printed by the version command. Empty: "dev".
	Version string
	// FeedLimit is the most posts, the newest, a feed holds; 0 means
	// DefaultFeedLimit.
	FeedLimit int
	// Feeds builds the feeds and keeps each for the Snapshot it was built
	// from: the server's one, so that `feed` prints what the web serves.
	// Required.
	Feeds *feed.Builder
	// Logger receives failures the reader is not told about (a post whose
	// HTML could not be made for a feed). nil discards.
	Logger *slog.Logger
	// OnRead, when set, is told the slug of each post read prints (one the
	// Snapshot has), for the server's reads per post.
	OnRead func(slug string)
	// Stats, when set, reads the server's counters for the stats command.
	// nil: stats says the server keeps none.
	Stats func() Stats
	// Forget erases what the blog remembers for this session's key
	// (positions, read marks, light/dark) and reports whether there was
	// anything; [ErrNoKey] and [ErrNoMemory] say why it cannot. nil: the
	// blog keeps no memory.
	Forget func(context.Context) (bool, error)
}

// session is one Run: the environment with defaults applied and a buffered
// stdout.
type session struct {
	env Env
	out *bufio.Writer // over a stickyWriter
	// shown, when not nil, numbers the lists this session prints and
	// remembers their posts, so the line-mode reader can open one by number.
	shown *[]*content.Post
}

// stickyWriter remembers the first write error and writes nothing after it,
// so a reader who closed the pipe (`| head`) gets no more bytes.
type stickyWriter struct {
	w   io.Writer
	err error
}

func (s *stickyWriter) Write(p []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	n, err := s.w.Write(p)
	if err == nil && n < len(p) {
		err = io.ErrShortWrite
	}
	s.err = err
	return n, err
}

// outBuffer batches small writes into SSH packets; posts still stream,
// 32 KiB at a time.
const outBuffer = 32 << 10

// Run executes one command line (already split by [Split]) and returns the
// exit status: [StatusOK], [StatusNotFound] or [StatusUsage]. Empty args
// lists the posts ("ssh -T host"). Errors meant for the reader go to
// Stderr as one line; if Stdout fails (the reader closed the pipe), the
// command stops writing at once and Run returns StatusNotFound silently.
func Run(ctx context.Context, env Env, args []string) int {
	if ctx.Err() != nil {
		return StatusNotFound // the session ended before the command began
	}
	if env.Renderer == nil || env.Feeds == nil {
		panic("cli: Env.Renderer and Env.Feeds are required: cmd/sshblog builds them once for every session")
	}
	env = withDefaults(env)
	sw := &stickyWriter{w: env.Stdout}
	s := &session{env: env, out: bufio.NewWriterSize(sw, outBuffer)}

	err := s.dispatch(ctx, args)
	if ctx.Err() != nil || sw.err != nil {
		// Nobody is reading any more: drop what is buffered, say nothing.
		return StatusNotFound
	}
	if ferr := s.out.Flush(); err == nil {
		err = ferr
	}
	switch {
	case err == nil:
		return StatusOK
	case sw.err != nil:
		return StatusNotFound // the pipe closed during the last flush
	}
	var ee *exitError
	if errors.As(err, &ee) {
		io.WriteString(env.Stderr, ee.msg+"\n")
		return ee.code
	}
	io.WriteString(env.Stderr, "sshblog: "+clean(err.Error())+"\n")
	return StatusNotFound
}

func withDefaults(env Env) Env {
	if env.Snapshot == nil {
		env.Snapshot = content.NewSnapshot(nil, content.SnapshotOptions{Now: time.Now()})
	}
	if env.Stdout == nil {
		env.Stdout = io.Discard
	}
	if env.Stderr == nil {
		env.Stderr = io.Discard
	}
	if env.Title == "" {
		env.Title = defaults.Title
	}
	if env.Description == "" {
		env.Description = env.Title + ", read over SSH"
	}
	if env.Author == "" {
		env.Author = env.Title
	}
	if env.FeedLimit <= 0 {
		env.FeedLimit = DefaultFeedLimit
	}
	if env.Version == "" {
		env.Version = "dev"
	}
	if env.Logger == nil {
		env.Logger = slog.New(slog.DiscardHandler)
	}
	if !env.PTY {
		env.Style = render.Plain
	}
	return env
}

// dispatch finds the command named by args[0] and runs it.
func (s *session) dispatch(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return s.list(ctx, s.env.Snapshot.Posts())
	}
	cmd, ok := lookup(args[0])
	if !ok {
		return s.unknownCommand(args[0])
	}
	err := cmd.run(s, ctx, args[1:])
	if errors.Is(err, flag.ErrHelp) {
		return s.usage(cmd)
	}
	return err
}

// unknownCommand explains a first word that is no command. A slug typed
// without "read" gets the command it needed.
func (s *session) unknownCommand(name string) error {
	if _, ok := s.env.Snapshot.Find(name); ok {
		return usagef("unknown command %s — did you mean %s?", quoted(name), quoted("read "+name))
	}
	return usagef("unknown command %s%s", quoted(name),
		didYouMean(name, commandNames(), `try "help"`))
}
