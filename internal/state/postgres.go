package state

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// The shared store: PostgreSQL, for replicas that must remember the same
// readers (--state-url). Its tables carry an sshblog_ prefix so that the
// store can live in a database that holds other things.
//
// Every replica runs the same idempotent schema at open, inside one
// transaction holding an advisory lock: two replicas starting together
// would otherwise race in CREATE TABLE IF NOT EXISTS (it is not safe
// against itself) and in making the secret.
const pgSchema = `
CREATE TABLE IF NOT EXISTS sshblog_secret (
	one    boolean PRIMARY KEY DEFAULT true CHECK (one),
	secret bytea   NOT NULL
);
CREATE TABLE IF NOT EXISTS sshblog_readers (
	id         bytea       PRIMARY KEY,
	theme      smallint    NOT NULL DEFAULT 0,
	pictures   smallint    NOT NULL DEFAULT 0,
	last_visit timestamptz
);
CREATE INDEX IF NOT EXISTS sshblog_readers_last_visit ON sshblog_readers (last_visit);
CREATE TABLE IF NOT EXISTS sshblog_places (
	id     bytea       NOT NULL,
	slug   text        NOT NULL,
	line   integer     NOT NULL,
	lines  integer     NOT NULL,
	"row"  integer     NOT NULL,
	"rows" integer     NOT NULL,
	read   boolean     NOT NULL,
	at     timestamptz NOT NULL,
	PRIMARY KEY (id, slug)
);
CREATE INDEX IF NOT EXISTS sshblog_places_at ON sshblog_places (at);
CREATE TABLE IF NOT EXISTS sshblog_counts (
	one     boolean PRIMARY KEY DEFAULT true CHECK (one),
	readers bigint  NOT NULL
);
INSERT INTO sshblog_counts (readers) VALUES (0) ON CONFLICT DO NOTHING;
`

// pgSchemaLock is the advisory lock key held while the schema and the
// secret are made: any constant; this one spells "sshblog".
const pgSchemaLock = 0x7373_6862_6c6f_67

// Writes merge rather than overwrite, because several replicas write the
// same reader: a choice is written only when the reader made one, the visit
// only moves forward, a place moves only to a newer one (a replica flushing
// late must not put the reader back where they were before), and read stays
// read whoever writes it.
const (
	pgUpsertReader = `
INSERT INTO sshblog_readers AS r (id, theme, pictures, last_visit)
VALUES ($1, $2, $3, $4)
ON CONFLICT (id) DO UPDATE SET
	theme      = CASE WHEN $5 THEN excluded.theme ELSE r.theme END,
	pictures   = CASE WHEN $6 THEN excluded.pictures ELSE r.pictures END,
	last_visit = GREATEST(r.last_visit, excluded.last_visit)
RETURNING (xmax = 0)` // true when the row was inserted: a new reader
	pgUpsertPlace = `
INSERT INTO sshblog_places AS p (id, slug, line, lines, "row", "rows", read, at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
ON CONFLICT (id, slug) DO UPDATE SET
	line   = CASE WHEN excluded.at >= p.at THEN excluded.line ELSE p.line END,
	lines  = CASE WHEN excluded.at >= p.at THEN excluded.lines ELSE p.lines END,
	"row"  = CASE WHEN excluded.at >= p.at THEN excluded."row" ELSE p."row" END,
	"rows" = CASE WHEN excluded.at >= p.at THEN excluded."rows" ELSE p."rows" END,
	read   = p.read OR excluded.read,
	at     = GREATEST(p.at, excluded.at)`
)

// pgOpenTimeout bounds connecting and preparing the schema, so a database
// that does not answer (a dropped packet, not a refusal) delays a start or
// a retry by this much at most.
const pgOpenTimeout = 5 * time.Second

// pgBackend is the PostgreSQL store. It keeps the HMAC secret too (see
// [secretKeeper]): every replica must turn a key into the same ID.
type pgBackend struct {
	pool   *pgxpool.Pool
	secret []byte
}

