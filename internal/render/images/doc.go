// Package images draws the pictures of a post for a reader's terminal: it
// finds an image's file (beside the post, in its page bundle, or under the
// static folders for a site-root path), reads it only through the content
// package's confined reader, decodes it under a budget, and encodes it for
// the terminal, caching every result in one cache shared by all sessions.
//
// # Sources
//
// [Library.Start] (or [Library.Load], which waits for the decode) takes an
// address from a post's body. Addresses are
// resolved by [content.Post.ResolveFile] (the one place that does it): a
// relative path is read from the posts folder, relative to the post's file;
// a site-root path from each static folder in turn. Remote images
// (http, https) are never fetched. PNG, JPEG, GIF (its first frame) and
// WebP are decoded; anything else (SVG) is refused and the post keeps its
// "alt → URL" text.
//
// # Budget
//
// A file over Options.MaxFileBytes (10 MB) is not read whole. Before any
// pixel is decoded, image.DecodeConfig reads the header, and an image is
// refused when it has more than Options.MaxPixels (40 megapixels), when its
// decoder would allocate more than Options.MaxDecodeBytes (64 MiB: its
// pixels times the bytes a pixel takes in the decoder's own image, 8 for a
// 16-bit PNG, and 4 more a component for a progressive JPEG's
// coefficients; cost.go), or when it is a JPEG of more than
// Options.MaxScans (32) scans. So a decompression bomb never allocates its
// full size, and a file of hundreds of empty scans is never walked.
//
// Decodes run apart from renders, on a pool of Options.Decoders (2) with
// a deadline each (Options.DecodeTimeout, 10 s): [Library.Start] returns at
// once, and a render shows the image's text until the decode ends (pool.go).
// The decoded image is reduced at once to at most [maxSide] pixels a side
// (a large one averaged over boxes first, so the scaler's buffers stay
// small); only that reduced copy is kept, and no encoding is larger.
//
// # Protocols
//
// [Image.HalfBlocks] draws the picture as Unicode upper half blocks, two
// pixels to a cell (foreground the top, background the bottom), in 24-bit
// colour; the session's Bubble Tea renderer reduces the colours to the
// reader's colour profile. Half blocks scroll, wrap and clear like text,
// so they work in every terminal with colour. [Library.Kitty] places it
// with kitty's Unicode placeholders; [Library.Sixel] and [Library.ITerm2]
// encode it as one escape sequence ([Overlay]) that a pager writes over
// blank cells. Encodings are cached by (content hash, protocol, target
// cells, cell size) under Options.CacheBytes.
package images
