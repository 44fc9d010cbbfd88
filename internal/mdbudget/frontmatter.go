package mdbudget

// FrontMatter is what a post's front matter may hold. The YAML and TOML
// parsers cost time in its size and nesting, YAML's aliases let a few lines
// stand for billions of values, and every tag a post carries is walked
// again by the loader, the index, the feeds, the tag list and each reader's
// list filter. A post over any of these is refused by the publish check
// and skipped by the loader, naming its line: unlike a body over budget it
// has no simplified form to fall back on. Zero values pick the defaults.
type FrontMatter struct {
	// MaxBytes bounds the text between the delimiter lines; a longer one
	// is refused before it is parsed.
	MaxBytes int
	// MaxDepth bounds the nesting of maps and lists, the top-level map
	// counting as one.
	MaxDepth int
	// MaxValues bounds the values in all, each alias counted as the values
	// it stands for (a "billion laughs" document expands to 10^9).
	MaxValues int
	// MaxItems bounds the items of a tags or categories list (or of the
	// one string they are split from).
	MaxItems int
	// MaxItemChars bounds one tag or category, in characters.
	MaxItemChars int
}

// Defaults for the zero values of FrontMatter.
const (
	DefaultFrontMatterBytes  = 64 << 10
	DefaultFrontMatterDepth  = 16
	DefaultFrontMatterValues = 10_000
	DefaultListItems         = 100
	DefaultItemChars         = 100
)

// WithDefaults returns f with its zero values replaced by the defaults.
func (f FrontMatter) WithDefaults() FrontMatter {
	if f.MaxBytes <= 0 {
		f.MaxBytes = DefaultFrontMatterBytes
	}
	if f.MaxDepth <= 0 {
		f.MaxDepth = DefaultFrontMatterDepth
	}
	if f.MaxValues <= 0 {
		f.MaxValues = DefaultFrontMatterValues
	}
	if f.MaxItems <= 0 {
		f.MaxItems = DefaultListItems
	}
	if f.MaxItemChars <= 0 {
		f.MaxItemChars = DefaultItemChars
	}
	return f
}
