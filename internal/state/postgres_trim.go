package state

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// The count of readers lives in sshblog_counts (one row), so that Trim
// knows whether the database is over its cap without counting: every
// transaction that adds or deletes readers moves it by as many, as its
// last statement. Taking the row last keeps the lock order one way (reader
// rows, then the count), and a transaction holding the count waits for
// nothing more, so no deadlock comes of it. Every replica recounts at open
// (pgRecount), which mends a count that drifted (a replica of an older
// version writing meanwhile).

// pgTrimLock is the advisory lock one Trim holds at a time across
// replicas: two trims reading the same count would each forget the excess.
const pgTrimLock = pgSchemaLock + 1

// Forgetting the least recently seen: readers with no visit at all first,
// then by last visit along sshblog_readers_last_visit (ascending, nulls
// last: two queries, so that each walks the index from its start). Rows
// a write holds now are skipped: that reader is being seen right now.
const (
	pgForgetNeverSeen = `
DELETE FROM sshblog_readers WHERE id IN (
	SELECT id FROM sshblog_readers WHERE last_visit IS NULL
	LIMIT $1 FOR UPDATE SKIP LOCKED
) RETURNING id`
	pgForgetLeastSeen = `
DELETE FROM sshblog_readers WHERE id IN (
	SELECT id FROM sshblog_readers WHERE last_visit IS NOT NULL
	ORDER BY last_visit LIMIT $1 FOR UPDATE SKIP LOCKED
) RETURNING id`
)

// pgRecount sets the count from the table. It first takes the count's
// row: writers that added readers before have committed, and those that
// add readers now (not yet visible to the count) will add them after.
func pgRecount(ctx context.Context, tx pgx.Tx) error {
	if _, err := tx.Exec(ctx, "SELECT readers FROM sshblog_counts FOR UPDATE"); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, "UPDATE sshblog_counts SET readers = (SELECT count(*) FROM sshblog_readers)")
	return err
}

// pgCount moves the count of readers by delta; the last statement of a
// transaction that added or deleted readers.
func pgCount(ctx context.Context, tx pgx.Tx, delta int) error {
	if delta == 0 {
		return nil
	}
	_, err := tx.Exec(ctx, "UPDATE sshblog_counts SET readers = GREATEST(readers + $1, 0)", delta)
	return err
}

// Trim forgets the least recently seen readers and their places while the
// database holds more than max: one read of the count when it does not.
func (b *pgBackend) Trim(ctx context.Context, max int) (int, error) {
	var readers int64
	if err := b.pool.QueryRow(ctx, "SELECT readers FROM sshblog_counts").Scan(&readers); err != nil {
		return 0, fmt.Errorf("read the count of readers: %w", err)
	}
	if readers <= int64(max) {
		return 0, nil
	}
	n := 0
	err := pgx.BeginFunc(ctx, b.pool, func(tx pgx.Tx) error {
		n = 0
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", int64(pgTrimLock)); err != nil {
			return err
		}
		// Read again under the lock: another replica may have trimmed.
		if err := tx.QueryRow(ctx, "SELECT readers FROM sshblog_counts").Scan(&readers); err != nil {
			return err
		}
		excess := min(int(readers)-max, trimBatch)
		var ids [][]byte
		for _, q := range []string{pgForgetNeverSeen, pgForgetLeastSeen} {
			if len(ids) >= excess {
				break
			}
			rows, err := tx.Query(ctx, q, excess-len(ids))
			if err != nil {
				return err
			}
			gone, err := pgx.CollectRows(rows, pgx.RowTo[[]byte])
			if err != nil {
				return err
			}
			ids = append(ids, gone...)
		}
		if len(ids) == 0 {
			return nil
		}
		if _, err := tx.Exec(ctx, "DELETE FROM sshblog_places WHERE id = ANY($1)", ids); err != nil {
			return err
		}
		n = len(ids)
		return pgCount(ctx, tx, -n)
	})
	if err != nil {
		return 0, fmt.Errorf("forget least recently seen readers: %w", err)
	}
	return n, nil
}
