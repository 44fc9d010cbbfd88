package render

import "reflect"

// A render may show a picture as its text because the picture is still
// being decoded (takePictures never waits for a decode). Such a render
// carries a channel closed when one of those decodes ends: the pager
// renders again then (Doc.Pending), and the cache forgets it (lru.get, and
// the doc cache), so that the next render draws the picture.

// firstOf is a channel closed when any of chs is; nil for none.
func firstOf(chs []<-chan struct{}) <-chan struct{} {
	switch len(chs) {
	case 0:
		return nil
	case 1:
		return chs[0]
	}
	out := make(chan struct{})
	cases := make([]reflect.SelectCase, len(chs))
	for i, ch := range chs {
		cases[i] = reflect.SelectCase{Dir: reflect.SelectRecv, Chan: reflect.ValueOf(ch)}
	}
	// Every decode ends, by its deadline at the latest (images/pool.go):
	// so does this goroutine.
	go func() {
		reflect.Select(cases)
		close(out)
	}()
	return out
}

// closed reports whether ch is closed (false for nil).
func closed(ch <-chan struct{}) bool {
	if ch == nil {
		return false
	}
	select {
	case <-ch:
		return true
	default:
		return false
	}
}
