-- 0010: the complaint packages that were built: for whom, when, where to, and the manifest's hash,
-- so the player can later show exactly what was sent. Once the player records the message that
-- carried a package, the package points at that ladder step.
CREATE TABLE packages (
    id              INTEGER PRIMARY KEY,
    case_id         INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    recipient_id    TEXT NOT NULL,
    built_at        TEXT NOT NULL,
    draft           INTEGER NOT NULL CHECK (draft IN (0, 1)),
    folder          TEXT NOT NULL,
    zip_path        TEXT,
    manifest_sha256 TEXT NOT NULL,
    exhibits        INTEGER NOT NULL CHECK (exhibits >= 0),
    step_id         INTEGER REFERENCES ladder_steps (id) ON DELETE SET NULL
) STRICT;

CREATE INDEX packages_by_case ON packages (case_id, built_at);
