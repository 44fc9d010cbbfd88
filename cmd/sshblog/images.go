package main

import (
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"sshblog/internal/config"
	"sshblog/internal/content"
	"sshblog/internal/render/images"
)

// openImages opens the folders the posts' pictures are read from: the
// posts folder (addresses relative to a post), and for site-root paths
// --static (default the posts folder), then a Hugo site's static/ or a
// Jekyll site's root when the posts folder sits inside such a site. Each
// through a confined reader. A folder that cannot be opened is logged and
// left out; close releases the ones opened.
func openImages(cfg config.Config, logger *slog.Logger) (lib *images.Library, close func()) {
	var opened []*content.Files
	open := func(dir string) *content.Files {
		f, err := content.OpenFiles(dir, privateDirs(cfg))
		if err != nil {
			logger.Warn("image folder unreadable: its pictures stay as text", "folder", dir, "err", err)
			return nil
		}
		opened = append(opened, f)
		return f
	}
	posts := open(cfg.PostsDir)
	var static []*content.Files
	for _, dir := range staticDirs(cfg) {
		if dir == cfg.PostsDir {
			static = append(static, posts)
		} else {
			static = append(static, open(dir))
		}
	}
	lib = images.New(images.Options{Posts: posts, Static: static, Logger: logger})
	return lib, func() {
		for _, f := range opened {
			_ = f.Close()
		}
	}
}

// staticDirs are the folders site-root image paths are looked up in, first
// match wins: --static (default the posts folder), then a Hugo site's
// static/ or a Jekyll site's root. The pictures read them, and the posts
// watcher follows the files posts show there.
func staticDirs(cfg config.Config) []string {
	dirs := []string{cfg.PostsDir}
	if cfg.StaticDir != "" {
		dirs = []string{cfg.StaticDir}
	}
	if dir := siteStatic(cfg.PostsDir); dir != "" {
		dirs = append(dirs, dir)
	}
	return dirs
}

// siteStatic is where a Hugo or Jekyll site around the posts folder keeps
// its static files: Hugo's static/, Jekyll's root. "" when there is none.
func siteStatic(postsDir string) string {
	site, err := content.LoadSite(postsDir)
	if err != nil || site.Kind == "" {
		return ""
	}
	root := filepath.Dir(site.File)
	if strings.HasSuffix(filepath.ToSlash(root), "config/_default") {
		root = filepath.Dir(filepath.Dir(root))
	}
	if site.Kind == "hugo" {
		root = filepath.Join(root, "static")
	}
	if fi, err := os.Stat(root); err != nil || !fi.IsDir() {
		return ""
	}
	if abs, _ := filepath.Abs(root); abs == mustAbs(postsDir) {
		return "" // the posts folder, already looked in
	}
	return root
}

func mustAbs(p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	return abs
}
