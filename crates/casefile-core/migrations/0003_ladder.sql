-- 0003: the ladder's step log (messages sent, replies, dated milestones) and rungs the player skipped.
CREATE TABLE ladder_steps (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    recipient_id TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('sent', 'reply', 'milestone')),
    channel      TEXT,
    happened_on  TEXT NOT NULL,
    reference    TEXT NOT NULL DEFAULT '',
    summary      TEXT NOT NULL DEFAULT '',
    outcome      TEXT,
    milestone    TEXT,
    recorded_at  TEXT NOT NULL
) STRICT;

CREATE INDEX ladder_steps_by_case ON ladder_steps (case_id, happened_on);

CREATE TABLE ladder_skips (
    case_id      INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    recipient_id TEXT NOT NULL,
    reason       TEXT NOT NULL,
    skipped_at   TEXT NOT NULL,
    PRIMARY KEY (case_id, recipient_id)
) STRICT;

-- What came back when the case closed, in the case's currency (minor units).
ALTER TABLE cases ADD COLUMN amount_recovered_minor INTEGER CHECK (amount_recovered_minor >= 0);