// openPostgres connects, makes the schema if missing and reads (or makes)
// the shared secret. The pool is closed again on any failure.
func openPostgres(ctx context.Context, url string) (Backend, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		// pgx's message quotes the URL, password hidden only "best
		// effort": say nothing of it.
		return nil, errors.New("parse the state URL: not a valid postgres:// URL")
	}
	where := pgWhere(&cfg.ConnConfig.Config)
	ctx, cancel := context.WithTimeout(ctx, pgOpenTimeout)
	defer cancel()
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open state database %s: %w", where, err)
	}
	secret, err := pgPrepare(ctx, pool)
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("prepare state database %s: %w", where, err)
	}
	return &pgBackend{pool: pool, secret: secret}, nil
}

// pgPrepare makes the schema and the secret in one transaction under the
// advisory lock. The secret is inserted only if there is none (ON CONFLICT
// DO NOTHING) and then read back: whoever inserted first, every replica
// reads the same one.
func pgPrepare(ctx context.Context, pool *pgxpool.Pool) ([]byte, error) {
	fresh := make([]byte, secretSize)
	if _, err := rand.Read(fresh); err != nil {
		return nil, fmt.Errorf("make state secret: %w", err)
	}
	var secret []byte
	err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", int64(pgSchemaLock)); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, pgSchema); err != nil {
			return fmt.Errorf("make tables: %w", err)
		}
		if _, err := tx.Exec(ctx, "INSERT INTO sshblog_secret (secret) VALUES ($1) ON CONFLICT DO NOTHING", fresh); err != nil {
			return fmt.Errorf("make secret: %w", err)
		}
		if err := pgRecount(ctx, tx); err != nil {
			return fmt.Errorf("count readers: %w", err)
		}
		return tx.QueryRow(ctx, "SELECT secret FROM sshblog_secret").Scan(&secret)
	})
	if err != nil {
		return nil, err
	}
	if len(secret) != secretSize {
		// Never replaced: replacing it would forget every reader.
		return nil, fmt.Errorf("state secret in sshblog_secret is %d bytes, want %d", len(secret), secretSize)
	}
	return secret, nil
}

// PostgresWhere names the database of a state URL for the logs: host, port
// and database, never the user or the password. A URL that does not parse
// is "postgres (unparsable URL)".
func PostgresWhere(url string) string {
	cfg, err := pgconn.ParseConfig(url)
	if err != nil {
		return "postgres (unparsable URL)"
	}
	return pgWhere(cfg)
}

func pgWhere(cfg *pgconn.Config) string {
	host := cfg.Host
	if !strings.HasPrefix(host, "/") { // a unix socket's folder has no port to join
		host = net.JoinHostPort(host, strconv.Itoa(int(cfg.Port)))
	}
	return "postgres " + host + "/" + cfg.Database
}

// Secret is the shared HMAC secret read at open.
func (b *pgBackend) Secret() []byte { return b.secret }

// Load reads the reader and their places in one round trip.
func (b *pgBackend) Load(ctx context.Context, id ID) (Record, error) {
	rec := Record{Places: map[string]Place{}}
	batch := &pgx.Batch{}
	batch.Queue("SELECT theme, pictures, last_visit FROM sshblog_readers WHERE id = $1", id[:]).QueryRow(func(row pgx.Row) error {
		var theme, pics int16
		var visit *time.Time
		err := row.Scan(&theme, &pics, &visit)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			return nil
		case err != nil:
			return err
		}
		rec.Theme, rec.Pictures = pgTheme(theme), pgPictures(pics)
		if visit != nil {
			rec.LastVisit = *visit
		}
		return nil
	})
	batch.Queue(`SELECT slug, line, lines, "row", "rows", read, at FROM sshblog_places WHERE id = $1`, id[:]).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			var slug string
			var p Place
			var n [4]int32
			if err := rows.Scan(&slug, &n[0], &n[1], &n[2], &n[3], &p.Read, &p.At); err != nil {
				return err
			}
			p.Line, p.Lines, p.Row, p.Rows = int(n[0]), int(n[1]), int(n[2]), int(n[3])
			rec.Places[slug] = p
		}
		return rows.Err()
	})
	if err := b.pool.SendBatch(ctx, batch).Close(); err != nil {
		return Record{}, fmt.Errorf("load reader: %w", err)
	}
	return rec, nil
}

