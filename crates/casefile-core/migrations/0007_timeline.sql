-- 0007: the timeline. The player's own dated entries, each linkable to evidence items; which locker
-- items cover an entry of the weak-points checklist; and the first and last dated message of a chat
-- transcript (read at import, so the timeline needs no key to place it).
CREATE TABLE timeline_events (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    happened_on TEXT NOT NULL,   -- YYYY-MM-DD, the player's own calendar date
    at_time     TEXT,            -- HH:MM, as the player gave it (no zone: their local time)
    kind        TEXT NOT NULL CHECK (kind IN ('deposit', 'withdrawal_request', 'documents_sent', 'reply',
                                              'complaint', 'account_action', 'other')),
    title       TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;

CREATE INDEX timeline_events_by_case ON timeline_events (case_id, happened_on);

CREATE TABLE timeline_event_evidence (
    event_id INTEGER NOT NULL REFERENCES timeline_events (id) ON DELETE CASCADE,
    item_id  INTEGER NOT NULL REFERENCES evidence_items (id) ON DELETE CASCADE,
    PRIMARY KEY (event_id, item_id)
) STRICT;

CREATE INDEX timeline_event_evidence_by_item ON timeline_event_evidence (item_id);

-- An evidence item the player says answers one entry of the weak-points checklist (an evidence id of
-- knowledge/triage.toml, e.g. "documents-sent-receipts").
CREATE TABLE checklist_coverage (
    case_id      INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    item_id      INTEGER NOT NULL REFERENCES evidence_items (id) ON DELETE CASCADE,
    checklist_id TEXT NOT NULL,
    linked_at    TEXT NOT NULL,
    PRIMARY KEY (item_id, checklist_id)
) STRICT;

CREATE INDEX checklist_coverage_by_case ON checklist_coverage (case_id, checklist_id);

ALTER TABLE evidence_items ADD COLUMN chat_first_at TEXT;
ALTER TABLE evidence_items ADD COLUMN chat_last_at TEXT;
