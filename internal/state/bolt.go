package state

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
)

// DBFile is the embedded database's file name inside the state folder.
const DBFile = "memory.db"

// Buckets: readers holds one small value per reader (theme, last visit);
// places holds one value per reader and post, keyed by the reader's ID and
// the slug, so a reader's places are one prefix scan and a write touches
// only the places that changed; seen is readers by last visit (see
// seenKey), so the least recently seen are the first keys.
var (
	bucketReaders = []byte("readers")
	bucketPlaces  = []byte("places")
	bucketSeen    = []byte("seen")
	allBuckets    = [][]byte{bucketReaders, bucketPlaces, bucketSeen}
)

// boltBackend is the embedded store: one bbolt file.
type boltBackend struct {
	db *bolt.DB
	// readers is how many readers the file holds: counted at open, then
	// moved by each write as it commits, so Trim needs no scan.
	readers atomic.Int64
}

var boltOptions = &bolt.Options{Timeout: time.Second}

// createBolt makes a new database whole or not at all: built under a
// temporary name and renamed. A first start on a full disk must not leave a
// half-written file that no later start could open.
func createBolt(path string) error {
	tmp := path + ".new"
	_ = os.Remove(tmp) // left by a crash
	err := func() error {
		db, err := bolt.Open(tmp, 0o600, boltOptions)
		if err != nil {
			return err
		}
		err = db.Update(func(tx *bolt.Tx) error {
			for _, b := range allBuckets {
				if _, err := tx.CreateBucketIfNotExists(b); err != nil {
					return err
				}
			}
			return nil
		})
		if cerr := db.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
		return os.Rename(tmp, path)
	}()
	if err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("create state database %s: %w", path, err)
	}
	return nil
}

// openBolt opens (or makes) the database in dir. Another process holding
// the file gives up after a second rather than waiting.
func openBolt(dir string) (Backend, error) {
	path := filepath.Join(dir, DBFile)
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		if err := createBolt(path); err != nil {
			return nil, err
		}
	}
	db, err := bolt.Open(path, 0o600, boltOptions)
	if err != nil {
		return nil, fmt.Errorf("open state database %s: %w", path, err)
	}
	var readers int
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range allBuckets {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		readers, err = indexReaders(tx)
		return err
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("prepare state database %s: %w", path, err)
	}
	b := &boltBackend{db: db}
	b.readers.Store(int64(readers))
	return b, nil
}

func (b *boltBackend) Load(_ context.Context, id ID) (Record, error) {
	rec := Record{Places: map[string]Place{}}
	err := b.db.View(func(tx *bolt.Tx) error {
		bk, err := buckets(tx)
		if err != nil {
			return err
		}
		if v := bk.readers.Get(id[:]); v != nil {
			rec.Theme, rec.Pictures, rec.LastVisit, _ = decodeReader(v)
		}
		c := bk.places.Cursor()
		for k, v := c.Seek(id[:]); k != nil && bytes.HasPrefix(k, id[:]); k, v = c.Next() {
			if p, ok := decodePlace(v); ok {
				rec.Places[string(k[len(id):])] = p
			}
		}
		return nil
	})
	if err != nil {
		return Record{}, fmt.Errorf("load reader: %w", err)
	}
	return rec, nil
}

func (b *boltBackend) Apply(_ context.Context, changes []Change) error {
	err := b.db.Update(func(tx *bolt.Tx) error {
		bk, err := buckets(tx)
		if err != nil {
			return err
		}
		added := 0
		for _, c := range changes {
			isNew, err := applyOne(bk, c)
			if err != nil {
				return err
			}
			if isNew {
				added++
			}
		}
		tx.OnCommit(func() { b.readers.Add(int64(added)) })
		return nil
	})
	if err != nil {
		return fmt.Errorf("write %d readers: %w", len(changes), err)
	}
	return nil
}

// applyOne writes one reader's change, and reports whether the reader is
// new to the file.
func applyOne(bk boltBuckets, c Change) (isNew bool, err error) {
	old := bk.readers.Get(c.Reader[:])
	theme, pics, visit, _ := decodeReader(old)
	seenBefore := seenKey(visit, c.Reader)
	if c.SetTheme {
		theme = c.Theme
	}
	if c.SetPictures {
		pics = c.Pictures
	}
	if c.Visit.After(visit) {
		visit = c.Visit
	}
	if err := bk.readers.Put(c.Reader[:], encodeReader(theme, pics, visit)); err != nil {
		return false, err
	}
	if err := reseen(bk.seen, old != nil, seenBefore, seenKey(visit, c.Reader)); err != nil {
		return false, err
	}
	for slug, p := range c.Places {
		if err := bk.places.Put(placeKey(c.Reader, slug), encodePlace(p)); err != nil {
			return false, err
		}
	}
	return old == nil, nil
}

func (b *boltBackend) Forget(_ context.Context, id ID) (bool, error) {
	found := false
	err := b.db.Update(func(tx *bolt.Tx) error {
		bk, err := buckets(tx)
		if err != nil {
			return err
		}
		if v := bk.readers.Get(id[:]); v != nil {
			found = true
			if err := forgetReader(bk, id[:], v); err != nil {
				return err
			}
			tx.OnCommit(func() { b.readers.Add(-1) })
		}
		n, err := deletePrefix(bk.places, id[:])
		found = found || n > 0
		return err
	})
	if err != nil {
		return false, fmt.Errorf("forget reader: %w", err)
	}
	return found, nil
}

