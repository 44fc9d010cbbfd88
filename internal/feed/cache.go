package feed

import "sshblog/internal/content"

// maxCached bounds a Builder's feeds: the formats times summary or not
// times the paths a feed is served at, and the tags' feeds. When full it
// starts over.
const maxCached = 64

// cache keeps the feeds of the latest Snapshot, each built once however
// many ask at the same time.
type cache = content.Memo[Request, Feed]

func newCache() *cache { return content.NewMemo[Request, Feed](maxCached) }
