package content

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/BurntSushi/toml"
	"go.yaml.in/yaml/v3"
)

// Site is what a Jekyll or Hugo site's own settings file says about the
// blog. Every field is sanitised to one line; empty when the file does not
// say.
type Site struct {
	Kind        string // "jekyll" or "hugo"; "" when no settings file was found
	File        string // the file read
	Title       string
	Description string // Jekyll's description, Hugo's params.description
	Author      string // a name (an author map's name)
	// URL is the site's root as an absolute URL: Jekyll's url + baseurl,
	// Hugo's baseURL. A value that is not absolute ("/") is left out.
	URL string
	// Vars is the whole settings file as decoded, keys as written: what a
	// Jekyll post's Liquid reads as site.* ({{ site.repository }}). Values
	// are not sanitised here; the Liquid pass sanitises what it outputs.
	// Nil when no settings file was found. Never modified once loaded.
	Vars map[string]any
}

// Root is the folder the settings file sits in: the site's root, where
// Jekyll keeps _includes. "" when no settings file was found.
func (s Site) Root() string {
	if s.File == "" {
		return ""
	}
	dir := filepath.Dir(s.File)
	if filepath.Base(dir) == "_default" && filepath.Base(filepath.Dir(dir)) == "config" {
		return filepath.Dir(filepath.Dir(dir)) // Hugo's config/_default/hugo.toml
	}
	return dir
}

// siteFiles are the settings files LoadSite knows, in the order it tries
// them in each folder.
var siteFiles = []struct{ name, kind string }{
	{"_config.yml", "jekyll"},
	{"_config.yaml", "jekyll"},
	{"hugo.toml", "hugo"},
	{"hugo.yaml", "hugo"},
	{"hugo.yml", "hugo"},
	{"hugo.json", "hugo"},
	{"config.toml", "hugo"},
	{"config.yaml", "hugo"},
	{"config.yml", "hugo"},
	{"config.json", "hugo"},
	{"config/_default/hugo.toml", "hugo"},
	{"config/_default/config.toml", "hugo"},
}

// maxSiteFile caps the settings file read: they are a few hundred bytes.
const maxSiteFile = 1 << 20

// LoadSite looks for a site's settings next to the posts folder dir: in dir
// itself, in its parent (Jekyll's _config.yml beside _posts/, Hugo's
// hugo.toml beside content/ when dir is content/), and in its grandparent
// when the parent is named "content" (dir is Hugo's content/posts). The
// first file found is read; none found is a zero Site and no error. An
// error names the file that could not be read or parsed.
func LoadSite(dir string) (Site, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return Site{}, fmt.Errorf("find site settings: %w", err)
	}
	folders := []string{abs, filepath.Dir(abs)}
	if filepath.Base(filepath.Dir(abs)) == "content" {
		folders = append(folders, filepath.Dir(filepath.Dir(abs)))
	}
	for _, folder := range folders {
		for _, f := range siteFiles {
			file := filepath.Join(folder, filepath.FromSlash(f.name))
			data, err := readSiteFile(file)
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			if err != nil {
				return Site{}, fmt.Errorf("read site settings %s: %w", file, err)
			}
			site, err := parseSite(f.kind, file, data)
			if err != nil {
				return Site{}, fmt.Errorf("parse site settings %s: %w", file, err)
			}
			return site, nil
		}
	}
	return Site{}, nil
}

func readSiteFile(file string) ([]byte, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fs.ErrNotExist // a folder named config.toml: not settings
	}
	data, err := io.ReadAll(io.LimitReader(f, maxSiteFile+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxSiteFile {
		return nil, fmt.Errorf("larger than %s", byteSize(maxSiteFile))
	}
	return data, nil
}

// parseSite reads the fields sshblog uses from a settings file's text.
func parseSite(kind, file string, data []byte) (Site, error) {
	var m map[string]any
	var err error
	if strings.HasSuffix(file, ".toml") {
		_, err = toml.Decode(string(data), &m)
	} else {
		err = yaml.Unmarshal(data, &m) // JSON is YAML too
	}
	if err != nil {
		return Site{}, err
	}
	vars := m
	if vars == nil {
		vars = map[string]any{} // an empty file: a site, without settings
	}
	m = lowerKeys(m)
	s := Site{Kind: kind, File: file, Title: siteText(m["title"]), Vars: vars}
	params := lowerKeys(asMap(m["params"]))
	switch kind {
	case "jekyll":
		s.Description = siteText(m["description"])
		s.Author = siteName(m["author"])
		if u := siteText(m["url"]); u != "" {
			s.URL = strings.TrimRight(u, "/") + "/" + strings.Trim(siteText(m["baseurl"]), "/")
		}
	default:
		s.Description = siteText(params["description"])
		s.Author = siteName(params["author"])
		if s.Author == "" {
			s.Author = siteName(m["author"]) // older Hugo: a top-level [author]
		}
		s.URL = siteText(m["baseurl"])
	}
	s.URL = strings.TrimRight(s.URL, "/")
	if u, err := url.Parse(s.URL); err != nil || u.Scheme == "" || u.Host == "" {
		s.URL = ""
	}
	return s, nil
}

func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

// lowerKeys gives m's keys in lower case (Hugo's keys are case-insensitive:
// baseURL, baseurl); the first of two that differ in case wins.
func lowerKeys(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		if _, dup := out[strings.ToLower(k)]; !dup {
			out[strings.ToLower(k)] = v
		}
	}
	return out
}

// siteText is a scalar setting as one sanitised line, "" for anything else.
func siteText(v any) string {
	var s string
	switch v := v.(type) {
	case string:
		s = v
	case int, int64, float64, bool:
		s = fmt.Sprint(v)
	default:
		return ""
	}
	s, _ = singleLine(s)
	return s
}

// siteName is an author given as a name, a map with a name, or a list of
// either (the first).
func siteName(v any) string {
	switch v := v.(type) {
	case map[string]any:
		return siteText(lowerKeys(v)["name"])
	case []any:
		if len(v) > 0 {
			return siteName(v[0])
		}
		return ""
	}
	return siteText(v)
}
