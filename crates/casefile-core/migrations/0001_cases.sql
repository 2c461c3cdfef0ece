-- 0001: cases. Applied migrations are never edited; add a new numbered file instead.
CREATE TABLE app_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE cases (
    id                   INTEGER PRIMARY KEY,
    title                TEXT NOT NULL CHECK (length(title) > 0),
    casino_name          TEXT NOT NULL CHECK (length(casino_name) > 0),
    casino_website       TEXT,
    licensee             TEXT,
    regulator_id         TEXT,
    licence_number       TEXT,
    named_adr            TEXT,
    account_id           TEXT,
    player_country       TEXT,
    player_time_zone     TEXT,
    amount_minor         INTEGER NOT NULL CHECK (amount_minor > 0),
    currency             TEXT NOT NULL CHECK (length(currency) = 3),
    category             TEXT NOT NULL CHECK (category IN ('deposit', 'withdrawal', 'account', 'software')),
    account_opened       TEXT,
    first_deposit        TEXT,
    withdrawal_requested TEXT,
    description          TEXT NOT NULL DEFAULT '',
    is_demo              INTEGER NOT NULL DEFAULT 0 CHECK (is_demo IN (0, 1)),
    archived_at          TEXT,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL
) STRICT;

CREATE INDEX cases_by_activity ON cases (archived_at, updated_at DESC);
