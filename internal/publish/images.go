package publish

import (
	"fmt"
	"net/url"
	"path"
	"regexp"
	"strings"

	"sshblog/internal/content"
)

// imageRef finds markdown image references: ![alt](ref "title"). A scan,
// not a parse (Go's regexp runs in linear time on the ≤2 MB body): it
// only feeds a warning.
var imageRef = regexp.MustCompile(`!\[[^\]\n]*\]\(\s*<?([^)\s>]+)`)

// maxImageWarnings bounds the warnings one post can produce.
const maxImageWarnings = 10

// missingImages warns about relative image paths that name no file in the
// posts folder (the post's own folder for a bundle). It never stops a
// publish: the image may be on its way.
func (p *Publisher) missingImages(name string, post *content.Post) []content.Problem {
	refs := imageRef.FindAllStringSubmatch(post.Body, -1)
	if len(refs) == 0 {
		return nil
	}
	root, err := p.openRoot()
	if err != nil {
		return nil
	}
	defer root.Close()
	var out []content.Problem
	for _, m := range refs {
		ref := m[1]
		u, err := url.Parse(ref)
		if err != nil || u.Scheme != "" || u.Host != "" || strings.HasPrefix(ref, "/") || u.Path == "" {
			continue // absolute, site-root or unparsable: not ours to check
		}
		file := path.Clean(path.Join(path.Dir(name), u.Path))
		if strings.HasPrefix(file, "../") || file == ".." {
			continue
		}
		if _, err := root.Lstat(file); err != nil {
			out = append(out, content.Problem{Path: name,
				Reason: fmt.Sprintf("image %q does not resolve to a file in the posts folder (upload %s too)", ref, file)})
			if len(out) == maxImageWarnings {
				break
			}
		}
	}
	return out
}
