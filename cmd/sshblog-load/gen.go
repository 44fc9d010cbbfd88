package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// The generator writes a blog of many posts for measuring sshblog at scale
// (10,000 posts of ~3 KB: a big blog). The posts are deterministic for a seed,
// so before and after figures are taken on the same folder: varied titles,
// tags and dates, and a body of headings, paragraphs, lists and code.

// genOptions configures one generated folder.
type genOptions struct {
	Dir  string
	N    int
	Size int // approximate bytes of markdown per post
	Seed uint64
}

// genNewest is the title of the newest generated post: the first entry of
// the list, a marker for -want.
const genNewest = "Generated post 00000"

var (
	genAdjectives = []string{"quiet", "busy", "tangled", "simple", "patient", "hidden", "early", "late",
		"small", "vast", "careful", "rough", "bright", "slow", "odd", "plain"}
	genNouns = []string{"garden", "router", "kernel", "letter", "river", "compiler", "window", "harbour",
		"terminal", "notebook", "bridge", "protocol", "kitchen", "library", "market", "signal"}
	genVerbs = []string{"grows", "breaks", "waits", "listens", "returns", "drifts", "learns", "fails",
		"sings", "counts", "wakes", "forgets"}
	genTags = []string{"go", "ssh", "life", "travel", "books", "music", "linux", "networks", "food",
		"llm", "nlp", "writing", "design", "security", "terminal", "history", "maths", "games",
		"photography", "notes"}
)

func runGenCmd(_ context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("sshblog-load gen", flag.ContinueOnError)
	o := genOptions{N: 10000, Size: 3000, Seed: 1}
	fs.StringVar(&o.Dir, "dir", "", "`folder` to write the posts into (made if missing; must be empty)")
	fs.IntVar(&o.N, "n", o.N, "number of posts")
	fs.IntVar(&o.Size, "size", o.Size, "approximate `bytes` of markdown per post")
	fs.Uint64Var(&o.Seed, "seed", o.Seed, "random seed (the same seed writes the same posts)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if o.Dir == "" || o.N < 1 || o.Size < 100 {
		return fmt.Errorf("%w: gen needs -dir, -n ≥ 1 and -size ≥ 100", errUsage)
	}
	if err := generate(o); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %d posts to %s; newest: %q\n", o.N, o.Dir, genNewest)
	return nil
}

// generate writes o.N posts into o.Dir, which must be empty or missing.
func generate(o genOptions) error {
	if err := os.MkdirAll(o.Dir, 0o755); err != nil {
		return fmt.Errorf("make posts folder: %w", err)
	}
	if ents, err := os.ReadDir(o.Dir); err != nil {
		return fmt.Errorf("read posts folder: %w", err)
	} else if len(ents) > 0 {
		return fmt.Errorf("posts folder %s is not empty", o.Dir)
	}
	rng := rand.New(rand.NewPCG(o.Seed, o.Seed^0x5eed))
	newest := time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC)
	for i := range o.N {
		name := filepath.Join(o.Dir, fmt.Sprintf("post-%05d.md", i))
		if err := os.WriteFile(name, []byte(genPost(rng, i, newest, o.Size)), 0o644); err != nil {
			return errors.Join(fmt.Errorf("write post %d", i), err)
		}
	}
	return nil
}

// genPost is post i: dated i·7h before newest (so post 0 is first in the
// list), with front matter, a title of its own and about size bytes.
func genPost(rng *rand.Rand, i int, newest time.Time, size int) string {
	pick := func(s []string) string { return s[rng.IntN(len(s))] }
	title := fmt.Sprintf("The %s %s %s", pick(genAdjectives), pick(genNouns), pick(genVerbs))
	if i == 0 {
		title = genNewest
	}
	tags := map[string]bool{}
	for range 1 + rng.IntN(4) {
		tags[pick(genTags)] = true
	}
	date := newest.Add(-time.Duration(i) * 7 * time.Hour)
	var b strings.Builder
	fmt.Fprintf(&b, "---\ntitle: %q\ndate: %s\ntags: [%s]\n---\n\n", title, date.Format(time.RFC3339),
		strings.Join(slices.Sorted(maps.Keys(tags)), ", "))
	for s := 0; b.Len() < size; s++ {
		switch s % 4 {
		case 0:
			fmt.Fprintf(&b, "## The %s %s, part %d\n\n", pick(genAdjectives), pick(genNouns), s/4+1)
		case 1, 2:
			b.WriteString(genParagraph(rng, pick) + "\n\n")
		case 3:
			if rng.IntN(2) == 0 {
				fmt.Fprintf(&b, "- a %s %s\n- the %s that %s\n- one more %s\n\n",
					pick(genAdjectives), pick(genNouns), pick(genNouns), pick(genVerbs), pick(genNouns))
			} else {
				fmt.Fprintf(&b, "```go\nfunc %s%d() int { return %d }\n```\n\n", pick(genNouns), s, rng.IntN(1000))
			}
		}
	}
	return b.String()
}

// genParagraph is a few sentences of the generator's words, with some
// emphasis and a link.
func genParagraph(rng *rand.Rand, pick func([]string) string) string {
	var b strings.Builder
	for j := range 4 + rng.IntN(4) {
		if j > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "The %s %s %s while a *%s* %s %s, and nobody %s the **%s** %s.",
			pick(genAdjectives), pick(genNouns), pick(genVerbs), pick(genAdjectives), pick(genNouns),
			pick(genVerbs), pick(genVerbs), pick(genAdjectives), pick(genNouns))
	}
	fmt.Fprintf(&b, " See [the %s](https://example.com/%s).", pick(genNouns), pick(genNouns))
	return b.String()
}
