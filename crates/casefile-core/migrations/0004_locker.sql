-- 0004: the evidence locker. The vault row says where the key lives (never the key itself, only a
-- passphrase-wrapped copy); items point at encrypted blobs; the custody log is append-only and
-- hash-chained (each entry's hash covers the previous entry's hash).
CREATE TABLE vault (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    mode           TEXT NOT NULL CHECK (mode IN ('keyring', 'passphrase')),
    key_id         TEXT NOT NULL,
    vault_id       TEXT NOT NULL,
    kdf_salt       BLOB NOT NULL,
    kdf_memory_kib INTEGER NOT NULL,
    kdf_passes     INTEGER NOT NULL,
    wrap_nonce     BLOB NOT NULL,
    wrapped_key    BLOB NOT NULL,
    created_at     TEXT NOT NULL
) STRICT;

CREATE TABLE evidence_items (
    id            INTEGER PRIMARY KEY,
    case_id       INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    sha256        TEXT NOT NULL,
    size          INTEGER NOT NULL,
    blob_name     TEXT NOT NULL,
    media_type    TEXT NOT NULL,
    kind          TEXT NOT NULL,
    original_name TEXT NOT NULL,
    title         TEXT NOT NULL,
    description   TEXT NOT NULL DEFAULT '',
    tags          TEXT NOT NULL DEFAULT '[]',
    width         INTEGER,
    height        INTEGER,
    imported_at   TEXT NOT NULL,
    UNIQUE (case_id, sha256)
) STRICT;

CREATE TABLE custody_log (
    seq        INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL,
    at         TEXT NOT NULL,
    action     TEXT NOT NULL,
    item_id    INTEGER,
    item_sha256 TEXT,
    detail     TEXT NOT NULL DEFAULT '',
    prev_hash  TEXT NOT NULL,
    entry_hash TEXT NOT NULL
) STRICT;

-- The log is append-only: the database itself refuses edits and deletions.
CREATE TRIGGER custody_log_no_update BEFORE UPDATE ON custody_log
BEGIN SELECT RAISE(ABORT, 'the custody log is append-only'); END;
CREATE TRIGGER custody_log_no_delete BEFORE DELETE ON custody_log
BEGIN SELECT RAISE(ABORT, 'the custody log is append-only'); END;
