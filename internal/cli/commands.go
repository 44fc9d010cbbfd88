package cli

import (
	"context"
	"flag"
	"fmt"
	"net"
	"strings"
	"text/tabwriter"
)

// command is one row of the command table, which drives dispatch and help.
type command struct {
	name    string
	aliases []string
	args    string // what follows the name in a usage line
	summary string // one line for help
	example string // what follows "ssh HOST " in an example; SLUG is replaced
	flags   func() *flag.FlagSet
	run     func(s *session, ctx context.Context, args []string) error // a method expression
}

// commands returns the command table in the order help lists it. It is a
// function rather than a variable because help's run reads the table.
func commands() []command {
	return []command{
		{name: "ls", args: "[--tag T] [--json]", summary: "list the posts, newest first (DATE  SLUG  TITLE)",
			example: "ls --json | jq -r .slug", flags: func() *flag.FlagSet { return newLsFlags().fs }, run: (*session).ls},
		{name: "read", args: "<slug> [--width N] [--raw]", summary: "print a post (by slug, permalink or alias) as plain text (--raw: its markdown)",
			example: "read SLUG | less", flags: func() *flag.FlagSet { return newReadFlags().fs }, run: (*session).read},
		{name: "tags", summary: "list the tags and categories with their post counts (COUNT TAG), most used first",
			example: "tags", run: (*session).tags},
		{name: "search", args: "<words…>", summary: "find posts by words in their title, tags or text, best first",
			example: "search writing", run: (*session).search},
		{name: "feed", aliases: []string{"atom"}, args: "[--summary]", summary: "print an Atom 1.0 feed of the posts",
			example: "feed > blog.atom", flags: func() *flag.FlagSet { return newFeedFlags("feed").fs }, run: (*session).atom},
		{name: "rss", args: "[--summary]", summary: "print an RSS 2.0 feed of the posts",
			example: "rss > blog.rss", flags: func() *flag.FlagSet { return newFeedFlags("rss").fs }, run: (*session).rss},
		{name: "stats", summary: "print reads per post (last day, last week), readers online and time to first frame",
			example: "stats", run: (*session).stats},
		{name: "forget", summary: "erase what this blog remembers for your SSH key (places in posts, read marks, light/dark)",
			example: "forget", run: (*session).forget},
		{name: "help", aliases: []string{"--help", "-h"}, args: "[command]", summary: "show this help, or one command's usage",
			example: "help read", run: (*session).help},
		{name: "version", aliases: []string{"--version"}, summary: "print the server's version",
			example: "version", run: (*session).version},
	}
}

func lookup(name string) (command, bool) {
	for _, c := range commands() {
		if c.name == name {
			return c, true
		}
		for _, a := range c.aliases {
			if a == name {
				return c, true
			}
		}
	}
	return command{}, false
}

// IsCommand reports whether name is one of the commands (or an alias): what
// a forced command (authorized_keys command=) may name.
func IsCommand(name string) bool {
	_, ok := lookup(name)
	return ok
}

// commandNames lists the names "did you mean" may suggest.
func commandNames() []string {
	var names []string
	for _, c := range commands() {
		names = append(names, c.name)
	}
	return names
}

// sshCommand is how a reader reaches this blog, options first (BSD ssh
// stops reading options at the host): "ssh -T -p 2222 host", or "ssh HOST"
// when the host is unknown.
func (s *session) sshCommand(opts ...string) string {
	host, port := "HOST", ""
	if s.env.Host != "" {
		host = clean(s.env.Host)
		if h, p, err := net.SplitHostPort(host); err == nil {
			host, port = h, p
		}
	}
	if port != "" && port != "22" {
		opts = append(opts, "-p", port)
	}
	return strings.Join(append(append([]string{"ssh"}, opts...), host), " ")
}

// example fills in a command's example with this blog's host and newest slug.
func (s *session) example(c command) string {
	slug := "my-post"
	if posts := s.env.Snapshot.Posts(); len(posts) > 0 {
		slug = posts[0].Slug
	}
	return s.sshCommand() + " " + strings.ReplaceAll(c.example, "SLUG", slug)
}

// help prints every command with a one-line description and an example, or
// with an argument, that command's usage.
func (s *session) help(_ context.Context, args []string) error {
	switch len(args) {
	case 0:
	case 1:
		c, ok := lookup(args[0])
		if !ok {
			return usagef("help: unknown command %s%s", quoted(args[0]),
				didYouMean(args[0], commandNames(), `try "help"`))
		}
		return s.usage(c)
	default:
		return usagef(`help: too many arguments (try "help" or "help read")`)
	}
	w := s.out
	fmt.Fprintf(w, "%s, read over SSH.\n\n", clean(s.env.Title))
	fmt.Fprintf(w, "Usage: %s [command] [arguments]\n\n", s.sshCommand())
	fmt.Fprintf(w, "Without a command (%s) the posts are listed one a line:\n", s.sshCommand("-T"))
	fmt.Fprintf(w, "date (YYYY-MM-DD), slug and title, separated by two or more spaces.\n\n")
	fmt.Fprintf(w, "Commands:\n")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, c := range commands() {
		fmt.Fprintf(tw, "  %s\t%s\n", strings.Join(append([]string{c.name}, c.aliases...), ", "), c.summary)
		fmt.Fprintf(tw, "  \t  e.g. %s\n", s.example(c))
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("write help: %w", err)
	}
	fmt.Fprintf(w, "\nExit status: 0 ok, 1 not found, 2 usage error. \"help COMMAND\" shows its flags.\n")
	fmt.Fprintf(w, "With a terminal (%s read SLUG) the reader opens at the post.\n", s.sshCommand("-t"))
	_, err := fmt.Fprintf(w, "Authors also have: publish, unpublish, drafts, check, preview, sftp, scp (see the README).\n")
	return err
}

// usage prints one command's usage line, example and flags on stdout.
func (s *session) usage(c command) error {
	fmt.Fprintf(s.out, "Usage: %s %s", s.sshCommand(), c.name)
	if c.args != "" {
		fmt.Fprintf(s.out, " %s", c.args)
	}
	fmt.Fprintf(s.out, "\n\n%s.\n", upperFirst(c.summary))
	if len(c.aliases) > 0 {
		fmt.Fprintf(s.out, "Also: %s.\n", strings.Join(c.aliases, ", "))
	}
	fmt.Fprintf(s.out, "Example: %s\n", s.example(c))
	if c.flags != nil {
		fs := c.flags()
		fmt.Fprintf(s.out, "\nFlags:\n")
		fs.SetOutput(s.out)
		fs.PrintDefaults()
	}
	return nil
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// version prints "sshblog VERSION".
func (s *session) version(_ context.Context, args []string) error {
	if err := noArgs("version", args); err != nil {
		return err
	}
	_, err := fmt.Fprintf(s.out, "sshblog %s\n", clean(s.env.Version))
	return err
}