// Apply sends every upsert of the batch in one transaction and one round
// trip (a pgx.Batch inside BEGIN … COMMIT).
func (b *pgBackend) Apply(ctx context.Context, changes []Change) error {
	err := pgx.BeginFunc(ctx, b.pool, func(tx pgx.Tx) error {
		batch := &pgx.Batch{}
		added := 0
		for _, c := range changes {
			queueChange(batch, c, &added)
		}
		if err := tx.SendBatch(ctx, batch).Close(); err != nil {
			return err
		}
		return pgCount(ctx, tx, added)
	})
	if err != nil {
		return fmt.Errorf("write %d readers: %w", len(changes), err)
	}
	return nil
}

// queueChange queues the upserts of one change, adding 1 to added if the
// reader is new.
func queueChange(batch *pgx.Batch, c Change, added *int) {
	var theme, pics int16
	if c.SetTheme {
		theme = int16(c.Theme)
	}
	if c.SetPictures {
		pics = int16(c.Pictures)
	}
	var visit *time.Time // NULL: no visit yet, and GREATEST ignores it
	if !c.Visit.IsZero() {
		visit = &c.Visit
	}
	batch.Queue(pgUpsertReader, c.Reader[:], theme, pics, visit, c.SetTheme, c.SetPictures).QueryRow(func(row pgx.Row) error {
		var inserted bool
		if err := row.Scan(&inserted); err != nil {
			return err
		}
		if inserted {
			*added++
		}
		return nil
	})
	for slug, p := range c.Places {
		batch.Queue(pgUpsertPlace, c.Reader[:], slug,
			pgInt(p.Line), pgInt(p.Lines), pgInt(p.Row), pgInt(p.Rows), p.Read, p.At)
	}
}

// Forget erases the reader and their places in one transaction.
func (b *pgBackend) Forget(ctx context.Context, id ID) (bool, error) {
	var n int64
	err := pgx.BeginFunc(ctx, b.pool, func(tx pgx.Tx) error {
		n = 0
		tag, err := tx.Exec(ctx, "DELETE FROM sshblog_readers WHERE id = $1", id[:])
		if err != nil {
			return err
		}
		readers := tag.RowsAffected()
		if tag, err = tx.Exec(ctx, "DELETE FROM sshblog_places WHERE id = $1", id[:]); err != nil {
			return err
		}
		n = readers + tag.RowsAffected()
		return pgCount(ctx, tx, -int(readers))
	})
	if err != nil {
		return false, fmt.Errorf("forget reader: %w", err)
	}
	return n > 0, nil
}

// Expire erases readers not seen since before with all their places, then
// the places not touched since before, and counts both, as bbolt does.
func (b *pgBackend) Expire(ctx context.Context, before time.Time) (int, error) {
	var n int64
	err := pgx.BeginFunc(ctx, b.pool, func(tx pgx.Tx) error {
		n = 0
		var readers, places int64
		err := tx.QueryRow(ctx, `
WITH gone AS (
	DELETE FROM sshblog_readers WHERE last_visit IS NULL OR last_visit < $1 RETURNING id
), places AS (
	DELETE FROM sshblog_places WHERE id IN (SELECT id FROM gone) RETURNING 1
)
SELECT (SELECT count(*) FROM gone), (SELECT count(*) FROM places)`, before).Scan(&readers, &places)
		if err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, "DELETE FROM sshblog_places WHERE at < $1", before)
		if err != nil {
			return err
		}
		n = readers + places + tag.RowsAffected()
		return pgCount(ctx, tx, -int(readers))
	})
	if err != nil {
		return 0, fmt.Errorf("expire entries: %w", err)
	}
	return int(n), nil
}

// Close closes the pool; it waits for connections in use to be returned,
// which the op timeouts bound.
func (b *pgBackend) Close() error {
	b.pool.Close()
	return nil
}

// pgInt clamps a count to a postgres integer (bbolt clamps negatives too).
func pgInt(n int) int32 { return int32(min(max(n, 0), 1<<31-1)) }

func pgTheme(v int16) Theme {
	if v < 0 || v > int16(ThemeLight) {
		return ThemeAuto
	}
	return Theme(v)
}

func pgPictures(v int16) Pictures {
	if v < 0 || v > int16(PicturesOff) {
		return PicturesAuto
	}
	return Pictures(v)
}
