package server

import (
	"errors"
	"testing"

	"sshblog/internal/config"
	"sshblog/internal/content"
	"sshblog/internal/render"
)

// TestNewNeedsItsParts: the server builds none of the services it uses;
// one missing is an error, not a default made behind the caller's back.
func TestNewNeedsItsParts(t *testing.T) {
	cfg := config.Default()
	cfg.KeysDir = t.TempDir()
	full := testDeps(t, cfg, content.NewStore(content.Options{Dir: t.TempDir()}), render.New(render.Options{}), nil)
	for name, drop := range map[string]func(*Deps){
		"source":    func(d *Deps) { d.Source = nil },
		"renderer":  func(d *Deps) { d.Renderer = nil },
		"feeds":     func(d *Deps) { d.Feeds = nil },
		"metrics":   func(d *Deps) { d.Metrics = nil },
		"publisher": func(d *Deps) { d.Publisher = nil },
	} {
		d := full
		drop(&d)
		if _, err := New(cfg, d); !errors.Is(err, ErrMissingDeps) {
			t.Errorf("without its %s: %v, want ErrMissingDeps", name, err)
		}
	}
	if _, err := New(cfg, full); err != nil {
		t.Errorf("with every part (memory off): %v", err)
	}
}
