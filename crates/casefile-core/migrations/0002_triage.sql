-- 0002: triage answers, the evidence checklist of the weak-points check, and how a case ended.
CREATE TABLE triage_answers (
    case_id     INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    question_id TEXT NOT NULL,
    answer      TEXT NOT NULL,  -- JSON of casefile_core::triage::Answer
    answered_at TEXT NOT NULL,
    PRIMARY KEY (case_id, question_id)
) STRICT;

CREATE TABLE evidence_checklist (
    case_id     INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    evidence_id TEXT NOT NULL,
    checked_at  TEXT NOT NULL,
    PRIMARY KEY (case_id, evidence_id)
) STRICT;

ALTER TABLE cases ADD COLUMN closed_at TEXT;
ALTER TABLE cases ADD COLUMN outcome TEXT CHECK (outcome IN ('resolved', 'rejected', 'unresolved'));
ALTER TABLE cases ADD COLUMN outcome_label TEXT;
ALTER TABLE cases ADD COLUMN closing_note TEXT NOT NULL DEFAULT '';