func (b *boltBackend) Expire(_ context.Context, before time.Time) (int, error) {
	n := 0
	err := b.db.Update(func(tx *bolt.Tx) error {
		bk, err := buckets(tx)
		if err != nil {
			return err
		}
		var gone [][2][]byte // readers not seen since before: key, value
		err = bk.readers.ForEach(func(k, v []byte) error {
			if _, _, visit, ok := decodeReader(v); !ok || visit.Before(before) {
				gone = append(gone, [2][]byte{bytes.Clone(k), bytes.Clone(v)})
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, kv := range gone {
			if err := forgetReader(bk, kv[0], kv[1]); err != nil {
				return err
			}
			m, err := deletePrefix(bk.places, kv[0])
			if err != nil {
				return err
			}
			n += 1 + m
		}
		tx.OnCommit(func() { b.readers.Add(-int64(len(gone))) })
		m, err := deleteOldPlaces(bk.places, before)
		n += m
		return err
	})
	if err != nil {
		return n, fmt.Errorf("expire entries: %w", err)
	}
	return n, nil
}

func (b *boltBackend) Close() error { return b.db.Close() }

// boltBuckets are a transaction's buckets.
type boltBuckets struct{ readers, places, seen *bolt.Bucket }

// buckets returns the buckets, or an error when the file lacks them (it
// was replaced under us).
func buckets(tx *bolt.Tx) (boltBuckets, error) {
	bk := boltBuckets{tx.Bucket(bucketReaders), tx.Bucket(bucketPlaces), tx.Bucket(bucketSeen)}
	if bk.readers == nil || bk.places == nil || bk.seen == nil {
		return bk, errors.New("state database has no buckets")
	}
	return bk, nil
}

// deletePrefix deletes every key starting with prefix. Keys are collected
// first: deleting under a cursor skips entries in bbolt.
func deletePrefix(b *bolt.Bucket, prefix []byte) (int, error) {
	var keys [][]byte
	c := b.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		keys = append(keys, bytes.Clone(k))
	}
	for _, k := range keys {
		if err := b.Delete(k); err != nil {
			return 0, err
		}
	}
	return len(keys), nil
}

func deleteOldPlaces(b *bolt.Bucket, before time.Time) (int, error) {
	var keys [][]byte
	err := b.ForEach(func(k, v []byte) error {
		if p, ok := decodePlace(v); !ok || p.At.Before(before) {
			keys = append(keys, bytes.Clone(k))
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	for _, k := range keys {
		if err := b.Delete(k); err != nil {
			return 0, err
		}
	}
	return len(keys), nil
}

func placeKey(id ID, slug string) []byte {
	return append(append(make([]byte, 0, len(id)+len(slug)), id[:]...), slug...)
}

// Values are a version byte then varints, so a later field can be added
// without a migration. Unix seconds are precise enough for a visit.
const formatV1 = 1

// A reader's value is the version, the theme, the visit, then the
// pictures choice: a field added later, so a value written before it ends
// after the visit and reads as PicturesAuto.
func encodeReader(theme Theme, pics Pictures, visit time.Time) []byte {
	b := []byte{formatV1, byte(theme)}
	b = binary.AppendVarint(b, visit.Unix())
	return append(b, byte(pics))
}

func decodeReader(v []byte) (Theme, Pictures, time.Time, bool) {
	if len(v) < 3 || v[0] != formatV1 {
		return ThemeAuto, PicturesAuto, time.Time{}, false
	}
	sec, n := binary.Varint(v[2:])
	if n <= 0 || v[1] > byte(ThemeLight) {
		return ThemeAuto, PicturesAuto, time.Time{}, false
	}
	pics := PicturesAuto
	if rest := v[2+n:]; len(rest) > 0 && rest[0] <= byte(PicturesOff) {
		pics = Pictures(rest[0])
	}
	return Theme(v[1]), pics, time.Unix(sec, 0), true
}

func encodePlace(p Place) []byte {
	b := []byte{formatV1}
	for _, n := range []int{p.Line, p.Lines, p.Row, p.Rows} {
		b = binary.AppendUvarint(b, uint64(max(n, 0)))
	}
	read := byte(0)
	if p.Read {
		read = 1
	}
	b = append(b, read)
	return binary.AppendVarint(b, p.At.Unix())
}

func decodePlace(v []byte) (Place, bool) {
	if len(v) < 1 || v[0] != formatV1 {
		return Place{}, false
	}
	v = v[1:]
	var nums [4]int
	for i := range nums {
		n, k := binary.Uvarint(v)
		if k <= 0 || n > 1<<31 {
			return Place{}, false
		}
		nums[i], v = int(n), v[k:]
	}
	if len(v) < 2 {
		return Place{}, false
	}
	read := v[0] == 1
	sec, k := binary.Varint(v[1:])
	if k <= 0 {
		return Place{}, false
	}
	return Place{Line: nums[0], Lines: nums[1], Row: nums[2], Rows: nums[3], Read: read, At: time.Unix(sec, 0)}, true
}
