package state

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// trimBatch is the most readers one Trim forgets: a cap lowered by a
// restart is reached over a few writes, never in one huge transaction
// that would hold the store (and every reader's load) for long.
const trimBatch = 10_000

// seenKey is a reader's key in the seen bucket: the last visit's Unix
// seconds, sign bit flipped so that they sort as unsigned big-endian
// bytes (a zero visit, year 1, first), then the reader's ID.
func seenKey(visit time.Time, id ID) []byte {
	k := binary.BigEndian.AppendUint64(make([]byte, 0, 8+len(id)), uint64(visit.Unix())^1<<63)
	return append(k, id[:]...)
}

// reseen moves a reader's seen entry from before to after (had: the reader
// had one).
func reseen(seen *bolt.Bucket, had bool, before, after []byte) error {
	if had && !bytes.Equal(before, after) {
		if err := seen.Delete(before); err != nil {
			return err
		}
	}
	return seen.Put(after, []byte{})
}

// forgetReader deletes a reader's value v and its seen entry (not its
// places).
func forgetReader(bk boltBuckets, id, v []byte) error {
	if len(id) == len(ID{}) {
		if err := bk.seen.Delete(seenKey(visitOf(v), ID(id))); err != nil {
			return err
		}
	}
	return bk.readers.Delete(id)
}

// indexReaders counts the readers and makes sure that seen indexes each of
// them once: it is rebuilt when the counts differ (a file from before it
// existed, or one written meanwhile by such a version). Run at open.
func indexReaders(tx *bolt.Tx) (int, error) {
	bk, err := buckets(tx)
	if err != nil {
		return 0, err
	}
	n := bk.readers.Stats().KeyN
	if bk.seen.Stats().KeyN == n {
		return n, nil
	}
	if err := tx.DeleteBucket(bucketSeen); err != nil {
		return 0, err
	}
	if bk.seen, err = tx.CreateBucket(bucketSeen); err != nil {
		return 0, err
	}
	err = bk.readers.ForEach(func(k, v []byte) error {
		if len(k) != len(ID{}) {
			return nil // not a reader's key: never written by this store
		}
		return bk.seen.Put(seenKey(visitOf(v), ID(k)), []byte{})
	})
	if err != nil {
		return 0, fmt.Errorf("index readers by last visit: %w", err)
	}
	return n, nil
}

// Trim forgets the least recently seen readers past max: the first keys of
// seen, so no scan. An entry of seen that no longer matches its reader is
// dropped on the way.
func (b *boltBackend) Trim(_ context.Context, max int) (int, error) {
	excess := min(int(b.readers.Load())-max, trimBatch)
	if excess <= 0 {
		return 0, nil
	}
	n := 0
	err := b.db.Update(func(tx *bolt.Tx) error {
		n = 0
		bk, err := buckets(tx)
		if err != nil {
			return err
		}
		// Collect first: deleting under a cursor skips entries in bbolt.
		var victims, stale [][]byte
		c := bk.seen.Cursor()
		for k, _ := c.First(); k != nil && len(victims) < excess; k, _ = c.Next() {
			k = bytes.Clone(k)
			if live(bk.readers, k) {
				victims = append(victims, k)
			} else {
				stale = append(stale, k)
			}
		}
		for _, k := range stale {
			if err := bk.seen.Delete(k); err != nil {
				return err
			}
		}
		for _, k := range victims {
			id := k[8:]
			if err := bk.seen.Delete(k); err != nil {
				return err
			}
			if err := bk.readers.Delete(id); err != nil {
				return err
			}
			if _, err := deletePrefix(bk.places, id); err != nil {
				return err
			}
		}
		n = len(victims)
		tx.OnCommit(func() { b.readers.Add(-int64(n)) })
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("forget least recently seen readers: %w", err)
	}
	return n, nil
}

// live reports whether the seen entry k is its reader's current one.
func live(readers *bolt.Bucket, k []byte) bool {
	if len(k) != 8+len(ID{}) {
		return false
	}
	v := readers.Get(k[8:])
	return v != nil && bytes.Equal(seenKey(visitOf(v), ID(k[8:])), k)
}

// visitOf is the last visit in a reader's value (zero if it does not
// decode).
func visitOf(v []byte) time.Time {
	_, _, visit, _ := decodeReader(v)
	return visit
}
